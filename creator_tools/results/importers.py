"""Read a per-video analytics export (CSV) into validated rows of canonical fields.

Understood shapes: YouTube Studio's ``Table data.csv`` (first data row ``Total``, skipped),
TikTok Studio's and Instagram's (Meta Business Suite) content exports, in English or with the
localized headers of :mod:`~creator_tools.results.columns`; ``mapping`` (``--map COL=FIELD``)
names any other column. Comma, semicolon and tab separated files are told apart by the header
line; a semicolon-separated file writes decimals with a comma.

Parsing never touches the store: a file with any bad row raises
:class:`~creator_tools.errors.DataFileError` naming the file, the row (its line) and the
column, and nothing is imported.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from creator_tools.datafile import decode_text, read_bytes, read_csv
from creator_tools.errors import DataFileError, OptionError
from creator_tools.results import values
from creator_tools.results.columns import (
    ALIASES,
    FIELD_KIND,
    FIELD_NAMES,
    IGNORE,
    PLATFORMS,
    TOTAL_ROW_IDS,
    UNUSED,
    guess_platform,
    header_key,
)

_TIKTOK_ID = re.compile(r"/(?:video|photo)/(\d+)")
#: Fields a row needs at least one of to teach anything.
WATCH_FIELDS = ("avg_pct_viewed", "avg_view_duration")


@dataclass
class ParsedResults:
    """A validated export: one dict of canonical fields per video (``None`` where the file
    has no value), each with ``row`` (its line in the file)."""

    platform: str
    file: str
    rows: list[dict[str, Any]]
    #: field -> the file's header for it.
    columns: dict[str, str]
    ignored_columns: list[str] = field(default_factory=list)
    #: A YouTube ``Total`` row was skipped.
    skipped_total: bool = False

    @property
    def whole_seconds(self) -> bool:
        """Whether the export writes durations in whole seconds (YouTube Studio does)."""
        lengths = [r["duration"] for r in self.rows if r.get("duration") is not None]
        return bool(lengths) and all(float(d).is_integer() for d in lengths)

    @property
    def teaches(self) -> bool:
        """Whether the rows carry a watch figure (average % viewed or view duration)."""
        return any(f in self.columns for f in WATCH_FIELDS)


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """``["Watch %=avg_pct_viewed"]`` -> ``{"watch %": "avg_pct_viewed"}`` (header keys)."""
    out: dict[str, str] = {}
    for pair in pairs:
        col, sep, dst = pair.rpartition("=")
        col, dst = col.strip(), dst.strip().lower()
        if not sep or not col or not dst:
            raise OptionError(f"{{mapping}} expects COLUMN=FIELD, got {pair!r}",
                              options="mapping")
        if dst not in FIELD_NAMES and dst != IGNORE:
            raise OptionError(f"{{mapping}} {pair!r}: unknown field {dst!r} (fields: "
                              f"{', '.join(FIELD_NAMES)}, or {IGNORE})", options="mapping")
        out[header_key(col)] = dst
    return out


def load_results(path: str | Path, *, platform: str = "auto",
                 mapping: Mapping[str, str] | None = None) -> ParsedResults:
    """Read and validate the export at ``path`` (see :func:`parse_results`)."""
    p = Path(path)
    return parse_results(read_bytes(p), name=str(p), platform=platform, mapping=mapping)


def parse_results(data: bytes | str, *, name: str, platform: str = "auto",
                  mapping: Mapping[str, str] | None = None) -> ParsedResults:
    """Validate an export given as bytes or text.

    ``platform`` is ``youtube``, ``tiktok``, ``instagram`` or ``auto`` (told from the headers);
    ``mapping`` maps header keys (:func:`~creator_tools.results.columns.header_key`) to fields
    or ``ignore``, before the alias table.
    """
    if platform != "auto" and platform not in PLATFORMS:
        raise OptionError(f"{{platform}} must be one of {', '.join(PLATFORMS)} or auto, "
                          f"not {platform!r}", options="platform")
    text = decode_text(data, name, utf16=True)
    delimiter = _delimiter(text)
    header, records = read_csv(text, name, delimiter, same_column=header_key,
                               trailing_separator=True)
    mapping = dict(mapping or {})
    if platform == "auto":
        guessed = guess_platform(header)
        if guessed is None:
            raise DataFileError("cannot tell YouTube, TikTok or Instagram from the columns "
                                "(pass {platform})", path=name, row=1, options="platform")
        platform = guessed
    columns, ignored = _assign(header, platform, mapping, name)
    if "video_id" not in columns and "permalink" not in columns and "title" not in columns:
        raise DataFileError("no video id, link or title column (name one with {mapping} "
                            "COLUMN=video_id)", path=name, row=1, options="mapping")
    decimal = "," if delimiter == ";" else "."
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    skipped_total = False
    for index, (line, record) in enumerate(records):
        if index == 0 and _is_total(record, columns):
            skipped_total = True
            continue
        row = _parse_row(record, columns, platform, decimal, name, line)
        if row["video_id"] in seen:
            raise DataFileError(f"video {row['video_id']} repeats row {seen[row['video_id']]}",
                                path=name, row=line, column=columns.get("video_id"))
        seen[row["video_id"]] = line
        rows.append(row)
    if not rows:
        raise DataFileError("no data rows", path=name, row=2)
    return ParsedResults(platform, name, rows, columns, ignored, skipped_total)


def _delimiter(text: str) -> str:
    """The separator of the header line (the first that is not blank): the most frequent of
    , ; and tab outside quotes."""
    line = next((ln for ln in text.splitlines() if ln.strip()), "")
    outside = re.sub(r'"[^"]*"', "", line)
    counts = {d: outside.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _assign(header: list[str], platform: str, mapping: dict[str, str], name: str
            ) -> tuple[dict[str, str], list[str]]:
    """field -> raw header, and the headers left unused (known-unused ones left out)."""
    keys = {header_key(h): h for h in header}
    for col in mapping:
        if col not in keys:
            raise DataFileError(f"{{mapping}} {col!r}: the file has no such column", path=name,
                                row=1, column=col, options="mapping")
    columns: dict[str, str] = {}
    for raw in header:  # --map first: it wins over the alias table
        target = mapping.get(header_key(raw))
        if target is not None and target != IGNORE:
            if target in columns:
                raise DataFileError(f"{{mapping}}: {target} is already column "
                                    f"{columns[target]!r}", path=name, row=1, column=raw,
                                    options="mapping")
            columns[target] = raw
    ignored: list[str] = []
    for raw in header:
        key = header_key(raw)
        if key in mapping:
            continue
        target = ALIASES[platform].get(key) or (key if key in FIELD_NAMES else None)
        if target is None or target in columns:
            if key not in UNUSED[platform]:
                ignored.append(raw)
            continue
        columns[target] = raw
    return columns, ignored


def _is_total(record: dict[str, str], columns: dict[str, str]) -> bool:
    ident = record.get(columns.get("video_id", ""), "") or ""
    return ident.strip().casefold() in TOTAL_ROW_IDS


_PARSERS = {
    "id": lambda v, d: values.parse_text(v),
    "text": lambda v, d: values.parse_text(v),
    "url": lambda v, d: values.parse_text(v),
    "when": lambda v, d: values.parse_when(v),
    "count": lambda v, d: values.parse_count(v, decimal=d),
    "percent": lambda v, d: values.parse_percent(v, decimal=d),
    "share": lambda v, d: values.parse_real(v, decimal=d),
    "seconds": lambda v, d: values.parse_seconds(v, decimal=d),
    "real": lambda v, d: values.parse_real(v, decimal=d),
}


def _parse_row(record: dict[str, str], columns: dict[str, str], platform: str, decimal: str,
               name: str, line: int) -> dict[str, Any]:
    row: dict[str, Any] = {"row": line}
    for fname in FIELD_NAMES:
        raw = columns.get(fname)
        try:
            row[fname] = None if raw is None else _PARSERS[FIELD_KIND[fname]](record[raw],
                                                                              decimal)
        except ValueError as exc:
            raise DataFileError(str(exc), path=name, row=line, column=raw) from None
    if row["video_id"] is None and row["permalink"]:
        found = _TIKTOK_ID.search(row["permalink"])
        if found is None and platform == "tiktok":
            raise DataFileError("no video id in the link", path=name, row=line,
                                column=columns["permalink"])
        row["video_id"] = found.group(1) if found else None
    if row["video_id"] is None:
        if not row["title"]:
            raise DataFileError("no video id, link or title", path=name, row=line,
                                column=columns.get("video_id") or columns.get("title"))
        # No id in the export: one made from the title and publish time, stable across exports.
        blob = f"{row['title']}\0{row['published'] or ''}".encode()
        row["video_id"] = "t-" + hashlib.sha1(blob).hexdigest()[:12]
    return row
