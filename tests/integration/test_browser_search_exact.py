"""A site indexed in parts searches as one Pagefind index of the whole site would, in a real browser.

The build indexes a large site in parts and merges the parts' bundles into the site's one bundle,
pagefind/ (claimpress/search/merge.py). This builds 64 claims (69 pages to search) in parts of 15
pages (6 parts), and a copy of the site whose pagefind/ is made by one run of Pagefind over every
page, with the build's options. Through Pagefind's own JavaScript API, on each site, the same
queries give the same pages with the same scores (to 4 decimals), the same counts and the same
filter counts: for a rare word, a near word that shares its prefix, a prefix, two words, a word on
every claim, a word on no page, and filtered searches. The site's search page loads that one
bundle, never a pagefind-2/.

Why searching the parts side by side (the search page's old mergeIndex of pagefind/, pagefind-2/...)
fails here: the rare word "limoutai" is on 3 claims, in at most 3 of the 6 parts (asserted, with the
build's own division into parts), and "limo" is on 19 claims spread over the parts (asserted: some
part has "limo" and not "limoutai"). A part without "limoutai" answers the query with its pages
that have "limo" (so "limoutai" found 18 pages, not 3, when tried), and every part scores its pages
by how common the words are in the part alone (its 6 to 17 pages), not in the site, so the scores
of "limo", "allegation" etc. differ from one index's (7 of the 9 queries below differed).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURES
from sitebuild import built_site, fixture_project, set_setting
from test_browser import CHROMIUM, browser, host, serve  # noqa: F401 - browser: a fixture used by name

from claimpress.search.pages import searchable_pages
from claimpress.search.parts import PAGEFIND_OPTIONS, search_parts

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")

PER_PART = 15
GENERATED = 60
RARE = {7, 31, 44}  # the claims with "limoutai"
NEAR = {i for i in range(GENERATED) if i % 3 == 0} - RARE  # the claims with "limo" (19)
COUNTRIES = ["YE", "UA", "IQ", "AF", "SO"]


def url(i: int) -> str:
    return f"/claims/generated-{i:02d}/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = fixture_project(tmp_path_factory.mktemp("exact"))
    template = (FIXTURES / "project" / "claims" / "valid-minimal.md").read_text()
    for i in range(GENERATED):
        word = "limoutai" if i in RARE else "limo" if i in NEAR else "convoy"
        text = template.replace("id: valid-minimal", f"id: generated-{i:02d}").replace(
            "Example allegation with only the required fields", f"Generated allegation number {i:02d}").replace(
            "Example forces dropped barrel bombs.", f"Example forces dropped barrel bombs near the {word}.").replace(
            "country: SY", f"country: {COUNTRIES[i % len(COUNTRIES)]}")
        if i % 4 == 1:
            text = text.replace("status: unverified", "status: single-source\nverdict: Only the claimant reports it.")
        (root / "claims" / f"generated-{i:02d}.md").write_text(text)
    set_setting(root, "pages_per_search_index", PER_PART)
    return built_site(root)


@pytest.fixture(scope="module")
def whole(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the site with pagefind/ made by one run of Pagefind over all of it, with the build's
    options, and the build's claimpress-languages.json (the search page reads it)."""
    copy = tmp_path_factory.mktemp("whole") / "site"
    shutil.copytree(site, copy, ignore=lambda folder, names: ["pagefind"] if Path(folder) == site else [])
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(copy), *PAGEFIND_OPTIONS], check=True)
    shutil.copy(site / "pagefind" / "claimpress-languages.json", copy / "pagefind" / "claimpress-languages.json")
    return copy


@pytest.fixture(scope="module")
def merged_server(site: Path):
    yield from serve(site)


@pytest.fixture(scope="module")
def whole_server(whole: Path):
    yield from serve(whole)


@pytest.fixture
def open_page(browser, merged_server, whole_server):  # noqa: F811
    """Opens a tab for either site; the test fails on a console error, an uncaught exception, a
    dialog, an HTTP error or a request to any other host."""
    context = browser.new_context()
    problems: list[str] = []
    local = {urlsplit(merged_server).netloc, urlsplit(whole_server).netloc}

    def guard(route):
        if host(route.request.url) not in local:
            problems.append(f"request to another host: {route.request.url}")
            return route.abort()
        return route.continue_()

    def opened():
        page = context.new_page()
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.route("**/*", guard)
        return page

    yield opened
    context.close()
    assert problems == []


