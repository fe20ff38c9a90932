"""The store: one SQLite file of the checked data of each valid claim, each analysis' HTML, each
page's stamp (what it was made from) and each claim's pieces of the data files, every row sealed."""
from __future__ import annotations

import functools
import sqlite3
from pathlib import Path
from typing import Any

import cbor2

from . import trust
from .keys import COLUMNS, UNREADABLE, code_version, purpose, usable


class Store:
    """Values kept between runs in one SQLite file, looked up one at a time: each valid claim's checked
    data and body (`check` writes them, the build reads them instead of parsing again), the HTML
    of each analysis, what each claim page was made from (PageStamps), and each claim's record in
    each data file, by its page's key (Session.reuse). Row by row, so that
    checking after one change writes one row, and the build never holds the whole cache in memory.
    Entries not used by a complete run are dropped. Each value is plain data (CBOR), with its MAC
    for its table and key (trust.tag) beside it: a row that was not written here is a miss."""

    TABLES = ("documents", "analyses", "pages", "pieces")

    def __init__(self, root: Path) -> None:
        self.path = root / ".cache" / "claimpress" / f"store-{code_version()}.sqlite"
        self.used: dict[str, set[str]] = {table: set() for table in self.TABLES}
        self.db: sqlite3.Connection | None = None
        self.added = False
        self.usable = usable(root)  # else its folder is not used either (build.py: write.apply's work)
        if not self.usable:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            (self.path.parent / ".gitignore").write_text("*\n")
            self.db = self._open()
            if not self._schema_is_ours():  # a file made by something else: its triggers and views would run
                self.db.close()
                self.path.unlink()
                self.db = self._open()
            # A cache needs no durability: a file damaged by a crash is detected and replaced (_give_up).
            self.db.execute("PRAGMA synchronous=OFF")
            for table in self.TABLES:
                self.db.execute(f"CREATE TABLE IF NOT EXISTS {table} ({COLUMNS})")
            self.db.execute("BEGIN")  # one transaction a run: thousands of inserts cost one sync
        except (OSError, sqlite3.Error) as error:
            self._give_up(error)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA trusted_schema=OFF")  # SQLite's advice for a file that may not be one's own
        return db

    def _schema_is_ours(self) -> bool:
        """Whether the file holds nothing but this store's tables (or nothing yet)."""
        assert self.db is not None
        return set(self.db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")) <= _store_schema(self.TABLES)

    def _give_up(self, error: BaseException | None = None) -> None:
        """Carry on without the cache: a read-only checkout, a file locked too long by another run
        (it stays), or a damaged file (it goes, to be made again next time)."""
        if self.db is not None:
            self.db.close()
            self.db = None
        if isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError):
            try:
                self.path.unlink(missing_ok=True)
            except OSError:
                pass

    def get(self, table: str, key: str) -> Any:
        return self._decoded(self.get_packed(table, key))

    def opened(self, table: str, key: str, row: tuple[bytes, bytes]) -> Any:
        """The value of a row that `rows` gave, if it was written here for `table` and `key`; else None."""
        value, mac = row
        return self._decoded(value) if trust.verify(self._purpose(table, key), value, mac) else None

    @staticmethod
    def _decoded(packed: bytes | None) -> Any:
        try:
            return cbor2.loads(packed) if packed is not None else None
        except UNREADABLE:
            return None  # made again, and replaced

    def _purpose(self, table: str, key: str) -> bytes:
        return purpose("store", table, key)

    def get_packed(self, table: str, key: str) -> bytes | None:
        """The value as stored, still encoded (CBOR); None where there is none, or none written here."""
        if self.db is None:
            return None
        try:
            row = self.db.execute(f"SELECT value, tag FROM {table} WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as error:
            self._give_up(error)
            return None
        if row is None or not trust.verify(self._purpose(table, key), row[0], row[1]):
            return None
        self.used[table].add(key)
        return row[0]

    def rows(self, table: str) -> dict[str, tuple[bytes, bytes]]:
        """Every entry of `table`, as stored (value and MAC: see `opened`), in one query (none is counted as used)."""
        if self.db is None:
            return {}
        try:
            return {key: (value, mac) for key, value, mac in self.db.execute(f"SELECT key, value, tag FROM {table}")}
        except sqlite3.Error as error:
            self._give_up(error)
            return {}

    def keep(self, table: str, key: str) -> None:
        """Count an entry as used without reading it (it stays for the build)."""
        self.used[table].add(key)

    def put(self, table: str, key: str, value: Any) -> None:
        """Keep `value`, plain data: lists, maps, text, numbers, booleans and None (tuples come back as lists)."""
        self.put_packed(table, key, cbor2.dumps(value))

    def put_packed(self, table: str, key: str, packed: bytes) -> None:
        """Keep a value encoded already (cbor2.dumps)."""
        self.used[table].add(key)
        self.added = True
        if self.db is None:
            return
        try:
            self.db.execute(f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?)",
                            (key, packed, trust.tag(self._purpose(table, key), packed)))
        except sqlite3.Error as error:
            self._give_up(error)

    def close(self, prune: tuple[str, ...] = ()) -> None:
        """Commit; drop the rows of the `prune` tables that this run did not use, and older versions' files.
        Stale rows are only dead weight, so they are looked for only once there are a few."""
        if self.db is None:
            return
        try:
            for table in prune if self.added else ():
                (count,) = self.db.execute(f"SELECT count(*) FROM {table}").fetchone()
                if count - len(self.used[table]) < max(20, len(self.used[table]) // 20):
                    continue
                stale = [(k,) for (k,) in self.db.execute(f"SELECT key FROM {table}") if k not in self.used[table]]
                self.db.executemany(f"DELETE FROM {table} WHERE key = ?", stale)
            self.db.execute("COMMIT")
            self.db.close()
            self.db = None
            for old in [*self.path.parent.glob("store-*.sqlite*"), *self.path.parent.glob("analysis-*.pickle")]:
                if not old.name.startswith(self.path.name):
                    old.unlink(missing_ok=True)
        except (OSError, sqlite3.Error) as error:
            self._give_up(error)


@functools.cache
def _store_schema(tables: tuple[str, ...]) -> frozenset[tuple]:
    """The rows of sqlite_master in a store with `tables`, as this SQLite writes them."""
    db = sqlite3.connect(":memory:")
    for table in tables:
        db.execute(f"CREATE TABLE {table} ({COLUMNS})")
    schema = frozenset(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    db.close()
    return schema
