"""A cache of per-claim check results, so that checking again after one change re-checks one file.

Stored in .cache/claimpress/ under the project (git-ignored; safe to delete at any time). An entry
is trusted only for the same file content, the same registries, the same set of claim ids, the
same "today" (dates may not be in the future) and the same claimpress code and schema: the file
name carries a digest of the package's own source, so a new version never reads an old cache.

Every cache file and entry is plain data (CBOR), never a pickle, sealed with a MAC made with this
machine's key (claimpress/trust.py): one that does not verify, written elsewhere or by anyone else,
is a miss, made again. No cache of a project whose .cache/claimpress/ git tracks files in is used.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import sqlite3
import stat
import sys
import tempfile
import time
from collections import Counter
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, Callable, Iterable

import cbor2

from . import trust
from .config import load_config
from .diagnostics import Diagnostic
from .load import MAX_FILE_BYTES
from .write import files_below

PACKAGE = Path(__file__).parent


@lru_cache(maxsize=1)
def code_version() -> str:
    digest = hashlib.blake2b(digest_size=12)
    for path in sorted([*PACKAGE.glob("*.py"), *(PACKAGE / "schema").glob("*.json")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


# A file changed in the last seconds may change again within the file system's timestamp
# granularity without its signature changing (git's "racily clean" case): such a signature is not
# trusted, and the file is read next time.
RACY_NS = 2_000_000_000


# What checks and renders the pages besides claimpress' own code (code_version): a new version of
# one may change a page, so each is part of what a build read (an nh3 fix must reach every analysis).
CONVERTERS = ("cmarkgfm", "nh3")  # an analysis' HTML depends on these (the analyses' cache key)
RENDERING_LIBRARIES = ("Jinja2", "MarkupSafe", *CONVERTERS, "pycountry")
CHECKING_LIBRARIES = ("PyYAML", "fastjsonschema", "jsonschema")


def library_versions(names: Iterable[str]) -> str:
    return " ".join(f"{name}=={version(name)}" for name in names)


# What reading a cache entry may raise besides OSError: one that was sealed here is never malformed,
# but a damaged file is no reason to stop.
UNREADABLE = (cbor2.CBORError, ValueError, TypeError, KeyError, IndexError)


COLUMNS = "key TEXT PRIMARY KEY, value BLOB NOT NULL, tag BLOB NOT NULL"  # of each table of the Store
CHECK_FORMAT = 1  # of the check cache's file (CheckCache)
NO_SIGNATURE = (-1, -1, -1, -1)  # in the check cache's file: a file whose signature is not trusted yet


def usable(root: Path) -> bool:
    """Whether the project's caches may be read and written: not where git tracks files among them,
    nor through a symbolic link (git stores one: check would write where it points; build refuses it)."""
    if trust.caches_tracked(str(root)):
        return False
    for folder in (root / ".cache", root / ".cache" / "claimpress"):
        if folder.is_symlink():
            trust._warn(f"{folder.relative_to(root).as_posix()} is a symbolic link, so its caches are not used; "
                        "remove the link")
            return False
    return True


def purpose(*words: str) -> bytes:
    """What a sealed cache file or entry is for, with this code's version (trust.tag)."""
    return " ".join((code_version(), *words)).encode("utf-8", "surrogatepass")


def digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


