"""Writing one file whole or not at all: the one way claimpress replaces a file outside the docs/
writer (which stages many at once: write.py); and deleting a folder out of the way (remove_later)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def replace_file(path: str | os.PathLike, data: bytes, mode: int | None = None) -> None:
    """Put `data` at `path` through a new hidden file beside it and a rename: a reader sees the old file
    or the new one, never half of it; a killed run leaves at most a dot file (which check, the
    preview and Pagefind pass over); a link or hard link at `path` is replaced, not written through
    (a search bundle's files are hard links the search cache shares). `mode`: the new file's
    permissions (default: as any file the user makes)."""
    folder, name = os.path.split(os.fspath(path))
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".new", dir=folder or ".")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def replace_if_changed(path: str | os.PathLike, data: bytes) -> bool:
    """replace_file, unless the file holds `data` already (its date then stays: a preview or a deploy
    sees no change). Whether it wrote."""
    try:
        with open(path, "rb") as old:
            if old.read() == data:
                return False
    except FileNotFoundError:
        pass
    replace_file(path, data)
    return True


# Run by a process of its own: it forks, the parent returns at once, and the child, in a session of
# its own (no terminal's Ctrl-C reaches it) and at the lowest priority, deletes the folder.
_REMOVE = """import os, shutil, sys
if os.fork() == 0:
    os.setsid()
    os.nice(19)
    shutil.rmtree(sys.argv[1], ignore_errors=True)
"""


def remove_later(folder: str | os.PathLike) -> None:
    """Delete `folder`, a folder of ours that nothing reads any more (the site a build replaced), in
    a process that outlives this one, so that the command it was replaced for returns at once: the
    10,000 claims' site of 21,000 files took 3.4 s of a 20 s rebuild to delete. Deleted here where no
    such process can be started (no os.fork: Windows). Whoever finds it later, left by a deletion cut
    short, deletes it as any leftover (build._recover)."""
    try:
        started = subprocess.run([sys.executable, "-I", "-S", "-c", _REMOVE, os.fspath(folder)],
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        started = False
    if not started:
        shutil.rmtree(folder, ignore_errors=True)
