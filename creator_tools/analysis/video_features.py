"""Per-frame video features from low-resolution RGB frames, gathered in one pass.

:class:`VideoFeatureExtractor` sees every analysis frame once and keeps only small per-frame
vectors (a colour histogram, a few scalars, a global-motion estimate), plus sparse samples
(colour statistics, face boxes, moving blobs, saliency centroids) a few times per second.
Memory grows by a few hundred bytes per frame, never by a picture.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field

import numpy as np

#: The thumbnail used for differences and histograms is the analysis frame shrunk by this
#: integer factor (an integer factor keeps OpenCV's area resampling on its fast path).
THUMB_FACTOR = 5
#: HSV histogram bins (hue, saturation, value).
HIST_BINS = (8, 4, 4)
#: Linear-light lookup for 8-bit sRGB/BT.709-ish values (approximate relative luminance).
_LINEAR = ((np.arange(256) / 255.0) ** 2.2).astype(np.float32)

#: Motion-based subject search (on the half-size grey frame, between subject samples):
#: a pixel moves when its compensated difference exceeds this many noise sigmas ...
MOTION_NOISE_SIGMAS = 3.0
#: ... plus this many pixels of misalignment times the local gradient (what a sub-pixel error
#: in the global-motion estimate leaves along every edge of a shaking, textured picture).
MOTION_SLACK_PX = 1.0
#: A moving blob must cover at least this fraction of the frame to count as a subject.
MOTION_MIN_AREA = 0.002
#: When more than this fraction of the frame changes, the picture as a whole changed (a cut,
#: a flash, a failed alignment): no subject from motion.
MOTION_MAX_AREA = 0.6
#: Blobs this close (0..1 of the frame) are taken as parts of one subject.
GROUP_RADIUS = 0.1
#: Blobs near where the subject was in the last PERSIST_SECONDS (within about PERSIST_RADIUS,
#: 0..1 of the frame) are preferred: the track stays on one subject rather than hopping
#: between blobs.
PERSIST_RADIUS = 0.12
PERSIST_SECONDS = 1.5
#: A face seen marks where the subject is for longer (the detector misses turned heads).
FACE_PERSIST_SECONDS = 3.0

# Importing cv2 is not thread-safe: its bootstrap swaps the module in sys.modules, so a
# second thread can see the bare native module without ``cv2.data`` for a moment. Cascade
# files are found and loaded under this lock.
_CV2_LOCK = threading.Lock()
_HAAR_DIR: str | None = None


def _haar_dir() -> str:
    """The directory of OpenCV's bundled Haar cascades (resolved once, thread-safely)."""
    global _HAAR_DIR
    cv2 = _import_cv2()
    with _CV2_LOCK:
        if _HAAR_DIR is None:
            data = getattr(cv2, "data", None)
            if data is None:
                try:
                    import cv2.data as data  # type: ignore[no-redef]
                except ImportError:
                    data = None
            path = getattr(data, "haarcascades", None)
            if not path:  # the package layout of opencv-python 4.x: cv2/data/*.xml
                path = os.path.join(os.path.dirname(cv2.__file__), "data") + os.sep
            _HAAR_DIR = path
        return _HAAR_DIR


