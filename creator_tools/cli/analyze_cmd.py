"""``creator analyze``: what a sharp editor sees in a clip, as data or as a report."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from creator_tools.cli.boundary import add_command
from creator_tools.cli.console import emit_json, err, error_line, error_text, out, warn_line
from creator_tools.errors import CreatorError, InputError, OptionError
from creator_tools.exit_codes import combined

if TYPE_CHECKING:
    from creator_tools.results.insights import Insights


def register(app: typer.Typer) -> None:
    add_command(app, "analyze", analyze_command)


def analyze_command(
    clips: Annotated[list[Path], typer.Argument(help="Clips to analyze.", show_default=False,
                                                readable=False)],
    json_out: Annotated[
        bool, typer.Option("--json", help="One JSON record per clip on stdout (NDJSON).")
    ] = False,
    plot: Annotated[
        str | None,
        typer.Option("--plot", metavar="FILE.png|DIR/",
                     help="Write a pacing timeline PNG: to FILE.png for one clip, or into "
                          "folder DIR as NAME.pacing.png for each clip.",
                     show_default=False),
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

    plots = _plot_paths(plot, clips)
    settings = AnalysisSettings(min_silence=min_silence)
    insights = None if json_out else _your_audience()
    codes = []
    for clip, plot_path in zip(clips, plots, strict=True):
        try:
            result = analyze_with_progress(clip, settings=settings, use_cache=not no_cache)
            if json_out:
                emit_json(result.to_dict())
            else:
                from creator_tools.cli.report import print_report

                print_report(out, result)
                if insights is not None:
                    from rich.text import Text

                    from creator_tools.results.audience import clip_line

                    out.print(Text(clip_line(result.to_dict(), insights)), soft_wrap=True)
            if plot_path is not None:
                from creator_tools.analysis.plot import render_plot
                from creator_tools.fs import atomic_output

                with atomic_output(plot_path, force=force, inputs=(clip,)) as tmp:
                    render_plot(result, tmp)
                err.print(f"plot written to {plot_path}")
        except CreatorError as exc:
            error_line(error_text(exc))
            codes.append(exc.exit_code)
    return combined(codes)


def _your_audience() -> Insights | None:
    """The insights of your imported results when they hold a finding (else ``None``: the
    report is as it always was)."""
    from creator_tools.results.audience import load_insights

    try:
        return load_insights()
    except CreatorError as exc:
        warn_line(f"your results were not used: {error_text(exc)}")
        return None


def _plot_paths(given: str | None, clips: list[Path]) -> list[Path | None]:
    """Where each clip's plot goes: ``given`` itself for one clip (unless it is a folder),
    ``given/NAME.pacing.png`` for each clip when it is a folder or ends with a slash."""
    if given is None:
        return [None] * len(clips)
    plot = Path(given)
    if not (plot.is_dir() or given.endswith(("/", os.sep))):
        if len(clips) > 1:
            raise OptionError("{plot} FILE.png takes one clip; for several, give a folder "
                              "({plot} plots/)", options="plot")
        return [plot]
    try:
        plot.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the plot folder: {exc.strerror or exc}",
                         path=plot) from None
    return [plot / f"{Path(c).stem}.pacing.png" for c in clips]

