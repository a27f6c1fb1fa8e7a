"""Shot boundaries: hard cuts at frame accuracy, gradual transitions as one event.

Two cues per frame pair: the change of the HSV histogram (what the picture is made of) and the
mean pixel change of a thumbnail (how much moved). A hard cut changes both at once and stands
out against the frames around it; a camera flash changes them and changes them back within a few
frames; a pan changes pixels but barely the histogram; a fade or dissolve changes the histogram a
little on each of many frames. Thresholds adapt to each clip's own level of change.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from creator_tools.analysis.spans import Span


@dataclass(frozen=True, slots=True)
class ShotSettings:
    """Tuning of :func:`detect_shots` (defaults suit 25-60 fps footage)."""

    #: Minimum histogram change (0..1, half L1 distance) for a hard cut.
    cut_hist: float = 0.25
    #: A cut must exceed this multiple of the local typical change.
    cut_ratio: float = 3.0
    #: Minimum thumbnail change (0..1) for a hard cut.
    cut_pixels: float = 0.04
    #: Frames within which a return to the earlier picture marks a flash, not a cut.
    flash_frames: int = 4
    #: Minimum shot length in seconds (cuts closer than this keep the stronger one).
    min_shot: float = 0.25
    #: Histogram change between the ends of a transition window to call it a transition.
    transition_hist: float = 0.3
    #: Longest gradual transition, seconds.
    max_transition: float = 2.5


@dataclass(frozen=True, slots=True)
class Transition:
    """A gradual transition (fade, dissolve) from ``start`` to ``end``, seconds."""

    start: float
    end: float
    kind: str  # "fade" (through black or white) or "dissolve"

    def to_dict(self) -> dict[str, float | str]:
        return {"start": round(self.start, 3), "end": round(self.end, 3), "kind": self.kind}


@dataclass(frozen=True, slots=True)
class ShotResult:
    """Shots, hard cut times (first frame of the new shot), transitions and flash times."""

    shots: list[Span]
    cuts: list[float]
    cut_frames: list[int]
    transitions: list[Transition]
    flashes: list[float] = field(default_factory=list)


def hist_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Half L1 distance between normalised histograms (rows), 0 (same) .. 1 (disjoint)."""
    return 0.5 * np.abs(a - b).sum(axis=-1)


