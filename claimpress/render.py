"""Render the catalog through the Jinja templates in templates/ into (path under docs/, text), one at a time.

Pure: nothing here reads claims or writes files. Every page is HTML inside a Markdown file, with
all claim text escaped by Jinja's autoescape, so that `|`, `*`, `[` or `<` in a claim can never
become Markdown or HTML structure; only the analysis body is Markdown, converted here and then
cleaned by nh3 to a small safe list of tags (the raw-HTML policy in docs/contributing.md).
"""
from __future__ import annotations

import functools
import html
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import nh3
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import exports, gfm, reference
from .cache import CONVERTERS, RENDERING_LIBRARIES, code_version, digest, library_versions
from .check import can_fork
from .config import SiteConfig
from .machine import usable_cores
from .model import Catalog, Claim, Party
from .schema import SCHEMA_DIR, schema
from .write import GENERATED, LAND, Content, Kept  # noqa: F401 - GENERATED: render.GENERATED for callers

FACET_PAGE_SIZE = 200  # rows a facet page shows before it continues on a next page
LATEST = 10

ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "h5", "h6", "em", "strong", "b", "i", "a", "ul", "ol", "li",
                "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "abbr",
                "hr", "del", "ins", "q", "cite", "small"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"},
                      "ol": {"start"}}  # no "cite" on <q>: nh3 does not check its address


@dataclass(frozen=True)
class FacetValue:
    id: str          # in the URL
    label: str
    claims: tuple[Claim, ...]
    party: Party | None = None


@dataclass(frozen=True)
class Facet:
    key: str         # in the URL: browse/<key>/
    title: str       # "Accused"
    values: tuple[FacetValue, ...]


def facets(catalog: Catalog) -> tuple[Facet, ...]:
    claims = catalog.claims

    def group(key: Callable[[Claim], Iterable[str]]) -> dict[str, list[Claim]]:
        out: dict[str, list[Claim]] = {}
        for claim in claims:
            for value in key(claim):
                out.setdefault(value, []).append(claim)
        return out

    by_status = group(lambda c: [c.status.id])
    by_accused = group(lambda c: c.accused_lineage)
    by_claimant = group(lambda c: c.claimant.lineage)
    by_country = group(lambda c: [c.incident.country])
    by_category = group(lambda c: [cat.id for cat in c.categories])
    by_year = group(lambda c: [c.year])
    names = {c.incident.country: c.incident.country_name for c in claims}
    parties = catalog.parties
    return (
        Facet("status", "Status", tuple(
            FacetValue(r.id, r.label, tuple(by_status.get(r.id, ()))) for r in catalog.ratings)),
        Facet("accused", "Accused", tuple(
            FacetValue(pid, parties[pid].name, tuple(cs), party=parties[pid])
            for pid, cs in sorted(by_accused.items(), key=lambda kv: parties[kv[0]].name.lower()))),
        Facet("claimant", "Claimant", tuple(
            FacetValue(pid, parties[pid].name, tuple(cs), party=parties[pid])
            for pid, cs in sorted(by_claimant.items(), key=lambda kv: parties[kv[0]].name.lower()))),
        Facet("country", "Country", tuple(
            FacetValue(code.lower(), names[code], tuple(cs)) for code, cs in sorted(by_country.items(),
                                                                                 key=lambda kv: names[kv[0]]))),
        Facet("category", "Category", tuple(
            FacetValue(cid, catalog.categories[cid].name, tuple(by_category.get(cid, ())))
            for cid in catalog.categories if cid in by_category)),
        Facet("year", "Year", tuple(
            FacetValue(year, year, tuple(cs)) for year, cs in sorted(by_year.items(), reverse=True))),
    )


# --- paths and links ----------------------------------------------------------------------------

def claim_path(cid: str) -> str:
    return f"claims/{cid}.md"


def facet_path(facet: str, value: str | None = None, page: int = 1) -> str:
    if value is None:
        return f"browse/{facet}/index.md"
    return f"browse/{facet}/{value}/index.md" if page == 1 else f"browse/{facet}/{value}/page-{page}.md"


