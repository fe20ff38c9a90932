"""MkDocs hooks (mkdocs.yml `hooks:`): where claimpress changes how MkDocs builds, and why.

1. Generated pages arrive as finished HTML. build_claims.py writes every claim, facet and index
   page as HTML (escaped by Jinja, analyses cleaned by nh3) inside a Markdown file, with
   `claimpress: html` in its front matter. Python-Markdown would only re-parse that HTML to hand
   it back unchanged (half of MkDocs' time), so these pages skip the Markdown step.
2. The theme's layout is rendered once per folder for generated pages outside the navigation
   (`Shells`): around 10,000 claim pages it is the same but for a few values (title, description,
   address, content), and rendering it for each page was nine tenths of MkDocs' time.
3. Search is Pagefind: after the build it indexes the HTML into site/pagefind/, a static index in
   small chunks, so a reader downloads only the part a query needs (the theme's own search index
   is one file that holds every page: 57 MB at 10,000 claims). In `build` the build waits for
   it; in `serve` it runs beside the preview, which reloads without waiting for the index.
   Pagefind holds every page it indexes in memory (about 0.4 MB a page of real-looking text), so
   a large site is indexed in parts of about `pages_per_search_index` pages, each into its own
   bundle (pagefind/, pagefind-2/, ...), which the search page merges. `build` indexes as many
   parts at once as there are cores and memory for them (search_index_jobs); the preview, one at
   a time, at low priority.
4. The preview (`build_claims.py serve`) runs `mkdocs serve --dirty`, which rebuilds only the
   pages whose Markdown changed: a saved claim costs a few pages, not all 10,000. Two things a
   dirty build would get wrong are put right here: pages in the navigation are always rebuilt
   (they show the navigation, and the hand-written ones include generated snippets), and the
   pages of claims that are gone are removed from the preview. A page saved during a rebuild waits
   for the next one (_decide_once). SIGTERM and SIGHUP stop `mkdocs serve` as Ctrl-C does, so
   that it deletes the site it built in a temporary folder (_stop_serving_as_ctrl_c).
5. The preview hears of changes in docs/ from the kernel (inotify), not by MkDocs' polling of
   every file twice a second: half a core, all the time, at 50,000 claims (on_serve). Python's
   cycle collector is off while the preview rebuilds, and collects what the last rebuild left
   when the preview is idle (IdleCollector).
6. The sitemap is split into files of at most 50,000 addresses and 50 MB, the protocol's limits,
   with sitemap.xml their index (split_sitemap), past 50,000 pages.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import gc
import gzip
import hashlib
import json
import logging
import os
import posixpath
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any, Callable, Iterable, NamedTuple
from xml.sax.saxutils import escape

import jinja2
from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.toc import get_toc

try:
    from . import machine, search_bundle, trust
except ImportError:  # MkDocs loads this file by its path, outside the package: so are the two beside it
    import importlib.util

    def _sibling(name: str) -> Any:
        spec = importlib.util.spec_from_file_location(f"_claimpress_{name}",
                                                      os.path.join(os.path.dirname(__file__), f"{name}.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    machine, search_bundle, trust = _sibling("machine"), _sibling("search_bundle"), _sibling("trust")
memory_available, usable_cores = machine.memory_available, machine.usable_cores

log = logging.getLogger("mkdocs.claimpress")

SHELL_TEMPLATE = "claimpress/shell.html"  # overrides/claimpress/shell.html: {{ cp_shell() }}
_IN_NAV: set[str] = set()  # source paths of the pages in the navigation, for this build
_shells: Shells | None = None  # this build's, for its summary
# MkDocs loads this module once a process, so these last across the rebuilds of one `serve`.
_startup = {"command": "build", "dirty": False}
_indexer: BackgroundIndex | None = None  # Pagefind, running beside the preview
_indexed: dict[str, str] = {}  # in `serve`: bundle folder -> the key (part_keys) of the part Pagefind made there
# Page's path in the site -> a digest of its HTML when Pagefind indexes it (data-pagefind-body), else None.
_searchable: dict[str, str | None] = {}
_pages: dict[str, str] = {}  # this build's pages: path in the site -> file written
_static_pages: dict[str, str] = {}  # .html files copied from docs/ as they are: path in the site -> file
_PAGEFIND_BODY = re.compile(r"<[a-zA-Z][^<>]*\sdata-pagefind-body[\s=>]")  # the attribute in a tag, not in text
PAGES_PER_SEARCH_INDEX = 5000  # the default: about 2 GB of memory for Pagefind
_built_before: set[str] = set()  # in a dirty `serve`: what the last build wrote


def _is_html(page: Any) -> bool:
    return bool(page.meta) and page.meta.get("claimpress") == "html"


def _render_finished_html(page: Any, config: Any, files: Any) -> None:
    """Stands in for Page.render on a generated page: its Markdown source is already the HTML."""
    page.content = page.markdown
    page.toc = get_toc([])
    page.present_anchor_ids = set()


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if _is_html(page):
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", str(page.meta.get("updated", ""))):
            # The sitemap's lastmod: when what the page shows last changed, not the day of the build.
            # Taken out of the meta, which keys the shared layouts (Shells): it does not change them.
            page.update_date = str(page.meta.pop("updated"))
        page.render = functools.partial(_render_finished_html, page)  # this page only
        if page.file.src_uri not in _IN_NAV and "template" not in page.meta and os.environ.get("CLAIMPRESS_FULL_PAGES") != "1":
            page.meta["template"] = SHELL_TEMPLATE
    return markdown


_SNIPPET = re.compile(r"<!-- claimpress:snippet ([a-z]+) -->")  # render.snippet_placeholder


def on_page_content(html: str, page: Any, config: Any, **_: Any) -> str:
    """Put each generated snippet's HTML where the page included its placeholder, after Markdown: the
    generated HTML holds claim and registry text, which must never be read as Markdown."""
    if _is_html(page) or "claimpress:snippet" not in html:
        return html

    def fragment(match: re.Match) -> str:
        path = os.path.join(config["docs_dir"], "_snippets", f"{match.group(1)}.html")
        try:
            with open(path, encoding="utf-8") as handle:
                return handle.read().rstrip("\n")  # as Markdown left a raw HTML block
        except OSError as exc:
            raise PluginError(f"{page.file.src_uri} includes the snippet '{match.group(1)}', which "
                              f"build_claims.py did not generate ({exc.strerror})") from None

    return _SNIPPET.sub(fragment, html)


class _PageWith:
    """A page that answers with other values for some attributes and meta keys; the real page otherwise."""

    def __init__(self, page: Any, values: dict[str, Any], meta: dict[str, Any]) -> None:
        self.__dict__.update(values)
        self.meta = meta
        self._page = page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)


class Shells:
    """The theme's page, rendered once per kind of generated page with holes for the page's own values.

    A generated page outside the navigation has no table of contents, no neighbours and no active
    navigation item; what the theme makes of it depends only on its folder (relative links), its
    front matter and a few values that the templates print as they are: title, description,
    address, canonical address, edit address and content. So the layout is rendered once with a
    unique word in place of each value (a shell), and each page is the shell with its values put
    in. Before a shell is used it is checked: a page with awkward values (quotes, ampersands, tags,
    "edit"/"blob" in addresses) is rendered in full and must come out the same as the filled shell;
    if a template transforms or tests a value (a theme upgrade might), that kind of page is
    rendered in full every time. CLAIMPRESS_FULL_PAGES=1 turns shells off (the tests compare).
    """

    ATTRIBUTES = ("title", "content", "url", "canonical_url", "edit_url")
    META = ("title", "description")

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.nonce = secrets.token_hex(6)  # a word no page contains
        self.shells: dict[tuple, list[str] | None] = {}  # None: this kind of page is rendered in full
        self.seen: set[tuple] = set()
        self.filled = 0

    def render(self, context: jinja2.runtime.Context) -> Markup:
        page = context["page"]
        meta = {k: v for k, v in page.meta.items() if k != "template"}
        template = self.env.get_template("main.html")
        holes = self._holes(page, meta)
        if holes is not None:
            key, values = holes
            if key not in self.shells and key in self.seen:  # a shell costs two renders: made for the second page
                self.shells[key] = self._make(template, context, page, meta, values)
            self.seen.add(key)
            if self.shells.get(key):
                self.filled += 1
                return Markup(self._fill(self.shells[key], values))
        return Markup(template.render({**context.get_all(), "page": _PageWith(page, {}, meta)}))

    def _holes(self, page: Any, meta: dict[str, Any]) -> tuple[tuple, dict[str, str]] | None:
        """The key of the page's shell and the values that go in its holes; None when it has no shell."""
        if "/" not in page.url.rstrip("/") or len(page.toc) or page.previous_page or page.next_page:
            return None
        values, fixed = {}, []
        for name in self.ATTRIBUTES:
            value = getattr(page, name)
            if isinstance(value, str) and value:
                values[name] = value
            else:
                fixed.append((name, repr(value)))
        for name in self.META:
            value = meta.get(name)
            if isinstance(value, str) and value:
                values["meta." + name] = value
            else:
                fixed.append(("meta." + name, repr(value)))
        others = tuple(sorted((k, repr(v)) for k, v in meta.items() if k not in self.META))
        folder = posixpath.dirname(page.url.rstrip("/"))
        h1 = "<h1" in values.get("content", "")
        return (folder, page.url.endswith("/"), h1, tuple(fixed), others), values

    def _stand_in(self, values: dict[str, str], word: str) -> dict[str, str]:
        """Values of the same shape as the page's (same folder, an <h1> if it has one) made of `word`."""
        stand_in = {name: f"{word}{name.replace('.', '')}{word}" for name in values}
        if "url" in values:
            folder = values["url"].rstrip("/").rpartition("/")[0]
            stand_in["url"] = f"{folder}/{stand_in['url']}" + ("/" if values["url"].endswith("/") else ".html")
        if "<h1" in values.get("content", ""):
            stand_in["content"] = "<h1 " + stand_in["content"]
        return stand_in

    def _make(self, template: jinja2.Template, context: jinja2.runtime.Context, page: Any,
              meta: dict[str, Any], values: dict[str, str]) -> list[str] | None:
        def render(with_values: dict[str, str]) -> str:
            attributes = {k: v for k, v in with_values.items() if not k.startswith("meta.")}
            page_meta = {**meta, **{k[5:]: v for k, v in with_values.items() if k.startswith("meta.")}}
            return template.render({**context.get_all(), "page": _PageWith(page, attributes, page_meta)})

        holes = self._stand_in(values, "cp" + self.nonce)
        by_text = {text: name for name, text in holes.items()}
        pattern = "|".join(re.escape(text) for text in sorted(by_text, key=len, reverse=True))
        # Even places: the layout's own text; odd places: the name of the value that goes there.
        parts = re.split(f"({pattern})", render(holes))
        parts[1::2] = [by_text[text] for text in parts[1::2]]
        awkward = self._stand_in(values, " A &amp; B \"q\" 'q' <b>x</b> &lt;i&gt; edit/blob/raw ?x=1#y ")
        if "url" in values:  # a slash in the address would change its folder
            awkward["url"] = self._stand_in(values, "awkward-&amp;\"q\"")["url"]
        if render(awkward) != self._fill(parts, awkward):
            log.debug("claimpress: the theme's layout for %s depends on the page's own values; "
                      "those pages are rendered in full", page.url)
            return None
        return parts

    @staticmethod
    def _fill(parts: list[str], values: dict[str, str]) -> str:
        return "".join(values[part] if i % 2 else part for i, part in enumerate(parts))


