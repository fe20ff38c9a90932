"""The search step: Pagefind over a built site's searchable pages, in parts, with the bundles of
parts whose pages did not change taken from the cache, merged into the site's one bundle; or,
beside the preview, in the background."""
from __future__ import annotations

import concurrent.futures
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable

from ..files import replace_file
from ..languages import language
from ..machine import memory_available, usable_cores
from . import bundle as reproducible
from .cache import SEARCH_CACHE, SearchCache, index_context, part_keys
from .merge import MergeError, list_words, merge_bundles
from .pages import searchable_pages
from .parts import BUNDLE, PagefindRun, low_priority, pagefind_runs, search_index_jobs, search_parts

Say = Callable[[str], object]


PREVIEW_BUNDLES = ".claimpress-search-parts"  # in the preview's site


class SearchError(Exception):
    """The search index could not be made: Pagefind's own words, or the file system's."""


def index_site(site: str, project: str, per_index: int, say: Say = print) -> None:
    """Index the site at `site` (built from the project at `project`) for search, as `build` does:
    every part at once that the cores and memory allow, parts unchanged since the last build from the
    cache. Raises SearchError."""
    started = time.perf_counter()
    site = os.path.abspath(site)
    pages = searchable_pages(site)
    parts = search_parts(pages, per_index)
    # The parts' pages are hard-linked into this folder, which must be on the site's file system;
    # their bundles are made in it too, and merged into the site's.
    workdir = tempfile.mkdtemp(prefix=".claimpress-search-", dir=site) if len(parts) > 1 else None
    bundles = os.path.join(workdir, "bundles") if workdir else None
    runs = pagefind_runs(site, parts, workdir, bundles)
    keys = part_keys(pages, parts, index_context(project))
    cache = SearchCache(project, say)
    try:
        if len(parts) == 1:
            todo = [] if cache.fetch(keys[0], runs[0].output) else [0]
            made = [runs[0].output]
        else:  # the parts' bundles that the cache has are merged from there
            with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, usable_cores())) as pool:
                cached = list(pool.map(cache.bundle, keys))  # each checked against its files' digests
            made = [bundle or run.output for run, bundle in zip(runs, cached)]
            todo = [n for n, run in enumerate(runs) if made[n] == run.output]
        index_parts([runs[n] for n in todo], search_index_jobs([parts[n] for n in todo], usable_cores(),
                                                               memory_available()), say)
        for n in todo:
            cache.store(keys[n], runs[n].output)
        cache.prune(keys)
        finish_index(site, made)
    finally:
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    say(f"claimpress: search index: {len(todo)} of {len(parts)} part(s) indexed, "
        f"{len(parts) - len(todo)} unchanged since the last build (from {SEARCH_CACHE}/), "
        f"in {time.perf_counter() - started:.1f} s")  # most of a large site's build: say so


def index_parts(runs: list[PagefindRun], jobs: int, say: Say = print) -> None:
    """Run Pagefind over each part, `jobs` runs at a time. Once one fails, no other starts, and
    SearchError carries Pagefind's output."""
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
                make_bundle_reproducible(run.output, say)
                list_part_words(run)
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
                    raise SearchError(f"the search index could not be made: {error}") from error
                if done is not None and done.returncode != 0:
                    raise SearchError(f"Pagefind could not index the site for search:\n{done.stdout}{done.stderr}")
        except BaseException:  # a failure, or Ctrl-C in this thread: the parts not started are not
            failed.set()
            raise


def make_bundle_reproducible(output: str, say: Say = print) -> None:
    """Put the bundle Pagefind just wrote at `output` in order (search/bundle.py)."""
    if output and not reproducible.make_reproducible(output):
        say(f"claimpress: {os.path.basename(output)}/ is left as Pagefind wrote it, in an order that "
            f"changes from build to build: its files are not in the format claimpress knows")


def list_part_words(run: PagefindRun) -> None:
    """List the words of the bundle of one of several parts, for the merge (merge.list_words), and so
    for the search cache, which keeps the list with the bundle. A bundle whose words cannot be listed
    is merged without, which then says why."""
    if run.pages:  # one of several parts (a site of one part is its own bundle: nothing to merge)
        with contextlib.suppress(MergeError):
            list_words(run.output)


def finish_index(site: str, bundles: list[str]) -> None:
    """Once Pagefind has made every part's bundle: merge them into the site's one bundle (merge.py),
    if there are several, and list its languages for the search page. SearchError if they cannot
    be merged."""
    target = os.path.join(site, BUNDLE)
    if bundles != [target]:
        try:
            merge_bundles(bundles, target)
        except MergeError as error:
            raise SearchError(f"the search index's parts could not be merged: {error}") from error
        except OSError as error:
            raise SearchError(f"the search index could not be made: {error}") from error
    write_languages_list(target)


