"""Filmstrip thumbnails: small JPEGs of each shot, from one ffmpeg decode of the source.

ffmpeg's ``select`` filter keeps the first frame at or after each wanted time, ``showinfo``
reports the time of each frame it kept, and the ``image2`` muxer writes them as
``0001.jpg``... into a folder beside the page. The folder holds a marker file, so that a
later run replaces only a folder it made.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from creator_tools.analysis.spans import Span
from creator_tools.errors import InputError, OutputExistsError, ProcessingError
from creator_tools.fs import _umask

#: The file that marks a thumbnail folder as made by creator-tools.
MARKER = ".creator-review-thumbs"
HEIGHT = 108
_SHOWINFO = re.compile(r"\bn:\s*(\d+)\s+pts:\s*-?\d+\s+pts_time:\s*(-?[\d.]+)")


@dataclass(frozen=True, slots=True)
class Thumb:
    """A thumbnail: ``file`` (a name in the folder) shows the source at ``time`` seconds."""

    time: float
    file: str


def thumb_times(shots: Sequence[Span], *, spacing: float = 2.0, per_shot: int = 6,
                total: int = 240) -> list[float]:
    """Times to show: 1 to ``per_shot`` per shot, about ``spacing`` seconds apart, centred in
    equal parts of the shot, at most about ``total`` in all (sparser on a long source)."""
    def count(s: Span, gap: float) -> int:
        return max(1, min(per_shot, math.ceil(s.duration / gap)))

    gap = spacing
    while sum(count(s, gap) for s in shots) > max(total, len(shots)) and gap < 1e6:
        gap *= 1.25
    times = []
    for s in shots:
        n = count(s, gap)
        times += [round(s.start + (k + 0.5) * s.duration / n, 3) for k in range(n)]
    return times


#: Times per ``select`` filter: ffmpeg's expression parser refuses much longer sums.
_PER_SELECT = 40


def _select_expr(times: Sequence[float]) -> str:
    """``select``: the first frame at or after each time (one per time)."""
    terms = [f"gte(t\\,{t:.3f})*(isnan(prev_selected_t)+lt(prev_selected_t\\,{t:.3f}))"
             for t in times]
    return f"gt({'+'.join(terms)}\\,0)"


def filtergraph(times: Sequence[float], height: int) -> str:
    """The graph: the decoded picture split into branches of at most :data:`_PER_SELECT`
    times, each selecting and scaling its frames, interleaved back in time order."""
    groups = [times[i:i + _PER_SELECT] for i in range(0, len(times), _PER_SELECT)]
    n = len(groups)
    head = f"[0:v]setpts=PTS-STARTPTS,split={n}" + "".join(f"[s{i}]" for i in range(n))
    branches = [f"[s{i}]select='{_select_expr(g)}',scale=-2:{height}:flags=bilinear[t{i}]"
                for i, g in enumerate(groups)]
    tail = "".join(f"[t{i}]" for i in range(n)) + f"interleave=nb_inputs={n},showinfo[out]"
    return ";".join([head, *branches, tail])


def check_thumb_folder(folder: Path, *, force: bool) -> None:
    """Refuse to replace a folder we did not make, or one we made without ``force``."""
    if not folder.exists():
        return
    if not folder.is_dir() or not (folder / MARKER).is_file():
        raise InputError("exists and was not made by creator review: not replaced", path=folder)
    if not force:
        raise OutputExistsError(path=folder)


def make_thumbnails(source: Path, times: Sequence[float], folder: Path, *,
                    force: bool = False, height: int = HEIGHT) -> list[Thumb]:
    """Write a thumbnail of ``source`` at each of ``times`` into ``folder`` (replaced whole,
    only once all of it is written). Returns what was written, in time order."""
    from creator_tools.media.ffmpeg import base_args, input_path_arg

    check_thumb_folder(folder, force=force)
    if not times:
        return []
    times = sorted(times)
    parent = folder.parent if str(folder.parent) else Path(".")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name[:40]}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise ProcessingError(f"cannot write thumbnails: {exc.strerror or exc}",
                              path=folder) from None
    try:
        cmd = [*base_args(), "-loglevel", "info", "-i", input_path_arg(source),
               "-filter_complex", filtergraph(times, height), "-map", "[out]",
               "-fps_mode", "passthrough",
               "-q:v", "5", "-f", "image2", input_path_arg(tmp / "%04d.jpg")]
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              errors="replace", check=False)
        if proc.returncode != 0:
            tail = proc.stderr.strip().splitlines()[-1:] or ["no message"]
            raise ProcessingError(f"thumbnails failed: {tail[0]}", path=source)
        shown = [float(m[2]) for m in _SHOWINFO.finditer(proc.stderr)]
        thumbs = [Thumb(round(t, 3), f"{i + 1:04d}.jpg") for i, t in enumerate(shown)
                  if (tmp / f"{i + 1:04d}.jpg").is_file()]
        (tmp / MARKER).write_text("thumbnails of a creator-tools review page\n",
                                  encoding="utf-8")
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it private
        old = None
        if folder.exists():
            old = folder.with_name(f".{folder.name[:40]}.{os.getpid()}.old")
            os.replace(folder, old)
        os.replace(tmp, folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise ProcessingError(f"cannot write thumbnails: {exc.strerror or exc}",
                              path=folder) from None
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(tmp)
    return thumbs
