"""The claim pages, on the cores this process may use; those that a Reuse says are current are not rendered."""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from ..config import SiteConfig
from ..i18n import direction, site_languages
from ..model import Catalog, Claim
from ..workers import can_fork, forked, shared
from ..write import Content, Kept
from . import exports
from .links import claim_path, relative_link
from .reuse import NOTHING, Reuse
from .static_map import StaticMaps, docs_of, static_maps
from .text import analysis_html, environment, language_name
from .versions import mark_quotations, translated_languages, translation_of, versions


@dataclass
class ClaimPages:
    """Renders claim pages; in the build's process, or in forked workers that inherit it."""
    templates: Path
    config: SiteConfig
    kinds: dict[str, dict[str, str]]
    catalog: Catalog | None = None
    language: str | None = None  # the interface's language (render.text.environment); None: the templates' English
    _environment: Environment | None = None  # made once a process
    _maps: StaticMaps | None = None  # the shapes, read once (before the workers fork: the first page is here)
    _translated: dict[str, Environment] = field(default_factory=dict)  # the translated pages' environments

    def render(self, claim: Claim, analysis: Markup, tag: str | None = None) -> str:
        """The claim's page; with `tag`, a site language it has a translation into, its page in that language."""
        catalog = self.catalog
        assert catalog is not None
        env = self._env(tag)
        path = claim_path(claim.id, tag)
        review = exports.claimreview(claim, catalog, self.config, language=tag)  # on the page of its language
        related = tuple(r for r in (catalog.claim(cid) for cid in claim.related) if r is not None)
        incident = claim.incident  # the position as published (geo.published_position), never the file's
        static_map = self._static_maps().for_incident(incident.country, incident.coordinates, incident.precision)
        translation = translation_of(claim, tag) if tag else None
        # Only what cache.pages.claim_page_keys covers: the template gets no other claims than these.
        return env.get_template("claim.md.j2").render(
            claim=claim, analysis=analysis, related=related, kinds=self.kinds,
            config=self.config, link=lambda to: relative_link(path, to),
            claimreview=Markup(exports.script_json(review)) if review else None, static_map=static_map,
            edit_url=f"{self.config.edit_url}claims/{claim.id}.md" if self.config.edit_url else None,
            tr=translation, versions=versions(claim, site_languages(self.config)), here=path, page_language=tag,
            original_name=language_name(claim.language, tag) if tag else None,
            written={"tag": self.config.default_language, "direction": direction(self.config.default_language)})

    def prepare(self, claims: Iterable[Claim], tags: Iterable[str] = ()) -> None:
        """Before the workers fork: the map of each country, whose outlines the pages of the claims
        in it share, and the interface in each language `tags` (a worker inherits them; each would
        make them again, and again after each PAGES_A_WORKER pages)."""
        for tag in tags:
            self._env(tag)
        maps = self._static_maps()
        for code in dict.fromkeys(claim.incident.country for claim in claims):
            maps.for_incident(code, None, None)

    def _static_maps(self) -> StaticMaps:
        if self._maps is None:
            self._maps = static_maps(docs_of(self.templates))
        return self._maps

    def _env(self, tag: str | None = None) -> Environment:
        if tag is not None:  # a translated page: the interface in its language
            if tag not in self._translated:
                self._translated[tag] = environment(self.templates, tag)
            return self._translated[tag]
        if self._environment is None:
            self._environment = environment(self.templates, self.language)
        return self._environment


PARALLEL_FROM = 500  # claim pages before rendering is spread over the cores


CHUNK = 16  # claim pages a worker renders at a time


PAGES_A_WORKER = 1024  # claim pages a worker renders before a new one takes its place


Page = tuple[int, "str | None"]  # a claim page: the claim's number in the catalog, and None or a translation's tag


