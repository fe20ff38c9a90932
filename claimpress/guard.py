"""What keeps a build from harming the project or the machine it runs on.

- One build (or preview generation) at a time in a project: `build_lock`. Two at once used to
  interleave their writes to docs/ and site/ and leave half a site.
- No writing through a symbolic link (git stores them, so a pull request can add one): `refuse_links`.
- A failure of the machine (a read-only or full disk, a mount point) is told as such, with what to
  do, not as a bug in claimpress: `explain`, `environment_failure`.
"""
from __future__ import annotations

import contextlib
import errno
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: builds are not locked there
    fcntl = None  # type: ignore[assignment]


class Refused(Exception):
    """The build cannot go on, for a reason the user can fix: told in one line; exit `code`
    (1: something in the project, 2: the machine or the way it was run)."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


CACHE = Path(".cache") / "claimpress"
LOCK = CACHE / "build.lock"
WAIT_VARIABLE = "CLAIMPRESS_LOCK_WAIT"
DEFAULT_WAIT = 3600.0  # seconds: a first build at 50,000 claims takes minutes

_held = threading.local()  # the projects this thread holds the lock of: a build's generation re-enters it
_warned: set[str] = set()


def warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        print(f"claimpress: warning: {message}", file=sys.stderr)


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Hold the project's build lock while writing docs/, site/ or the caches. Another process
    holding it is waited for, with a message, up to CLAIMPRESS_LOCK_WAIT seconds (default an
    hour; 0: do not wait). Two locks, taken in the same order by everyone: one on the project
    folder itself (needs no write access: a read-only .cache still locks), and one on
    .cache/claimpress/build.lock, which also holds the holder's process id for the message and
    locks where a folder cannot be (NFS). The locks go with the process: a killed build leaves
    none behind. Re-entered freely by the thread holding it."""
    roots = _held.__dict__.setdefault("roots", set())
    if root in roots or fcntl is None:
        yield
        return
    fds, holder = _lock_files(root)
    try:
        if not _acquire(fds, root):
            warn_once(f"cannot lock {root} (its file system has no locks); make sure no other build runs in it "
                      "at the same time")
        if holder is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(holder, 0)
                os.pwrite(holder, f"{os.getpid()}\n".encode(), 0)
        roots.add(root)
        yield
    finally:
        roots.discard(root)
        for fd in fds:
            os.close(fd)  # releases the lock


def _lock_files(root: Path) -> tuple[list[int], int | None]:
    """The descriptors to lock, folder first; the lock file's, which names the holder, or None."""
    fds = []
    with contextlib.suppress(OSError):
        fds.append(os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)))
    if any(path.is_symlink() for path in (root / ".cache", root / CACHE)):  # refuse_links says why
        return fds, None
    try:
        (root / CACHE).mkdir(parents=True, exist_ok=True)
        fds.append(os.open(root / LOCK, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666))
    except OSError:
        return fds, None  # a read-only .cache: the folder's lock alone
    return fds, fds[-1]


def _acquire(fds: list[int], root: Path) -> bool:
    """Lock each of `fds`, waiting for another holder; whether any could be locked."""
    patience = _patience()
    start = time.monotonic()
    locked = told = False
    for fd in fds:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                locked = True
                break
            except BlockingIOError:
                pass
            except OSError:  # this file system cannot lock it (a folder over NFS): the other lock serves
                break
            waited = time.monotonic() - start
            holder = _holder(root)
            if waited >= patience:
                raise Refused(f"another build or preview{holder} is writing in {root} and has not finished after "
                              f"{waited:.0f} s; let it end (or stop it) and build again ({WAIT_VARIABLE} sets "
                              "how many seconds to wait)")
            if not told and waited >= 0.5:  # not for a moment's wait; by then the holder has written its id
                print(f"claimpress: another build or preview is running{holder}; waiting for it to finish "
                      f"(up to {patience:g} s)", file=sys.stderr)
                told = True
            time.sleep(0.1)
    return locked


def _patience() -> float:
    given = os.environ.get(WAIT_VARIABLE, "").strip()
    try:
        seconds = float(given) if given else DEFAULT_WAIT
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:  # also NaN
        raise Refused(f"{WAIT_VARIABLE}={given!r}: give a number of seconds (0: do not wait)")
    return seconds


