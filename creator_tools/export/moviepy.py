"""An edit plan as a moviepy clip, for people who script their edits in Python.

This is the slow, flexible path: moviepy decodes and composites frame by frame in Python.
``creator render`` is the fast path (one ffmpeg encode); both follow the same plan, so they
agree on duration and frame count. Looks and loudness normalization are left to the fast path.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from creator_tools.edit.filtergraph import source_path_value, source_zoom
from creator_tools.edit.plan import EditPlan


def to_moviepy(plan: EditPlan) -> Any:
    """Build a ``moviepy`` clip that follows ``plan``: its cuts, crop path and output size.

    Returns
    -------
    moviepy.VideoClip
        Call ``.write_videofile(...)`` or compose it further. Close it when done.
    """
    from moviepy import VideoFileClip, concatenate_videoclips

    src = plan.source("main")
    base = VideoFileClip(src.path, audio=src.has_audio)
    fps = float(Fraction(plan.output.fps))
    parts = []
    for seg in plan.segments:
        a, b = plan.seconds(seg.start), plan.seconds(seg.end)
        part = base.subclipped(a, b)
        parts.append(_reframe(part, plan, seg.start))
    clip = concatenate_videoclips(parts, method="chain") if len(parts) > 1 else parts[0]
    return clip.with_fps(fps)


def _reframe(part: Any, plan: EditPlan, start_tick: int) -> Any:
    import cv2

    out_w, out_h = plan.output.width, plan.output.height
    mode = plan.reframe.mode

    def frame(get_frame: Any, t: float) -> np.ndarray:
        img = get_frame(t)
        h, w = img.shape[:2]
        if mode == "crop":
            from creator_tools.edit.reframe import CropGeometry

            tick = start_tick + round(t / float(plan.timebase))
            geo = CropGeometry.for_aspect(w, h, out_w, out_h,
                                          plan.reframe.zoom * source_zoom(plan, tick))
            cw, ch = int(round(geo.width * w)), int(round(geo.height * h))
            cx = source_path_value(plan, tick, "x") * w
            cy = source_path_value(plan, tick, "y") * h
            x0 = int(min(max(cx - cw / 2, 0), w - cw))
            y0 = int(min(max(cy - ch / 2, 0), h - ch))
            img = img[y0 : y0 + ch, x0 : x0 + cw]
            return cv2.resize(img, (out_w, out_h), interpolation=cv2.INTER_CUBIC)
        scale = min(out_w / w, out_h / h)
        fg = cv2.resize(img, (max(1, int(w * scale)), max(1, int(h * scale))),
                        interpolation=cv2.INTER_CUBIC)
        canvas = np.zeros((out_h, out_w, 3), dtype=np.uint8)
        if mode == "fill":
            bg = cv2.resize(img, (out_w, out_h), interpolation=cv2.INTER_AREA)
            canvas = cv2.blur(bg, (61, 61))
        y, x = (out_h - fg.shape[0]) // 2, (out_w - fg.shape[1]) // 2
        canvas[y : y + fg.shape[0], x : x + fg.shape[1]] = fg
        return canvas

    return part.transform(frame, apply_to=[])