def on_startup(command: str, dirty: bool, **_: Any) -> None:
    _startup.update(command=command, dirty=dirty)
    if command == "serve":
        _stop_serving_as_ctrl_c()
    if dirty:
        # MkDocs warns that a dirty build may leave the navigation and links stale, and the site's
        # `strict: true` would make that warning fail every rebuild. on_nav and on_files below
        # rebuild what shows the navigation and remove what is gone; `build` is always clean.
        # ProperDocs logs it under its own name (it names the `mkdocs` logger its child, which
        # only its hooks and plugins use).
        for engine in ("mkdocs", "properdocs"):
            logging.getLogger(f"{engine}.commands.build").addFilter(_not_the_dirty_warning)


STOP_HEARD_TWICE = 5.0  # seconds after a stop in which another stop signal is the same stop


def _stop_serving_as_ctrl_c() -> None:
    """`mkdocs serve` builds its site into a temporary folder (2 GB at 50,000 claims) and deletes it
    when Ctrl-C stops it; SIGTERM or SIGHUP would kill it first and leave the folder. Here all three
    stop it as Ctrl-C does. A stop heard again within STOP_HEARD_TWICE seconds is the same stop
    and would interrupt the clean-up: a service manager signals every process of the preview at
    once (systemd's KillMode=control-group), and the preview passes a Ctrl-C on to MkDocs too.
    Asked again later, it is interrupted again, as by a second Ctrl-C. Only Python's own defaults
    are replaced: a signal ignored on purpose (`nohup`'s SIGHUP, a background job's SIGINT) stays
    ignored, and a program that runs MkDocs with handlers of its own keeps them. They stay after
    `serve` returns: MkDocs deletes its folder after its last hook (on_shutdown) has run."""
    stopping_since: float | None = None

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping_since
        now = time.monotonic()
        if stopping_since is not None and now - stopping_since < STOP_HEARD_TWICE:
            return
        stopping_since = now
        raise KeyboardInterrupt

    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) in (signal.SIG_DFL, signal.default_int_handler):
            try:
                signal.signal(number, stop)
            except ValueError:  # not the main thread (MkDocs run from another program): leave its signals
                return


