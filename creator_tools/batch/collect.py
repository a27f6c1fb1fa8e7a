"""Find the clips of a batch: files, folders (optionally recursive), a glob pattern."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

#: File name extensions taken from a folder (compared case-insensitively).
VIDEO_EXTENSIONS = frozenset({".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi"})
#: The temporary files of :func:`creator_tools.fs.atomic_output`: ``.NAME.XXXX.tmp.EXT``.
_TEMP_FILE = re.compile(r"^\..+\.tmp\.[^.]+$")
#: The clips ``creator clips --render`` and ``batch --clips`` cut: ``NAME.clip01.mp4``.
_CLIP_FILE = re.compile(r"\.clip\d{2,}\.mp4$", re.IGNORECASE)


def is_own_output(path: str | Path) -> bool:
    """``NAME.edited.mp4`` (what an edit writes), ``NAME.clip01.mp4`` (a clip cut from a long
    recording) or a hidden temporary file of one."""
    name = Path(path).name
    return (name.lower().endswith(".edited.mp4") or bool(_CLIP_FILE.search(name))
            or bool(_TEMP_FILE.match(name)))


def _wanted(path: Path, pattern: str | None) -> bool:
    if pattern is not None:
        return fnmatch.fnmatchcase(path.name, pattern)
    return path.suffix.lower() in VIDEO_EXTENSIONS


def _scan(folder: Path, *, recursive: bool) -> Iterable[Path]:
    """The files in ``folder`` (and below it, hidden folders excepted, when ``recursive``)."""
    for root, dirs, files in os.walk(folder, onerror=None):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if recursive else []
        for name in sorted(files):
            yield Path(root) / name


def collect_clips(paths: Sequence[str | Path], *, recursive: bool = False,
                  pattern: str | None = None) -> list[Path]:
    """The clips named by ``paths``: deduplicated, sorted by path.

    A folder contributes its video files (:data:`VIDEO_EXTENSIONS`, or the names matching the
    glob ``pattern``), and with ``recursive`` those of its subfolders (hidden ones skipped).
    A file is taken as given, whatever its name: a path that does not exist or is not media is
    kept, so that the batch reports it as a failed item. Our own outputs
    (``*.edited.mp4`` and hidden ``.NAME.*.tmp.EXT`` files) are always left out.
    """
    found: dict[str, Path] = {}

    def add(p: Path) -> None:
        if not is_own_output(p):
            found.setdefault(os.path.realpath(p), p)

    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            for f in _scan(p, recursive=recursive):
                if _wanted(f, pattern) and f.is_file():
                    add(f)
        else:
            add(p)
    return sorted(found.values(), key=lambda p: str(p))


def relative_folder(clip: str | Path, roots: Sequence[str | Path]) -> Path:
    """``clip``'s folder relative to the deepest of the folders ``roots`` it lies in, else ``.``.

    With ``-o OUTDIR --recursive``, outputs go to ``OUTDIR / relative_folder(clip, folders)``.
    """
    folder = Path(os.path.abspath(Path(clip).parent))
    best: Path | None = None
    for root in roots:
        r = Path(os.path.abspath(root))
        if folder.is_relative_to(r) and (best is None or len(r.parts) > len(best.parts)):
            best = r
    return folder.relative_to(best) if best is not None else Path(".")
