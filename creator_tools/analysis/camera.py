"""The camera's own motion: where the picture's content sits over time, shot by shot.

The analysis measures the global translation between consecutive frames (phase correlation,
:mod:`creator_tools.analysis.video_features`). Summed within a shot it is the content's
displacement since the shot began: what a virtual camera must follow to hold a scene point
still (stabilization) and what separates the subject's place in the frame from its place in
the scene (reframing). Where the footage shakes the path is kept for every frame; elsewhere
a few samples a second describe it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from creator_tools.analysis.spans import Span

#: Samples per second of the path outside shaky stretches.
SPARSE_RATE = 5.0


@dataclass(frozen=True, slots=True)
class CameraPath:
    """Content displacement since each shot's start, at times ``t`` (seconds).

    ``x`` and ``y`` are fractions of the frame's width and height; content moving right or
    down grows them (the camera turning left or up). Each shot starts at 0. ``dense`` are the
    stretches sampled at every frame.
    """

    t: list[float]
    x: list[float]
    y: list[float]
    dense: list[Span]

    def at(self, times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The path at ``times`` (linear between samples; 0 without samples)."""
        if not self.t:
            return np.zeros(len(times)), np.zeros(len(times))
        t = np.asarray(self.t)
        return np.interp(times, t, self.x), np.interp(times, t, self.y)

    def to_dict(self) -> dict[str, object]:
        return {"t": [round(v, 4) for v in self.t], "x": [round(v, 5) for v in self.x],
                "y": [round(v, 5) for v in self.y], "dense": [s.to_dict() for s in self.dense]}

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> CameraPath:
        return cls(list(d["t"]), list(d["x"]), list(d["y"]),  # type: ignore[arg-type]
                   [Span(s["start"], s["end"]) for s in d["dense"]])  # type: ignore[union-attr,index]


def cumulative(shift: np.ndarray, *, starts: list[int]) -> np.ndarray:
    """Per-frame content displacement since the shot's start, shape ``(n, 2)``.

    ``shift`` is the frame-to-frame translation (fractions of the frame; the motion
    summary's, which spreads a skimmed decode's steps over the frames it skipped), ``starts``
    the first frames of shots: the sum restarts there.
    """
    n = shift.shape[0]
    if n == 0:
        return np.zeros((0, 2))
    steps = shift.astype(np.float64).copy()
    bounds = sorted({0, *(s for s in starts if 0 < s < n)})
    steps[bounds] = 0.0
    path = np.cumsum(steps, axis=0)
    for a, b in zip(bounds, [*bounds[1:], n], strict=True):
        path[a:b] -= path[a]
    return path


def camera_path(path: np.ndarray, *, fps: float, dense: list[Span],
                rate: float = SPARSE_RATE) -> CameraPath:
    """:class:`CameraPath` from per-frame displacements ``path`` (``(n, 2)``): every frame
    inside ``dense`` stretches, ``rate`` samples a second elsewhere."""
    n = path.shape[0]
    if n == 0:
        return CameraPath([], [], [], dense)
    keep = np.zeros(n, dtype=bool)
    keep[:: max(1, round(fps / rate))] = True
    keep[-1] = True
    for s in dense:
        keep[max(0, int(np.floor(s.start * fps))): min(n, int(np.ceil(s.end * fps)) + 1)] = True
    idx = np.flatnonzero(keep)
    return CameraPath([float(i / fps) for i in idx], [float(v) for v in path[idx, 0]],
                      [float(v) for v in path[idx, 1]], dense)


def frame_shifts(frames: Iterable[np.ndarray], *, min_response: float = 0.15) -> np.ndarray:
    """Frame-to-frame translation of grey frames (same size; any iterable, consumed as it
    comes, so a decode can feed it frame by frame), shape ``(n, 2)``, in fractions of the
    frame (the first row is 0; an unreliable match gives 0).

    The same measure as the analysis pass (phase correlation on Hann-windowed frames), for
    windows decoded frame by frame.
    """
    from creator_tools.analysis.opencv import import_cv2

    cv2 = import_cv2()
    rows: list[tuple[float, float]] = []
    prev = window = None
    w = h = 1
    for frame in frames:
        if window is None:
            h, w = frame.shape
            window = cv2.createHanningWindow((w, h), cv2.CV_32F)
        cur = frame.astype(np.float32) * window
        if prev is None:
            rows.append((0.0, 0.0))
        else:
            (dx, dy), response = cv2.phaseCorrelate(prev, cur)
            rows.append((dx / w, dy / h) if response >= min_response else (0.0, 0.0))
        prev = cur
    return np.array(rows, dtype=np.float64).reshape(-1, 2)
