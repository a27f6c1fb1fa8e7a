"""Measures shared by the tests and the benchmarks (``from tests.measure import ...``).

* :func:`residual_jitter`: how much a video still shakes (the real-footage issue's measure);
* :func:`window_boxes`, :func:`share_inside`, :func:`camera_moves`: the virtual camera's
  window from a plan, against known subject boxes (the reframing issue's measures);
* detectors for the real footage of ``../shared/media`` (:func:`haar_faces`,
  :func:`dark_area`, :func:`yellow_area`, :func:`motion_subject`, :func:`patch_found`), run
  on the source and on the output alike, and :func:`output_scale` to compare their areas.

Everything here reads pixels or the plan; nothing calls the code under test's own estimates
of where the subject is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from creator_tools.media.decode import iter_frames


def rttm_turns(path: str | Path) -> list[tuple[float, float]]:
    """The union of the speaker turns of an RTTM file: sorted ``(start, end)`` seconds,
    overlapping turns merged."""
    turns = []
    for line in Path(path).read_text().splitlines():
        fields = line.split()
        if fields and fields[0] == "SPEAKER":
            start, dur = float(fields[3]), float(fields[4])
            turns.append((start, start + dur))
    merged: list[list[float]] = []
    for a, b in sorted(turns):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


#: Width the jitter is measured at (the analysis's own width).
JITTER_WIDTH = 320
#: The moving average removed from the per-frame translation: the camera's intended motion.
JITTER_WINDOW_S = 0.5


# ---------------------------------------------------------------------------------------
# Residual jitter
# ---------------------------------------------------------------------------------------

def _fps(path: str | Path) -> float:
    from creator_tools.media.probe import probe

    v = probe(path).video
    assert v is not None, path
    return float(v.fps)


def frame_steps(path: str | Path, start: float = 0.0, end: float | None = None, *,
                width: int = JITTER_WIDTH) -> np.ndarray:
    """Per frame of ``[start, end)`` seconds, the global translation from the frame before, in
    percent of the frame (x of its width, y of its height), shape ``(n - 1, 2)``.

    Phase correlation (OpenCV) of grey frames ``width`` pixels wide, each multiplied by a Hann
    window; every match is kept, however weak.
    """
    import cv2

    fps = _fps(path)
    count = None if end is None else max(0, round((end - start) * fps))
    prev = None
    window = None
    out = []
    for f in iter_frames(path, width=width, pix_fmt="gray", start=start or None,
                         frames=count):
        g = f.image.astype(np.float32)
        if window is None:
            window = cv2.createHanningWindow((g.shape[1], g.shape[0]), cv2.CV_32F)
        g = g * window
        if prev is not None:
            (dx, dy), _ = cv2.phaseCorrelate(prev, g)
            out.append((100.0 * dx / g.shape[1], 100.0 * dy / g.shape[0]))
        prev = g
    return np.array(out, dtype=np.float64).reshape(-1, 2)


def jitter_residuals(steps: np.ndarray, fps: float, window_s: float = JITTER_WINDOW_S
                     ) -> np.ndarray:
    """Lengths of ``steps`` minus their centred moving average over ``window_s`` (edges
    padded with the end values), one per step."""
    if steps.shape[0] == 0:
        return np.zeros(0)
    k = max(1, round(window_s * fps))
    pad = np.pad(steps, ((k // 2, k - 1 - k // 2), (0, 0)), mode="edge")
    kernel = np.ones(k) / k
    avg = np.stack([np.convolve(pad[:, i], kernel, "valid") for i in range(2)], axis=1)
    return np.hypot(*(steps - avg).T)


def residual_jitter(path: str | Path, ranges: Sequence[tuple[float, float]] | None = None
                    ) -> float:
    """Residual jitter of ``path`` (or of its ``ranges``, seconds; each measured on its own
    and pooled): per frame, the global frame-to-frame translation in percent of the frame
    (:func:`frame_steps`), minus its 0.5 s moving average, RMS of the vector's length."""
    fps = _fps(path)
    spans = list(ranges) if ranges is not None else [(0.0, None)]
    res = [jitter_residuals(frame_steps(path, a, b), fps) for a, b in spans]
    allr = np.concatenate(res) if res else np.zeros(0)
    return float(np.sqrt(np.mean(allr**2))) if allr.size else 0.0


# ---------------------------------------------------------------------------------------
# The virtual camera's window, from a plan
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Windows:
    """Per asked tick: the layout (``crop``, ``fill``...), the crop window's box
    ``x0, y0, x1, y1`` (fractions of the source frame, as the renderer cuts it: even pixel
    sizes, clamped inside the picture) and its centre before clamping."""

    mode: list[str]
    box: np.ndarray  # (n, 4)
    centre: np.ndarray  # (n, 2)


