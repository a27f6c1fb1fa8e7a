"""A smoothed subject track for reframing: faces first, else a thing held by its look, else
motion, else saliency."""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np

from creator_tools.analysis.spans import Span
from creator_tools.analysis.subject_locate import SubjectSample


@dataclass(frozen=True, slots=True)
class TrackPoint:
    """The subject at time ``t`` (seconds): its box's centre ``x``, ``y`` and size ``w``,
    ``h`` in 0..1 of the display frame (0 x 0: a point, nothing known of its extent), and the
    evidence it rests on (``kind``: ``face``, ``object``, ``motion``, ``saliency`` or
    ``held``)."""

    t: float
    x: float
    y: float
    w: float = 0.0
    h: float = 0.0
    kind: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"t": round(self.t, 3), "x": round(self.x, 4), "y": round(self.y, 4),
                "w": round(self.w, 4), "h": round(self.h, 4), "kind": self.kind}


@dataclass(frozen=True, slots=True)
class SubjectTrack:
    """The subject track and where it came from."""

    source: str  # "face", "object", "motion", "saliency", "mixed" or "none"
    faces_found: int
    track: list[TrackPoint]

    def to_dict(self) -> dict[str, object]:
        return {"source": self.source, "faces_found": self.faces_found,
                "track": [p.to_dict() for p in self.track]}


#: A face counts when the detector saw it at least this many times ...
FACE_SIGHTINGS = 3
#: ... within this many seconds either way, where a face could have moved between sightings
#: (:data:`MAX_SUBJECT_SPEED`, plus a fifth of the frame): the detector sees a face in texture
#: now and then, a real face is there again and again.
FACE_CONFIRM_WINDOW = 2.0


def _confirmed_faces(samples: list[SubjectSample]) -> list[SubjectSample]:
    """Faces detected :data:`FACE_SIGHTINGS` times near each other in time and place, and
    the faces followed by their look from such a detection; fewer sightings are noise."""
    seen = [s for s in samples if s.source == "face" and not s.tracked]

    def near(f: SubjectSample) -> int:
        return sum(abs(g.t - f.t) <= FACE_CONFIRM_WINDOW and np.hypot(g.x - f.x, g.y - f.y)
                   < 0.2 + MAX_SUBJECT_SPEED * abs(g.t - f.t) for g in seen)

    confirmed = [f for f in seen if near(f) >= FACE_SIGHTINGS]
    stamps = np.array([f.t for f in confirmed])
    followed = [s for s in samples if s.source == "face" and s.tracked and stamps.size and
                np.any((stamps <= s.t) & (s.t - stamps <= 2.0))]
    return sorted([*confirmed, *followed], key=lambda s: s.t)


def _together(faces: list[SubjectSample]) -> list[SubjectSample]:
    """Faces of a shot with two or more people in it, each sample's box grown to take in
    everyone: a person the detector misses for a moment is still there. People are the
    places where several faces were seen at once; a sample that already names one person
    (the one talking, :func:`_speakers`) keeps its box."""
    groups = [f for f in faces if len(f.faces) >= 2 and f.w > max(b[2] for b in f.faces) * 1.5]
    if len(groups) < 2:
        return faces
    x0 = float(np.median([f.x - f.w / 2 for f in groups]))
    x1 = float(np.median([f.x + f.w / 2 for f in groups]))
    y0 = float(np.median([f.y - f.h / 2 for f in groups]))
    y1 = float(np.median([f.y + f.h / 2 for f in groups]))
    out = []
    for f in faces:
        if len(f.faces) >= 2 and f.w <= max(b[2] for b in f.faces) * 1.01:
            out.append(f)  # narrowed to the one talking
            continue
        a0, a1 = min(x0, f.x - f.w / 2), max(x1, f.x + f.w / 2)
        b0, b1 = min(y0, f.y - f.h / 2), max(y1, f.y + f.h / 2)
        out.append(replace(f, x=(a0 + a1) / 2, y=(b0 + b1) / 2, w=a1 - a0, h=b1 - b0))
    return out


