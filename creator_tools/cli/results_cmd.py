"""``creator results`` (import, match, list) and ``creator insights``: the creator's own
analytics, matched to their clips, and what they say.

No ``from __future__ import annotations`` here: the error boundary reads each parameter's
flag (``--map``, ``--match``) from its annotation, which must be an object, not a string.
"""

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from creator_tools.cli.boundary import add_command, command_group
from creator_tools.cli.console import State, emit_json, err, out, warn_line

if TYPE_CHECKING:
    from creator_tools.results.ingest import ImportSummary
    from creator_tools.results.insights import Insights
    from creator_tools.results.store import ResultsStore, VideoRecord

results_app = command_group("results", "Your own analytics: import exports, match them to "
                                       "your clips, list them.")


class Platform(StrEnum):
    youtube = "youtube"
    tiktok = "tiktok"
    instagram = "instagram"
    auto = "auto"


class OnePlatform(StrEnum):
    youtube = "youtube"
    tiktok = "tiktok"
    instagram = "instagram"


class Target(StrEnum):
    viewed = "viewed"
    duration = "duration"


StoreOpt = Annotated[Path | None, typer.Option(
    "--store", dir_okay=False, show_default=False,
    help="Results store (default: $CREATOR_RESULTS, else <user data folder>/creator-tools/"
         "results.sqlite).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="JSON on stdout.")]
PlatformFilter = Annotated[OnePlatform | None, typer.Option(
    "--platform", help="Only this platform's videos.", show_default=False)]


def register(app: typer.Typer) -> None:
    add_command(results_app, "import", import_command)
    add_command(results_app, "match", match_command)
    add_command(results_app, "list", list_command)
    app.add_typer(results_app, name="results")
    add_command(app, "insights", insights_command)


def _open(store: Path | None, *, create: bool = True) -> "ResultsStore":
    from creator_tools.results.store import ResultsStore

    opened = ResultsStore(store, create=create)
    if opened.created and not State.quiet:
        err.print(f"created the results store {opened.path}", markup=False, soft_wrap=True)
    return opened


# -- creator results ... --------------------------------------------------------------------------

def import_command(
    file: Annotated[Path, typer.Argument(help="A per-video analytics export (CSV).",
                                         show_default=False, readable=False)],
    platform: Annotated[Platform, typer.Option(
        "--platform", help="Where the export comes from (told from its columns with auto).")
    ] = Platform.auto,
    mapping: Annotated[list[str] | None, typer.Option(
        "--map", metavar="COL=FIELD",
        help="Read column COL as FIELD (video_id, title, published, duration, views, "
             "avg_view_duration, avg_pct_viewed...; ignore drops it). Repeatable.",
        show_default=False)] = None,
    match_dirs: Annotated[list[Path] | None, typer.Option(
        "--match", metavar="DIR", file_okay=False,
        help="A folder of edited videos and their sidecars (or clips) to match rows to, with "
             "its subfolders. Repeatable.", show_default=False)] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="DATE", help="The day these numbers are from (default: today).",
        show_default=False)] = None,
    json_out: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """Import a per-video analytics export: YouTube Studio (Table data.csv), TikTok Studio or
    Instagram. All rows or none.

    Each row is matched to a clip the project has seen (title equal to an edit's caption line
    or a file name; else duration within 0.5 s and published after the edit). Unmatched rows
    are kept: match them later with creator results match VIDEO_ID CLIP.
    """
    from creator_tools.cli.progress import step
    from creator_tools.results.importers import load_results, parse_mapping
    from creator_tools.results.ingest import check_import_options, import_results

    check_import_options(as_of, match_dirs or [])
    # Read the whole file first: a bad row stops everything before the store is touched.
    parsed = load_results(file, platform=platform.value,
                          mapping=parse_mapping(mapping or []))
    with _open(store) as opened, step("analyze") as progress:
        summary = import_results(parsed, match_dirs=match_dirs or [], as_of=as_of,
                                 store=opened, progress=progress)
    if summary.parsed.ignored_columns:
        warn_line(f"{summary.parsed.file}: ignored columns: "
                  f"{', '.join(summary.parsed.ignored_columns)}")
    if not summary.parsed.teaches:
        warn_line(f"{summary.parsed.file}: no average % viewed or view duration column: these "
                  "numbers are kept, but teach nothing (--map COL=avg_pct_viewed names one)")
    for bad in summary.not_analyzed:
        warn_line(f"{bad['clip']}: matched to {bad['video_id']} but not analyzed: "
                  f"{bad['error']}")
    if json_out:
        emit_json(summary.to_dict())
        return
    _print_import(summary)


def _print_import(s: "ImportSummary") -> None:
    by: dict[str, int] = {}
    for m in s.matched:
        by[m["by"]] = by.get(m["by"], 0) + 1
    how = ", ".join(f"{n} by {k}" for k, n in sorted(by.items()))
    rec = s.record
    _say(
        f"imported {rec.row_count} {rec.platform} videos from {s.parsed.file} as of "
        f"{rec.as_of} (import {rec.id}): {len(s.matched)} matched now"
        + (f" ({how})" if how else "") + f", {s.already_matched} matched before, "
        f"{len(s.unmatched)} unmatched")
    for m in s.matched:
        _say(f"  matched    {m['video_id']}  {m['title'] or ''}  ->  {m['clip']}"
             f"  (by {m['by']})")
    for u in s.unmatched:
        _say(f"  unmatched  {u['video_id']}  {u['title'] or ''}  ({u['reason']})")
    if s.unmatched and not State.quiet:
        err.print("match one by hand: creator results match VIDEO_ID CLIP (--match DIR "
                  "names folders of your edits to look in)", markup=False, soft_wrap=True)


def match_command(
    video_id: Annotated[str, typer.Argument(metavar="VIDEO_ID", help="The video's id in the "
                                            "export (see creator results list).",
                                            show_default=False)],
    clip: Annotated[Path, typer.Argument(help="The video that was posted (an edit, or a "
                                         "clip).", show_default=False, readable=False)],
    platform: PlatformFilter = None,
    json_out: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """Match an imported video to the clip it was made from, by hand."""
    from creator_tools.cli.progress import step
    from creator_tools.results.ingest import match_video

    with _open(store, create=False) as opened, step("analyze") as progress:
        video, match = match_video(opened, video_id, clip,
                                   platform=platform.value if platform else None,
                                   progress=progress)
    if json_out:
        emit_json({**video.to_dict(), "features": match.features})
        return

    _say(f"matched {video.platform} video {video.video_id} "
         f"({video.title or 'untitled'}) to {video.clip}")


def list_command(
    unmatched: Annotated[bool, typer.Option("--unmatched", help="Only the unmatched videos.")
                         ] = False,
    platform: PlatformFilter = None,
    json_out: Annotated[bool, typer.Option("--json", help="One JSON record per video "
                                           "(NDJSON).")] = False,
    store: StoreOpt = None,
) -> None:
    """List the imported videos: their clip, newest numbers and how many snapshots."""
    from creator_tools.results.store import ResultsStore

    opened = ResultsStore.existing(store)
    if opened is None:
        if not json_out:
            err.print("no results imported yet (creator results import FILE.csv)",
                      markup=False)
        return
    with opened:
        videos = opened.videos(platform.value if platform else None)
    if unmatched:
        videos = [v for v in videos if v.clip is None]
    if json_out:
        for v in videos:
            emit_json(v.to_dict())
        return
    if not videos:
        err.print("no videos" + (" unmatched" if unmatched else ""), markup=False)
        return
    _print_videos(videos)


def _print_videos(videos: "list[VideoRecord]") -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    for col in ("platform", "video", "title", "published", "% viewed", "avg s", "views",
                "snaps", "clip"):
        table.add_column(col, overflow="fold",
                         justify="right" if col in ("% viewed", "avg s", "views", "snaps")
                         else "left")
    for v in videos:
        clip = Path(v.clip).name if v.clip else f"(unmatched: {v.unmatched_reason or '?'})"
        table.add_row(v.platform, v.video_id, Text(v.title or ""), (v.published or "")[:10],
                      _num(v.avg_pct_viewed), _num(v.avg_view_duration), _num(v.views),
                      str(v.snapshot_count), Text(clip))
    out.print(table)


def _say(text: str, style: str | None = None) -> None:
    """One line on stdout, never wrapped or read as markup."""
    from rich.text import Text

    out.print(Text(text, style=style or ""), soft_wrap=True)


def _num(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:,}" if isinstance(value, int) else f"{value:.1f}"


# -- creator insights ---------------------------------------------------------------------------

def insights_command(
    json_out: Annotated[bool, typer.Option("--json", help="The findings as one JSON object.")
                        ] = False,
    plot: Annotated[Path | None, typer.Option(
        "--plot", metavar="FILE.png", dir_okay=False,
        help="Draw the findings (and the model's fit) into FILE.png.", show_default=False)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the --plot file.")] = False,
    target: Annotated[Target, typer.Option(
        "--target", help="viewed: average % viewed; duration: average view duration.")
    ] = Target.viewed,
    platform: PlatformFilter = None,
    store: StoreOpt = None,
) -> None:
    """What your own results say: which openings, lengths and paces keep your audience
    watching, with effect sizes and intervals, only where the evidence is strong enough.

    A finding needs 12 matched videos or more, an effect whose 95% interval excludes zero and
    a permutation test beating chance (p < 0.1, corrected for the features tried).
    """
    from creator_tools.results.insights import compute_insights, no_results
    from creator_tools.results.store import ResultsStore

    if plot is not None:
        from creator_tools.fs import check_output

        check_output(plot, force=force)
    opened = ResultsStore.existing(store)
    if opened is None:
        found = no_results(target.value)
    else:
        with opened:
            found = compute_insights(opened, target=target.value,
                                     platform=platform.value if platform else None)
    if plot is not None and found.videos:
        from creator_tools.fs import atomic_output
        from creator_tools.results.plot import render_insights_plot

        with atomic_output(plot, force=force) as tmp:
            render_insights_plot(found, tmp)
        if not State.quiet:
            err.print(f"plot written to {plot}", markup=False, soft_wrap=True)
    elif plot is not None:
        warn_line("no plot: no videos to draw")
    if json_out:
        emit_json(found.to_dict())
        return
    _print_insights(found)


def _print_insights(ins: "Insights") -> None:
    from creator_tools.results.table import TARGET_UNITS

    label = TARGET_UNITS[ins.target][1]
    where = ", ".join(f"{p} {n}" for p, n in ins.platforms.items())
    _say(f"{label} over {ins.videos} matched videos" + (f" ({where})" if where else ""),
         style="bold")
    if ins.findings:
        for f in ins.findings:
            also = f" (moves with {', '.join(f.also)})" if f.also else ""
            _say(f"  {f.message} (p = {f.p:.2g}){also}")
    else:
        _say(f"  {ins.message}")
    if ins.worst:
        _say("videos that fit worst:", style="bold")
        for w in ins.worst:
            name = w["title"] or w["video_id"]
            _say(f"  {w['platform']:<9} {name}: {w['actual']:.1f}, expected "
                 f"{w['predicted']:.1f} ({w['residual']:+.1f})")
    m = ins.model
    if m.get("rows"):
        gap = m.get("refit_gap")
        _say(f"online model: {m['rows']} videos, {m['updates']} updates"
             + (f", {gap:.2g} from a refit on all data" if gap is not None else ""),
             style="dim")
