"""A cache of per-claim check results, so that checking again after one change re-checks one file.

Stored in .cache/claimpress/ under the project (git-ignored; safe to delete at any time). An entry
is trusted only for the same file content, the same registries, the same set of claim ids, the
same "today" (dates may not be in the future) and the same claimpress code and schema: the file
name carries a digest of the package's own source, so a new version never reads an old cache.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import stat
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from .load import MAX_FILE_BYTES

PACKAGE = Path(__file__).parent


@lru_cache(maxsize=1)
def code_version() -> str:
    digest = hashlib.blake2b(digest_size=12)
    for path in sorted([*PACKAGE.glob("*.py"), *(PACKAGE / "schema").glob("*.json")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


class CheckCache:
    def __init__(self, root: Path) -> None:
        # Entries: (file name, content digest, context) -> (diagnostics, (status, draft));
        # ("content", file name) -> (stat signature or None, content digest)
        self.folder = root / ".cache" / "claimpress"
        self.path = self.folder / f"check-{code_version()}.pickle"
        self.entries: dict[Any, Any] = {}
        self.used: dict[Any, Any] = {}
        self.dirty = False
        self.now = time.time_ns()
        try:
            with self.path.open("rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
            self.entries = {}  # no cache, or one we cannot read: start again

    def key(self, entry: os.DirEntry, status: os.stat_result, context: str) -> tuple | None:
        """The entry for a file: its content's digest with the context; None for a file not to vouch for.
        As git's index does, a file whose size, inode and modification and change times are unchanged
        is not read again: its content digest is taken from the last run. (The change time cannot be
        set back by a tool, unlike the modification time.)"""
        if stat.S_ISLNK(status.st_mode) or status.st_size > MAX_FILE_BYTES:
            return None
        signature = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
        name = entry.name
        known = self.entries.get(("content", name))
        if known is not None and known[0] == signature:
            content = known[1]
        else:
            try:
                with open(entry.path, "rb") as handle:
                    content = digest(handle.read())
            except OSError:
                return None
        # A file changed in the last seconds may change again within the file system's timestamp
        # granularity without its signature changing (git's "racily clean" case): read it next time.
        settled = self.now - max(status.st_mtime_ns, status.st_ctime_ns) > 2_000_000_000
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
        if not self.dirty and len(self.used) == len(self.entries):
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n")
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(self.used, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
            for old in self.folder.glob("check-*.pickle"):
                if old != self.path:
                    old.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only checkout still checks, only without a cache


def _signature(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _tree(folder: Path) -> list[tuple[str, tuple | None]]:
    if not folder.is_dir():
        return []
    return sorted((p.relative_to(folder).as_posix(), _signature(p)) for p in folder.rglob("*") if p.is_file())


class BuildStamp:
    """What the last generation read and wrote, by file signatures: when nothing it read has changed
    and nothing it wrote was touched since, generating again would write nothing, so it is skipped."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / ".cache" / "claimpress" / f"generated-{code_version()}.pickle"

    def inputs(self, today: str) -> tuple:
        root = self.root
        return (today, _tree(root / "claims"), _tree(root / "templates"), _signature(root / "mkdocs.yml"))

    def unchanged(self, inputs: tuple) -> str | None:
        """The diagnostics text of the last run, if it is still valid; None when generation must run."""
        try:
            with self.path.open("rb") as handle:
                saved_inputs, outputs, report = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
            return None
        if saved_inputs != inputs:
            return None
        docs = self.root / "docs"
        if any(_signature(docs / rel) != sig for rel, sig in outputs):
            return None
        return report

    def save(self, inputs: tuple, generated: list[str], report: str) -> None:
        """Record a generation; not when an input changed in the last seconds (racily clean): it may
        change again without its signature changing."""
        docs = self.root / "docs"
        outputs = [(rel, _signature(docs / rel)) for rel in generated]
        signatures = [s for tree in (inputs[1], inputs[2]) for _, s in tree if s] + [inputs[3]]
        newest = max([max(s[1], s[2]) for s in signatures if s] + [0])
        if time.time_ns() - newest < 2_000_000_000:
            self.path.unlink(missing_ok=True)
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((inputs, outputs, report), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass


class ValueCache:
    """A persistent map from a content digest to a computed value (the HTML of an analysis), kept to
    the entries the last run used."""

    def __init__(self, root: Path, name: str) -> None:
        self.path = root / ".cache" / "claimpress" / f"{name}-{code_version()}.pickle"
        self.entries: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        try:
            with self.path.open("rb") as handle:
                loaded = pickle.load(handle)
            self.entries = loaded if isinstance(loaded, dict) else {}
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
            self.entries = {}

    def get_or_make(self, text: str, make: Any) -> Any:
        key = digest(text.encode("utf-8", "surrogatepass"))
        value = self.entries.get(key)
        if value is None:
            value = make(text)
        self.used[key] = value
        return value

    def save(self) -> None:
        if self.used.keys() == self.entries.keys():
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(self.used, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass
