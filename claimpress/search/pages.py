"""Which pages of a site Pagefind indexes: those with an element that has data-pagefind-body
(Pagefind's own rule), each known by a digest of its HTML, which keys its part's bundle."""
from __future__ import annotations

import hashlib
import os
import re

# The attribute in a tag, not in text, in a page's bytes (UTF-8): the preview's pages come as text,
# the build's as files, and one pattern over the bytes gives both the same answer.
_PAGEFIND_BODY = re.compile(rb"<[a-zA-Z][^<>]*\sdata-pagefind-body[\s=>]")
# MkDocs' page for addresses that do not exist: not a page a reader searches for (nor a page MkDocs
# lists among the documentation's). Pagefind run over a whole site of one part still finds it.
NOT_SEARCHED = frozenset({"404.html"})


def is_searchable(html: str) -> bool:
    """Whether a tag of `html` has the data-pagefind-body attribute (not just the words in the text)."""
    return _searchable(html.encode("utf-8", "surrogatepass"))


def _searchable(data: bytes) -> bool:
    """is_searchable of a page's bytes."""
    first = data.find(b"data-pagefind-body")  # 5 µs; the pattern over a whole page is 80
    # A tag with the attribute starts at the last "<" before an occurrence of it, so the pattern
    # need not look at the 14 KB of the theme's header before the first.
    return first >= 0 and bool(_PAGEFIND_BODY.search(data, max(0, data.rfind(b"<", 0, first))))


def search_digest(html: str) -> str | None:
    """A digest of a page that Pagefind indexes (part of its part's key), None for any other page."""
    data = html.encode("utf-8", "surrogatepass")
    return _digest(data) if _searchable(data) else None


def _digest(data: bytes) -> str:
    # SHA-256, which processors compute (SHA extensions): 17 µs for a claim page of 30 KB, BLAKE2b 40.
    return hashlib.sha256(data).hexdigest()[:32]


def file_digest(path: str) -> str | None:
    """search_digest of the page in a file (of its bytes: a hand-made page may not be UTF-8); None if
    it cannot be read."""
    try:
        with open(path, "rb") as page:
            data = page.read()
    except OSError:
        return None
    return _digest(data) if _searchable(data) else None


def searchable_pages(site: str) -> dict[str, str]:
    """Every page of the site at `site` that Pagefind indexes (its path in the site, with "/") with a
    digest of its HTML: any engine's output. Only .html files (Pagefind's glob leaves .htm out), not
    in Pagefind's own bundles."""
    paths: dict[str, str] = {}
    folders = [""]
    while folders:
        folder = folders.pop()
        with os.scandir(os.path.join(site, folder)) as entries:
            for entry in entries:
                path = f"{folder}/{entry.name}" if folder else entry.name
                if entry.is_dir(follow_symlinks=False):
                    if not (folder == "" and entry.name.startswith(("pagefind", "."))):
                        folders.append(path)
                elif entry.name.endswith(".html") and path not in NOT_SEARCHED:
                    paths[path] = entry.path
    return {path: digest for path in sorted(paths) if (digest := file_digest(paths[path])) is not None}
