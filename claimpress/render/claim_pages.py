"""The claim pages, on the cores this process may use, each rendered only when what it shows changed."""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from ..cache import CONVERTERS, RENDERING_LIBRARIES, code_version, digest, library_versions
from ..config import SiteConfig
from ..model import Catalog, Claim
from ..workers import can_fork, forked, shared
from ..write import Content, Kept
from . import exports
from .links import claim_path, relative_link
from .text import analysis_html, environment


@dataclass
class ClaimPages:
    """Renders claim pages; in the build's process, or in forked workers that inherit it."""
    templates: Path
    config: SiteConfig
    kinds: dict[str, dict[str, str]]
    catalog: Catalog | None = None
    _environment: Environment | None = None  # made once a process

    def render(self, claim: Claim, analysis: Markup) -> str:
        catalog = self.catalog
        assert catalog is not None
        env = self._env()
        path = claim_path(claim.id)
        review = exports.claimreview(claim, catalog, self.config)
        related = tuple(r for r in (catalog.claim(cid) for cid in claim.related) if r is not None)
        # Only what claim_page_keys covers: the template gets no other claims than these.
        return env.get_template("claim.md.j2").render(
            claim=claim, analysis=analysis, related=related, kinds=self.kinds,
            config=self.config, link=lambda to: relative_link(path, to),
            claimreview=Markup(exports.script_json(review)) if review else None,
            edit_url=f"{self.config.edit_url}claims/{claim.id}.md" if self.config.edit_url else None)

    def _env(self) -> Environment:
        if self._environment is None:
            self._environment = environment(self.templates)
        return self._environment


def page_key_base(catalog: Catalog, templates: Path, config: SiteConfig) -> bytes:
    """What every generated page is made from besides claims: every template, the settings, the
    registries, and the code and libraries that render them (the start of each page's key)."""
    files = sorted(p for p in templates.rglob("*") if p.is_file())
    return digest(
        code_version().encode(), library_versions(RENDERING_LIBRARIES).encode(),
        *(part for p in files for part in (p.relative_to(templates).as_posix().encode(), p.read_bytes())),
        # The same objects give the same text: frozen dataclasses of text, numbers, tuples and dicts.
        repr((config, catalog.parties, catalog.categories, catalog.ratings, catalog.best_rating,
              catalog.worst_rating)).encode("utf-8", "surrogatepass")).encode()


def claim_page_keys(catalog: Catalog, base: bytes) -> list[str]:
    """For each claim, a digest of everything its page is made from (see ClaimPages.render): the
    `base` (page_key_base), the claim's checked data and that of the claims it links to
    (catalog.sources). What a claim gives the data files and facet rows is covered by it too."""
    sources = catalog.sources
    return [digest(base, sources[c.id].encode(), *(sources.get(cid, "-").encode() for cid in c.related))
            for c in catalog.claims]


PARALLEL_FROM = 500  # claim pages before rendering is spread over the cores


CHUNK = 16  # claim pages a worker renders at a time


PAGES_A_WORKER = 1024  # claim pages a worker renders before a new one takes its place




def claim_pages(catalog: Catalog, pages: ClaimPages, store: Any, stamps: Any = None,
                page_keys: list[str] | None = None) -> Iterator[tuple[str, Content]]:
    """(path, text) of every claim page. Rendering them is most of the render step, and they are
    independent, so many are rendered by forked workers, on the cores this process may use, while it
    writes.
    Analyses come from the store, or are converted by the workers and stored here. Pages that
    `stamps` finds current by their `page_keys` (claim_page_keys) come first, as write.Kept."""
    pages.catalog = catalog
    converters = library_versions(CONVERTERS).encode()
    keys = [digest(converters, claim.body.encode("utf-8", "surrogatepass")) for claim in catalog.claims]

    def here(i: int) -> tuple[str, str]:  # one page, in this process
        analysis = stored_analysis(store, keys[i])
        if analysis is None:
            analysis = analysis_html(catalog.claims[i].body)
            if store is not None:
                store.put("analyses", keys[i], str(analysis))
        return claim_path(catalog.claims[i].id), pages.render(catalog.claims[i], analysis)

    todo = list(range(len(catalog.claims)))
    if stamps is not None and store is not None and page_keys is not None:
        todo = []
        for i, claim in enumerate(catalog.claims):
            if stamps.current(claim_path(claim.id), page_keys[i]):
                store.keep("analyses", keys[i])  # still needed when the page is made again
                yield claim_path(claim.id), Kept(functools.partial(lambda i: here(i)[1], i))
            else:
                todo.append(i)
    for path, text in _render_pages(pages, todo, here, keys, store):
        if stamps is not None:
            stamps.made(path, text)
        yield path, text


def _render_pages(pages: ClaimPages, todo: list[int], here: Callable[[int], tuple[str, str]], keys: list[str],
                  store: Any) -> Iterator[tuple[str, str]]:
    """(path, text) of the claim pages numbered in `todo`: here, or on the usable cores when they are many."""
    catalog = pages.catalog
    assert catalog is not None
    if len(todo) < max(PARALLEL_FROM, 2) or not can_fork():
        yield from (here(i) for i in todo)
        return
    # The first page here: a broken template fails in this process, with its file and line.
    yield here(todo[0])
    # The workers get each stored analysis with the task (they never open the store) and send back
    # the ones they had to convert. Batches: the next is rendered while this one is written.
    batches = [todo[start:start + 256] for start in range(1, len(todo), 256)]

    def submit(batch: list[int]) -> Any:
        tasks = [(i, stored_analysis(store, keys[i])) for i in batch]
        return pool.map_async(_render_in_worker, tasks, chunksize=CHUNK)

    # A worker touches the reference counts of every claim it renders, so the memory it shares
    # with this process becomes its own, page by page: at 50,000 claims each worker ended
    # with a private copy of most of the catalog (1.8 GiB for the three processes). A worker
    # that has rendered PAGES_A_WORKER pages is replaced by a new fork: 0.9 GiB.
    with forked(pages, tasks_per_worker=max(1, PAGES_A_WORKER // CHUNK)) as pool:
        pending = submit(batches[0])
        for number, batch in enumerate(batches):
            done = pending.get()
            if number + 1 < len(batches):
                pending = submit(batches[number + 1])
            for i, (text, made) in zip(batch, done):
                if made is not None and store is not None:
                    store.put("analyses", keys[i], str(made))
                yield claim_path(catalog.claims[i].id), text


def stored_analysis(store: Any, key: str) -> Markup | None:
    """The HTML that analysis_html made of an analysis before, as the store keeps it (a cache.Store
    gives no value whose MAC does not verify: none that this machine did not write), or None."""
    kept = store.get("analyses", key) if store is not None else None
    return Markup(kept) if isinstance(kept, str) else None


def _render_in_worker(task: tuple[int, Markup | None]) -> tuple[str, Markup | None]:
    """In a worker: (page text, the analysis HTML if it had to be converted)."""
    pages = shared()  # the parent's ClaimPages, as it was when the worker forked
    assert pages is not None and pages.catalog is not None
    index, analysis = task
    claim = pages.catalog.claims[index]
    made = None
    if analysis is None:
        analysis = made = analysis_html(claim.body)
    return pages.render(claim, analysis), made
