"""What `build` and the engine's plugin tell each other of the site's generated pages
(mkdocs_plugin/kept.py): a folder, named by PAGES_RECORD in the engine's environment. The build puts
in it the last site's place, its pages that may be taken (each with its source and sitemap date),
the pages of docs/ changed since, and what the navigation showed of its pages' front matter
(PREVIOUS); the plugin puts this build's pages, the ones it took and what the navigation showed
(THIS). Plain CBOR; the build keeps it sealed (cache.SiteStamp) and writes PREVIOUS from that alone.
No MkDocs here: the build imports it."""
from __future__ import annotations

import os
from typing import NamedTuple

import cbor2

PAGES_RECORD = "CLAIMPRESS_PAGES_RECORD"
PREVIOUS, THIS = "previous.cbor", "this.cbor"

Pages = dict[str, list]  # a page's path in the site -> [its source's path in docs/, its sitemap date]
NavViews = dict[str, str]  # a page of the navigation's source -> what the navigation shows of its front matter


class Previous(NamedTuple):
    site: str                # the last site
    pages: Pages             # its pages that may be taken
    changed: frozenset[str]  # paths in docs/ of the files changed, added or removed since
    nav: NavViews = {}       # the last build's, of each page of the navigation (kept.nav_view)


def give_previous(folder: str, previous: Previous) -> None:
    with open(os.path.join(folder, PREVIOUS), "wb") as handle:
        cbor2.dump({"site": previous.site, "pages": previous.pages, "changed": sorted(previous.changed),
                    "nav": previous.nav}, handle)


def read_previous(folder: str) -> Previous | None:
    """What the build gave; None if it gave nothing (or not in this form)."""
    given = _read(os.path.join(folder, PREVIOUS))
    if isinstance(given, dict) and isinstance(given.get("site"), str) and _pages(given.get("pages")) \
            and _paths(given.get("changed")) and _views(given.get("nav")):
        return Previous(given["site"], given["pages"], frozenset(given["changed"]), given["nav"])
    return None


def give_this(folder: str, pages: Pages, taken: list[str], nav: NavViews) -> None:
    """OSError if it cannot be written."""
    with open(os.path.join(folder, THIS), "wb") as handle:
        cbor2.dump({"pages": pages, "taken": taken, "nav": nav}, handle)


def read_this(folder: str) -> tuple[Pages, list[str], NavViews]:
    """This build's pages, those taken and what the navigation showed; none if the engine gave none
    (a plugin switched off)."""
    given = _read(os.path.join(folder, THIS))
    if isinstance(given, dict) and _pages(given.get("pages")) and _paths(given.get("taken")) \
            and _views(given.get("nav")):
        return given["pages"], given["taken"], given["nav"]
    return {}, [], {}


def _read(path: str) -> object:
    try:
        with open(path, "rb") as handle:
            return cbor2.load(handle)
    except (OSError, cbor2.CBORError, ValueError, TypeError):
        return None


def _pages(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, list) and len(v) == 2 and isinstance(v[0], str)
        and (v[1] is None or isinstance(v[1], str)) for k, v in value.items())


def _views(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def _paths(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(path, str) for path in value)
