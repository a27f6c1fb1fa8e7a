"""The single error boundary every command runs inside."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from creator_tools.cli.console import State, error_line
from creator_tools.cli.params import add_parameters, flags_of
from creator_tools.errors import CreatorError
from creator_tools.exit_codes import ExitCode

F = TypeVar("F", bound=Callable[..., Any])

#: ``--quiet`` and ``--debug`` go before the command (``creator --quiet edit``) or after it.
GLOBAL_OPTIONS = (
    inspect.Parameter("quiet", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bars or warnings on stderr.")]),
    inspect.Parameter("debug", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=Annotated[
        bool, typer.Option("--debug", help="Show tracebacks for errors.")]),
)


def _take_globals(kwargs: dict[str, Any]) -> None:
    State.quiet = kwargs.pop("quiet") or State.quiet
    State.debug = kwargs.pop("debug") or State.debug


def guarded(func: F) -> F:
    """Run a command so that errors become one stderr line and a named exit code.

    :class:`CreatorError` maps to its ``exit_code``, its message naming the command's flags
    (``--cut must be ...``); Ctrl-C/SIGTERM to 130; any other exception is a bug, reported in
    one line (``--debug`` re-raises it with its traceback). An ``int`` returned by the command
    becomes the process exit status. The command also takes the :data:`GLOBAL_OPTIONS`.
    """
    flags = flags_of(func)

    def message(exc: CreatorError) -> str:
        text = exc.worded(lambda name: flags.get(name, name))
        return f"{exc.path}: {text}" if exc.path else text

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
            error_line(message(exc))
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

    return add_parameters(wrapper, GLOBAL_OPTIONS, _take_globals)


def add_command(app: typer.Typer, name: str, func: Callable[..., Any]) -> None:
    """Register ``func`` as command ``name`` inside the error boundary."""
    app.command(name)(guarded(func))