#: A face is the one talking when its mouth moved at least this much more than the others'
#: (the median over :data:`SPEAKER_WINDOW` seconds) while there is speech ...
SPEAKER_LEAD = 2.0
#: ... and at least this much (0..1).
SPEAKER_MIN = 0.04
SPEAKER_WINDOW = 1.5


def _speakers(faces: list[SubjectSample], speech: list[Span]) -> list[SubjectSample]:
    """Face samples of several people with the box narrowed to the one talking, where that is
    clear: while there is speech, one mouth moves markedly more than the others (the median
    over about a second and a half of samples with as many faces, told apart left to right).
    Where it is not clear, the box keeps them all: the camera frames both."""
    out = []
    for f in faces:
        if len(f.faces) < 2 or not any(s.start <= f.t < s.end for s in speech):
            out.append(f)
            continue
        near = [g for g in faces if abs(g.t - f.t) <= SPEAKER_WINDOW / 2
                and len(g.faces) == len(f.faces)]
        act = np.median([[b[4] for b in sorted(g.faces)] for g in near], axis=0)
        order = np.argsort(act)[::-1]
        top, second = float(act[order[0]]), float(act[order[1]])
        if top >= SPEAKER_MIN and top >= SPEAKER_LEAD * second:
            x, y, w, h, _ = sorted(f.faces)[int(order[0])]
            f = replace(f, x=x, y=y, w=w, h=h)
        out.append(f)
    return out


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


#: Smoothing time constant of a face's track (seconds), and of a thing held by its look (found
#: to the pixel: a dash across the frame must not be smoothed into a drift).
FACE_TAU = 0.15
OBJECT_TAU = 0.15
#: A held thing's samples hold the track this long either side (seconds: samples come three
#: times a second).
OBJECT_REACH = 0.5
#: A face detector's box covers the eyes to the mouth: the head, hair and chin the camera
#: must keep in view are this much bigger.
FACE_BOX_GROWTH = 1.4
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


#: The box of a held shot covers what moves in it, but for this share of its samples at each
#: side (a car that passes once at the frame's edge does not make the shot wide).
HELD_SPREAD_TRIM = 0.1


def _held_box(motion: list[SubjectSample], hold: tuple[float, float]
              ) -> tuple[float, float]:
    """The size (w, h) of a box around ``hold``, the point where a shot is held still, that
    covers where its motion samples' boxes lie (:data:`HELD_SPREAD_TRIM` of them trimmed at
    each side); 0 x 0 when the motion is everywhere or there is none. The camera shows a
    shot whose held box is bigger than its window whole, rather than hold on one of several
    things that move (and a crop the creator asked for still sits on the busiest)."""
    if not motion or _motion_everywhere(motion):
        return 0.0, 0.0
    x, y, w, h = np.array([(m.x, m.y, m.w, m.h) for m in motion]).T
    lo, hi = 100 * HELD_SPREAD_TRIM, 100 * (1 - HELD_SPREAD_TRIM)
    size = [max(0.0, 2 * max(c - float(np.percentile(mid - ext / 2, lo)),
                             float(np.percentile(mid + ext / 2, hi)) - c))
            for c, mid, ext in ((hold[0], x, w), (hold[1], y, h))]
    return size[0], size[1]


