"""The keys of what the render step makes: a digest of everything a page (or an analysis' HTML) is
made from, so that one whose key is unchanged is not made again (stamps.PageStamps, the store)."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .keys import RENDERING_LIBRARIES, code_version, digest, library_versions

if TYPE_CHECKING:
    from ..config import SiteConfig
    from ..model import Catalog
    from ..render.facets import FacetPage


def page_key_base(catalog: Catalog, templates: Path, config: SiteConfig) -> bytes:
    """What every generated page is made from besides claims: every template, the settings, the
    registries, the country shapes of the claim pages' maps, and the code and libraries that render
    them (the start of each page's key)."""
    from ..i18n import catalogues_key
    from ..render.static_map import docs_of, shapes_key

    files = sorted(p for p in templates.rglob("*") if p.is_file())
    return digest(
        code_version().encode(), library_versions(RENDERING_LIBRARIES).encode(), shapes_key(docs_of(templates)),
        catalogues_key(templates.parent, config),  # a site language's catalogue: its pages' texts
        *(part for p in files for part in (p.relative_to(templates).as_posix().encode(), p.read_bytes())),
        # The same objects give the same text: frozen dataclasses of text, numbers, tuples and dicts.
        repr((config, catalog.parties, catalog.categories, catalog.ratings, catalog.best_rating,
              catalog.worst_rating)).encode("utf-8", "surrogatepass")).encode()


def claim_page_keys(catalog: Catalog, base: bytes) -> list[str]:
    """For each claim, a digest of everything its page is made from (render.claim_pages.ClaimPages.render):
    the `base` (page_key_base), the claim's checked data and that of the claims it links to
    (catalog.sources). What a claim gives the data files and facet rows is covered by it too."""
    sources = catalog.sources
    return [digest(base, sources[c.id].encode(), *(sources.get(cid, "-").encode() for cid in c.related))
            for c in catalog.claims]


def translated_page_key(claim_key: str, tag: str) -> str:
    """The key of a claim's page in the site language `tag`: its original page's key (the claim's
    checked data holds its translations', the base every site language's catalogue) and the language."""
    return digest(claim_key.encode(), b"language", tag.encode())


def facet_page_key(base: bytes, page: FacetPage, claim_keys: Mapping[str, str]) -> str:
    """A digest of everything a facet page is made from (facet.md.j2): the `base`, the facet and
    value it lists, its place among the value's pages, and the keys of the claims it shows (their
    rows, and the order the page sorts them in, are made from what those keys cover)."""
    facet, value = page.facet, page.value
    return digest(base, facet.key.encode(), facet.title.encode(), value.id.encode(), value.label.encode(),
                  f"{len(value.claims)} {page.number} {page.pages}".encode(),
                  "".join(claim_keys[c.id] for c in page.claims).encode())


def analysis_key(converters: bytes, markdown: str) -> str:
    """The store's key of an analysis' HTML: its Markdown, and the versions of the libraries that
    convert and clean it (keys.CONVERTERS, as library_versions gives them)."""
    return digest(converters, markdown.encode("utf-8", "surrogatepass"))
