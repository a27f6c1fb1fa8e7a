"""Safe output files: written under a temporary name in the target folder, renamed when done."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from creator_tools.errors import InputError, OutputExistsError, ProcessingError


def check_output(path: str | Path, *, force: bool = False,
                 inputs: tuple[str | Path, ...] = ()) -> Path:
    """Validate an output path: its folder exists and is writable, it is not an input, and it
    does not exist unless ``force``. Raises :class:`OutputExistsError` (exit 5) for an existing
    output, :class:`InputError` (exit 3) otherwise."""
    out = Path(path)
    if "\0" in str(out):
        raise InputError("unusable output name: it contains a NUL byte",
                         path=str(out).replace("\0", "\\0"))
    for src in inputs:
        with contextlib.suppress(OSError):
            if (out.exists() and out.samefile(src)) or out.resolve() == Path(src).resolve():
                raise InputError("output would overwrite the input", path=out)
    try:
        exists = out.exists()  # raises for a name too long (ENAMETOOLONG)
    except OSError as exc:
        raise InputError(f"unusable output name: {exc.strerror or exc}", path=out) from None
    if out.is_dir():
        raise InputError("output is a directory", path=out)
    if exists and not force:
        raise OutputExistsError(path=out)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("output folder does not exist", path=folder)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError("output folder is not writable", path=folder)
    return out


#: The output's stem in a temporary name is cut to this many characters, so that the name
#: stays well under the 255-byte limit of file names.
_TEMP_STEM = 40


def output_folder(path: str | Path) -> Path:
    """The folder ``path`` for outputs, created when missing; :class:`InputError` when it is a
    file or cannot be created."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise InputError("the output folder is a file", path=folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output folder: {exc.strerror or exc}",
                         path=folder) from None
    return folder


def _umask() -> int:
    """The process umask (read without changing it where /proc allows)."""
    with contextlib.suppress(OSError, ValueError, StopIteration):
        with open("/proc/self/status", encoding="ascii") as fh:
            line = next(ln for ln in fh if ln.startswith("Umask:"))
        return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(path: str | Path, *, force: bool = False,
                  inputs: tuple[str | Path, ...] = ()) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` (same suffix); rename it to ``path`` on success.

    On any exception (including KeyboardInterrupt) the temporary file is removed, and nothing
    exists under the final name that was not there before.
    """
    out = check_output(path, force=force, inputs=inputs)
    folder = out.parent if str(out.parent) else Path(".")
    suffix = out.suffix if len(out.suffix) <= 16 else ""
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{out.stem[:_TEMP_STEM]}.",
                                        suffix=f".tmp{suffix}")
    except OSError as exc:
        raise ProcessingError(f"cannot write output: {exc.strerror or exc}", path=out) from None
    tmp = Path(tmp_name)
    with contextlib.suppress(OSError):  # mkstemp makes it private (0600): the usual mode
        os.fchmod(fd, 0o666 & ~_umask())
    os.close(fd)
    try:
        yield tmp
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise ProcessingError("nothing was written", path=out)
        if out.exists() and not force:
            raise OutputExistsError("output appeared meanwhile (use {force} to overwrite)",
                                    path=out)
        os.replace(tmp, out)
    except OSError as exc:
        raise ProcessingError(f"cannot write output: {exc.strerror or exc}", path=out) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
