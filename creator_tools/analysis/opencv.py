"""OpenCV, imported thread-safely, and its bundled Haar cascades."""

from __future__ import annotations

import os
import threading
from types import ModuleType

# Importing cv2 is not thread-safe: its bootstrap swaps the module in sys.modules, so a
# second thread can see the bare native module without ``cv2.data`` for a moment. cv2 is
# imported, and cascade files are found and loaded, under this lock.
_CV2_LOCK = threading.Lock()
_CV2: ModuleType | None = None
_HAAR_DIR: str | None = None


def import_cv2() -> ModuleType:
    """``import cv2`` under :data:`_CV2_LOCK` (see there)."""
    global _CV2
    if _CV2 is None:
        with _CV2_LOCK:
            if _CV2 is None:
                import cv2

                _CV2 = cv2
    return _CV2


def _haar_dir() -> str:
    """The directory of OpenCV's bundled Haar cascades (resolved once, thread-safely)."""
    global _HAAR_DIR
    cv2 = import_cv2()
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
    file is missing or unreadable). Each user gets its own: detection mutates it."""
    cv2 = import_cv2()
    folder = _haar_dir()
    with _CV2_LOCK:
        cascade = cv2.CascadeClassifier(os.path.join(folder, name))
    return None if cascade.empty() else cascade
