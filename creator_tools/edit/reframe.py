"""Turn a subject track into a calm crop path: a still camera where one framing holds the
subject for the whole shot, else a dead zone, a speed limit and smoothing."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from creator_tools.analysis.spans import Span
from creator_tools.analysis.subject import TrackPoint


@dataclass(frozen=True, slots=True)
class CropGeometry:
    """Size of the crop window as fractions of the source (display) frame."""

    width: float
    height: float

    @classmethod
    def for_aspect(cls, src_w: int, src_h: int, out_w: int, out_h: int,
                   zoom: float = 1.0) -> CropGeometry:
        """The largest window of the output's aspect inside the source, tightened by ``zoom``."""
        target = out_w / out_h
        if src_w / src_h > target:  # source is wider: full height, narrower width
            w, h = src_h * target / src_w, 1.0
        else:
            w, h = 1.0, src_w / target / src_h
        return cls(w / zoom, h / zoom)


@dataclass(frozen=True, slots=True)
class CameraSettings:
    """How the virtual camera follows the subject."""

    #: The subject may wander this fraction of the crop width from centre before we pan.
    dead_zone: float = 0.12
    #: Fastest pan, in crop widths per second.
    max_speed: float = 0.6
    #: Smoothing time constant, seconds.
    tau: float = 0.35
    #: Keyframes closer than this to the straight line between neighbours are dropped.
    tolerance: float = 0.004
    #: A shot whose subject centre stays (5th to 95th percentile) within this fraction of
    #: the crop's width and height is framed by a still camera, as an editor would lock off
    #: the shot (AutoFlip's "stationary" mode): no drifting pans, and a still picture costs
    #: the encoder fewer bits. 0 turns it off.
    still_fit: float = 0.5


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


def _follow(t: np.ndarray, target: np.ndarray, half: float, s: CameraSettings,
            span: float) -> np.ndarray:
    """Camera centre over time: still inside the dead zone, speed-limited, then smoothed."""
    lo, hi = half, 1.0 - half
    cam = np.empty_like(target)
    cam[0] = np.clip(target[0], lo, hi)
    dz = s.dead_zone * span
    vmax = s.max_speed * span
    for i in range(1, target.size):
        dt = t[i] - t[i - 1]
        err = target[i] - cam[i - 1]
        move = 0.0
        if abs(err) > dz:
            move = float(np.clip(err - np.sign(err) * dz, -vmax * dt, vmax * dt))
        cam[i] = np.clip(cam[i - 1] + move, lo, hi)
    out = cam.copy()
    for rng in (range(1, cam.size), range(cam.size - 2, -1, -1)):
        for i in rng:
            j = i - 1 if rng.step == 1 else i + 1
            a = 1.0 - np.exp(-abs(t[i] - t[j]) / s.tau)
            out[i] = out[j] + a * (out[i] - out[j])
    return np.clip(out, lo, hi)


def _still_centre(x: np.ndarray, half: float, span: float, fit: float) -> float | None:
    """Centre of a still framing that holds the middle 90% of ``x``, or None if none does."""
    if half >= 0.5 - 1e-9:  # the crop spans this axis: nothing to frame
        return 0.5
    if fit <= 0:
        return None
    lo, hi = (float(v) for v in np.percentile(x, [5, 95]))
    if hi - lo > fit * span:
        return None
    return float(np.clip((lo + hi) / 2, half, 1.0 - half))


def crop_path(
    track: list[TrackPoint],
    geometry: CropGeometry,
    *,
    shots: list[Span],
    duration: float,
    settings: CameraSettings = CameraSettings(),
) -> list[tuple[float, float, float]]:
    """Keyframes ``(t, x, y)`` (seconds; crop centre in 0..1 of the source) for the crop.

    Each shot is framed on its own (the camera jumps at a cut, never pans across it): by a
    still camera when one framing holds the subject through the shot
    (:attr:`CameraSettings.still_fit`), else by a camera that follows it. Between keyframes
    the renderer interpolates linearly.
    """
    if not track:
        return [(0.0, 0.5, 0.5)]
    t_all = np.array([p.t for p in track])
    x_all = np.array([p.x for p in track])
    y_all = np.array([p.y for p in track])
    bounds = [s.start for s in shots] if shots else [0.0]
    ends = [s.end for s in shots] if shots else [duration]
    keys: list[tuple[float, float, float]] = []
    for a, b in zip(bounds, ends, strict=True):
        sel = (t_all >= a) & (t_all < b)
        if not sel.any():
            i = int(np.argmin(np.abs(t_all - a)))
            sel = np.zeros_like(sel)
            sel[i] = True
        t = np.concatenate([[a], t_all[sel], [max(a, b - 1e-3)]])
        x = np.concatenate([[x_all[sel][0]], x_all[sel], [x_all[sel][-1]]])
        y = np.concatenate([[y_all[sel][0]], y_all[sel], [y_all[sel][-1]]])
        hw, hh = geometry.width / 2, geometry.height / 2
        sx = _still_centre(x_all[sel], hw, geometry.width, settings.still_fit)
        sy = _still_centre(y_all[sel], hh, geometry.height, settings.still_fit)
        if sx is not None and sy is not None:
            keys += [(float(t[0]), round(sx, 4), round(sy, 4)),
                     (float(t[-1]), round(sx, 4), round(sy, 4))]
            continue
        cx = _follow(t, x, hw, settings, geometry.width)
        cy = _follow(t, y, hh, settings, geometry.height)
        idx = sorted(set(_simplify(t, cx, settings.tolerance))
                     | set(_simplify(t, cy, settings.tolerance)))
        keys += [(float(t[i]), round(float(cx[i]), 4), round(float(cy[i]), 4)) for i in idx]
    return keys