def on_serve(server: Any, config: Any, **_: Any) -> Any:
    """`mkdocs serve` polls every file it watches twice a second (it chose polling for Docker and
    network mounts: mkdocs/mkdocs#2477). With 50,000 pages in docs/ that kept half a core busy
    while the preview sat idle, and a rebuild shared the interpreter with it. Here, on Linux, docs/
    is watched by the kernel's notifications instead (inotify, through watchdog), which cost
    nothing while nothing changes; mkdocs.yml and anything else stay polled. Where inotify cannot
    start (its limits reached), or CLAIMPRESS_POLL is set (a network drive, or a Windows drive
    under WSL2, where edits made from the other side send no notification), MkDocs keeps polling."""
    docs = os.path.abspath(config["docs_dir"])
    watched = getattr(server, "_watched_paths", {})  # MkDocs 1.6: path -> how many asked to watch it
    native = _NativeDocsWatch.native_class()
    if watched.get(docs) != 1 or os.environ.get("CLAIMPRESS_POLL") or native is None:
        return server
    polling = server.observer
    server.unwatch(docs)
    watchers: _NativeDocsWatch | None = None
    try:
        watchers = server.observer = _NativeDocsWatch(polling, docs, native)
        server.watch(docs)
        watchers.native.start()
    except Exception as exc:  # noqa: BLE001 - any failure to watch natively leaves MkDocs' polling
        log.info("claimpress: watching %s by polling, as MkDocs does (notifications unavailable: %s)", docs, exc)
        if watchers is not None:
            watchers.native.stop()  # closes what it opened
        server.observer = polling
        server._watched_paths.pop(docs, None)
        server._watch_refs.pop(docs, None)
        server.watch(docs)
    return server


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


