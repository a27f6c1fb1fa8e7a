"""``creator plan``, ``creator render`` and ``creator edit`` (= analyze -> plan -> render)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from creator_tools.cli.boundary import add_command
from creator_tools.cli.console import State, emit_json, err, out
from creator_tools.cli.params import with_edit_options
from creator_tools.errors import NotAFileError, NoVideoError
from creator_tools.exit_codes import ExitCode
from creator_tools.settings import EditChoices

ExportOpt = Annotated[list[str] | None, typer.Option(
    "--export", metavar="FORMAT",
    help="Also write the cut list for an editor beside the video: otio, fcpxml, xml, edl or "
         "srt (repeatable).")]
Force = Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.")]
JsonOut = Annotated[bool, typer.Option("--json", help="Print a JSON result on stdout.")]


#: What a user who gave a folder or a sound file more likely meant.
HINTS = {NotAFileError: "to edit every clip in it: creator batch {path}",
         NoVideoError: "to caption its speech: creator captions {path}"}


def register(app: typer.Typer) -> None:
    add_command(app, "plan", plan_command, HINTS)
    add_command(app, "render", render_command)
    add_command(app, "edit", edit_command, HINTS)


@with_edit_options
def plan_command(
    clip: Annotated[Path, typer.Argument(help="The clip to plan.", show_default=False,
                                        readable=False)],
    choices: EditChoices,
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Plan file (default: stdout).")] = None,
    force: Force = False,
) -> int:
    """Analyze a clip and write its edit plan (JSON) without rendering.

    Inspect or hand-edit the plan, then render it with: creator render PLAN -o OUT.mp4.
    Option defaults come from your config, a creator.toml and --preset (see: creator config
    show).
    """

    from creator_tools.cli.progress import step
    from creator_tools.pipeline.job import analyze_and_plan

    with step("analyze") as progress:
        _, plan = analyze_and_plan(clip, choices, progress=progress)
    if output is None or str(output) == "-":
        typer.echo(plan.to_json(), nl=False)
    else:
        plan.save(output, force=force)
        err.print(f"plan written to {output}")
    return ExitCode.OK


def render_command(
    plan_file: Annotated[Path, typer.Argument(metavar="PLAN", help="A plan file, or - for stdin.",
                                              show_default=False, readable=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="The video to write.")],
    force: Force = False,
    json_out: JsonOut = False,
) -> int:
    """Render an edit plan to a video (one encode of the picture, the sound beside it)."""
    from creator_tools.cli.progress import step
    from creator_tools.edit.plan import load_plan
    from creator_tools.edit.render import render

    plan = load_plan(plan_file)
    with step("render") as progress:
        result = render(plan, output, force=force, progress=progress)
    if json_out:
        emit_json({"output": str(result.output), "duration": round(result.duration, 3)})
    else:
        out.print(f"wrote {result.output} ({result.duration:.1f} s)")
    return ExitCode.OK


@with_edit_options
def edit_command(
    clip: Annotated[Path, typer.Argument(help="The raw clip.", show_default=False,
                                        readable=False)],
    choices: EditChoices,
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Default: NAME.edited.mp4 beside it.")] = None,
    force: Force = False,
    exports: ExportOpt = None,
    plan_only: Annotated[bool, typer.Option("--plan-only",
                                            help="Write the plan sidecar and stop.")] = False,
    review: Annotated[bool, typer.Option(
        "--review", help="Also write a review page beside the video: NAME.edited.review.html "
                         "(see: creator review).")] = False,
    json_out: JsonOut = False,
) -> int:
    """Turn a raw clip into a finished vertical video plus its caption: dead air cut,
    reframed around the subject, corrected, graded, loudness-normalized, music under speech.

    Writes NAME.edited.mp4 with sidecars NAME.edited.plan.json and NAME.edited.caption.txt.
    Option defaults come from your config, a creator.toml and --preset (see: creator config
    show).
    """
    from creator_tools.cli.progress import steps
    from creator_tools.pipeline.job import EditTargets, edit_clip

    page = None
    if review:  # refused before any work, like every other output
        from creator_tools.review.page import check_page, default_page

        page = default_page(EditTargets.beside(clip, output).plan)
        check_page(page, force=force, inputs=(clip,))
    with steps("analyze", "captions", "render") as (analyze_bar, words_bar, render_bar):
        r = edit_clip(clip, choices, output=output, force=force, plan_only=plan_only,
                      analyze_progress=analyze_bar, transcribe_progress=words_bar,
                      render_progress=render_bar, exports=tuple(exports or ()))
    if page is not None:
        from creator_tools.review.page import write_review

        write_review(r.plan_file, output=page, force=force)
    if json_out:
        record: dict[str, object] = {"plan": str(r.plan_file), "duration": round(r.duration, 3),
                                     "caption": r.caption}
        if not plan_only:
            record = {"output": str(r.output), "duration": round(r.duration, 3),
                      "removed_seconds": round(r.removed_seconds, 3), **record,
                      "srt": str(r.srt_file) if r.srt_file else None,
                      "exports": [str(p) for p in r.exports]}
        if page is not None:
            record["review"] = str(page)
        emit_json(record)
    elif plan_only:
        out.print(f"plan written to {r.plan_file}")
        if page is not None:
            out.print(f"review page written to {page}", markup=False)
    else:
        out.print(f"[bold green]done[/] {r.output}  {r.duration:.1f} s "
                  f"({r.removed_seconds:.1f} s of dead air removed)")
        out.print(f"plan    {r.plan_file}\ncaption {r.caption_file}")
        for extra in ([r.srt_file] if r.srt_file else []) + r.exports:
            out.print(f"{extra.suffix[1:]:<7} {extra}")
        if page is not None:
            out.print(f"review  {page}", markup=False)
        out.print(f"\n{r.caption}")
    if not State.quiet:  # on stderr, so --json stays data only
        for note in r.notes:
            err.print(f"note: {note}", markup=False, soft_wrap=True)
    return ExitCode.OK
