"""Property-based tests (hypothesis): every data file either loads or fails the documented way.

- ``.cube`` LUTs (:mod:`creator_tools.looks.cube`): write -> read round-trips any valid LUT;
  any text or bytes loads or raises :class:`DataFileError`, and a huge declared size allocates
  nothing.
- Trend imports (:mod:`creator_tools.trends`): any CSV/JSON/NDJSON file imports or raises
  :class:`DataFileError`; a failed import leaves the index unchanged, row for row and byte for
  byte; valid rows read back as written.
- Plans (:mod:`creator_tools.edit.plan`): valid plans round-trip through JSON; any JSON loads or
  raises :class:`PlanError` naming a field; a plan's names reach ffmpeg only as ``-i`` inputs
  (``tests/test_plan_safety.py`` renders hostile names for real).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import sqlite3
import tracemalloc
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from creator_tools.edit.audio_mix import Master
from creator_tools.edit.plan import (
    AudioPlan,
    Captions,
    EditPlan,
    Enhance,
    Keyframe,
    Look,
    Music,
    OutputSpec,
    PlanError,
    Reframe,
    Segment,
    Source,
    load_plan,
)
from creator_tools.edit.render import RenderCommands, build_commands
from creator_tools.errors import DataFileError
from creator_tools.looks.cube import Lut3D, format_cube, identity, read_cube, write_cube
from creator_tools.media.ffmpeg_escape import escape_filter_path
from creator_tools.media.probe import AudioInfo, MediaInfo, VideoInfo
from creator_tools.trends.fields import FIELDS, KINDS
from creator_tools.trends.importers import ALIASES, ParsedImport, parse_import
from creator_tools.trends.store import TrendIndex


def fast(n: int) -> settings:
    """``n`` examples, no deadline, no example database written into the repository."""
    return settings(max_examples=n, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder shared by the examples of this module (hypothesis re-runs one test many times)."""
    return tmp_path_factory.mktemp("props")


def nested(depth: int) -> Any:
    """``[[[...1...]]]``, ``depth`` lists deep."""
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


#: Characters :meth:`str.splitlines` breaks lines at.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
#: Characters that UTF-8 can encode (``st.characters()`` also draws lone surrogates).
CHARS = st.characters(codec="utf-8")
ODD_CHARS = st.sampled_from(['"', "'", "#", "\\", "\t", " ", "\x00", "\x1f", "ü", "日", "🎬",
                             "TITLE ", "LUT_3D_SIZE 2", *LINE_BREAKS])
ODD_TEXT = st.lists(st.one_of(CHARS, ODD_CHARS), max_size=20).map("".join)


# ---------------------------------------------------------------------------------------------
# .cube LUTs
# ---------------------------------------------------------------------------------------------

F32_MAX = float(np.finfo(np.float32).max)


@st.composite
def domains(draw: st.DrawFn) -> tuple[tuple[float, ...], tuple[float, ...]]:
    if draw(st.booleans()):
        return (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)
    pairs = [sorted(draw(st.lists(st.floats(allow_nan=False, allow_infinity=False),
                                  min_size=2, max_size=2, unique=True))) for _ in range(3)]
    return tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)


@st.composite
def luts(draw: st.DrawFn) -> Lut3D:
    """Any valid LUT: size 2..17, finite float32 values (mostly 0..1, some extreme), any title
    and domain."""
    size = draw(st.integers(2, 17))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scale = draw(st.sampled_from([1.0, 1e-6, 100.0]))
    table = (rng.uniform(-0.1, 1.1, (size, size, size, 3)) * scale).astype(np.float32)
    flat = table.reshape(-1)
    for index, value in draw(st.lists(st.tuples(st.integers(0, flat.size - 1),
                                                st.floats(width=32, allow_nan=False,
                                                          allow_infinity=False)),
                                      max_size=8)):
        flat[index] = value
    lo, hi = draw(domains())
    return Lut3D(size, table, title=draw(ODD_TEXT), domain_min=lo, domain_max=hi)


@fast(40)
@given(lut=luts())
def test_cube_write_read_round_trips(lut: Lut3D, scratch: Path) -> None:
    path = write_cube(lut, scratch / "round.cube")
    back = read_cube(path)
    assert back.size == lut.size
    # 6 decimals are written: the table comes back within rounding (exact for large values).
    np.testing.assert_allclose(back.table, lut.table, rtol=1e-6, atol=6e-7)
    assert back.domain_min == lut.domain_min and back.domain_max == lut.domain_max
    # Documented: double quotes become single quotes, line breaks become spaces.
    expected = re.sub(f"[{LINE_BREAKS}]", " ", lut.title.replace('"', "'"))
    assert back.title == expected
    assert format_cube(back) == format_cube(lut)


NUMBER_TEXT = st.one_of(
    st.floats().map(repr),
    st.integers(-10**6, 10**6).map(str),
    st.sampled_from(["1e39", "-1e39", "3.4028235e38", "3.41e38", "1e400", "NaN", "-inf", "0x10",
                     "1_0", "²", "٣", "９", "1,5", "+.5", ".", "-", "1e", "0.5#c", "1e-400"]),
)
SIZE_TEXT = st.one_of(
    st.integers(-5, 300).map(str),
    st.sampled_from(["100000", "65536", "257", "1", "0", "2" * 30, "9" * 5000, "²", "٣", "３",
                     "3.0", "0x10", "1e3", "+3", "", "17 17", "00000000000000000017"]),
)
KEYWORDS = ["LUT_3D_SIZE", "LUT_1D_SIZE", "DOMAIN_MIN", "DOMAIN_MAX", "LUT_3D_INPUT_RANGE",
            "TITLE", "LUT_IN_VIDEO_RANGE", "FOO_BAR"]