def write_languages_list(bundle: str) -> None:
    """pagefind/claimpress-languages.json, which site/assets/claimpress/search.js reads: the languages
    the bundle has an index of, with their numbers of pages, and each language's own name and
    direction, for results in another language than the page's."""
    counts = bundle_languages(bundle)
    names: dict[str, dict[str, str]] = {}
    for key in sorted(counts or {}):
        known = language(key)  # Pagefind's key is <html lang> in lower case; "unknown" for a page without
        if known is not None:
            names[key] = {"tag": known.tag, "dir": known.direction, "name": known.name}
    listed = {"languages": counts, "names": names}
    # A new file: the folder may be the cache's (SearchCache), whose files are links.
    replace_file(os.path.join(bundle, "claimpress-languages.json"),
                 json.dumps(listed, ensure_ascii=False, sort_keys=True).encode())


def bundle_languages(folder: str) -> dict[str, int] | None:
    """The languages of a bundle's indexes (Pagefind splits a site by <html lang>), each with its number
    of pages, from its pagefind-entry.json; None if it cannot be read."""
    try:
        with open(os.path.join(folder, reproducible.ENTRY), "rb") as entry:
            found = json.load(entry).get("languages")
        return {str(key): int(value.get("page_count", 0)) for key, value in sorted(found.items())}
    except (OSError, ValueError, AttributeError, TypeError):
        return None


class BackgroundIndex:
    """The preview's search index: Pagefind over each part given, in turn, at low priority, stopped
    when a newer build starts or the preview ends; `then` once every part is made. Errors are told
    through `say`. `indexed` (bundle folder -> the key of the part Pagefind made there) lives as long
    as the preview: only the parts whose pages changed since are given again."""

    def __init__(self, runs: list[PagefindRun], workdir: str | None, then: Callable[[], None],
                 keys: list[str | None], indexed: dict[str, str], say: Say, warn: Say) -> None:
        self.runs, self.workdir, self.then, self.keys, self.indexed = runs, workdir, then, keys, indexed
        self.say, self.warn = say, warn
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
                    self.indexed.pop(run.output, None)  # half made, if stopped
                    self.process = subprocess.Popen(low_priority(run.command), stdout=subprocess.DEVNULL)
                if self.process.wait() != 0:
                    if not self.stopped:  # stopped: a newer build's index replaces this one
                        self.warn(f"claimpress: the preview's search index was not made: Pagefind "
                                  f"exited with {self.process.returncode}")
                    return
                make_bundle_reproducible(run.output, self.say)
                list_part_words(run)
                if key is not None:
                    self.indexed[run.output] = key
            try:
                self.then()
            except SearchError as error:
                self.warn(f"claimpress: the preview's search index was not made: {error}")
                return
            # The preview's search is current from here; the terminal says so, and when.
            self.say(f"claimpress: search index: {len(self.runs)} part(s) indexed beside the preview "
                     f"in {time.perf_counter() - self.started:.1f} s")
        except OSError as error:
            self.warn(f"claimpress: the preview's search index was not made: {error}")
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


def index_beside_preview(site: str, pages: dict[str, str], per_index: int, indexed: dict[str, str],
                         project: str, say: Say, warn: Say) -> BackgroundIndex:
    """Start indexing the preview's site in the background: only the parts whose pages changed since
    Pagefind made their bundle in this preview (`indexed`)."""
    site = os.path.abspath(site)
    parts = search_parts(pages, per_index)
    workdir = tempfile.mkdtemp(prefix=".claimpress-search-", dir=site) if len(parts) > 1 else None
    # The parts' bundles stay beside the preview's site, for the next rebuild: MkDocs, cleaning the
    # site before each, leaves a folder whose name starts with a dot.
    bundles = os.path.join(site, PREVIEW_BUNDLES) if len(parts) > 1 else None
    runs = pagefind_runs(site, parts, workdir, bundles)
    keys = part_keys(pages, parts, index_context(project))
    todo = [n for n, run in enumerate(runs)
            if keys[n] is None or indexed.get(run.output) != keys[n] or not os.path.isdir(run.output)]
    say(f"claimpress: search index: {len(todo)} of {len(parts)} part(s) to index beside the preview")

    def then() -> None:
        finish_index(site, [run.output for run in runs])
        if bundles is not None:  # the bundles of parts the site had before it shrank
            for name in os.listdir(bundles):
                if not name.isdigit() or int(name) >= len(parts):
                    shutil.rmtree(os.path.join(bundles, name), ignore_errors=True)

    return BackgroundIndex([runs[n] for n in todo], workdir, then, [keys[n] for n in todo], indexed, say, warn)
