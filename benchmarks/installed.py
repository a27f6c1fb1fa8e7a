"""The package as an install leaves it, for benchmarks that time fresh processes."""

from __future__ import annotations

import compileall
import functools
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "creator_tools"


@functools.cache
def compile_package() -> None:
    """Write the package's bytecode, as pip does when it installs the wheel.

    A checkout has none where ``PYTHONDONTWRITEBYTECODE`` is set (this project's sandboxes
    set it): each timed process would then compile every module it imports (0.06 s of a
    clip's render, more of a cold ``creator`` command), a cost no installed copy pays.
    Python reads bytecode whatever that variable says, so writing it once here is enough.
    """
    compileall.compile_dir(str(PACKAGE), quiet=1, workers=1)
