"""Which seen clip each analytics row is.

A row matches a clip

1. by **title**: the row's title equals one of the clip's titles (an edit's caption line, with
   or without its hashtags, or a file name without extension), compared without case and
   extra spaces; when several clips carry that title, an edited video beats its raw clip;
2. else by **duration**: the row's duration is within :data:`DURATION_TOLERANCE_S` of the
   clip's (an export in whole seconds also matches the clip's length rounded down or to the
   nearest second) and the row was published on or after the day the clip was made.

A row that fits several clips equally is left unmatched, as is one that fits none, with the
reason. A clip is matched to at most one row of a platform.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from creator_tools.results.clips import SeenClip

DURATION_TOLERANCE_S = 0.5


@dataclass(frozen=True)
class Match:
    """A row's clip and how it was found (``title`` or ``duration``)."""

    clip: SeenClip
    by: str


@dataclass(frozen=True)
class Miss:
    """Why a row has no clip."""

    reason: str


def title_key(text: str) -> str:
    """A title as compared: NFKC, no case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _without_tags(text: str) -> str:
    return " ".join(w for w in text.split() if not w.startswith("#"))


def title_keys(titles: Iterable[str]) -> set[str]:
    """Every form of ``titles`` a post's title is compared with."""
    keys = set()
    for t in titles:
        key = title_key(t)
        keys.update(k for k in (key, _without_tags(key)) if k)
    return keys


def durations_match(row_duration: float, clip_duration: float, *,
                    whole_seconds: bool = False) -> bool:
    """Within :data:`DURATION_TOLERANCE_S`; for an export in ``whole_seconds``, also equal to
    the clip's length rounded down or to the nearest second."""
    if abs(row_duration - clip_duration) <= DURATION_TOLERANCE_S:
        return True
    return whole_seconds and int(row_duration) in (int(clip_duration), round(clip_duration))


def _published_day(row: dict[str, Any]) -> dt.date | None:
    text = row.get("published")
    return dt.date.fromisoformat(text[:10]) if text else None


def match_rows(rows: list[dict[str, Any]], clips: list[SeenClip],
               taken: Iterable[str] = (), *, whole_seconds: bool = False
               ) -> list[Match | Miss]:
    """One :class:`Match` or :class:`Miss` per row, in order. ``taken``: video paths already
    matched to other videos of this platform (never matched again); ``whole_seconds``: the
    export writes durations in whole seconds."""
    used = {str(p) for p in taken}
    keys = [title_keys(c.titles) for c in clips]
    out: list[Match | Miss | None] = [None] * len(rows)
    # Titles first, over all rows, so that a duration match never takes a titled clip.
    for i, row in enumerate(rows):
        title = row.get("title")
        if not title:
            continue
        wanted = {title_key(title), _without_tags(title_key(title))} - {""}
        hits = [c for c, k in zip(clips, keys, strict=True)
                if wanted & k and str(c.video) not in used]
        if any(c.edited for c in hits):
            hits = [c for c in hits if c.edited]
        if len(hits) == 1:
            out[i] = Match(hits[0], "title")
            used.add(str(hits[0].video))
        elif hits:
            out[i] = Miss(f"{len(hits)} clips have this title: "
                          + ", ".join(c.video.name for c in hits[:3]))
    for i, row in enumerate(rows):
        if out[i] is not None:
            continue
        duration, day = row.get("duration"), _published_day(row)
        if duration is None or day is None:
            out[i] = Miss("no clip has this title, and the export gives no "
                          + ("duration" if duration is None else "publish date"))
            continue
        hits = [c for c in clips if str(c.video) not in used and c.duration is not None
                and durations_match(duration, c.duration, whole_seconds=whole_seconds)
                and (c.made_on is None or c.made_on <= day)]
        if len(hits) == 1:
            out[i] = Match(hits[0], "duration")
            used.add(str(hits[0].video))
        elif hits:
            out[i] = Miss(f"{len(hits)} clips of {duration:g} s were made before it was "
                          "published")
        else:
            out[i] = Miss("no clip has this title, or its length and an earlier date")
    return [m for m in out if m is not None]

