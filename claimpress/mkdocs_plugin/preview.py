"""What the preview (`mkdocs serve --dirty`, which build_claims.py serve runs) needs of a build.

A dirty build rebuilds only the pages whose Markdown changed: a saved claim costs a few pages, not
all 10,000. What it would get wrong is put right here: pages in the navigation and the hand-written
pages are always rebuilt (they show the navigation; the hand-written ones include generated
snippets), the pages of claims that are gone are removed, and a page saved during a rebuild waits
for the next one. And Python's cycle collector is off while the preview rebuilds (IdleCollector).
These reach into MkDocs' File (is_modified) and the dates of the files it wrote: that is what a
dirty build decides by.
"""
from __future__ import annotations

import contextlib
import gc
import logging
import os
import threading
from typing import Any

DIRTY_WARNING = "A 'dirty' build is being performed"


def not_the_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns that a dirty build may leave the navigation and links stale, and the site's
    `strict: true` would make that warning fail every rebuild; what it warns of is put right here."""
    return not record.getMessage().startswith(DIRTY_WARNING)


def rebuild_always(files: Any, in_nav: set[str]) -> None:
    """A dirty build skips a page whose output is newer than its source. Pages in the navigation
    show it, and the hand-written pages (at the top of docs/) include generated snippets: their
    output is made older, so they are always rebuilt. They are a dozen."""
    for file in files.documentation_pages():
        if (file.src_uri in in_nav or "/" not in file.src_uri) and os.path.exists(file.abs_dest_path):
            os.utime(file.abs_dest_path, (0, 0))


def decide_once(file: Any) -> None:
    """A dirty build asks twice whether a page changed: when it reads the pages, and when it writes
    them. A page that claimpress rewrites in between (a save while the preview rebuilds, seconds at
    50,000 claims) would not be read but would be written, with no content: the rebuild fails. The
    first answer stands for the whole build; the next rebuild takes the page."""
    answer: list[bool] = []

    def is_modified() -> bool:
        if not answer:
            answer.append(type(file).is_modified(file))
        return answer[0]
    file.is_modified = is_modified


def remove_gone_files(files: Any, built_before: set[str]) -> None:
    """In a dirty rebuild: remove what the last build wrote for sources that are gone (a claim
    deleted or renamed while serving), which MkDocs would leave in the preview and in its search.
    `built_before` is updated to what this build writes."""
    now = {file.abs_dest_path for file in files}
    for path in sorted(built_before - now):
        if os.path.isfile(path):
            os.remove(path)
            with contextlib.suppress(OSError):  # stops at the first folder that is not empty
                os.removedirs(os.path.dirname(path))
    built_before.clear()
    built_before.update(now)


class IdleCollector:
    """Python's cycle collector in the preview: off while MkDocs rebuilds, run once when idle.

    Each rebuild leaves the pages and files of the last one as garbage in reference cycles (a File
    and its Page name each other): about 470,000 objects at 50,000 claims. Left to itself, the
    collector passed over the whole heap four or five times in each rebuild, 0.7-1.2 s of a
    3.5-4 s rebuild, measured with gc.callbacks. So it is off from the start of a build until
    `delay` seconds after its end, when the browser has its new page; the garbage is then
    collected in one pass (0.45 s at 50,000 claims) and the collector turned on again, or, if the
    next build comes first (a saved claim's page lands, then its lists), at the start of that
    build. Not turned on at the end of the build itself: the objects the build made still count
    as new, and the next few allocations would set off the collector's passes at once, up to a
    full one, before the browser reloads."""

    def __init__(self, delay: float = 1.0) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.pending = False  # garbage of a finished build, not yet collected
        self.timer: threading.Timer | None = None

    def pause(self) -> None:
        """At the start of a build: collect what the last build left, if not done yet, then stop collecting."""
        if self.timer is not None:
            self.timer.cancel()
        with self.lock:  # waits for a collection that the timer started
            if self.pending:
                gc.collect()
                self.pending = False
            gc.disable()

    def resume(self) -> None:
        """At the end of a build, or when it failed: collect in `delay` seconds, in one pass.
        (Called twice for one build when a strict build fails after on_post_build: one timer.)"""
        if self.timer is not None:
            self.timer.cancel()
        with self.lock:
            self.pending = True
        self.timer = threading.Timer(self.delay, self.collect)
        self.timer.daemon = True
        self.timer.start()

    def collect(self) -> None:
        """Collect what the last build left, then turn the collector on: unless a build has
        started meanwhile (it collected, and keeps the collector off)."""
        with self.lock:
            if self.pending:
                gc.collect()
                self.pending = False
                gc.enable()

    def stop(self) -> None:
        """When the preview ends: the collector on, as it was."""
        if self.timer is not None:
            self.timer.cancel()
        with self.lock:
            self.pending = False
            gc.enable()