CUBE_LINE = st.one_of(
    st.tuples(st.just("LUT_3D_SIZE"), SIZE_TEXT).map(" ".join),
    st.tuples(st.sampled_from(KEYWORDS), st.lists(NUMBER_TEXT, max_size=4).map(" ".join))
    .map(" ".join),
    st.lists(NUMBER_TEXT, max_size=5).map(" ".join),
    st.sampled_from(["# comment", "", "   ", 'TITLE "x', 'TITLE "a" "b"', "\ufeff", "\x00"]),
    st.text(max_size=30),
)
NEWLINES = st.sampled_from(["\n", "\r\n", "\r", "\u2028", "\x0c", "\n\n"])


@st.composite
def cube_texts(draw: st.DrawFn) -> str:
    lines = draw(st.lists(CUBE_LINE, max_size=40))
    return draw(NEWLINES).join(lines)


@st.composite
def mutated_cubes(draw: st.DrawFn) -> str:
    """A valid small cube file with lines dropped, duplicated, swapped, replaced or added."""
    size = draw(st.integers(2, 4))
    lut = identity(size) if draw(st.booleans()) else replace_title(identity(size), draw(ODD_TEXT))
    lines = format_cube(lut).splitlines()
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["drop", "dup", "swap", "replace", "insert", "size"]))
        i = draw(st.integers(0, len(lines) - 1)) if lines else 0
        if op == "drop" and lines:
            del lines[i]
        elif op == "dup" and lines:
            lines.insert(i, lines[i])
        elif op == "swap" and lines:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "replace" and lines:
            lines[i] = draw(CUBE_LINE)
        elif op == "insert":
            lines.insert(i, draw(CUBE_LINE))
        else:
            lines = [f"LUT_3D_SIZE {draw(SIZE_TEXT)}" if ln.startswith("LUT_3D_SIZE") else ln
                     for ln in lines]
    return draw(NEWLINES).join(lines) + draw(st.sampled_from(["", "\n"]))


def replace_title(lut: Lut3D, title: str) -> Lut3D:
    return Lut3D(lut.size, lut.table, title=title)


@st.composite
def cube_bytes(draw: st.DrawFn) -> bytes:
    text = draw(st.one_of(cube_texts(), mutated_cubes()))
    how = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cut", "garbage"]))
    if how in ("utf-8", "utf-8-sig", "utf-16"):
        return text.encode(how, errors="surrogatepass")
    if how == "latin-1":
        return text.encode("latin-1", errors="replace")
    data = text.encode("utf-8", errors="surrogatepass")
    if how == "cut":
        return data[: draw(st.integers(0, len(data)))]
    at = draw(st.integers(0, len(data)))
    return data[:at] + draw(st.binary(max_size=64)) + data[at:]


@fast(250)
@given(data=st.one_of(cube_bytes(), st.binary(max_size=300)))
def test_any_cube_file_loads_or_raises_data_file_error(data: bytes, scratch: Path) -> None:
    path = scratch / "any.cube"
    path.write_bytes(data)
    try:
        lut = read_cube(path)
    except DataFileError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in exc.message
        return
    assert 2 <= lut.size <= 256 and np.all(np.isfinite(lut.table))


