"""A smoothed subject track for reframing: faces first, else motion, else saliency."""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np

from creator_tools.analysis.spans import Span
from creator_tools.analysis.subject_locate import SubjectSample


@dataclass(frozen=True, slots=True)
class TrackPoint:
    """Subject centre at time ``t`` (seconds); ``x``, ``y`` in 0..1 of the display frame."""

    t: float
    x: float
    y: float

    def to_dict(self) -> dict[str, float]:
        return {"t": round(self.t, 3), "x": round(self.x, 4), "y": round(self.y, 4)}


@dataclass(frozen=True, slots=True)
class SubjectTrack:
    """The subject track and where it came from."""

    source: str  # "face", "motion", "saliency", "mixed" or "none"
    faces_found: int
    track: list[TrackPoint]

    def to_dict(self) -> dict[str, object]:
        return {"source": self.source, "faces_found": self.faces_found,
                "track": [p.to_dict() for p in self.track]}


def _confirmed_faces(samples: list[SubjectSample], max_gap: float) -> list[SubjectSample]:
    """Faces seen again nearby within ``max_gap`` seconds; a one-off detection is noise."""
    faces = [s for s in samples if s.source == "face"]
    keep = []
    for i, f in enumerate(faces):
        for j in (i - 1, i + 1):
            if 0 <= j < len(faces):
                g = faces[j]
                if abs(g.t - f.t) <= max_gap and np.hypot(g.x - f.x, g.y - f.y) < 0.2:
                    keep.append(f)
                    break
    return keep


def _despiked(samples: list[SubjectSample]) -> list[SubjectSample]:
    """Motion and saliency samples (in time order) with each position replaced by the median
    of it and its two neighbours: one blob picked wrongly (a reflection, a passing car) is
    outvoted by the samples around it, while a real move, seen twice or more, stands."""
    if len(samples) < 3:
        return samples
    xs = np.array([s.x for s in samples])
    ys = np.array([s.y for s in samples])
    out = []
    for i, s in enumerate(samples):
        lo, hi = max(0, i - 1), min(len(samples), i + 2)
        if hi - lo < 3:
            out.append(s)
            continue
        out.append(replace(s, x=float(np.median(xs[lo:hi])), y=float(np.median(ys[lo:hi]))))
    return out


#: A motion sample's subject must hold at least this share of all that moves (its weight).
MIN_MOTION_SHARE = 0.5
#: Frame sizes per second: a subject a viewer can follow takes well over a second to cross
#: the frame. Consecutive motion samples further apart than this are different things moving.
MAX_SUBJECT_SPEED = 0.6
#: A shot whose motion samples jump like that more often than this has no one subject.
MAX_HOP_FRACTION = 0.25


def _motion_everywhere(motion: list[SubjectSample]) -> bool:
    """Whether the picked subject usually holds under :data:`MIN_MOTION_SHARE` of all that
    moves (median weight): the motion is spread over the picture, not one thing's."""
    return float(np.median([s.weight for s in motion])) < MIN_MOTION_SHARE


def one_moving_subject(motion: list[SubjectSample]) -> bool:
    """Whether a shot's motion samples (in time order) look like one subject moving.

    They do when the picked subject usually holds most of the motion (median weight at least
    :data:`MIN_MOTION_SHARE`) and rarely jumps faster than :data:`MAX_SUBJECT_SPEED`
    between samples under a second apart. A zoom, a crowd or a moving pattern fails one or
    the other: the motion is everywhere, or the pick hops between things.
    """
    if len(motion) < 2 or _motion_everywhere(motion):
        return False
    pairs = hops = 0
    for a, b in pairwise(motion):
        dt = b.t - a.t
        if 0 < dt <= 1.0:
            pairs += 1
            hops += np.hypot(b.x - a.x, b.y - a.y) > MAX_SUBJECT_SPEED * dt
    return pairs > 0 and hops <= MAX_HOP_FRACTION * pairs


def densest_point(samples: list[SubjectSample], radius: float = 0.15) -> tuple[float, float]:
    """Where most of ``samples`` are: the median of those within ``radius`` (frame sizes) of
    the sample with the most such neighbours (of those nearly as crowded, the one nearest the
    median of all). For one cluster or an even spread that is about the median; for two
    (motion hopping between two people) it is the bigger one, not the empty middle."""
    step = max(1, len(samples) // 400)  # bounded work on very long shots
    xy = np.array([(s.x, s.y) for s in samples[::step]])
    near = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1]) <= radius
    count = near.sum(axis=1)
    crowded = np.flatnonzero(count >= 0.9 * count.max())
    gap = np.hypot(*(xy[crowded] - np.median(xy, axis=0)).T)
    x, y = np.median(xy[near[crowded[int(np.argmin(gap))]]], axis=0)
    return float(x), float(y)


