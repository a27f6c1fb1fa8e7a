"""Shot boundaries: hard cuts at frame accuracy, gradual transitions as one event.

Two cues per frame pair: the change of the HSV histogram (what the picture is made of) and the
mean pixel change of a thumbnail (how much moved). A hard cut changes both at once and stands
out against the frames around it; a camera flash changes them and changes them back within a few
frames; a pan changes pixels but barely the histogram; a fade or dissolve changes the histogram a
little on each of many frames. Thresholds adapt to each clip's own level of change. Gradual
transitions are found as what they are: a fade passes through a blank picture, a dissolve's
frames are blends of the pictures at its ends.

A skimmed first pass (only reference frames decoded, see :class:`~creator_tools.media.decode.
VideoSpec`) cannot decide a cut: its pictures are a few frames apart (a change between two of
them is a cut, or the motion of several frames) and approximate (the P-frames that x264
predicts from its B-pyramid's reference B-frames decode without them). It only finds where a
cut may be; each such place, unless the evidence is overwhelming, is decoded again in full
and decided there by the very test a full decode applies, so skimming never changes the list.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

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
    #: Histogram change between the ends of a dissolve.
    transition_hist: float = 0.25
    #: Shortest and longest gradual transition, seconds.
    min_transition: float = 0.2
    max_transition: float = 2.5
    #: Skimmed first pass: a change above this fraction of every cut threshold (levels of
    #: change estimated per frame) is looked at again at the full frame rate.
    skim_maybe: float = 0.75
    #: Skimmed first pass: a change between consecutive decoded frames that clears every cut
    #: threshold by this factor (levels of change over the skipped frames included) is a cut
    #: without a second look.
    skim_sure: float = 1.3


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


class FrameFeatures(Protocol):
    """Per-frame features the cut test reads (a :class:`~creator_tools.analysis.video_features.
    VideoFeatures` has them)."""

    hist: np.ndarray
    diff: np.ndarray
    luma: np.ndarray
    decoded: np.ndarray
    blocks: np.ndarray


#: ``full_rate(ranges)``: the features of every frame of each ``[start, stop)`` range of frame
#: indices, decoded in full (no frame skipped); ``None`` for a range that cannot be decoded.
FullRate = Callable[[list[tuple[int, int]]], list[FrameFeatures | None]]


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
    full_rate: FullRate | None = None,
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
    full_rate
        For features of a skimming decode (``decoded`` has gaps): decodes stretches again in
        full, where a cut may be, so that the cuts are those a full decode finds. Without it
        the skimmed features are judged as they are.

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
    dh = _steps(hist)
    skimmed = decoded is not None and decoded.size == n and not decoded.all()
    if skimmed and full_rate is not None:
        assert decoded is not None
        cuts, flashes = _skim_cuts(hist, dh, diff, luma, blocks, decoded, fps, s, full_rate)
    else:
        cuts, flashes = _hard_cuts(hist, dh, diff, luma, blocks, decoded, fps, s)
    transitions = _gradual(hist, dh, luma, blocks, decoded, cuts, fps, s,
                           full_rate if skimmed else None)
    bounds = sorted([c / fps for c in cuts] + [(t.start + t.end) / 2 for t in transitions])
    edges = [0.0, *bounds, duration]
    shots = [Span(a, b) for a, b in itertools.pairwise(edges) if b > a]
    return ShotResult(shots, [c / fps for c in cuts], cuts, transitions, flashes)


def _steps(hist: np.ndarray) -> np.ndarray:
    """Histogram change from the previous frame, per frame (0 for the first)."""
    dh = np.zeros(hist.shape[0], dtype=np.float32)
    dh[1:] = hist_distance(hist[1:], hist[:-1])
    return dh


def _hard_cuts(hist: np.ndarray, dh: np.ndarray, diff: np.ndarray, luma: np.ndarray,
               blocks: np.ndarray | None, decoded: np.ndarray | None, fps: float,
               s: ShotSettings) -> tuple[list[int], list[float]]:
    """Hard cuts (first frame of each new shot) and flash times, from the features as given.

    A change into or out of a blank (black or white) picture, or within a few frames of one,
    is never a hard cut: it is the way into or out of a fade or a flash, which
    :func:`_dips` reports (or not) as a whole.
    """
    n = diff.size
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
    blank = _blank(luma, blocks)
    candidate &= ~_near(blank, before=3, after=2)
    # A hard cut is one frame of change; several big changes in a row are a fast fade or wipe.
    candidate &= _isolated(dh, luma, decoded, candidate, round(fps / 2))
    for i in np.flatnonzero(candidate):
        candidate[i] = not _fade_edge(luma, blank, int(i), radius)
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
    return cuts, flashes


def _ramping(lum: np.ndarray, gap: np.ndarray) -> np.ndarray:
    """Per decoded frame (``gap``: frames since the decoded one before): could the luminance
    move steadily one way, more than 0.005 a frame, from two decoded frames before it to two
    after (the middle of a fade, where the cut test sees no cut)?"""
    pad = np.pad(lum, 2, mode="edge")
    st = np.diff(pad) / np.pad(gap, (1, 2), mode="edge")  # per frame, into each position
    m = lum.size
    steps = np.stack([st[o : o + m] for o in range(4)])  # into frames i-1, i, i+1, i+2
    return np.all(steps > 0.005, axis=0) | np.all(steps < -0.005, axis=0)


def _fade_edge(luma: np.ndarray, blank: np.ndarray, i: int, reach: int) -> bool:
    """Is the change at frame ``i`` the last step of a ramp out of a blank picture, or the first
    of a ramp into one (within ``reach`` frames): a fade's edge, not a cut?"""
    n = luma.size
    d = np.sign(luma[i] - luma[i - 1])
    if d == 0:
        return False
    k = i - 1  # back, while the picture came steadily out of blank
    while k > 0 and i - k <= reach and not blank[k] and (luma[k] - luma[k - 1]) * d > 0:
        k -= 1
    if blank[k]:
        return True
    k = i  # on, while the picture goes steadily into blank
    while k + 1 < n and k - i < reach and not blank[k] and (luma[k + 1] - luma[k]) * d > 0:
        k += 1
    return bool(blank[k]) and k > i


