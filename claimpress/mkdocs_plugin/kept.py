"""In `build`, a generated page that comes out as it did in the last build is taken from the last
site (a hard link), not filled in and written again.

After one claim is edited, all but a few dozen of 10,000 pages are the same bytes as before, and
MkDocs' filling in and writing them was a third of its time. A page filled in from a shell
(shells.py) is exactly its shell's text with its own values put in, so the two decide the page:
its key is a digest of both and of its address. `build_claims.py build` hands the plugin the last
site and the keys of its pages (pages_record.py), only when that site is as the last build
left it and nothing but generated pages changed since (cache.SiteStamp.kept_pages); the plugin
hands back this build's keys, and which pages it took, for the next. Pages rendered in full (in
the navigation, or of a kind without a shell) are always rendered. Off where another plugin
changes pages after they are rendered (a `post_page` event), or before, with what the theme is
given (`page_context`): their bytes are not the shell's.
"""
from __future__ import annotations

import hashlib
import logging
import os
import stat
from typing import Any

import cbor2

from ..pages_record import PAGES_RECORD, give_this, read_previous

KEY_SIZE = 16


class KeptPages:
    """This build's keys of the pages filled in from shells, and the pages taken from the last site."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        previous = read_previous(folder)  # none: every page is written
        self.previous_site: str | None = previous[0] if previous else None
        self.previous: dict[str, bytes] = previous[1] if previous else {}
        self.keys: dict[str, bytes] = {}
        self.taken: set[str] = set()        # pages' paths in the site
        self.taken_sources: set[str] = set()  # the same pages' paths in docs/, for the log filter
        self.linking = self.previous_site is not None

    @staticmethod
    def shell_digest(parts: list[str]) -> bytes:
        return hashlib.sha256(cbor2.dumps(parts)).digest()

    def keep(self, page: Any, shell: bytes, values: dict[str, str], content: bytes) -> bool:
        """Record the page's key, of its shell's digest, its values and its content's digest
        (`values`' content is not read: it may be a stand-in, finished.waiting); True if its file was
        taken from the last site, where it had the same key: then nothing is to be written for it."""
        dest = page.file.dest_uri
        own = sorted((name, value) for name, value in values.items() if name != "content")
        key = hashlib.sha256(cbor2.dumps([shell, dest, own, content])).digest()[:KEY_SIZE]
        self.keys[dest] = key
        if not self.linking or self.previous_site is None or self.previous.get(dest) != key:
            return False
        source, target = os.path.join(self.previous_site, dest), page.file.abs_dest_path
        try:
            if not stat.S_ISREG(os.lstat(source).st_mode):  # a file, never what a link points to
                return False
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.link(source, target, follow_symlinks=False)
        except FileExistsError:
            return False
        except OSError:  # another file system, or none there: write the pages from now on
            self.linking = False
            return False
        self.taken.add(dest)
        self.taken_sources.add(page.file.src_uri)
        return True

    def save(self) -> None:
        """This build's keys, and the pages taken, for `build_claims.py build` (which seals them)."""
        give_this(self.folder, self.keys, sorted(self.taken))

    def not_the_skipped_page(self, record: logging.LogRecord) -> bool:
        """MkDocs tells of each page with empty output that it skipped it: a page taken is not news."""
        message = record.getMessage()
        if not message.startswith("Page skipped: '"):
            return True
        return message[len("Page skipped: '"):].partition("'")[0] not in self.taken_sources


def kept_pages(config: Any, plugin: Any) -> KeptPages | None:
    """The pages to take from the last site in this build, if `build_claims.py build` gave a record
    and no plugin but `plugin` (claimpress') changes what the theme is given or what it made."""
    folder = os.environ.get(PAGES_RECORD)
    if not folder:
        return None
    events = config["plugins"].events
    if any(getattr(method, "__self__", None) is not plugin for method in events["page_context"] + events["post_page"]):
        return None
    return KeptPages(folder)
