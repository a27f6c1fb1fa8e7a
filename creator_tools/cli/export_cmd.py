"""``creator export``: an edit plan as a timeline for video editors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from creator_tools.cli.boundary import add_command
from creator_tools.cli.console import State, err
from creator_tools.exit_codes import ExitCode
from creator_tools.export.formats import FORMATS


def register(app: typer.Typer) -> None:
    add_command(app, "export", export_command)


def export_command(
    plan_file: Annotated[Path, typer.Argument(metavar="PLAN", help="A plan file, or - for stdin.",
                                              show_default=False, readable=False)],
    to: Annotated[str, typer.Option("--to", help=f"Format: {', '.join(FORMATS)}.",
                                    show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="File to write, or - for stdout (default: the plan's name with "
                               "the format's extension beside it; stdout for a plan on stdin).",
    )] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> int:
    """Export an edit plan's cuts as a timeline for Premiere, Resolve, Final Cut or Avid.

    otio: OpenTimelineIO; fcpxml: Final Cut Pro; edl: CMX 3600 EDL; xml (or fcp7xml): Final Cut
    Pro 7 XML, which Premiere and Resolve import. Each kept segment becomes one clip that
    references the source file, so the editor can refine the cuts.
    """
    from creator_tools.edit.plan import load_plan
    from creator_tools.export.formats import (
        default_output,
        export_note,
        export_text,
        get_format,
        write_export,
    )

    get_format(to)
    stdin = str(plan_file) == "-"
    if output is None and not stdin:
        output = default_output(plan_file, to)
    plan = load_plan(plan_file)
    if output is None or str(output) == "-":
        typer.echo(export_text(plan, to), nl=False)
        return ExitCode.OK
    inputs = () if stdin else (plan_file,)
    written = write_export(plan, output, to, force=force, inputs=inputs)
    err.print(f"{to} written to {written}", markup=False)
    note = export_note(plan, to)
    if note and not State.quiet:
        err.print(f"note: {note}", markup=False, soft_wrap=True)
    return ExitCode.OK
