"""Suggest music: fit to the clip's pacing, energy and length, niche, and trend momentum."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from creator_tools.analysis.result import Analysis
from creator_tools.suggest.catalog import TrackInfo, bundled_tracks, index_sounds
from creator_tools.topics.reading import Topic

#: The music energy (0..1) a topic asks for: calm under a travel vlog, punchy under a workout.
TOPIC_ENERGY = {"fitness": 0.85, "sports": 0.85, "dance": 0.85, "gaming": 0.75,
                "fashion": 0.65, "comedy": 0.55, "food": 0.5, "beauty": 0.5, "pets": 0.5,
                "music": 0.5, "travel": 0.4, "vlog": 0.45, "tech": 0.45, "diy": 0.4,
                "parenting": 0.4, "finance": 0.4, "lifestyle": 0.35, "education": 0.3}


@dataclass(frozen=True, slots=True)
class MusicSuggestion:
    """A track or trending sound; ``file`` is ``None`` for sounds to add in the app."""

    id: str
    title: str
    score: float
    reasons: list[str] = field(default_factory=list)
    file: Path | None = None
    bpm: float | None = None
    mood: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "score": round(self.score, 3),
                "reasons": self.reasons, "file": str(self.file) if self.file else None,
                "bpm": self.bpm, "mood": self.mood,
                "where": "local" if self.file else "add in the app"}


def clip_pacing(a: Analysis) -> tuple[float, float]:
    """A target tempo (BPM) and energy (0..1) for music under this clip.

    The clip's own beat wins when it has one; otherwise pacing comes from motion and cuts, and
    talking clips ask for calmer music (it sits under a voice).
    """
    motion = a.motion.mean if a.motion else 0.3
    cuts = a.stats.get("cuts_per_minute", 0.0) if a.stats else 0.0
    energy = min(1.0, 0.25 + 0.9 * motion + 0.012 * cuts)
    talk = sum(s.duration for s in a.speech) / a.duration if a.duration else 0.0
    if talk > 0.4:
        energy = max(0.15, energy - 0.2)
    if a.tempo_bpm:
        return float(a.tempo_bpm), energy
    return 80.0 + 70.0 * min(1.0, motion / 0.5 + cuts / 60.0), energy


#: How a track's tempo can sit on the clip's: the same, half or double.
_RELATIONS = ((1.0, ""), (2.0, "half time of "), (0.5, "double time of "))


def _tempo_fit(bpm: float, target: float) -> tuple[float, str]:
    """1 for the same tempo (or a half/double), falling off over about 12%; and how it sits
    (``""``, ``"half time of "`` or ``"double time of "``)."""
    off, how = min((abs(math.log2(bpm * k / target)), how) for k, how in _RELATIONS)
    return math.exp(-((off / 0.17) ** 2)), how


def topic_pacing(a: Analysis, topic: Topic | None) -> tuple[float, float, str | None]:
    """:func:`clip_pacing` with the energy moved halfway to what the clip's topic asks for;
    and that topic (``None`` when unknown or without a preference)."""
    bpm, energy = clip_pacing(a)
    main = topic.main() if topic is not None else None
    if main in TOPIC_ENERGY:
        energy = 0.5 * energy + 0.5 * TOPIC_ENERGY[main]  # type: ignore[index]
        return bpm, energy, main
    return bpm, energy, None


def score_track(t: TrackInfo, a: Analysis, niche: str | None, target_bpm: float,
                target_energy: float, topic: Topic | None = None) -> tuple[float, list[str]]:
    """Score one track for clip ``a`` (``topic``: what the clip is about, when known)."""
    score, reasons = 0.0, []
    main = topic.main() if topic is not None else None
    if t.bpm:
        fit, how = _tempo_fit(float(t.bpm), target_bpm)
        score += 0.35 * fit
        if fit > 0.6:
            why = "the clip's beat" if a.tempo_bpm else "the clip's pacing"
            verb = "plays in" if how else "matches"
            reasons.append(f"{t.bpm:.0f} BPM {verb} {how}{why} (~{target_bpm:.0f} BPM)")
    if t.energy is not None:
        fit = 1.0 - min(1.0, abs(t.energy - target_energy) / 0.6)
        score += 0.25 * fit
        if fit > 0.7:
            level = "calm" if target_energy < 0.45 else "punchy" if target_energy > 0.65 else "mid"
            why = f"the clip and its topic ({main})" if main in TOPIC_ENERGY else "the clip"
            reasons.append(f"{level} energy fits {why}")
    if t.duration:
        if t.duration >= a.duration or t.loopable:
            score += 0.1
            if t.loopable and t.duration < a.duration:
                reasons.append("loops seamlessly to the clip's length")
        else:
            score -= 0.1
            reasons.append(f"shorter ({t.duration:.0f} s) than the clip")
    if main and main in t.niches and topic is not None:
        p = topic.scores.get(main, 0.0)
        score += 0.25 * p
        reasons.append(f"suits {main} videos ({topic.short(main)})")
    if niche and niche in t.niches and niche != main:
        score += 0.2 if main is None else 0.1
        reasons.append(f"popular with {niche} creators")
    if t.rank:
        score += 0.2 / math.sqrt(t.rank)
        reasons.append(f"trending (rank {t.rank})")
    if t.rank_change and t.rank_change > 0:
        score += min(0.1, 0.02 * t.rank_change)
        reasons.append(f"climbing (+{t.rank_change} places)")
    return score, reasons


def suggest_music(a: Analysis, *, niche: str | None = None, region: str | None = None,
                  top: int = 5, index: object | None = None,
                  use_index: bool = True, topic: Topic | None = None) -> list[MusicSuggestion]:
    """Tracks and trending sounds ranked for clip ``a`` (deterministic: ties break by id);
    ``topic`` (what the clip is about) moves the energy and favours tracks made for it."""
    target_bpm, target_energy, _ = topic_pacing(a, topic)
    candidates: dict[str, TrackInfo] = dict(bundled_tracks())
    if use_index:
        from creator_tools.errors import CreatorError

        try:
            for t in index_sounds(index, region=region):
                base = candidates.get(t.id)
                if base is not None:  # the index adds rank and momentum to a bundled track
                    candidates[t.id] = TrackInfo(**{**_fields(base), "rank": t.rank,
                                                    "rank_change": t.rank_change})
                else:
                    candidates[t.id] = t
        except CreatorError:
            pass
    out = []
    for t in candidates.values():
        score, reasons = score_track(t, a, niche, target_bpm, target_energy, topic)
        if t.file is None:
            reasons.append("add in the app (no local audio)")
        out.append(MusicSuggestion(t.id, t.title, round(score, 4), reasons, t.file, t.bpm,
                                   t.mood))
    out.sort(key=lambda s: (-s.score, s.id))
    return out[:top]


def _fields(t: TrackInfo) -> dict[str, object]:
    return {f: getattr(t, f) for f in TrackInfo.__dataclass_fields__}
