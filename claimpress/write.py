"""Write the generated files under docs/: only those that changed, stale ones removed, and undoable.

`apply` takes the files one at a time, as the renderer makes them, so the whole site is never held
in memory. A new or changed file is made in a private folder outside docs/ (`Changes.staging`)
and moved into docs/ by a rename, together with the others made before it: where the renderer
says LAND (after the claim pages), and once every file is made. So a reader never sees half a
file, and `mkdocs serve`, which watches docs/, sees two bursts of changes, not one per page over
the seconds the rendering takes. The file a change replaces or removes is kept in that folder as
a hard link until `commit`, so that `rollback` can put every touched file back, which `apply`
does when the rendering fails part way, and `build` when MkDocs then fails.
"""
from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .guard import Refused

# Folders and files under docs/ that only the generator writes, and removes what it did not make;
# git ignores them. The feeds sit at the top: the theme reads every <link rel="alternate"> as another
# language's site and asks for a sitemap.xml beside it, which exists only at the top.
GENERATED = ("claims", "map", "browse", "data", "schema", "_snippets", "claims.atom", "corrections.atom")

STAGING = ".claimpress-writing-"  # + the writing process's id + a random part


@dataclass(frozen=True)
class Kept:
    """A file known to hold its content already (cache.PageStamps): neither read nor written.
    `make` gives the content, should the file have gone since."""
    make: Callable[[], str]


class Land:
    """Not a file: among the files given to `apply`, it says that those made so far land in docs/
    now, before the rest are made."""


LAND = Land()

Content = str | bytes | Iterable[str] | Kept | Land  # a text, bytes, a large text in pieces, one already there, or LAND