@pytest.mark.parametrize("size", ["100000", "256", "4294967296", "9" * 5000, "1" + "0" * 400])
def test_a_huge_declared_size_allocates_nothing(tmp_path: Path, size: str) -> None:
    path = tmp_path / "huge.cube"
    path.write_text(f"LUT_3D_SIZE {size}\n" + "0.5 0.5 0.5\n" * 100)
    tracemalloc.start()
    try:
        with pytest.raises(DataFileError, match=r"LUT_3D_SIZE|table rows"):
            read_cube(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


@pytest.mark.parametrize(("line", "needle"), [
    ("LUT_3D_SIZE ²", "whole number"), ("LUT_3D_SIZE ٣", "whole number"),
    ("LUT_3D_SIZE 2\n1e39 0 0", "out of range"), ("LUT_3D_SIZE 2\n0 -3.5e38 0", "out of range"),
    ("LUT_3D_SIZE 2\n0 0 1e400", "non-finite"), ("LUT_3D_SIZE 2\n0 nan 0", "non-finite"),
])
def test_bad_numbers_are_data_errors(tmp_path: Path, line: str, needle: str) -> None:
    path = tmp_path / "bad.cube"
    rows = "0.5 0.5 0.5\n" * 7 if "\n" in line else ""
    path.write_text(f"{line}\n{rows}")
    with pytest.raises(DataFileError, match=needle):
        read_cube(path)


# ---------------------------------------------------------------------------------------------
# Trend imports
# ---------------------------------------------------------------------------------------------

KNOWN_COLUMNS = sorted({f.name for fields in FIELDS.values() for f in fields}
                       | {alias for aliases in ALIASES.values() for alias in aliases}
                       | {"type", "item", "momentum", "Video Views", " TAG ", "Hashtag Name"})
COLUMN = st.one_of(st.sampled_from(KNOWN_COLUMNS), st.text(max_size=12))
CELL_TEXT = st.one_of(
    st.sampled_from([
        "", " ", "#fyp", "fyp", "#", "# #", "Meal Prep", "US", "gb", "GLOBAL", "worldwide", "U S",
        "2024-05-01", "2024-02-30", "2024-05-01T10:00:00Z", "2024-05-01 10:00+0200", "yesterday",
        "٢٠٢٤-٠١-٠١", "1,234", "1_000", "-5", "0", "+7", "1e400", "nan", "inf", "-0", "9" * 30,
        "9" * 5000, "3:30", "3:75", "1" * 400 + ":30", "١:٣٠", "[1,2,3]", "[" * 3000, "[[[]]]",
        '[{"value": 3}, {"value": -1}]', "[1e400]", "a;b;c", "warm.cube", "../x.cube",
        "/etc/passwd.cube", "a\\b.cube", "true", "maybe", "trending", "HIGH", "İstanbul",
        "\x00", "\r\n", "\ufeff", "ß", "18446744073709551616", "9223372036854775807",
    ]),
    st.integers(-2**70, 2**70).map(str),
    st.floats().map(repr),
    st.text(max_size=20),
)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    header = draw(st.lists(COLUMN, min_size=0, max_size=8))
    width = len(header)
    rows = draw(st.lists(st.lists(CELL_TEXT, min_size=max(0, width - 1), max_size=width + 1),
                         max_size=6))
    delimiter = draw(st.sampled_from([",", ",", "\t", ";"]))
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter,
                        lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])))
    if draw(st.booleans()):
        writer.writerow(header)
    writer.writerows(rows)
    text = buf.getvalue()
    if draw(st.booleans()):  # hand-made damage: quotes, cut lines
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(['"', '""', "\n", ",", "\x00", "\ud800"])) \
            + text[at:]
    data = text.encode("utf-8", errors="surrogatepass")
    return (codecs.BOM_UTF8 + data) if draw(st.booleans()) else data


JSON_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), CELL_TEXT,
    st.sampled_from([2**63, 2**64, -1, 10**400, -(10**400), 1e308, "\ud800", "a\udfffb"]),
)
JSON_VALUE = st.recursive(JSON_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.one_of(st.sampled_from(["value", "time"]), st.text(max_size=5)), inner,
                    max_size=3)), max_leaves=8)
RECORD = st.dictionaries(COLUMN, st.one_of(JSON_SCALAR, JSON_VALUE), max_size=8)


@st.composite
def json_files(draw: st.DrawFn) -> bytes:
    records = draw(st.lists(st.one_of(RECORD, RECORD, JSON_SCALAR), max_size=5))
    shape = draw(st.sampled_from(["list", "kind", "data", "items", "ndjson", "scalar", "two"]))
    doc: Any
    if shape == "list":
        doc = records
    elif shape == "kind":
        doc = {draw(st.sampled_from(KINDS)): records}
    elif shape == "two":
        doc = {"hashtags": records, "sounds": records}
    elif shape == "data":
        doc = {"data": {"list": records}}
    elif shape == "items":
        doc = {"items": records}
    elif shape == "scalar":
        doc = draw(JSON_VALUE)
    else:
        doc = None
    if doc is None:
        text = "\n".join(json.dumps(r) for r in records)
    else:
        text = json.dumps(doc, indent=draw(st.sampled_from([None, 1])))
    if draw(st.booleans()):  # damage: deep nesting, huge literals, truncation
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(
            ["[" * 5000, "1" * 5000, "{", "]", "\n", "NaN", "Infinity", "-", '"\\ud800"', ","]
        )) + text[at:]
    return text.encode("utf-8", errors="surrogatepass")


#: Values at the limits of what the index can store (SQLite integers are 64-bit, text UTF-8).
SPECIAL_CELL = st.sampled_from([
    "9223372036854775807", "9223372036854775808", "18446744073709551616", "9" * 30, "9" * 5000,
    "1e308", "1e309", "1" * 400 + ":30", "[" * 3000, "[" * 3000 + "]" * 3000, "[1e308, 1e309]",
    "1" * 400, "-0", "0.5", "4.0", "120:00",
])
SPECIAL_JSON = st.sampled_from([
    2**63 - 1, 2**63, 2**64, 10**400, -(10**400), 1e308, 4.0, 0.5, float("nan"), "\ud800",
    "a\udfffb", "#a\ud800", [10**400], [{"value": 10**400}], ["\ud800"], "<deep>",
])


#: A minimal valid record of each kind (``i`` keeps items unique).
BASE_RECORD = {
    "hashtags": lambda i: {"tag": f"tag{i}"},
    "sounds": lambda i: {"title": f"Song {i}", "artist": "Someone"},
    "looks": lambda i: {"name": f"look-{i}", "lut_file": "warm.cube"},
}


@st.composite
def near_valid_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """Valid records of one kind with a few fields set to anything: these get past the header
    checks, so every field parser and the index itself see hostile values."""
    kind = draw(st.sampled_from(KINDS))
    names = [f.name for f in FIELDS[kind]]
    as_csv = draw(st.booleans())
    records = []
    for i in range(draw(st.integers(1, 4))):
        record: dict[str, Any] = {**BASE_RECORD[kind](i), "as_of": "2024-01-01"}
        for name in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
            record[name] = draw(st.one_of(SPECIAL_CELL, CELL_TEXT) if as_csv else
                                st.one_of(SPECIAL_JSON, JSON_SCALAR, JSON_VALUE))
        records.append(record)
    if not as_csv:
        deep = "[" * 3000 + "]" * 3000  # more than json.dumps can write
        return ".json", json.dumps(records).replace('"<deep>"', deep).encode()
    columns = list(dict.fromkeys(k for r in records for k in r))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, restval="")
    writer.writeheader()
    writer.writerows(records)
    return ".csv", buf.getvalue().encode("utf-8", errors="surrogatepass")