def load_cascade(name: str) -> object | None:
    """A new ``cv2.CascadeClassifier`` for one of OpenCV's bundled cascades (None when the
    file is missing or unreadable). Each extractor gets its own: detection mutates it."""
    cv2 = _import_cv2()
    folder = _haar_dir()
    with _CV2_LOCK:
        cascade = cv2.CascadeClassifier(os.path.join(folder, name))
    return None if cascade.empty() else cascade


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
class SubjectSample:
    """Where the subject is at time ``t``: centre and size in 0..1 of the display frame."""

    t: float
    x: float
    y: float
    w: float
    h: float
    source: str  # "face", "motion" or "saliency"
    #: Confidence: a face's grows with its size; a motion sample's is the share of the moving
    #: picture (by mass) that belongs to the picked subject; saliency's is fixed and low.
    weight: float


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
        How often to run OpenCV's Haar frontal-face detector (0 disables it); after a hit it
        runs once more at the next subject sample, to confirm. Other subject samples come
        from motion (the biggest, most persistent blob that moves against the camera's own
        motion) or, when nothing moves, from spectral-residual saliency.
    """

    def __init__(self, *, fps: float, color_hz: float = 4.0, subject_hz: float = 3.0,
                 face_hz: float = 1.0) -> None:
        cv2 = _import_cv2()
        cv2.setNumThreads(1)  # small images: threads cost more than they give, ffmpeg needs cores
        self._cv2 = cv2
        self.fps = fps
        self._color_every = max(1, round(fps / color_hz))
        self._subject_every = max(1, round(fps / subject_hz))
        self._face_every = max(1, round(fps / face_hz)) if face_hz > 0 else 0
        self._faces = load_cascade("haarcascade_frontalface_alt2.xml") if face_hz > 0 else None
        self._face_recheck = False
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
        # The grey frame at the last subject sample, its time and the camera's motion since.
        self._ref: tuple[np.ndarray, np.ndarray, float] | None = None
        self._pan = np.zeros(2)
        self._pan_ok = True
        self._recent: list[tuple[float, float, float, float]] = []  # (until, x, y, radius)
        self._saliency: np.ndarray | None = None
        self.color: list[ColorSample] = []
        self.subjects: list[SubjectSample] = []
        self.faces_checked = 0
        self.size = (0, 0)

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
            faces = self._face_every and index % self._face_every == 0
            self._find_subject(t, rgb, self._prev_gray, faces=bool(faces))

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
            self._pan_ok = False
            return (0.0, 0.0)
        self._pan += (dx, dy)
        return (dx / gray.shape[1], dy / gray.shape[0])

    def _find_subject(self, t: float, rgb: np.ndarray, gray: np.ndarray, *, faces: bool) -> None:
        moving = self._motion_subject(t, gray)
        if self._faces is not None and (faces or self._face_recheck):
            # A face just seen is looked for again at the next sample: two sightings close
            # together confirm it (a one-off detection is taken for noise downstream).
            face = self._find_face(t, rgb)
            self._face_recheck = face is not None and not self._face_recheck
            if face is not None:
                if moving is not None:
                    self._recent.pop()
                # Motion near the face is preferred once the detector loses it.
                self._recent.append((t + FACE_PERSIST_SECONDS, face.x, face.y,
                                     max(PERSIST_RADIUS, face.w, face.h)))
                self.subjects.append(face)
                return
        if moving is not None:
            self.subjects.append(moving)
            return
        cx, cy = self._salient_point(gray)
        self.subjects.append(SubjectSample(t, cx, cy, 0.0, 0.0, "saliency", 0.1))

    def _find_face(self, t: float, rgb: np.ndarray) -> SubjectSample | None:
        """The largest frontal face (OpenCV's Haar cascade), or None."""
        cv2 = self._cv2
        h, w = rgb.shape[:2]
        self.faces_checked += 1
        g = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        found = self._faces.detectMultiScale(g, scaleFactor=1.1, minNeighbors=4,  # type: ignore[union-attr]
                                             minSize=(max(20, h // 9),) * 2)
        if not len(found):
            return None
        # The largest face is the subject; its weight grows with its relative area.
        fx, fy, fw, fh = max(found, key=lambda f: f[2] * f[3])
        return SubjectSample(t, (fx + fw / 2) / w, (fy + fh / 2) / h, fw / w, fh / h, "face",
                             float(min(1.0, 10 * fw * fh / (w * h)) + 0.5))

    def _motion_subject(self, t: float, gray: np.ndarray) -> SubjectSample | None:
        """The moving subject between the previous subject sample and this one, or None.

        The two grey frames are aligned by the camera's global motion (phase correlation),
        matched in brightness (flicker, auto exposure) and differenced; what still differs
        by more than noise and misalignment can explain is cleaned up morphologically and
        split into blobs; :func:`pick_blob` picks the subject among them.
        """
        ref, self._ref = self._ref, (gray, self._prev_win, t)
        pan, pan_ok = self._pan.copy(), self._pan_ok
        self._pan[:] = 0.0
        self._pan_ok = True
        self._recent = [r for r in self._recent if r[0] >= t]
        if ref is None or ref[0] is gray or ref[0].shape != gray.shape:
            return None
        ref_gray, ref_win, ref_t = ref
        if pan_ok and max(abs(pan[0]), abs(pan[1])) <= 0.5 * MOTION_SLACK_PX:
            dx = dy = 0.0  # a still camera, as far as the frame-to-frame estimates tell
        else:
            (dx, dy), response = self._cv2.phaseCorrelate(ref_win, self._prev_win)
            if response < 0.1 and pan_ok:
                # No clear direct match (a fast pan moves most of the picture out of view):
                # the sum of the frame-to-frame estimates is the next best guess.
                dx, dy = pan
        blobs = motion_blobs(ref_gray, gray, (dx, dy))
        if not blobs:
            return None
        pick = pick_blob(blobs, self._recent)
        mid = 0.5 * (ref_t + t)  # the motion measured is centred between the two frames
        self._recent.append((t + PERSIST_SECONDS, pick.x, pick.y, PERSIST_RADIUS))
        # The weight is the subject's share of all that moves: about 1 for one moving thing,
        # under a half when motion is everywhere (a zoom, a crowd, a pattern).
        share = pick.mass / max(sum(b.mass for b in blobs), 1e-12)
        return SubjectSample(mid, pick.x, pick.y, pick.w, pick.h, "motion",
                             float(min(1.0, share)))

    def _salient_point(self, gray: np.ndarray) -> tuple[float, float]:
        """Centre of the spectral-residual saliency map, averaged over recent samples so that
        sensor noise does not make it wander."""
        sal = _saliency_map(gray)
        if self._saliency is not None and self._saliency.shape == sal.shape:
            sal = 0.5 * sal + 0.5 * self._saliency
        self._saliency = sal
        return _map_centroid(sal)

    def finish(self) -> VideoFeatures:
        """The gathered features."""
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
            faces_checked=self.faces_checked,
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


@dataclass(slots=True)
class MotionBlob:
    """A connected region that moves against the camera (0..1 of the frame; ``mass`` is the
    summed squared change in it, ``area`` the fraction of the frame it covers)."""

    x: float
    y: float
    w: float
    h: float
    area: float
    mass: float


def motion_blobs(ref: np.ndarray, cur: np.ndarray, shift: tuple[float, float] = (0.0, 0.0),
                 ) -> list[MotionBlob]:
    """Regions of grey frame ``cur`` that moved since grey frame ``ref`` (float32, same size),
    after undoing the camera's global translation ``shift`` (pixels, ``cur`` relative to
    ``ref``). Empty when nothing moves, or when most of the picture changed.

    A pixel moves when its difference, after matching the two frames' brightness (a linear
    fit: flicker, auto exposure), exceeds :data:`MOTION_NOISE_SIGMAS` times the noise (from
    the median difference) plus :data:`MOTION_SLACK_PX` times the local gradient: an error
    of a fraction of a pixel in the alignment leaves a difference along every edge that is
    proportional to the edge's contrast, while a moving object shifts by more than that.
    """
    cv2 = _import_cv2()
    h, w = cur.shape
    a = cv2.GaussianBlur(cur, (5, 5), 1.0)
    r = cv2.GaussianBlur(ref, (5, 5), 1.0)
    b, inner = _aligned(cv2, r, a, (0.0, 0.0))
    # Shifts within the slack need no undoing (and cost a warp and a second fit).
    if max(abs(shift[0]), abs(shift[1])) > 0.5 * MOTION_SLACK_PX:
        moved, moved_inner = _aligned(cv2, r, a, shift)
        if _camera_moved(cv2, a, b, moved, moved_inner):
            b, inner = moved, moved_inner
    a, b = a[inner], b[inner]
    d = cv2.absdiff(a, b)
    noise = max(0.5, 1.4826 * float(np.median(d[::2, ::2])))
    limit = cv2.max(_grad_l1(cv2, a), _grad_l1(cv2, b))
    limit *= MOTION_SLACK_PX
    limit += MOTION_NOISE_SIGMAS * noise
    moving = cv2.compare(d, limit, cv2.CMP_GT)  # 255 where moving
    moving = cv2.morphologyEx(moving, cv2.MORPH_OPEN, _KERNEL3)
    hi, wi = moving.shape
    n_inner = hi * wi
    count = cv2.countNonZero(moving)
    if count < MOTION_MIN_AREA * n_inner or count > MOTION_MAX_AREA * n_inner:
        return []
    # Parts of one object (the leading and trailing edges of a plain one) join up.
    grouped = cv2.dilate(moving, _KERNEL7)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(grouped, connectivity=8)
    # Each moving pixel counts by the square of how much it changed: a high-contrast subject
    # (a dark cup against a pale wall) outweighs the low-contrast arm or shadow that moves
    # with it.
    lab = labels.ravel()
    on = moving.ravel() > 0
    weight = np.square(d.ravel()) * on
    ys, xs = _pixel_coords(hi, wi)
    mass = np.bincount(lab, weights=weight, minlength=n)
    mx = np.bincount(lab, weights=weight * xs, minlength=n)
    my = np.bincount(lab, weights=weight * ys, minlength=n)
    area = np.bincount(lab, weights=on, minlength=n)
    x0, y0 = inner[1].start, inner[0].start
    out = []
    for i in range(1, n):
        if area[i] < MOTION_MIN_AREA * n_inner or mass[i] <= 0:
            continue
        bw, bh = (int(v) for v in stats[i, 2:4])
        out.append(MotionBlob((x0 + mx[i] / mass[i] + 0.5) / w, (y0 + my[i] / mass[i] + 0.5) / h,
                              bw / w, bh / h, float(area[i]) / n_inner, float(mass[i])))
    return out


_KERNEL3 = np.ones((3, 3), np.uint8)
_KERNEL7 = np.ones((7, 7), np.uint8)
_COORDS: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}


def _pixel_coords(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of each pixel of an ``h`` x ``w`` image, flattened (cached)."""
    got = _COORDS.get((h, w))
    if got is None:
        ys, xs = np.divmod(np.arange(h * w, dtype=np.float64), w)
        got = _COORDS[(h, w)] = (ys, xs)
        if len(_COORDS) > 16:
            _COORDS.pop(next(iter(_COORDS)))
    return got


def pick_blob(blobs: list[MotionBlob],
              recent: list[tuple[float, float, float, float]] = ()) -> MotionBlob:
    """The subject among moving blobs: the one with the most motion in and around it (parts
    of one body, split by the threshold, count together), boosted up to 3x near where the
    subject was a moment ago (``recent``: ``(until, x, y, radius)``) so that the track stays
    on one subject rather than hopping to whichever blob is biggest this instant.

    Returns the mass-weighted centre and extent of the winner's neighbourhood.
    """
    xy = np.array([(b.x, b.y) for b in blobs])
    mass = np.array([b.mass for b in blobs])
    d2 = ((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)
    kin = np.exp(-d2 / (2 * GROUP_RADIUS**2)) * mass[None, :]
    support = kin.sum(axis=1)
    near = np.zeros(len(blobs))
    for _, x, y, r in recent:
        near = np.maximum(near, np.exp(-((xy[:, 0] - x) ** 2 + (xy[:, 1] - y) ** 2) / (2 * r**2)))
    i = int(np.argmax(support * (1.0 + 2.0 * near)))
    wts = kin[i] / support[i]
    x, y = (float(v) for v in wts @ xy)
    main = [b for b, k in zip(blobs, wts, strict=True) if k > 0.1]
    x0 = min(b.x - b.w / 2 for b in main)
    x1 = max(b.x + b.w / 2 for b in main)
    y0 = min(b.y - b.h / 2 for b in main)
    y1 = max(b.y + b.h / 2 for b in main)
    return MotionBlob(x, y, x1 - x0, y1 - y0, sum(b.area for b in main), float(support[i]))


def _aligned(cv2: object, ref: np.ndarray, cur: np.ndarray, shift: tuple[float, float],
             ) -> tuple[np.ndarray, tuple[slice, slice]]:
    """``ref`` moved by ``shift`` (pixels) onto ``cur`` and matched to its brightness
    (``cur ~ gain * ref + offset``, a robust line fit), and the region both frames cover."""
    h, w = cur.shape
    dx, dy = shift
    if dx or dy:
        ref = cv2.warpAffine(ref, np.float32([[1, 0, dx], [0, 1, dy]]), (w, h),  # type: ignore[attr-defined]
                             flags=cv2.INTER_LINEAR,  # type: ignore[attr-defined]
                             borderMode=cv2.BORDER_REPLICATE)  # type: ignore[attr-defined]
    bx, by = min(w // 4, int(np.ceil(abs(dx))) + 2), min(h // 4, int(np.ceil(abs(dy))) + 2)
    inner = (slice(by, h - by), slice(bx, w - bx))
    ci, ri = cur[inner][::3, ::2].ravel(), ref[inner][::3, ::2].ravel()
    gain, offset = _fit_line(ri, ci)
    # Again without the worst-matching fifth (the moving subject would bias the fit).
    err = np.abs(ci - (gain * ri + offset))
    keep = err <= np.partition(err, int(0.8 * (err.size - 1)))[int(0.8 * (err.size - 1))]
    gain, offset = _fit_line(ri[keep], ci[keep])
    return ref * gain + offset, inner


def _fit_line(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Least-squares ``y ~ gain * x + offset``, the gain kept within a plausible exposure
    change (1.5x either way)."""
    xm, ym = float(x.mean()), float(y.mean())
    xc = x - xm
    var = float(np.dot(xc, xc))
    gain = float(np.dot(xc, y - ym) / var) if var > 1e-3 * x.size else 1.0
    gain = min(1.5, max(0.67, gain))
    return gain, ym - gain * xm


def _camera_moved(cv2: object, cur: np.ndarray, still: np.ndarray, moved: np.ndarray,
                  inner: tuple[slice, slice], grid: int = 6) -> bool:
    """Whether undoing the global shift (``moved``) explains the change over much of the
    picture better than a still camera (``still``). Phase correlation locks onto whatever
    has texture: over a plain wall that is the subject itself, and "compensating" for it
    would erase the very motion we look for. A real camera move improves the match over
    much of a textured picture; a subject's move only where the subject is. (Over a plain
    background a camera move needs no undoing: nothing there shows it.)"""
    c = cur[inner]
    area = cv2.INTER_AREA  # type: ignore[attr-defined]
    e0 = cv2.resize(cv2.absdiff(c, still[inner]), (grid, grid), interpolation=area)  # type: ignore[attr-defined]
    e1 = cv2.resize(cv2.absdiff(c, moved[inner]), (grid, grid), interpolation=area)  # type: ignore[attr-defined]
    better = int((e1 < 0.8 * e0 - 1.0).sum())
    worse = int((e0 < 0.8 * e1 - 1.0).sum())
    # Undoing a subject's move instead makes the still parts around it (a table, the arm that
    # holds the thing) match worse: a few such tiles veto the shift.
    return better >= 0.4 * grid * grid and worse <= 0.1 * grid * grid


def _grad_l1(cv2: object, img: np.ndarray) -> np.ndarray:
    """|d/dx| + |d/dy| in grey levels per pixel (Sobel, scaled)."""
    gx = cv2.Sobel(img, cv2.CV_32F, 1, 0, ksize=3, scale=0.125)  # type: ignore[attr-defined]
    gy = cv2.Sobel(img, cv2.CV_32F, 0, 1, ksize=3, scale=0.125)  # type: ignore[attr-defined]
    return np.abs(gx) + np.abs(gy)


def _saliency_map(gray: np.ndarray) -> np.ndarray:
    """Spectral-residual saliency (Hou & Zhang 2007) of a grey frame, on a 64x36 grid,
    scaled to a maximum of 1."""
    cv2 = _import_cv2()
    small = cv2.resize(gray, (64, 36), interpolation=cv2.INTER_AREA)
    f = np.fft.fft2(small)
    amp = np.abs(f) + 1e-6
    log_amp = np.log(amp)
    residual = log_amp - cv2.blur(log_amp, (3, 3))
    # exp(residual + i * phase) without computing the phase: f / |f| carries it.
    sal = np.abs(np.fft.ifft2(f * (np.exp(residual) / amp))) ** 2
    sal = cv2.GaussianBlur(sal, (0, 0), 2.5)
    return sal / max(float(sal.max()), 1e-12)


def _map_centroid(sal: np.ndarray) -> tuple[float, float]:
    """Centre (0..1) of the strongest quarter of a saliency map."""
    flat = sal.ravel()
    k = int(0.75 * (flat.size - 1))
    m = np.maximum(flat - np.partition(flat, k)[k], 0.0)
    total = float(m.sum())
    if total <= 0:
        return 0.5, 0.5
    h, w = sal.shape
    ys, xs = _pixel_coords(h, w)
    return float(m @ xs) / total / w, float(m @ ys) / total / h


_CV2 = None


def _import_cv2():  # the cv2 module
    """``import cv2`` under :data:`_CV2_LOCK` (see there)."""
    global _CV2
    if _CV2 is None:
        with _CV2_LOCK:
            if _CV2 is None:
                import cv2

                _CV2 = cv2
    return _CV2
