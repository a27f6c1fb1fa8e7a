"""The results store: an SQLite file of imported analytics, dated snapshots and matches.

Location: the ``path`` given (``--store``), else ``$CREATOR_RESULTS``, else
``platformdirs.user_data_dir("creator-tools")/results.sqlite``. It is created by the first
``creator results import``; nothing else creates it, so without imported results every other
command works as before. ``CREATOR_RESULTS=none`` turns it off.

Schema (``PRAGMA user_version`` = :data:`SCHEMA_VERSION`):

- ``imports(id, platform, file, as_of, imported_at, row_count, columns)``: one per import;
- ``videos(platform, video_id, title, published, duration, permalink, first_import, clip,
  plan, matched_by, matched_at, unmatched_reason, features, features_error)``: one per posted
  video; ``clip`` is the matched video file, ``features`` the JSON of its features;
- ``snapshots(platform, video_id, as_of, import_id, views, avg_view_duration, avg_pct_viewed,
  data)``: a video's numbers as of a date (the import's day); importing again on the same day
  replaces that day's numbers, a later day adds a row, so the history is kept without
  duplicates; ``data`` is the JSON of every field of the row;
- view ``current_snapshots``: each video's newest snapshot, with ``snapshot_count``;
- ``model(target, layout, gram, updates, updated_at)`` and ``model_rows(target, platform,
  video_id, z)``: the online model's sufficient statistics and the row each video added
  (:mod:`creator_tools.results.model`);
- ``meta(key, value)``: ``created_at``.

Like the trend index it is an :class:`~creator_tools.sqlite_store.SQLiteStore`: it runs in
WAL mode, writers take the lock up front (``BEGIN IMMEDIATE``) and wait for each other up to
:data:`~creator_tools.sqlite_store.BUSY_TIMEOUT_S`; an import is one transaction, all rows or
none.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from creator_tools.errors import InputError
from creator_tools.results.importers import ParsedResults
from creator_tools.sqlite_store import SQLiteStore, user_data_file

SCHEMA_VERSION = 1
#: ``CREATOR_RESULTS`` values that turn the store off.
OFF = {"none", "off", "0"}

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    platform TEXT NOT NULL CHECK (platform IN ('youtube', 'tiktok', 'instagram')),
    file TEXT NOT NULL,
    as_of TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    columns TEXT NOT NULL
);
CREATE TABLE videos (
    platform TEXT NOT NULL,
    video_id TEXT NOT NULL,
    title TEXT,
    published TEXT,
    duration REAL,
    permalink TEXT,
    first_import INTEGER NOT NULL REFERENCES imports(id),
    clip TEXT,
    plan TEXT,
    matched_by TEXT,
    matched_at TEXT,
    unmatched_reason TEXT,
    features TEXT,
    features_error TEXT,
    PRIMARY KEY (platform, video_id)
);
CREATE TABLE snapshots (
    platform TEXT NOT NULL,
    video_id TEXT NOT NULL,
    as_of TEXT NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports(id),
    views INTEGER,
    avg_view_duration REAL,
    avg_pct_viewed REAL,
    data TEXT NOT NULL,
    PRIMARY KEY (platform, video_id, as_of),
    FOREIGN KEY (platform, video_id) REFERENCES videos (platform, video_id) ON DELETE CASCADE
);
CREATE VIEW current_snapshots AS
SELECT * FROM (
    SELECT s.*,
        ROW_NUMBER() OVER w AS recency,
        COUNT(*) OVER (PARTITION BY s.platform, s.video_id) AS snapshot_count
    FROM snapshots s
    WINDOW w AS (PARTITION BY s.platform, s.video_id ORDER BY s.as_of DESC, s.import_id DESC)
) WHERE recency = 1;
CREATE TABLE model (
    target TEXT PRIMARY KEY,
    layout TEXT NOT NULL,
    gram TEXT NOT NULL,
    updates INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE model_rows (
    target TEXT NOT NULL,
    platform TEXT NOT NULL,
    video_id TEXT NOT NULL,
    z TEXT NOT NULL,
    PRIMARY KEY (target, platform, video_id)
);
"""