def dump(db: Path) -> tuple[str, list[str]]:
    """The index file's bytes (hashed) and every row of every table, as SQL."""
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    con = sqlite3.connect(db)
    try:
        return digest, list(con.iterdump())
    finally:
        con.close()


@pytest.fixture(scope="module")
def index(scratch: Path) -> Any:
    """An index holding the shipped hashtags, shared by the examples (successes add to it)."""
    from creator_tools.resources import asset_path

    with TrendIndex(scratch / "index.sqlite", seed=False) as ix:
        ix.import_file(asset_path("trends", "hashtags.csv"), kind="hashtags")
        yield ix


@fast(150)
@given(file=st.one_of(
    st.tuples(st.sampled_from([".csv", ".json", ".ndjson", ".tsv", ".txt"]),
              st.one_of(csv_files(), json_files(), st.binary(max_size=200))),
    near_valid_files(), near_valid_files()),
    kind=st.sampled_from([None, None, *KINDS]), as_of=st.sampled_from([None, "2024-06-01"]))
def test_any_import_loads_or_raises_and_a_failure_changes_nothing(
        file: tuple[str, bytes], kind: str | None, as_of: str | None, index: TrendIndex,
        scratch: Path) -> None:
    suffix, data = file
    path = scratch / f"export{suffix}"
    path.write_bytes(data)
    before = dump(index.path)
    snapshots = len(index.snapshots())
    try:
        snap = index.import_file(path, kind=kind, as_of=as_of)
    except DataFileError as exc:
        assert str(exc).startswith(str(path))
        assert dump(index.path) == before
        return
    assert len(index.snapshots()) == snapshots + 1 and snap.row_count >= 1
    items = index.current(snap.kind)  # what was stored reads back
    assert {it.item for it in items} >= {
        r[0] for r in index._query("SELECT item FROM entries WHERE snapshot_id = ?", (snap.id,))}


@fast(10)
@given(bad_at=st.integers(0, 5), rows=st.integers(1, 6))
def test_a_failure_while_storing_rolls_everything_back(bad_at: int, rows: int,
                                                      index: TrendIndex) -> None:
    good = [{"item": f"#t{i}", "tag": f"#t{i}", "region": "US", "as_of": "2024-06-02",
             "views": i, "source": "test"} for i in range(rows)]
    good.insert(min(bad_at, rows), {**good[0], "item": "#bad", "views": 2**64})
    parsed = ParsedImport(kind="hashtags", file="x.csv", source="test", as_of="2024-06-02",
                          format="creator-tools", rows=good)
    before = dump(index.path)
    with pytest.raises(Exception):  # noqa: B017 - any failure, even a bug, must roll back
        index.add(parsed)
    assert dump(index.path) == before


@pytest.mark.parametrize(("data", "name", "needle"), [
    (b'[{"tag": "a", "views": 18446744073709551616, "as_of": "2024-01-01"}]', "x.json",
     "column 'views': too large"),
    (b"tag,views,as_of\na,9223372036854775808,2024-01-01\n", "x.csv", "column 'views': too large"),
    (b"tag,views,as_of\na," + b"9" * 5000 + b",2024-01-01\n", "x.csv", "too large"),
    (b"tag,rank,as_of\na,-" + b"9" * 5000 + b",2024-01-01\n", "x.csv", "must be at least 1"),
    (b'[{"title": "a", "bpm": 1' + b"0" * 400 + b', "as_of": "2024-01-01"}]', "x.json",
     "column 'bpm': expected a number"),
    (b"title,duration,as_of\na," + b"1" * 400 + b":30,2024-01-01\n", "x.csv",
     "column 'duration'"),
    (b"title,niches,as_of\na," + b"[" * 5000 + b",2024-01-01\n", "x.csv", "bad JSON list"),
    (b'[{"tag": "a", "description": "\\ud800", "as_of": "2024-01-01"}]', "x.json",
     "column 'description': not valid Unicode"),
    (b'[{"tag": "a", "views": ' + b"1" * 5000 + b', "as_of": "2024-01-01"}]', "x.json",
     "too many digits"),
    (b"[" * 5000, "x.json", "nested too deeply"),
    (b'{"tag": "a"}\n' + b"[" * 5000, "x.ndjson", "row 2: invalid JSON: nested too deeply"),
])
def test_trend_values_found_by_the_properties(data: bytes, name: str, needle: str) -> None:
    with pytest.raises(DataFileError) as caught:
        parse_import(data, name=name)
    assert needle in str(caught.value)


TAG_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_ÄéüßΩж日"
DESCRIPTION = st.text(st.one_of(CHARS, st.sampled_from(
    [" ", "\t", "\n", ",", '"', ";", "[", "#"])), max_size=30)