class CheckCache:
    def __init__(self, root: Path, remembered: tuple[Path, dict] | None = None) -> None:
        # Entries: (file name, content digest, context) -> (diagnostics, (status, draft));
        # ("content", file name) -> (stat signature or None, content digest)
        self.folder = root / ".cache" / "claimpress"
        self.path = self.folder / f"check-{code_version()}.cbor"
        self.entries: dict[Any, Any] = {}
        self.used: dict[Any, Any] = {}
        self.dirty = False
        self.now = time.time_ns()
        self.usable = usable(root)
        if remembered is not None and remembered[0] == self.path:
            self.entries = remembered[1]  # as the preview's last check saved them (reading: 0.8 s at 50,000)
            return
        if self.usable:
            self.entries = self._read()

    # The file: CBOR, sealed (trust.seal), in columns rather than an array an entry, which CBOR
    # encodes at a third of a microsecond each (of 50 ms a save at 10,000 claims, 30 went there):
    # [CHECK_FORMAT, [file name], [4 ints of each one's signature, or NO_SIGNATURE], [content digest],
    #  [[context, [file name], [content digest], [status], [draft], [whether it loaded],
    #    [row, then a Diagnostic's 7 fields, for each Diagnostic]] for each context]]
    def _read(self) -> dict[Any, Any]:
        """The entries of the file, if it was sealed here; else none (start again)."""
        try:
            with self.path.open("rb") as handle:
                payload = trust.unseal(purpose("check"), handle.read())
            if payload is None:
                return {}
            form, names, signatures, contents, groups = cbor2.loads(payload)
            if form != CHECK_FORMAT:
                return {}
            ints = iter(signatures)
            entries: dict[Any, Any] = dict(zip([("content", name) for name in names],
                                               zip([s if s[0] >= 0 else None for s in zip(ints, ints, ints, ints)],
                                                   contents, strict=True)))
            for context, names, contents, statuses, drafts, loaded, flat in groups:
                found: list[list[Diagnostic]] = [[] for _ in names]
                for i in range(0, len(flat), 8):
                    found[flat[i]].append(Diagnostic(*flat[i + 1:i + 8]))
                summaries = [(status, draft) if ok else None for status, draft, ok in zip(statuses, drafts, loaded)]
                entries.update(zip([(name, content, context) for name, content in zip(names, contents)],
                                   zip(found, summaries, strict=True)))
            return entries
        except (OSError, *UNREADABLE):
            return {}

    def key(self, entry: os.DirEntry, status: os.stat_result, context: str) -> tuple | None:
        """The entry for a file: its content's digest with the context; None for a file not to vouch for.
        As git's index does, a file whose size, inode and modification and change times are unchanged
        is not read again: its content digest is taken from the last run. (The change time cannot be
        set back by a tool, unlike the modification time.)"""
        if stat.S_ISLNK(status.st_mode) or status.st_size > MAX_FILE_BYTES:
            return None
        signature = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
        name = entry.name
        if not name.isascii() and not _encodable(name):  # not UTF-8 on disk: a name the cache cannot keep
            return None
        known = self.entries.get(("content", name))
        if known is not None and known[0] == signature:
            content = known[1]
        else:
            try:
                with open(entry.path, "rb") as handle:
                    content = digest(handle.read())
            except OSError:
                return None
        settled = self.now - max(status.st_mtime_ns, status.st_ctime_ns) > RACY_NS
        entry = (signature if settled else None, content)
        if entry != known:
            self.dirty = True
        self.used[("content", name)] = entry
        return (name, content, context)

    def get(self, key: tuple) -> Any:
        value = self.entries.get(key)
        if value is not None:
            self.used[key] = value
        return value

    def put(self, key: tuple, value: Any) -> None:
        self.used[key] = value
        self.dirty = True

    def save(self) -> None:
        """Keep only the entries this run used, in a file written by rename; drop older versions' files."""
        if not self.usable or (not self.dirty and len(self.used) == len(self.entries)):
            return
        names: list[str] = []
        signatures: list[int] = []
        contents: list[str] = []
        groups: dict[str, tuple[list, ...]] = {}  # entries of the same context (all of them, most often) together
        for key, value in self.used.items():
            if len(key) == 2:
                names.append(key[1])
                signatures.extend(value[0] or NO_SIGNATURE)
                contents.append(value[1])
                continue
            group = groups.get(key[2]) or groups.setdefault(key[2], ([], [], [], [], [], []))
            row = len(group[0])
            group[0].append(key[0])
            group[1].append(key[1])
            found, summary = value
            group[2].append(summary[0] if summary is not None else None)
            group[3].append(summary[1] if summary is not None else None)
            group[4].append(summary is not None)
            for d in found:
                group[5].extend((row, d.path, d.line, d.column, d.severity, d.code, d.message, d.hint))
        try:
            payload = cbor2.dumps([CHECK_FORMAT, names, signatures, contents,
                                   [[context, *group] for context, group in groups.items()]])
            sealed = trust.seal(purpose("check"), payload)
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n")
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(sealed)
            os.replace(tmp, self.path)
            for old in self.folder.glob("check-*"):  # older versions' (pickles, once: never read)
                if old != self.path:
                    old.unlink(missing_ok=True)
        except (OSError, *UNREADABLE):
            pass  # a read-only checkout still checks, only without a cache


class Store:
    """Values kept between runs in one SQLite file, looked up one at a time: each valid claim's checked
    data and body (`check` writes them, the build reads them instead of parsing again), the HTML
    of each analysis, and what each claim page was made from (PageStamps). Row by row, so that
    checking after one change writes one row, and the build never holds the whole cache in memory.
    Entries not used by a complete run are dropped. Each value is plain data (CBOR), with its MAC
    for its table and key (trust.tag) beside it: a row that was not written here is a miss."""

    TABLES = ("documents", "analyses", "pages")

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