def default_store_path() -> Path:
    """``<user data dir>/creator-tools/results.sqlite``."""
    return user_data_file("results.sqlite")


def store_path(path: str | Path | None = None) -> Path | None:
    """The store file: ``path``, else ``$CREATOR_RESULTS``, else :func:`default_store_path`;
    ``None`` when ``$CREATOR_RESULTS`` turns it off."""
    if path:
        return Path(path)
    env = os.environ.get("CREATOR_RESULTS")
    if env is not None and env.strip().lower() in OFF:
        return None
    return Path(env) if env else default_store_path()


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class VideoRecord:
    """One posted video: its identity, its match and its newest numbers."""

    platform: str
    video_id: str
    title: str | None
    published: str | None
    duration: float | None
    permalink: str | None
    clip: str | None
    plan: str | None
    matched_by: str | None
    unmatched_reason: str | None
    features: dict[str, Any] | None
    features_error: str | None
    as_of: str | None = None
    views: int | None = None
    avg_view_duration: float | None = None
    avg_pct_viewed: float | None = None
    snapshot_count: int = 0
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("data", "features")}


@dataclass(frozen=True)
class ClipMatch:
    """What a row was matched to, and the matched clip's features (or why there are none)."""

    clip: str
    plan: str | None
    by: str
    features: dict[str, Any] | None
    error: str | None = None


