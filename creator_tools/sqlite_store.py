"""An SQLite file in the user data folder that several ``creator`` processes share.

The trend index (:mod:`creator_tools.trends.store`) and the results store
(:mod:`creator_tools.results.store`) are both an :class:`SQLiteStore`: the file runs in WAL mode
(readers never wait), writers take the lock up front (``BEGIN IMMEDIATE``) and wait for each
other up to :data:`BUSY_TIMEOUT_S`; a write is one transaction, all or nothing. SQLite's errors
come out as the library's: a lock held too long is a :class:`ProcessingError`, a damaged or
foreign file an :class:`InputError`, each naming the store as its subclass calls it.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar, Self, TypeVar

from creator_tools.errors import InputError, ProcessingError

#: How long a process waits for another one's write.
BUSY_TIMEOUT_S = 30.0

_T = TypeVar("_T")


def user_data_file(name: str) -> Path:
    """``<user data dir>/creator-tools/<name>``."""
    import platformdirs

    return Path(platformdirs.user_data_dir("creator-tools", appauthor=False)) / name


class SQLiteStore:
    """The connection to one store file and the locking and errors around it.

    A subclass names the store for messages (:attr:`noun`, :attr:`folder_noun`), sets
    :attr:`path` and opens the file with :meth:`_connect`.
    """

    #: The store in messages: ``"trend index"``.
    noun: ClassVar[str]
    #: Its folder in messages: ``"index"`` (``cannot create the index folder``).
    folder_noun: ClassVar[str]

    path: Path
    _con: sqlite3.Connection

    # -- connection -----------------------------------------------------------------------------

    def _connect(self, *, create: bool = True) -> sqlite3.Connection:
        """Open :attr:`path` (making its folder when ``create``) in WAL mode."""
        if self.path.is_dir():
            raise InputError(f"the {self.noun} path is a folder", path=self.path)
        if create:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InputError(f"cannot create the {self.folder_noun} folder: "
                                 f"{exc.strerror or exc}", path=self.path.parent) from None
        try:
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise InputError(f"cannot open the {self.noun}: {exc}", path=self.path) from None
        try:
            con.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            self._retry(lambda: con.execute("PRAGMA journal_mode = WAL").fetchone())
            con.execute("PRAGMA synchronous = NORMAL")
            con.execute("PRAGMA foreign_keys = ON")
        except BaseException as exc:
            con.close()
            raise self._error(exc) from None
        return con

    def _retry(self, op: Callable[[], _T]) -> _T:
        """Run ``op``, retrying while another process holds a lock (up to the busy timeout)."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                return op()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _error(self, exc: BaseException) -> BaseException:
        """SQLite's ``exc`` as the library's error (other exceptions unchanged)."""
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            return ProcessingError(f"the {self.noun} stayed locked by another process for "
                                   f"{BUSY_TIMEOUT_S:.0f} s", path=self.path)
        if isinstance(exc, sqlite3.DatabaseError):
            return InputError(f"not a usable {self.noun}: {exc}", path=self.path)
        return exc

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, started with the lock (``BEGIN IMMEDIATE``); all or nothing."""
        con = self._con
        try:
            self._retry(lambda: con.execute("BEGIN IMMEDIATE"))
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        try:
            yield con
            con.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                con.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise self._error(exc) from None
            raise

    # -- schema ---------------------------------------------------------------------------------

    def _version(self) -> int:
        try:
            return int(self._con.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _has_schema(self, version: int) -> bool:
        """Whether the file holds schema ``version`` (``False``: not yet, it needs making);
        :class:`InputError` when a newer creator-tools made it."""
        found = self._version()
        if found > version:
            raise InputError(f"made by a newer creator-tools (schema {found})", path=self.path)
        return found == version

    @staticmethod
    def _create(con: sqlite3.Connection, schema: str) -> None:
        """Run the statements of ``schema`` (``;`` + newline between them) in the open write
        transaction (``executescript`` would commit it)."""
        for statement in schema.split(";\n"):
            if statement.strip():
                con.execute(statement)

    # -- reading, closing -----------------------------------------------------------------------

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        try:
            cur = self._con.execute(sql, params)
            cur.row_factory = sqlite3.Row
            return cur.fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
