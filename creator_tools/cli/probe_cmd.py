"""``creator probe``: what is in a media file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from creator_tools.cli.boundary import add_command
from creator_tools.cli.console import emit_json, error_line, error_text, out
from creator_tools.exit_codes import combined


def register(app: typer.Typer) -> None:
    add_command(app, "probe", probe_command)


def probe_command(
    paths: Annotated[list[Path], typer.Argument(help="Media files to probe.", show_default=False,
                                                readable=False)],
    json_out: Annotated[
        bool, typer.Option("--json", help="One JSON record per file on stdout (NDJSON).")
    ] = False,
) -> int:
    """Show container, duration, video and audio streams of media files.

    A bad file gets one error line on stderr (exit 3); the other files are still probed.
    """
    from creator_tools.media.probe import MediaInfo, probe_many

    results = probe_many(list(paths))
    good: list[MediaInfo] = []
    codes = []
    for result in results:
        if isinstance(result, MediaInfo):
            good.append(result)
            if json_out:
                emit_json(result.to_dict())
        else:
            codes.append(result.exit_code)
            error_line(error_text(result))
    if good and not json_out:
        out.print(_table(good))
    return combined(codes)


def _table(infos: list) -> object:
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    for col in ("file", "container", "duration", "video", "audio"):
        table.add_column(col, overflow="fold")
    for info in infos:
        v = info.video
        if v:
            size = f"{v.display_width}x{v.display_height}"
            if v.rotation:
                size += f" (stored {v.width}x{v.height}, rot {v.rotation})"
            rate = f"{v.fps:.3f}".rstrip("0").rstrip(".") + (" VFR" if v.variable_fps else "")
            extras = f"{v.pix_fmt} {v.bit_depth}-bit" + (" HDR" if v.hdr else "")
            video = f"{v.codec} {size} @ {rate} fps, {v.frames} frames, {extras}"
        else:
            video = "-"
        a = info.audio
        audio = f"{a.codec} {a.sample_rate} Hz, {a.channels} ch" if a else "-"
        container = info.container.split(",")[0]
        table.add_row(info.path, container, f"{info.duration:.3f} s", video, audio)
    return table
