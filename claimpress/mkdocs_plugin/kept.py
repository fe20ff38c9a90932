"""In `build`, a generated page whose source did not change is taken from the last site (a hard
link): MkDocs neither reads, renders nor writes it.

After one claim is edited, a few dozen of 10,000 generated pages change, and MkDocs' work on the
others was all of its time. A generated page outside the navigation is finished HTML in the theme's
layout (finished.py, shells.py), which depends on the page's own source and folder, and on what
every page shares: mkdocs.yml, the theme and its overrides, the catalogues, the navigation, the
code and libraries. `build_claims.py build` hands the plugin the last site only when it is as the
last build left it and nothing but the generation's files in docs/ changed since
(cache.SiteStamp.kept_pages), with the pages of docs/ that changed (pages_record.py). Then, if the
navigation shows what it showed (below), each page that the last build made from the same source,
outside the navigation and in the theme's shared layout, is linked from the last site, and MkDocs,
run with --dirty into a new folder, skips it as up to date. Its sitemap date is the last build's
where its front matter gave one, else the day of this build, as when made.
What the navigation shows of a page in it is its title, its address and three keys of its front
matter (NAV_META). A page of it that changed may change what it shows only where its title is its
own (none in mkdocs.yml's nav: its first heading) or its front matter's keys changed: then nothing
is taken. A new claim changes All claims (its count), which the navigation shows as before.
Off where another plugin takes part in a page's making (a page event), or where the link fails.
"""
from __future__ import annotations

import json
import os
import stat
from typing import Any

from ..pages_record import PAGES_RECORD, NavViews, Pages, give_this, read_previous

PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content", "page_context", "post_page")
# What the theme's navigation shows of a page's front matter (mkdocs-material 9.8's partials/nav-item.html
# reads meta.icon, meta.subtitle, meta.status); compare on upgrades.
NAV_META = ("icon", "subtitle", "status")


def nav_view(meta: Any) -> str:
    """What the navigation shows of a page's front matter, as text to compare."""
    shown = {key: meta[key] for key in NAV_META if key in meta} if isinstance(meta, dict) else {}
    return json.dumps(shown, sort_keys=True, default=str)


def _unchanged() -> bool:
    return False


class KeptPages:
    """The pages taken from the last site in this build, and this build's record for the next."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        previous = read_previous(folder)  # none: every page is written
        self.previous_site: str | None = previous.site if previous else None
        self.previous: Pages = previous.pages if previous else {}
        self.changed: frozenset[str] = previous.changed if previous else frozenset()
        self.previous_nav: NavViews = previous.nav if previous else {}
        self.pages: Pages = {}               # this build's: path in the site -> [source, sitemap date]
        self.taken: dict[str, Any] = {}      # path in the site -> the file taken
        self.nav: NavViews = {}              # this build's: source of a page of the navigation -> nav_view

    def take(self, files: Any, in_nav: set[str], titled: set[str]) -> None:
        """Link each page that may be taken from the last site into this one, and tell MkDocs it is
        up to date. Nothing if the navigation, which every page shows, may show another thing for a
        page of it that changed: one whose title is not its own in the navigation (`titled`), or
        whose front matter's NAV_META changed."""
        if self.previous_site is None or not self._navigation_as_before(files, in_nav & self.changed, titled):
            return
        for file in files.documentation_pages():
            was = self.previous.get(file.dest_uri)
            if was is None or was[0] != file.src_uri or file.src_uri in self.changed or file.src_uri in in_nav:
                continue
            source, target = os.path.join(self.previous_site, file.dest_uri), file.abs_dest_path
            try:
                if not stat.S_ISREG(os.lstat(source).st_mode):  # a file, never what a link points to
                    continue
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.link(source, target, follow_symlinks=False)
            except FileNotFoundError:  # gone from the last site: made
                continue
            except OSError:  # another file system, say: this page and the rest are made
                return
            file.is_modified = _unchanged  # MkDocs' --dirty: neither read nor written again
            self.taken[file.dest_uri] = file
            self.pages[file.dest_uri] = was

    def _navigation_as_before(self, files: Any, changed: set[str], titled: set[str]) -> bool:
        from mkdocs.utils.meta import get_data  # how MkDocs reads front matter

        for src in changed:
            file = files.get_file_from_path(src)
            if src not in titled or file is None:
                return False
            try:
                meta = get_data(file.content_string)[1]  # as MkDocs will read it (Page.read_source)
            except (OSError, ValueError):
                return False
            if nav_view(meta) != self.previous_nav.get(src):
                return False
        return True

    def in_navigation(self, page: Any) -> None:
        """A page of the navigation, made this build (never taken): what the navigation shows of it."""
        self.nav[page.file.src_uri] = nav_view(page.meta)

    def date(self) -> None:
        """The sitemap date of each page taken, where its source gave one (finished.lastmod read it
        there, and MkDocs does not read the source this time); else the day of this build, as made."""
        for dest, file in self.taken.items():
            if file.page is not None and isinstance(self.pages[dest][1], str):
                file.page.update_date = self.pages[dest][1]

    def made(self, page: Any) -> None:
        """A page made in the theme's shared layout this build: one the next may take."""
        lastmod = str(page.update_date) if getattr(page, "claimpress_lastmod", False) else None  # else the build's day
        self.pages[page.file.dest_uri] = [page.file.src_uri, lastmod]

    def save(self) -> None:
        """This build's record, and the pages taken, for `build_claims.py build` (which seals it)."""
        give_this(self.folder, self.pages, sorted(self.taken), self.nav)


def kept_pages(config: Any, plugin: Any) -> KeptPages | None:
    """The pages to take from the last site in this build, if `build_claims.py build` gave a record
    and no plugin but `plugin` (claimpress') takes part in the making of a page."""
    folder = os.environ.get(PAGES_RECORD)
    if not folder:
        return None
    events = config["plugins"].events
    if any(getattr(method, "__self__", None) is not plugin for name in PAGE_EVENTS for method in events[name]):
        return None
    return KeptPages(folder)
