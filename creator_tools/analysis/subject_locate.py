"""Where the subject is in a sampled frame: a face, else a thing that was seen to move (held
by its look while it stands still), else what moves against the camera, else the most salient
spot.

:class:`SubjectLocator` is fed the camera's frame-to-frame motion and, a few times per second,
a frame to locate the subject in; each gives a :class:`SubjectSample`, which
:mod:`creator_tools.analysis.subject` smooths into a track.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from creator_tools.analysis.opencv import import_cv2, load_cascade

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

#: Object permanence. A moving blob with this many times the motion (mass) of the median of the
#: subject's last OBJECT_BASELINE samples is a thing that moved ...
OBJECT_MOVE_FACTOR = 3.0
OBJECT_BASELINE = 12
#: ... when its look before the move is found again this well (normalised cross-correlation)
#: at least half its size away after it: then it is held by that look (a cup put down on the
#: other side of the table is still the subject, though it no longer moves), ...
OBJECT_MATCH = 0.7
#: ... back to where it stood before it moved (while it looked the same there, at most
#: OBJECT_BACK_SAMPLES subject samples back) and on until it moves again or no longer looks
#: the same; a hold lasts at most OBJECT_HOLD_SECONDS after the move that started it.
OBJECT_BACK_SAMPLES = 15
OBJECT_HOLD_SECONDS = 4.0
#: A moving blob whose box covers more than this share of the frame, or more than
#: OBJECT_MAX_SIDE of its width or height, is not held by its look.
OBJECT_MAX_AREA = 0.12
OBJECT_MAX_SIDE = 0.6
#: The weight of a held thing's sample.
OBJECT_WEIGHT = 0.8
#: A patch with less contrast than this (grey levels, standard deviation) has no look to hold.
OBJECT_MIN_CONTRAST = 6.0

#: OpenCV's Haar frontal-face cascade, and the profile cascade tried when it finds none (on the
#: frame and its mirror image: the cascade knows faces turned one way).
FACE_CASCADE = "haarcascade_frontalface_alt2.xml"
PROFILE_CASCADE = "haarcascade_profileface.xml"
#: A face the detector misses is followed by its look for this long after it was detected ...
FACE_TRACK_SECONDS = 2.0
#: ... where its look matches at least this well (normalised cross-correlation).
FACE_TRACK_MATCH = 0.6
#: Another face at least this big (area) next to the biggest is a second person in the shot.
SECOND_FACE = 0.35
#: With no face detected for this many seconds, faces are looked for at most once every
#: FACE_IDLE_EVERY seconds (not at every face sample) until one is found again: the cascades
#: are most of the analysis's cost (on the 60 s real-footage benchmark clip, mostly without
#: faces, 18.8 of 23.9 s), and a face that comes into view is found within that second.
FACE_IDLE_SECONDS = 2.0
FACE_IDLE_EVERY = 1.0
#: The cascades' size step (fine: the faces of a 320 px analysis frame are small), and the
#: coarser one of the tries while no face has been seen lately (about 40% cheaper).
SCALE_STEP = 1.08
IDLE_SCALE_STEP = 1.15


@dataclass(slots=True)
class SubjectSample:
    """Where the subject is at time ``t``: centre and size in 0..1 of the display frame."""

    t: float
    x: float
    y: float
    w: float
    h: float
    source: str  # "face", "object", "motion" or "saliency"
    #: Confidence: a face's grows with its size; a motion sample's is the share of the moving
    #: picture (by mass) that belongs to the picked subject; saliency's is fixed and low.
    weight: float
    #: For a face: every face of the frame as big as a person beside it, the largest first:
    #: ``(x, y, w, h, mouth)``, a box and how much more its mouth moved since the previous
    #: sample than the rest of the face did (0..1). The sample's box covers them all.
    faces: tuple[tuple[float, float, float, float, float], ...] = ()
    #: A face found by following the last detected one by its looks, not by the detector.
    tracked: bool = False


class SubjectLocator:
    """Locates the subject in sampled frames, keeping what it needs between them.

    Call :meth:`camera_step` once per decoded frame (the camera's motion since the previous
    one) and :meth:`locate` at each subject sample. A face (OpenCV's Haar frontal-face
    detector, when ``faces`` and asked for) wins; after a hit it is looked for again at the
    next sample, to confirm. Otherwise the subject is what moves against the camera's own
    motion since the previous sample (the biggest, most persistent blob), or, when nothing
    moves, the centre of spectral-residual saliency.
    """

    def __init__(self, *, faces: bool = True) -> None:
        self._cv2 = import_cv2()
        self._faces = load_cascade(FACE_CASCADE) if faces else None
        self._profiles = load_cascade(PROFILE_CASCADE) if faces else None
        self._face_recheck = False
        self._face_seen = self._face_tried = float("-inf")  # when last found; last looked for
        self._idle_tries = 0
        # The grey frame at the last subject sample, its windowed copy and time, and the
        # camera's motion since (pixels; False once a frame-to-frame estimate failed).
        self._ref: tuple[np.ndarray, np.ndarray, float] | None = None
        self._pan = np.zeros(2)
        self._pan_ok = True
        self._recent: list[tuple[float, float, float, float]] = []  # (until, x, y, radius)
        self._last: tuple[np.ndarray, np.ndarray, float] | None = None  # the sample before
        # The face last detected: its look (a grey patch), its box (0..1) and when.
        self._face_look: tuple[np.ndarray, tuple[float, float, float, float], float] | None = None
        self._saliency: np.ndarray | None = None
        # Object permanence: the grey frames of the last samples ``(t, gray)``, the motion
        # mass of the subject picked at each, and the thing held by its look.
        self._history: deque[tuple[float, np.ndarray]] = deque(maxlen=OBJECT_BACK_SAMPLES)
        self._masses: deque[float] = deque(maxlen=OBJECT_BASELINE)
        self._object: _HeldObject | None = None
        self.faces_checked = 0

    @property
    def detects_faces(self) -> bool:
        """Whether the face cascade loaded (face detection was asked for and is available)."""
        return self._faces is not None

    def camera_step(self, shift: tuple[float, float] | None) -> None:
        """The camera's motion from the previous decoded frame (pixels, from phase
        correlation), or None when it could not be measured."""
        if shift is None:
            self._pan_ok = False
        else:
            self._pan += shift

    def locate(self, t: float, rgb: np.ndarray, gray: np.ndarray, win: np.ndarray, *,
               faces: bool) -> list[SubjectSample]:
        """Where the subject is at time ``t``, given the frame ``rgb``, its half-size grey
        ``gray`` (float32) and that windowed for phase correlation ``win``; ``faces`` runs the
        face detector at this sample (it also runs to confirm a face seen at the last one).

        A face and what moves are both returned when both are found (a face the track does
        not confirm later leaves the motion evidence in place); else the salient point.
        """
        moving, held = self._motion_subject(t, gray, win)
        found: list[SubjectSample] = []
        # No face seen lately (and none to confirm): faces are looked for once a second, the
        # cascades step through sizes coarsely and the profile cascade (a face turned away)
        # runs every third try; a face found is looked for again at the next sample, finely.
        idle = not self._face_recheck and t - self._face_seen > FACE_IDLE_SECONDS
        if faces and idle:
            faces = t - self._face_tried >= FACE_IDLE_EVERY - 1e-6
        if self._faces is not None and (faces or self._face_recheck):
            # A face just seen is looked for again at the next sample: two sightings close
            # together confirm it (a one-off detection is taken for noise downstream).
            self._idle_tries = self._idle_tries + 1 if idle else 0
            # Idle, the profile cascade runs every third try, on the picture and on its mirror
            # image in turn (a face turned either way is found within six tries).
            k = self._idle_tries % 6
            sides = ("left", "right") if not idle else ("left",) if k == 1 else \
                ("right",) if k == 4 else ()
            face = self._find_face(t, rgb, gray, profiles=sides, coarse=idle)
            self._face_tried = t
            if face is not None:
                self._face_seen = t
            self._face_recheck = face is not None and not self._face_recheck
            if face is None:  # the detector missed it: follow the face last seen by its looks
                face = self._track_face(t, gray)
            else:
                self._remember_face(face, gray)
            if face is not None:
                if moving is not None:
                    self._recent.pop()
                # Motion near the face is preferred once the detector loses it.
                self._recent.append((t + FACE_PERSIST_SECONDS, face.x, face.y,
                                     max(PERSIST_RADIUS, face.w, face.h)))
                found.append(face)
        found += held
        if moving is not None:
            return [*found, moving]
        if found:
            return found
        cx, cy = self._salient_point(gray)
        return [SubjectSample(t, cx, cy, 0.0, 0.0, "saliency", 0.1)]

    def _find_face(self, t: float, rgb: np.ndarray, gray: np.ndarray, *,
                   profiles: tuple[str, ...] = ("left", "right"), coarse: bool = False,
                   ) -> SubjectSample | None:
        """The faces of the frame (OpenCV's Haar cascades: frontal, else profile on the sides
        named in ``profiles``: ``left`` the picture, ``right`` its mirror image; in coarser
        size steps when ``coarse``), or None.

        The sample's box is the largest face's, grown to take in the others as big as a
        person beside it (two people talking: the camera frames both).
        """
        cv2 = self._cv2
        h, w = rgb.shape[:2]
        self.faces_checked += 1
        g = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        step = IDLE_SCALE_STEP if coarse else SCALE_STEP
        found = self._detect(self._faces, g, 4, step)
        if not found and self._profiles is not None and profiles:
            # The profile cascade sees faces in busy texture more readily: it must be surer.
            found = self._detect(self._profiles, g, 6, step) if "left" in profiles else []
            if "right" in profiles:
                found += [(w - x - fw, y, fw, fh) for x, y, fw, fh in
                          self._detect(self._profiles, cv2.flip(g, 1), 6, step)]
        if not found:
            return None
        found.sort(key=lambda f: -f[2] * f[3])
        big = found[0][2] * found[0][3]
        people = [f for f in found if f[2] * f[3] >= SECOND_FACE * big]
        boxes = tuple(((x + fw / 2) / w, (y + fh / 2) / h, fw / w, fh / h,
                       self._mouth(gray, (x / w, y / h, fw / w, fh / h)))
                      for x, y, fw, fh in people)
        x0 = min(b[0] - b[2] / 2 for b in boxes)
        x1 = max(b[0] + b[2] / 2 for b in boxes)
        y0 = min(b[1] - b[3] / 2 for b in boxes)
        y1 = max(b[1] + b[3] / 2 for b in boxes)
        # Its weight grows with the largest face's relative area.
        return SubjectSample(t, (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0, "face",
                             float(min(1.0, 10 * big / (w * h)) + 0.5), boxes)

    def _remember_face(self, face: SubjectSample, gray: np.ndarray) -> None:
        """Keep the look of the largest face detected, to follow it when the detector misses."""
        x, y, w, h, _ = face.faces[0]
        gh, gw = gray.shape
        x0, y0 = int((x - w / 2) * gw), int((y - h / 2) * gh)
        x1, y1 = int((x + w / 2) * gw), int((y + h / 2) * gh)
        if x1 - x0 >= 6 and y1 - y0 >= 6 and x0 >= 0 and y0 >= 0 and x1 <= gw and y1 <= gh:
            self._face_look = (gray[y0:y1, x0:x1].copy(), (x, y, w, h), face.t)

    def _track_face(self, t: float, gray: np.ndarray) -> SubjectSample | None:
        """The face last detected, found again by its look (normalised cross-correlation)
        near where it was, while it was seen less than :data:`FACE_TRACK_SECONDS` ago."""
        if self._face_look is None or t - self._face_look[2] > FACE_TRACK_SECONDS:
            return None
        patch, (x, y, w, h), _ = self._face_look
        gh, gw = gray.shape
        ph, pw = patch.shape
        # A box-sized margin sideways and half of one up and down: a face crosses a frame in
        # a second or more.
        near = (int((x - w / 2) * gw), int((y - h / 2) * gh), pw, ph)
        found = _find_look(self._cv2, gray, patch, near, reach=(1.0, 0.5),
                           match=FACE_TRACK_MATCH)
        if found is None:
            return None
        cx, cy = (found[0] + pw / 2) / gw, (found[1] + ph / 2) / gh
        self._face_look = (patch, (cx, cy, w, h), self._face_look[2])
        return SubjectSample(t, cx, cy, w, h, "face", 0.4, ((cx, cy, w, h, 0.0),),
                             tracked=True)

    def _mouth(self, gray: np.ndarray, box: tuple[float, float, float, float]) -> float:
        """How much more the mouth of the face in ``box`` (left, top, width, height; 0..1)
        changed since the previous subject sample than its eyes and forehead did: a talking
        mouth moves on its own, a moving head moves both (0..1; 0 without a previous sample).
        """
        if self._last is None or self._last[0].shape != gray.shape:
            return 0.0
        h, w = gray.shape
        x0, y0 = int(box[0] * w), int(box[1] * h)
        x1, y1 = int((box[0] + box[2]) * w), int((box[1] + box[3]) * h)
        if x1 - x0 < 4 or y1 - y0 < 6:
            return 0.0
        diff = np.abs(gray[y0:y1, x0:x1] - self._last[0][y0:y1, x0:x1])
        rows = diff.shape[0]
        cols = slice(diff.shape[1] // 4, 3 * diff.shape[1] // 4)
        mouth = float(diff[2 * rows // 3 :, cols].mean())
        upper = float(diff[: rows // 2, cols].mean())
        return float(min(1.0, max(0.0, mouth - upper) / 32.0))

    def _detect(self, cascade: object, gray: np.ndarray, neighbours: int, step: float
                ) -> list[tuple[int, int, int, int]]:
        """Faces in ``gray``: ``(x, y, w, h)`` pixel boxes, the cascade scaled by ``step``
        (:data:`SCALE_STEP` or :data:`IDLE_SCALE_STEP`)."""
        h = gray.shape[0]
        found = cascade.detectMultiScale(gray, scaleFactor=step, minNeighbors=neighbours,  # type: ignore[attr-defined]
                                         minSize=(max(20, h // 9),) * 2)
        return [(int(a), int(b), int(c), int(d)) for a, b, c, d in found] if len(found) else []

    def _motion_subject(self, t: float, gray: np.ndarray, win: np.ndarray,
                        ) -> tuple[SubjectSample | None, list[SubjectSample]]:
        """The moving subject between the previous subject sample and this one (or None), and
        the thing held by its look (:meth:`_hold`: none, this sample's, or with a first move
        also the samples before it, back-dated).

        The two grey frames are aligned by the camera's global motion (phase correlation),
        matched in brightness (flicker, auto exposure) and differenced; what still differs
        by more than noise and misalignment can explain is cleaned up morphologically and
        split into blobs; :func:`pick_blob` picks the subject among them.
        """
        ref, self._ref = self._ref, (gray, win, t)
        self._last = ref
        pan, pan_ok = self._pan.copy(), self._pan_ok
        self._pan[:] = 0.0
        self._pan_ok = True
        self._recent = [r for r in self._recent if r[0] >= t]
        history = list(self._history)
        self._history.append((t, gray))
        if ref is None or ref[0] is gray or ref[0].shape != gray.shape:
            self._object = None
            return None, []
        ref_gray, ref_win, ref_t = ref
        if pan_ok and max(abs(pan[0]), abs(pan[1])) <= 0.5 * MOTION_SLACK_PX:
            dx = dy = 0.0  # a still camera, as far as the frame-to-frame estimates tell
        else:
            (dx, dy), response = self._cv2.phaseCorrelate(ref_win, win)
            if response < 0.1 and pan_ok:
                # No clear direct match (a fast pan moves most of the picture out of view):
                # the sum of the frame-to-frame estimates is the next best guess.
                dx, dy = pan
        blobs = motion_blobs(ref_gray, gray, (dx, dy))
        if not blobs:
            return None, self._hold(t, gray, ref_gray, history, [], strong=False)
        pick = pick_blob(blobs, self._recent)
        baseline = float(np.median(self._masses)) if len(self._masses) >= 2 else None
        self._masses.append(pick.mass)
        strong = baseline is not None and pick.mass >= OBJECT_MOVE_FACTOR * baseline
        held = self._hold(t, gray, ref_gray, history, blobs, strong=strong)
        mid = 0.5 * (ref_t + t)  # the motion measured is centred between the two frames
        self._recent.append((t + PERSIST_SECONDS, pick.x, pick.y, PERSIST_RADIUS))
        # The weight is the subject's share of all that moves: about 1 for one moving thing,
        # under a half when motion is everywhere (a zoom, a crowd, a pattern).
        share = pick.mass / max(sum(b.mass for b in blobs), 1e-12)
        return SubjectSample(mid, pick.x, pick.y, pick.w, pick.h, "motion",
                             float(min(1.0, share))), held

    def _hold(self, t: float, gray: np.ndarray, ref: np.ndarray,
              history: list[tuple[float, np.ndarray]], blobs: list[MotionBlob], *,
              strong: bool) -> list[SubjectSample]:
        """Object permanence: the thing that made a strong move (``strong``: the picked blob
        moves :data:`OBJECT_MOVE_FACTOR` times more than usual), found by its look.

        At a strong move, the thing held is looked for over the whole frame; with none held,
        each strongly moving blob's look in ``ref`` is: one found again at least half its
        size away moved there, and is held from now on, and also back in ``history`` (the
        frames of earlier samples) while it looked the same where it stood. Between moves
        the thing held is looked for near where it was; it is let go when it no longer looks
        the same or :data:`OBJECT_HOLD_SECONDS` after its move.
        """
        obj = self._object
        if obj is not None and (t - obj.since > OBJECT_HOLD_SECONDS or obj.frame != gray.shape):
            obj = self._object = None
        top = max((b.mass for b in blobs), default=0.0)
        movers = [b for b in blobs if b.mass >= 0.3 * top]
        if obj is not None:
            box = _find_look(self._cv2, gray, obj.look, None if strong else obj.box)
            if strong and box is not None and not _on_blobs(box, movers, gray.shape):
                box = None  # found where nothing moves: not the thing that moved
            if box is not None:
                obj.box = box
                if strong:  # it moves: what is around it changes, its look is taken anew
                    obj.since = t
                    now = _cut(gray, box)
                    if now is not None:
                        obj.look = now
                return [obj.sample(t, box)]
            self._object = None
        if not strong:
            return []
        for b in sorted(movers, key=lambda b: -b.mass):
            if b.w * b.h > OBJECT_MAX_AREA or max(b.w, b.h) > OBJECT_MAX_SIDE:
                continue  # an arm, a person, a vehicle: not a thing to hold by its look
            origin = _patch_box(b, gray.shape)
            look = _cut(ref, origin)
            if look is None:
                continue
            box = _find_look(self._cv2, gray, look, None)
            if box is None or _apart(origin, box) < 0.5 or not _on_blobs(box, movers, gray.shape):
                continue
            now = _cut(gray, box)
            self._object = _HeldObject(look if now is None else now, box, t, gray.shape)
            back = []
            for when, frame in reversed(history):  # the last is ``ref`` itself
                there = None if t - when > OBJECT_HOLD_SECONDS or frame.shape != ref.shape \
                    else _find_look(self._cv2, frame, look, origin, reach=0.25)
                if there is None:
                    break
                back.append(self._object.sample(when, there))
            return [*back[::-1], self._object.sample(t, box)]
        return []

    def _salient_point(self, gray: np.ndarray) -> tuple[float, float]:
        """Centre of the spectral-residual saliency map, averaged over recent samples so that
        sensor noise does not make it wander."""
        sal = _saliency_map(gray)
        if self._saliency is not None and self._saliency.shape == sal.shape:
            sal = 0.5 * sal + 0.5 * self._saliency
        self._saliency = sal
        return _map_centroid(sal)


@dataclass(slots=True)
class _HeldObject:
    """A thing that moved, held by its look (a grey patch), where it was last found (a pixel
    box ``x, y, w, h`` of the half-size grey frame) and when its last move was seen."""

    look: np.ndarray
    box: tuple[int, int, int, int]
    since: float
    frame: tuple[int, ...]  # the grey frame's shape

    def sample(self, t: float, box: tuple[int, int, int, int]) -> SubjectSample:
        """The subject sample of the thing found at ``box`` at time ``t``."""
        gh, gw = self.frame[:2]
        x, y, w, h = box
        return SubjectSample(t, (x + w / 2) / gw, (y + h / 2) / gh, w / gw, h / gh, "object",
                             OBJECT_WEIGHT)


def _patch_box(b: MotionBlob, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """The pixel box of blob ``b`` in a frame of ``shape``, at least 8 pixels a side and at
    most half the frame."""
    gh, gw = shape[:2]
    w = int(min(max(8, round(b.w * gw)), gw // 2))
    h = int(min(max(8, round(b.h * gh)), gh // 2))
    x = int(min(max(0, round(b.x * gw - w / 2)), gw - w))
    y = int(min(max(0, round(b.y * gh - h / 2)), gh - h))
    return x, y, w, h


def _cut(frame: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray | None:
    """The patch of ``frame`` in ``box``, or None when it is too plain to be found again."""
    x, y, w, h = box
    patch = frame[y : y + h, x : x + w]
    if patch.shape != (h, w) or float(patch.std()) < OBJECT_MIN_CONTRAST:
        return None
    return patch.copy()


def _find_look(cv2: object, frame: np.ndarray, look: np.ndarray,
               near: tuple[int, int, int, int] | None, *,
               reach: float | tuple[float, float] = 1.0, match: float = OBJECT_MATCH,
               ) -> tuple[int, int, int, int] | None:
    """Where ``look`` is in ``frame`` (a pixel box), its normalised cross-correlation at least
    ``match``: anywhere, or within ``reach`` times its size (one factor, or one per axis) of
    the box ``near``; None when not found."""
    gh, gw = frame.shape
    h, w = look.shape
    x0 = y0 = 0
    area = frame
    if near is not None:
        nx, ny = near[0], near[1]
        kx, ky = reach if isinstance(reach, tuple) else (reach, reach)
        rx, ry = max(2, int(kx * w)), max(2, int(ky * h))
        x0, y0 = max(0, nx - rx), max(0, ny - ry)
        area = frame[y0 : min(gh, ny + h + ry), x0 : min(gw, nx + w + rx)]
    if area.shape[0] < h or area.shape[1] < w:
        return None
    score = cv2.matchTemplate(area, look, cv2.TM_CCOEFF_NORMED)  # type: ignore[attr-defined]
    _, best, _, (bx, by) = cv2.minMaxLoc(score)  # type: ignore[attr-defined]
    if not best >= match:
        return None
    return x0 + int(bx), y0 + int(by), w, h


def _on_blobs(box: tuple[int, int, int, int], blobs: list[MotionBlob],
              shape: tuple[int, ...]) -> bool:
    """Whether the centre of the pixel ``box`` lies within one of ``blobs``' boxes."""
    gh, gw = shape[:2]
    x, y = (box[0] + box[2] / 2) / gw, (box[1] + box[3] / 2) / gh
    return any(abs(x - b.x) <= b.w / 2 and abs(y - b.y) <= b.h / 2 for b in blobs)


def _apart(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """How far apart two boxes of one size are, in their sizes (the larger of the axes)."""
    return max(abs(a[0] - b[0]) / a[2], abs(a[1] - b[1]) / a[3])


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
    cv2 = import_cv2()
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
    cv2 = import_cv2()
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

