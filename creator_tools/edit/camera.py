"""The virtual camera: one crop window that frames the subject and holds the picture still.

Each shot is framed on its own (the camera cuts with the edit, it never pans across a cut).
Within a shot the window's path is found offline, as an L1-optimal camera path (Grundmann,
Kwatra and Essa, "Auto-directed video stabilization with robust L1 optimal camera paths",
CVPR 2011): it minimises the path's total motion, acceleration and jerk, so it is made of
still stretches, steady pans and short eases between them, subject to

* the window staying inside the picture (the room left around it absorbs the shake: the path
  lives in scene coordinates, the camera's own motion from the analysis is added back), and
* the subject's whole box staying inside the middle of the window (a soft constraint: a
  subject that leaves it costs far more than moving the camera, so the camera moves, and,
  being planned over the whole shot, starts moving before the subject gets there).

A shot that shakes and has no room around the window in some direction gets a small zoom
(at most :attr:`CameraSettings.max_zoom`) that makes some. One linear program per shot and
axis, solved by HiGHS (:func:`scipy.optimize.linprog`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from creator_tools.analysis.camera import CameraPath
from creator_tools.analysis.spans import Span
from creator_tools.analysis.subject import TrackPoint
from creator_tools.edit.reframe import CropGeometry


@dataclass(frozen=True, slots=True)
class CameraSettings:
    """How the virtual camera frames and steadies (per-second weights of the path's cost)."""

    #: Cost of moving the window, per frame width (or height) travelled.
    motion: float = 1.0
    #: Cost of its acceleration (seconds): pans are steady, not nudged.
    acceleration: float = 0.004
    #: Cost of its jerk (seconds squared): pans ease in and out.
    jerk: float = 0.012
    #: Acceleration and jerk cost this many times more in a shot that shakes: there the window
    #: moves every frame anyway (it holds the picture still), and a change of pace left in its
    #: path reads as a jolt. On the benchmark's shaky shot this took the residual jitter from
    #: 17% of a naive crop's to 10% (the true shake's own floor: 8%).
    shaky_smoothing: float = 10.0
    #: Cost per second of each frame width the subject's box sticks out of the comfort zone.
    subject: float = 100.0
    #: Cost per second of each frame width the window's centre is off the subject's: only
    #: decides where a still window sits.
    centring: float = 0.02
    #: The comfort zone: the subject's box should stay within this fraction of the window
    #: around its centre (0.7: the middle 70%) ...
    comfort: float = 0.7
    #: ... less the distance the subject covers in this many seconds, where it moves: the
    #: track of a moving face lags and sits off the head around it (at 0.7 alone, a face
    #: walking at 0.3 frame widths a second touched the window's edge in 4% of frames).
    lead: float = 0.25
    #: The zone shrinks by at most this share for the subject's speed ...
    max_lead_share: float = 0.4
    #: ... and not for speeds below this (frame widths a second: a swaying or talking head).
    lead_from: float = 0.05
    #: A person too big for the comfort zone (a close-up) needs only this share of the
    #: window's half-size as a margin around their box: held to the zone, a face that fills
    #: 65% of the window cannot sway without the window swaying with it, which looks like a
    #: drift and costs the encoder (every block moves).
    close_up_margin: float = 0.15
    #: What moves and is not a person (a hand and arm with the cup) counts as at most this
    #: share of the window's width and height, around the box's centre.
    object_share: float = 0.7
    #: Hold the picture still (follow the camera's own motion), where the footage shakes.
    stabilize: bool = True
    #: The largest zoom that makes room to steady a shaky shot with none around the window.
    max_zoom: float = 1.08
    #: Path samples per second outside shaky stretches (those get every frame).
    rate: float = 5.0
    #: At most this many path samples per shot (a long shot gets a coarser grid).
    max_samples: int = 4000


@dataclass(frozen=True, slots=True)
class ShotFraming:
    """How one shot is framed: the window's centre over time (``keys``: seconds, x, y in
    0..1 of the source frame), the zoom that made room to steady it (1: none), and whether
    the subject fits the window (``False``: it is wider or taller than the window for much
    of the shot, as two people far apart are: a window would cut someone off)."""

    shot: Span
    keys: list[tuple[float, float, float]]
    zoom: float = 1.0
    fits: bool = True


#: A shot whose people are bigger than the window for more than this share of it does not
#: fit the window ...
MAX_OVERSIZE = 0.3
#: ... by more than this factor (a face's box takes in the whole head: a close-up may lose
#: its ears to a tight window without anyone being cut off).
FIT_SLACK = 1.3
#: A thing that moves (no face) does not fit when its box is wider or taller than the window
#: itself for more than :data:`MAX_OVERSIZE` of the shot: a moving box is tight around what
#: moves, so any part of it outside the window is cut off (box.mp4's box and cup.mp4's cup,
#: about as wide as a 9:16 window of a 4:3 picture, with the hand that moves them).
OBJECT_FIT_SLACK = 1.0


def frame_shots(track: list[TrackPoint], geometry: CropGeometry, *, shots: list[Span],
                duration: float, camera: CameraPath | None = None, fps: float = 30.0,
                settings: CameraSettings = CameraSettings()) -> list[ShotFraming]:
    """Plan the virtual camera, shot by shot (see the module's description).

    ``track`` is the subject's box over time, ``geometry`` the window's size (fractions of
    the source frame, before any steadying zoom), ``camera`` the camera's own motion and
    ``fps`` the source's frame rate (shaky stretches are planned at every frame).
    """
    spans = shots or [Span(0.0, duration)]
    cam = camera if camera is not None and settings.stabilize else None
    return [_frame_shot(track, geometry, s, cam, fps, settings) for s in spans
            if s.end > s.start]


def _frame_shot(track: list[TrackPoint], geometry: CropGeometry, shot: Span,
                camera: CameraPath | None, fps: float, s: CameraSettings) -> ShotFraming:
    shaky = camera is not None and any(d.start < shot.end and d.end > shot.start
                                       for d in camera.dense)
    step = 1.0 / fps if shaky else 1.0 / s.rate
    step = max(step, (shot.end - shot.start) / s.max_samples)
    t = np.arange(shot.start, shot.end, step)
    if t.size == 0 or t[-1] < shot.end - 1e-3:
        t = np.append(t, max(shot.start, shot.end - 1e-3))
    cx, cy = camera.at(t) if shaky and camera is not None else (np.zeros(t.size),) * 2
    inside = [p for p in track if shot.start <= p.t < shot.end]  # a cut ends the evidence
    if not inside and track:
        inside = [min(track, key=lambda p: abs(p.t - shot.start))]
    bx, by, bw, bh = _subject_at(inside, t, camera if shaky else None)
    kinds = _kind_at(inside, t)
    people = kinds == "face"
    things = (kinds == "object") | (kinds == "motion") | (kinds == "held")
    zoom = _steadying_zoom(geometry, cx, cy, step, s) if shaky else 1.0
    half_w, half_h = geometry.width / 2 / zoom, geometry.height / 2 / zoom
    # Someone bigger than the window (two people far apart), or a thing wider than it, would
    # be cut off: the shot does not fit. Where it fits most of the time, what moves is only
    # kept as whole as the window allows (a hand and arm swing with the cup).
    oversize = (people & _bigger(bw, bh, half_w, half_h, FIT_SLACK)) | \
        (things & _bigger(bw, bh, half_w, half_h, OBJECT_FIT_SLACK))
    cap = 2 * s.object_share
    bw = np.where(people, bw, np.minimum(bw, cap * half_w))
    bh = np.where(people, bh, np.minimum(bh, cap * half_h))
    if shaky:
        s = replace(s, acceleration=s.acceleration * s.shaky_smoothing,
                    jerk=s.jerk * s.shaky_smoothing)
    ux = _axis(t, cx, bx, bw, half_w, s, people)
    uy = _axis(t, cy, by, bh, half_h, s, people)
    tol = 0.2 / 1080 if shaky else 0.002
    keep = sorted(set(_simplify(t, ux, tol)) | set(_simplify(t, uy, tol)))
    return ShotFraming(shot, [(float(t[i]), round(float(ux[i]), 5), round(float(uy[i]), 5))
                              for i in keep], round(zoom, 4),
                       fits=float(oversize.mean()) <= MAX_OVERSIZE)


def _bigger(bw: np.ndarray, bh: np.ndarray, half_w: float, half_h: float, slack: float
            ) -> np.ndarray:
    """Where a box is bigger than the window by more than ``slack``, along an axis the
    window does not span."""
    return (((bw > 2 * half_w * slack) & (half_w < 0.5)) |
            ((bh > 2 * half_h * slack) & (half_h < 0.5)))


def _subject_at(track: list[TrackPoint], t: np.ndarray, camera: CameraPath | None = None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The subject's box (centre x, y and size w, h) at times ``t``; the frame's centre, a
    point, without a track.

    With the ``camera``'s motion, the centre is interpolated where the subject moves smoothly:
    in the scene (its frame position less the camera's at each track point), then put back
    in the frame at ``t``. Interpolated in the frame, a few track points a second would
    sample a 2-9 Hz shake and hand the window a wobble of their own.
    """
    if not track:
        return np.full(t.size, 0.5), np.full(t.size, 0.5), np.zeros(t.size), np.zeros(t.size)
    tt = np.array([p.t for p in track])
    x, y, w, h = (np.array([getattr(p, k) for p in track]) for k in ("x", "y", "w", "h"))
    if camera is None:
        return np.interp(t, tt, x), np.interp(t, tt, y), np.interp(t, tt, w), np.interp(t, tt, h)
    px, py = camera.at(tt)
    cx, cy = camera.at(t)
    return (np.interp(t, tt, x - px) + cx, np.interp(t, tt, y - py) + cy,
            np.interp(t, tt, w), np.interp(t, tt, h))


def _kind_at(track: list[TrackPoint], t: np.ndarray) -> np.ndarray:
    """The evidence of the track point nearest each time of ``t``."""
    if not track:
        return np.full(t.size, "", dtype=object)
    tt = np.array([p.t for p in track])
    i = np.clip(np.searchsorted(tt, t), 1, max(1, tt.size - 1))
    near = np.where(np.abs(tt[i - 1] - t) <= np.abs(tt[np.minimum(i, tt.size - 1)] - t),
                    i - 1, np.minimum(i, tt.size - 1))
    return np.array([track[int(k)].kind for k in near], dtype=object)


def _steadying_zoom(geometry: CropGeometry, cx: np.ndarray, cy: np.ndarray, step: float,
                    s: CameraSettings) -> float:
    """The zoom that leaves room around the window for the shake (the camera path's
    difference from its half-second average, 95th percentile), at most ``max_zoom``."""
    need = 1.0
    k = max(1, round(0.5 / step))
    for half, c in ((geometry.width / 2, cx), (geometry.height / 2, cy)):
        if c.size < 3:
            continue
        pad = np.pad(c, (k // 2, k - 1 - k // 2), mode="edge")
        shake = float(np.percentile(np.abs(c - np.convolve(pad, np.ones(k) / k, "valid")), 95))
        room = 0.5 - half
        if shake > room:  # half / z = 0.5 - shake
            need = max(need, half / max(0.5 - shake, 1e-3))
    return float(min(max(need, 1.0), s.max_zoom))


def _axis(t: np.ndarray, c: np.ndarray, centre: np.ndarray, size: np.ndarray, half: float,
          s: CameraSettings, people: np.ndarray | None = None) -> np.ndarray:
    """The window's centre along one axis at times ``t`` (0..1 of the frame).

    Solved in scene coordinates (the picture's content held still: frame position minus the
    camera's motion ``c``) and returned in frame coordinates. Where ``people`` is true the box
    is a person's: a close-up gets the zone its box needs plus a margin
    (:attr:`CameraSettings.close_up_margin`), up to the window.
    """
    n = t.size
    if half >= 0.5 - 1e-9:  # the window spans this axis: nowhere to move
        return np.full(n, 0.5)
    lo, hi = half - c, 1.0 - half - c  # the window inside the picture
    target = centre - c
    zone = np.full(n, s.comfort * half)
    if people is not None:
        close_up = np.minimum(size / 2 + s.close_up_margin * half, half)
        zone = np.where(people, np.maximum(zone, close_up), zone)
    zone = zone * (1.0 - _lead_share(t, target, half, s))
    # The zone [P - zone, P + zone] holds the box [target - size/2, target + size/2] when
    # lower <= P <= upper (a box wider than the zone cannot: the slack pays for it).
    upper = target - size / 2 + zone
    lower = target + size / 2 - zone
    if n < 4:
        return np.clip(np.clip(target, lo, hi) + c, half, 1.0 - half)
    dt = np.diff(t)
    w = np.concatenate([[dt[0]], 0.5 * (dt[:-1] + dt[1:]), [dt[-1]]])  # time per sample
    still = _still_framing(target, lower, upper, lo, hi, w, s)
    if still is not None:
        return np.clip(still + c, half, 1.0 - half)
    from scipy import sparse
    from scipy.optimize import linprog

    h = float(np.median(dt)) if dt.size else 1.0
    diff = [sparse.diags([-1.0, 1.0], [0, 1], shape=(n - 1, n)),
            sparse.diags([1.0, -2.0, 1.0], [0, 1, 2], shape=(n - 2, n)),
            sparse.diags([-1.0, 3.0, -3.0, 1.0], [0, 1, 2, 3], shape=(n - 3, n))]
    # Variables: P (n), |D1 P| (n-1), |D2 P| (n-2), |D3 P| (n-3), subject slack (n),
    # distance from the target (n).
    sizes = [n, n - 1, n - 2, n - 3, n, n]
    offsets = np.cumsum([0, *sizes])
    total = int(offsets[-1])

    def block(rows: int, parts: dict[int, object]) -> object:
        cols = [parts.get(k, sparse.csr_matrix((rows, sizes[k]))) for k in range(len(sizes))]
        return sparse.hstack(cols)

    eye = sparse.identity(n)
    a_ub, b_ub = [], []
    for k, d in enumerate(diff, start=1):  # -e <= D P <= e
        e = sparse.identity(d.shape[0])
        a_ub += [block(d.shape[0], {0: d, k: -e}), block(d.shape[0], {0: -d, k: -e})]
        b_ub += [np.zeros(d.shape[0]), np.zeros(d.shape[0])]
    # The subject's box inside the comfort zone, softly: P - s <= upper, -P - s <= -lower.
    a_ub += [block(n, {0: eye, 4: -eye}), block(n, {0: -eye, 4: -eye})]
    b_ub += [upper, -lower]
    # |P - target| <= distance
    a_ub += [block(n, {0: eye, 5: -eye}), block(n, {0: -eye, 5: -eye})]
    b_ub += [target, -target]
    cost = np.concatenate([
        np.zeros(n),
        np.full(n - 1, s.motion),
        np.full(n - 2, s.acceleration / h),
        np.full(n - 3, s.jerk / h**2),
        s.subject * w,
        s.centring * w,
    ])
    bounds = np.full((total, 2), np.nan)
    bounds[:n, 0], bounds[:n, 1] = lo, hi
    bounds[n:, 0] = 0.0
    result = linprog(cost, A_ub=sparse.vstack(a_ub).tocsr(), b_ub=np.concatenate(b_ub),
                     bounds=[(a, None if np.isnan(b) else b) for a, b in bounds],
                     method="highs")
    p = result.x[:n] if result.status == 0 else np.clip(target, lo, hi)
    return np.clip(p + c, half, 1.0 - half)


def _still_framing(target: np.ndarray, lower: np.ndarray, upper: np.ndarray, lo: np.ndarray,
                   hi: np.ndarray, w: np.ndarray, s: CameraSettings) -> np.ndarray | None:
    """The optimum of :func:`_axis`'s program when it is a window that holds still; ``None``
    when that is not known without solving it.

    Where one position keeps the box in the zone at every sample (within ``lower..upper``
    and the picture's ``lo..hi``), and the shot is short enough that following the subject
    cannot pay (``centring * T <= motion`` and ``<= subject * w_min``, ``T`` the shot's
    length), no path costs less than the best such position: the time-weighted median of
    the subject's centre, clipped to that interval. (Any path ``P`` costs at least
    ``motion * TV(P) + centring * sum(w |P - target|) + subject * sum(w slack)``; a position
    ``q`` in the interval and within ``P``'s range, or at the interval's edge nearest it,
    is within ``TV(P)`` plus one sample's slack of every ``P_i``, so holding it costs no
    more.)
    """
    a = max(float(np.max(lower)), float(np.max(lo)))
    b = min(float(np.min(upper)), float(np.min(hi)))
    span = float(np.sum(w))
    if a > b or s.centring * span > min(s.motion, s.subject * float(np.min(w))):
        return None
    order = np.argsort(target, kind="stable")
    cum = np.cumsum(w[order])
    median = float(target[order][int(np.searchsorted(cum, cum[-1] / 2))])
    return np.full(target.size, min(max(median, a), b))


def _lead_share(t: np.ndarray, target: np.ndarray, half: float, s: CameraSettings
                ) -> np.ndarray:
    """How much of the comfort zone the subject's speed takes (0..``max_lead_share``): the
    distance it covers in ``s.lead`` seconds at its speed above ``s.lead_from``, as a share of
    the zone. The speed is its net travel over a second around each time, which a shake or a
    sway (back and forth) does not add up to."""
    if t.size < 2 or s.lead <= 0:
        return np.zeros(t.size)
    before, after = np.maximum(t - 0.5, t[0]), np.minimum(t + 0.5, t[-1])
    travel = np.abs(np.interp(after, t, target) - np.interp(before, t, target))
    speed = travel / np.maximum(after - before, 1e-6)
    fast = np.maximum(speed - s.lead_from, 0.0)
    return np.minimum(fast * s.lead / (s.comfort * half), s.max_lead_share)


def _simplify(t: np.ndarray, v: np.ndarray, tol: float) -> list[int]:
    """Ramer-Douglas-Peucker on (t, v): indices of the points to keep."""
    keep = {0, len(t) - 1}
    stack = [(0, len(t) - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        seg = v[a] + (v[b] - v[a]) * (t[a + 1 : b] - t[a]) / max(t[b] - t[a], 1e-12)
        err = np.abs(v[a + 1 : b] - seg)
        i = int(np.argmax(err))
        if err[i] > tol:
            k = a + 1 + i
            keep.add(k)
            stack += [(a, k), (k, b)]
    return sorted(keep)
