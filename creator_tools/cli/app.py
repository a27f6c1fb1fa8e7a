"""Top-level ``creator`` application and its single error boundary."""

from __future__ import annotations

import signal
import sys
from typing import Annotated

import typer

from creator_tools import __version__
from creator_tools.cli.console import State, error_line
from creator_tools.exit_codes import ExitCode

app = typer.Typer(
    name="creator",
    help="Turn raw clips into finished, upload-ready short-form videos.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"creator-tools {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bars or warnings on stderr.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """creator-tools: analyze, plan and render short-form videos."""
    State.debug = debug
    State.quiet = quiet


def _register() -> None:
    from creator_tools.cli import (
        analyze_cmd,
        batch_cmd,
        captions_cmd,
        clips_cmd,
        config_cmd,
        edit_cmd,
        export_cmd,
        music_cmd,
        probe_cmd,
        results_cmd,
        review_cmd,
        suggest_cmd,
        trends_cmd,
    )

    probe_cmd.register(app)
    analyze_cmd.register(app)
    suggest_cmd.register(app)
    edit_cmd.register(app)
    batch_cmd.register(app)
    clips_cmd.register(app)
    export_cmd.register(app)
    review_cmd.register(app)
    captions_cmd.register(app)
    trends_cmd.register(app)
    results_cmd.register(app)
    music_cmd.register(app)
    config_cmd.register(app)


_register()


def _on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run() -> None:
    """Console-script entry point: ``creator``."""
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        app()
    except KeyboardInterrupt:  # outside any command (e.g. while importing)
        error_line("interrupted")
        sys.exit(ExitCode.INTERRUPTED)