@dataclass(frozen=True)
class ImportRecord:
    id: int
    platform: str
    file: str
    as_of: str
    imported_at: str
    row_count: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class ResultsStore(SQLiteStore):
    """The results store at ``path`` (see :func:`store_path`), created on first use unless
    ``create`` is false (then a missing file is an :class:`InputError`)."""

    noun = "results store"
    folder_noun = "store"

    def __init__(self, path: str | Path | None = None, *, create: bool = True) -> None:
        resolved = store_path(path)
        if resolved is None:
            raise InputError("the results store is turned off (CREATOR_RESULTS=none)")
        self.path = resolved
        self.created = False
        if not create and not self.path.is_file():
            raise InputError("no results imported yet (creator results import FILE.csv)",
                             path=self.path)
        self._con = self._connect(create=create)
        try:
            self._ensure_schema()
        except BaseException:
            self._con.close()
            raise

    @classmethod
    def existing(cls, path: str | Path | None = None) -> ResultsStore | None:
        """The store when it exists (``None`` otherwise): never creates one."""
        resolved = store_path(path)
        if resolved is None or not resolved.is_file():
            return None
        return cls(resolved, create=False)

    # -- schema ---------------------------------------------------------------------------------

    def _ensure_schema(self) -> None:
        if self._has_schema(SCHEMA_VERSION):
            return
        with self._write() as con:
            if self._version() == SCHEMA_VERSION:
                return
            if con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise InputError("not a results store (it holds other tables)", path=self.path)
            self._create(con, _SCHEMA)
            con.execute("INSERT INTO meta VALUES ('created_at', ?)", (_now(),))
            con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self.created = True

    # -- writing --------------------------------------------------------------------------------

    def add_import(self, parsed: ParsedResults, matches: dict[str, ClipMatch],
                   reasons: dict[str, str], *, as_of: str | None = None) -> ImportRecord:
        """Store ``parsed`` as one import of day ``as_of`` (default today), with the new
        ``matches`` (video id -> match) and the ``reasons`` rows stay unmatched; then update
        the online model. One transaction."""
        day = as_of or dt.date.today().isoformat()
        now = _now()
        with self._write() as con:
            cur = con.execute(
                "INSERT INTO imports (platform, file, as_of, imported_at, row_count, columns)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (parsed.platform, parsed.file, day, now, len(parsed.rows),
                 json.dumps(parsed.columns, ensure_ascii=False)))
            import_id = int(cur.lastrowid or 0)
            for row in parsed.rows:
                self._upsert_video(con, parsed.platform, row, import_id)
                vid = row["video_id"]
                if vid in matches:
                    self._set_match(con, parsed.platform, vid, matches[vid], now)
                elif vid in reasons:
                    con.execute("UPDATE videos SET unmatched_reason = ? WHERE platform = ? AND"
                                " video_id = ? AND clip IS NULL",
                                (reasons[vid], parsed.platform, vid))
                data = {k: v for k, v in row.items() if k != "row"}
                con.execute(
                    "INSERT OR REPLACE INTO snapshots (platform, video_id, as_of, import_id,"
                    " views, avg_view_duration, avg_pct_viewed, data)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (parsed.platform, vid, day, import_id, row.get("views"),
                     row.get("avg_view_duration"), row.get("avg_pct_viewed"),
                     json.dumps(data, ensure_ascii=False)))
            self._update_model(con)
        return self.import_record(import_id)

    @staticmethod
    def _upsert_video(con: sqlite3.Connection, platform: str, row: dict[str, Any],
                      import_id: int) -> None:
        con.execute(
            "INSERT INTO videos (platform, video_id, title, published, duration, permalink,"
            " first_import) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (platform, video_id) DO UPDATE SET"
            " title = coalesce(excluded.title, title),"
            " published = coalesce(excluded.published, published),"
            " duration = coalesce(excluded.duration, duration),"
            " permalink = coalesce(excluded.permalink, permalink)",
            (platform, row["video_id"], row.get("title"), row.get("published"),
             row.get("duration"), row.get("permalink"), import_id))

    @staticmethod
    def _set_match(con: sqlite3.Connection, platform: str, video_id: str, m: ClipMatch,
                   now: str) -> None:
        con.execute(
            "UPDATE videos SET clip = ?, plan = ?, matched_by = ?, matched_at = ?,"
            " unmatched_reason = NULL, features = ?, features_error = ?"
            " WHERE platform = ? AND video_id = ?",
            (m.clip, m.plan, m.by, now,
             json.dumps(m.features) if m.features is not None else None, m.error,
             platform, video_id))

    def set_match(self, platform: str, video_id: str, match: ClipMatch) -> None:
        """Match one video to a clip (``creator results match``) and update the model."""
        with self._write() as con:
            con.execute("UPDATE videos SET clip = NULL, plan = NULL, matched_by = NULL,"
                        " features = NULL, features_error = NULL, unmatched_reason = ?"
                        " WHERE platform = ? AND clip = ? AND video_id != ?",
                        (f"its clip was matched to {video_id}", platform, match.clip,
                         video_id))
            self._set_match(con, platform, video_id, match, _now())
            self._update_model(con)

    def _update_model(self, con: sqlite3.Connection) -> None:
        """Bring the online model up to date with the current rows: only the rows that
        changed are taken out of and put into its sufficient statistics."""
        from creator_tools.results.model import GramModel
        from creator_tools.results.table import LAYOUT, TARGETS, learning_row, observations

        videos = self._videos(con)
        for target in TARGETS:
            state = con.execute("SELECT layout, gram, updates FROM model WHERE target = ?",
                                (target,)).fetchone()
            model = GramModel.from_state(state, LAYOUT)
            old = {(p, v): json.loads(z) for p, v, z in con.execute(
                "SELECT platform, video_id, z FROM model_rows WHERE target = ?", (target,))}
            if not model.fresh:  # another layout (an older version): start again from rows
                old = {}
                con.execute("DELETE FROM model_rows WHERE target = ?", (target,))
            new = {(o.platform, o.video_id): learning_row(o)
                   for o in observations(videos, target)}
            for key in old.keys() - new.keys():
                model.remove(old[key])
                con.execute("DELETE FROM model_rows WHERE target = ? AND platform = ? AND"
                            " video_id = ?", (target, *key))
            for key, z in new.items():
                if old.get(key) == z:
                    continue
                if key in old:
                    model.remove(old[key])
                model.add(z)
                con.execute("INSERT OR REPLACE INTO model_rows VALUES (?, ?, ?, ?)",
                            (target, *key, json.dumps(z)))
            con.execute("INSERT OR REPLACE INTO model VALUES (?, ?, ?, ?, ?)",
                        (target, json.dumps(list(LAYOUT)), json.dumps(model.gram_list()),
                         model.updates, _now()))

    # -- reading --------------------------------------------------------------------------------

    @staticmethod
    def _videos(con: sqlite3.Connection, platform: str | None = None) -> list[VideoRecord]:
        sql = ("SELECT v.*, s.as_of, s.views, s.avg_view_duration, s.avg_pct_viewed,"
               " s.snapshot_count, s.data FROM videos v LEFT JOIN current_snapshots s"
               " ON s.platform = v.platform AND s.video_id = v.video_id")
        params: tuple[Any, ...] = ()
        if platform:
            sql += " WHERE v.platform = ?"
            params = (platform,)
        cur = con.execute(sql + " ORDER BY v.platform, v.published, v.video_id", params)
        cur.row_factory = sqlite3.Row
        out = []
        for r in cur.fetchall():
            out.append(VideoRecord(
                platform=r["platform"], video_id=r["video_id"], title=r["title"],
                published=r["published"], duration=r["duration"], permalink=r["permalink"],
                clip=r["clip"], plan=r["plan"], matched_by=r["matched_by"],
                unmatched_reason=r["unmatched_reason"],
                features=json.loads(r["features"]) if r["features"] else None,
                features_error=r["features_error"], as_of=r["as_of"], views=r["views"],
                avg_view_duration=r["avg_view_duration"], avg_pct_viewed=r["avg_pct_viewed"],
                snapshot_count=r["snapshot_count"] or 0,
                data=json.loads(r["data"]) if r["data"] else {}))
        return out

    def videos(self, platform: str | None = None) -> list[VideoRecord]:
        """Every video (of ``platform``), with its newest snapshot."""
        try:
            return self._videos(self._con, platform)
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def find(self, video_id: str, platform: str | None = None) -> list[VideoRecord]:
        """The videos with this id (on ``platform``)."""
        return [v for v in self.videos(platform) if v.video_id == video_id]

    def matched_clips(self, platform: str) -> set[str]:
        """The clips already matched to a video of ``platform``."""
        rows = self._query("SELECT clip FROM videos WHERE platform = ? AND clip IS NOT NULL",
                           (platform,))
        return {r["clip"] for r in rows}

    def history(self, platform: str, video_id: str) -> list[dict[str, Any]]:
        """Every snapshot of one video, oldest first."""
        rows = self._query("SELECT as_of, import_id, views, avg_view_duration, avg_pct_viewed"
                           " FROM snapshots WHERE platform = ? AND video_id = ? ORDER BY as_of",
                           (platform, video_id))
        return [dict(r) for r in rows]

    def imports(self) -> list[ImportRecord]:
        rows = self._query("SELECT id, platform, file, as_of, imported_at, row_count"
                           " FROM imports ORDER BY id")
        return [ImportRecord(**dict(r)) for r in rows]

    def import_record(self, import_id: int) -> ImportRecord:
        rows = self._query("SELECT id, platform, file, as_of, imported_at, row_count"
                           " FROM imports WHERE id = ?", (import_id,))
        if not rows:
            raise InputError(f"no import {import_id}", path=self.path)
        return ImportRecord(**dict(rows[0]))

    def snapshot_rows(self) -> int:
        return int(self._query("SELECT count(*) AS n FROM snapshots")[0]["n"])

    def model_state(self, target: str) -> tuple[Any, ...] | None:
        rows = self._query("SELECT layout, gram, updates FROM model WHERE target = ?",
                           (target,))
        return tuple(rows[0]) if rows else None