def _not_the_dirty_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def on_pre_build(**_: Any) -> None:
    _stop_indexer()  # this build will change the pages it is reading
    if _startup["command"] == "serve":
        _collector.pause()


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


_collector = IdleCollector()


def on_files(files: Any, config: Any, **_: Any) -> Any:
    pages_per_search_index(config)  # a wrong setting stops the build before it starts
    _pages.clear()
    _pages.update((file.dest_uri, file.abs_dest_path) for file in files.documentation_pages())
    docs = os.path.abspath(config["docs_dir"])
    _static_pages.clear()  # a hand-made HTML page among the docs: Pagefind indexes it too (not .htm: its glob)
    _static_pages.update((file.dest_uri, file.abs_dest_path) for file in files.static_pages()
                         if file.dest_uri.endswith(".html") and file.src_dir and os.path.abspath(file.src_dir) == docs
                         and (file.inclusion.is_in_serve() if _startup["command"] == "serve"
                              else file.inclusion.is_included()))
    if not _startup["dirty"]:
        _searchable.clear()
    if _startup["dirty"]:
        _remove_gone_files(files)
        for file in files.documentation_pages():
            _decide_once(file)
    return files


def _decide_once(file: Any) -> None:
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


def _remove_gone_files(files: Any) -> None:
    """In a dirty rebuild: remove what the last build wrote for sources that are gone (a claim
    deleted or renamed while serving), which MkDocs would leave in the preview and in its search."""
    now = {file.abs_dest_path for file in files}
    for path in sorted(_built_before - now):
        if os.path.isfile(path):
            os.remove(path)
            with contextlib.suppress(OSError):  # stops at the first folder that is not empty
                os.removedirs(os.path.dirname(path))
    _built_before.clear()
    _built_before.update(now)


def on_nav(nav: Any, files: Any, **_: Any) -> Any:
    _IN_NAV.clear()
    _IN_NAV.update(page.file.src_uri for page in nav.pages)
    if _startup["dirty"]:
        # A dirty build skips a page whose output is newer than its source. Pages in the navigation
        # show it, and the hand-written pages (at the top of docs/) include generated snippets:
        # their output is made older, so they are always rebuilt. They are a dozen.
        for file in files.documentation_pages():
            if (file.src_uri in _IN_NAV or "/" not in file.src_uri) and os.path.exists(file.abs_dest_path):
                os.utime(file.abs_dest_path, (0, 0))
    return nav


def on_env(env: jinja2.Environment, **_: Any) -> jinja2.Environment:
    global _shells
    shells = _shells = Shells(env)  # new for every build, so `serve` never shows an old layout

    @jinja2.pass_context
    def cp_shell(context: jinja2.runtime.Context) -> Markup:
        return shells.render(context)

    env.globals["cp_shell"] = cp_shell
    return env


@event_priority(-100)  # last: the HTML as it is written, after any other plugin's changes
def on_post_page(output: str, page: Any, **_: Any) -> str:
    _searchable[page.file.dest_uri] = search_digest(output)
    return output