def window_boxes(plan: object, ticks: Iterable[int], src_w: int, src_h: int) -> Windows:
    """Where the crop window of ``plan`` (an :class:`~creator_tools.edit.plan.EditPlan`) sits
    at each source tick; ``src_w`` x ``src_h`` is the displayed source size."""
    from creator_tools.edit.filtergraph import source_path_value, source_zoom
    from creator_tools.edit.reframe import CropGeometry

    r = plan.reframe  # type: ignore[attr-defined]
    out = plan.output  # type: ignore[attr-defined]
    geo = CropGeometry.for_aspect(src_w, src_h, out.width, out.height, r.zoom)

    def even(x: float) -> int:
        return max(2, int(round(x / 2)) * 2)

    modes, boxes, centres = [], [], []
    for t in ticks:
        mode = r.mode_at(t) if hasattr(r, "mode_at") else r.mode
        z = source_zoom(plan, t)
        cw = min(even(geo.width * src_w / z), src_w - src_w % 2)
        ch = min(even(geo.height * src_h / z), src_h - src_h % 2)
        cx = source_path_value(plan, t, "x") * src_w
        cy = source_path_value(plan, t, "y") * src_h
        x0 = min(max(cx - cw / 2, 0.0), src_w - cw)
        y0 = min(max(cy - ch / 2, 0.0), src_h - ch)
        modes.append(mode)
        boxes.append((x0 / src_w, y0 / src_h, (x0 + cw) / src_w, (y0 + ch) / src_h))
        centres.append((cx / src_w, cy / src_h))
    return Windows(modes, np.array(boxes).reshape(-1, 4), np.array(centres).reshape(-1, 2))


def inside(windows: Windows, boxes: np.ndarray, tol: float = 0.0) -> np.ndarray:
    """Per row: the subject box ``x0, y0, x1, y1`` (fractions) lies whole inside the window,
    within ``tol``; a shot shown whole (``fill``, ``letterbox``, ``none``) holds it."""
    w = windows.box
    ok = ((boxes[:, 0] >= w[:, 0] - tol) & (boxes[:, 1] >= w[:, 1] - tol)
          & (boxes[:, 2] <= w[:, 2] + tol) & (boxes[:, 3] <= w[:, 3] + tol))
    whole = np.array([m != "crop" for m in windows.mode], dtype=bool)
    return ok | whole


def share_inside(plan: object, ticks: Sequence[int], boxes: np.ndarray, src_w: int,
                 src_h: int, tol: float = 0.0) -> float:
    """Share of ``ticks`` at which the subject box (one row of ``boxes`` per tick) lies whole
    inside the crop window of ``plan``."""
    if not len(ticks):
        return 1.0
    return float(inside(window_boxes(plan, ticks, src_w, src_h), boxes, tol).mean())


#: A "move" of the camera: a maximal run of frames whose window centre moves by more than
#: this (fractions of the frame) from the frame before.
MOVE_STEP = 0.002


def camera_moves(plan: object, start: int, end: int, src_w: int, src_h: int,
                 step: float = MOVE_STEP) -> int:
    """How many times the window moves within source ticks ``[start, end)`` (one shot): the
    maximal runs of frames where its centre changes by more than ``step`` per frame."""
    ticks = list(range(start, end))
    if len(ticks) < 2:
        return 0
    c = window_boxes(plan, ticks, src_w, src_h).box
    centre = np.stack([(c[:, 0] + c[:, 2]) / 2, (c[:, 1] + c[:, 3]) / 2], axis=1)
    moving = np.hypot(*np.diff(centre, axis=0).T) > step
    return int(np.count_nonzero(moving[1:] & ~moving[:-1]) + int(moving[0]))


def output_ranges(plan: object, start: int, end: int) -> list[tuple[float, float]]:
    """The output's time ranges (seconds) that show source ticks ``[start, end)``."""
    out, offset = [], 0
    for seg in plan.segments:  # type: ignore[attr-defined]
        a, b = max(seg.start, start), min(seg.end, end)
        if b > a:
            out.append((plan.seconds(offset + a - seg.start),  # type: ignore[attr-defined]
                        plan.seconds(offset + b - seg.start)))  # type: ignore[attr-defined]
        offset += seg.end - seg.start
    return out