SEARCH = """async ([bundle, queries]) => {
  const pagefind = await import(bundle + "pagefind.js");
  await pagefind.init();
  const searches = [];
  for (const [term, options] of queries) {
    const found = await pagefind.search(term, options || {});
    const results = [];
    for (const result of found.results) results.push([(await result.data()).url, result.score]);
    searches.push({results, unfiltered: found.unfilteredResultCount, filters: found.filters,
                   totalFilters: found.totalFilters});
  }
  return {filters: await pagefind.filters(), searches};
}"""

QUERIES = [
    ["limoutai", None],  # the rare word
    ["limo", None],  # the near word
    ["limou", None],  # a prefix of the rare word alone
    ["barrel limo", None],  # two words
    ["allegation", None],  # on every claim (in its title)
    ["zqxvbnmwd", None],  # on no page
    ["allegation", {"filters": {"status": "Single source"}}],
    ["limo", {"filters": {"country": "Yemen"}}],
    [None, {"filters": {"country": "Ukraine"}}],  # a filter alone
]


def searched(page, base: str) -> dict:
    """Every query of QUERIES through Pagefind's API of the site at `base`: each one's results as
    (address, score to 4 decimals), sorted (the two bundles number their pages differently, so
    pages of equal score may come in another order), and its counts."""
    page.goto(base + "about/")  # a page in English (Pagefind searches the page's language) without a search
    out = page.evaluate(SEARCH, [base + "pagefind/", QUERIES])
    for one in out["searches"]:
        one["count"] = len(one["results"])
        one["results"] = sorted((address, round(score, 4)) for address, score in one["results"])
    return out


def test_the_build_makes_one_bundle_of_several_parts(site: Path) -> None:
    assert [p.name for p in site.iterdir() if p.name.startswith("pagefind")] == ["pagefind"]
    parts = search_parts(searchable_pages(str(site)), PER_PART)
    assert len(parts) >= 4
    part_of = {page: n for n, part in enumerate(parts) for page in part}
    rare = {part_of[url(i).lstrip("/") + "index.html"] for i in RARE}
    near = {part_of[url(i).lstrip("/") + "index.html"] for i in NEAR}
    assert len(rare) < len(parts) and near - rare  # a part has "limo" and not "limoutai": see the docstring
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == sum(map(len, parts))
    assert json.loads((site / "pagefind" / "claimpress-languages.json").read_text())["languages"] == {
        "en": sum(map(len, parts))}


def test_every_query_gives_what_one_index_of_the_whole_site_gives(open_page, merged_server, whole_server) -> None:
    merged = searched(open_page(), merged_server)
    whole = searched(open_page(), whole_server)
    assert merged["filters"] == whole["filters"]
    for (term, options), got, expected in zip(QUERIES, merged["searches"], whole["searches"]):
        assert got == expected, (term, options)
    found = {term: [address for address, _ in one["results"]]
             for (term, options), one in zip(QUERIES, merged["searches"]) if not options}
    assert found["limoutai"] == found["limou"] == sorted(map(url, RARE))  # not a page with "limo" alone
    # The last word of a query is also a prefix: "limo" finds "limoutai" too.
    assert found["limo"] == found["barrel limo"] == sorted(map(url, NEAR | RARE))
    assert len(found["allegation"]) >= GENERATED and found["zqxvbnmwd"] == []
    assert all(one["count"] for one in merged["searches"][6:])  # the filters leave something to compare


def test_the_search_page_loads_the_one_bundle(open_page, merged_server) -> None:
    requested: list[str] = []
    page = open_page()
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    page.goto(merged_server + "search/?q=limoutai")
    # Every result drawn: as many as the UI's message counts (it draws them a few at a time).
    page.wait_for_function("""() => {
        const said = /^(\\d+) results? for/.exec(document.querySelector('.pagefind-ui__message')?.textContent || '');
        const links = [...document.querySelectorAll('.pagefind-ui__result-link')]
            .filter(link => !link.closest('.pagefind-ui__result-nested'));  // a result's sections: not results
        return said && links.length === Number(said[1]);
    }""", timeout=15000)
    shown = page.eval_on_selector_all(".pagefind-ui__result-link", "links => links.filter(l => "
                                      "!l.closest('.pagefind-ui__result-nested')).map(l => l.getAttribute('href'))")
    assert sorted(shown) == sorted(map(url, RARE))
    assert any(path.startswith("/pagefind/") and path.endswith(".pf_index") for path in requested), requested
    assert not [path for path in requested if re.match(r"/pagefind[-_]?[0-9]+/", path)]
