"""``creator music``: add your own tracks to the index, list what can be used."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from creator_tools.cli.boundary import command, command_group
from creator_tools.cli.console import emit_json, error_line, error_text, out
from creator_tools.exit_codes import combined

music_app = command_group("music", "Music beds: bundled tracks and your own.")
IndexOpt = Annotated[Path | None, typer.Option("--index", help="Trend index file.")]


def register(app: typer.Typer) -> None:
    app.add_typer(music_app, name="music")


@command(music_app, "add")
def add_command(
    paths: Annotated[list[Path], typer.Argument(help="Audio files.", show_default=False,
                                                readable=False)],
    index: IndexOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="NDJSON on stdout.")] = False,
) -> int:
    """Analyze tracks (tempo, beats, energy, loudness, mood) and add them to the index."""
    from creator_tools.errors import CreatorError
    from creator_tools.music.library import add_tracks, analyze_track
    from creator_tools.trends.store import TrendIndex

    found = []
    codes = []
    for p in paths:
        try:
            found.append(analyze_track(p))
        except CreatorError as exc:
            error_line(error_text(exc))
            codes.append(exc.exit_code)
    if found:
        with TrendIndex(index) as idx:
            add_tracks(found, idx)
    for t in found:
        if json_out:
            emit_json(t.to_dict())
        else:
            bpm = f"{t.bpm:.1f} BPM" if t.bpm else "no steady beat"
            out.print(f"added {t.id}: {bpm}, {t.energy_level} energy, {t.mood}, "
                      f"{t.duration:.1f} s")
    return combined(codes)


@command(music_app, "list")
def list_command(
    index: IndexOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="NDJSON on stdout.")] = False,
) -> int:
    """List the tracks that can be used as a music bed (bundled and added)."""
    from creator_tools.suggest.catalog import local_tracks
    from creator_tools.trends.store import TrendIndex

    with TrendIndex(index) as idx:
        tracks = local_tracks(idx)
    if json_out:
        for t in tracks.values():
            emit_json({"id": t.id, "title": t.title, "bpm": t.bpm, "mood": t.mood,
                       "energy": t.energy, "duration": t.duration, "file": str(t.file)})
        return 0
    from rich.table import Table

    table = Table(header_style="bold")
    for col in ("id", "title", "bpm", "mood", "energy", "length"):
        table.add_column(col)
    for t in tracks.values():
        table.add_row(t.id, t.title, f"{t.bpm:.0f}" if t.bpm else "-", t.mood,
                      f"{t.energy:.2f}" if t.energy is not None else "-",
                      f"{t.duration:.1f} s" if t.duration else "-")
    out.print(table)
    return 0