def _url_dir(path: str) -> str:
    """The folder URL MkDocs gives a page (use_directory_urls): a/b.md -> a/b, a/index.md -> a."""
    stem = path[:-3] if path.endswith(".md") else path
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")].rstrip("/")
    return stem


def relative_link(from_page: str, to: str) -> str:
    """A link from one generated page to another page (.md) or file, as the built site needs it:
    up to the site's root, then down to the target (cheaper than posixpath.relpath, called ~20 times a page)."""
    here = _url_dir(from_page)
    target = (_url_dir(to) + "/" if _url_dir(to) else "") if to.endswith(".md") else to
    up = "../" * (here.count("/") + 1) if here else ""
    return (up + target) or "./"


# --- text helpers (presentation decisions that need Python) ------------------------------------

def analysis_html(body: str) -> Markup:
    """The analysis Markdown as HTML, cleaned to the safe list. The page puts it under an "Analysis"
    heading (h2), so its own headings move one level down: ## becomes h3."""
    # GitHub-flavoured Markdown, as GitHub previews the claim file in a pull request, by cmark-gfm (C:
    # about 30x faster than Python-Markdown). Raw HTML passes through it (CMARK_OPT_UNSAFE, and no
    # "tagfilter", which would show a <script> as text) only to be cleaned by nh3 below, which keeps the
    # documented safe list (<sup>, <abbr>...) and removes scripts and styles with their content.
    converted = gfm.to_html(body, gfm.ANALYSIS_OPTIONS, gfm.ANALYSIS_EXTENSIONS)
    converted = re.sub(r"<(/?)h([1-6])>", lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}>", converted)
    clean = nh3.clean(converted, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto"}, link_rel="nofollow noopener noreferrer")
    return Markup(clean)


def meta_text(text: str) -> Markup:
    """Text for a MkDocs page's meta title/description: the theme inserts those unescaped, so escape here.
    JSON is valid YAML, and keeps it on one line whatever the text holds."""
    # ensure_ascii: MkDocs' YAML reader rejects some characters JSON leaves raw (U+0080-U+009F), and
    # MkDocs then silently renders the whole front matter as Markdown, outside the escaped HTML.
    return Markup(json.dumps(html.escape(" ".join(text.split()), quote=True), ensure_ascii=True))


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def date_text(value: str | None) -> str:
    """2018-09-08 -> 8 September 2018; 2018-09 -> September 2018; 2018 -> 2018."""
    if not value:
        return ""
    parts = value.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


_ACRONYMS = {"un": "UN", "ngo": "NGO"}  # in the schema's enumerations: "un-report" reads "UN report"


def _label_lower(value: str) -> str:
    """An enumeration's value as words in running text: "ngo-report" -> "NGO report"."""
    return " ".join(_ACRONYMS.get(word, word) for word in value.split("-"))


def _label(value: str) -> str:
    """The same, as a label: "media-report" -> "Media report"."""
    text = _label_lower(value)
    return text[:1].upper() + text[1:]


# --- the site -----------------------------------------------------------------------------------

def environment(templates: Path) -> Environment:
    env = Environment(loader=FileSystemLoader(str(templates)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(date_text=date_text, label=_label, label_lower=_label_lower, meta=meta_text)
    env.globals.update(facet_path=facet_path, claim_path=claim_path)
    return env


def render_site(catalog: Catalog, templates: Path, config: SiteConfig | None = None,
                store: Any = None, stamps: Any = None, remembered: Any = None) -> Iterator[tuple[str, Content]]:
    """Every generated file, as (path relative to docs/, text), one at a time, so that the writer never
    holds the whole site; large data files come as an iterable of pieces. The claim pages come
    first, then ("", write.LAND). Raises jinja2 errors on a broken template.
    `store` (a cache.Store) keeps the HTML of analyses that have not changed since the last run;
    `stamps` (a cache.PageStamps) says which claim pages are current already: those come as
    write.Kept, not rendered. `remembered` (a cache.Remembered, kept by the preview between
    generations) gives back what each unchanged claim gave the data files and the facet pages."""
    env = environment(templates)
    config = config or SiteConfig()
    base = page_key_base(catalog, templates, config) if stamps is not None or remembered is not None else None
    page_keys = claim_page_keys(catalog, base) if base is not None else None
    recall = remembered.recall(catalog, page_keys) if remembered is not None else exports.made_now

    def page(path: str, template: str, link_from: str | None = None, **context: Any) -> tuple[str, str]:
        # A snippet is included into a hand-written page: its links are relative to that page.
        here = link_from or path
        context.update(link=lambda to: relative_link(here, to), config=config, catalog=catalog)
        return path, env.get_template(template).render(**context)

    def snippet(name: str, template: str, link_from: str, **context: Any) -> Iterator[tuple[str, str]]:
        # The hand-written page includes _snippets/<name>.md, a placeholder that Markdown passes through;
        # the hooks put _snippets/<name>.html in its place once Markdown is done (on_page_content), so
        # no registry or claim text in it is ever read as Markdown (a fence with attributes in a rating's
        # description gave the attacker ids, classes and data-* attributes).
        yield page(f"_snippets/{name}.html", template, link_from=link_from, **context)
        yield f"_snippets/{name}.md", snippet_placeholder(name) + "\n"

    kinds = _enum_descriptions()
    yield from claim_pages(catalog, ClaimPages(templates, config, kinds), store, stamps, page_keys)
    # The claim pages land in docs/ now, the rest when it is made: the preview then shows a saved
    # claim's page while the lists and the data files are made (2 s of 4 s at 50,000 claims).
    yield "", LAND

    all_facets = facets(catalog)  # after the claim pages, which do not need it: 0.2 s at 50,000 claims
    mapped = sum(1 for claim in catalog.claims if claim.incident.coordinates)  # the claims that GeoJSON can hold
    yield page("claims/index.md", "all-claims.md.j2", total=len(catalog.claims), mapped=mapped)
    yield "data/claims-index.json", claims_index(catalog)
    yield "data/claims.json", exports.claims_json(catalog, config, recall)
    yield "data/claims.csv", exports.claims_csv(catalog, config, recall)
    yield "data/evidence.csv", exports.evidence_csv(catalog, recall)
    yield "data/claims.geojson", exports.claims_geojson(catalog, config, recall)
    yield "data/claimreview.json", exports.claimreview_feed(catalog, config, recall)
    for kind in ("claim", "parties", "categories", "ratings"):
        yield f"schema/{kind}.schema.json", (SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")
    yield "claims.atom", exports.claims_atom(catalog, config)
    yield "corrections.atom", exports.corrections_atom(catalog, config)

    yield page("browse/index.md", "browse.md.j2", facets=all_facets)
    rows = FacetRows(env, catalog, recall)
    key_of = dict(zip((c.id for c in catalog.claims), page_keys)) if page_keys is not None else {}
    for facet in all_facets:
        yield page(facet_path(facet.key), "facet-index.md.j2", facet=facet)
        for value in facet.values:
            # An empty value (a rating no claim has yet) still gets its page, which says so.
            chunks = [value.claims[i:i + FACET_PAGE_SIZE]
                      for i in range(0, len(value.claims), FACET_PAGE_SIZE)] or [()]
            for number, chunk in enumerate(chunks, start=1):
                path = facet_path(facet.key, value.id, number)

                def make(path: str = path, value: FacetValue = value, number: int = number, pages: int = len(chunks),
                         chunk: tuple[Claim, ...] = chunk, facet: Facet = facet) -> str:
                    shown = sorted(chunk, key=lambda c: (c.incident.date, c.id), reverse=True)
                    return page(path, "facet.md.j2", facet=facet, value=value, rows=rows, claims=shown,
                                number=number, pages=pages, start=(number - 1) * FACET_PAGE_SIZE)[1]

                if stamps is None or base is None:
                    yield path, make()
                elif stamps.current(path, facet_page_key(base, facet, value, number, len(chunks),
                                                         (key_of[c.id] for c in chunk))):
                    yield path, Kept(make)
                else:
                    text = make()
                    stamps.made(path, text)
                    yield path, text

    counts = Counter(c.status.id for c in catalog.claims)
    latest = sorted(catalog.claims, key=lambda c: (c.last_changed, c.id), reverse=True)[:LATEST]
    yield from snippet("home", "home.md.j2", link_from="index.md", counts=counts, latest=latest,
                       chart=status_chart(catalog))
    yield from snippet("ratings", "ratings.md.j2", link_from="methodology.md", kinds=kinds)
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
                       total=len(catalog.claims), mapped=mapped)


def snippet_placeholder(name: str) -> str:
    """What a generated snippet's .md holds: an HTML comment (Markdown passes it through untouched) that
    the hooks replace with the snippet's HTML. Claim text cannot make one: it is escaped."""
    return f"<!-- claimpress:snippet {name} -->"


class FacetRows(dict):
    """Claim id -> the claim's row in facet tables, made when a facet page first asks for it (a page
    known current asks for none), or recalled from the preview's memory."""

    def __init__(self, env: Environment, catalog: Catalog, recall: exports.Recall) -> None:
        super().__init__()
        self.row = env.get_template("_macros.j2").module.claim_row  # type: ignore[attr-defined]
        self.catalog, self.recall = catalog, recall
        self.here = facet_path("status", "x")  # every facet page is as deep: links are the same

    def __missing__(self, cid: str) -> str:
        claim = self.catalog.claim(cid)
        assert claim is not None
        made = self[cid] = self.recall("facet row", claim,
                                       lambda: self.row(claim, lambda to: relative_link(self.here, to)))
        return made


# --- claim pages, on the cores this process may use -----------------------------------------------

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


def facet_page_key(base: bytes, facet: Facet, value: FacetValue, number: int, pages: int,
                   claim_keys: Iterable[str]) -> str:
    """A digest of everything a facet page is made from (facet.md.j2): the `base`, the facet and
    value it lists, its place among the value's pages, and the keys of the claims it shows (their
    rows, and the order the page sorts them in, are made from what those keys cover)."""
    return digest(base, facet.key.encode(), facet.title.encode(), value.id.encode(), value.label.encode(),
                  f"{len(value.claims)} {number} {pages}".encode(), "".join(claim_keys).encode())


PARALLEL_FROM = 500  # claim pages before rendering is spread over the cores
CHUNK = 16  # claim pages a worker renders at a time
PAGES_A_WORKER = 1024  # claim pages a worker renders before a new one takes its place

_PAGES: ClaimPages | None = None  # set in the parent before forking; what a worker renders with


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
    global _PAGES
    catalog = pages.catalog
    assert catalog is not None
    if len(todo) < max(PARALLEL_FROM, 2) or not can_fork():
        yield from (here(i) for i in todo)
        return
    # The first page here: a broken template fails in this process, with its file and line.
    yield here(todo[0])
    import multiprocessing

    _PAGES = pages
    # The workers get each stored analysis with the task (they never open the store) and send back
    # the ones they had to convert. Batches: the next is rendered while this one is written.
    batches = [todo[start:start + 256] for start in range(1, len(todo), 256)]

    def submit(batch: list[int]) -> Any:
        tasks = [(i, stored_analysis(store, keys[i])) for i in batch]
        return pool.map_async(_render_in_worker, tasks, chunksize=CHUNK)

    try:
        # A worker touches the reference counts of every claim it renders, so the memory it shares
        # with this process becomes its own, page by page: at 50,000 claims each worker ended
        # with a private copy of most of the catalog (1.8 GiB for the three processes). A worker
        # that has rendered PAGES_A_WORKER pages is replaced by a new fork: 0.9 GiB.
        with multiprocessing.get_context("fork").Pool(usable_cores(), maxtasksperchild=max(1, PAGES_A_WORKER // CHUNK)) as pool:
            pending = submit(batches[0])
            for number, batch in enumerate(batches):
                done = pending.get()
                if number + 1 < len(batches):
                    pending = submit(batches[number + 1])
                for i, (text, made) in zip(batch, done):
                    if made is not None and store is not None:
                        store.put("analyses", keys[i], str(made))
                    yield claim_path(catalog.claims[i].id), text
    finally:
        _PAGES = None


def stored_analysis(store: Any, key: str) -> Markup | None:
    """The HTML that analysis_html made of an analysis before, as the store keeps it (a cache.Store
    gives no value whose MAC does not verify: none that this machine did not write), or None."""
    kept = store.get("analyses", key) if store is not None else None
    return Markup(kept) if isinstance(kept, str) else None


def _render_in_worker(task: tuple[int, Markup | None]) -> tuple[str, Markup | None]:
    """In a worker: (page text, the analysis HTML if it had to be converted)."""
    pages = _PAGES
    assert pages is not None and pages.catalog is not None
    index, analysis = task
    claim = pages.catalog.claims[index]
    made = None
    if analysis is None:
        analysis = made = analysis_html(claim.body)
    return pages.render(claim, analysis), made


def claims_index(catalog: Catalog) -> Iterator[str]:
    """The all-claims table's data, as JSON in pieces: compact rows with indexes into shared lists of labels."""
    ratings = [r.id for r in catalog.ratings]
    party_ids = sorted({pid for c in catalog.claims for p in (c.claimant, *c.accused) for pid in p.lineage})
    party_index = {pid: i for i, pid in enumerate(party_ids)}
    categories = sorted({cat.id for c in catalog.claims for cat in c.categories})
    category_index = {cid: i for i, cid in enumerate(categories)}
    countries = sorted({(c.incident.country, c.incident.country_name) for c in catalog.claims})
    head = {
        "version": 1,
        "columns": ["id", "title", "status", "claimant", "accused", "accused_rollup", "country", "categories",
                    "incident_date", "updated"],
        "ratings": [[r.id, r.label, r.color, r.text_color] for r in catalog.ratings],
        "parties": [[pid, catalog.parties[pid].name] for pid in party_ids],
        "categories": [[cid, catalog.categories[cid].name] for cid in categories],
        "countries": [list(pair) for pair in countries],
    }
    rows = ([c.id, c.title, ratings.index(c.status.id), party_index[c.claimant.id],
             [party_index[p.id] for p in c.accused], [party_index[pid] for pid in c.accused_lineage],
             c.incident.country, [category_index[cat.id] for cat in c.categories], c.incident.date,
             c.last_changed] for c in catalog.claims)
    return exports.json_list(head, "claims", rows, sort_keys=True)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    color: str
    title: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    years: tuple[tuple[float, str], ...]   # (x of the label, year)
    ticks: tuple[tuple[float, int], ...]   # (y, count)
    legend: tuple[tuple[str, str], ...]    # (colour, label)
    bar_width: float


def status_chart(catalog: Catalog, width: int = 640, height: int = 240) -> Chart:
    """Claims by incident year, stacked by status: geometry for the SVG in templates/home.md.j2."""
    years = sorted({c.year for c in catalog.claims})
    if years:
        years = [str(y) for y in range(int(years[0]), int(years[-1]) + 1)]
    counts = Counter((c.year, c.status.id) for c in catalog.claims)
    totals = Counter(c.year for c in catalog.claims)
    top = max(totals.values(), default=1)
    left, bottom, plot_h = 40, 30, height - 50
    slot = (width - left - 10) / max(len(years), 1)
    bar_w = max(min(slot * 0.7, 48), 1)
    bars = []
    for i, year in enumerate(years):
        y = height - bottom
        for rating in catalog.ratings:
            n = counts.get((year, rating.id), 0)
            if n:
                h = plot_h * n / top
                y -= h
                bars.append(Bar(round(left + i * slot + (slot - bar_w) / 2, 2), round(y, 2), round(h, 2),
                                rating.color, f"{year}: {n} {rating.label}"))
    step = max(1, -(-top // 4))
    ticks = tuple((round(height - bottom - plot_h * t / top, 2), t) for t in range(0, top + 1, step))
    label_every = max(1, -(-len(years) // 12))
    labels = tuple((round(left + i * slot + slot / 2, 2), year) for i, year in enumerate(years) if i % label_every == 0)
    used = {c.status.id for c in catalog.claims}
    legend = tuple((r.color, r.label) for r in catalog.ratings if r.id in used)
    return Chart(width, height, tuple(bars), labels, ticks, legend, round(bar_w, 2))


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
