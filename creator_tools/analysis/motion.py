"""Motion energy, static stretches and camera shake from per-frame video features."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from creator_tools.analysis.spans import Span, mask_to_spans


@dataclass(frozen=True, slots=True)
class MotionSettings:
    """Tuning of :func:`summarize_motion`."""

    #: Thumbnail change (0..1) that maps to motion energy 0.63 (1 - 1/e).
    energy_scale: float = 0.03
    #: Below this smoothed thumbnail change a frame is static (sensor noise level).
    static_level: float = 0.004
    #: Shortest static stretch reported, seconds.
    min_static: float = 2.0
    #: RMS frame-to-frame jitter (percent of the frame size) above which footage is shaky.
    shaky_percent: float = 1.0


@dataclass(frozen=True, slots=True)
class MotionSummary:
    """Motion of a clip.

    ``per_second[k]`` is the mean motion energy (0..1) of second ``k``; ``shakiness`` is the
    RMS high-frequency camera jitter in percent of the frame size. ``energy`` (0..1) and
    ``shift`` (the camera's frame-to-frame translation, fractions of the frame, shape
    ``(n, 2)``; spread over undecoded frames, outliers and flashes mended, carried over cuts)
    are per frame and not stored.
    """

    per_second: list[float]
    mean: float
    static: list[Span]
    shakiness: float
    shaky: list[Span]
    energy: np.ndarray  # per frame, 0..1
    shift: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))

    def to_dict(self) -> dict[str, object]:
        return {
            "per_second": self.per_second,
            "mean": round(self.mean, 3),
            "static": [s.to_dict() for s in self.static],
            "shakiness": round(self.shakiness, 3),
            "shaky": [s.to_dict() for s in self.shaky],
        }


def _smooth(x: np.ndarray, k: int) -> np.ndarray:
    if k <= 1 or x.size == 0:
        return x.astype(np.float64)
    pad = np.pad(x.astype(np.float64), (k // 2, k - 1 - k // 2), mode="edge")
    return np.convolve(pad, np.ones(k) / k, mode="valid")


def _spread_over_gaps(d: np.ndarray, sh: np.ndarray,
                      decoded: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Share each decoded frame's change evenly with the repeated frames before it."""
    idx = np.flatnonzero(decoded)
    if idx.size == 0:
        return d, sh
    d2, sh2 = d.copy(), sh.copy()
    prev = idx[0]
    for i in idx[1:]:
        gap = i - prev
        if gap > 1:
            d2[prev + 1 : i + 1] = d[i] / gap
            sh2[prev + 1 : i + 1] = sh[i] / gap
        prev = i
    return d2, sh2


def summarize_motion(
    diff: np.ndarray,
    shift: np.ndarray,
    *,
    fps: float,
    cut_frames: list[int] | None = None,
    luma: np.ndarray | None = None,
    decoded: np.ndarray | None = None,
    settings: MotionSettings = MotionSettings(),
) -> MotionSummary:
    """Summarise motion.

    Parameters
    ----------
    diff
        Per-frame thumbnail change from the previous frame, shape ``(n,)``, 0..1.
    shift
        Per-frame global translation from the previous frame, shape ``(n, 2)``, fraction of
        the frame's width and height.
    fps
        Frame rate, frames per second.
    cut_frames
        Frames that start a new shot; their change is a cut, not motion.
    luma
        Per-frame mean luminance, shape ``(n,)``; frames with a sudden luminance change
        (flashes) are left out of the shake estimate.
    decoded
        Per-frame flag, shape ``(n,)``: False for a frame that repeats the previous one (not
        decoded). The change measured at the next decoded frame is spread over the gap.
    """
    n = diff.size
    if n == 0:
        return MotionSummary([], 0.0, [], 0.0, [], np.zeros(0), np.zeros((0, 2)))
    d = diff.astype(np.float64).copy()
    sh = shift.astype(np.float64).copy()
    if decoded is not None and decoded.size == n and not decoded.all():
        d, sh = _spread_over_gaps(d, sh, decoded)
    for c in [0, *(cut_frames or [])]:
        if 0 <= c < n:
            d[c] = d[c - 1] if c > 0 else (d[1] if n > 1 else 0.0)
            # No motion estimate across a cut: carry the camera's motion over.
            sh[c] = sh[c - 1] if c > 0 else (sh[1] if n > 1 else 0.0)
    if n >= 5:  # a failed match now and then: replace wild outliers by the local median
        pad = np.pad(sh, ((2, 2), (0, 0)), mode="edge")
        med = np.median(np.lib.stride_tricks.sliding_window_view(pad, 5, axis=0), axis=2)
        wild = np.abs(sh - med).max(axis=1) > 0.15
        sh[wild] = med[wild]
    energy = 1.0 - np.exp(-d / settings.energy_scale)
    seconds = int(np.ceil(n / fps))
    per_second = [
        round(float(energy[round(k * fps) : round((k + 1) * fps)].mean()), 3)
        for k in range(seconds)
        if round(k * fps) < n
    ]
    half_second = max(1, round(fps / 2))
    smooth = _smooth(d, half_second)
    static = [s for s in mask_to_spans(smooth < settings.static_level, fps)
              if s.duration >= settings.min_static]
    # Shake: what is left of the camera path after removing its smooth part. Robust to the
    # odd bad estimate (a flash, a cut, a wrap-around): a percentile, not a mean.
    if luma is not None and luma.size == n:
        jumps = np.abs(np.diff(luma, prepend=luma[:1])) > 0.05
        bad = np.flatnonzero(jumps | np.roll(jumps, 1))
        good = np.setdiff1d(np.arange(n), bad)
        if bad.size and good.size:
            for axis in (0, 1):
                sh[bad, axis] = np.interp(bad, good, sh[good, axis])
    # Within each shot: a smooth path or a shake window never reaches across a cut (the
    # last second of a steady shot is not shaky because the next one is).
    bounds = sorted({0, n, *(c for c in (cut_frames or []) if 0 < c < n)})
    jitter_pct = np.zeros(n)
    local = np.zeros(n)
    window = max(3, 2 * round(fps))
    for a, b in itertools.pairwise(bounds):
        seg = sh[a:b]
        smooth_path = np.stack([_smooth(seg[:, k], half_second) for k in (0, 1)], 1)
        jitter_pct[a:b] = 100.0 * np.sqrt(((seg - smooth_path) ** 2).sum(axis=1))
        pad = np.pad(jitter_pct[a:b], (window // 2, window - 1 - window // 2), mode="edge")
        local[a:b] = np.percentile(np.lib.stride_tricks.sliding_window_view(pad, window), 75,
                                   axis=1)
    shakiness = float(np.percentile(jitter_pct, 75))
    shaky = [s for a, b in itertools.pairwise(bounds)
             for s in mask_to_spans(local[a:b] > settings.shaky_percent, fps, offset=a / fps)
             if s.duration >= 1.0]
    return MotionSummary(per_second, float(energy.mean()), static, shakiness, shaky, energy, sh)