def _runs(sel: np.ndarray, kinds: np.ndarray) -> list[np.ndarray]:
    """``sel`` (indices in order) split where the kind of evidence changes."""
    if sel.size == 0:
        return []
    cuts = np.flatnonzero(kinds[sel][1:] != kinds[sel][:-1]) + 1
    return [r for r in np.split(sel, cuts) if r.size]


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
    speech: list[Span] | None = None,
) -> SubjectTrack:
    """Build a smoothed subject track.

    Within each shot a confirmed face wins, else a thing that moved and is held by its look
    (:meth:`SubjectLocator._hold`), else motion, else saliency; one-off outliers
    among the motion and saliency samples are voted down by their neighbours first. A shot
    with neither a face nor one moving subject (:func:`one_moving_subject`: only saliency,
    or motion spread everywhere or hopping between things) has nothing to follow: its track
    holds still where most of its evidence is (:func:`densest_point`; the centre when
    the motion is everywhere), as a camera operator would hold the frame, with a box over all
    that moves in it (:func:`_held_box`).

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
    speech
        When people talk: of several faces, the one talking is framed (:func:`_speakers`).
    """
    if not samples or duration <= 0:
        return SubjectTrack("none", 0, [])
    samples = sorted(samples, key=lambda s: s.t)  # a held thing's are back-dated
    times = np.arange(0.0, duration, 1.0 / rate)
    xs = np.full(times.size, 0.5)
    ys = np.full(times.size, 0.5)
    ws = np.zeros(times.size)
    hs = np.zeros(times.size)
    kinds = np.full(times.size, "", dtype=object)
    used: set[str] = set()
    reach = {"face": face_gap, "object": OBJECT_REACH, "motion": 1.0, "saliency": 1e9}
    spans = shots or [Span(0.0, duration)]
    n_faces = 0
    for shot in spans:
        # Evidence never crosses a cut: the subject of one shot says nothing about the next.
        inside = [s for s in samples if shot.start <= s.t < shot.end]
        faces = _together(_speakers(_confirmed_faces(inside), speech or []))
        n_faces += len(faces)
        rest = _despiked([s for s in inside if s.source in ("motion", "saliency")])
        by_source = {
            "face": faces,
            "object": [s for s in inside if s.source == "object"],
            "motion": [s for s in rest if s.source == "motion"],
            "saliency": [s for s in rest if s.source == "saliency"],
        }
        stamps = {k: np.array([s.t for s in v]) for k, v in by_source.items()}
        sel = np.flatnonzero((times >= shot.start) & (times < shot.end))
        moving = [s for s in inside if s.source == "motion"]
        if not faces and not by_source["object"] and rest and not one_moving_subject(moving):
            if sel.size:
                hold = _hold_point(rest, moving)
                xs[sel], ys[sel] = hold
                ws[sel], hs[sel] = _held_box(moving, hold)
                kinds[sel] = "held"
                used.update(s.source for s in rest)
            continue
        for k in sel:
            t = times[k]
            # The best kind of evidence near this moment wins: a face, else motion, else
            # saliency; between two observations of that kind, interpolate.
            for kind in ("face", "object", "motion", "saliency"):
                st = stamps[kind]
                if st.size and float(np.min(np.abs(st - t))) <= reach[kind]:
                    obs = by_source[kind]
                    grow = FACE_BOX_GROWTH if kind == "face" else 1.0
                    xs[k] = float(np.interp(t, st, [o.x for o in obs]))
                    ys[k] = float(np.interp(t, st, [o.y for o in obs]))
                    ws[k] = grow * float(np.interp(t, st, [o.w for o in obs]))
                    hs[k] = grow * float(np.interp(t, st, [o.h for o in obs]))
                    kinds[k] = kind
                    used.add(kind)
                    break
        # Smoothed run by run of one kind of evidence: a face's place is measured well and
        # needs little (a face at a turn must not be smoothed away), what moves needs more.
        for run in _runs(sel, kinds):
            k = {"face": FACE_TAU, "object": OBJECT_TAU}.get(kinds[run[0]], tau)
            for v in (xs, ys, ws, hs):
                v[run] = _smooth_segment(times[run], v[run], k)
    source = used.pop() if len(used) == 1 else ("mixed" if used else "none")
    track = [TrackPoint(float(t), float(np.clip(x, 0, 1)), float(np.clip(y, 0, 1)),
                        float(np.clip(w, 0, 1)), float(np.clip(h, 0, 1)), str(k))
             for t, x, y, w, h, k in zip(times, xs, ys, ws, hs, kinds, strict=True)]
    return SubjectTrack(source, n_faces, track)
