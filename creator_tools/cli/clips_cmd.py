"""``creator clips``: the best short clips in a long recording, listed, rendered or exported."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from creator_tools.cli.boundary import add_command
from creator_tools.cli.console import State, emit_json, err, out
from creator_tools.cli.params import with_edit_options
from creator_tools.errors import UsageError
from creator_tools.exit_codes import ExitCode
from creator_tools.settings import EditChoices

if TYPE_CHECKING:
    from creator_tools.clips.result import ClipsResult

#: What ``--export`` writes: editors' timelines (not captions).
EXPORTS = ("otio", "fcpxml", "edl", "xml")


def register(app: typer.Typer) -> None:
    add_command(app, "clips", clips_command)


@with_edit_options
def clips_command(
    long: Annotated[Path, typer.Argument(metavar="LONG", show_default=False, readable=False,
                                         help="A long recording: a talk, podcast, stream or "
                                              "vlog (5 minutes to hours).")],
    count: Annotated[int, typer.Option("--count", "-n", min=1, metavar="N",
                                       help="Clips to find.")] = 5,
    min_seconds: Annotated[float, typer.Option("--min", metavar="S",
                                               help="Shortest clip, seconds.")] = 15.0,
    max_seconds: Annotated[float, typer.Option("--max", metavar="S",
                                               help="Longest clip, seconds.")] = 60.0,
    json_out: Annotated[bool, typer.Option(
        "--json", help="One JSON object on stdout: the source and its clips, best first.")
    ] = False,
    render: Annotated[bool, typer.Option(
        "--render", help="Cut each clip with the edit pipeline into NAME.clip01.mp4... "
                         "(with plan, caption and SRT sidecars).")] = False,
    outdir: Annotated[Path | None, typer.Option(
        "-o", "--output-dir", metavar="DIR",
        help="Where --render, --export and --review write (default: beside LONG).")] = None,
    exports: Annotated[str | None, typer.Option(
        "--export", metavar="FORMAT",
        help="Also write every clip as one timeline for an editor, best first: otio, "
             "fcpxml, edl or xml (NAME.clips.otio...).")] = None,
    model: Annotated[str | None, typer.Option(
        "--model", show_default=False,
        help="Speech model: a faster-whisper name or folder. Default: the bundled "
             "tiny.en.")] = None,
    language: Annotated[str | None, typer.Option(
        "--language", show_default=False,
        help="Spoken language, two letters, or auto. Default: your profile, else en.")] = None,
    review: Annotated[bool, typer.Option(
        "--review", help="Also write the clips as NAME.clips.json and a review page of them "
                         "(NAME.clips.review.html: see creator review).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache",
                                           help="Ignore cached analysis and transcript.")]
    = False,
    *, choices: EditChoices,
) -> int:
    """Find the best 15-60 s clips in a long recording, offline: whole sentences inside one
    topic, ranked by an explainable score (hook, completeness, energy, pace, dead air,
    ending, visual hook).

    Lists them (a table, or --json); --render cuts them with the options of creator edit;
    --export hands them to an editor. The analysis and transcript are cached: another run
    with other options is quick.
    """
    from creator_tools.cli.progress import steps
    from creator_tools.clips.find import ClipSettings, find_clips

    settings = ClipSettings(count, min_seconds, max_seconds, model, _language(language))
    settings.check()
    fmt = exports.lower() if exports else None
    if fmt is not None and fmt not in EXPORTS:
        raise UsageError(f"unknown --export format {exports!r} (one of: {', '.join(EXPORTS)})")
    if render or fmt or review:
        _check_outdir(outdir)
    folder = outdir if outdir is not None else long.parent
    clips_file = folder / f"{long.stem}.clips.json"
    if review:
        from creator_tools.fs import check_output

        check_output(clips_file, force=force, inputs=(long,))
    if render:
        from creator_tools.pipeline.job import check_choices

        check_choices(choices)  # a typo fails at once, not after the analysis
    with steps("analyze", "words") as (analyze_bar, words_bar):
        result = find_clips(long, settings, analyze_progress=analyze_bar,
                            transcribe_progress=words_bar, use_cache=not no_cache)
    if json_out:
        emit_json(result.to_dict())
    else:
        _table(result)
    if not State.quiet:
        for note in result.notes:
            err.print(f"note: {note}", markup=False, soft_wrap=True)
    if fmt:
        from creator_tools.clips.render import export_clips

        path = export_clips(result, fmt, folder / f"{long.stem}.clips{_suffix(fmt)}",
                            force=force)
        _said(f"timeline written to {path}")
    if review:
        _review(result, clips_file, force)
    if render and result.clips:
        _render(result, choices, outdir, force)
    return ExitCode.OK


def _language(language: str | None) -> str | None:
    from creator_tools.cli.profile import profile_default
    from creator_tools.settings.profile import validate

    value = profile_default(language, "language", "en") or "en"
    return None if value.strip().lower() == "auto" else validate("language", value)


def _suffix(fmt: str) -> str:
    from creator_tools.export.formats import get_format

    return get_format(fmt).extension


def _check_outdir(outdir: Path | None) -> None:
    from creator_tools.fs import output_folder

    if outdir is not None:
        output_folder(outdir)


def _said(message: str) -> None:
    """A line for people: on stdout, or on stderr when stdout carries JSON."""
    if State.quiet:
        return
    err.print(message, markup=False, soft_wrap=True)


def _render(result: ClipsResult, choices: EditChoices, outdir: Path | None,
            force: bool) -> None:
    from creator_tools.cli.progress import step
    from creator_tools.clips.render import render_clips

    with step("render") as bar:
        made = render_clips(result, choices, outdir=outdir, force=force, progress=bar)
    for r in made:
        _said(f"clip {r.rank:02d}  {r.video}  {r.duration:.1f} s")


def _review(result: ClipsResult, clips_file: Path, force: bool) -> None:
    """The clips as a file (the source named absolutely) and the review page of it."""
    import json

    from creator_tools.cli.progress import step
    from creator_tools.edit.sidecars import write_text_atomic
    from creator_tools.review.page import write_review

    data = {**result.to_dict(), "source": str(Path(result.source).resolve())}
    write_text_atomic(clips_file, json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                      force=force)
    with step("review") as bar:
        page = write_review(clips_file, force=force, progress=bar)
    _said(f"clips written to {clips_file}; review page {page.page}")


def _clock(t: float) -> str:
    m, s = divmod(t, 60)
    h, m = divmod(int(m), 60)
    return f"{h}:{m:02d}:{s:04.1f}" if h else f"{m}:{s:04.1f}"


def _table(result: ClipsResult) -> None:
    from rich.markup import escape
    from rich.table import Table

    if not result.clips:
        out.print(f"{result.source}: no clip found", markup=False)
        return
    table = Table(title=f"{escape(str(result.source))} ({_clock(result.duration)})",
                  show_edge=False, pad_edge=False, header_style="bold", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("from", justify="right")
    table.add_column("to", justify="right")
    table.add_column("s", justify="right")
    table.add_column("score", justify="right")
    table.add_column("title / why", overflow="fold")
    for c in result.clips:
        why = "; ".join(c.reasons[:3])
        table.add_row(str(c.rank), _clock(c.start), _clock(c.end), f"{c.duration:.0f}",
                      f"{c.score:.0f}", f"[bold]{escape(c.title or '(no words)')}[/]\n"
                                        f"[dim]{escape(why)}[/]")
    out.print(table)
