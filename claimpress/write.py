"""Write the generated files under docs/: only those that changed, stale ones removed, and undoable.

`apply` takes the files one at a time, as the renderer makes them, so the whole site is never held
in memory. Each file is written by a rename (a reader never sees half a file); the file it replaces
is kept beside it as a hidden hard link (`.<name>.before`, which MkDocs ignores) until `commit`, so
that `rollback` can put every touched file back, which `build` does when MkDocs then fails.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Union

BACKUP = ".before"


@dataclass(frozen=True)
class Kept:
    """A file known to hold its content already (cache.PageStamps): neither read nor written.
    `make` gives the content, should the file have gone since."""
    make: Callable[[], str]


Content = Union[str, Iterable[str], Kept]  # a text, a large one in pieces, or one already there


@dataclass
class Changes:
    docs: Path
    written: list[str] = field(default_factory=list)   # created or changed, relative to docs/
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    generated: list[str] = field(default_factory=list)  # every file the generation made, changed or not
    _before: dict[Path, Path | None] = field(default_factory=dict, repr=False)  # backup, or None: was new

    def rollback(self) -> None:
        """Restore every file this change touched to its content before."""
        for path, backup in self._before.items():
            if backup is None:
                path.unlink(missing_ok=True)
            else:
                os.replace(backup, path)
        for path in sorted({p.parent for p in self._before}, key=lambda p: len(p.parts), reverse=True):
            _remove_empty_dirs(path, self.docs)
        self._before.clear()

    def commit(self) -> None:
        """Keep the changes: drop the copies kept for `rollback`."""
        for backup in self._before.values():
            if backup is not None:
                backup.unlink(missing_ok=True)
        self._before.clear()

    def summary(self) -> str:
        return f"{len(self.written)} written, {len(self.removed)} removed, {self.unchanged} unchanged"


def _backup_of(path: Path) -> Path:
    return path.with_name(f".{path.name}{BACKUP}")


def _keep_old(path: Path) -> Path:
    backup = _backup_of(path)
    backup.unlink(missing_ok=True)
    try:
        os.link(path, backup)  # the old file stays reachable after the rename replaces `path`
    except OSError:  # a file system without hard links
        shutil.copy2(path, backup)
    return backup


def _write_new(path: Path, chunks: Iterable[bytes]) -> Path:
    """Write to a temporary file beside `path` and return it (not yet renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            # Mode 0o666 less the umask, as any file the user makes (mkstemp's 0600 would keep the
            # generated pages from a web server or a container running as another user).
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "blake2b").hexdigest()


def _remove_empty_dirs(path: Path, stop: Path) -> None:
    while path != stop and path.is_dir() and not any(path.iterdir()):
        path.rmdir()
        path = path.parent


def files_below(folder: str, prefix: str = "") -> Iterator[tuple[str, os.DirEntry]]:
    """(`prefix` + its path below `folder` with "/", its entry) of every file below `folder`, not
    following linked folders. By os.scandir, whose entries know their kind, not Path.rglob and a
    stat each: a third of the time at 10,000 claims, a fourteenth at 50,000 (52,000 files)."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)  # closed before going deeper: one open folder at a time
    except OSError:  # gone, or not a folder
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from files_below(entry.path, f"{prefix}{entry.name}/")
        elif entry.is_file():
            yield prefix + entry.name, entry


def _owned_files(docs: Path, owned: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(path under docs/ with "/", path) of each file in the owned folders and files."""
    for top in owned:
        target = os.path.join(docs, top)
        if os.path.isfile(target):
            yield top, target
        else:
            yield from ((rel, entry.path) for rel, entry in files_below(target, f"{top}/"))


def apply(docs: Path, owned: tuple[str, ...], files: Iterable[tuple[str, Content]]) -> Changes:
    """Make the owned folders and files under `docs` hold exactly `files`; touch only what differs.
    If making the files fails part way (a template error), everything written so far is put back."""
    changes = Changes(docs)
    existing: dict[str, str] = {}
    for rel, path in _owned_files(docs, owned):
        if rel.rpartition("/")[2].startswith("."):  # a temporary file or backup left by an interrupted run
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        else:
            existing[rel] = path
    seen: set[str] = set()
    try:
        for rel, content in files:
            if rel in seen:
                raise ValueError(f"two files would be written to docs/{rel}")
            seen.add(rel)
            if isinstance(content, Kept):
                if rel in existing and os.path.isfile(existing[rel]):
                    changes.unchanged += 1
                    continue
                content = content.make()
            if _write_one(docs / rel, content, rel in existing, changes):
                changes.written.append(rel)
            else:
                changes.unchanged += 1
        for rel in sorted(set(existing) - seen):
            path = Path(existing[rel])
            changes._before[path] = _keep_old(path)
            path.unlink()
            changes.removed.append(rel)
            _remove_empty_dirs(path.parent, docs)
    except BaseException:
        changes.rollback()
        raise
    changes.written.sort()
    changes.generated = sorted(seen)
    return changes


def _write_one(path: Path, content: Content, exists: bool, changes: Changes) -> bool:
    """Write `path` if its content differs; whether it did."""
    if isinstance(content, str):
        data = content.encode("utf-8")
        if exists and path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
        tmp = _write_new(path, [data])
    else:  # pieces of a large file: written out, then compared by digest, never whole in memory
        tmp = _write_new(path, (piece.encode("utf-8") for piece in content))
        if exists and tmp.stat().st_size == path.stat().st_size and _file_digest(tmp) == _file_digest(path):
            tmp.unlink()
            return False
    changes._before[path] = _keep_old(path) if exists else None
    os.replace(tmp, path)
    return True


def append_parties(claims_dir: Path, parties: list[tuple[str, str, str]], added_by: str) -> None:
    """Add (id, name, kind) entries at the end of parties.yml, keeping everything already in it."""
    lines = ["", f"# Added by {added_by}: check the kind, and add country and aliases."]
    for pid, name, kind in parties:
        lines += [f"{pid}:", f"  name: {json.dumps(name, ensure_ascii=False)}", f"  kind: {kind}"]
    with (claims_dir / "parties.yml").open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
