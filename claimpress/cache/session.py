"""One run's caches (Session), wrapped around the stages at the stated points (see __init__.py)."""
from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ..check.project import REGISTRY_FILES, Checked, CheckResult, Stage
from ..check.rules import Registries
from ..check.scaffold import SCAFFOLD
from .checks import CheckCache
from .keys import digest, document_key
from .memory import Remembered
from .stamps import PageStamps
from .store import Store

if TYPE_CHECKING:
    from ..config import SiteConfig
    from ..model import Catalog, Claim
    from ..render.facets import FacetPage
    from ..render.reuse import Recall, Reuse
    from ..write import Content

Model = Callable[[CheckResult, Mapping[str, tuple[str, "Claim"]]], "Catalog"]  # model.build_catalog


class Session:
    """The caches of one run (a check, a build, a generation of the preview): opened once by what
    runs the stages (check_project, build.generate), closed at its end, wrapped around the stages at
    the stated points: `check` (or `check_diagnostics`), `model`, and `reuse` with `recorded`. One
    store for the whole run; with the preview's `memory` (a Remembered), what it keeps between
    generations too. A project whose caches may not be used (cache.usable) runs the stages all the same."""

    def __init__(self, root: Path, memory: Remembered | None = None) -> None:
        self.root = root
        self.memory = memory
        self.store = Store(root)  # the checked data of valid claims, the analyses, the page stamps
        self.stamps = PageStamps(self.store, root / "docs")
        self.complete: list[str] = []  # the store's tables that every use of this run has marked: pruned at the end
        # Once reuse() ran: the start of every page's key, each claim page's key by claim id (cache.pages),
        # and the versions of the analyses' converters (keys.CONVERTERS).
        self.base = b""
        self.page_keys: dict[str, str] = {}
        self.converters = b""
        self.pieces_stored = False  # whether each claim's pieces of the data files come from the store

    def __enter__(self) -> Session:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Commit the store; drop its entries that no complete stage of this run used."""
        self.store.close(prune=tuple(self.complete))

    # --- point 1: around the per-file check (check.project.check_files' `around`) --------------------

    def check(self, files: Sequence[os.DirEntry], registries: Registries, claim_ids: set[str],
              stage: Stage) -> Iterator[tuple[os.DirEntry, Checked]]:
        """For a run that models the claims: a file unchanged since it was last checked (its content,
        the registries, the set of claim ids and the date the same) takes its diagnostics from the
        check cache and its checked data from the store (or none, if the preview's memory holds it
        modelled: only its `source`); the others go to the stage, and what it gives is kept."""
        return self._check(files, registries, claim_ids, stage, data=True)

    def check_diagnostics(self, files: Sequence[os.DirEntry], registries: Registries, claim_ids: set[str],
                          stage: Stage) -> Iterator[tuple[os.DirEntry, Checked]]:
        """As `check`, for a run that wants only the diagnostics (the `check` command): no claim data
        is fetched, and none given."""
        return self._check(files, registries, claim_ids, stage, data=False)

    def _check(self, files: Sequence[os.DirEntry], registries: Registries, claim_ids: set[str], stage: Stage,
               data: bool) -> Iterator[tuple[os.DirEntry, Checked]]:
        cache = CheckCache(self.root, self.memory.check if self.memory is not None else None)
        context = _context(self.root / "claims", claim_ids, registries)
        known = self.memory.known_sources(registries) if self.memory is not None and data else frozenset()
        todo: list[tuple[os.DirEntry, tuple | None]] = []  # the files to check, with their cache key
        for entry in files:
            key = cache.key(entry, entry.stat(follow_symlinks=False), context,
                            registries.translations.get(entry.name[:-3], ()))
            kept = self._kept(cache.get(key), key, data, known) if key else None
            if kept is None:
                todo.append((entry, key))
            else:
                yield entry, kept
        for (entry, key), checked in zip(todo, stage([entry for entry, _ in todo], registries, claim_ids)):
            if key:
                cache.put(key, (checked.diagnostics, checked.summary))
                if checked.packed is not None:
                    checked.source = document_key(key[0], key[1])
                    self.store.put_packed("documents", checked.source, checked.packed)
            if not data:
                checked.packed, checked.source = None, ""
            yield entry, checked
        cache.save()
        if self.memory is not None:
            self.memory.check = (cache.path, cache.used)
        self.complete.append("documents")

    def _kept(self, cached: Any, key: tuple, data: bool, known: frozenset[str]) -> Checked | None:
        """What the caches kept of a file, from its check cache entry `cached`; None if it must be
        checked again (no entry, or a valid claim whose data the store does not have)."""
        if cached is None:
            return None
        found, summary = cached
        if any(d.is_error for d in found):
            return Checked(found, summary)
        source = document_key(key[0], key[1])
        packed = None
        if data and source not in known:  # a claim in `known`: the model takes it from the memory
            packed = self.store.get_packed("documents", source)
            if packed is None:  # checked before, but not kept: check again
                return None
        self.store.keep("documents", source)
        return Checked(found, summary, packed, source if data else "")

    # --- point 2: around modelling (model.build_catalog) ---------------------------------------------

    def model(self, result: CheckResult, build: Model) -> Catalog:
        """The catalog that `build` makes of `result`, given the claims the preview's memory holds
        modelled from the same registries (id -> (source, Claim)): one whose source is unchanged is
        taken as it is. The claims of the catalog are remembered for the next generation."""
        if self.memory is None:
            return build(result, {})
        catalog = build(result, self.memory.modelled(result.registries))
        self.memory.claims = {claim.id: (catalog.sources[claim.id], claim) for claim in catalog.claims}
        return catalog

    # --- point 3: around rendering (render.site.render_site's `reuse`, and its output) ---------------

    def reuse(self, catalog: Catalog, templates: Path, config: SiteConfig) -> Reuse:
        """What render_site may take from earlier runs: the claim pages whose stamps say they are
        current (the key of each page: cache.pages), a facet page's stamp, the HTML of analyses in
        the store, and, in the preview, what each unchanged claim gave the data files and facet rows."""
        from ..render.links import claim_path
        from ..render.reuse import Reuse
        from ..render.text import cleaning_rules
        from .keys import CONVERTERS, library_versions
        from .pages import analysis_key, claim_page_keys, page_key_base

        base = page_key_base(catalog, templates, config)
        keys = claim_page_keys(catalog, base)
        self.base, self.page_keys = base, {claim.id: key for claim, key in zip(catalog.claims, keys)}
        self.converters = library_versions(CONVERTERS).encode() + cleaning_rules()
        kept = set()
        for claim, key in zip(catalog.claims, keys):
            if self.stamps.current(claim_path(claim.id), key):
                kept.add(claim.id)
                self.store.keep("analyses", analysis_key(self.converters, claim.body))  # needed when it is made again
        recall = self.memory.recall(catalog, keys) if self.memory is not None else self._stored_pieces(catalog, keys)
        return Reuse(frozenset(kept), self._facet_kept, self._analysis, self._analysed, recall,
                     self._translated_kept(catalog, keys, config))

    def _stored_pieces(self, catalog: Catalog, keys: list[str]) -> Recall:
        """A Recall that takes each claim's pieces of the data files from the store, where its page's
        key (which holds all the piece is made from) is the same as when they were made: after one
        edit at 10,000 claims, making them all again was a third of the generation."""
        by_id = {claim.id: key for claim, key in zip(catalog.claims, keys)}
        self.pieces_stored = True

        def recall(kind: str, claim: Claim, make: Callable[[], Any]) -> Any:
            if kind == "facet row":  # markup, made only for the few lists written again
                return make()
            key = f"{kind} {by_id[claim.id]}"
            kept = self.store.get("pieces", key)
            if isinstance(kept, list) and len(kept) == 1 and (kept[0] is None or type(kept[0]) is str):
                return kept[0]
            made = make()
            if made is None or type(made) is str:  # plain text, or none (a claim without a map feature)
                self.store.put("pieces", key, [made])
            return made
        return recall

    def _translated_kept(self, catalog: Catalog, keys: list[str], config: SiteConfig) -> frozenset[str]:
        """The translated claim pages (render.claim_pages.translated_pages) that are current."""
        from ..i18n import site_languages
        from ..render.links import claim_path
        from ..render.versions import translated_languages, translation_of
        from .pages import analysis_key, translated_page_key

        tags, kept = site_languages(config), set()
        for claim, key in zip(catalog.claims, keys):
            for tag in translated_languages(claim, tags):
                path = claim_path(claim.id, tag)
                if self.stamps.current(path, translated_page_key(key, tag)):
                    kept.add(path)
                    body = translation_of(claim, tag).body
                    if body is not None:
                        self.store.keep("analyses", analysis_key(self.converters, body))
        return frozenset(kept)

    def _facet_kept(self, page: FacetPage) -> bool:
        from .pages import facet_page_key

        return self.stamps.current(page.path, facet_page_key(self.base, page, self.page_keys))

    def _analysis(self, markdown: str) -> str | None:
        from .pages import analysis_key

        kept = self.store.get("analyses", analysis_key(self.converters, markdown))
        return kept if isinstance(kept, str) else None  # the store gives none that this machine did not write

    def _analysed(self, markdown: str, html: str) -> None:
        from .pages import analysis_key

        self.store.put("analyses", analysis_key(self.converters, markdown), html)

    def recorded(self, files: Iterable[tuple[str, Content]]) -> Iterator[tuple[str, Content]]:
        """The files render_site gives, as they come, with the text of each page it rendered that has a
        key (claim and facet pages) noted for its stamp."""
        keyed = self.stamps.keys
        for path, content in files:
            if isinstance(content, str) and path in keyed:
                self.stamps.made(path, content)
            yield path, content

    def rendered(self) -> None:
        """After every page is written: keep the stamps; the analyses and stamps no page used are stale."""
        self.stamps.record()
        self.complete += ["analyses", "pages"] + (["pieces"] if self.pieces_stored else [])  # every claim's, asked for

    @property
    def skipped(self) -> Counter[str]:
        """Top folder under docs/ (claims, browse) -> the pages not rendered, current already."""
        return self.stamps.skipped


def _context(claims_dir: Path, claim_ids: set[str], registries: Registries) -> str:
    """What every claim's diagnostics depend on besides its own text (and its translations'): the
    registries, the claim ids, the scaffold (the text a published claim may not hold), the date, the
    gazetteer's version (the no-coordinates warning names its candidate) and the site's languages
    (the default is the language of a claim that names none)."""
    from ..places import version as gazetteer_version

    registry_bytes = [(claims_dir / name).read_bytes() if (claims_dir / name).is_file() else b""
                      for name in REGISTRY_FILES]
    scaffold = claims_dir.parent / SCAFFOLD
    registry_bytes.append(scaffold.read_bytes() if scaffold.is_file() else b"")
    return digest(*registry_bytes, "\n".join(sorted(claim_ids)).encode(),
                  registries.latest_date.isoformat().encode(), f"gazetteer {gazetteer_version()}".encode(),
                  " ".join(registries.languages).encode())
