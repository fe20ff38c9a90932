"""What the search page shows of each result, in the browser: a claim's status badge (in its rating's
colours), "Page" for a page that is not a claim, and the query in the header's search box too.
The hostile labels' side is in test_hostile_registries.py."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, front_matter
from test_browser import CHROMIUM, browser, page, serve  # noqa: F401 - fixtures used by name

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                reason="Debian's chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def server(fixture_site: Path):
    yield from serve(fixture_site / "site")


def expected_badges() -> dict[str, tuple[str, str]]:
    """Each test claim's page -> its status label and colour, read from the fixture files themselves."""
    ratings = {r["id"]: r for r in yaml.safe_load((FIXTURES / "project" / "claims" / "ratings.yml").read_text())["ratings"]}
    claims = [*(FIXTURES / "project" / "claims").glob("*.md"), *(FIXTURES / "hostile").glob("*.md")]
    out = {}
    for path in claims:
        data = front_matter(path)
        rating = ratings[data["status"]]
        out[f"/claims/{data['id']}/"] = (rating["label"], rating["color"])
    return out


def shown_kinds(page) -> dict[str, tuple[str, str] | None]:  # noqa: F811
    """Each result's address -> the text after its title, and that label's background colour as #rrggbb."""
    found = page.eval_on_selector_all(".pagefind-ui__result-link", """links => links.map(link => {
      const label = link.parentNode.querySelector('.cp-result-kind');
      if (!label) return [link.getAttribute('href'), null];
      const [r, g, b] = getComputedStyle(label).backgroundColor.match(/\\d+/g).map(Number);
      return [link.getAttribute('href'), [label.textContent, '#' + [r, g, b].map(c => c.toString(16).padStart(2, '0')).join('')]];
    })""")
    return {href: tuple(kind) if kind else None for href, kind in found}


def test_results_show_each_claims_status_and_mark_pages(page) -> None:  # noqa: F811
    page.goto(page.base + "search/?q=example")
    page.wait_for_function("document.querySelectorAll('.pagefind-ui__result').length >= 5", timeout=15000)
    page.wait_for_function("[...document.querySelectorAll('.pagefind-ui__result-title')].every(t => "
                           "t.querySelector('.cp-result-kind') || t.querySelector('a')?.href.includes('#'))")
    shown = {href: kind for href, kind in shown_kinds(page).items() if "#" not in href}  # not the sections
    claims = {href: kind for href, kind in shown.items() if href.startswith("/claims/")}
    expected = expected_badges()
    assert len(claims) >= 3 and claims.items() <= {(href, (label, colour.lower()))
                                                   for href, (label, colour) in expected.items()}
    pages = {href: kind[0] for href, kind in shown.items() if not href.startswith("/claims/")}
    assert "/contributing/" in pages and set(pages.values()) == {"Page"}
    # The sections of a result (sub-results) are parts of it, not results of their own: no label.
    assert all(kind is None for href, kind in shown_kinds(page).items() if "#" in href)


def test_the_header_box_holds_the_query_on_the_search_page(page) -> None:  # noqa: F811
    page.goto(page.base + "claims/valid-full/")
    page.fill(".cp-header-search input[name=q]", "zebrafinch")
    page.press(".cp-header-search input[name=q]", "Enter")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    assert page.input_value(".cp-header-search input[name=q]") == "zebrafinch"
    page.fill(".pagefind-ui__search-input", "allegation")  # a new search from the page's own box
    page.wait_for_function("location.search.includes('allegation')")
    assert page.input_value(".cp-header-search input[name=q]") == "allegation"
    page.goto(page.base + "search/?q=example")  # a link to a search, and the back button, too
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    assert page.input_value(".cp-header-search input[name=q]") == "example"