def _hold_point(evidence: list[SubjectSample], motion: list[SubjectSample]
                ) -> tuple[float, float]:
    """Where a shot with nothing to follow is held: the frame's centre when most of the
    evidence is motion spread all over the picture (it says nothing about where to look: a
    zoom moves fastest at the edges), else where most of the evidence is."""
    if len(motion) * 2 >= len(evidence) and _motion_everywhere(motion):
        return 0.5, 0.5
    return densest_point(evidence)


def _smooth_segment(t: np.ndarray, v: np.ndarray, tau: float) -> np.ndarray:
    """Median of 3, then a forward-backward exponential smoother with time constant ``tau``."""
    if v.size >= 3:
        pad = np.pad(v, 1, mode="edge")
        v = np.median(np.lib.stride_tricks.sliding_window_view(pad, 3), axis=1)
    out = v.astype(np.float64).copy()
    for rng in (range(1, v.size), range(v.size - 2, -1, -1)):
        for i in rng:
            j = i - 1 if rng.step == 1 else i + 1
            a = 1.0 - np.exp(-abs(t[i] - t[j]) / tau)
            out[i] = out[j] + a * (out[i] - out[j])
    return out


def subject_track(
    samples: list[SubjectSample],
    *,
    duration: float,
    shots: list[Span],
    rate: float = 5.0,
    face_gap: float = 2.5,
    tau: float = 0.6,
) -> SubjectTrack:
    """Build a smoothed subject track.

    Within each shot a confirmed face wins, else motion, else saliency; one-off outliers
    among the motion and saliency samples are voted down by their neighbours first. A shot
    with neither a face nor one moving subject (:func:`one_moving_subject`: only saliency,
    or motion spread everywhere or hopping between things) has nothing to follow: its track
    holds still where most of its evidence is (:func:`densest_point`; the centre when
    the motion is everywhere), as a camera operator would hold the frame.

    Parameters
    ----------
    samples
        Subject observations in time order (faces, motion centroids, saliency centroids).
    duration
        Clip duration, seconds.
    shots
        Shots; smoothing restarts at each shot boundary (the subject may jump at a cut).
    rate
        Track points per second.
    face_gap
        A face holds the track for this long around its detections.
    tau
        Smoothing time constant, seconds.
    """
    if not samples or duration <= 0:
        return SubjectTrack("none", 0, [])
    times = np.arange(0.0, duration, 1.0 / rate)
    xs = np.full(times.size, 0.5)
    ys = np.full(times.size, 0.5)
    used: set[str] = set()
    reach = {"face": face_gap, "motion": 1.0, "saliency": 1e9}
    spans = shots or [Span(0.0, duration)]
    n_faces = 0
    for shot in spans:
        # Evidence never crosses a cut: the subject of one shot says nothing about the next.
        inside = [s for s in samples if shot.start <= s.t < shot.end]
        faces = _confirmed_faces(inside, face_gap)
        n_faces += len(faces)
        rest = _despiked([s for s in inside if s.source in ("motion", "saliency")])
        by_source = {
            "face": faces,
            "motion": [s for s in rest if s.source == "motion"],
            "saliency": [s for s in rest if s.source == "saliency"],
        }
        stamps = {k: np.array([s.t for s in v]) for k, v in by_source.items()}
        sel = np.flatnonzero((times >= shot.start) & (times < shot.end))
        moving = [s for s in inside if s.source == "motion"]
        if not faces and rest and not one_moving_subject(moving):
            if sel.size:
                xs[sel], ys[sel] = _hold_point(rest, moving)
                used.update(s.source for s in rest)
            continue
        for k in sel:
            t = times[k]
            # The best kind of evidence near this moment wins: a face, else motion, else
            # saliency; between two observations of that kind, interpolate.
            for kind in ("face", "motion", "saliency"):
                st = stamps[kind]
                if st.size and float(np.min(np.abs(st - t))) <= reach[kind]:
                    obs = by_source[kind]
                    xs[k] = float(np.interp(t, st, [o.x for o in obs]))
                    ys[k] = float(np.interp(t, st, [o.y for o in obs]))
                    used.add(kind)
                    break
        if sel.size:
            xs[sel] = _smooth_segment(times[sel], xs[sel], tau)
            ys[sel] = _smooth_segment(times[sel], ys[sel], tau)
    source = used.pop() if len(used) == 1 else ("mixed" if used else "none")
    track = [TrackPoint(float(t), float(np.clip(x, 0, 1)), float(np.clip(y, 0, 1)))
             for t, x, y in zip(times, xs, ys, strict=True)]
    return SubjectTrack(source, n_faces, track)