def search_digest(html: str) -> str | None:
    """A digest of a page that Pagefind indexes (part of its part's key), None for any other page."""
    return hashlib.blake2b(html.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest() \
        if is_searchable(html) else None


def is_searchable(html: str) -> bool:
    """Whether a tag of `html` has the data-pagefind-body attribute (not just the words in the text)."""
    first = html.find("data-pagefind-body")  # 5 µs; the pattern over a whole page is 80
    # A tag with the attribute starts at the last "<" before an occurrence of it, so the pattern
    # need not look at the 14 KB of the theme's header before the first.
    return first >= 0 and bool(_PAGEFIND_BODY.search(html, max(0, html.rfind("<", 0, first))))


def searchable_pages() -> dict[str, str]:
    """This build's pages that Pagefind indexes, each with a digest of its HTML: those MkDocs made
    and the HTML files copied from docs/. A dirty build writes only some pages: the others are as
    this process last saw them (the preview's first build writes all), or as their file says. A
    copied file is read each time: MkDocs copies it without a hook to say so (they are few)."""
    for path, written in _pages.items():
        if path not in _searchable:
            _searchable[path] = _file_digest(written)
    made = {path: digest for path in _pages if (digest := _searchable[path]) is not None}
    copied = {path: digest for path, written in _static_pages.items()
              if path not in made and (digest := _file_digest(written)) is not None}
    return {**made, **copied}


def _file_digest(written: str) -> str | None:
    try:  # a hand-made page may not be UTF-8: its bytes still count
        with open(written, encoding="utf-8", errors="surrogateescape") as page:
            return search_digest(page.read())
    except OSError:
        return None


def on_build_error(**_: Any) -> None:
    if _startup["command"] == "serve":
        _collector.resume()


def on_post_build(config: Any, **_: Any) -> None:
    if _startup["command"] == "serve":
        # First, so that a failure later in this function cannot leave the collector off for good
        # (MkDocs calls on_build_error for it too, in 1.6: resume() then runs twice, harmlessly).
        _collector.resume()
    if _shells is not None:
        made = [parts for parts in _shells.shells.values() if parts is not None]
        log.debug(f"claimpress: {_shells.filled} pages filled in from {len(made)} shells; "
                  f"{len(_shells.shells) - len(made)} kinds of page rendered in full")
    site = os.path.abspath(config["site_dir"])
    try:
        split_sitemap(site, config["site_url"] or "/")
    except OSError as error:
        raise PluginError(f"the sitemap could not be split: {error}") from error
    started = time.perf_counter()
    pages = searchable_pages()
    parts = search_parts(pages, pages_per_search_index(config))
    # The parts' pages are hard-linked into this folder, which must be on the site's file system.
    workdir = tempfile.mkdtemp(prefix=".claimpress-search-", dir=site) if len(parts) > 1 else None
    runs = pagefind_runs(site, parts, workdir)
    finish = functools.partial(_finish_index, site, len(parts))
    keys = part_keys(pages, parts, _index_context())
    if _startup["command"] == "serve":
        # Only the parts whose pages changed since Pagefind made their bundle in this preview.
        global _indexer
        todo = [n for n, run in enumerate(runs)
                if keys[n] is None or _indexed.get(run.output) != keys[n] or not os.path.isdir(run.output)]
        log.info(f"claimpress: search index: {len(todo)} of {len(parts)} part(s) to index beside the preview")
        _indexer = BackgroundIndex([runs[n] for n in todo], workdir, finish, [keys[n] for n in todo])
        return
    cache = SearchCache(os.path.join(os.path.dirname(os.path.abspath(config["config_file_path"])), SEARCH_CACHE))
    todo = [n for n, (run, key) in enumerate(zip(runs, keys)) if not cache.fetch(key, run.output)]
    try:
        index_parts([runs[n] for n in todo],
                    search_index_jobs([parts[n] for n in todo], usable_cores(), memory_available()))
    finally:
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    for n in todo:
        cache.store(keys[n], runs[n].output)
    cache.prune(keys)
    log.info(f"claimpress: search index: {len(todo)} of {len(parts)} part(s) indexed, "
             f"{len(parts) - len(todo)} unchanged since the last build (from {SEARCH_CACHE}/), "
             f"in {time.perf_counter() - started:.1f} s")  # most of a large site's build: say so
    finish()


def index_parts(runs: list[PagefindRun], jobs: int) -> None:
    """Run Pagefind over each part, `jobs` runs at a time. Once one fails, no other starts, and
    PluginError carries Pagefind's output."""
    failed = threading.Event()

    def one(run: PagefindRun) -> subprocess.CompletedProcess | None:
        if failed.is_set():
            return None
        try:
            if run.output:  # Pagefind writes a new folder, never over files the cache shares (SearchCache)
                shutil.rmtree(run.output, ignore_errors=True)
                if os.path.lexists(run.output):
                    raise OSError(f"{run.output} could not be removed before indexing")
            run.prepare()
            done = subprocess.run(run.command, capture_output=True, text=True)
            if done.returncode == 0:
                make_bundle_reproducible(run.output)
        except BaseException:  # OSError, or an interruption: start no other part
            failed.set()
            raise
        if done.returncode != 0:
            failed.set()
        return done

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(one, run) for run in runs]
        try:
            for future in futures:
                try:
                    done = future.result()  # the runs at work when one fails finish before the pool closes
                except OSError as error:  # linking a part's pages: a full disk, say
                    raise PluginError(f"the search index could not be made: {error}") from error
                if done is not None and done.returncode != 0:
                    raise PluginError(f"Pagefind could not index the site for search:\n{done.stdout}{done.stderr}")
        except BaseException:  # a failure, or Ctrl-C in this thread: the parts not started are not
            failed.set()
            raise


BYTES_PER_INDEXED_PAGE = 400_000  # what a Pagefind run holds a page of real-looking text (measured: 0.38 MB)


