"""``creator trends``: the local trend index of hashtags, sounds and looks."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from creator_tools.cli.boundary import add_command, command_group
from creator_tools.cli.console import State, emit_json, err, out, warn_line

if TYPE_CHECKING:
    from creator_tools.trends.store import TrendIndex, TrendItem

trends_app = command_group("trends", "The local trend index: hashtags, sounds and looks, "
                                     "with dated history.")


class Kind(StrEnum):
    hashtags = "hashtags"
    sounds = "sounds"
    looks = "looks"


class Format(StrEnum):
    csv = "csv"
    json = "json"


class _Opts:
    """Options given to ``creator trends`` itself (before the subcommand)."""

    index: Path | None = None


IndexOpt = Annotated[
    Path | None,
    typer.Option("--index", dir_okay=False, show_default=False,
                 help="Trend index file (default: $CREATOR_INDEX, else "
                      "<user data folder>/creator-tools/trends.sqlite)."),
]
KindOpt = Annotated[Kind | None, typer.Option("--kind", help="Only this kind.",
                                              show_default=False)]
NicheOpt = Annotated[str | None, typer.Option("--niche", help="Only this niche (e.g. food).",
                                              show_default=False)]
RegionOpt = Annotated[str | None, typer.Option("--region",
                                               help="Only this region (US, GB, GLOBAL...).",
                                               show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="JSON on stdout (NDJSON for lists).")]


def register(app: typer.Typer) -> None:
    add_command(trends_app, "list", list_command)
    add_command(trends_app, "search", search_command)
    add_command(trends_app, "show", show_command)
    add_command(trends_app, "import", import_command)
    add_command(trends_app, "export", export_command)
    add_command(trends_app, "stats", stats_command)
    add_command(trends_app, "retrain", retrain_command)
    app.add_typer(trends_app, name="trends")


@trends_app.callback()
def _trends_root(index: IndexOpt = None) -> None:
    """The local trend index: hashtags, sounds and looks, with dated history.

    Created on first use from the shipped trends/ folder; no network access.
    """
    _Opts.index = index


def _open(index: Path | None) -> TrendIndex:
    from creator_tools.trends.store import TrendIndex

    ix = TrendIndex(index or _Opts.index)
    if ix.created and not State.quiet:
        if ix.seeded_from is not None:
            err.print(f"created the trend index {ix.path} from {ix.seeded_from}",
                      markup=False, soft_wrap=True)
        else:
            warn_line(f"created an empty trend index {ix.path} (no shipped trends/ folder)")
    return ix


def _warn_stale(ix: TrendIndex) -> None:
    message = ix.stale_warning()
    if message:
        warn_line(message)


# -- commands -----------------------------------------------------------------------------------

def list_command(
    kind: KindOpt = None,
    niche: NicheOpt = None,
    region: RegionOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=0,
                                       help="At most this many items per kind (0: all).")] = 50,
    json_out: JsonOpt = False,
    index: IndexOpt = None,
) -> None:
    """List current hashtags, sounds and looks: ranked first, then by name.

    Banned (spam) hashtags are listed and flagged; suggestions never use them.
    """
    with _open(index) as ix:
        _warn_stale(ix)
        items = ix.current(kind.value if kind else None, niche=niche, region=region)
    shown = _per_kind_limit(items, limit)
    if json_out:
        for it in shown:
            emit_json(it.to_dict())
        return
    if not shown:
        err.print("no items match", markup=False)
        return
    totals = {k: sum(it.kind == k for it in items) for k in {it.kind for it in items}}
    _print_tables(shown, totals=totals)
    if len(shown) < len(items):
        err.print(f"showing at most {limit} of each kind: --limit 0 shows all {len(items)}, "
                  "--niche N or --kind K narrows them", markup=False)


def search_command(
    query: Annotated[list[str], typer.Argument(help="Words to look for.", show_default=False)],
    kind: KindOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="At most this many (0: all).")] = 20,
    json_out: JsonOpt = False,
    index: IndexOpt = None,
) -> None:
    """Find items by words in their name, title, niche, description or keywords."""
    with _open(index) as ix:
        _warn_stale(ix)
        results = ix.search(" ".join(query), kind=kind.value if kind else None)
    if limit:
        results = results[:limit]
    if json_out:
        for score, it in results:
            emit_json({"score": score, **it.to_dict()})
        return
    if not results:
        from creator_tools.text import stem
        from creator_tools.trends.store import query_words

        roots = ", ".join(dict.fromkeys(stem(w) for w in query_words(" ".join(query))))
        err.print(f"nothing matches {' '.join(query)!r} (whole words and their stems are "
                  f"matched: {roots}); creator trends list --limit 0 shows everything",
                  markup=False)
        return
    _print_tables([it for _, it in results], scores={id(it): s for s, it in results})


def show_command(
    item: Annotated[str, typer.Argument(help="A hashtag (#mealprep or mealprep), sound id or "
                                             "look name.", show_default=False)],
    json_out: JsonOpt = False,
    index: IndexOpt = None,
) -> None:
    """Everything about one item: its fields, momentum and history of snapshots."""
    with _open(index) as ix:
        _warn_stale(ix)
        found = [(it, ix.history(it.kind, it.item, it.region)) for it in ix.show(item)]
    for it, history in found:
        if json_out:
            emit_json({**it.to_dict(), "history": history})
        else:
            _print_item(it, history)


def import_command(
    file: Annotated[str, typer.Argument(help="CSV, JSON or NDJSON export; - reads stdin.",
                                        show_default=False)],
    kind: Annotated[Kind | None, typer.Option(
        "--kind", help="What the file holds (guessed from its columns when left out).",
        show_default=False)] = None,
    source: Annotated[str | None, typer.Option(
        "--source", help="Source label for rows that name none (and for the snapshot).",
        show_default=False)] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Date (YYYY-MM-DD) for rows without as_of/crawl_date.",
        show_default=False)] = None,
    mapping: Annotated[list[str] | None, typer.Option(
        "--map", metavar="SRC=DST", help="Rename a column before import (repeatable).",
        show_default=False)] = None,
    json_out: Annotated[bool, typer.Option("--json", help="The new snapshot as JSON.")] = False,
    index: IndexOpt = None,
) -> None:
    """Import a trend export as a new dated snapshot: all rows or none.

    Understands our trends/*.csv files and TikTok Creative Center hashtag and song exports;
    --kind is guessed from the columns when left out.
    """
    from creator_tools.trends.importers import load_import, parse_import, parse_mapping

    options: dict[str, Any] = {"kind": kind.value if kind else None, "source": source,
                               "as_of": as_of, "mapping": parse_mapping(mapping or [])}
    if file == "-":
        parsed = parse_import(sys.stdin.buffer.read(), name="<stdin>", **options)
    else:
        parsed = load_import(file, **options)
    with _open(index) as ix:
        snap = ix.add(parsed)
    if parsed.ignored_columns:
        warn_line(f"{parsed.file}: ignored columns: {', '.join(parsed.ignored_columns)}")
    if json_out:
        emit_json({**snap.to_dict(), "ignored_columns": parsed.ignored_columns})
    elif not State.quiet:
        err.print(f"imported {snap.row_count} {snap.kind} from {parsed.file} as snapshot "
                  f"{snap.id} (as_of {snap.as_of}, source: {snap.source})",
                  markup=False, soft_wrap=True)


def export_command(
    fmt: Annotated[Format, typer.Option("--format", help="csv (one kind) or json.")] = Format.json,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False, help="Write here instead of stdout.",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the -o file.")] = False,
    kind: KindOpt = None,
    niche: NicheOpt = None,
    region: RegionOpt = None,
    index: IndexOpt = None,
) -> None:
    """Export the current view (newest row of each item) as CSV or JSON.

    A CSV export has the columns of trends/<kind>.csv and imports back as it is.
    """
    from creator_tools.trends.export import export

    options: dict[str, Any] = {"fmt": fmt.value, "kind": kind.value if kind else None,
                               "niche": niche, "region": region}
    with _open(index) as ix:
        if output is None:
            export(ix, sys.stdout, **options)
            sys.stdout.flush()
            return
        from creator_tools.fs import atomic_output

        with atomic_output(output, force=force) as tmp, \
                tmp.open("w", encoding="utf-8", newline="") as fh:
            count = export(ix, fh, **options)
    if not State.quiet:
        err.print(f"exported {count} items to {output}", markup=False, soft_wrap=True)


def stats_command(json_out: JsonOpt = False, index: IndexOpt = None) -> None:
    """Counts per kind and niche, snapshots, the newest data date and its staleness."""
    with _open(index) as ix:
        _warn_stale(ix)
        stats = ix.stats()
    if json_out:
        emit_json(stats)
        return
    _print_stats(stats)


def retrain_command(json_out: JsonOpt = False, index: IndexOpt = None) -> None:
    """Retrain the topic model with your own labeled rows (topics.csv beside the index).

    topics.csv has the columns text,labels (niches separated by ';'), one caption or a few
    sentences of speech a row; the new model is used by creator suggest and edit from then on.
    """
    from creator_tools.topics.training import retrain
    from creator_tools.trends.store import index_path

    folder = index_path(index or _Opts.index).parent
    model, path, own = retrain(folder)
    record = {"model": str(path), "own_rows": own, "rows": model.meta["rows"],
              "niches": list(model.labels), "features": len(model.features),
              "seconds": model.meta["train_seconds"]}
    if json_out:
        emit_json(record)
    elif not State.quiet:
        err.print(f"retrained the topic model on {model.meta['rows']} rows ({own} of yours) in "
                  f"{model.meta['train_seconds']} s: {path}", markup=False, soft_wrap=True)


# -- human output -------------------------------------------------------------------------------

def _per_kind_limit(items: list[TrendItem], limit: int) -> list[TrendItem]:
    if not limit:
        return items
    seen: dict[str, int] = {}
    shown = []
    for it in items:
        seen[it.kind] = seen.get(it.kind, 0) + 1
        if seen[it.kind] <= limit:
            shown.append(it)
    return shown


def _num(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:,}" if isinstance(value, int) else str(value)


def _signed(value: int | None) -> str:
    return "" if value is None else f"{value:+d}"


def _growth(it: TrendItem) -> str:
    m = it.momentum
    return "" if m is None or m.view_growth is None else f"{m.view_growth * 100:+.1f}%"


_COLUMNS: dict[str, list[tuple[str, Any]]] = {
    "hashtags": [
        ("tag", lambda it: it.item),
        ("niche", lambda it: it.fields.get("category") or ""),
        ("kind", lambda it: it.fields.get("kind") or ""),
        ("region", lambda it: it.region),
        ("rank", lambda it: _num(it.fields.get("rank"))),
        ("views", lambda it: _num(it.fields.get("views"))),
        ("posts", lambda it: _num(it.fields.get("posts"))),
        ("Δrank", lambda it: _signed(it.momentum.rank_change) if it.momentum else ""),
        ("views Δ", _growth),
        ("as of", lambda it: it.as_of),
        ("", lambda it: "BANNED" if it.banned else ""),
    ],
    "sounds": [
        ("id", lambda it: it.item),
        ("title", lambda it: it.fields.get("title") or ""),
        ("mood", lambda it: it.fields.get("mood") or ""),
        ("energy", lambda it: it.fields.get("energy") or ""),
        ("genre", lambda it: it.fields.get("genre") or ""),
        ("region", lambda it: it.region),
        ("rank", lambda it: _num(it.fields.get("rank"))),
        ("Δrank", lambda it: _signed(it.momentum.rank_change) if it.momentum else ""),
        ("local", lambda it: ("yes" if it.available else "missing")
         if it.fields.get("local_file") else "in-app"),
        ("as of", lambda it: it.as_of),
    ],
    "looks": [
        ("name", lambda it: it.item),
        ("description", lambda it: it.fields.get("description") or ""),
        ("lut", lambda it: it.fields.get("lut_file") or ""),
        ("niches", lambda it: ", ".join(it.niches)),
        ("lut file", lambda it: "yes" if it.available else "missing"),
        ("as of", lambda it: it.as_of),
    ],
}


_NO_WRAP = {"rank", "views", "posts", "Δrank", "views Δ", "as of"}


def _print_tables(items: list[TrendItem], scores: dict[int, float] | None = None,
                  totals: dict[str, int] | None = None) -> None:
    """One table per kind; ``totals`` (items of each kind before a limit) titles it
    ``hashtags (50 of 294)``."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    for kind, columns in _COLUMNS.items():
        rows = [it for it in items if it.kind == kind]
        if not rows:
            continue
        grid = [[str(get(it)) for _, get in columns] for it in rows]
        keep = [i for i, (name, _) in enumerate(columns)  # columns empty in every row go
                if i == 0 or (any(r[i] for r in grid) and not (name == "region" and all(
                    r[i] == "GLOBAL" for r in grid)))]
        total = (totals or {}).get(kind, len(rows))
        count = f"{len(rows)} of {total}" if total > len(rows) else f"{len(rows)}"
        table = Table(title=f"{kind} ({count})", title_justify="left", header_style="bold",
                      box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
        if scores is not None:
            table.add_column("score", justify="right", min_width=5)
        for i in keep:
            name = columns[i][0]
            width = max(len(name), *(len(r[i]) for r in grid)) if name in _NO_WRAP else None
            table.add_column(name, overflow="fold", no_wrap=i == 0, min_width=width,
                             justify="right" if name in ("rank", "views", "posts") else "left")
        for it, cells in zip(rows, grid, strict=True):
            texts = [Text(cells[i]) for i in keep]
            if scores is not None:
                texts.insert(0, Text(f"{scores[id(it)]:g}"))
            table.add_row(*texts, style="red" if it.banned else None)
        out.print(table)


def _print_item(it: TrendItem, history: list[dict[str, Any]]) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"{it.item} ({it.kind}, {it.region})", title_justify="left",
                  show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    for name, value in it.fields.items():
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        table.add_row(name, Text(_num(value)))
    if it.available is not None:
        table.add_row("available", "yes" if it.available else "no")
    if it.momentum:
        m = it.momentum
        table.add_row("momentum", Text(
            f"since {m.previous_as_of} ({m.days} days): rank {_signed(m.rank_change) or '?'}, "
            f"views {_signed(m.views_delta) or '?'} ({_growth(it) or '?'})"))
    out.print(table)
    hist = Table(title="history", title_justify="left", header_style="bold")
    for col in ("snapshot", "as of", "rank", "views", "posts", "source"):
        hist.add_column(col, justify="right" if col in ("rank", "views", "posts") else "left")
    for h in history:
        hist.add_row(str(h["snapshot_id"]), h["as_of"], _num(h["rank"]), _num(h["views"]),
                     _num(h["posts"]), Text(h["source"]))
    out.print(hist)


def _print_stats(stats: dict[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"trend index {stats['index']}", title_justify="left",
                  header_style="bold")
    for col in ("kind", "items", "niches"):
        table.add_column(col, overflow="fold")
    for kind, count in stats["items"].items():
        niches = ", ".join(f"{n} {c}" for n, c in stats["niches"][kind].items())
        table.add_row(kind, str(count), Text(niches))
    out.print(table)
    stale = stats["stale_days"]
    age = "" if stale is None else f" ({stale} days ago{', STALE' if stats['stale'] else ''})"
    out.print(Text(f"snapshots: {stats['snapshots']}; newest data: "
                   f"{stats['newest_as_of'] or '-'}{age}; banned hashtags: "
                   f"{stats['banned_hashtags']}"))
