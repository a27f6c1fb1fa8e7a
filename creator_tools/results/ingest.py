"""An import from file to store: parse, match, analyze the matched clips, store; and a match
made by hand (``creator results match``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from creator_tools.errors import CreatorError, InputError, OptionError
from creator_tools.results.clips import clip_from_video, seen_clips
from creator_tools.results.importers import ParsedResults, load_results
from creator_tools.results.matching import Match, match_rows
from creator_tools.results.store import ClipMatch, ImportRecord, ResultsStore, VideoRecord

Progress = Callable[[float, float], None]


@dataclass
class ImportSummary:
    """What one import did."""

    record: ImportRecord
    parsed: ParsedResults
    #: New matches: ``{video_id, title, clip, by}``.
    matched: list[dict[str, Any]] = field(default_factory=list)
    #: Videos matched by an earlier import or by hand.
    already_matched: int = 0
    #: ``{video_id, title, reason}``.
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    #: Matched clips that could not be analyzed: ``{video_id, clip, error}``.
    not_analyzed: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"import": self.record.to_dict(), "file": self.parsed.file,
                "columns": self.parsed.columns, "ignored_columns": self.parsed.ignored_columns,
                "skipped_total_row": self.parsed.skipped_total,
                "teaches": self.parsed.teaches, "matched": self.matched,
                "already_matched": self.already_matched, "unmatched": self.unmatched,
                "not_analyzed": self.not_analyzed}


def clip_match(video: str | Path, by: str, *, plan: str | Path | None = None,
               progress: Progress | None = None) -> ClipMatch:
    """``video`` as matched clip: its features from its (cached) analysis and its plan
    sidecar; an analysis that fails is kept as the match's error."""
    from creator_tools.analysis.engine import analyze_cached
    from creator_tools.results.features import extract

    video = Path(video)
    plan_data = None
    if plan is not None:
        try:
            plan_data = json.loads(Path(plan).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            plan_data = None
    try:
        analysis = analyze_cached(video, progress=progress)[0].to_dict()
    except CreatorError as exc:
        return ClipMatch(str(video), str(plan) if plan else None, by, None, str(exc))
    return ClipMatch(str(video), str(plan) if plan else None, by,
                     extract(analysis, plan_data if isinstance(plan_data, dict) else None))


def check_import_options(as_of: str | None, match_dirs: Iterable[str | Path]) -> str | None:
    """The ``as_of`` day as ISO text (``None``: today), after checking the ``--match``
    folders; :class:`OptionError` or :class:`InputError` otherwise."""
    from creator_tools.results.values import parse_when

    for folder in match_dirs:
        if not Path(folder).is_dir():
            raise InputError("{match_dirs} expects a folder", path=folder,
                             options="match_dirs")
    if as_of is None:
        return None
    try:
        day = parse_when(as_of)
    except ValueError:
        day = None
    if day is None or len(day) != 10:
        raise OptionError(f"{{as_of}} expects a date YYYY-MM-DD, not {as_of!r}",
                          options="as_of")
    return day


def import_results(export: str | Path | ParsedResults, *, platform: str = "auto",
                   mapping: Mapping[str, str] | None = None,
                   match_dirs: Iterable[str | Path] = (), as_of: str | None = None,
                   store: ResultsStore, progress: Progress | None = None) -> ImportSummary:
    """Import ``export`` (a file, or one already read with
    :func:`~creator_tools.results.importers.load_results`) into ``store``: every row, or
    none when any is bad.

    Rows of videos not matched yet are matched to the clips in ``match_dirs`` and the
    analysis cache (:mod:`creator_tools.results.matching`); each new match is analyzed (from
    the cache when it can) for its features. ``as_of``: the snapshot's day (default today).
    """
    folders = list(match_dirs)
    as_of = check_import_options(as_of, folders)
    parsed = export if isinstance(export, ParsedResults) else \
        load_results(export, platform=platform, mapping=mapping)
    known = {v.video_id: v for v in store.videos(parsed.platform)}
    todo = [r for r in parsed.rows if known.get(r["video_id"]) is None
            or known[r["video_id"]].clip is None]
    results = match_rows(todo, seen_clips(folders), taken=store.matched_clips(parsed.platform),
                         whole_seconds=parsed.whole_seconds) if todo else []
    matches: dict[str, ClipMatch] = {}
    reasons: dict[str, str] = {}
    summary_matched, unmatched, errors = [], [], []
    found = [(row, m) for row, m in zip(todo, results, strict=True) if isinstance(m, Match)]
    for i, (row, m) in enumerate(found):
        sub = None if progress is None else (
            lambda done, total, i=i: progress(i + done / max(total, 1e-6), len(found)))
        cm = clip_match(m.clip.video, m.by, plan=m.clip.plan, progress=sub)
        matches[row["video_id"]] = cm
        summary_matched.append({"video_id": row["video_id"], "title": row["title"],
                                "clip": cm.clip, "by": m.by})
        if cm.error:
            errors.append({"video_id": row["video_id"], "clip": cm.clip, "error": cm.error})
    for row, m in zip(todo, results, strict=True):
        if not isinstance(m, Match):
            reasons[row["video_id"]] = m.reason
            unmatched.append({"video_id": row["video_id"], "title": row["title"],
                              "reason": m.reason})
    record = store.add_import(parsed, matches, reasons, as_of=as_of)
    return ImportSummary(record, parsed, summary_matched, len(parsed.rows) - len(todo),
                         unmatched, errors)


def match_video(store: ResultsStore, video_id: str, clip: str | Path, *,
                platform: str | None = None, progress: Progress | None = None
                ) -> tuple[VideoRecord, ClipMatch]:
    """Match the imported video ``video_id`` to ``clip`` by hand."""
    found = store.find(video_id, platform)
    if not found:
        raise InputError(f"no imported video {video_id!r}"
                         + (f" on {platform}" if platform else "")
                         + " (creator results list shows them)", path=store.path)
    if len(found) > 1:
        raise OptionError(f"video {video_id!r} is on {', '.join(v.platform for v in found)}: "
                          "choose one with {platform}", options="platform")
    seen = clip_from_video(Path(clip))
    match = clip_match(seen.video, "hand", plan=seen.plan, progress=progress)
    if match.error:
        raise InputError(match.error)
    store.set_match(found[0].platform, video_id, match)
    return store.find(video_id, found[0].platform)[0], match