def _holder(root: Path) -> str:
    """" (pid N)" of the lock's holder, as it wrote it, or ""."""
    try:
        fd = os.open(root / LOCK, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            text = os.read(fd, 32).decode("ascii", "replace").strip()
        finally:
            os.close(fd)
    except OSError:
        return ""
    return f" (pid {text})" if text.isdigit() else ""


def refuse_links(root: Path, paths: list[Path], remedy: str) -> None:
    """Refuse when one of `paths`, or a folder between `root` and it, is a symbolic link: the build
    writes and deletes there, and would do so in the folder the link points to, outside the
    project. A path outside `root` (a --site-dir elsewhere) is checked itself only."""
    for path in paths:
        try:
            steps = path.relative_to(root).parts
            current = root
        except ValueError:
            steps, current = (path.name,), path.parent
        for step in steps:
            current = current / step
            if current.is_symlink():
                shown = current.relative_to(root).as_posix() if current.is_relative_to(root) else str(current)
                _refuse_link(current, shown, "the build writes and deletes files there, and would do so where "
                             f"it points; {remedy.format(path=shown)}")


SOURCES = ("docs", "templates", "overrides", "locale", "mkdocs.yml")  # what MkDocs and Jinja read besides claims/


def refuse_links_in_sources(root: Path, generated: tuple[str, ...]) -> None:
    """Refuse a symbolic link anywhere the site is read from: MkDocs and Jinja follow them, so a link
    such as docs/notes.txt -> ~/.ssh/id_rsa (git stores links: a pull request can add one) would publish
    the file it points to. The generated folders of docs/ are the writer's to check (write.apply)."""
    for name in SOURCES:
        top = root / name
        if top.is_symlink():
            _linked(root, top)
        if not top.is_dir():
            continue
        folders = [str(top)]
        while folders:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if name == "docs" and os.path.dirname(entry.path) == str(top) and entry.name in generated:
                        continue
                    if entry.is_symlink():
                        _linked(root, Path(entry.path))
                    elif entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)


def _linked(root: Path, path: Path) -> None:
    _refuse_link(path, path.relative_to(root).as_posix(), "the site is built from the files it reads, so it would "
                 "publish the file the link points to; remove the link and put the file itself there")


def _refuse_link(path: Path, shown: str, why: str) -> None:
    try:
        points = f" (to {os.readlink(path)})"
    except OSError:
        points = ""
    raise Refused(f"{shown} is a symbolic link{points}: {why}", code=1)


def cache_paths(root: Path) -> list[Path]:
    """Where the build writes in .cache/claimpress: the folder and each entry in it (files it
    rewrites, folders it makes, fills or deletes)."""
    folder = root / CACHE
    found = [folder]
    if not (root / ".cache").is_symlink() and not folder.is_symlink():
        with contextlib.suppress(OSError), os.scandir(folder) as listing:
            found += [Path(entry.path) for entry in listing]
    return found


CACHE_REMEDY = "remove it (the cache is safe to delete: rm -r {path}) and build again"

# What to do about each failure of the machine (an errno), told after the path and the error.
REMEDIES = {
    errno.EACCES: "this user may not write there: give it write access, or build as the folder's owner",
    errno.EPERM: "this user may not write there: give it write access, or build as the folder's owner",
    errno.EROFS: "the file system is read-only: build in a writable copy of the project, or mount it read-write",
    errno.ENOSPC: "the disk is full: free some space and build again",
    errno.EBUSY: "it is in use (a mount point, or open in another program): close it, or build into "
                 "another folder (--site-dir)",
    errno.EXDEV: "it is on another file system (a mount point): build into a folder on the project's file system",
    errno.EIO: "the disk reported an input/output error: check it, then build again",
}
if hasattr(errno, "EDQUOT"):
    REMEDIES[errno.EDQUOT] = "the disk quota is used up: free some space and build again"


def explain(error: OSError) -> str | None:
    """One line for a failure of the machine: the path, the error, what to do; None for others."""
    remedy = REMEDIES.get(error.errno or 0)
    if remedy is None:
        return None
    where = error.filename2 if error.filename2 is not None else error.filename
    what = error.strerror or os.strerror(error.errno or 0)
    return f"{where}: {what}; {remedy}" if where is not None else f"{what}; {remedy}"


def environment_failure(error: BaseException) -> tuple[str, int] | None:
    """(message, exit code) when `error` is no bug of claimpress: a refusal, or a failure of the machine."""
    if isinstance(error, Refused):
        return str(error), error.code
    if isinstance(error, OSError):
        explained = explain(error)
        if explained is not None:
            return explained, 2
    return None
