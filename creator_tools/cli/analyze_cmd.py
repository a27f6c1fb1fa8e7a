"""``creator analyze``: what a sharp editor sees in a clip, as data or as a report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from creator_tools.cli.boundary import add_command
from creator_tools.cli.console import emit_json, err, error_line, out
from creator_tools.errors import CreatorError
from creator_tools.exit_codes import ExitCode


def register(app: typer.Typer) -> None:
    add_command(app, "analyze", analyze_command)


def analyze_command(
    clips: Annotated[list[Path], typer.Argument(help="Clips to analyze.", show_default=False,
                                                readable=False)],
    json_out: Annotated[
        bool, typer.Option("--json", help="One JSON record per clip on stdout (NDJSON).")
    ] = False,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Write a pacing timeline PNG (one clip only).",
                     dir_okay=False, show_default=False),
    ] = None,
    min_silence: Annotated[
        float, typer.Option("--min-silence", min=0.1, help="Shortest gap reported, seconds.")
    ] = 0.4,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Ignore cached results.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the --plot file.")] = False,
) -> int:
    """Analyze pacing, audio, colour and subject of clips: shots, motion, loudness, speech,
    silences, tempo, the hook in the first seconds, and advice.

    Results are cached per input (size, mtime, settings): later commands do not decode again.
    """
    from creator_tools.analysis.engine import AnalysisSettings
    from creator_tools.cli.progress import analyze_with_progress

    if plot is not None and len(clips) > 1:
        error_line("--plot takes one clip")
        return ExitCode.USAGE
    settings = AnalysisSettings(min_silence=min_silence)
    failed = False
    for clip in clips:
        try:
            result = analyze_with_progress(clip, settings=settings, use_cache=not no_cache)
        except CreatorError as exc:
            error_line(str(exc))
            failed = True
            continue
        if json_out:
            emit_json(result.to_dict())
        else:
            from creator_tools.cli.report import print_report

            print_report(out, result)
        if plot is not None:
            from creator_tools.analysis.plot import render_plot
            from creator_tools.fs import atomic_output

            with atomic_output(plot, force=force) as tmp:
                render_plot(result, tmp)
            err.print(f"plot written to {plot}")
    return ExitCode.BAD_INPUT if failed else ExitCode.OK