@st.composite
def hashtag_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    rows = draw(st.lists(st.fixed_dictionaries({
        "tag": st.text(TAG_CHARS, min_size=1, max_size=15),
        "region": st.sampled_from(["US", "GB", "DE", "GLOBAL"]),
        "rank": st.none() | st.integers(1, 10**6),
        "views": st.none() | st.integers(0, 2**63 - 1),
        "posts": st.none() | st.integers(0, 10**12),
        "category": st.none() | st.text("abcdefgh ÄÉ", min_size=1, max_size=10),
        "description": DESCRIPTION,
        "as_of": st.dates().map(lambda d: d.isoformat()).filter(lambda s: len(s) == 10),
        "banned": st.booleans(),
    }), min_size=1, max_size=8, unique_by=lambda r: r["tag"].lower()))  # no inheritance
    assume(all(re.fullmatch(r"\w+", r["tag"].lower()) for r in rows))
    return rows


def _collapse(text: str | None) -> str | None:
    """Whitespace runs to one space, empty to ``None`` (as the importer's text fields)."""
    if text is None:
        return None
    return " ".join(text.split()) or None


@fast(30)
@given(rows=hashtag_rows(), as_json=st.booleans())
def test_valid_rows_import_and_read_back(rows: list[dict[str, Any]], as_json: bool,
                                         scratch: Path) -> None:
    db = scratch / "readback.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    path = scratch / ("rows.json" if as_json else "rows.csv")
    if as_json:
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    else:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([{k: "" if v is None else int(v) if isinstance(v, bool) else v
                           for k, v in r.items()} for r in rows])
        path.write_text(buf.getvalue(), encoding="utf-8")
    with TrendIndex(db, seed=False) as ix:
        snap = ix.import_file(path)
        assert snap.kind == "hashtags" and snap.row_count == len(rows)
        got = {(it.item, it.region): it for it in ix.current("hashtags")}
    assert len(got) == len(rows)
    for r in rows:
        it = got[("#" + r["tag"].lower(), r["region"])]
        f = it.fields
        assert (f["rank"], f["views"], f["posts"]) == (r["rank"], r["views"], r["posts"])
        assert it.as_of == r["as_of"] and it.banned == r["banned"]
        assert f["description"] == _collapse(r["description"])
        category = _collapse(r["category"])
        assert f["category"] == (category.lower() if category else None)
        assert it.momentum is None


# ---------------------------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------------------------

def finite(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


PATH_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1,
                    max_size=20) \
    .map(lambda s: "/media/" + s)
OPTIONAL_TEXT = st.none() | ODD_TEXT


@st.composite
def plans(draw: st.DrawFn) -> EditPlan:
    """Any valid plan (absolute paths, so loading from a file changes nothing)."""
    den = draw(st.integers(1, 10**6))
    timebase = Fraction(draw(st.integers(1, den)), den)
    duration = draw(st.integers(1, 10**9))
    extra_ids = draw(st.lists(st.text(max_size=6).filter(lambda s: s != "main"), max_size=2,
                              unique=True))
    sources = [Source(sid, draw(PATH_TEXT), duration, draw(st.booleans()), draw(st.booleans()),
                      draw(st.booleans())) for sid in ["main", *extra_ids]]
    cuts = sorted(draw(st.sets(st.integers(0, duration), min_size=2, max_size=8)))
    segments = [Segment(a, b, draw(st.sampled_from([s.id for s in sources])))
                for a, b in zip(cuts[::2], cuts[1::2], strict=False)]
    times = sorted(draw(st.sets(st.integers(0, 10**9), max_size=5)))
    keyframes = [Keyframe(t, draw(finite(0, 1)), draw(finite(0, 1))) for t in times]
    output = OutputSpec(
        width=draw(st.integers(8, 4096)) * 2, height=draw(st.integers(8, 4096)) * 2,
        fps=draw(st.sampled_from(["30", "25", "24", "60", "30000/1001", "24000/1001", "29.97",
                                  "240", "1"])),
        platform=draw(ODD_TEXT), max_duration=draw(finite(1, 1e12)),
        preset=draw(st.sampled_from(["ultrafast", "veryfast", "medium", "veryslow"])),
        crf=draw(st.integers(0, 51)), audio_rate=draw(st.integers(8000, 192000)),
        audio_bitrate=draw(st.sampled_from(["160k", "128000", "96k", "1.5M", "320K"])),
    )
    music = None if draw(st.booleans()) else Music(
        file=draw(PATH_TEXT), offset=draw(finite(0, 1e6)), gain_db=draw(finite(-60, 12)),
        fade_in=draw(finite(0, 30)), fade_out=draw(finite(0, 30)), duck=draw(st.booleans()),
        duck_db=draw(finite(0, 40)), id=draw(OPTIONAL_TEXT))
    return EditPlan(
        timebase=timebase, sources=sources, segments=segments, output=output,
        reframe=Reframe(draw(st.sampled_from(["crop", "fill", "letterbox", "none"])), keyframes,
                        draw(finite(1, 4))),
        enhance=Enhance(draw(finite(-2, 2)), draw(finite(0.3, 3)), draw(finite(0.5, 2)),
                        draw(finite(0.5, 2)), draw(finite(0, 1)), *draw(st.lists(
                            st.booleans(), min_size=3, max_size=3))),
        look=Look(draw(OPTIONAL_TEXT), draw(st.none() | PATH_TEXT), draw(finite(0, 1))),
        audio=AudioPlan(draw(finite(-40, -5)), draw(finite(-9, 0)),
                        draw(st.none() | finite(-120, 20)), music),
        captions=Captions(draw(ODD_TEXT), draw(st.lists(ODD_TEXT, max_size=3))),
        notes=draw(st.lists(ODD_TEXT, max_size=3)),
    )


