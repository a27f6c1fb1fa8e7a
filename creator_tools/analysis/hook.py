"""The hook: how well the first seconds hold a viewer who is about to swipe away."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Hook:
    """Hook score 0..100 with the facts behind it (seconds; ``None`` when it never happens)."""

    score: int
    first_speech_at: float | None
    first_cut_at: float | None
    first_motion_at: float | None
    dead_air_start: float
    reasons: list[str]

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        for k in ("first_speech_at", "first_cut_at", "first_motion_at", "dead_air_start"):
            if d[k] is not None:
                d[k] = round(d[k], 3)
        return d


def score_hook(
    *,
    first_speech_at: float | None,
    first_cut_at: float | None,
    motion_energy: np.ndarray,
    fps: float,
    dead_air_start: float,
    has_audio: bool,
    window: float = 3.0,
    strong_motion: float = 0.35,
) -> Hook:
    """Score the opening ``window`` seconds.

    Parameters
    ----------
    first_speech_at, first_cut_at
        Times of the first word and the first cut, seconds (``None``: never).
    motion_energy
        Per-frame motion energy 0..1, shape ``(n,)``.
    fps
        Frame rate of ``motion_energy``.
    dead_air_start
        Seconds of silence before anything is said (0 when speech starts at once).
    has_audio
        Whether the clip has sound at all.
    """
    reasons: list[str] = []
    score = 45.0
    strong = np.flatnonzero(motion_energy >= strong_motion) if motion_energy.size else []
    first_motion = float(strong[0] / fps) if len(strong) else None
    if first_speech_at is not None:
        if first_speech_at <= 0.5:
            score += 25
            reasons.append(f"speech starts at once ({first_speech_at:.1f} s)")
        elif first_speech_at <= 1.0:
            score += 15
            reasons.append(f"speech starts quickly ({first_speech_at:.1f} s)")
        elif first_speech_at <= window:
            score += 5
            reasons.append(f"first word only at {first_speech_at:.1f} s: start on it")
        else:
            score -= 10
            reasons.append(
                f"no word in the first {window:.0f} s (first at {first_speech_at:.1f} s)")
    elif has_audio:
        reasons.append("no speech: the picture and the sound carry the hook alone")
    if dead_air_start >= 0.5 and (first_speech_at is not None):
        penalty = min(30.0, 15.0 * dead_air_start)
        score -= penalty
        reasons.append(
            f"opens on {dead_air_start:.1f} s of dead air: viewers swipe in the first second")
    opening = motion_energy[: max(1, round(window * fps))] if motion_energy.size else motion_energy
    level = float(opening.mean()) if opening.size else 0.0
    if first_motion is not None and first_motion <= 1.0:
        score += 15
        reasons.append(f"strong motion in the first second ({first_motion:.1f} s)")
    elif level >= 0.15:
        score += 8
        reasons.append("the opening moves")
    else:
        score -= 10
        reasons.append("static opening: give the eye something to follow")
    if first_cut_at is not None and first_cut_at <= window:
        score += 10
        reasons.append(f"a cut at {first_cut_at:.1f} s renews attention")
    return Hook(
        score=int(np.clip(round(score), 0, 100)),
        first_speech_at=first_speech_at,
        first_cut_at=first_cut_at,
        first_motion_at=first_motion,
        dead_air_start=dead_air_start,
        reasons=reasons,
    )
