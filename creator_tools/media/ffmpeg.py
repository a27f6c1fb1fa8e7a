"""Locate and run the ffmpeg binary.

Resolution order:

1. ``CREATOR_FFMPEG`` (a path or a command name), used as given;
2. an ``ffmpeg`` on ``PATH`` whose major version is at least :data:`MIN_SYSTEM_MAJOR`;
3. the static build shipped inside the ``imageio-ffmpeg`` wheel (has libx264, libass,
   ``lut3d``, ``ebur128``...), so a machine with only Python can render.

No shell is ever involved: every call passes an argument list.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from creator_tools.errors import ToolNotFoundError

#: Oldest system ffmpeg we accept over the bundled one (Debian 12 ships 5.1, which is too old).
MIN_SYSTEM_MAJOR = 7

_VERSION_RE = re.compile(r"ffmpeg version \D*(\d+)\.(\d+)")


@dataclass(frozen=True, slots=True)
class FFmpeg:
    """A resolved ffmpeg executable."""

    path: str
    version: str
    source: str  # "env", "system" or "bundled"


def _version_of(exe: str) -> tuple[str, int] | None:
    try:
        out = subprocess.run(
            [exe, "-hide_banner", "-version"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    first = out.splitlines()[0] if out else ""
    m = _VERSION_RE.search(first)
    if m:
        return first.split(" Copyright")[0].removeprefix("ffmpeg version ").strip(), int(m[1])
    if first.startswith("ffmpeg version"):
        # Git builds ("ffmpeg version N-12345-g...") carry no number: assume recent.
        return first.split()[2], 99
    return None


@functools.cache
def find_ffmpeg() -> FFmpeg:
    """Return the ffmpeg to use (cached for the process).

    Raises
    ------
    ToolNotFoundError
        When ``CREATOR_FFMPEG`` points at nothing runnable, or no ffmpeg is available.
    """
    env = os.environ.get("CREATOR_FFMPEG")
    if env:
        exe = shutil.which(env) or env
        found = _version_of(exe)
        if found is None:
            raise ToolNotFoundError(f"CREATOR_FFMPEG={env!r} is not a runnable ffmpeg")
        return FFmpeg(exe, found[0], "env")
    system = shutil.which("ffmpeg")
    if system:
        found = _version_of(system)
        if found and found[1] >= MIN_SYSTEM_MAJOR:
            return FFmpeg(system, found[0], "system")
    wheel = _wheel_binary()
    if wheel is not None:
        return wheel
    try:
        import imageio_ffmpeg

        exe = imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError) as exc:
        raise ToolNotFoundError(f"no usable ffmpeg: {exc}") from exc
    found = _version_of(exe)
    return FFmpeg(exe, found[0] if found else "unknown", "bundled")


#: The name of the binary in imageio-ffmpeg's wheel: ``ffmpeg-linux-x86_64-v9.0.2``.
_WHEEL_NAME = re.compile(r"^ffmpeg-.*-v(\d+(?:\.\d+)*)(?:\.exe)?$")


def _wheel_binary() -> FFmpeg | None:
    """The ffmpeg in the ``imageio-ffmpeg`` wheel, found without running it.

    ``imageio_ffmpeg.get_ffmpeg_exe`` runs the binary to check it, and reading its version
    runs it again: 0.07 s at the start of every command that uses ffmpeg. The wheel's one
    binary is its own, built for this platform (the wheel is), and its name carries its
    version; anything else (no binary, several) is left to imageio-ffmpeg.
    """
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    folder = Path(imageio_ffmpeg.__file__).parent / "binaries"
    try:
        found = [(e.path, m[1]) for e in os.scandir(folder)
                 if (m := _WHEEL_NAME.match(e.name)) and e.is_file()]
    except OSError:
        return None
    if len(found) != 1 or not os.access(found[0][0], os.X_OK):
        return None
    return FFmpeg(found[0][0], found[0][1], "bundled")


def ffmpeg_exe() -> str:
    """Path of the ffmpeg executable to run."""
    return find_ffmpeg().path


def base_args() -> list[str]:
    """The arguments every ffmpeg call starts with: quiet, no stdin, no stats."""
    return [ffmpeg_exe(), "-nostdin", "-hide_banner", "-nostats"]


def input_path_arg(path: str | Path) -> str:
    """Spell ``path`` so ffmpeg reads (or writes) it as a plain file.

    Names that start with ``-`` or contain ``:`` would otherwise be taken for an option or a
    protocol (``a:b.mp4``); the ``file:`` protocol prefix makes every name literal.
    """
    return "file:" + os.fspath(path)