@functools.lru_cache(maxsize=None)
def _store_schema(tables: tuple[str, ...]) -> frozenset[tuple]:
    """The rows of sqlite_master in a store with `tables`, as this SQLite writes them."""
    db = sqlite3.connect(":memory:")
    for table in tables:
        db.execute(f"CREATE TABLE {table} ({COLUMNS})")
    schema = frozenset(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    db.close()
    return schema


class PageStamps:
    """Claim and facet pages that are already what their inputs make, so that the render step skips them.

    A page's key is a digest of everything it is made from (render.claim_page_keys,
    render.facet_page_key): for a claim page, the claim's checked data and that of the claims it
    links to; for a facet page, the keys of the claims it lists; for both, the registries, the
    settings, the templates, and the code and libraries that render them. Once a page is written,
    its key is kept with the digest of its text and the file's signature. A page whose key is the
    same, and whose file is untouched since, is current: it is not rendered again. As in the check
    cache, a signature is trusted only once the file is a few seconds old (git's "racily clean"); a
    younger file is read and compared by digest instead, which is still a tenth of rendering it."""

    TABLE = "pages"
    settle_ns = RACY_NS

    def __init__(self, store: Store, docs: Path) -> None:
        self.store = store
        self.docs = f"{docs}{os.sep}"
        self.keys: dict[str, str] = {}   # path under docs/ -> key, for pages to record this run
        self.texts: dict[str, str] = {}  # path -> digest of the text, for pages rendered this run
        self.skipped: Counter[str] = Counter()  # top folder under docs/ (claims, browse) -> pages skipped
        # The table (value and MAC by path), read at the first question: one query, not one a page.
        self.stored: dict[str, tuple[bytes, bytes]] | None = None

    def current(self, rel: str, key: str) -> bool:
        """Whether the page is what `key` makes; if not, it is to be rendered, and `made` told."""
        if self.stored is None:
            self.stored = self.store.rows(self.TABLE)
        row = self.stored.pop(rel, None)
        stored = self.store.opened(self.TABLE, rel, row) if row is not None else None
        if stored is not None:
            self.store.keep(self.TABLE, rel)
        if stored is not None and stored[0] == key:
            _, signature, text = stored
            if signature is not None and tuple(signature) == _signature(self.docs + rel):
                self.skipped[rel.split("/", 1)[0]] += 1
                return True
            try:
                with open(self.docs + rel, "rb") as handle:
                    same = digest(handle.read()) == text
            except OSError:
                same = False
            if same:
                self.skipped[rel.split("/", 1)[0]] += 1
                self.keys[rel], self.texts[rel] = key, text  # recorded again: its signature may be settled now
                return True
        self.keys[rel] = key
        return False

    def made(self, rel: str, text: str) -> None:
        self.texts[rel] = digest(text.encode("utf-8"))

    def record(self) -> None:
        """After the pages are written: keep key, text digest and file signature of the pages seen."""
        now = time.time_ns()
        for rel, key in self.keys.items():
            signature = _signature(self.docs + rel)
            settled = signature is not None and now - max(signature[1], signature[2]) > self.settle_ns
            if rel in self.texts:
                self.store.put(self.TABLE, rel, [key, signature if settled else None, self.texts[rel]])
        self.keys.clear()
        self.texts.clear()


class Remembered:
    """What the preview keeps in memory from one generation to the next (a build starts without it).

    - The check cache's entries, as the last check saved them: not read back from their file.
    - The modelled claims, each with its source (the document key of the file it was made from:
      cache.document_key); all of them are forgotten when the registries change. The check does not
      fetch an unchanged claim's data from the store (known_sources), and it is not modelled again.
    - What each claim gave the data files and the facet pages (its record in claims.json, its rows
      in the CSV files, its facet row...), under the claim page's key (render.claim_page_keys), which
      covers all they are made from. An unchanged claim is not exported again.
    About 8 KB a claim; every save still writes whole files, from these pieces."""

    def __init__(self) -> None:
        self.registries: str | None = None
        self.check: tuple[Path, dict] | None = None       # the check cache's file, and what was last saved in it
        self.claims: dict[str, tuple[str, Any]] = {}      # id -> (source digest, Claim)
        self.fragments: dict[str, tuple[str, dict[str, Any]]] = {}  # id -> (page key, kind -> value)

    @staticmethod
    def registries_digest(registries: Any) -> str:
        """What the modelled claims depend on besides their own files (a rules.Registries)."""
        return digest(cbor2.dumps([registries.parties or {}, registries.categories, registries.ratings,
                                   registries.scale]))

    def known_sources(self, registries: Any) -> frozenset[str]:
        """The sources of the claims it holds, if they were modelled with these registries: the
        claims that build_catalog will take from here, whose data the check need not fetch."""
        if self.registries != self.registries_digest(registries):
            return frozenset()
        return frozenset(source for source, _ in self.claims.values())

    def recall(self, catalog: Any, page_keys: list[str]) -> Callable[[str, Any, Callable[[], Any]], Any]:
        """An exports.Recall for this catalog; what claims no longer in it gave is forgotten."""
        keys = {claim.id: key for claim, key in zip(catalog.claims, page_keys)}
        for cid in [cid for cid in self.fragments if cid not in keys]:
            del self.fragments[cid]

        def recall(kind: str, claim: Any, make: Callable[[], Any]) -> Any:
            key = keys[claim.id]
            entry = self.fragments.get(claim.id)
            if entry is None or entry[0] != key:
                entry = self.fragments[claim.id] = (key, {})
            if kind not in entry[1]:
                entry[1][kind] = make()
            return entry[1][kind]
        return recall


def document_key(name: str, content: str) -> str:
    return digest(name.encode("utf-8", "surrogatepass"), content.encode())


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _signature(path: Path | str) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _tree(folder: Path) -> list[tuple[str, tuple | None]]:
    """(path relative to `folder`, signature) of every file below it."""
    found = []
    for rel, entry in files_below(str(folder)):
        st = entry.stat()
        found.append((rel, (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)))
    return sorted(found)


class BuildStamp:
    """What the last generation read and wrote, by file signatures: when nothing it read has changed
    and nothing it wrote was touched since, generating again would write nothing, so it is skipped."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / ".cache" / "claimpress" / f"generated-{code_version()}.cbor"
        self.usable = usable(root)

    def inputs(self, today: str) -> tuple:
        root = self.root
        # The settings as read, not only mkdocs.yml's signature: site_url may come from the environment.
        return (today, _tree(root / "claims"), _tree(root / "templates"), _signature(root / "mkdocs.yml"),
                sys.version, library_versions((*RENDERING_LIBRARIES, *CHECKING_LIBRARIES)),
                dataclasses.astuple(load_config(root)))

    def unchanged(self, inputs: tuple) -> str | None:
        """The diagnostics text of the last run, if it is still valid; None when generation must run."""
        if not self.usable:
            return None
        try:
            with self.path.open("rb") as handle:
                payload = trust.unseal(purpose("generated"), handle.read())
            if payload is None:
                return None
            saved_inputs, outputs, report = cbor2.loads(payload)
            if saved_inputs != _inputs_digest(inputs) or not isinstance(report, str):
                return None
            written = {rel: tuple(signature) for rel, signature in outputs if signature is not None}
        except (OSError, *UNREADABLE):
            return None
        # Every file in the folders and files the generation owns is one it wrote, untouched since: a
        # file added among them (a page that git checked out, say) is not published unless a
        # generation removes it.
        docs = self.root / "docs"
        found = 0
        for top in {rel.partition("/")[0] for rel in written}:
            if top in written:  # a file: claims.atom
                found += 1
                if _signature(docs / top) != written[top]:
                    return None
                continue
            for rel, entry in files_below(str(docs / top), f"{top}/"):
                found += 1
                st = entry.stat()
                if written.get(rel) != (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino):
                    return None
        return report if found == len(written) else None

    def save(self, inputs: tuple, generated: list[str], report: str) -> None:
        """Record a generation; not when an input changed in the last seconds (racily clean): it may
        change again without its signature changing."""
        docs = f"{self.root / 'docs'}{os.sep}"  # as unchanged() reads them; no Path a file: 52,000 at 50,000 claims
        if not self.usable:
            return
        outputs = [(rel, _signature(docs + rel)) for rel in generated]
        signatures = [s for tree in (inputs[1], inputs[2]) for _, s in tree if s] + [inputs[3]]
        newest = max([max(s[1], s[2]) for s in signatures if s] + [0])
        try:
            for old in self.path.parent.glob("generated-*"):  # older versions' (pickles, once: never read)
                if old != self.path:
                    old.unlink()
            if time.time_ns() - newest < RACY_NS:
                self.path.unlink(missing_ok=True)
                return
            sealed = trust.seal(purpose("generated"), cbor2.dumps([_inputs_digest(inputs), outputs, report]))
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(sealed)
            os.replace(tmp, self.path)
        except (OSError, *UNREADABLE):
            pass


def _inputs_digest(inputs: tuple) -> str:
    """A digest of BuildStamp.inputs: a file name not in UTF-8 raises ValueError."""
    return digest(cbor2.dumps(inputs))