def claim_pages(catalog: Catalog, pages: ClaimPages, reuse: Reuse = NOTHING) -> Iterator[tuple[str, Content]]:
    """(path, text) of every claim page, and of each published translation's page into a site
    language other than the default. Rendering them is most of the render step, and they are
    independent, so many are rendered by forked workers, on the cores this process may use, while it
    writes. The pages that `reuse` says are current (`kept`: claims; `kept_pages`: translations'
    paths) come first, as write.Kept; analyses come from `reuse.analysis`, or are converted (by the
    workers) and given to `reuse.analysed`."""
    pages.catalog = catalog
    tags = site_languages(pages.config)

    def here(page: Page) -> tuple[str, str]:  # one page, in this process
        body = _body(catalog.claims[page[0]], page[1])
        analysis = stored_analysis(reuse, body) if body is not None else None
        text, made = _page(pages, page, analysis)
        if made is not None and body is not None:
            reuse.analysed(body, str(made))
        return _path(catalog, page), text

    todo: list[Page] = []
    for i, claim in enumerate(catalog.claims):
        for page in ((i, None), *((i, tag) for tag in translated_languages(claim, tags))):
            path = _path(catalog, page)
            if (claim.id in reuse.kept) if page[1] is None else (path in reuse.kept_pages):
                yield path, Kept(functools.partial(lambda page: here(page)[1], page))
            else:
                todo.append(page)
    yield from _render_pages(pages, todo, here, reuse)


def _path(catalog: Catalog, page: Page) -> str:
    return claim_path(catalog.claims[page[0]].id, page[1])


def _body(claim: Claim, tag: str | None) -> str | None:
    """The Markdown analysis of the claim's page in `tag` (None: the original's); None if a translation has none."""
    return claim.body if tag is None else translation_of(claim, tag).body


def _page(pages: ClaimPages, page: Page, analysis: Markup | None) -> tuple[str, Markup | None]:
    """The page's text, and the analysis HTML if it had to be converted (None if it was given)."""
    assert pages.catalog is not None
    claim = pages.catalog.claims[page[0]]
    body, made = _body(claim, page[1]), None
    if body is None:
        analysis = Markup("")
    elif analysis is None:
        analysis = made = analysis_html(body)
    if page[1] is not None and body is not None:
        analysis = mark_quotations(analysis, claim.language, claim.direction)
    return pages.render(claim, analysis, page[1]), made


def _render_pages(pages: ClaimPages, todo: list[Page], here: Callable[[Page], tuple[str, str]],
                  reuse: Reuse) -> Iterator[tuple[str, str]]:
    """(path, text) of the claim pages in `todo`: here, or on the usable cores when they are many."""
    catalog = pages.catalog
    assert catalog is not None
    if len(todo) < max(PARALLEL_FROM, 2) or not can_fork():
        yield from (here(page) for page in todo)
        return
    # The first page here: a broken template fails in this process, with its file and line.
    yield here(todo[0])
    pages.prepare((catalog.claims[page[0]] for page in todo), {page[1] for page in todo if page[1] is not None})
    # The workers get each stored analysis with the task (they never open the store) and send back
    # the ones they had to convert. Batches: the next is rendered while this one is written.
    batches = [todo[start:start + 256] for start in range(1, len(todo), 256)]

    def submit(batch: list[Page]) -> Any:
        tasks = []
        for page in batch:
            body = _body(catalog.claims[page[0]], page[1])
            tasks.append((page, stored_analysis(reuse, body) if body is not None else None))
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
            for page, (text, made) in zip(batch, done):
                if made is not None:
                    body = _body(catalog.claims[page[0]], page[1])
                    assert body is not None
                    reuse.analysed(body, str(made))
                yield _path(catalog, page), text


def stored_analysis(reuse: Reuse, markdown: str) -> Markup | None:
    """The HTML that analysis_html made of an analysis before, as the cache layer keeps it (a
    cache.Store gives no value whose MAC does not verify: none that this machine did not write), or None."""
    kept = reuse.analysis(markdown)
    return Markup(kept) if kept is not None else None


def _render_in_worker(task: tuple[Page, Markup | None]) -> tuple[str, Markup | None]:
    """In a worker: (page text, the analysis HTML if it had to be converted)."""
    pages = shared()  # the parent's ClaimPages, as it was when the worker forked
    assert pages is not None
    return _page(pages, *task)
