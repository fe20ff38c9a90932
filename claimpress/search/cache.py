"""The search bundles of the last build, kept so that a part whose pages did not change is not
indexed again (Pagefind has no incremental mode: a part of 3,500 pages takes it about 4 s)."""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..cache import trust
from .parts import PAGEFIND_OPTIONS, link_or_copy

SEARCH_CACHE = os.path.join(".cache", "claimpress", "search")  # under the project


def part_keys(pages: dict[str, str], parts: list[list[str]], context: str | None) -> list[str | None]:
    """For each part, a digest of what its bundle is made from: its pages (path and the digest of
    their HTML, from `pages`) and how Pagefind runs (`context`, index_context). None where the
    bundle cannot be known from the pages: no Pagefind found, or no page with data-pagefind-body
    (Pagefind then indexes every page of the site)."""
    return [hashlib.blake2b(json.dumps([context, [[p, pages[p]] for p in part]]).encode(), digest_size=16).hexdigest()
            if context is not None and part else None for part in parts]


class SearchCache:
    """The bundles of the last build's parts, each in a folder named by its key (part_keys): a
    digest of the part's pages (paths and HTML) and of how Pagefind ran (index_context). A part
    whose pages are all as they were takes its bundle from here, linked into the site. The indexer
    deletes a bundle's folder before Pagefind writes it, and the parts list is replaced, never
    rewritten, so no file the cache shares with a site is changed. Each bundle is checked against
    the list of its files' sizes and digests kept with it (a cache restored in part, by CI say, is
    not used), and that list against its MAC (claimpress/trust.py): a bundle that this machine did
    not make, put there by a pull request say, is never published. None is used where git tracks
    files under .cache/claimpress/. Only the last build's bundles are kept; safe to delete."""

    MANIFEST = "claimpress-manifest.sealed"  # the JSON list of _manifest, sealed (trust.seal)

    def __init__(self, project: str, say: Callable[[str], object] | None = None) -> None:
        self.folder = os.path.join(project, SEARCH_CACHE)
        self.usable = not trust.caches_tracked(project, say)

    def bundle(self, key: str | None) -> str | None:
        """The folder of the bundle made for `key`, if there is one, whole and made here (else it is
        removed); only to be read."""
        source = os.path.join(self.folder, key) if key else ""
        if not key or not self.usable or not os.path.isdir(source):
            return None
        try:
            with open(os.path.join(source, self.MANIFEST), "rb") as sealed:
                listed = trust.unseal(b"search " + key.encode(), sealed.read())
            whole = listed is not None and json.loads(listed) == _manifest(source)
        except (OSError, ValueError):
            whole = False
        if not whole:
            shutil.rmtree(source, ignore_errors=True)
            return None
        return source

    def fetch(self, key: str | None, bundle: str) -> bool:
        """Put the bundle made for `key` at `bundle`, if there is one, whole and made here."""
        source = self.bundle(key)
        if source is None:
            return False
        shutil.rmtree(bundle, ignore_errors=True)
        try:
            shutil.copytree(source, bundle, copy_function=link_or_copy, ignore=shutil.ignore_patterns(self.MANIFEST))
        except (OSError, shutil.Error):
            shutil.rmtree(bundle, ignore_errors=True)
            return False  # Pagefind makes it instead
        return True

    def store(self, key: str | None, bundle: str) -> None:
        """Keep the bundle just made at `bundle` for `key`. A cache that cannot be written only
        costs the next build time."""
        if not key or not self.usable or os.path.isdir(os.path.join(self.folder, key)):
            return
        try:
            os.makedirs(self.folder, exist_ok=True)
            new = tempfile.mkdtemp(prefix=".new-", dir=self.folder)
        except OSError:
            return
        try:
            shutil.copytree(bundle, new, copy_function=link_or_copy, dirs_exist_ok=True)
            with open(os.path.join(new, self.MANIFEST), "wb") as listed:
                listed.write(trust.seal(b"search " + key.encode(), json.dumps(_manifest(new)).encode()))
            os.rename(new, os.path.join(self.folder, key))  # whole, or not at all
        except (OSError, shutil.Error):
            shutil.rmtree(new, ignore_errors=True)

    def prune(self, keys: list[str | None]) -> None:
        """Remove every bundle but those of `keys` (this build's), and anything half-written."""
        if not self.usable:
            return  # files that git tracks are not the build's to delete
        with contextlib.suppress(OSError):
            for name in os.listdir(self.folder):
                if name not in keys:
                    shutil.rmtree(os.path.join(self.folder, name), ignore_errors=True)


def _manifest(folder: str) -> dict[str, list]:
    """Each file under `folder` but the manifest: its size and a digest of its bytes."""
    listed = {}
    for directory, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, folder).replace(os.sep, "/")
            if relative != SearchCache.MANIFEST:
                with open(path, "rb") as data:
                    listed[relative] = [os.fstat(data.fileno()).st_size,
                                        hashlib.file_digest(data, "sha256").hexdigest()]  # as pages.py
    return dict(sorted(listed.items()))


def index_context(project: str) -> str | None:
    """A digest of everything besides the pages that a bundle depends on: the Pagefind program
    that `python -m pagefind` runs (its bytes), its options, the settings it reads (PAGEFIND_*
    variables, a pagefind.* file where the build runs) and this package's code, which rewrites part
    of each bundle. None without Pagefind."""
    program = pagefind_program()
    if program is None:
        return None
    settings = []
    for name in ("pagefind.toml", "pagefind.yml", "pagefind.yaml", "pagefind.json"):
        with contextlib.suppress(OSError):
            with open(os.path.join(project, name), "rb") as config:
                settings.append([name, hashlib.file_digest(config, "blake2b").hexdigest()])
    code = [hashlib.blake2b(path.read_bytes()).hexdigest() for path in sorted(Path(__file__).parent.glob("*.py"))]
    return hashlib.blake2b(json.dumps([program, PAGEFIND_OPTIONS, code, settings,
                                       sorted((k, v) for k, v in os.environ.items() if k.startswith("PAGEFIND_"))])
                           .encode()).hexdigest()


@functools.cache
def pagefind_program() -> str | None:
    """A digest of the Pagefind program that `python -m pagefind` runs, or None if there is none."""
    try:
        from pagefind.service import get_executable  # Pagefind's own choice of program

        program = get_executable()
        if program is None:
            return None
        with open(program, "rb") as binary:
            return hashlib.file_digest(binary, "blake2b").hexdigest()
    except (ImportError, OSError):
        return None
