"""Output helpers: data to stdout, messages and progress to stderr."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

from creator_tools.errors import CreatorError

#: Messages, tables for humans, progress: stderr.
err = Console(stderr=True, highlight=False)
#: Human-readable results (tables, reports): stdout.
out = Console(highlight=False)


class State:
    """Global flags, set by the top-level callback and the running command."""

    debug: bool = False
    quiet: bool = False
    #: The running command's flag for each of its parameters (``exports`` -> ``--export``).
    flags: dict[str, str] = {}  # noqa: RUF012 (replaced, never mutated)


def error_text(exc: CreatorError) -> str:
    """A library error in the words of the running command: options as its flags."""
    text = exc.worded(lambda name: State.flags.get(name, name))
    return f"{exc.path}: {text}" if exc.path else text


def progress_enabled() -> bool:
    """Progress bars only for an interactive stderr and without ``--quiet``."""
    return not State.quiet and sys.stderr.isatty()


def error_line(message: str) -> None:
    """One clear line on stderr (the message is printed as is, never as markup)."""
    from rich.markup import escape

    err.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True, highlight=False)


def warn_line(message: str) -> None:
    """One warning line on stderr (hidden by ``--quiet``)."""
    from rich.markup import escape

    if not State.quiet:
        err.print(f"[yellow]warning:[/] {escape(message)}", soft_wrap=True, highlight=False)


def emit_json(record: Any) -> None:
    """Write one JSON document as one line on stdout (NDJSON when called repeatedly)."""
    sys.stdout.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")
    sys.stdout.flush()
