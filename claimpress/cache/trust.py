"""Whether a cache file was written by claimpress on this machine: a secret key of the machine and a
MAC on each cache file and entry.

Everything under a project may come from a pull request, .cache/ too (`git add -f`), and the names
of the cache files are easy to guess. So a cache entry is used only when its MAC, made with a key
that never leaves this machine's user cache folder, verifies; and no cache of a project in which
git tracks a file under .cache/claimpress/ is read or written at all.
"""
from __future__ import annotations

import contextlib
import functools
import hmac
import os
import secrets
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

KEY_DIR_ENV = "CLAIMPRESS_CACHE_KEY_DIR"  # where the key is, instead of the user's cache folder (tests)
KEY_FILE = "cache-key"
KEY_BYTES = 32
MAGIC = b"CPc1"  # the sealed format, version 1: MAGIC, the MAC, then the payload (plain data)
TAG_BYTES = 32
CACHE_FOLDER = ".cache/claimpress"  # under the project, as git names it


def key_folder() -> Path:
    """The folder of the machine's key: $CLAIMPRESS_CACHE_KEY_DIR, else the user's cache folder
    (where the schema validators are kept too, claimpress/schema.py)."""
    override = os.environ.get(KEY_DIR_ENV)
    if override:
        return Path(override)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "claimpress"


@functools.lru_cache(maxsize=1)
def machine_key() -> bytes:
    """The key, made at the first run on this machine (a file that others may read or write is
    replaced). Where there is none to be had (no writable cache folder, a key file that git
    tracks), a key of this process alone: its caches then last only as long as it does."""
    try:
        path = key_folder() / KEY_FILE
        if path.parent.is_dir() and _git_tracked(path.parent, KEY_FILE):
            _warn(f"{path} is tracked by git: a cache key must stay on this machine, so the caches "
                  f"are not used; keep the key out of the repository (set {KEY_DIR_ENV} or XDG_CACHE_HOME)")
            return _PROCESS_KEY
        return _read_key(path) or _new_key(path)
    except (OSError, RuntimeError, KeyError):  # no home folder, or nowhere to write
        return _PROCESS_KEY


_PROCESS_KEY = secrets.token_bytes(KEY_BYTES)


def _read_key(path: Path) -> bytes | None:
    """The key in `path`, or None if there is none, or none to trust: a link, a file of another
    user or that others may read or write, a file of the wrong size."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    except OSError:  # a link (O_NOFOLLOW), or unreadable: replaced
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size != KEY_BYTES:
            return None
        if os.name == "posix" and (st.st_mode & 0o077 or st.st_uid != os.getuid()):
            return None  # others may read it (and so forge entries), or have chosen it
        key = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    return key if len(key) == KEY_BYTES else None


def _new_key(path: Path) -> bytes:
    """A new key in `path`, written aside (mode 0600) and linked in whole: processes that start at
    once all end with the same key, the first one linked."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # mode 0600
    try:
        try:
            os.write(fd, key)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
            return key
        except FileExistsError:
            found = _read_key(path)
            if found is not None:
                return found  # another process made it first
            os.replace(tmp, path)  # one not to trust: replaced
            return key
        except OSError:  # a file system without hard links
            os.replace(tmp, path)
            return key
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def tag(purpose: bytes, payload: bytes) -> bytes:
    """The MAC of `payload` for `purpose` (what it is and where it goes: the cache, the version of
    the code, the entry's key), so that an entry is valid nowhere else. HMAC-SHA256 (the processor's
    SHA instructions: 0.9 GB/s here, keyed BLAKE2b 0.7) with a key for the purpose derived from the
    machine's, so that the payload is read as it is, not copied after the purpose."""
    return hmac.digest(hmac.digest(machine_key(), purpose, "sha256"), payload, "sha256")


def verify(purpose: bytes, payload: object, mac: object) -> bool:
    """Whether `mac` is the MAC of `payload` for `purpose` (both bytes, as a file or a row gives them)."""
    return isinstance(payload, bytes) and isinstance(mac, bytes) and hmac.compare_digest(mac, tag(purpose, payload))


def seal(purpose: bytes, payload: bytes) -> bytes:
    """`payload` as kept in a file: MAGIC, its MAC, itself."""
    return MAGIC + tag(purpose, payload) + payload


def unseal(purpose: bytes, sealed: bytes | None) -> bytes | None:
    """The payload that `seal` sealed for `purpose` on this machine, or None."""
    if sealed is None or sealed[:len(MAGIC)] != MAGIC:
        return None
    start = len(MAGIC) + TAG_BYTES
    payload = sealed[start:]
    return payload if verify(purpose, payload, sealed[len(MAGIC):start]) else None


@functools.cache
def caches_tracked(root: str, say: Callable[[str], object] | None = None) -> bool:
    """Whether git tracks any file under the project's .cache/claimpress/, or either folder as a
    link: then its caches are not used (a file that git checks out was not written by this
    machine's build), and one warning says so (by `say`, if given). Asked once a process (a
    `git ls-files`, a few ms)."""
    top = CACHE_FOLDER.partition("/")[0]
    if not any(name in (top, CACHE_FOLDER) or name.startswith(f"{CACHE_FOLDER}/")
               for name in _git_tracked(Path(root), top)):
        return False
    (say or _warn)(f"git tracks files under {CACHE_FOLDER}/: caches are never shared, so they are not used; "
                   f"remove them from git with: git rm -r --cached {CACHE_FOLDER}")
    return True


def _git_tracked(folder: Path, pathspec: str) -> list[str]:
    """The files git tracks at `pathspec` (relative to `folder`, as are the names). Not asked where
    no folder above has a .git; where git is missing or fails (a repository of another user, say),
    none: the MACs alone decide."""
    here = folder.resolve()
    if not any((place / ".git").exists() for place in (here, *here.parents)):
        return []
    try:
        done = subprocess.run(["git", "-C", str(here), "ls-files", "-z", "--", pathspec],
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return []
    if done.returncode != 0:
        return []
    return [os.fsdecode(name) for name in done.stdout.split(b"\0") if name]


_warned: set[str] = set()


def _warn(message: str) -> None:
    if message not in _warned:  # once a process: several caches ask the same question
        _warned.add(message)
        print(f"build_claims.py: warning: {message}", file=sys.stderr)