def _skim_cuts(hist: np.ndarray, dh: np.ndarray, diff: np.ndarray, luma: np.ndarray,
               blocks: np.ndarray | None, decoded: np.ndarray, fps: float, s: ShotSettings,
               full_rate: FullRate) -> tuple[list[int], list[float]]:
    """The cuts a full decode finds, from a skimming decode's features and a second look.

    Each decoded frame's change spans the frames skipped before it: a cut there, or the motion
    of several frames. Where the change could be a cut (:attr:`ShotSettings.skim_maybe` of each
    threshold, with the shot's typical change estimated per frame and the motion of the skipped
    frames taken off), the stretch is decoded in full with the context the cut test reads on
    either side, and :func:`_hard_cuts` decides there. Only an overwhelming change between two
    consecutive decoded frames (:attr:`ShotSettings.skim_sure`) is taken as it is.
    """
    n = dh.size
    idx = np.flatnonzero(decoded)
    gap = np.diff(idx, prepend=idx[0] - 1).astype(np.float64)  # 1: the frame before decoded
    x, y = dh[idx].astype(np.float64), diff[idx].astype(np.float64)
    radius = max(3, round(fps / 2))
    r = max(3, round(radius * idx.size / n))
    # The shot's typical change per frame: at least a step's change shared out over its
    # frames (motion adds up, noise does not), at most the step's change as it is.
    low_h, low_p = _local_level(x / gap, r), _local_level(y / gap, r)
    high_h, high_p = _local_level(x, r), _local_level(y, r)
    # The change beyond the motion of the skipped frames (which adds up to a point).
    ex_h = x - np.minimum((gap - 1) * low_h, high_h)
    ex_p = y - np.minimum((gap - 1) * low_p, high_p)
    m, big = s.skim_maybe, s.skim_sure
    loose = _blank(luma, blocks, loose=True)  # blank, or so nearly that a full decode may be
    maybe = ((ex_h >= m * s.cut_hist) & (ex_h >= m * (s.cut_ratio * low_h + 0.02))
             & (ex_p >= m * s.cut_pixels) & (ex_p >= m * s.cut_ratio * low_p))
    maybe &= idx > 0
    pad = np.pad(x, 2)
    around = np.max(np.stack([pad[0:-4], pad[1:-3], pad[3:-1], pad[4:]]), axis=0)
    sure = (maybe & (gap == 1) & (x >= big * s.cut_hist)
            & (x >= big * (s.cut_ratio * high_h + 0.02)) & (y >= big * s.cut_pixels)
            & (y >= big * s.cut_ratio * high_p) & (around < 0.5 * x / big)
            & ~_near(loose, before=4, after=3)[idx] & ~_ramping(luma[idx], gap))
    # Nothing else that may be a cut (or a flash) close by, and not a flash itself.
    near = max(round(s.min_shot * fps), s.flash_frames) + 1
    maybe_at = idx[maybe]
    for j in np.flatnonzero(sure):
        c = int(idx[j])
        k = int(np.searchsorted(maybe_at, c))
        alone = ((k == 0 or c - maybe_at[k - 1] > near)
                 and (k + 1 >= maybe_at.size or maybe_at[k + 1] - c > near))
        if (not alone or _is_flash(hist, luma, c, s.flash_frames + 3, slack=1.5)
                or _fade_edge(luma[idx], loose[idx], int(j), r)):
            sure[j] = False
    firm = [int(c) for c in idx[sure]]
    doubt = [(int(c - g + 1), int(c)) for c, g in zip(idx[maybe & ~sure], gap[maybe & ~sure],
                                                       strict=True)]
    if not doubt:
        return firm, []
    # The context the cut test reads around a frame: the typical change (radius), a flash's
    # return, two calm frames and a luminance ramp on either side.
    ctx = max(radius, 3 * s.flash_frames) + 4
    windows: list[list[int]] = []
    for a, b in doubt:
        lo, hi = max(0, a - ctx), min(n, b + 1 + ctx)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    looked = full_rate([(a, b) for a, b in windows])
    cuts: list[int] = []
    flashes: list[float] = []
    decided = np.zeros(n, dtype=bool)
    for (a, _b), feats in zip(windows, looked, strict=True):
        got = 0 if feats is None else int(feats.diff.size)
        if got < 2:
            continue
        assert feats is not None
        end = a + got
        lo = a if a == 0 else a + ctx
        hi = n if end >= n else end - ctx
        if hi <= lo:
            continue
        found, flash = _hard_cuts(feats.hist, _steps(feats.hist), feats.diff, feats.luma,
                                  feats.blocks, feats.decoded, fps, s)
        cuts += [a + c for c in found if lo <= a + c < hi]
        flashes += [a / fps + f for f in flash if lo <= a + round(f * fps) < hi]
        decided[lo:hi] = True
    cuts += [c for c in firm if not decided[c]]
    if any(not decided[a : b + 1].all() for a, b in doubt):
        # A stretch that could not be decoded again: judge it on the skimmed features.
        rough, _ = _hard_cuts(hist, dh, diff, luma, blocks, decoded, fps, s)
        cuts += [c for c in rough if not decided[c] and c not in firm
                 and any(a <= c <= b for a, b in doubt)]
    merged: list[int] = []
    for c in sorted(set(cuts)):
        if merged and c - merged[-1] < s.min_shot * fps:
            if dh[c] > 2 * dh[merged[-1]]:
                merged[-1] = c
            continue
        merged.append(c)
    return merged, sorted(flashes)


