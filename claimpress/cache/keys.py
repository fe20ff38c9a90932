"""What every cache is keyed by: the code and libraries that made an entry, a file's signature, digests;
and whether a project's caches may be used at all."""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import cbor2

from ..write import files_below
from . import trust

PACKAGE = Path(__file__).parent.parent  # claimpress/


@lru_cache(maxsize=1)
def code_version() -> str:
    digest = hashlib.blake2b(digest_size=12)
    for path in sorted([*PACKAGE.rglob("*.py"), *(PACKAGE / "schema").glob("*.json")]):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


# A file changed in the last seconds may change again within the file system's timestamp
# granularity without its signature changing (git's "racily clean" case): such a signature is not
# trusted, and the file is read next time.
RACY_NS = 2_000_000_000


# What checks and renders the pages besides claimpress' own code (code_version): a new version of
# one may change a page, so each is part of what a build read (an nh3 fix must reach every analysis).
CONVERTERS = ("cmarkgfm", "nh3")  # an analysis' HTML depends on these (the analyses' cache key)
RENDERING_LIBRARIES = ("Jinja2", "MarkupSafe", *CONVERTERS, "pycountry", "babel")  # babel: other languages' dates
CHECKING_LIBRARIES = ("PyYAML", "fastjsonschema", "jsonschema")


def library_versions(names: Iterable[str]) -> str:
    """The installed version of each library (a part of cache keys); "none" for one not installed
    (ProperDocs' and MkDocs' sites, say, each without the other)."""
    return " ".join(f"{name}=={_installed(name)}" for name in names)


def _installed(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "none"


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


def document_key(name: str, content: str) -> str:
    return digest(name.encode("utf-8", "surrogatepass"), content.encode())


def encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def signature(status: os.stat_result) -> tuple[int, int, int, int]:
    """What tells that a file changed without reading it: size, times of its last change and of its
    last status change, and inode (git's own test for a clean file, with the racy case: RACY_NS)."""
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


def file_signature(path: Path | str) -> tuple | None:
    try:
        return signature(os.stat(path))
    except OSError:
        return None


def tree(folder: Path) -> list[tuple[str, tuple | None]]:
    """(path relative to `folder`, signature) of every file below it."""
    return sorted((rel, signature(entry.stat())) for rel, entry in files_below(str(folder)))
