"""The preview hears of changes in docs/ from the kernel, not by MkDocs' polling.

`mkdocs serve` polls every file it watches twice a second (it chose polling for Docker and network
mounts: mkdocs/mkdocs#2477). With 50,000 pages in docs/ that kept half a core busy while the preview
sat idle, and a rebuild shared the interpreter with it. The plugin's `native_watch: false` keeps
MkDocs' polling. This reaches into MkDocs' LiveReloadServer (its observer and `_watched_paths`, as
in MkDocs 1.6): where they are not as expected, MkDocs keeps polling.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..machine import watch_by_polling


def watch_docs_natively(server: Any, docs: str, say: Callable[[str], object]) -> None:
    """`mkdocs serve` polls every file it watches twice a second (it chose polling for Docker and
    network mounts: mkdocs/mkdocs#2477). With 50,000 pages in docs/ that kept half a core busy
    while the preview sat idle, and a rebuild shared the interpreter with it. Here, on Linux, docs/
    is watched by the kernel's notifications instead (inotify, through watchdog), which cost
    nothing while nothing changes; mkdocs.yml and anything else stay polled. Where inotify cannot
    start (its limits reached), or CLAIMPRESS_POLL is set (a network drive, or a Windows drive
    under WSL2, where edits made from the other side send no notification), MkDocs keeps polling."""
    watched = getattr(server, "_watched_paths", {})  # MkDocs 1.6: path -> how many asked to watch it
    native = _NativeDocsWatch.native_class()
    if watched.get(docs) != 1 or watch_by_polling() or native is None:
        return
    polling = server.observer
    server.unwatch(docs)
    watchers: _NativeDocsWatch | None = None
    try:
        watchers = server.observer = _NativeDocsWatch(polling, docs, native)
        server.watch(docs)
        watchers.native.start()
    except Exception as exc:  # noqa: BLE001 - any failure to watch natively leaves MkDocs' polling
        say(f"claimpress: watching {docs} by polling, as MkDocs does (notifications unavailable: {exc})")
        if watchers is not None:
            watchers.native.stop()  # closes what it opened
        server.observer = polling
        server._watched_paths.pop(docs, None)
        server._watch_refs.pop(docs, None)
        server.watch(docs)


class _NativeDocsWatch:
    """Stands in for MkDocs' observer (LiveReloadServer.observer): the docs folder goes to watchdog's
    inotify observer, everything else to MkDocs' own polling one."""

    def __init__(self, polling: Any, docs: str, native: type) -> None:
        self.polling, self.docs = polling, docs
        self.native = native()  # opens an inotify instance: may fail
        self.natively: set[Any] = set()  # the watches scheduled on self.native

    @staticmethod
    def native_class() -> type | None:
        """watchdog's inotify observer on Linux; None elsewhere (the only one tested here: kqueue would
        hold a file open for each of 50,000 pages, and Windows reports reads as changes)."""
        try:
            from watchdog.observers.inotify import InotifyObserver
        except (ImportError, OSError):
            return None
        return InotifyObserver

    def schedule(self, handler: Any, path: str, *, recursive: bool = False) -> Any:
        if path != self.docs:
            return self.polling.schedule(handler, path, recursive=recursive)
        from watchdog import events
        # Changes only: MkDocs counts any event as one, and a build opens and reads every page.
        changes = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileMovedEvent,
                   events.FileDeletedEvent, events.FileAttribEvent, events.DirCreatedEvent,
                   events.DirMovedEvent, events.DirDeletedEvent]
        watch = self.native.schedule(handler, path, recursive=recursive, event_filter=changes,
                                     follow_symlink=True)  # as polling follows a linked folder
        self.natively.add(watch)
        return watch

    def unschedule(self, watch: Any) -> None:
        if watch in self.natively:
            self.natively.discard(watch)
            self.native.unschedule(watch)
        else:
            self.polling.unschedule(watch)

    def start(self) -> None:  # on_serve has started the native one, to see that it can
        if not self.native.is_alive():
            self.native.start()
        self.polling.start()

    def stop(self) -> None:
        self.native.stop()
        self.polling.stop()

    def join(self, timeout: float | None = None) -> None:
        self.native.join(timeout)
        self.polling.join(timeout)
