"""``creator suggest``: music, looks and hashtags for a clip from the local trend index."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from creator_tools.cli.boundary import add_command
from creator_tools.cli.console import emit_json, out, warn_line
from creator_tools.exit_codes import ExitCode


def register(app: typer.Typer) -> None:
    add_command(app, "suggest", suggest_command)


def suggest_command(
    clip: Annotated[Path, typer.Argument(help="The clip.", show_default=False, readable=False)],
    caption: Annotated[str, typer.Option("--caption", help="What the clip is about.")] = "",
    niche: Annotated[str | None, typer.Option("--niche", help="Default: your profile.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="Default: your profile.")] = None,
    platform: Annotated[str | None, typer.Option("--platform",
                                                 help="tiktok, reels, shorts.")] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=30, help="How many of each.")] = 5,
    index: Annotated[Path | None, typer.Option("--index", help="Trend index file.")] = None,
    transcribe: Annotated[bool | None, typer.Option(
        "--transcribe/--no-transcribe",
        help="Match hashtags to what is said in the clip (default: on when the captions "
             "extra is installed; cached).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
) -> int:
    """Suggest music, a look and hashtags for a clip, with a ready-to-paste caption.

    Everything comes from the local trend index and the clip's analysis (cached); nothing
    leaves your machine.
    """
    from creator_tools.cli.profile import profile_default
    from creator_tools.cli.progress import analyze_with_progress
    from creator_tools.settings.profile import validate
    from creator_tools.suggest.engine import suggest
    from creator_tools.trends.store import TrendIndex

    niche = profile_default(niche, "niche")
    region = profile_default(region, "region")
    niche = validate("niche", niche) if niche else None
    region = validate("region", region) if region else None
    platform = profile_default(platform, "platform", "tiktok") or "tiktok"
    a = analyze_with_progress(clip)
    said = _transcript_text(clip, a, transcribe)
    with TrendIndex(index) as idx:
        s = suggest(a, caption=caption, niche=niche, region=region, top=top,
                    platform=platform, index=idx, transcript=said)
    for w in s.warnings:
        warn_line(w)
    if json_out:
        emit_json(s.to_dict())
        return ExitCode.OK
    from rich.table import Table

    music = Table(title="music", title_justify="left", header_style="bold")
    for col in ("track", "score", "why", "where"):
        music.add_column(col, overflow="fold")
    for m in s.music:
        music.add_row(f"{m.title} ({m.id})", f"{m.score:.2f}", "; ".join(m.reasons),
                      "local" if m.file else "add in the app")
    looks = Table(title="look", title_justify="left", header_style="bold")
    for col in ("look", "score", "why"):
        looks.add_column(col, overflow="fold")
    for lk in s.looks:
        looks.add_row(lk.name, f"{lk.score:.2f}", "; ".join(lk.reasons))
    tags = Table(title="hashtags", title_justify="left", header_style="bold")
    for col in ("tag", "kind", "why"):
        tags.add_column(col, overflow="fold")
    for t in s.hashtags:
        tags.add_row(t.tag, t.kind, t.reason)
    out.print(music, looks, tags)
    if s.topic is not None:
        main = s.topic.main()
        about = s.topic.reason(main) if main else f"topic unknown: {s.topic.note}"
        out.print(about, markup=False, soft_wrap=True)
    out.print(f"[bold]caption[/] {s.caption}", markup=True)
    return ExitCode.OK


def _transcript_text(clip: Path, a: object, wanted: bool | None) -> str:
    """What is said in ``clip`` (cached transcript), or "" when not wanted or not possible."""
    from creator_tools.captions.model import captions_available

    if wanted is False or a.media.audio is None:  # type: ignore[attr-defined]
        return ""
    if wanted is None and not captions_available():
        return ""
    from creator_tools.captions.transcribe import transcribe_cached
    from creator_tools.cli.progress import step

    with step("captions") as progress:
        return transcribe_cached(clip, progress=progress)[0].text