def _isolated(dh: np.ndarray, luma: np.ndarray, decoded: np.ndarray | None,
              spikes: np.ndarray, reach: int) -> np.ndarray:
    """Frames whose change stands alone among the two decoded frames either side.

    Both sides calm: a cut. One side busy and the other calm: the way into or out of busy
    content (a strobe, cellular noise) is still a cut, unless the busy side is a steady ramp of
    luminance to or from black or white (a fast fade) or more spikes follow on the calm side
    within ``reach`` frames (the middle of a strobe). A change in the middle of a steady ramp
    of luminance, no bigger than its neighbours, is never a cut (a fade's picture crossing
    the histogram's brightness bins).
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
    e = 6  # padding: the farthest frame looked at on either side
    lum = np.pad(luma[idx], e, mode="edge")
    m = idx.size

    def steps(offsets: tuple[int, ...]) -> np.ndarray:
        """Luminance steps from frame ``i + o`` to ``i + o + 1``, for each offset ``o``."""
        return np.stack([lum[e + o + 1 : e + o + 1 + m] - lum[e + o : e + o + m]
                         for o in offsets])

    def monotone(st: np.ndarray) -> np.ndarray:
        return np.all(st > 0.005, axis=0) | np.all(st < -0.005, axis=0)

    def ramp(offsets: tuple[int, ...], seen: range) -> np.ndarray:
        """A steady luminance ramp over the given steps, to or from black or white (reached
        within the frames ``seen``)."""
        levels = np.stack([lum[e + o : e + o + m] for o in seen])
        extreme = (levels.min(axis=0) < 0.05) | (levels.max(axis=0) > 0.9)
        return monotone(steps(offsets)) & extreme

    ramp_before, ramp_after = ramp((-3, -2, -1), range(-e, 1)), ramp((0, 1, 2), range(0, e + 1))
    through = steps((-3, -2, -1, 0, 1, 2))
    others = np.abs(np.delete(through, 2, axis=0))
    steady = monotone(through) & (np.abs(through[2]) <= 2.5 * np.median(others, axis=0))
    csum = np.concatenate([[0], np.cumsum(spikes.astype(np.int32))])
    lo = np.clip(idx - reach, 0, n)
    hi = np.clip(idx + reach + 1, 0, n)
    spikes_before = (csum[idx] - csum[lo]) > 0
    spikes_after = (csum[hi] - csum[idx + 1]) > 0
    ok = ((calm_before & calm_after)
          | (calm_before & ~ramp_after & ~spikes_before)
          | (calm_after & ~ramp_before & ~spikes_after))
    out[idx] = ok & ~steady
    return out


def _is_flash(hist: np.ndarray, luma: np.ndarray, i: int, frames: int,
              slack: float = 1.0) -> bool:
    """Frame ``i`` jumped away from frame ``i-1`` but a frame soon after comes back to it, or
    frame ``i`` comes back to the picture of a few frames ago (the end of a flash). ``slack``
    above 1 loosens every test (a flash is then found where it only might be one)."""
    before = hist[i - 1]
    jump = float(hist_distance(hist[i], before))
    for k in range(max(0, i - frames - 1), i - 1):
        if float(hist_distance(hist[i], hist[k])) < 0.35 * slack * jump:
            return True
    for k in range(i + 1, min(i + 1 + frames, hist.shape[0])):
        if float(hist_distance(hist[k], before)) < 0.35 * slack * jump:
            return True
    # A flash that fades out slowly: much brighter, then luminance returns.
    if luma[i] > luma[i - 1] + 0.25 / slack:
        end = min(i + 3 * frames, luma.size)
        return bool(np.any(luma[i + 1 : end] < luma[i - 1] + 0.1 * slack))
    return False


def _gradual(hist: np.ndarray, dh: np.ndarray, luma: np.ndarray, blocks: np.ndarray | None,
             decoded: np.ndarray | None, cuts: list[int], fps: float, s: ShotSettings,
             full_rate: FullRate | None = None) -> list[Transition]:
    """Gradual transitions: fades through black or white, and dissolves (never over a hard
    cut: where the cut test found one, the stretch is two shots, not a blend of them).

    With ``full_rate`` (skimmed features), each dissolve is looked at again on its frames
    decoded in full: a skimmed picture drifts away from the true one until the next keyframe
    (see the module's notes), which can look like a slow blend.
    """
    n = dh.size
    order = np.flatnonzero(decoded) if decoded is not None and decoded.size == n else None
    fades = _dips(hist, luma, blocks, order, fps, s)
    found = [Transition(a / fps, b / fps, "fade") for a, b in fades]
    if blocks is not None:
        taken = np.zeros(n + 1, dtype=bool)
        for a, b in fades:
            taken[a : b + 1] = True
        taken[cuts] = True
        blends = _dissolves(hist, dh, blocks, taken, fps, s)
        if full_rate is not None and blends:
            blends = _confirm(blends, full_rate, n, s)
        found += [Transition(a / fps, b / fps, "dissolve") for a, b in blends]
    return sorted(found, key=lambda t: t.start)


def _confirm(blends: list[tuple[int, int]], full_rate: FullRate, n: int,
             s: ShotSettings) -> list[tuple[int, int]]:
    """The dissolves still blends on their frames decoded in full, edges placed on them."""
    ranges = [(max(0, a - 3 - (b - a) // 3), min(n, b + 4 + (b - a) // 3)) for a, b in blends]
    out: list[tuple[int, int]] = []
    for (lo, _hi), feats in zip(ranges, full_rate(ranges), strict=True):
        if feats is None or feats.diff.size < 4:
            continue
        blk = feats.blocks.astype(np.float32)
        t0, t1 = _ramp(blk, 0, blk.shape[0] - 1)
        if t1 - t0 < 2 or hist_distance(feats.hist[t0], feats.hist[t1]) < s.transition_hist:
            continue
        d = blk[t1] - blk[t0]
        rel = blk[t0 : t1 + 1] - blk[t0]
        share = (rel * d).sum(axis=1) / max(float((d * d).sum()), 1e-9)
        resid = np.abs(rel - share[:, None] * d).mean() / max(float(np.abs(d).mean()), 1e-9)
        t = np.arange(share.size)
        if resid <= 0.3 and np.corrcoef(t, share)[0, 1] >= 0.95:
            out.append((lo + t0, lo + t1))
    return out


#: A frame is blank when every block mean is below (black) or above (white) these, 0..1.
BLANK_BLACK = 0.06
BLANK_WHITE = 0.92


def _blank(luma: np.ndarray, blocks: np.ndarray | None, *, loose: bool = False) -> np.ndarray:
    """Per frame: is the picture blank, black or white all over? ``loose``: or nearly."""
    m = 1.25 if loose else 1.0
    if blocks is None:
        return (luma < 0.003 * m * m) | (luma > 1 - 0.05 * m)
    return ((blocks.max(axis=1) < BLANK_BLACK * m)
            | (blocks.min(axis=1) > 1 - (1 - BLANK_WHITE) * m))


def _near(flag: np.ndarray, *, before: int, after: int) -> np.ndarray:
    """Per frame: is ``flag`` set within ``before`` frames before it or ``after`` after it?"""
    n = flag.size
    pad = np.concatenate([np.zeros(before, bool), flag, np.zeros(after, bool)])
    windows = np.lib.stride_tricks.sliding_window_view(pad, before + after + 1)
    return windows.any(axis=1)[:n]


def _dips(hist: np.ndarray, luma: np.ndarray, blocks: np.ndarray | None,
          order: np.ndarray | None, fps: float, s: ShotSettings) -> list[tuple[int, int]]:
    """Fades through black or white, ``(last frame before, first frame after)``.

    A run of blank frames is a fade when it ramps gradually (three frames or more) into the
    blank picture or out of it, or when the pictures either side differ (a cut to black and
    one from it, which :func:`_hard_cuts` leaves to this). The same picture either side with
    a jump in and out is a flash. A run longer than :attr:`ShotSettings.max_transition` is a
    fade out and a fade in.
    """
    n = luma.size
    blank = _blank(luma, blocks)
    level = blocks.mean(axis=1) if blocks is not None else np.sqrt(luma)
    white = level > 0.5
    pos = np.arange(n) if order is None else order  # decoded frames only: ramps have no steps
    limit = round(s.max_transition * fps)
    out: list[tuple[int, int]] = []
    edges = np.diff(np.concatenate([[0], blank[pos].astype(np.int8), [0]]))
    for r0, r1 in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
        # Distance from the blank picture: brightness for black, darkness for white.
        away = 1.0 - level[pos] if white[pos[r0]] else level[pos]
        i = _walk(away, r0 - 1, -1) if r0 > 0 else -1
        j = _walk(away, r1, 1) if r1 < pos.size else pos.size
        a = int(pos[i]) if i >= 0 else 0
        b = int(pos[j]) if j < pos.size else n
        ramp_in, ramp_out = _ramps(away, i, r0 - 1), _ramps(away, j, r1)
        if b - a <= limit:
            differ = (i >= 0 and j < pos.size
                      and float(hist_distance(hist[a], hist[b])) >= s.transition_hist)
            if ramp_in or ramp_out or differ:
                out.append((a, b))
            continue
        if r0 > 0:  # a fade out, then a long blank
            out.append((a, int(pos[r0])))
        if r1 < pos.size:  # ... and a fade in
            out.append((int(pos[r1 - 1]), b))
    return out


def _walk(away: np.ndarray, i: int, step: int, tol: float = 0.002) -> int:
    """From position ``i`` next to a blank run, step away from it while the picture keeps
    moving away from blank (one frame that does not is allowed); the position reached is the
    first of the plateau: the picture before the fade out, or after the fade in."""
    n = away.size
    while 0 <= i + step < n:
        if away[i + step] > away[i] + tol:
            i += step
        elif 0 <= i + 2 * step < n and away[i + 2 * step] > away[i] + 2 * tol:
            i += 2 * step
        else:
            break
    return i


def _ramps(away: np.ndarray, plateau: int, edge: int) -> bool:
    """From the picture at ``plateau`` to the one at ``edge`` (next to a blank run), does the
    picture ramp to blank: three frames or more, no one step doing most of it?"""
    if not 0 <= plateau < away.size or abs(plateau - edge) < 2:
        return False
    lo, hi = min(plateau, edge), max(plateau, edge)
    steps = np.abs(np.diff(away[lo : hi + 1]))
    total = float(away[plateau])  # from the plateau all the way to blank (0)
    last = float(away[edge])  # the step into the blank run itself
    return total > 0 and max(float(steps.max()), last) <= 0.6 * total


#: Half-lengths (frames at 30 fps) of the stretches tried as dissolves: 0.2 to 1.4 s in all.
_DISSOLVE_HALVES = (3, 4, 6, 8, 11, 15, 20)


def _dissolves(hist: np.ndarray, dh: np.ndarray, blocks: np.ndarray, taken: np.ndarray,
               fps: float, s: ShotSettings) -> list[tuple[int, int]]:
    """Dissolves, ``(last frame of the first shot, first frame of the second)``.

    A stretch is a dissolve when each frame in it is a blend of the frames at its ends (block
    means mix linearly), the share of the second picture grows steadily from nothing to all of
    it, no single frame carries the change, the ends differ (:attr:`ShotSettings.
    transition_hist`), and the shots on either side change much less over the same time (a
    pan, a zoom, a hue drift or busy content change as much before and after). Stretches of
    ``taken`` frames (a fade, a hard cut) are left out.
    """
    n = blocks.shape[0]
    blk = blocks.astype(np.float32)
    halves = sorted({max(2, round(h * fps / 30)) for h in _DISSOLVE_HALVES})
    hits: list[tuple[int, int]] = []
    for L in halves:
        c = np.arange(3 * L + 3, n - 3 * L - 3)  # room to compare the shots either side
        if c.size == 0:
            continue
        a, b = c - L - 1, c + L + 1
        d = blk[b] - blk[a]
        span = np.abs(d).mean(axis=1)
        still = np.maximum(np.abs(blk[a] - blk[a - 2 * L - 2]).mean(axis=1),
                           np.abs(blk[b + 2 * L + 2] - blk[b]).mean(axis=1))
        ok = ((span >= 0.05) & (still <= 0.5 * span)
              & (hist_distance(hist[a], hist[b]) >= s.transition_hist))
        if not ok.any():
            continue
        c, a, d, span = c[ok], a[ok], d[ok], span[ok]
        norm = np.maximum((d * d).sum(axis=1), 1e-9)
        share = np.empty((c.size, 2 * L + 1))
        resid = np.empty((c.size, 2 * L + 1))
        for j, k in enumerate(range(-L, L + 1)):
            rel = blk[c + k] - blk[a]
            share[:, j] = (rel * d).sum(axis=1) / norm
            resid[:, j] = np.abs(rel - share[:, j, None] * d).mean(axis=1) / span
        t = np.arange(2 * L + 1) - L
        sc = share - share.mean(axis=1, keepdims=True)
        steady = (sc * t).sum(axis=1) / np.sqrt((sc * sc).sum(axis=1) * (t * t).sum() + 1e-12)
        steps = np.stack([dh[c + k] for k in range(-L, L + 2)], axis=1)
        good = ((resid.mean(axis=1) <= 0.3) & (steady >= 0.95) & (share[:, 0] <= 0.3)
                & (share[:, -1] >= 0.7) & (steps.max(axis=1) <= 0.5 * steps.sum(axis=1)))
        for ci in c[good]:
            if not taken[ci - L - 1 : ci + L + 2].any():
                hits.append((int(ci - L - 1), int(ci + L + 1)))
    out: list[tuple[int, int]] = []
    for a0, b0 in _union(sorted(hits)):
        if b0 - a0 > 2 * s.max_transition * fps:  # blends that go on and on: not one event
            continue
        t0, t1 = _ramp(blk, a0, b0)
        if s.min_transition * fps <= t1 - t0 <= s.max_transition * fps:
            out.append((t0, t1))
    return out


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping ``(a, b)`` spans (sorted) merged."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _ramp(blk: np.ndarray, a: int, b: int) -> tuple[int, int]:
    """Where the blend from frame ``a``'s picture to frame ``b``'s happens: the share of the
    second picture fitted (least squares) by 0 up to ``t0``, a line, and 1 from ``t1``."""
    d = blk[b] - blk[a]
    share = ((blk[a : b + 1] - blk[a]) * d).sum(axis=1) / max(float((d * d).sum()), 1e-9)
    t = np.arange(b - a + 1, dtype=np.float64)
    best, where = np.inf, (a, b)
    for t0 in range(b - a):
        t1 = t[t0 + 1 :, None]
        model = np.clip((t[None, :] - t0) / (t1 - t0), 0.0, 1.0)
        err = ((model - share[None, :]) ** 2).sum(axis=1)
        j = int(np.argmin(err))
        if err[j] < best:
            best, where = float(err[j]), (a + t0, a + t0 + 1 + j)
    return where


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
