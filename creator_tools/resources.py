"""The data that ships inside the package: fonts, LUTs, music and the starter trend index.

Everything lives under ``creator_tools/assets/`` and is found through
:mod:`importlib.resources`, so it is wherever the package was installed (a source checkout, an
editable install or a wheel). ffmpeg reads these files by name, so the package must be
installed as files on disk (not run from a zip archive).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from creator_tools.errors import DataFileError


def package_dir() -> Path:
    """The installed ``creator_tools`` folder: bundled paths such as ``assets/music/x.m4a``
    in the trend index are relative to it."""
    root = files("creator_tools")
    if not isinstance(root, Path):
        raise DataFileError("creator-tools must be installed as files on disk, not zipped",
                            path=str(root))
    return root


def asset_path(*parts: str) -> Path:
    """A bundled file or folder: ``asset_path("luts", "warm.cube")``."""
    return package_dir().joinpath("assets", *parts)


def read_asset(path: Path, what: str) -> str:
    """The text (UTF-8) of the bundled file ``path``; :class:`DataFileError` ("cannot read
    the {what}: ...") when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(f"cannot read the {what}: {exc}", path=path) from None