def _local_level(x: np.ndarray, radius: int) -> np.ndarray:
    """Typical value around each frame: median of a window that excludes the frame itself."""
    n = x.size
    pad = np.pad(x, radius, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(pad, 2 * radius + 1)
    windows = np.delete(windows, radius, axis=1)
    return np.median(windows, axis=1)[:n]


def detect_shots(
    hist: np.ndarray,
    diff: np.ndarray,
    luma: np.ndarray,
    *,
    fps: float,
    decoded: np.ndarray | None = None,
    blocks: np.ndarray | None = None,
    settings: ShotSettings = ShotSettings(),
) -> ShotResult:
    """Find hard cuts and gradual transitions.

    Parameters
    ----------
    hist
        Per-frame normalised HSV histograms, shape ``(n, bins)``.
    diff
        Per-frame thumbnail change from the previous frame, shape ``(n,)``, 0..1.
    luma
        Per-frame mean relative luminance, shape ``(n,)``, 0..1.
    fps
        Frame rate, frames per second.
    decoded
        Per-frame flag, shape ``(n,)``: False for frames that repeat the previous one (skipped
        by a skimming decode). Neighbourhood tests then look at the decoded frames only.
    blocks
        Per-frame block-mean colours, shape ``(n, k)``, 0..1: a dissolve's middle frame must be
        a blend of its ends.

    Returns
    -------
    ShotResult
        Shots cover ``[0, n / fps)`` without gaps; a transition's midpoint splits two shots.
    """
    n = diff.size
    duration = n / fps if fps else 0.0
    if n < 2:
        return ShotResult([Span(0.0, duration)] if n else [], [], [], [])
    s = settings
    dh = np.zeros(n, dtype=np.float32)
    dh[1:] = hist_distance(hist[1:], hist[:-1])
    radius = max(3, round(fps / 2))
    if decoded is not None and decoded.size == n and not decoded.all():
        # Typical change among decoded frames only: repeated frames are not "calm".
        idx = np.flatnonzero(decoded)
        r = max(3, round(radius * idx.size / n))
        level_h = np.zeros(n, dtype=np.float64)
        level_p = np.zeros(n, dtype=np.float64)
        level_h[idx] = _local_level(dh[idx], r)
        level_p[idx] = _local_level(diff[idx], r)
    else:
        level_h = _local_level(dh, radius)
        level_p = _local_level(diff, radius)
    candidate = (
        (dh >= s.cut_hist)
        & (dh >= s.cut_ratio * level_h + 0.02)
        & (diff >= s.cut_pixels)
        & (diff >= s.cut_ratio * level_p)
    )
    candidate[0] = False
    # A hard cut is one frame of change; several big changes in a row are a fast fade or wipe.
    candidate &= _isolated(dh, luma, decoded, candidate, round(fps / 2))
    cuts: list[int] = []
    flashes: list[float] = []
    for i in np.flatnonzero(candidate):
        if _is_flash(hist, luma, int(i), s.flash_frames):
            flashes.append(i / fps)
            continue
        if cuts and i - cuts[-1] < s.min_shot * fps:
            if dh[i] > 2 * dh[cuts[-1]]:  # the first big change wins unless much weaker
                cuts[-1] = int(i)
            continue
        cuts.append(int(i))
    # A flash shows as a spike in and a spike out: drop the "out" spike too.
    flash_frames = {round(f * fps) for f in flashes}
    cuts = [c for c in cuts if not any(0 < c - f <= s.flash_frames for f in flash_frames)]
    transitions = _transitions(hist, dh, luma, cuts, fps, s, blocks)
    bounds = sorted([c / fps for c in cuts] + [(t.start + t.end) / 2 for t in transitions])
    edges = [0.0, *bounds, duration]
    shots = [Span(a, b) for a, b in itertools.pairwise(edges) if b > a]
    return ShotResult(shots, [c / fps for c in cuts], cuts, transitions, flashes)


def _isolated(dh: np.ndarray, luma: np.ndarray, decoded: np.ndarray | None,
              spikes: np.ndarray, reach: int) -> np.ndarray:
    """Frames whose change stands alone among the two decoded frames either side.

    Both sides calm: a cut. One side busy and the other calm: the way into or out of busy
    content (a strobe, cellular noise) is still a cut, unless the busy side is a steady ramp of
    luminance (a fast fade) or more spikes follow on the calm side within ``reach`` frames
    (the middle of a strobe).
    """
    n = dh.size
    idx = np.flatnonzero(decoded) if decoded is not None and decoded.size == n else np.arange(n)
    out = np.zeros(n, dtype=bool)
    if idx.size == 0:
        return out
    vals = dh[idx]
    pad = np.pad(vals, 2)
    calm_before = np.maximum(pad[0:-4], pad[1:-3]) < 0.5 * vals
    calm_after = np.maximum(pad[3:-1], pad[4:]) < 0.5 * vals
    lum = np.pad(luma[idx], 3, mode="edge")
    m = idx.size

    def ramp(offsets: tuple[int, ...]) -> np.ndarray:
        """A steady luminance ramp to or from black or white over the given steps."""
        steps = np.stack([lum[3 + o + 1 : 3 + o + 1 + m] - lum[3 + o : 3 + o + m]
                          for o in offsets])
        levels = np.stack([lum[3 + o : 3 + o + m] for o in (*offsets, offsets[-1] + 1)])
        extreme = (levels.min(axis=0) < 0.05) | (levels.max(axis=0) > 0.9)
        return (np.all(steps > 0.005, axis=0) | np.all(steps < -0.005, axis=0)) & extreme

    ramp_before, ramp_after = ramp((-3, -2, -1)), ramp((0, 1, 2))
    csum = np.concatenate([[0], np.cumsum(spikes.astype(np.int32))])
    lo = np.clip(idx - reach, 0, n)
    hi = np.clip(idx + reach + 1, 0, n)
    spikes_before = (csum[idx] - csum[lo]) > 0
    spikes_after = (csum[hi] - csum[idx + 1]) > 0
    ok = ((calm_before & calm_after)
          | (calm_before & ~ramp_after & ~spikes_before)
          | (calm_after & ~ramp_before & ~spikes_after))
    out[idx] = ok
    return out


def _is_flash(hist: np.ndarray, luma: np.ndarray, i: int, frames: int) -> bool:
    """Frame ``i`` jumped away from frame ``i-1`` but a frame soon after comes back to it, or
    frame ``i`` comes back to the picture of a few frames ago (the end of a flash)."""
    before = hist[i - 1]
    jump = float(hist_distance(hist[i], before))
    for k in range(max(0, i - frames - 1), i - 1):
        if float(hist_distance(hist[i], hist[k])) < 0.35 * jump:
            return True
    for k in range(i + 1, min(i + 1 + frames, hist.shape[0])):
        if float(hist_distance(hist[k], before)) < 0.35 * jump:
            return True
    # A flash that fades out slowly: much brighter, then luminance returns.
    if luma[i] > luma[i - 1] + 0.25:
        end = min(i + 3 * frames, luma.size)
        return bool(np.any(luma[i + 1 : end] < luma[i - 1] + 0.1))
    return False


def _transitions(hist: np.ndarray, dh: np.ndarray, luma: np.ndarray, cuts: list[int],
                 fps: float, s: ShotSettings,
                 blocks: np.ndarray | None = None) -> list[Transition]:
    """Fades and dissolves: the picture a quarter second before differs from the one a quarter
    second after, with no hard cut between, and the change progresses steadily."""
    n = dh.size
    w = max(2, round(fps / 4))
    if n < 2 * w + 2:
        return []
    wide = np.zeros(n, dtype=np.float32)
    wide[w : n - w] = hist_distance(hist[2 * w :], hist[: n - 2 * w])
    active = wide > max(0.6 * s.transition_hist, 4 * float(np.median(wide[w : n - w])))
    for c in cuts:  # a hard cut is not part of a gradual transition
        active[max(0, c - w - 1) : c + w + 2] = False
    k = max(2, round(fps / 10))
    smooth = np.convolve(dh, np.ones(k) / k, mode="same")
    moving = smooth > 1.5 * float(np.median(dh[1:])) + 0.002
    out: list[Transition] = []
    edges = np.diff(np.concatenate([[0], active.astype(np.int8), [0]]))
    for a, b in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
        lo, hi = max(1, a - w), min(n - 1, b + w)
        inside = np.flatnonzero(moving[lo:hi])
        if inside.size == 0:
            continue
        start, end = lo + int(inside[0]), lo + int(inside[-1]) + 1
        if (end - start) / fps > s.max_transition or end - start < 3:
            continue
        before, after = start - 1, min(n - 1, end)
        change = float(hist_distance(hist[before], hist[after]))
        if change < s.transition_hist:
            continue
        # The shots on either side hold still compared with the transition (a hue drift or a
        # slow morph keeps changing at the same rate before and after).
        span = end - start
        drift = max(float(hist_distance(hist[max(0, before - span)], hist[before])),
                    float(hist_distance(hist[after], hist[min(n - 1, after + span)])))
        if drift > 0.5 * change:
            continue
        seg = dh[start:end]
        if seg.max() > 0.5 * seg.sum():  # one frame carries the change: not gradual
            continue
        # Through black (or white) to a different picture: a fade. Otherwise the change must
        # progress steadily from the first picture to the last one (a dissolve); busy content
        # (fire, crowds, cellular noise) changes as much but goes nowhere.
        dark = float(luma[start:end].min()) < 0.01 or float(luma[start:end].max()) > 0.9
        steps = np.diff(luma[before : after + 1])
        signs = np.sign(steps[np.abs(steps) > 0.05])
        if np.count_nonzero(np.diff(signs)) > 2:  # flickers back and forth: a strobe
            continue
        idx = np.arange(before, after + 1)
        progress = hist_distance(hist[idx], hist[before]) - hist_distance(hist[idx], hist[after])
        blended = blocks is None or _is_mixture(blocks[before], blocks[(start + end) // 2],
                                                 blocks[after])
        if not dark and (np.corrcoef(idx, progress)[0, 1] < 0.9 or not blended):
            continue
        out.append(Transition(start / fps, end / fps, "fade" if dark else "dissolve"))
    return _merge_fades(out, luma, fps)


def _is_mixture(a: np.ndarray, mid: np.ndarray, b: np.ndarray) -> bool:
    """Is picture ``mid`` close to a blend of ``a`` and ``b`` (a dissolve) rather than a third
    picture (a hue shift, a morph)? Compared on block-mean colours, which blend linearly."""
    span = float(np.abs(a - b).mean())
    best = min(float(np.abs(mid - (w * a + (1 - w) * b)).mean()) for w in np.linspace(0, 1, 21))
    return best < 0.35 * span


def _merge_fades(found: list[Transition], luma: np.ndarray, fps: float) -> list[Transition]:
    """A fade out, a moment of black, and a fade in are one transition."""
    merged: list[Transition] = []
    for t in found:
        prev = merged[-1] if merged else None
        if prev and prev.kind == t.kind == "fade" and t.start - prev.end < 0.75:
            gap = luma[round(prev.end * fps) : round(t.start * fps) + 1]
            if gap.size == 0 or float(gap.max()) < 0.03 or float(gap.min()) > 0.85:
                merged[-1] = Transition(merged[-1].start, t.end, "fade")
                continue
        merged.append(t)
    return merged


def with_cuts(result: ShotResult, cut_frames: list[int], *, fps: float, n: int) -> ShotResult:
    """``result`` with its hard cuts moved to ``cut_frames`` (shots rebuilt around them)."""
    cuts = sorted(set(cut_frames))
    bounds = sorted([c / fps for c in cuts]
                    + [(t.start + t.end) / 2 for t in result.transitions])
    edges = [0.0, *bounds, n / fps]
    shots = [Span(a, b) for a, b in itertools.pairwise(edges) if b > a]
    return ShotResult(shots, [c / fps for c in cuts], cuts, result.transitions, result.flashes)


def shot_stats(shots: list[Span], duration: float) -> dict[str, float]:
    """Cuts per minute, average and longest shot (seconds)."""
    if not shots or duration <= 0:
        return {"cuts_per_minute": 0.0, "average_shot": 0.0, "longest_shot": 0.0}
    lengths = [sh.duration for sh in shots]
    return {
        "cuts_per_minute": round((len(shots) - 1) * 60.0 / duration, 2),
        "average_shot": round(float(np.mean(lengths)), 3),
        "longest_shot": round(float(np.max(lengths)), 3),
    }
