"""Read trend exports (CSV, JSON, NDJSON) into validated rows, ready for one index snapshot.

Understood shapes:

- our own ``trends/hashtags.csv``, ``sounds.csv``, ``looks.csv`` (and ``creator trends export``);
- TikTok Creative Center hashtags: ``hashtag_id, hashtag_name, country, rank, video_views,
  publish_count, industry_value, crawl_date`` (``trend`` optional);
- Creative Center songs: ``rank, title, author, duration, country_code, song_id, clip_id, link,
  crawl_date`` (all but ``title`` optional);
- any of these after renaming columns with ``mapping`` (``--map src=dst``).

Parsing never touches the index: a file with any bad row raises :class:`DataFileError` naming
the file, the row (CSV line, JSON record or NDJSON line) and the column, and nothing is imported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from creator_tools.datafile import decode_text, read_bytes, read_csv
from creator_tools.errors import DataFileError, OptionError
from creator_tools.trends.fields import (
    DEFAULT_REGION,
    FIELDS,
    KEY_FIELD,
    KINDS,
    parse_date,
    parse_text,
    slugify,
)

#: Default ``source`` of rows in a Creative Center export that names none.
CREATIVE_CENTER = "TikTok Creative Center export"
#: Keys our own JSON output adds; ignored silently on import.
_OUTPUT_ONLY = {"type", "item", "momentum", "snapshot_id", "available"}

#: Dashboard column names and what they mean here, per kind (used when the target is absent).
ALIASES: dict[str, dict[str, str]] = {
    "hashtags": {
        "hashtag_name": "tag", "hashtag": "tag", "country": "region", "country_code": "region",
        "video_views": "views", "publish_count": "posts", "publish_cnt": "posts",
        "industry_value": "category", "industry": "category", "crawl_date": "as_of",
        "date": "as_of", "hashtag_id": "external_id",
    },
    "sounds": {
        "author": "artist", "country_code": "region", "country": "region", "crawl_date": "as_of",
        "date": "as_of", "song_id": "external_id", "clip_id": "external_id",
        "song_name": "title", "song_title": "title",
    },
    "looks": {"lut": "lut_file", "date": "as_of"},
}
_CC_MARKERS = {"hashtag_name", "hashtag_id", "video_views", "publish_count", "publish_cnt",
               "industry_value", "crawl_date", "author", "song_id", "clip_id", "country_code"}


@dataclass
class ParsedImport:
    """A validated file: rows of one kind, each a dict of that kind's fields.

    Every row also holds ``item`` (its key: normalised tag, sound id or look name), ``region``
    (``GLOBAL`` when none), ``as_of`` and ``source``.
    """

    kind: str
    file: str
    source: str
    as_of: str
    format: str
    rows: list[dict[str, Any]]
    ignored_columns: list[str] = field(default_factory=list)


def normalize_header(name: str) -> str:
    """``"Video Views"`` -> ``"video_views"``."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """``["hashtag=tag", "cnt=posts"]`` -> ``{"hashtag": "tag", "cnt": "posts"}``."""
    out: dict[str, str] = {}
    for pair in pairs:
        src, sep, dst = pair.partition("=")
        if not sep or not src.strip() or not dst.strip():
            raise OptionError(f"{{mapping}} expects SRC=DST, got {pair!r}", options="mapping")
        out[normalize_header(src)] = normalize_header(dst)
    return out


def load_import(path: str | Path, *, kind: str | None = None, source: str | None = None,
                as_of: str | None = None, mapping: Mapping[str, str] | None = None
                ) -> ParsedImport:
    """Read and validate the export at ``path`` (see :func:`parse_import`)."""
    p = Path(path)
    return parse_import(read_bytes(p), name=str(p), kind=kind, source=source, as_of=as_of,
                        mapping=mapping)


def parse_import(data: bytes | str, *, name: str, kind: str | None = None,
                 source: str | None = None, as_of: str | None = None,
                 mapping: Mapping[str, str] | None = None) -> ParsedImport:
    """Validate an export given as bytes or text.

    Parameters
    ----------
    name
        File name for messages; its suffix picks the format (``.json``, ``.ndjson``/``.jsonl``,
        else CSV, or JSON when the text starts with ``[`` or ``{``).
    kind
        ``hashtags``, ``sounds`` or ``looks``; guessed from the columns when ``None``.
    source, as_of
        Source label and ISO date for rows whose file gives none; they also label the snapshot.
    mapping
        Column renames applied before anything else.
    """
    if kind is not None and kind not in KINDS:
        raise OptionError(f"{{kind}} must be one of {', '.join(KINDS)}, not {kind!r}",
                          options="kind")
    if as_of is not None:
        try:
            as_of = parse_date(as_of)
        except ValueError as exc:
            raise OptionError(f"{{as_of}}: {exc}", options="as_of") from None
    text = decode_text(data, name)
    records, columns, json_like = _read_records(text, name, kind)
    return _validate(records, columns, name=name, kind=kind, source=parse_text(source),
                     as_of=as_of, mapping=dict(mapping or {}), header_row=not json_like)


# -- reading ------------------------------------------------------------------------------------

Record = tuple[int, dict[str, Any]]


def _read_records(text: str, name: str, kind: str | None) -> tuple[list[Record], list[str], bool]:
    """Rows as (row number, {raw column: value}), and the columns in file order."""
    suffix = Path(name).suffix.lower()
    if suffix in (".ndjson", ".jsonl"):
        return (*_read_ndjson(text, name), True)
    if suffix == ".json" or (suffix not in (".csv", ".tsv") and text.lstrip()[:1] in ("[", "{")):
        return (*_read_json(text, name, kind), True)
    header, rows = read_csv(text, name, "\t" if suffix == ".tsv" else ",")
    return rows, header, False


def _json_error(exc: json.JSONDecodeError, name: str, line_offset: int = 0) -> DataFileError:
    return DataFileError(f"invalid JSON: {exc.msg}", path=name, row=exc.lineno + line_offset,
                         column=str(exc.colno))


def _loads(text: str, name: str, row: int | None) -> Any:
    """``json.loads``, with the errors that are not :class:`json.JSONDecodeError` (nesting
    deeper than Python's recursion limit, integers over 4300 digits) as :class:`DataFileError`.
    """
    try:
        return json.loads(text)
    except RecursionError:
        raise DataFileError("invalid JSON: nested too deeply", path=name, row=row) from None
    except json.JSONDecodeError:
        raise
    except ValueError:  # int("1" * 5000): the text is JSON, but too big a number
        raise DataFileError("invalid JSON: a number with too many digits", path=name,
                            row=row) from None


def _read_json(text: str, name: str, kind: str | None) -> tuple[list[Record], list[str]]:
    try:
        doc = _loads(text, name, None)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and text.lstrip().startswith("{"):
            return _read_ndjson(text, name)  # NDJSON without the suffix
        raise _json_error(exc, name) from None
    items = _json_list(doc, name, kind)
    records: list[Record] = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise DataFileError(f"expected an object, got {type(item).__name__}", path=name,
                                row=i)
        records.append((i, item))
    return records, _union_keys(records)


def _json_list(doc: Any, name: str, kind: str | None) -> list[Any]:
    """The list of records in a JSON document: a list, or a known wrapper object."""
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        present = [k for k in KINDS if isinstance(doc.get(k), list)]
        if kind in present:
            return doc[kind]
        if len(present) == 1 and kind is None:
            return doc[present[0]]
        if len(present) > 1:
            raise DataFileError(f"the file holds {', '.join(present)}: choose one with {{kind}}",
                                path=name, row=1, options="kind")
        inner = doc.get("data", doc)
        if isinstance(inner, dict):
            for key in ("list", "items", "records"):
                if isinstance(inner.get(key), list):
                    return inner[key]
        elif isinstance(inner, list):
            return inner
    raise DataFileError("expected a JSON list of records (or {\"data\": {\"list\": ...}})",
                        path=name, row=1)


def _read_ndjson(text: str, name: str) -> tuple[list[Record], list[str]]:
    records: list[Record] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = _loads(line, name, number)
        except json.JSONDecodeError as exc:
            raise _json_error(exc, name, number - 1) from None
        if not isinstance(item, dict):
            raise DataFileError("expected one JSON object per line", path=name, row=number)
        records.append((number, item))
    return records, _union_keys(records)


def _union_keys(records: list[Record]) -> list[str]:
    seen: dict[str, None] = {}
    for _, item in records:
        for key in item:
            seen.setdefault(str(key), None)
    return list(seen)


# -- validation ---------------------------------------------------------------------------------

def guess_kind(columns: Iterable[str]) -> str | None:
    """The kind a set of (normalised, mapped) columns describes, or ``None``."""
    cols = set(columns)
    if cols & {"tag", "hashtag_name", "hashtag"}:
        return "hashtags"
    if "lut_file" in cols or "lut" in cols:
        return "looks"
    if cols & {"title", "song_name", "song_title"}:
        return "sounds"
    return None


def _validate(records: list[Record], raw_columns: list[str], *, name: str, kind: str | None,
              source: str | None, as_of: str | None, mapping: dict[str, str],
              header_row: bool) -> ParsedImport:
    head = 1  # where a column-level problem is reported: the header line, or the first record
    # raw column -> canonical name, in three steps: normalise, --map, dashboard aliases
    norm = {raw: normalize_header(raw) for raw in raw_columns}
    by_norm = {n: raw for raw, n in norm.items()}
    for src, dst in mapping.items():
        if src not in by_norm:
            raise DataFileError(f"{{mapping}} {src}={dst}: the file has no such column",
                                path=name, row=head, column=src, options="mapping")
        if dst in by_norm and dst not in mapping:
            raise DataFileError(f"{{mapping}} {src}={dst}: the file already has a column "
                                f"{dst!r}", path=name, row=head, column=dst, options="mapping")
    mapped = {raw: mapping.get(n, n) for raw, n in norm.items()}
    kind = kind or guess_kind(mapped.values())
    if kind is None:
        raise DataFileError("cannot tell hashtags, sounds or looks from the columns "
                            "(pass --kind, or --map a column to tag/title/lut_file)",
                            path=name, row=head)
    wanted = {f.name for f in FIELDS[kind]}
    canon: dict[str, str] = {}  # canonical -> raw column
    for raw, col in mapped.items():
        if col in wanted and col not in canon:
            canon[col] = raw
    aliased = set()
    for raw, col in mapped.items():
        target = ALIASES[kind].get(col)
        if target and target not in canon:
            canon[target] = raw
            aliased.add(col)
    fmt = "creative-center" if aliased & _CC_MARKERS else "creator-tools"
    used = set(canon.values())
    ignored = [raw for raw in raw_columns if raw not in used and norm[raw] not in _OUTPUT_ONLY]

    for f in FIELDS[kind]:
        if f.required and f.name not in canon:
            raise DataFileError(f"required column missing ({kind} need {f.name!r})", path=name,
                                row=head, column=f.name)
    if "as_of" not in canon and as_of is None:
        raise DataFileError("no date: the file has no as_of/crawl_date column (pass {as_of})",
                            path=name, row=head, column="as_of", options="as_of")
    if not records:
        raise DataFileError("no data rows", path=name, row=head + 1 if header_row else head)

    default_source = source or (CREATIVE_CENTER if fmt == "creative-center"
                                else f"import of {Path(name).name}")
    key = KEY_FIELD[kind]
    seen: dict[tuple[str, str], int] = {}
    rows: list[dict[str, Any]] = []
    for number, record in records:
        row: dict[str, Any] = {}
        for f in FIELDS[kind]:
            raw = canon.get(f.name)
            value = record.get(raw) if raw is not None else None
            try:
                parsed = f.parse(value)
            except ValueError as exc:
                raise DataFileError(str(exc), path=name, row=number, column=raw) from None
            if parsed is None and f.required:
                raise DataFileError(f"empty {f.name}", path=name, row=number, column=raw)
            row[f.name] = parsed
        _fill_row(row, kind, fmt, number=number, name=name, canon=canon,
                  as_of=as_of, source=default_source)
        ident = (row["item"], row["region"])
        if ident in seen:
            raise DataFileError(f"{row['item']} ({row['region']}) repeats row {seen[ident]}",
                                path=name, row=number, column=canon.get(key, "title"))
        seen[ident] = number
        rows.append(row)

    snapshot_as_of = as_of or max(r["as_of"] for r in rows)
    labels = {r["source"] for r in rows}
    snapshot_source = source or (labels.pop() if len(labels) == 1 else "several sources")
    return ParsedImport(kind=kind, file=name, source=snapshot_source, as_of=snapshot_as_of,
                        format=fmt, rows=rows, ignored_columns=ignored)


def _fill_row(row: dict[str, Any], kind: str, fmt: str, *, number: int, name: str,
              canon: dict[str, str], as_of: str | None, source: str) -> None:
    """Defaults and the item key, in place."""
    row["region"] = row.get("region") or DEFAULT_REGION
    if row.get("as_of") is None:
        if as_of is None:
            raise DataFileError("empty date (pass {as_of} for rows without one)", path=name,
                                row=number, column=canon.get("as_of", "as_of"),
                                options="as_of")
        row["as_of"] = as_of
    row["source"] = row.get("source") or source
    if kind == "hashtags" and row.get("kind") is None and fmt == "creative-center":
        row["kind"] = "trending"
    if kind == "sounds" and row.get("id") is None:
        row["id"] = slugify(" ".join(filter(None, (row["title"], row.get("artist")))))
        if not row["id"]:
            raise DataFileError("cannot make an id from this title", path=name, row=number,
                                column=canon.get("title"))
    row["item"] = row[KEY_FIELD[kind]]