@fast(60)
@given(plan=plans())
def test_valid_plans_round_trip_through_json(plan: EditPlan, scratch: Path) -> None:
    path = scratch / "plan.json"
    path.write_text(plan.to_json(), encoding="utf-8")
    again = load_plan(path)
    assert again == plan
    assert again.to_json() == plan.to_json()


HOSTILE_VALUE = st.one_of(
    st.integers(-(10**20), 10**20), st.floats(), JSON_SCALAR,
    st.sampled_from([
        -1, 0, -(10**30), 10**30, 10**400, -(10**400), 2**53 + 1, float("nan"), float("inf"),
        -float("inf"), -0.0, 1e308, -1e308, 5e-324, "", "1/0", "0", "0/5", "-1/30", "1/-30",
        "1e-999999999", "1e999999999", "1e-5", "30_000", "٣٠", " 30 ", "30\n", "3e1", "nan",
        "inf", "1/30 ", "30000/1001", "29.97", "0x1e", "1" * 5000, True, False, None, [], {},
        [1, 2], {"a": 1}, nested(50), nested(900), "$(touch pwned)", "-y", "[in]",
    ]),
)


NUMBER_HOSTILE = st.one_of(st.integers(), st.floats(), st.sampled_from([
    -1, 0, 1, -(10**30), 10**30, 10**400, -(10**400), 2**53 + 1, 2**63, float("nan"),
    float("inf"), -float("inf"), -0.0, 1e308, -1e308, 5e-324, 0.5, "1"]))
STRING_HOSTILE = st.one_of(ODD_TEXT, st.sampled_from([
    "", "main", "x", "1/0", "0", "0/5", "-1/30", "1/-30", "1e-999999999", "1e999999999", "1e-5",
    "30_000", "٣٠", " 30 ", "30\n", "3e1", "nan", "inf", "1/30 ", "30000/1001", "29.97", "0x1e",
    "1" * 5000, "1/" + "9" * 5000, "$(touch pwned)", "-y", "[in]", "160k;x", "-b:a 1",
]))


