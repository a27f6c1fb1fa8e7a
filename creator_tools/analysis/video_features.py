"""Per-frame video features from low-resolution RGB frames, gathered in one pass.

:class:`VideoFeatureExtractor` sees every analysis frame once and keeps only small per-frame
vectors (a colour histogram, a few scalars, a global-motion estimate), plus sparse samples
(colour statistics, and where the subject is, from a
:class:`~creator_tools.analysis.subject_locate.SubjectLocator`) a few times per second.
Memory grows by a few hundred bytes per frame, never by a picture.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from creator_tools.analysis.opencv import import_cv2
from creator_tools.analysis.subject_locate import SubjectLocator, SubjectSample

#: The thumbnail used for differences and histograms is the analysis frame shrunk by this
#: integer factor (an integer factor keeps OpenCV's area resampling on its fast path).
THUMB_FACTOR = 5
#: HSV histogram bins (hue, saturation, value).
HIST_BINS = (8, 4, 4)
#: Linear-light lookup for 8-bit sRGB/BT.709-ish values (approximate relative luminance).
_LINEAR = ((np.arange(256) / 255.0) ** 2.2).astype(np.float32)
#: Subject samples queued for the locator's thread at most (each holds one analysis frame).
MAX_PENDING_SAMPLES = 4

@dataclass(slots=True)
class ColorSample:
    """Colour statistics of one frame (all 0..1 except ``rgb_mean`` in linear light)."""

    t: float
    brightness: float
    contrast: float
    saturation: float
    rgb_mean: tuple[float, float, float]
    clipped_highlights: float
    crushed_shadows: float



@dataclass(slots=True)
class VideoFeatures:
    """Everything the video detectors need, per frame (arrays of length ``n``) or sampled."""

    fps: float
    size: tuple[int, int]
    hist: np.ndarray  # (n, 128) float32, each row sums to 1
    diff: np.ndarray  # (n,) mean |RGB thumb_i - thumb_{i-1}| / 255, 0 for frame 0
    luma: np.ndarray  # (n,) mean relative luminance, linear light 0..1
    shift: np.ndarray  # (n, 2) global translation from frame i-1, fraction of (w, h)
    decoded: np.ndarray  # (n,) bool: False where the frame repeats the previous one exactly
    blocks: np.ndarray  # (n, 96) float32: 8x4 block-mean RGB, 0..1
    color: list[ColorSample] = field(default_factory=list)
    subjects: list[SubjectSample] = field(default_factory=list)
    faces_checked: int = 0

    @property
    def n_frames(self) -> int:
        return int(self.diff.size)

    @property
    def duration(self) -> float:
        return self.n_frames / self.fps if self.fps else 0.0


class _Rows:
    """A growable 2-D array: rows appended one at a time, no Python object per row."""

    def __init__(self, width: int, dtype: type) -> None:
        self._buf = np.zeros((1024, width), dtype=dtype)
        self.n = 0

    def append(self, row: object) -> None:
        if self.n == self._buf.shape[0]:
            self._buf = np.concatenate([self._buf, np.zeros_like(self._buf)])
        self._buf[self.n] = row
        self.n += 1

    def last(self) -> np.ndarray:
        return self._buf[self.n - 1]

    def array(self, dtype: type = np.float32) -> np.ndarray:
        return self._buf[: self.n].astype(dtype)


class VideoFeatureExtractor:
    """Feed RGB frames (H, W, 3) uint8 in order with :meth:`push`; :meth:`finish` returns features.

    Parameters
    ----------
    fps
        Frame rate of the frames pushed.
    color_hz, subject_hz
        How often to sample colour statistics and locate the subject, per second.
    face_hz
        How often to run OpenCV's Haar frontal-face detector (0 disables it); see
        :class:`~creator_tools.analysis.subject_locate.SubjectLocator` for the rest.
    """

    def __init__(self, *, fps: float, color_hz: float = 4.0, subject_hz: float = 3.0,
                 face_hz: float = 1.0) -> None:
        cv2 = import_cv2()
        cv2.setNumThreads(1)  # small images: threads cost more than they give, ffmpeg needs cores
        self._cv2 = cv2
        self.fps = fps
        self._color_every = max(1, round(fps / color_hz))
        self._subject_every = max(1, round(fps / subject_hz))
        self._face_every = max(1, round(fps / face_hz)) if face_hz > 0 else 0
        self.locator = SubjectLocator(faces=face_hz > 0)
        # Per-frame rows, compact: float16 histograms, uint8 block colours.
        self._hists = _Rows(int(np.prod(HIST_BINS)), np.float16)
        self._blocks = _Rows(96, np.uint8)
        self._diff = _Rows(1, np.float32)
        self._luma = _Rows(1, np.float32)
        self._shift = _Rows(2, np.float32)
        self._decoded = _Rows(1, np.bool_)
        self._prev_thumb: np.ndarray | None = None
        self._prev_gray: np.ndarray | None = None
        self._prev_win: np.ndarray | None = None
        self._prev_rgb: np.ndarray | None = None
        self._prev_half: np.ndarray | None = None
        self._window: np.ndarray | None = None
        self.color: list[ColorSample] = []
        self.subjects: list[SubjectSample] = []
        self.size = (0, 0)
        # The subject is located on a thread of its own, in order (the face cascades release
        # the GIL): the decode and the per-frame features go on meanwhile. The camera's steps
        # since the last sample go along with each one.
        self._steps: list[tuple[float, float] | None] = []
        self._pool: ThreadPoolExecutor | None = None
        self._pending: deque[Future[None]] = deque()

    def push(self, index: int, t: float, rgb: np.ndarray) -> None:
        """Add frame ``index`` at time ``t`` (seconds)."""
        cv2 = self._cv2
        h, w = rgb.shape[:2]
        self.size = (w, h)
        if self._prev_rgb is not None and np.array_equal(rgb, self._prev_rgb):
            # Not decoded (a skipped non-reference frame): it repeats the previous one.
            self._decoded.append(False)
            self._hists.append(self._hists.last())
            self._blocks.append(self._blocks.last())
            self._diff.append(0.0)
            self._luma.append(self._luma.last())
            self._shift.append((0.0, 0.0))
            self._sample(index, t, rgb)
            return
        self._decoded.append(True)
        self._prev_rgb = rgb
        thumb = thumbnail(rgb)
        self._hists.append(frame_histogram(thumb))
        blocks = cv2.resize(thumb, (8, 4), interpolation=cv2.INTER_AREA)
        self._blocks.append(blocks.reshape(-1))
        rgb16 = thumb.astype(np.int16)
        if self._prev_thumb is None:
            self._diff.append(0.0)
        else:
            self._diff.append(float(np.abs(rgb16 - self._prev_thumb).mean()) / 255.0)
        self._prev_thumb = rgb16
        thumb_gray = cv2.cvtColor(thumb, cv2.COLOR_RGB2GRAY)
        self._luma.append(float(_LINEAR[thumb_gray].mean()))
        half = cv2.resize(rgb, (max(1, w // 2), max(1, h // 2)), interpolation=cv2.INTER_AREA)
        gray = cv2.cvtColor(half, cv2.COLOR_RGB2GRAY).astype(np.float32)
        self._shift.append(self._global_shift(gray))
        self._prev_gray = gray
        self._prev_half = half
        self._sample(index, t, rgb)

    def _sample(self, index: int, t: float, rgb: np.ndarray) -> None:
        """Colour and subject samples on their schedules (from the last decoded picture)."""
        if index % self._color_every == 0 and self._prev_half is not None:
            self.color.append(_color_sample(self._cv2, t, self._prev_half))
        if index % self._subject_every == 0 and self._prev_gray is not None:
            assert self._prev_win is not None  # windowed with every decoded grey frame
            faces = self._face_every and index % self._face_every == 0
            steps, self._steps = self._steps, []
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="subject")
            while len(self._pending) >= MAX_PENDING_SAMPLES:
                self._pending.popleft().result()
            self._pending.append(self._pool.submit(
                self._locate, steps, t, rgb, self._prev_gray, self._prev_win, bool(faces)))

    def _locate(self, steps: list[tuple[float, float] | None], t: float, rgb: np.ndarray,
                gray: np.ndarray, win: np.ndarray, faces: bool) -> None:
        for step in steps:
            self.locator.camera_step(step)
        self.subjects.extend(self.locator.locate(t, rgb, gray, win, faces=faces))

    def _global_shift(self, gray: np.ndarray) -> tuple[float, float]:
        if self._window is None or self._window.shape != gray.shape:
            self._window = self._cv2.createHanningWindow(gray.shape[::-1], self._cv2.CV_32F)
            self._prev_win = None
        # Windowed here, once per frame: cv2.phaseCorrelate given a window multiplies its
        # inputs by it in place, which would spoil the frame kept for the next comparison.
        win = gray * self._window
        prev, self._prev_win = self._prev_win, win
        if prev is None:
            return (0.0, 0.0)
        (dx, dy), response = self._cv2.phaseCorrelate(prev, win)
        if response < 0.15:  # no reliable match (cut, blur, texture): no motion estimate
            self._steps.append(None)
            return (0.0, 0.0)
        self._steps.append((dx, dy))
        return (dx / gray.shape[1], dy / gray.shape[0])

    def finish(self) -> VideoFeatures:
        """The gathered features."""
        try:
            while self._pending:
                self._pending.popleft().result()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None
        n = self._diff.n
        return VideoFeatures(
            fps=self.fps,
            size=self.size,
            hist=self._hists.array(),
            diff=self._diff.array().reshape(n),
            luma=self._luma.array().reshape(n),
            shift=self._shift.array().reshape(n, 2),
            decoded=self._decoded.array(bool).reshape(n),
            blocks=self._blocks.array() / 255.0,
            color=self.color,
            subjects=self.subjects,
            faces_checked=self.locator.faces_checked,
        )


def frame_histogram(thumb_rgb: np.ndarray) -> np.ndarray:
    """Normalised HSV histogram (:data:`HIST_BINS`) of a small RGB image; near-black pixels
    (whose hue and saturation are noise) fall into one dark bin."""
    import cv2

    hsv = cv2.cvtColor(thumb_rgb, cv2.COLOR_RGB2HSV_FULL)
    hsv[hsv[..., 2] < 40, :2] = 0
    hist = cv2.calcHist([hsv], [0, 1, 2], None, list(HIST_BINS), [0, 256, 0, 256, 0, 256])
    hist = hist.reshape(-1)
    return (hist / max(float(hist.sum()), 1.0)).astype(np.float32)


def thumbnail(rgb: np.ndarray) -> np.ndarray:
    """The analysis frame shrunk by :data:`THUMB_FACTOR` (area resampling)."""
    import cv2

    h, w = rgb.shape[:2]
    return cv2.resize(rgb, (max(1, w // THUMB_FACTOR), max(1, h // THUMB_FACTOR)),
                      interpolation=cv2.INTER_AREA)


def _color_sample(cv2: object, t: float, small: np.ndarray) -> ColorSample:
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)  # type: ignore[attr-defined]
    hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)  # type: ignore[attr-defined]
    lin = _LINEAR[small].reshape(-1, 3).mean(axis=0)
    return ColorSample(
        t=t,
        brightness=float(gray.mean()) / 255.0,
        contrast=float(gray.std()) / 255.0,
        saturation=float(hsv[..., 1].mean()) / 255.0,
        rgb_mean=(float(lin[0]), float(lin[1]), float(lin[2])),
        clipped_highlights=float((gray >= 250).mean()),
        crushed_shadows=float((gray <= 5).mean()),
    )


