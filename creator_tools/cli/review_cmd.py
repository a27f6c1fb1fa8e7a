"""``creator review``: a page to look at an edit (or ``creator clips`` candidates) and change it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from creator_tools.cli.boundary import add_command
from creator_tools.cli.console import emit_json, err, out
from creator_tools.exit_codes import ExitCode


def register(app: typer.Typer) -> None:
    add_command(app, "review", review_command)


def open_in_browser(page: Path) -> None:
    """Open ``page`` in the default browser (a note on stderr when there is none)."""
    import webbrowser

    if not webbrowser.open(page.resolve().as_uri()):
        err.print(f"note: no browser to open; open {page} yourself", markup=False)


def review_command(
    path: Annotated[Path, typer.Argument(
        metavar="CLIP|PLAN|CLIPS.json", show_default=False, readable=False,
        help="A clip (its creator edit plan sidecar is used when there is one), an edit "
             "plan, or the JSON of creator clips.")],
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", metavar="PAGE.html",
        help="The page to write (default: NAME.review.html beside the input; thumbnails go "
             "into NAME.review.thumbs beside it).")] = None,
    open_page: Annotated[bool, typer.Option("--open", help="Open the page in your browser.")]
    = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing page.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON result on stdout.")]
    = False,
) -> int:
    """Write a review page: the edited video beside the original, a timeline of shots,
    speech, silences, removed ranges, beats and advice, filmstrips, loudness, the crop path
    and the suggestions.

    On the page, put removed ranges back or cut more, pick another look, music bed or
    hashtags, correct caption words, then download the changed plan and render it with the
    command the page shows. One HTML file that works offline; nothing leaves your machine.
    """
    from creator_tools.cli.progress import step
    from creator_tools.review.page import write_review

    with step("analyze") as progress:
        r = write_review(path, output=output, force=force, progress=progress)
    if json_out:
        emit_json({"page": str(r.page), "thumbnails": str(r.thumbs) if r.thumbs else None,
                   "thumbnail_count": r.thumb_count, "size": r.size, "kind": r.kind})
    else:
        out.print(f"review page {r.page} ({r.size / 1024:.0f} KB, {r.thumb_count} thumbnails)",
                  markup=False)
    if open_page:
        open_in_browser(r.page)
    return ExitCode.OK