def _slots(doc: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key) in a JSON document."""
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) \
        if isinstance(doc, list) else ()
    for key, value in items:
        out.append((doc, key))
        _slots(value, out)
    return out


@st.composite
def mutated_plan_docs(draw: st.DrawFn) -> Any:
    doc = draw(plans()).to_dict()
    pick = draw(st.randoms(use_true_random=True))  # any field alike, not the first ones
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):
        slots = _slots(doc, [])
        if not slots:
            break
        container, key = pick.choice(slots)
        op = draw(st.sampled_from(["set", "set", "set", "delete", "extra", "wrap"]))
        if op == "set":
            old = container[key]
            container[key] = draw(
                st.one_of(NUMBER_HOSTILE, HOSTILE_VALUE)
                if isinstance(old, int | float) and not isinstance(old, bool) else
                st.one_of(STRING_HOSTILE, HOSTILE_VALUE) if isinstance(old, str) else
                HOSTILE_VALUE)
        elif op == "delete":
            del container[key]
        elif op == "extra" and isinstance(container, dict):
            container[draw(st.text(max_size=8))] = draw(HOSTILE_VALUE)
        elif op == "wrap":
            container[key] = [container[key]] if draw(st.booleans()) else {"x": container[key]}
    return doc


#: What a plan error starts with: the field, as ``plan.x``, ``sources[0].path``, ``output.fps``...
FIELD = re.compile(r"^(plan|sources\[\d+\]|segments\[\d+\]|output|reframe|enhance|look|audio|"
                   r"captions)[.:\[]")

INFO = MediaInfo(path="clip.mp4", duration=2.0, container="mov,mp4,m4a,3gp,3g2,mj2",
                 video=VideoInfo(codec="h264", width=640, height=360, display_width=640,
                                 display_height=360, rotation=0, fps=25.0, variable_fps=False,
                                 frames=50, pix_fmt="yuv420p", bit_depth=8, hdr=False),
                 audio=AudioInfo(codec="aac", sample_rate=48000, channels=2))


def _json_text(doc: Any) -> str | None:
    try:
        return json.dumps(doc, allow_nan=True)
    except (ValueError, RecursionError):  # a >4300-digit int: such a file is tested below
        return None


@fast(150)
@given(doc=st.one_of(mutated_plan_docs(), mutated_plan_docs(), mutated_plan_docs(), JSON_VALUE,
                     RECORD))
def test_any_json_plan_loads_or_raises_plan_error_naming_a_field(doc: Any,
                                                                 scratch: Path) -> None:
    text = _json_text(doc)
    assume(text is not None)
    path = scratch / "any-plan.json"
    path.write_text(text, encoding="utf-8")
    try:
        plan = load_plan(path)
    except PlanError as exc:
        assert FIELD.match(exc.message), exc.message
        assert "\n" not in exc.message
        return
    # A plan that loads gives an ffmpeg command (with its LUT and music files present), never
    # a crash.
    work = scratch / "work"
    work.mkdir(exist_ok=True)
    if plan.look.lut:
        (work / "in.cube").write_text(TINY_LUT)
        plan.look = replace(plan.look, lut=str(work / "in.cube"))
    if plan.audio.music:
        (work / "in.m4a").write_bytes(b"m")
        plan.audio = replace(plan.audio, music=replace(plan.audio.music, file=str(work / "in.m4a")))
    cmds = build_commands(plan, scratch / "out.mp4", workdir=work, parts=work, info=INFO)
    for cmd in _all_commands(cmds):
        assert all(isinstance(a, str) for a in cmd)


def _all_commands(cmds: RenderCommands) -> list[list[str]]:
    return [cmds.video, *([cmds.mix] if cmds.mix else []), cmds.mux,
            cmds.master(Master(), measure=False), cmds.master(Master(3.0, -2.0), measure=True)]


@fast(100)
@given(data=st.one_of(
    st.binary(max_size=200),
    st.sampled_from([b"[" * 100_000, b"{}" * 3, b"1" * 5000, b'{"version": ' + b"1" * 5000 + b"}",
                     b"\xef\xbb\xbf{}", b"\xff\xfe{\x00}\x00", b"NaN", b"", b"null"]),
    json_files(),
))
def test_any_plan_file_loads_or_raises_plan_error(data: bytes, scratch: Path) -> None:
    path = scratch / "bytes-plan.json"
    path.write_bytes(data)
    try:
        load_plan(path)
    except PlanError as exc:
        assert "\n" not in exc.message
        assert str(exc).startswith(str(path))


@pytest.mark.parametrize("timebase", ["1e-999999999", "1e999999999", "1/" + "9" * 5000,
                                      "1e-4300", "0." + "0" * 5000 + "1"])
def test_a_plan_cannot_make_the_loader_compute_forever(timebase: str) -> None:
    doc = {"version": 1, "timebase": timebase, "segments": [{"start": 0, "end": 1}],
           "sources": [{"id": "main", "path": "/a.mp4", "duration": 1, "has_video": True,
                        "has_audio": False}]}
    with pytest.raises(PlanError, match=re.escape("plan.timebase")):
        EditPlan.from_dict(doc)
    doc["timebase"] = "1/30"
    doc["output"] = {"fps": timebase}
    with pytest.raises(PlanError, match=re.escape("output.fps")):
        EditPlan.from_dict(doc)


def _minimal_plan(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "version": 1, "timebase": "1/30", "segments": [{"start": 0, "end": 10}],
        "sources": [{"id": "main", "path": "/a.mp4", "duration": 30, "has_video": True,
                     "has_audio": True}]}
    doc.update(changes)
    return doc


@pytest.mark.parametrize(("doc", "field"), [
    (_minimal_plan(reframe={"zoom": 10**400}), "reframe.zoom: must be a finite number"),
    (_minimal_plan(audio={"target_lufs": -(10**400)}), "audio.target_lufs: must be a finite"),
    (_minimal_plan(sources=[{"id": "b", "path": "/a.mp4", "duration": 30, "has_video": True,
                             "has_audio": True}], segments=[{"start": 0, "end": 1, "source": "b"}]),
     "plan.sources: needs a source with id 'main'"),
    (_minimal_plan(sources=[{"id": "main", "path": "/a.mp4", "duration": 10**400,
                             "has_video": True, "has_audio": True}]), "sources[0].duration"),
    (_minimal_plan(reframe={"keyframes": [{"t": 10**400, "x": 0.5, "y": 0.5}]}),
     "reframe.keyframes[0].t"),
    (_minimal_plan(sources=[{"id": "main", "path": "/a\0.mp4", "duration": 30,
                             "has_video": True, "has_audio": True}]), "sources[0].path: must not"),
    (_minimal_plan(look={"lut": "/x\0.cube"}), "look.lut: must not contain a NUL"),
    (_minimal_plan(audio={"music": {"file": "/m\0.m4a"}}), "audio.music.file: must not"),
    (_minimal_plan(output={"a\nb": 1}), "output.'a\\nb': unknown field"),
    (_minimal_plan(timebase=" 1/30"), "plan.timebase"),
    (_minimal_plan(timebase="١/٣٠"), "plan.timebase"),
    (_minimal_plan(timebase="1_0/300"), "plan.timebase"),
    (_minimal_plan(output={"fps": "3e1"}), "output.fps"),
    (_minimal_plan(output={"fps": "30\n"}), "output.fps"),
])
def test_plan_errors_found_by_the_properties(doc: dict[str, Any], field: str) -> None:
    with pytest.raises(PlanError) as caught:
        EditPlan.from_dict(doc)
    assert caught.value.message.startswith(field)


@pytest.mark.parametrize(("timebase", "fps"), [("1/30", "30"), ("1001/30000", "30000/1001"),
                                               ("0.04", "25"), ("1", "29.97"), ("1/1", "1")])
def test_plain_rationals_still_load(timebase: str, fps: str) -> None:
    plan = EditPlan.from_dict(_minimal_plan(timebase=timebase, output={"fps": fps}))
    assert plan.timebase == Fraction(timebase) and plan.output.fps == fps


# ---------------------------------------------------------------------------------------------
# A plan's names reach ffmpeg only as the inputs it names
# ---------------------------------------------------------------------------------------------

HOSTILE_PARTS = [";rm -rf x", "$(touch pwned)", "`touch pwned`", "[in]", "[0:v]", ",", ":",
                 "'", '"', "\\", "\n", "-y", "-i", " ", "%", "|", "&&", "file:", "pipe:1",
                 "concat:", "http:", "=", "@", "#", "*", "?", "~", "ü", "日本", "\t",
                 "lut3d=file=", "etc", "passwd", "-", ">", "{", "}"]
HOSTILE_NAME = st.lists(st.one_of(st.sampled_from(HOSTILE_PARTS),
                                  st.text(st.characters(codec="utf-8", exclude_characters="/\x00"),
                                          max_size=4)),
                        min_size=1, max_size=5).map("".join) \
    .filter(lambda s: s not in (".", "..") and len(s.encode()) <= 80)
HOSTILE_PATH = st.lists(HOSTILE_NAME, min_size=1, max_size=3)
#: Red out of blue and blue out of red: a 3D LUT, not per-channel curves (see lut3d below).
TINY_LUT = format_cube(Lut3D(2, identity(2).table[..., ::-1] * np.float32(0.9), title="tiny"))


def _place(root: Path, parts: list[str], content: str | bytes) -> str:
    path = root.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


@fast(30)
@given(src=HOSTILE_PATH, lut=HOSTILE_PATH, music=st.none() | HOSTILE_PATH, out=HOSTILE_PATH,
       names=st.lists(st.sampled_from(HOSTILE_PARTS) | HOSTILE_NAME, min_size=5, max_size=5),
       strength=st.sampled_from([1.0, 0.6]), mode=st.sampled_from(["crop", "fill", "letterbox"]))
def test_plan_names_reach_ffmpeg_only_as_its_inputs(
        src: list[str], lut: list[str], music: list[str] | None, out: list[str],
        names: list[str], strength: float, mode: str, scratch: Path, tmp_path_factory: Any
) -> None:
    root = tmp_path_factory.mktemp("hostile")
    files = {"src": _place(root / "src", src, b"not read"),
             "lut": _place(root / "lut", lut, TINY_LUT),
             "music": _place(root / "music", music, b"m") if music else None}
    benign = {"src": _place(root / "plain", ["clip.mp4"], b"not read"),
              "lut": _place(root / "plain", ["look.cube"], TINY_LUT),
              "music": _place(root / "plain", ["music.m4a"], b"m") if music else None}

    def plan(f: dict[str, str | None], text: list[str]) -> EditPlan:
        return EditPlan(
            timebase=Fraction(1, 25),
            sources=[Source("main", f["src"] or "", 50, True, True)],
            segments=[Segment(0, 20), Segment(30, 50)],
            reframe=Reframe(mode=mode),
            look=Look(name=text[0], lut=f["lut"], strength=strength),
            audio=AudioPlan(music=Music(f["music"], id=text[1]) if f["music"] else None),
            captions=Captions(text=text[2], hashtags=[text[3]]),
            output=replace(OutputSpec(), platform=text[4]),
            notes=text,
        )

    work = root / "work"
    work.mkdir()
    parts = root / "parts"
    parts.mkdir()
    out_path = root / "out" / Path(*out)
    cmds = build_commands(plan(files, names), out_path, workdir=work, parts=parts, info=INFO)
    def graphs_now() -> list[str]:
        return [(work / name).read_text(encoding="utf-8") for name in ("graph.txt", "mix.txt")]

    graphs = graphs_now()
    plain = build_commands(plan(benign, ["x"] * 5), root / "o.mp4", workdir=work, parts=parts,
                           info=INFO)
    # Names change no filter.
    assert graphs == graphs_now()
    graph = graphs[0]

    def inputs(cmd: list[str]) -> list[int]:
        return [i + 1 for i, a in enumerate(cmd) if a == "-i"]

    assert cmds.mix is not None and plain.mix is not None
    assert [cmds.video[i] for i in inputs(cmds.video)] == ["file:" + files["src"]]
    assert [cmds.mix[i] for i in inputs(cmds.mix)] == ["file:" + files["src"]] + (
        ["file:" + files["music"]] if files["music"] else [])
    assert cmds.mux[-3:] == ["-f", "mp4", "file:" + str(out_path)]
    assert str(out_path) not in " ".join(cmds.video + cmds.mix)
    assert cmds.video[cmds.video.index("-/filter_complex") + 1] == str(work / "graph.txt")
    # Argument for argument, each command is the one benign names give, but for the inputs
    # and the output: no name becomes an option, a protocol or a second output.
    for cmd, benign_cmd, allowed in ((cmds.video, plain.video, inputs(cmds.video)),
                                     (cmds.mix, plain.mix, inputs(cmds.mix)),
                                     (cmds.mux, plain.mux, [len(cmds.mux) - 1])):
        assert isinstance(cmd, list) and all(isinstance(a, str) for a in cmd)
        assert len(cmd) == len(benign_cmd)
        differ = {i for i, (a, b) in enumerate(zip(cmd, benign_cmd, strict=True)) if a != b}
        assert differ <= set(allowed)
    master = Master(2.0, -2.0)
    assert cmds.master(master, measure=True) == plain.master(master, measure=True)
    # The LUT is read by the library and handed to ffmpeg as a table of its own in the work
    # folder: the look itself, or its tables over the YUV planes (a window of one size; a
    # fill layout's picture and background).
    cubes = sorted(p.name for p in work.glob("*.cube"))
    assert cubes and all(c == "look.cube" or c.startswith("look-planes") for c in cubes)
    for cube in cubes:
        assert f"lut3d=file={escape_filter_path(work / cube)}:" in graph
    assert sorted(p.name for p in work.iterdir()) == sorted(["graph.txt", *cubes, "mix.txt"])