def search_index_jobs(parts: list[list[str]], cores: int, available: int | None) -> int:
    """How many parts Pagefind indexes at once: one a core, as many as fit in the memory `available`
    (bytes) now, at least one; one at a time where the memory available is not known. A run alone
    keeps about one and a half cores busy; two at once on two cores take 0.7 of the time of one
    after the other (two parts of 3,334 claim pages: 10 s, not 14 s)."""
    largest = max((len(part) for part in parts), default=0)
    if len(parts) < 2 or available is None:
        return 1
    return max(1, min(cores, len(parts), available // max(1, largest * BYTES_PER_INDEXED_PAGE)))


SITEMAP_URLS = 50_000  # the protocol's limits for one sitemap file (sitemaps.org/protocol.html)
SITEMAP_BYTES = 50 * 1024 * 1024
_SITEMAP_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'


def split_sitemap(site: str, site_url: str, max_urls: int = SITEMAP_URLS, max_bytes: int = SITEMAP_BYTES) -> int:
    """Split the sitemap.xml that MkDocs wrote in `site` into files within the protocol's limits,
    and make sitemap.xml (and its .gz) their index, with addresses under `site_url`. Returns how
    many files it wrote: 0 when the sitemap is within the limits, and is left as MkDocs wrote it.
    Files of an earlier, larger split (a dirty build's) are removed."""
    path = os.path.join(site, "sitemap.xml")
    try:
        with open(path, encoding="utf-8") as sitemap:
            text = sitemap.read()
    except FileNotFoundError:  # a theme without one
        return 0
    urls = re.findall(r"<url>.*?</url>", text, re.S)  # MkDocs' template: one <url> element an address
    parts: list[list[str]] = [] if len(urls) <= max_urls and len(text.encode()) <= max_bytes else [[]]
    room = max_bytes - len(_SITEMAP_HEAD) - len("\n</urlset>\n")
    size = 0
    for url in urls if parts else []:
        weight = len(url.encode()) + 1
        if len(parts[-1]) == max_urls or (parts[-1] and size + weight > room):
            parts.append([])
            size = 0
        parts[-1].append(url)
        size += weight
    for number, part in enumerate(parts, 1):
        _write_if_changed(os.path.join(site, f"sitemap-{number}.xml"),
                          _SITEMAP_HEAD + "".join("\n" + url for url in part) + "\n</urlset>\n")
    for name in os.listdir(site):
        number = re.fullmatch(r"sitemap-(\d+)\.xml", name)
        if number and int(number[1]) > len(parts):
            os.remove(os.path.join(site, name))
    if parts:
        index = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                 + "".join(f"<sitemap><loc>{escape(posixpath.join(site_url, f'sitemap-{n}.xml'))}</loc></sitemap>\n"
                           for n in range(1, len(parts) + 1))
                 + "</sitemapindex>\n")
        _write_if_changed(path, index)
        packed = gzip.compress(index.encode(), mtime=_gzip_mtime(path + ".gz"))  # MkDocs' time: the pages'
        with open(path + ".gz", "wb") as copy:  # MkDocs' copy of sitemap.xml
            copy.write(packed)
    return len(parts)


def _gzip_mtime(path: str) -> int:
    """The time in a gzip file's header (0 if there is no file): MkDocs sets it from the pages."""
    try:
        with open(path, "rb") as packed:
            return int.from_bytes(packed.read(8)[4:8], "little")
    except OSError:
        return 0


def _write_if_changed(path: str, text: str) -> None:
    try:
        with open(path, encoding="utf-8") as old:
            if old.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(path, "w", encoding="utf-8") as new:
        new.write(text)


def pages_per_search_index(config: Any) -> int:
    ours = config["extra"].get("claimpress") if isinstance(config["extra"].get("claimpress"), dict) else {}
    value = ours.get("pages_per_search_index", PAGES_PER_SEARCH_INDEX)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PluginError(f"mkdocs.yml: extra.claimpress.pages_per_search_index: {value!r} is not a whole number "
                          f"above 0; leave it out for the default, {PAGES_PER_SEARCH_INDEX}")
    return value


def search_parts(searchable: Iterable[str], per_index: int) -> list[list[str]]:
    """The pages to index (their paths in the site) in as few parts of at most about `per_index`
    as can hold them, an even number when more than one, each sorted. Even: the build indexes two
    parts at once on two cores, and an odd part out would run alone on about one and a half (over
    10,000 claim pages, 3 parts took 14.6-15.3 s, 2, 4 or 6 parts 12.9-13.9 s, runs alternating).
    Only pages with data-pagefind-body: Pagefind indexes every page of a
    run that has none. A page's part is chosen by a digest of its path, so that each part is a
    sample of the whole site (a merged search orders results by each part's own scores, which rest
    on how common each word is in the part), and a page stays in its part when claims are added
    or removed, as long as the number of parts is the same: the parts whose pages did not change
    keep their index (SearchCache). Parts then differ in size by a few percent (pages are dealt at
    random); a part that would be empty is left out."""
    pages = sorted(searchable)
    count = max(1, -(-len(pages) // per_index))  # rounded up
    if count == 1:
        return [pages]
    count += count % 2
    parts: list[list[str]] = [[] for _ in range(count)]
    for page in pages:
        parts[int.from_bytes(hashlib.blake2b(page.encode(), digest_size=8).digest(), "big") % count].append(page)
    return [part for part in parts if part]


def bundle(number: int) -> str:
    """The folder of the search bundle of part `number` (from 0), in the site."""
    return "pagefind" if number == 0 else f"pagefind-{number + 1}"


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
        assert self.folder is not None or not self.pages  # pagefind_runs gives each part a folder
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


def pagefind_runs(site: str, parts: list[list[str]], workdir: str | None) -> list[PagefindRun]:
    """The runs of Pagefind that index `parts` of the site at `site` (an absolute path). One part is
    the whole site, as Pagefind finds it; each of several parts is a folder of `workdir` with its
    pages, indexed into its bundle in the site. (A glob of the part's pages, Pagefind's other way
    to be given some pages, is refused by Pagefind above about 200 KB: 3,000 long names.)"""
    command = [sys.executable, "-m", "pagefind", *PAGEFIND_OPTIONS, "--site"]
    if len(parts) == 1:
        return [PagefindRun([*command, site], site, [], None, os.path.join(site, bundle(0)))]
    assert workdir is not None
    return [PagefindRun([*command, os.path.join(workdir, str(n)), "--output-path", os.path.join(site, bundle(n))],
                        site, pages, os.path.join(workdir, str(n)), os.path.join(site, bundle(n)))
            for n, pages in enumerate(parts)]


# The "¶" permalinks that MkDocs puts in headings would end every hand-written page's title.
PAGEFIND_OPTIONS = ("--silent", "--exclude-selectors", ".headerlink")
SEARCH_CACHE = os.path.join(".cache", "claimpress", "search")  # under the project: see SearchCache


def part_keys(pages: dict[str, str], parts: list[list[str]], context: str | None) -> list[str | None]:
    """For each part, a digest of what its bundle is made from: its pages (path and the digest of
    their HTML, from `pages`) and how Pagefind runs (`context`, _index_context). None where the
    bundle cannot be known from the pages: no Pagefind found, or no page with data-pagefind-body
    (Pagefind then indexes every page of the site)."""
    return [hashlib.blake2b(json.dumps([context, [[p, pages[p]] for p in part]]).encode(), digest_size=16).hexdigest()
            if context is not None and part else None for part in parts]


class SearchCache:
    """The bundles of the last build's parts, each in a folder named by its key (part_keys): a
    digest of the part's pages (paths and HTML) and of how Pagefind ran (_index_context). Pagefind
    has no incremental mode, and a part of 3,500 pages takes it about 4 s; a part whose pages are all as
    they were takes its bundle from here instead, linked into the site. index_parts deletes a
    bundle's folder before Pagefind writes it, and the parts list is replaced, never rewritten, so
    no file the cache shares with a site is changed. Each bundle is checked against the list of its
    files' sizes and digests kept with it (a cache restored in part, by CI say, is not used), and
    that list against its MAC (claimpress/trust.py): a bundle that this machine did not make, put
    there by a pull request say, is never published. None is used where git tracks files under
    .cache/claimpress/. Only the last build's bundles are kept; safe to delete. The key covers the pages MkDocs made and
    the HTML files copied from docs/ (searchable_pages); with one part Pagefind reads every HTML
    file of the site, so an HTML file that another plugin writes with data-pagefind-body would not
    make the index be made again."""

    MANIFEST = "claimpress-manifest.sealed"  # the JSON list of _manifest, sealed (trust.seal)

    def __init__(self, folder: str) -> None:
        self.folder = folder  # <project>/.cache/claimpress/search
        self.usable = not trust.caches_tracked(os.path.dirname(os.path.dirname(os.path.dirname(folder))), log.info)

    def fetch(self, key: str | None, bundle: str) -> bool:
        """Put the bundle made for `key` at `bundle`, if there is one, whole and made here."""
        source = os.path.join(self.folder, key) if key else ""
        if not key or not self.usable or not os.path.isdir(source):
            return False
        try:
            with open(os.path.join(source, self.MANIFEST), "rb") as sealed:
                listed = trust.unseal(b"search " + key.encode(), sealed.read())
            whole = listed is not None and json.loads(listed) == _manifest(source)
        except (OSError, ValueError):
            whole = False
        if not whole:
            shutil.rmtree(source, ignore_errors=True)
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
                    listed[relative] = [os.fstat(data.fileno()).st_size, hashlib.file_digest(data, "blake2b").hexdigest()]
    return dict(sorted(listed.items()))


def _index_context() -> str | None:
    """A digest of everything besides the pages that a bundle depends on: the Pagefind program
    that `python -m pagefind` runs (its bytes), its options, the settings it reads (PAGEFIND_*
    variables, a pagefind.* file where the build runs) and this file. None without Pagefind."""
    program = _pagefind_program()
    if program is None:
        return None
    settings = []
    for name in ("pagefind.toml", "pagefind.yml", "pagefind.yaml", "pagefind.json"):
        with contextlib.suppress(OSError):
            with open(name, "rb") as config:
                settings.append([name, hashlib.file_digest(config, "blake2b").hexdigest()])
    code = []  # this file's and search_bundle.py's, which rewrites part of each bundle
    for name in (__file__, search_bundle.__file__):
        with open(name, "rb") as own:
            code.append(hashlib.file_digest(own, "blake2b").hexdigest())
    return hashlib.blake2b(json.dumps([program, PAGEFIND_OPTIONS, code, settings,
                                       sorted((k, v) for k, v in os.environ.items() if k.startswith("PAGEFIND_"))])
                           .encode()).hexdigest()


@functools.lru_cache(maxsize=None)
def _pagefind_program() -> str | None:
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


def _finish_index(site: str, parts: int) -> None:
    """Once Pagefind has made every part: list them for the search page, then remove the bundles of
    parts this index does not have (the preview's site had more pages before)."""
    write_parts_list(site, parts)
    _remove_unused_bundles(site, parts)


def write_parts_list(site: str, parts: int) -> None:
    """pagefind/claimpress-parts.json: the bundles that the search page merges with pagefind/, as
    addresses relative to it (site/assets/claimpress/search.js reads it)."""
    others = [f"../{bundle(n)}/" for n in range(1, parts)]
    path = os.path.join(site, bundle(0), "claimpress-parts.json")
    with open(path + ".new", "w", encoding="utf-8") as out:
        json.dump({"merge": others}, out)
    os.replace(path + ".new", path)  # a new file: the folder may be the cache's (SearchCache)


def _remove_unused_bundles(site: str, parts: int) -> None:
    with contextlib.suppress(FileNotFoundError):
        for name in os.listdir(site):
            number = re.fullmatch(r"pagefind-(\d+)", name)
            if number and int(number[1]) > parts:
                shutil.rmtree(os.path.join(site, name), ignore_errors=True)


class BackgroundIndex:
    """The preview's search index: Pagefind over each part given, in turn, at low priority, stopped
    when a newer build starts or the preview ends; `then` once every part is made. Errors go to the
    terminal. The preview gives only the parts whose pages changed since it made their bundle."""

    def __init__(self, runs: list[PagefindRun], workdir: str | None, then: Callable[[], None],
                 keys: list[str | None] | None = None) -> None:
        self.runs, self.workdir, self.then = runs, workdir, then
        self.keys = keys or [None] * len(runs)  # what each run's part is made from: kept in _indexed once made
        self.process: subprocess.Popen | None = None
        self.stopped = False
        self.lock = threading.Lock()
        self.done = threading.Event()  # the thread's work is over and its folder removed
        self.started = time.perf_counter()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            for run, key in zip(self.runs, self.keys):
                if self.stopped:
                    return
                run.prepare()
                with self.lock:
                    if self.stopped:
                        return
                    _indexed.pop(run.output, None)  # half made, if stopped
                    self.process = subprocess.Popen(low_priority(run.command), stdout=subprocess.DEVNULL)
                if self.process.wait() != 0:
                    if not self.stopped:  # stopped: a newer build's index replaces this one
                        log.error(f"claimpress: the preview's search index was not made: Pagefind "
                                  f"exited with {self.process.returncode}")
                    return
                make_bundle_reproducible(run.output)
                if key is not None:
                    _indexed[run.output] = key
            self.then()
            # The preview's search is current from here; the terminal says so, and when.
            log.info(f"claimpress: search index: {len(self.runs)} part(s) indexed beside the preview "
                     f"in {time.perf_counter() - self.started:.1f} s")
        except OSError as error:
            log.error(f"claimpress: the preview's search index was not made: {error}")
        finally:
            try:
                if self.workdir:
                    shutil.rmtree(self.workdir, ignore_errors=True)
            finally:
                self.done.set()

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()
        # Not Thread.join: in CPython 3.11 a join interrupted by Ctrl-C (the preview stopping during
        # a rebuild, which stops the last index first) leaves the thread counted as finished, and
        # the next join returns at once while it still deletes its folder of links inside the site:
        # MkDocs, deleting the site meanwhile, then failed and left it behind (2 GB at 50,000 claims).
        self.done.wait()


def make_bundle_reproducible(output: str) -> None:
    """Put the bundle Pagefind just wrote at `output` in order (claimpress/search_bundle.py)."""
    if output and not search_bundle.make_reproducible(output):
        log.info(f"claimpress: {os.path.basename(output)}/ is left as Pagefind wrote it, in an order that "
                 f"changes from build to build: its files are not in the format claimpress knows")


def low_priority(command: list[str]) -> list[str]:
    """`command`, run at the lowest priority where `nice` exists. The preview's search index is
    background work: at 50,000 claims Pagefind takes both cores for a minute, and the next save's
    generation and rebuild must not wait for it."""
    nice = shutil.which("nice")
    return [nice, "-n", "19", *command] if nice else command


def on_shutdown(**_: Any) -> None:
    if _startup["command"] == "serve":
        _collector.stop()  # first: stopping the indexer may be broken off by a second Ctrl-C
    _stop_indexer()


def _stop_indexer() -> None:
    """Stop the preview's indexing, when a newer build makes it out of date or the preview ends."""
    if _indexer is not None:
        _indexer.stop()