def source_ranges(plan: object, start: int, end: int) -> list[tuple[float, float]]:
    """The source's time ranges (seconds) kept by the plan within ticks ``[start, end)``."""
    out = []
    for seg in plan.segments:  # type: ignore[attr-defined]
        a, b = max(seg.start, start), min(seg.end, end)
        if b > a:
            out.append((plan.seconds(a), plan.seconds(b)))  # type: ignore[attr-defined]
    return out


def output_scale(plan: object, tick: int, src_w: int, src_h: int) -> float:
    """Output pixels per source pixel at source tick ``tick``: the crop window scaled to the
    output, or the whole picture fitted into it (fill, letterbox)."""
    win = window_boxes(plan, [tick], src_w, src_h)
    out = plan.output  # type: ignore[attr-defined]
    if win.mode[0] == "crop":
        return out.height / ((win.box[0, 3] - win.box[0, 1]) * src_h)
    return min(out.width / src_w, out.height / src_h)


# ---------------------------------------------------------------------------------------
# Detectors for real footage (run alike on the source's frames and the output's)
# ---------------------------------------------------------------------------------------

_CASCADES: dict[str, object] = {}


def haar_faces(gray: np.ndarray, *, min_size: int = 24, cascade: str =
               "haarcascade_frontalface_default.xml") -> list[tuple[int, int, int, int]]:
    """OpenCV's Haar frontal faces ``(x, y, w, h)`` in a grey uint8 image."""
    import cv2

    if cascade not in _CASCADES:
        _CASCADES[cascade] = cv2.CascadeClassifier(str(Path(cv2.data.haarcascades) / cascade))
    c = _CASCADES[cascade]
    found = c.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5,  # type: ignore[attr-defined]
                               minSize=(min_size, min_size))
    return [tuple(int(v) for v in r) for r in found]  # type: ignore[misc]


def dark_area(rgb: np.ndarray, *, below: float = 0.8, level: int = 25) -> float:
    """Near-black pixels (mean of RGB under ``level``) in the top ``below`` of the picture,
    counted in this image's pixels: the cup of cup.mp4 (see ``_cup_centre`` in
    tests/test_subject.py: the only near-black thing above the table)."""
    g = rgb.mean(axis=2)
    return float(np.count_nonzero(g[: int(below * g.shape[0])] < level))


def yellow_area(rgb: np.ndarray) -> float:
    """Strongly saturated yellow-orange pixels, after a 3x3 opening: the printed box of
    box.mp4 (checked by eye with the mask drawn over frames every 1.5 s: it covers the box's
    lid and sides, not the arm, the table or the pen)."""
    import cv2

    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    m = ((hsv[..., 0] >= 12) & (hsv[..., 0] <= 35) & (hsv[..., 1] >= 120)
         & (hsv[..., 2] >= 120)).astype(np.uint8)
    m = cv2.morphologyEx(m, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    return float(np.count_nonzero(m))


def motion_subject(prev: np.ndarray, cur: np.ndarray, *, level: float = 18.0
                   ) -> tuple[tuple[int, int, int, int], float] | None:
    """The largest thing that moved between two grey float32 frames once the camera's own
    translation (phase correlation) is taken out: its box ``(x, y, w, h)`` and its share of
    the frame; ``None`` when nothing moved."""
    import cv2

    h, w = cur.shape
    win = cv2.createHanningWindow((w, h), cv2.CV_32F)
    (dx, dy), _ = cv2.phaseCorrelate(prev * win, cur * win)
    m = np.float32([[1, 0, dx], [0, 1, dy]])
    aligned = cv2.warpAffine(prev, m, (w, h), borderMode=cv2.BORDER_REPLICATE)
    diff = cv2.GaussianBlur(np.abs(cur - aligned), (0, 0), 1.5)
    mask = (diff > level).astype(np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    if n < 2:
        return None
    j = 1 + int(np.argmax(stats[1:, 4]))
    x, y, bw, bh, area = (int(v) for v in stats[j])
    return (x, y, bw, bh), area / float(w * h)


def patch_found(frame: np.ndarray, patch: np.ndarray, *, level: float = 0.7) -> bool:
    """Whether ``patch`` (grey, at ``frame``'s scale) appears whole in ``frame``: the best
    normalized cross-correlation over all positions reaches ``level``."""
    import cv2

    if patch.shape[0] > frame.shape[0] or patch.shape[1] > frame.shape[1] or patch.size < 16:
        return False
    score = cv2.matchTemplate(frame.astype(np.float32), patch.astype(np.float32),
                              cv2.TM_CCOEFF_NORMED)
    return float(score.max()) >= level
