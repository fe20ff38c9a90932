"""Every page kind on a phone (390 px) and on a desktop (1280 px): nothing scrolls sideways but a table's
own named region, and no word in a table is broken across lines.

The site is the one the accessibility tests read (test_accessibility.PAGES lists its page kinds), with one
more claim whose title, place, sources and analysis hold addresses and names far wider than a phone.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import test_browser
from pagelayout import BROKEN_WORDS
from sitebuild import built_site, reader_project
from test_accessibility import PAGES
from test_browser import serve

# test_browser's fixtures, used by name: Chromium, and a page in it that fails the test on a console error
browser, page, pytestmark = test_browser.browser, test_browser.page, test_browser.pytestmark

# Strings with no break opportunity, wider than a phone's screen and than half of a desktop's table, as a source's
# address or a file's name is.
ADDRESS = "https://reports.example.org/2019/Kuibyshevskyi_district_shelling_report_final_with_annexes_and_maps.pdf"
PLACE = "Kuibyshevskyi_district_near_the_central_railway_station_of_Donetsk_and_the_market_beside_it"
LONG_CLAIM = f"""---
id: long-strings
title: Allegation quoting {ADDRESS}
claim: >-
  The report at {ADDRESS} says so.
claimant: example-ngo
spokesperson: {PLACE}
accused: [example-army]
claimed_on: 2019-05-02
incident:
  date: 2019-05-01
  location: {PLACE}
  country: SY
  coordinates: [34.7, 40.83]
categories: [barrel-bombs]
status: substantiated
verdict: >-
  Supported by {ADDRESS} and another report.
evidence:
  - title: {ADDRESS}
    publisher: {PLACE}
    url: {ADDRESS}
    archive_url: https://web.archive.org/web/2019/{ADDRESS}
    published: 2019-05-02
    kind: media-report
    stance: supports
    note: {ADDRESS}
  - title: Second report
    publisher: Example Monitor
    url: https://example.org/second
    archive_url: https://web.archive.org/web/2020/https://example.org/second
    published: 2019-05
    kind: ngo-report
    stance: supports
responses:
  - party: example-army
    date: 2019-05-03
    stance: denied
    summary: Denied at {ADDRESS}
    url: {ADDRESS}
updates:
  - date: 2019-06-01
    note: Published, citing {ADDRESS}
published: 2019-06-01
---
## Analysis

The report ({ADDRESS}) names `{PLACE}` and <{ADDRESS}>.

| Source | What it says |
|---|---|
| <{ADDRESS}> | The market was shelled at noon. |
"""
PHONE, DESKTOP = 390, 1280
ALL_PAGES = {**PAGES, "claims/long-strings/": "article.cp-claim"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = reader_project(tmp_path_factory.mktemp("phone"))
    (root / "claims" / "long-strings.md").write_text(LONG_CLAIM)
    return built_site(root)


@pytest.fixture(scope="module")
def server(site: Path):
    yield from serve(site)


# What scrolls sideways inside the page: allowed only to a region that the keyboard reaches and that
# says what it holds (a wide table), or to a code block, which the theme makes scroll on its own.
SCROLLING = """root => [...root.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1
    && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
  .filter(e => !(e.tabIndex >= 0 && (e.getAttribute('aria-label') || e.getAttribute('aria-labelledby'))))
  .filter(e => !e.matches('pre > code'))
  .map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth + '>' + e.clientWidth)"""


@pytest.mark.parametrize("path", ALL_PAGES)
def test_nothing_scrolls_sideways_and_no_word_breaks(page, path: str) -> None:
    page.set_viewport_size({"width": PHONE, "height": 844})
    page.goto(page.base + path)
    page.wait_for_selector(ALL_PAGES[path], timeout=15000)
    page.wait_for_load_state("networkidle")
    found = {}
    for width in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": 844})
        scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
        broken = [word for table in page.query_selector_all(".md-content table") for word in table.evaluate(BROKEN_WORDS)]
        scrolling = page.eval_on_selector(".md-content", SCROLLING)
        if scroll_width > width or broken or scrolling:
            found[width] = {"page width": scroll_width, "broken words": broken, "scrolling": scrolling}
    assert not found, found


def test_a_facet_with_many_pages_keeps_its_pager_on_the_screen(page) -> None:
    """A facet of 12,000 claims has 60 pages of 200 (facet.md.j2 links each): its pager wraps on a phone.
    The fixture's facets fit on one page, so the pager is made here as the template writes it."""
    page.set_viewport_size({"width": PHONE, "height": 844})
    page.goto(page.base + "browse/year/2019/")
    page.eval_on_selector(".cp-facet", """facet => {
      const pager = document.createElement('nav');
      pager.className = 'cp-pager';
      pager.setAttribute('aria-label', 'Pages');
      pager.innerHTML = '<span aria-current="page">1</span> ' +
        Array.from({length: 59}, (_, i) => `<a href="../../year/2019/${i + 2}/">${i + 2}</a>`).join(' ');
      facet.append(pager);
    }""")
    assert page.eval_on_selector(".cp-pager", "e => e.getBoundingClientRect().height") > 60  # on several lines
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE
