"""The local trend index: an SQLite file of dated snapshots of hashtags, sounds and looks.

Location: the ``path`` given (``--index``), else ``$CREATOR_INDEX``, else
``platformdirs.user_data_dir("creator-tools")/trends.sqlite``. On first use the index is created
and filled from the starter index inside the package (see :func:`shipped_trends_dir`).

Schema (``PRAGMA user_version`` = :data:`SCHEMA_VERSION`):

- ``snapshots(id, kind, source, file, format, as_of, imported_at, row_count)``: one per import;
- ``entries(snapshot_id, kind, item, region, as_of, rank, views, posts, data)``: the rows of a
  snapshot; ``data`` is the JSON object of all the row's fields;
- view ``current_entries``: per ``(kind, item, region)`` the newest row (latest ``as_of``, then
  latest import), with ``prev_*`` columns from the row before it;
- ``meta(key, value)``: ``created_at``, ``seeded_from``, ``starter_digest`` (of the starter
  files it holds) and ``starter_snapshots`` (JSON: kind -> the snapshot holding them).

An index filled from a starter index holds that starter list in one snapshot per kind. When
the starter files change (a new release), opening the index with the same starter (the
package's, or the same folder) puts the new rows in those snapshots in place of the old ones;
the creator's own imports are left as they are.

Momentum (:class:`Momentum`) compares the two most recent rows of the same item and region:
``rank_change = previous rank - rank`` (positive: climbed), ``views_delta = views - previous
views``, ``view_growth = views_delta / previous views``, ``views_per_day = views_delta / days``.

Several ``creator`` processes may use one index at once (an
:class:`~creator_tools.sqlite_store.SQLiteStore`): it runs in WAL mode (readers never wait),
writers take the lock up front (``BEGIN IMMEDIATE``) and wait up to
:data:`~creator_tools.sqlite_store.BUSY_TIMEOUT_S` for each other; an import is one
transaction, all rows or none.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from creator_tools.errors import InputError, OptionError, UsageError
from creator_tools.resources import asset_path, package_dir
from creator_tools.sqlite_store import SQLiteStore, user_data_file
from creator_tools.trends.fields import (
    FIELDS,
    KINDS,
    niches_of,
    normalize_tag,
    parse_region,
)
from creator_tools.trends.importers import ParsedImport, load_import

SCHEMA_VERSION = 1
#: The index is stale when its newest data is older than this.
STALE_AFTER_DAYS = 14
#: File names of the shipped starter index, one per kind.
SHIPPED_FILES = {kind: f"{kind}.csv" for kind in KINDS}

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('hashtags', 'sounds', 'looks')),
    source TEXT NOT NULL,
    file TEXT NOT NULL,
    format TEXT NOT NULL,
    as_of TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    row_count INTEGER NOT NULL
);
CREATE TABLE entries (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    item TEXT NOT NULL,
    region TEXT NOT NULL,
    as_of TEXT NOT NULL,
    rank INTEGER,
    views INTEGER,
    posts INTEGER,
    data TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, item, region)
);
CREATE INDEX entries_by_item ON entries (kind, item, region, as_of);
CREATE VIEW current_entries AS
SELECT * FROM (
    SELECT e.*,
        ROW_NUMBER() OVER w AS recency,
        LEAD(e.rank) OVER w AS prev_rank,
        LEAD(e.views) OVER w AS prev_views,
        LEAD(e.as_of) OVER w AS prev_as_of,
        LEAD(e.snapshot_id) OVER w AS prev_snapshot_id
    FROM entries e
    WINDOW w AS (PARTITION BY e.kind, e.item, e.region
                 ORDER BY e.as_of DESC, e.snapshot_id DESC)
) WHERE recency = 1;
"""


def query_words(query: str) -> list[str]:
    """The words :meth:`TrendIndex.search` looks for: lower case, without ``#``."""
    return [w.lstrip("#") for w in query.lower().split() if w.lstrip("#")]


def default_index_path() -> Path:
    """``<user data dir>/creator-tools/trends.sqlite``."""
    return user_data_file("trends.sqlite")


def index_path(path: str | Path | None = None) -> Path:
    """The index file: ``path``, else ``$CREATOR_INDEX``, else :func:`default_index_path`."""
    if path:
        return Path(path)
    env = os.environ.get("CREATOR_INDEX")
    return Path(env) if env else default_index_path()


def shipped_trends_dir() -> Path | None:
    """The starter index: ``$CREATOR_TRENDS_DIR``, else the one inside the package
    (``creator_tools/assets/trends/``); ``None`` when none exists."""
    env = os.environ.get("CREATOR_TRENDS_DIR")
    if env:
        if not Path(env).is_dir():
            raise InputError("CREATOR_TRENDS_DIR is not a folder", path=env)
        return Path(env)
    folder = asset_path("trends")
    return folder if folder.is_dir() else None


def starter_digest(folder: Path) -> str:
    """A hash of the starter files in ``folder`` (names and bytes)."""
    h = hashlib.sha1()
    for name in sorted(SHIPPED_FILES.values()):
        if (folder / name).is_file():
            h.update(name.encode() + b"\0" + (folder / name).read_bytes() + b"\0")
    return h.hexdigest()


#: Where releases kept the package's starter index, relative to the package's parent folder:
#: now ``creator_tools/assets/trends``; before, ``creator_tools/trends/data`` in a wheel and
#: ``trends`` beside the package in a checkout.
_PACKAGE_STARTERS = (("creator_tools", "assets", "trends"), ("creator_tools", "trends", "data"))


def _starter_source(folder: Path) -> str:
    """``package`` for a package's starter index (this install's or another's, this release's
    place for it or an earlier one's), else the folder."""
    if folder.parts[-3:] in _PACKAGE_STARTERS or (
            folder.name == "trends" and (folder.parent / "creator_tools").is_dir()):
        return "package"
    return str(folder.resolve())


def _starter(folder: Path) -> list[ParsedImport]:
    return [load_import(folder / name, kind=kind) for kind, name in SHIPPED_FILES.items()
            if (folder / name).is_file()]


def _set_meta(con: sqlite3.Connection, **values: str) -> None:
    con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(values.items()))


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; ``False`` for a name no file can have (too long, NUL)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def local_today() -> dt.date:
    """Today's date (local time); functions that use it take ``today`` to override it."""
    return dt.date.today()


@dataclass(frozen=True)
class Momentum:
    """Change between the two most recent rows of one item in one region."""

    previous_as_of: str
    previous_snapshot_id: int
    #: Days between the two rows' ``as_of`` dates.
    days: int
    #: ``previous rank - rank``: positive when the item climbed.
    rank_change: int | None
    #: ``views - previous views``.
    views_delta: int | None
    #: ``views_delta / previous views`` (0.5 = +50 %); ``None`` when previous views is 0.
    view_growth: float | None
    #: ``views_delta / days``; ``None`` when both rows have the same date.
    views_per_day: float | None

    @classmethod
    def between(cls, as_of: str, rank: int | None, views: int | None, prev_as_of: str,
                prev_rank: int | None, prev_views: int | None, prev_snapshot_id: int
                ) -> Momentum:
        days = (dt.date.fromisoformat(as_of) - dt.date.fromisoformat(prev_as_of)).days
        rank_change = prev_rank - rank if rank is not None and prev_rank is not None else None
        delta = views - prev_views if views is not None and prev_views is not None else None
        growth = round(delta / prev_views, 4) if delta is not None and prev_views else None
        per_day = round(delta / days, 1) if delta is not None and days > 0 else None
        return cls(prev_as_of, prev_snapshot_id, days, rank_change, delta, growth, per_day)

    def to_dict(self) -> dict[str, Any]:
        return {
            "previous_as_of": self.previous_as_of,
            "previous_snapshot_id": self.previous_snapshot_id,
            "days": self.days,
            "rank_change": self.rank_change,
            "views_delta": self.views_delta,
            "view_growth": self.view_growth,
            "views_per_day": self.views_per_day,
        }


@dataclass
class TrendItem:
    """The current state of one item in one region."""

    kind: str
    item: str
    region: str
    as_of: str
    snapshot_id: int
    #: All fields of the kind (see :data:`~creator_tools.trends.fields.FIELDS`).
    fields: dict[str, Any]
    momentum: Momentum | None
    #: Sounds: the ``local_file`` exists; looks: the ``.cube`` exists; hashtags: ``None``.
    available: bool | None = None

    @property
    def banned(self) -> bool:
        """A known spam or banned hashtag: never suggest it."""
        return bool(self.fields.get("banned"))

    @property
    def niches(self) -> list[str]:
        return niches_of(self.kind, self.fields)

    def to_dict(self) -> dict[str, Any]:
        """The JSON record: ``type`` (the kind), ``item``, the fields, momentum, availability."""
        record: dict[str, Any] = {"type": self.kind, "item": self.item}
        record.update(self.fields)
        record.update(region=self.region, as_of=self.as_of, snapshot_id=self.snapshot_id,
                      momentum=self.momentum.to_dict() if self.momentum else None)
        if self.available is not None:
            record["available"] = self.available
        return record


@dataclass(frozen=True)
class Snapshot:
    """One import."""

    id: int
    kind: str
    source: str
    file: str
    format: str
    as_of: str
    imported_at: str
    row_count: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class TrendIndex(SQLiteStore):
    """The trend index at ``path`` (see :func:`index_path`), created on first use.

    Parameters
    ----------
    path
        Index file; ``None``: ``$CREATOR_INDEX`` or the user data folder.
    seed_dir
        Folder of ``hashtags.csv``, ``sounds.csv``, ``looks.csv`` to fill a new index from;
        ``None``: :func:`shipped_trends_dir`.
    seed
        ``False``: a new index starts empty.
    assets_root
        Folder that ``local_file`` paths and ``assets/luts/`` are relative to; default
        the installed package (:func:`creator_tools.resources.package_dir`).
    """

    noun = "trend index"
    folder_noun = "index"

    def __init__(self, path: str | Path | None = None, *, seed_dir: str | Path | None = None,
                 seed: bool = True, assets_root: str | Path | None = None) -> None:
        self.path = index_path(path)
        self.assets_root = Path(assets_root) if assets_root else package_dir()
        #: True when this call created the index.
        self.created = False
        #: The folder a new index was filled from (``None``: started empty or existed).
        self.seeded_from: Path | None = None
        self._con = self._connect()
        try:
            self._ensure_schema(Path(seed_dir) if seed_dir else None, seed)
        except BaseException:
            self._con.close()
            raise

    # -- schema ---------------------------------------------------------------------------------

    def _ensure_schema(self, seed_dir: Path | None, seed: bool) -> None:
        if self._has_schema(SCHEMA_VERSION):
            if seed:
                self._refresh_starter(seed_dir)
            return
        folder = (seed_dir or shipped_trends_dir()) if seed else None
        parsed = _starter(folder) if folder is not None else []  # a bad file changes nothing
        with self._write() as con:
            if self._version() == SCHEMA_VERSION:  # another process made it meanwhile
                return
            self._create(con, _SCHEMA)
            now = _now()
            _set_meta(con, created_at=now, seeded_from=str(folder) if folder else "")
            if folder is not None:
                ids = {p.kind: self._insert(con, p, now) for p in parsed}
                _set_meta(con, starter_digest=starter_digest(folder),
                          starter_snapshots=json.dumps(ids))
            con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self.created = True
        self.seeded_from = folder

    def _refresh_starter(self, seed_dir: Path | None) -> None:
        """Put the starter files' rows in place of the ones the index was filled with, when
        the files changed since (a new release); an index started empty stays so."""
        meta = {r["key"]: r["value"] for r in self._query("SELECT key, value FROM meta")}
        folder = seed_dir or shipped_trends_dir()
        if not meta.get("seeded_from") or folder is None:
            return
        # The same starter as it was filled from: the package's (wherever it is installed
        # now), or the same folder.
        if _starter_source(folder) != _starter_source(Path(meta["seeded_from"])):
            return
        digest = starter_digest(folder)
        if meta.get("starter_digest") == digest:
            return
        parsed = _starter(folder)
        with self._write() as con:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("starter_digest") == digest:  # another process did it meanwhile
                return
            if "starter_snapshots" in meta:
                ids = {k: int(v) for k, v in json.loads(meta["starter_snapshots"]).items()}
            else:  # made before these keys: the first snapshot of each kind, imported in
                # the transaction that created it (an import in the same second comes after)
                ids = {k: int(i) for k, i, f in con.execute(
                    "SELECT kind, MIN(id), file FROM snapshots WHERE imported_at = ?"
                    " GROUP BY kind", (meta.get("created_at", ""),))
                    if Path(f).name == SHIPPED_FILES.get(k)}
            now = _now()
            for p in parsed:
                ids[p.kind] = self._insert(con, p, now, into=ids.get(p.kind))
            _set_meta(con, starter_digest=digest, starter_snapshots=json.dumps(ids))

    # -- writing --------------------------------------------------------------------------------

    def add(self, parsed: ParsedImport) -> Snapshot:
        """Store a validated import as one new snapshot (one transaction)."""
        with self._write() as con:
            snapshot_id = self._insert(con, parsed, _now())
        return self.snapshot(snapshot_id)

    def import_file(self, path: str | Path, **options: Any) -> Snapshot:
        """Validate and store the export at ``path`` (options as :func:`load_import`)."""
        return self.add(load_import(path, **options))

    @staticmethod
    def _insert(con: sqlite3.Connection, parsed: ParsedImport, now: str, *,
                into: int | None = None) -> int:
        """Store ``parsed`` as a new snapshot, or as snapshot ``into`` (emptied first)."""
        if into is None:
            cur = con.execute(
                "INSERT INTO snapshots (kind, source, file, format, as_of, imported_at,"
                " row_count) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (parsed.kind, parsed.source, parsed.file, parsed.format, parsed.as_of, now,
                 len(parsed.rows)))
            snapshot_id = int(cur.lastrowid or 0)
        else:
            con.execute("DELETE FROM entries WHERE snapshot_id = ?", (into,))
            con.execute("UPDATE snapshots SET source = ?, file = ?, format = ?, as_of = ?,"
                        " row_count = ? WHERE id = ?",
                        (parsed.source, parsed.file, parsed.format, parsed.as_of,
                         len(parsed.rows), into))
            snapshot_id = into
        names = [f.name for f in FIELDS[parsed.kind]]
        con.executemany(
            "INSERT INTO entries (snapshot_id, kind, item, region, as_of, rank, views, posts,"
            " data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(snapshot_id, parsed.kind, r["item"], r["region"], r["as_of"], r.get("rank"),
              r.get("views"), r.get("posts"),
              json.dumps({n: r.get(n) for n in names}, ensure_ascii=False))
             for r in parsed.rows])
        return snapshot_id

    # -- reading --------------------------------------------------------------------------------

    def snapshots(self) -> list[Snapshot]:
        """All imports, oldest first."""
        return [Snapshot(**dict(r)) for r in self._query("SELECT * FROM snapshots ORDER BY id")]

    def snapshot(self, snapshot_id: int) -> Snapshot:
        rows = self._query("SELECT * FROM snapshots WHERE id = ?", (snapshot_id,))
        if not rows:
            raise InputError(f"no snapshot {snapshot_id}", path=self.path)
        return Snapshot(**dict(rows[0]))

    def current(self, kind: str | None = None, *, niche: str | None = None,
                region: str | None = None, item: str | None = None) -> list[TrendItem]:
        """Current items (newest row per item and region), by kind, then rank, views, name.

        ``niche`` and ``region`` filter; ``item`` picks one key (normalised per kind).
        """
        kinds = _kinds(kind)
        if region is not None:
            try:
                region = parse_region(region)
            except ValueError as exc:
                raise OptionError(f"{{region}}: {exc}", options="region") from None
        niche = niche.strip().lower() if niche else None
        out: list[TrendItem] = []
        for k in kinds:
            sql = "SELECT * FROM current_entries WHERE kind = ?"
            params: tuple[Any, ...] = (k,)
            if item is not None:
                key = _item_key(k, item)
                if key is None:
                    continue
                sql += " AND item = ?"
                params += (key,)
            if region is not None:
                sql += " AND region = ?"
                params += (region,)
            rows = self._query(sql, params)
            inherited = self._inherited(k, {r["item"] for r in rows}) if rows else {}
            items = [self._item(r, inherited.get(r["item"], {})) for r in rows]
            if niche:
                items = [i for i in items if niche in i.niches]
            items.sort(key=_order)
            out.extend(items)
        return out

    def _inherited(self, kind: str, items: set[str]) -> dict[str, dict[str, Any]]:
        """Per item, the newest non-empty value of each descriptive field, over all rows."""
        names = [f.name for f in FIELDS[kind] if f.inherit]
        found: dict[str, dict[str, Any]] = {}
        rows = self._query("SELECT item, data FROM entries WHERE kind = ?"
                           " ORDER BY as_of DESC, snapshot_id DESC", (kind,))
        for row in rows:
            if row["item"] not in items:
                continue
            have = found.setdefault(row["item"], {})
            if len(have) == len(names):
                continue
            data = json.loads(row["data"])
            for n in names:
                if n not in have and data.get(n) not in (None, "", []):
                    have[n] = data[n]
        return found

    def _item(self, row: sqlite3.Row, inherited: dict[str, Any]) -> TrendItem:
        kind = row["kind"]
        data = json.loads(row["data"])
        fields = {f.name: data.get(f.name) for f in FIELDS[kind]}
        for name, value in inherited.items():
            if fields.get(name) in (None, "", []):
                fields[name] = value
        if kind == "hashtags":
            fields["banned"] = bool(fields.get("banned"))
        momentum = None
        if row["prev_as_of"] is not None:
            momentum = Momentum.between(row["as_of"], row["rank"], row["views"],
                                        row["prev_as_of"], row["prev_rank"], row["prev_views"],
                                        row["prev_snapshot_id"])
        return TrendItem(kind, row["item"], row["region"], row["as_of"], row["snapshot_id"],
                         fields, momentum, self._available(kind, fields))

    def _available(self, kind: str, fields: dict[str, Any]) -> bool | None:
        if kind == "sounds":
            local = fields.get("local_file")
            return bool(local) and _is_file(self.asset_path(local))
        if kind == "looks":
            lut = fields.get("lut_file")
            return bool(lut) and _is_file(self.asset_path(f"assets/luts/{lut}"))
        return None

    def asset_path(self, relative: str) -> Path:
        """A bundled file named relative to the project (``assets/music/x.m4a``)."""
        p = Path(relative)
        return p if p.is_absolute() else self.assets_root / p

    def history(self, kind: str, item: str, region: str) -> list[dict[str, Any]]:
        """Every row of one item in one region, oldest first, with its snapshot's source."""
        rows = self._query(
            "SELECT e.snapshot_id, e.as_of, e.rank, e.views, e.posts, s.source, s.file,"
            " s.imported_at FROM entries e JOIN snapshots s ON s.id = e.snapshot_id"
            " WHERE e.kind = ? AND e.item = ? AND e.region = ?"
            " ORDER BY e.as_of, e.snapshot_id", (kind, item, region))
        return [dict(r) for r in rows]

    def show(self, item: str) -> list[TrendItem]:
        """The current rows of ``item`` (a tag with or without ``#``, sound id or look name)
        across kinds and regions; :class:`InputError` when the index has none."""
        found = self.current(item=item)
        if not found:
            raise InputError(f"{item!r} is not in the trend index", path=self.path)
        return found

    def search(self, query: str, *, kind: str | None = None) -> list[tuple[float, TrendItem]]:
        """Items matching the words of ``query``, best first, with their scores.

        Explainable scoring: 10 when the query is the item's name, 3 per word the name starts
        with, 2 per word in the title, artist, niche, genre or mood, 1 per word in the
        description or keywords. Words match by their stems (``biking`` finds ``bike``), never
        inside another word (``cycling`` does not find ``#upcycling``).
        """
        from creator_tools.text import stem, stems

        words = query_words(query)
        if not words:
            raise UsageError("empty search query")
        whole = "".join(words)
        roots = [stem(w) for w in words]
        results: list[tuple[float, TrendItem]] = []
        for it in self.current(kind):
            name = it.item.lstrip("#")
            f = it.fields
            strong = stems(" ".join(str(f.get(k) or "")
                                    for k in ("title", "artist", "genre", "mood", "id")))
            strong |= stems(" ".join(it.niches))
            weak = stems(f"{f.get('description') or ''} {f.get('keywords') or ''}")
            score = 10.0 if whole == name.replace("-", "") else 0.0
            for w, root in zip(words, roots, strict=True):
                starts = name.startswith(w) or (len(root) >= 3 and name.startswith(root))
                score += 3 * starts + 2 * (root in strong) + (root in weak)
            if score:
                results.append((score, it))
        results.sort(key=lambda s: (-s[0], _order(s[1])))
        return results

    # -- freshness, stats -----------------------------------------------------------------------

    def newest_as_of(self) -> dt.date | None:
        """The date of the newest data in the index (``None``: empty)."""
        value = self._query("SELECT MAX(as_of) AS d FROM snapshots")[0]["d"]
        return dt.date.fromisoformat(value) if value else None

    def stale_days(self, today: dt.date | None = None) -> int | None:
        """Days from the newest snapshot's ``as_of`` to ``today`` (``None``: empty index)."""
        newest = self.newest_as_of()
        return None if newest is None else ((today or local_today()) - newest).days

    def stale_warning(self, today: dt.date | None = None) -> str | None:
        """A one-line warning when the newest data is older than :data:`STALE_AFTER_DAYS`."""
        days = self.stale_days(today)
        if days is None or days <= STALE_AFTER_DAYS:
            return None
        return (f"the trend index is {days} days old (newest data {self.newest_as_of()}); "
                "import a fresh export with 'creator trends import'")

    def stats(self, today: dt.date | None = None) -> dict[str, Any]:
        """Counts per kind and niche, banned tags, snapshots, newest date and staleness."""
        counts: dict[str, int] = {}
        niches: dict[str, dict[str, int]] = {}
        regions: dict[str, dict[str, int]] = {}
        banned = 0
        for kind in KINDS:
            items = self.current(kind)
            counts[kind] = len(items)
            per_niche: dict[str, int] = {}
            per_region: dict[str, int] = {}
            for it in items:
                banned += it.banned
                for n in it.niches or ["(none)"]:
                    per_niche[n] = per_niche.get(n, 0) + 1
                per_region[it.region] = per_region.get(it.region, 0) + 1
            niches[kind] = dict(sorted(per_niche.items()))
            regions[kind] = dict(sorted(per_region.items()))
        snaps = self.snapshots()
        newest = self.newest_as_of()
        days = self.stale_days(today)
        return {
            "index": str(self.path),
            "items": counts,
            "banned_hashtags": banned,
            "niches": niches,
            "regions": regions,
            "snapshots": len(snaps),
            "newest_as_of": newest.isoformat() if newest else None,
            "stale_days": days,
            "stale": days is not None and days > STALE_AFTER_DAYS,
            "stale_after_days": STALE_AFTER_DAYS,
            "last_imports": [s.to_dict() for s in snaps[-10:]],
        }


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _kinds(kind: str | None) -> tuple[str, ...]:
    if kind is None:
        return KINDS
    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r} (expected {', '.join(KINDS)})")
    return (kind,)


def _item_key(kind: str, item: str) -> str | None:
    """``item`` normalised as a key of ``kind`` (``None`` when it cannot be one)."""
    text = item.strip()
    if kind == "hashtags":
        try:
            return normalize_tag(text)
        except ValueError:
            return None
    if text.startswith("#"):
        return None
    return "-".join(text.lower().split()) or None


def _order(it: TrendItem) -> tuple[Any, ...]:
    rank = it.fields.get("rank")
    views = it.fields.get("views")
    return (rank is None, rank or 0, -(views or 0), it.item, it.region)


__all__ = ["Momentum", "Snapshot", "TrendIndex", "TrendItem", "index_path"]
