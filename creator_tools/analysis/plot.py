"""A pacing timeline as a PNG: audio level with speech and silence, shots and cuts, motion,
beats and the hook window, with a legend. Drawn with OpenCV (no plotting library needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from creator_tools.analysis.result import Analysis
from creator_tools.text import plural

_BG = (24, 24, 28)
_GRID = (60, 60, 68)
_TEXT = (225, 225, 230)
_SPEECH = (90, 190, 110)
_SILENCE = (70, 70, 190)
_WAVE = (230, 200, 120)
_MOTION = (80, 170, 250)
_CUT = (255, 255, 255)
_BEAT = (200, 120, 220)
_HOOK = (40, 90, 120)
_SHOTS = ((120, 90, 60), (70, 110, 150))
_TRANSITION = (150, 150, 150)
_STATIC = (0, 0, 200)
#: What each mark means: (colour, label, drawn as a filled box or as a line).
LEGEND = ((_HOOK, "hook window (first 3 s)", "box"), (_SPEECH, "speech", "box"),
          (_SILENCE, "silence", "box"), (_WAVE, "audio level", "line"),
          (_SHOTS[0], "shot", "box"), (_CUT, "cut", "line"), (_TRANSITION, "transition", "box"),
          (_MOTION, "motion", "line"), (_STATIC, "static stretch", "box"),
          (_BEAT, "beat", "line"))


def render_plot(analysis: Analysis, path: str | Path, *, width: int = 1600) -> Path:
    """Draw the pacing timeline of ``analysis`` into the PNG file ``path``."""
    import cv2

    lanes = [("audio", 150), ("shots", 50), ("motion", 110), ("beats", 30)]
    left, top, gap = 110, 60, 18
    height = top + sum(h for _, h in lanes) + gap * len(lanes) + 40 + 36
    img = np.full((height, width, 3), _BG, dtype=np.uint8)
    dur = max(analysis.duration, 1e-6)
    plot_w = width - left - 20
    x_of = lambda t: int(left + plot_w * min(max(t, 0.0), dur) / dur)  # noqa: E731
    font = cv2.FONT_HERSHEY_SIMPLEX

    name = Path(analysis.media.path).name
    title = (f"{name}  {dur:.1f} s  hook {analysis.hook.score}/100  "
             f"{plural(len(analysis.shots), 'shot')}  "
             + (f"{analysis.tempo_bpm:.0f} BPM" if analysis.tempo_bpm else "no beat"))
    cv2.putText(img, title, (left, 36), font, 0.8, _TEXT, 2, cv2.LINE_AA)
    y = top
    boxes = {}
    for label, h in lanes:
        boxes[label] = (y, y + h)
        cv2.putText(img, label, (12, y + h // 2 + 6), font, 0.6, _TEXT, 1, cv2.LINE_AA)
        cv2.rectangle(img, (left, y), (left + plot_w, y + h), _GRID, 1)
        y += h + gap
    # Hook window: the first three seconds, across every lane.
    cv2.rectangle(img, (x_of(0), top), (x_of(3.0), y - gap), _HOOK, -1)

    a0, a1 = boxes["audio"]
    for s in analysis.silences:
        cv2.rectangle(img, (x_of(s.start), a1 - 8), (x_of(s.end), a1 - 1), _SILENCE, -1)
    for s in analysis.speech:
        cv2.rectangle(img, (x_of(s.start), a0 + 1), (x_of(s.end), a0 + 8), _SPEECH, -1)
    db = np.asarray(analysis.levels.audio_db, dtype=np.float64)
    if db.size:
        level = np.clip((db + 60.0) / 60.0, 0, 1)
        ts = (np.arange(db.size) + 0.5) / analysis.levels.rate
        mid = (a0 + a1) // 2
        half = (a1 - a0) // 2 - 12
        for t, v in zip(ts, level, strict=True):
            x = x_of(float(t))
            cv2.line(img, (x, int(mid - v * half)), (x, int(mid + v * half)), _WAVE, 2)

    s0, s1 = boxes["shots"]
    for i, sh in enumerate(analysis.shots):
        cv2.rectangle(img, (x_of(sh.start), s0 + 4), (x_of(sh.end), s1 - 4), _SHOTS[i % 2], -1)
    for tr in analysis.transitions:
        cv2.rectangle(img, (x_of(tr.start), s0 + 4), (x_of(tr.end), s1 - 4), _TRANSITION, 2)
    for c in analysis.cuts:
        cv2.line(img, (x_of(c), s0), (x_of(c), s1), _CUT, 2)

    m0, m1 = boxes["motion"]
    motion = np.asarray(analysis.levels.motion, dtype=np.float64)
    if motion.size:
        ts = (np.arange(motion.size) + 0.5) / analysis.levels.rate
        pts = np.array([[x_of(float(t)), int(m1 - 4 - v * (m1 - m0 - 8))]
                        for t, v in zip(ts, motion, strict=True)], dtype=np.int32)
        cv2.polylines(img, [pts], False, _MOTION, 2, cv2.LINE_AA)
    if analysis.motion:
        for st in analysis.motion.static:
            cv2.rectangle(img, (x_of(st.start), m1 - 6), (x_of(st.end), m1 - 2), _STATIC, -1)

    b0, b1 = boxes["beats"]
    for b in analysis.beats:
        cv2.line(img, (x_of(b), b0 + 4), (x_of(b), b1 - 4), _BEAT, 1)

    step = next(s for s in (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1e9) if dur / s <= 16)
    t = 0.0
    while t <= dur + 1e-9:
        x = x_of(t)
        cv2.line(img, (x, y - gap), (x, y - gap + 6), _TEXT, 1)
        cv2.putText(img, f"{t:g}s", (x - 10, y + 12), font, 0.45, _TEXT, 1, cv2.LINE_AA)
        t += step
    _legend(cv2, img, left, y + 40)
    out = Path(path)
    # OpenCV draws in BGR order; our colours are RGB tuples.
    if not cv2.imwrite(str(out), cv2.cvtColor(img, cv2.COLOR_RGB2BGR)):
        from creator_tools.errors import ProcessingError

        raise ProcessingError(f"cannot write {out}")
    return out


def _legend(cv2: object, img: np.ndarray, x: int, y: int) -> None:
    """One row of swatches and labels (:data:`LEGEND`) from ``x`` at baseline ``y``."""
    font = cv2.FONT_HERSHEY_SIMPLEX  # type: ignore[attr-defined]
    for colour, label, kind in LEGEND:
        if kind == "box":
            cv2.rectangle(img, (x, y - 11), (x + 18, y + 1), colour, -1)  # type: ignore[attr-defined]
        else:
            cv2.line(img, (x, y - 5), (x + 18, y - 5), colour, 3)  # type: ignore[attr-defined]
        cv2.putText(img, label, (x + 24, y), font, 0.45, _TEXT, 1,  # type: ignore[attr-defined]
                    cv2.LINE_AA)  # type: ignore[attr-defined]
        (w, _), _ = cv2.getTextSize(label, font, 0.45, 1)  # type: ignore[attr-defined]
        x += 24 + w + 22
