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
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from .load import MAX_FILE_BYTES

PACKAGE = Path(__file__).parent


def stat_is_link(stat: os.stat_result) -> bool:
    import stat as modes

    return modes.S_ISLNK(stat.st_mode)


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
        # Entries: claim key -> (diagnostics, (status, draft)); ("content", file name) -> (stat, digest)
        self.folder = root / ".cache" / "claimpress"
        self.path = self.folder / f"check-{code_version()}.pickle"
        self.entries: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        try:
            with self.path.open("rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
            self.entries = {}  # no cache, or one we cannot read: start again

    def key(self, path: Path, stat: os.stat_result, context: str) -> str | None:
        """The entry for a file: its content's digest with the context; None for a file not to vouch for.
        As git's index does, a file whose size, inode and modification and change times are unchanged
        is not read again: its content digest is taken from the last run. (The change time cannot be
        set back by a tool, unlike the modification time.)"""
        if stat_is_link(stat) or stat.st_size > MAX_FILE_BYTES:
            return None
        signature = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        known = self.entries.get(("content", path.name))
        if known is not None and known[0] == signature:
            content = known[1]
        else:
            try:
                content = digest(path.read_bytes())
            except OSError:
                return None
        # A file changed in the last seconds may change again within the file system's timestamp
        # granularity without its signature changing (git's "racily clean" case): read it next time.
        settled = time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > 2_000_000_000
        self.used[("content", path.name)] = (signature if settled else None, content)
        return digest(path.name.encode(), content.encode(), context.encode())

    def get(self, key: str) -> Any:
        value = self.entries.get(key)
        if value is not None:
            self.used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self.used[key] = value

    def save(self) -> None:
        """Keep only the entries this run used, in a file written by rename; drop older versions' files."""
        if self.used == self.entries:
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
