"""Render the catalog through the Jinja templates in templates/ into (path under docs/, text), one at a time.

Pure: nothing here reads claims or writes files, nor knows of the caches (what it may reuse comes as
plain data and callables: reuse.Reuse). Every page is HTML inside a Markdown file, with
all claim text escaped by Jinja's autoescape, so that `|`, `*`, `[` or `<` in a claim can never
become Markdown or HTML structure; only the analysis body is Markdown, converted here and then
cleaned by nh3 to a small safe list of tags (the raw-HTML policy in docs/contributing.md)."""
from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment

from .. import geo, i18n
from ..check.schema import SCHEMA_DIR, schema
from ..config import SiteConfig
from ..model import Catalog, Claim
from ..write import LAND, Content, Kept
from . import exports, reference
from . import facets as facet_pages  # facet_pages.FACET_PAGE_SIZE read at each call: the tests set it
from .chart import status_chart
from .claim_pages import ClaimPages, claim_pages
from .downloads import Download, packed
from .facets import FacetPage, FacetRows, facets
from .feeds import feed_files
from .language_pages import page_context, shown_title
from .links import facet_path, in_language, language_folders, relative_link
from .reuse import NOTHING, Reuse
from .search_pages import search_pages
from .text import country_in, environment

LATEST = 10
INDEX = "data/claims-index.json"  # the data of All claims and of the map; index_of(tag): in another site language


def index_of(tag: str) -> str:
    return f"data/claims-index.{tag}.json"

__all__ = ["language_folders", "render_site"]  # language_folders: the build's owned folders (build.py)


def render_site(catalog: Catalog, templates: Path, config: SiteConfig | None = None,
                reuse: Reuse = NOTHING) -> Iterator[tuple[str, Content]]:
    """Every generated file, as (path relative to docs/, text), one at a time, so that the writer never
    holds the whole site; large data files come as an iterable of pieces. The claim pages come
    first, then ("", write.LAND). Raises jinja2 errors on a broken template.
    With `reuse` (the cache layer's, point 3: reuse.py), claim and facet pages that it says are
    current come as write.Kept, not rendered; analyses, and each claim's pieces of the data files
    and facet rows, may come from it."""
    config = config or SiteConfig()
    environments: dict[str | None, Environment] = {None: environment(templates)}

    def page(path: str, template: str, link_from: str | None = None, language: str | None = None,
             **context: Any) -> tuple[str, str]:
        # A snippet is included into a hand-written page: its links are relative to that page. In a site
        # language other than the default (language_pages.py), the page is at its version's place.
        at = in_language(path, language)
        here = link_from or at
        context = {**page_context(link_from or path, config, language), **context}
        context.update(link=lambda to: relative_link(here, to), config=config, catalog=catalog)
        if language not in environments:
            environments[language] = environment(templates, language)
        return at, environments[language].get_template(template).render(**context)

    def snippet(name: str, template: str, link_from: str, **context: Any) -> Iterator[tuple[str, str]]:
        # The hand-written page includes _snippets/<name>.md, a placeholder that Markdown passes through;
        # the plugin puts _snippets/<name>.html in its place once Markdown is done (on_page_content), so
        # no registry or claim text in it is ever read as Markdown (a fence with attributes in a rating's
        # description gave the attacker ids, classes and data-* attributes).
        yield page(f"_snippets/{name}.html", template, link_from=link_from, **context)
        yield f"_snippets/{name}.md", snippet_placeholder(name) + "\n"

    def pieces(kind: str, make: Callable[[Claim], Any]) -> Iterator[Any]:
        """Each claim's piece of a data file, in the catalog's order (recalled, in the preview)."""
        return (reuse.recall(kind, claim, functools.partial(make, claim)) for claim in catalog.claims)

    kinds = _enum_descriptions()
    yield from claim_pages(catalog, ClaimPages(templates, config, kinds), reuse)
    # The claim pages land in docs/ now, the rest when it is made: the preview then shows a saved
    # claim's page while the lists and the data files are made (2 s of 4 s at 50,000 claims).
    yield "", LAND

    all_facets = facets(catalog)  # after the claim pages, which do not need it: 0.2 s at 50,000 claims
    mapped = sum(1 for claim in catalog.claims if claim.incident.coordinates)  # the claims that GeoJSON can hold
    yield page("claims/index.md", "all-claims.md.j2", total=len(catalog.claims), mapped=mapped)
    yield page("map/index.md", "map.md.j2", total=len(catalog.claims), mapped=mapped)
    index = list(claims_index(catalog))  # in pieces, made once for both: 0.15 s at 10,000 claims
    yield INDEX, index
    yield "data/claims-index.js", claims_index_script(index)
    for tag in i18n.site_languages(config)[1:]:  # each site language's, with its titles and labels
        index = list(claims_index(catalog, tag, i18n.site_languages(config)))
        yield index_of(tag), index
        yield index_of(tag)[:-len(".json")] + ".js", claims_index_script(index)
    for tag in i18n.site_languages(config)[1:]:  # the scripts' texts; English, the msgids' language, needs none
        catalogue = i18n.load(templates.parent, tag)
        if catalogue.digest:
            yield f"data/messages/{tag}.js", i18n.messages_script(catalogue)
    published: dict[str, Download] = {}  # what the Downloads page lists, below
    plain_max = None if config.plain_data_max_mb is None else config.plain_data_max_mb * 1_000_000
    for name, text in (
            ("claims.json", exports.claims_json(
                catalog, config, pieces("claims.json", functools.partial(exports.claim_json, config=config)))),
            ("claims.csv", exports.claims_csv(
                catalog, config, pieces("claims.csv", functools.partial(exports.claim_csv, config=config)))),
            ("evidence.csv", exports.evidence_csv(catalog, pieces("evidence.csv", exports.claim_evidence_csv))),
            ("claims.geojson", exports.claims_geojson(
                catalog, config, pieces("claims.geojson", functools.partial(exports.claim_feature, config=config)))),
            ("claimreview.json", exports.claimreview_feed(
                catalog, config, pieces("claimreview.json", functools.partial(
                    exports.claimreview_item, catalog=catalog, config=config))))):
        download, compressed, plain = packed(name, text, plain_max)
        published[name] = download
        if plain is not None:
            yield f"data/{name}", plain
        yield f"data/{name}.gz", compressed
    for kind in ("claim", "translation", "parties", "categories", "ratings"):
        yield f"schema/{kind}.schema.json", (SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")
    yield from feed_files(catalog, config, templates.parent)
    yield from search_pages(templates, config)

    yield page("browse/index.md", "browse.md.j2", facets=all_facets)
    rows = FacetRows(environments[None], catalog, reuse.recall)

    def facet_page(at: FacetPage) -> str:
        shown = sorted(at.claims, key=lambda c: (c.incident.date, c.id), reverse=True)
        return page(at.path, "facet.md.j2", facet=at.facet, value=at.value, rows=rows, claims=shown,
                    number=at.number, pages=at.pages, start=(at.number - 1) * facet_pages.FACET_PAGE_SIZE)[1]

    for facet in all_facets:
        yield page(facet_path(facet.key), "facet-index.md.j2", facet=facet)
        for value in facet.values:
            # An empty value (a rating no claim has yet) still gets its page, which says so.
            chunks = [value.claims[i:i + facet_pages.FACET_PAGE_SIZE]
                      for i in range(0, len(value.claims), facet_pages.FACET_PAGE_SIZE)] or [()]
            for number, chunk in enumerate(chunks, start=1):
                at = FacetPage(facet_path(facet.key, value.id, number), facet, value, number, len(chunks), chunk)
                yield at.path, Kept(functools.partial(facet_page, at)) if reuse.facet_kept(at) else facet_page(at)

    counts = Counter(c.status.id for c in catalog.claims)
    latest = sorted(catalog.claims, key=lambda c: (c.last_changed, c.id), reverse=True)[:LATEST]
    yield from snippet("home", "home.md.j2", link_from="index.md", counts=counts, latest=latest,
                       chart=status_chart(catalog), mapped=mapped)
    for tag in i18n.site_languages(config)[1:]:  # the home, All claims and the map in each other site language
        yield page("index.md", "home-page.md.j2", language=tag, counts=counts, latest=latest,
                   chart=status_chart(catalog, language=tag), mapped=mapped)
        # the scripts' texts (counts, the table's labels, the map's popup): the messages file written above
        messages = f"data/messages/{tag}.js" if i18n.load(templates.parent, tag).digest else None
        for path, template in (("claims/index.md", "all-claims.md.j2"), ("map/index.md", "map.md.j2")):
            yield page(path, template, language=tag, index_file=index_of(tag), total=len(catalog.claims), mapped=mapped,
                       messages=messages)
    yield from snippet("ratings", "ratings.md.j2", link_from="methodology.md", kinds=kinds)
    yield from snippet("contact", "contact.md.j2", link_from="methodology.md")  # also on about.md: no links of its own
    yield from snippet("reference", "reference.md.j2", link_from="claim-format.md",
                       fields={kind: reference.fields(kind) for kind in ("claim", "parties", "categories", "ratings")},
                       sections=[("Claim fields", "claim", "The front matter of claims/<id>.md."),
                                 ("Parties", "parties", "claims/parties.yml: one entry a party, under its id."),
                                 ("Categories", "categories", "claims/categories.yml: one entry a category, under "
                                  "its id."),
                                 ("The rating scale", "ratings", "claims/ratings.yml: the scale, in display order.")])
    yield from snippet("downloads", "downloads.md.j2", link_from="downloads.md",
                       claim_columns=exports.CLAIM_COLUMNS, evidence_columns=exports.EVIDENCE_COLUMNS,
                       separator=exports.LIST_SEPARATOR, date=exports.dataset_date(catalog),
                       version=exports.DATASET_VERSION, downloads=published,
                       total=len(catalog.claims), mapped=mapped)


def snippet_placeholder(name: str) -> str:
    """What a generated snippet's .md holds: an HTML comment (Markdown passes it through untouched) that
    the plugin replaces with the snippet's HTML. Claim text cannot make one: it is escaped."""
    return f"<!-- claimpress:snippet {name} -->"


def claims_index(catalog: Catalog, language: str | None = None, languages: Sequence[str] = ()) -> Iterator[str]:
    """The data of All claims and of the map, as JSON in pieces: compact rows with indexes into shared lists of
    labels. A party's aliases are listed once, with its name, for the table's text box to match ("HRW").
    A claim's position is the model's, as the site may publish it ([latitude, longitude, index into
    "precisions" or null, 1 if snapped to publish_precision else 0]), or null: one file for both pages, since
    the map needs every other column too (its filters and list), and the browser fetches it once.
    In `language`, a site language other than the default (`languages`: the site's), the labels are in
    it where the registries translate them, and so is a title where the claim has a page in it; each row
    then also says the title's language where it is another (an index into "languages": [tag, dir]) and
    whether the row leads to the claim's page in `language` (1) or to its own (0)."""
    ratings = [r.id for r in catalog.ratings]
    party_ids = sorted({pid for c in catalog.claims for p in (c.claimant, *c.accused) for pid in p.lineage})
    party_index = {pid: i for i, pid in enumerate(party_ids)}
    categories = sorted({cat.id for c in catalog.claims for cat in c.categories})
    category_index = {cid: i for i, cid in enumerate(categories)}
    countries = sorted({(c.incident.country, c.incident.country_name) for c in catalog.claims})
    head: dict[str, Any] = {
        "version": 3,
        "columns": ["id", "title", "status", "claimant", "accused", "accused_rollup", "country", "categories",
                    "incident_date", "updated", "location", "position"],
        "ratings": [[r.id, r.label_in(language), r.color, r.text_color] for r in catalog.ratings],
        "parties": [[pid, catalog.parties[pid].name_in(language), list(catalog.parties[pid].aliases)]
                    for pid in party_ids],
        "categories": [[cid, catalog.categories[cid].name_in(language)] for cid in categories],
        "countries": [[code, country_in(code, name, language) if language else name] for code, name in countries],
        "precisions": [[name, geo.RING_KM[name]] for name in geo.PRECISIONS],  # the radius of each one's ring, km
    }
    shown = {c.id: shown_title(c, language, languages) for c in catalog.claims} if language else {}
    if language:
        head["columns"] += ["title_language", "page"]
        marked = sorted({(t.lang, t.direction or "ltr") for t in shown.values() if t.lang})
        head["languages"] = [list(pair) for pair in marked]
        marks = {tag: i for i, (tag, _) in enumerate(marked)}

    def row(c: Claim) -> list[Any]:
        out = [c.id, shown[c.id].text if language else c.title, ratings.index(c.status.id), party_index[c.claimant.id],
               [party_index[p.id] for p in c.accused], [party_index[pid] for pid in c.accused_lineage],
               c.incident.country, [category_index[cat.id] for cat in c.categories], c.incident.date,
               c.last_changed, c.incident.location, _position(c)]
        if language:
            title = shown[c.id]
            out += [marks[title.lang] if title.lang else None, int(title.here)]
        return out

    return exports.json_list(head, "claims", (row(c) for c in catalog.claims), sort_keys=True)


def _position(claim: Claim) -> list[Any] | None:
    incident = claim.incident
    if incident.coordinates is None:
        return None
    precision = geo.PRECISIONS.index(incident.precision) if incident.precision else None
    return [*incident.coordinates, precision, int(incident.obscured)]


def claims_index_script(index: Iterable[str]) -> Iterator[str]:
    """The table's data (claims_index's pieces) as a script that sets window.claimpressIndex, for a site
    opened from disk (file://), where browsers refuse fetch() but run <script src> (claims-table.js,
    loadIndex). The same JSON (a JSON text is a JavaScript expression), escaped by script_safe."""
    yield "window.claimpressIndex = "
    for piece in index:
        yield exports.script_safe(piece.rstrip("\n"))  # compact JSON: only its last piece ends in a line break
    yield ";\n"


def _enum_descriptions() -> dict[str, dict[str, str]]:
    """Value -> description for the evidence kinds and stances, from the JSON Schema (the single source)."""
    definitions = schema("claim")["definitions"]
    evidence = schema("claim")["properties"]["evidence"]["items"]["properties"]
    out = {}
    for name, node in (("evidence_kind", definitions["evidence_kind"]),
                       ("response_stance", definitions["response_stance"]),
                       ("evidence_stance", evidence["stance"])):
        out[name] = dict(zip(node["enum"], node["enumDescriptions"]))
    return out
