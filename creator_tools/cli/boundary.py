"""The single error boundary every command runs inside."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from creator_tools.cli.console import State, error_line
from creator_tools.errors import CreatorError
from creator_tools.exit_codes import ExitCode

F = TypeVar("F", bound=Callable[..., Any])


def guarded(func: F) -> F:
    """Run a command so that errors become one stderr line and a named exit code.

    :class:`CreatorError` maps to its ``exit_code``; Ctrl-C/SIGTERM to 130; any other exception
    is a bug, reported in one line (``--debug`` re-raises it with its traceback). An ``int``
    returned by the command becomes the process exit status.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            rv = func(*args, **kwargs)
        except typer.Exit:
            raise
        except KeyboardInterrupt:
            error_line("interrupted")
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except CreatorError as exc:
            if State.debug:
                raise
            error_line(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            raise typer.Exit(ExitCode.OK) from None
        except Exception as exc:
            if State.debug:
                raise
            error_line(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug)")
            raise typer.Exit(ExitCode.ERROR) from None
        if isinstance(rv, int) and rv != ExitCode.OK:
            raise typer.Exit(int(rv))
        return None

    return wrapper  # type: ignore[return-value]


def add_command(app: typer.Typer, name: str, func: Callable[..., Any]) -> None:
    """Register ``func`` as command ``name`` inside the error boundary."""
    app.command(name)(guarded(func))
