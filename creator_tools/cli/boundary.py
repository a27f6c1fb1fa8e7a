"""The single error boundary every command runs inside."""

from __future__ import annotations

import functools
import inspect
import shlex
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand

from creator_tools.cli.console import State, error_line, error_text
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


#: For an error of this kind, the command a user more likely meant (``{path}``: the input).
Hints = dict[type[CreatorError], str]


def guarded(func: F, hints: Hints | None = None) -> F:
    """Run a command so that errors become one stderr line and a named exit code.

    :class:`CreatorError` maps to its ``exit_code``, its message naming the command's flags
    (``--cut must be ...``); Ctrl-C/SIGTERM to 130; any other exception is a bug, reported in
    one line (``--debug`` re-raises it with its traceback). An ``int`` returned by the command
    becomes the process exit status. The command also takes the :data:`GLOBAL_OPTIONS`.
    An error of a kind in ``hints`` gets the hint after it: ``(to edit every clip in it:
    creator batch drafts)``.
    """
    flags = flags_of(func)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        State.flags = flags
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
            hint = next((h for kind, h in (hints or {}).items() if isinstance(exc, kind)), None)
            text = error_text(exc)
            if hint is not None:
                text += f" ({hint.format(path=shlex.quote(exc.path or ''))})"
            error_line(text)
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


class Command(TyperCommand):
    """A command whose usage line reads the common Unix way: ``creator edit [OPTIONS] CLIP``,
    ``creator probe [OPTIONS] PATHS...`` (typer writes required arguments as ``{clip}``)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if not isinstance(param, TyperArgument):
                continue
            name = param.metavar or (param.name or "").upper()
            if param.nargs != 1 and "..." not in name:
                name += "..."
            pieces.append(name if param.required else f"[{name}]")
        return pieces


def command_group(name: str, help: str) -> typer.Typer:
    """A group of subcommands (``creator trends ...``): plain help text, ``-h``, and its help
    when called alone."""
    return typer.Typer(name=name, rich_markup_mode=None, help=help, no_args_is_help=True,
                       context_settings={"help_option_names": ["-h", "--help"]})


def add_command(app: typer.Typer, name: str, func: Callable[..., Any],
                hints: Hints | None = None) -> None:
    """Register ``func`` as command ``name`` inside the error boundary."""
    app.command(name, cls=Command)(guarded(func, hints))


def command(app: typer.Typer, name: str) -> Callable[[F], F]:
    """:func:`add_command` as a decorator."""

    def register(func: F) -> F:
        add_command(app, name, func)
        return func

    return register
