"""Output helpers: data to stdout, messages and progress to stderr."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

#: Messages, tables for humans, progress: stderr.
err = Console(stderr=True, highlight=False)
#: Human-readable results (tables, reports): stdout.
out = Console(highlight=False)


class State:
    """Global flags set by the top-level callback."""

    debug: bool = False
    quiet: bool = False


def progress_enabled() -> bool:
    """Progress bars only for an interactive stderr and without ``--quiet``."""
    return not State.quiet and sys.stderr.isatty()


def error_line(message: str) -> None:
    """One clear line on stderr."""
    err.print(f"[bold red]error:[/] {message}", soft_wrap=True, markup=True, highlight=False)


def warn_line(message: str) -> None:
    """One warning line on stderr (hidden by ``--quiet``)."""
    if not State.quiet:
        err.print(f"[yellow]warning:[/] {message}", soft_wrap=True)


def emit_json(record: Any) -> None:
    """Write one JSON document as one line on stdout (NDJSON when called repeatedly)."""
    sys.stdout.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")
    sys.stdout.flush()
