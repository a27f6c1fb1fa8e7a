"""The clips the project has seen: what a row of an analytics export may be.

Two places are looked in: folders given with ``--match`` (searched with their subfolders for
videos, and for the plan and caption sidecars ``creator edit`` writes beside each edited
video), and the analysis cache (every clip ``creator`` analyzed, by absolute path, that is
still there). A clip is known by its titles (an edit's caption line, with and without its
hashtags; its file name without the extension; for an edit, its source clip's name too), its
length and the date it was made (an edit's render time, else the file's modification date).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from creator_tools.errors import CreatorError, InputError

#: File extensions taken for videos.
VIDEO_EXTENSIONS = {".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi"}
#: At most this many files are looked at under one ``--match`` folder.
MAX_FILES_PER_FOLDER = 20000


@dataclass(frozen=True)
class SeenClip:
    """A video the project knows, that a creator may have posted."""

    video: Path
    #: The plan sidecar of an edited video (``NAME.plan.json``), else ``None``.
    plan: Path | None
    #: Caption lines and file names a post's title may equal (as written).
    titles: tuple[str, ...]
    #: Seconds (``None``: unknown).
    duration: float | None
    #: The day it was made: rendered, or last modified.
    made_on: dt.date | None

    @property
    def edited(self) -> bool:
        return self.plan is not None


def _day_of_ns(ns: int) -> dt.date:
    return dt.datetime.fromtimestamp(ns / 1e9).date()


def _mtime_day(path: Path) -> dt.date | None:
    try:
        return _day_of_ns(path.stat().st_mtime_ns)
    except OSError:
        return None


def _stem(path: Path) -> str:
    return path.name[: -len(path.suffix)] if path.suffix else path.name


def plan_sidecar(video: Path) -> Path | None:
    """``NAME.plan.json`` beside ``NAME.mp4`` when it exists."""
    plan = video.with_name(f"{_stem(video)}.plan.json")
    return plan if plan.is_file() else None


def clip_from_video(video: Path, *, duration: float | None = None) -> SeenClip:
    """What is known of ``video`` (probed for its length unless given; a readable plan
    sidecar supplies caption, length and render date)."""
    from creator_tools.edit.plan import load_plan
    from creator_tools.edit.sidecars import caption_text, sidecar_paths

    video = video.resolve()
    titles = [_stem(video)]
    made_on = _mtime_day(video)
    plan_path = plan_sidecar(video)
    if plan_path is not None:
        try:
            plan = load_plan(plan_path)
        except CreatorError:
            plan_path = None
        else:
            duration = plan.duration
            titles = [plan.captions.text, caption_text(plan), *titles,
                      _stem(Path(plan.source().path))]
            caption_file = sidecar_paths(video)[1]
            if caption_file.is_file():
                with contextlib.suppress(OSError, UnicodeDecodeError):
                    titles.append(caption_file.read_text(encoding="utf-8").strip())
            if plan.origin is not None:
                made_on = _day_of_ns(plan.origin.output_mtime_ns)
    if duration is None:
        from creator_tools.media.probe import probe

        duration = probe(video).duration
    unique = tuple(dict.fromkeys(t.strip() for t in titles if t and t.strip()))
    return SeenClip(video, plan_path, unique, duration, made_on)


def clips_in(folder: str | Path) -> list[SeenClip]:
    """Every readable video under ``folder`` (and its subfolders)."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError("not a folder", path=root)
    found: list[SeenClip] = []
    for count, path in enumerate(sorted(_walk(root))):
        if count >= MAX_FILES_PER_FOLDER:
            break
        if path.suffix.lower() in VIDEO_EXTENSIONS and not path.name.startswith("."):
            try:
                found.append(clip_from_video(path))
            except CreatorError:
                continue  # not media, or damaged: it cannot be what was posted
    return found


def _walk(root: Path) -> Iterable[Path]:
    for base, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            yield Path(base) / name


def clips_in_cache() -> list[SeenClip]:
    """The videos in the analysis cache named by an absolute path that still exist."""
    from creator_tools.cache import cache_dir

    folder = cache_dir() / "analysis"
    try:
        entries = sorted(folder.glob("*.json"))
    except OSError:
        return []
    found: dict[Path, SeenClip] = {}
    for entry in entries:
        try:
            media = json.loads(entry.read_text(encoding="utf-8")).get("media") or {}
        except (OSError, ValueError, AttributeError):
            continue
        path = Path(str(media.get("path") or ""))
        if not path.is_absolute() or path in found or not media.get("video"):
            continue
        if path.suffix.lower() not in VIDEO_EXTENSIONS or not path.is_file():
            continue
        try:
            found[path] = clip_from_video(path, duration=media.get("duration"))
        except CreatorError:
            continue
    return list(found.values())


def seen_clips(folders: Iterable[str | Path] = (), *, cache: bool = True) -> list[SeenClip]:
    """The clips in ``folders`` and (with ``cache``) in the analysis cache, once each."""
    out: dict[Path, SeenClip] = {}
    for folder in folders:
        for clip in clips_in(folder):
            out.setdefault(clip.video, clip)
    if cache:
        for clip in clips_in_cache():
            out.setdefault(clip.video, clip)
    return list(out.values())