@dataclass
class Changes:
    docs: Path
    written: list[str] = field(default_factory=list)   # created or changed, relative to docs/
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    generated: list[str] = field(default_factory=list)  # every file the generation made, changed or not
    staging: Path | None = None  # this change's own folder: files being made, and the backups
    _before: dict[Path, Path | None] = field(default_factory=dict, repr=False)  # backup, or None: was new

    def rollback(self) -> None:
        """Restore every file this change touched to its content before. A file that cannot be put
        back (the disk failed meanwhile) does not stop the others; the first such failure is raised
        at the end, and the staging folder, which holds the old files, is then kept."""
        failure: OSError | None = None
        for path, backup in self._before.items():
            try:
                if backup is None:
                    path.unlink(missing_ok=True)
                else:
                    path.parent.mkdir(parents=True, exist_ok=True)  # removed with its last file
                    _move(backup, path)
            except OSError as error:
                failure = failure or error
        for path in sorted({p.parent for p in self._before}, key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):
                _remove_empty_dirs(path, self.docs)
        self._before.clear()
        if failure is not None:
            raise failure
        self._drop_staging()

    def commit(self) -> None:
        """Keep the changes: drop the copies kept for `rollback`."""
        self._before.clear()
        self._drop_staging()

    def summary(self) -> str:
        return f"{len(self.written)} written, {len(self.removed)} removed, {self.unchanged} unchanged"

    def _drop_staging(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None


def _staging_folder(docs: Path, work: Path) -> Path:
    """A new folder for one change's files: in `work` if it can be made there, on docs/' file
    system (files move in by rename), else beside docs/, else hidden in docs/ (MkDocs leaves out
    names that start with a dot). Older ones left there by runs that ended part way (a build
    killed) are removed: those of a process that has ended, or untouched for an hour."""
    docs.mkdir(parents=True, exist_ok=True)
    device = os.stat(docs).st_dev
    for place in (work, docs.parent, docs):
        try:
            place.mkdir(parents=True, exist_ok=True)
            if os.stat(place).st_dev != device:
                continue
            for old in place.glob(f"{STAGING}*"):
                if left_behind(old):
                    shutil.rmtree(old, ignore_errors=True)
            return Path(tempfile.mkdtemp(prefix=f"{STAGING}{os.getpid()}-", dir=place))
        except OSError:  # not writable (a read-only checkout's .cache, say): the next place
            if place == docs:
                raise
    raise AssertionError("unreachable: docs/ is on its own file system")


def left_behind(folder: Path) -> bool:
    """Whether a staging folder is a leftover: untouched for an hour (no generation takes that
    long; and in a container, a build killed as PID 1 has the same id as the next), or made by a
    process that has ended."""
    owner = folder.name[len(STAGING):].partition("-")[0]
    try:
        if time.time() - folder.stat().st_mtime > 3600:
            return True
        if owner.isdigit():
            os.kill(int(owner), 0)
    except ProcessLookupError:
        return True
    except OSError:  # gone already, or a process of another user
        pass
    return False


def _move(source: Path, target: Path) -> None:
    """os.replace, or where `target` is on another mount of the file system (EXDEV: a bind mount),
    a copy beside it renamed over it."""
    try:
        os.replace(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        beside = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        beside.unlink(missing_ok=True)  # a leftover, or a link: made anew, never written through
        try:
            with source.open("rb") as old, \
                    open(os.open(beside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "wb") as new:
                shutil.copyfileobj(old, new)
            shutil.copystat(source, beside)
            os.replace(beside, target)
        except OSError as failure:
            beside.unlink(missing_ok=True)
            if failure.errno and failure.filename is None:  # a write that failed (a full disk): say where
                raise OSError(failure.errno, failure.strerror, str(target)) from failure
            raise
        source.unlink()


def _keep_old(path: Path, backup: Path) -> Path:
    try:
        os.link(path, backup)  # the old file stays reachable after the rename replaces `path`
    except OSError:  # a file system without hard links
        shutil.copy2(path, backup)
    return backup


def write_new(path: Path, chunks: Iterable[bytes]) -> int:
    """Write `chunks` to the new file `path` (in a staging folder); its size."""
    # Mode 0o666 less the umask, as any file the user makes (mkstemp's 0600 would keep the
    # generated pages from a web server or a container running as another user).
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    size = 0
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                size += handle.write(chunk)
    except BaseException as error:
        path.unlink(missing_ok=True)
        if isinstance(error, OSError) and error.errno and error.filename is None:  # a failed write (full disk)
            raise OSError(error.errno, error.strerror, str(path)) from error
        raise
    return size


def _same_bytes(a: Path, b: Path, chunk: int = 1 << 20) -> bool:
    """Whether two files of the same size hold the same bytes: read side by side, a megabyte at a
    time, up to the first difference. A tenth of the time of hashing both: 0.02 s against 0.24 s
    for the 156 MB of claims.json at 50,000 claims."""
    with a.open("rb") as one, b.open("rb") as other:
        while True:
            piece = one.read(chunk)
            if piece != other.read(chunk):
                return False
            if not piece:
                return True


def _remove_empty_dirs(path: Path, stop: Path) -> None:
    while path != stop and path.is_dir() and not any(path.iterdir()):
        path.rmdir()
        path = path.parent


def files_below(folder: str, prefix: str = "", links: list[str] | None = None) -> Iterator[tuple[str, os.DirEntry]]:
    """(`prefix` + its path below `folder` with "/", its entry) of every file below `folder`, not
    following linked folders; with `links`, each symbolic link is put there instead of listed.
    By os.scandir, whose entries know their kind, not Path.rglob and a stat each: a third of the
    time at 10,000 claims, a fourteenth at 50,000 (52,000 files)."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)  # closed before going deeper: one open folder at a time
    except OSError:  # gone, or not a folder
        return
    for entry in entries:
        if links is not None and entry.is_symlink():
            links.append(prefix + entry.name)
        elif entry.is_dir(follow_symlinks=False):
            yield from files_below(entry.path, f"{prefix}{entry.name}/", links)
        elif entry.is_file():
            yield prefix + entry.name, entry


def _owned_files(docs: Path, owned: tuple[str, ...]) -> list[tuple[str, str]]:
    """(path under docs/ with "/", path) of each file in the owned folders and files. Refused if
    docs/ or anything in them is a symbolic link: files are written, replaced and deleted there,
    and a linked folder (docs/data -> elsewhere, which git can store) would have them written and
    deleted where it points, outside the project."""
    links = [""] if docs.is_symlink() else [top for top in owned if os.path.islink(os.path.join(docs, top))]
    found: list[tuple[str, str]] = []
    for top in () if links else owned:
        target = os.path.join(docs, top)
        if os.path.isfile(target):
            found.append((top, target))
        else:
            found += ((rel, entry.path) for rel, entry in files_below(target, f"{top}/", links))
    if links:
        shown = f"{docs.name}/{links[0]}".rstrip("/")
        raise Refused(f"{shown} is a symbolic link: the build writes and deletes the files it generates there, and "
                      f"would do so where it points, outside the project; remove the link (git rm {shown}, if it "
                      "is committed) and build again", code=1)
    return found


def apply(docs: Path, owned: tuple[str, ...], files: Iterable[tuple[str, Content]],
          work: Path | None = None) -> Changes:
    """Make the owned folders and files under `docs` hold exactly `files`; touch only what differs.
    The files are made in a folder of their own in `work` (by default docs/' parent) and moved
    into docs/ together, at each LAND among them and once all are made. If making or moving them
    fails part way (a template error), everything moved in so far is put back."""
    changes = Changes(docs)
    existing: dict[str, str] = {}
    for rel, path in _owned_files(docs, owned):  # first: nothing is touched if one is refused
        if rel.rpartition("/")[2].startswith("."):  # a temporary file or backup left by an older version
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        else:
            existing[rel] = path
    staging = changes.staging = _staging_folder(docs, work or docs.parent)
    made: list[tuple[int, Path, Path, bool]] = []  # (size, made in staging, its place in docs/, one there?)
    seen: set[str] = set()
    try:
        for rel, content in files:
            if isinstance(content, Land):
                _land(made, changes)
                continue
            if rel in seen:
                raise ValueError(f"two files would be written to docs/{rel}")
            seen.add(rel)
            if isinstance(content, Kept):
                if rel in existing and os.path.isfile(existing[rel]):
                    changes.unchanged += 1
                    continue
                content = content.make()
            new = staging / str(len(seen))
            size = _make_if_changed(new, docs / rel, content, rel in existing)
            if size is None:
                changes.unchanged += 1
            else:
                made.append((size, new, docs / rel, rel in existing))
                changes.written.append(rel)
        _land(made, changes)
        for number, rel in enumerate(sorted(set(existing) - seen)):
            gone = Path(existing[rel])
            backup = _keep_old(gone, staging / f"removed-{number}.before")
            gone.unlink()
            changes._before[gone] = backup  # only once removed: a rollback must not write where nothing changed
            changes.removed.append(rel)
            _remove_empty_dirs(gone.parent, docs)
    except BaseException:
        changes.rollback()
        raise
    changes.written.sort()
    changes.generated = sorted(seen)
    return changes


def _land(made: list[tuple[int, Path, Path, bool]], changes: Changes) -> None:
    """Move the files made so far into docs/, together, the largest first. Renamed over an old
    file, a new one is first written out to disk (ext4's auto_da_alloc): 0.1 s for the 156 MB of
    claims.json at 50,000 claims, which `mkdocs serve`, waiting 0.1 s for changes to settle, took
    for the end of them. Largest first, the longest wait comes before the first change it sees."""
    made.sort(key=lambda m: m[0], reverse=True)
    for _, new, path, exists in made:
        backup = _keep_old(path, new.with_suffix(".before")) if exists else None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Dated now, not when it was made: MkDocs' dirty rebuild takes a page only if its file is
            # newer than the page it built last, maybe between the making and now.
            os.utime(new)
            _move(new, path)
        except OSError as error:
            if error.errno is None:
                raise
            raise OSError(error.errno, error.strerror, str(path)) from error  # its place in docs/, not in staging
        changes._before[path] = backup  # only once moved in: see the removals in apply
    made.clear()


def _make_if_changed(new: Path, path: Path, content: str | bytes | Iterable[str], exists: bool) -> int | None:
    """Write `content` to `new` unless `path` holds it already; the size written, or None."""
    if isinstance(content, (str, bytes)):
        data = content.encode("utf-8") if isinstance(content, str) else content
        if exists and path.stat().st_size == len(data) and path.read_bytes() == data:
            return None
        return write_new(new, [data])
    # Pieces of a large file: written out, then compared with the old one, never whole in memory.
    size = write_new(new, (piece.encode("utf-8") for piece in content))
    if exists and size == path.stat().st_size and _same_bytes(new, path):
        new.unlink()
        return None
    return size
