"""Write the current view of the index as CSV (one kind, the ``trends/<kind>.csv`` columns) or
JSON (``{"exported_at", "hashtags": [...], "sounds": [...], "looks": [...]}``)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from typing import Any, TextIO

from creator_tools.errors import OptionError, UsageError
from creator_tools.trends.fields import KINDS, field_names
from creator_tools.trends.store import TrendIndex, TrendItem

FORMATS = ("csv", "json")


def export(index: TrendIndex, stream: TextIO, *, fmt: str = "json", kind: str | None = None,
           niche: str | None = None, region: str | None = None) -> int:
    """Write the current items to ``stream``; returns how many were written.

    CSV needs ``kind`` and re-imports as it is (``creator trends import --kind KIND``); JSON
    records also carry momentum and availability (ignored on re-import).
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r} (expected csv or json)")
    if fmt == "csv":
        if kind is None:
            raise OptionError("CSV export is one kind per file: pass {kind} " + "|".join(KINDS),
                              options="kind")
        items = index.current(kind, niche=niche, region=region)
        write_csv(items, kind, stream)
        return len(items)
    kinds = (kind,) if kind else KINDS
    doc: dict[str, Any] = {
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "index": str(index.path),
    }
    total = 0
    for k in kinds:
        items = index.current(k, niche=niche, region=region)
        doc[k] = [it.to_dict() for it in items]
        total += len(items)
    json.dump(doc, stream, ensure_ascii=False, indent=1)
    stream.write("\n")
    return total


def write_csv(items: Iterable[TrendItem], kind: str, stream: TextIO) -> None:
    """``items`` of one kind as CSV with the columns of ``trends/<kind>.csv``."""
    names = field_names(kind)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(names)
    for it in items:
        writer.writerow([_cell(it.fields.get(n)) for n in names])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        return ";".join(_cell(v) for v in value)
    return str(value)
