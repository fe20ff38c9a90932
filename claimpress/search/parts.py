"""How a site's pages are split into parts and Pagefind is run over each.

Pagefind holds every page it indexes in memory, about 0.4 MB a page of real-looking text (3.6 GiB
at 10,000 claims), so a site with more searchable pages than `pages_per_search_index` is indexed in
parts, each into its own bundle outside the site's pagefind/, which the build then merges into the
one bundle the search page loads (merge.py).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sys
from collections.abc import Iterable
from typing import NamedTuple

# The "¶" permalinks that MkDocs puts in headings would end every hand-written page's title.
PAGEFIND_OPTIONS = ("--silent", "--exclude-selectors", ".headerlink")
BYTES_PER_INDEXED_PAGE = 400_000  # what a Pagefind run holds a page of real-looking text (measured: 0.38 MB)


def search_parts(searchable: Iterable[str], per_index: int) -> list[list[str]]:
    """The pages to index (their paths in the site) in as few parts of at most about `per_index`
    as can hold them, an even number when more than one, each sorted. Even: the build indexes two
    parts at once on two cores, and an odd part out would run alone on about one and a half (over
    10,000 claim pages, 3 parts took 14.6-15.3 s, 2, 4 or 6 parts 12.9-13.9 s, runs alternating).
    Only pages with data-pagefind-body: Pagefind indexes every page of a run that has none. A
    page's part is chosen by a digest of its path, so that a page stays in its part when claims are
    added or removed, as long as the number of parts is the same: the parts whose pages did not
    change keep their index (the search cache), and are merged again as they are (merge.py). Parts
    then differ in size by a few percent (pages are dealt at random); a part that would be empty is
    left out."""
    pages = sorted(searchable)
    count = max(1, -(-len(pages) // per_index))  # rounded up
    if count == 1:
        return [pages]
    count += count % 2
    parts: list[list[str]] = [[] for _ in range(count)]
    for page in pages:
        parts[int.from_bytes(hashlib.blake2b(page.encode(), digest_size=8).digest(), "big") % count].append(page)
    return [part for part in parts if part]


def search_index_jobs(parts: list[list[str]], cores: int, available: int | None) -> int:
    """How many parts Pagefind indexes at once: one a core, as many as fit in the memory `available`
    (bytes) now, at least one; one at a time where the memory available is not known. A run alone
    keeps about one and a half cores busy; two at once on two cores take 0.7 of the time of one
    after the other (two parts of 3,334 claim pages: 10 s, not 14 s)."""
    largest = max((len(part) for part in parts), default=0)
    if len(parts) < 2 or available is None:
        return 1
    return max(1, min(cores, len(parts), available // max(1, largest * BYTES_PER_INDEXED_PAGE)))


BUNDLE = "pagefind"  # the site's search bundle, which the search page loads


class PagefindRun(NamedTuple):
    """One run of Pagefind: over the whole site, or over one part's pages linked into a folder."""
    command: list[str]
    site: str
    pages: list[str]  # the part's pages (paths in the site); none for the whole site
    folder: str | None  # where they are linked, at the same paths
    output: str = ""  # the bundle it writes

    def prepare(self) -> None:
        """Link the part's pages into its folder: hard links, or copies where the file system has
        none. Pagefind takes a page's address from its path under the folder: the same as in the site."""
        if not self.pages:
            return
        assert self.folder is not None  # pagefind_runs gives each part a folder
        for page in self.pages:
            target = os.path.join(self.folder, page)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            link_or_copy(os.path.join(self.site, page), target)


def link_or_copy(source: str, target: str) -> None:
    """A hard link, or a copy where the file system has none (or they are on two)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def pagefind_runs(site: str, parts: list[list[str]], workdir: str | None, bundles: str | None) -> list[PagefindRun]:
    """The runs of Pagefind that index `parts` of the site at `site` (an absolute path). One part is
    the whole site, as Pagefind finds it, indexed into the site's pagefind/; each of several parts
    is a folder of `workdir` with its pages, indexed into its own folder of `bundles` (which
    merge.py merges). (A glob of the part's pages, Pagefind's other way to be given some pages, is
    refused by Pagefind above about 200 KB: 3,000 long names.)"""
    command = [sys.executable, "-m", "pagefind", *PAGEFIND_OPTIONS, "--site"]
    if len(parts) == 1:
        return [PagefindRun([*command, site], site, [], None, os.path.join(site, BUNDLE))]
    assert workdir is not None and bundles is not None
    return [PagefindRun([*command, os.path.join(workdir, str(n)), "--output-path", os.path.join(bundles, str(n))],
                        site, pages, os.path.join(workdir, str(n)), os.path.join(bundles, str(n)))
            for n, pages in enumerate(parts)]


def low_priority(command: list[str]) -> list[str]:
    """`command`, run at the lowest priority where `nice` exists. The preview's search index is
    background work: at 50,000 claims Pagefind takes both cores for a minute, and the next save's
    generation and rebuild must not wait for it."""
    nice = shutil.which("nice")
    return [nice, "-n", "19", *command] if nice else command
