"""A claim's pages in other languages in a real browser, at 1280 and 390 px: the Arabic one right to left
throughout (its columns, lists, table and map caption aligned to the right, its bars on the right), with no
text clipped or read in the wrong order (an English quotation, coordinates, a date inside Arabic text); the
language switcher reaching each version and back. The Arabic home's chart, All claims and map right to left
and in Arabic (the scripts' texts, the ratings' labels). On every Arabic page: nothing clipped, nothing wider
than the screen, and axe-core finding no serious violation.

The site is the languages fixture (valid-full in English, Arabic and Ukrainian; ratings.yml labels
`substantiated` in Arabic).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import test_browser
from conftest import FIXTURES
from pagelayout import OVERFLOWING
from sitebuild import built_site, copy_project, set_setting
from test_accessibility import axe_source, serious_violations  # noqa: F401 - the axe_source fixture is used by name
from test_browser import serve

# test_browser's fixtures, used by name: Chromium, and a page in it that fails the test on a console error
browser, page, pytestmark = test_browser.browser, test_browser.page, test_browser.pytestmark

WIDTHS = [1280, 390]
ARABIC, UKRAINIAN, ENGLISH = "ar/claims/valid-full/", "uk/claims/valid-full/", "claims/valid-full/"
QUOTATION = "Example forces shelled the example market with cluster munitions."
# The Arabic pages of every kind, with what shows that a page's content is in place (the chart, the table, the
# map and the search results are drawn by scripts).
PAGES = {
    ARABIC: "article.cp-claim",
    UKRAINIAN: "article.cp-claim",
    "ar/": ".cp-chart svg rect",
    "ar/claims/": ".cp-all-table tbody tr",
    "ar/map/": ".cp-map[data-state=ready] .cp-map-point",
    "ar/search/?q=مثال": ".pagefind-ui__result-link",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("languages") / "project", FIXTURES / "languages" / "claims")
    set_setting(root, "languages", "[en, ar, uk]")
    return built_site(root)


@pytest.fixture(scope="module")
def server(site: Path):
    yield from serve(site)


def visit(page, path: str, width: int, ready: str = "article.cp-claim") -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base + path)
    page.wait_for_selector(ready, timeout=15000)
    page.wait_for_load_state("networkidle")


# Where a piece of text is drawn: the box of the first occurrence of `text` in the element's text.
TEXT_BOX = """([element, text]) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    const at = node.data.indexOf(text);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + text.length);
    const box = range.getBoundingClientRect();
    return {left: box.left, right: box.right, top: box.top, bottom: box.bottom};
  }
  return null;
}"""

# How far an element's text stands from the start and end of its content box, in a right-to-left page:
# {start: room on the right, end: room on the left}, of the widest line.
TEXT_ROOM = """element => {
  const range = document.createRange();
  range.selectNodeContents(element);
  const lines = [...range.getClientRects()].filter(r => r.width > 0);
  if (!lines.length) return null;
  const box = element.getBoundingClientRect(), style = getComputedStyle(element);
  const right = box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
  const left = box.left + parseFloat(style.paddingLeft) + parseFloat(style.borderLeftWidth);
  return {start: right - Math.max(...lines.map(r => r.right)), end: Math.min(...lines.map(r => r.left)) - left};
}"""


def box(page, selector: str, text: str) -> dict[str, float]:
    found = page.evaluate(TEXT_BOX, [page.query_selector(selector), text])
    assert found, (selector, text)
    return found


def starts_right(page, selector: str) -> list[str]:
    """The elements matching `selector` whose text does not begin at their right edge, each with its room."""
    out = []
    for element in page.query_selector_all(selector):
        room = element.evaluate(TEXT_ROOM)
        if room is None:  # not shown (a table's heads on a phone)
            continue
        if not (abs(room["start"]) <= 2 and (room["end"] >= -1)):
            out.append(f"{selector} {element.inner_text()[:30]!r}: {room}")
    return out


@pytest.mark.parametrize("width", WIDTHS)
def test_the_arabic_page_reads_right_to_left(page, width: int) -> None:
    visit(page, ARABIC, width)
    assert page.evaluate("[document.documentElement.lang, document.body.dir]") == ["ar", "rtl"]
    parts = ["article.cp-claim", "article.cp-claim h1", "dl.cp-facts", "table.cp-evidence", "table.cp-evidence td",
             "ul.cp-responses", "ol.cp-updates", "nav.cp-versions", "figure.cp-placemap figcaption"]
    directions = {part: page.eval_on_selector(part, "e => getComputedStyle(e).direction") for part in parts}
    assert set(directions.values()) == {"rtl"}, directions
    # The column starts on the right: the title and the claim's text begin at the content's right edge.
    content = page.eval_on_selector("article.cp-claim", "e => e.getBoundingClientRect().right")
    title = box(page, "article.cp-claim h1", "ادعاء")
    assert content - 2 <= title["right"] <= content, (title, content)
    misaligned = [found for selector in (
        "article.cp-claim h1", "p.cp-claim-text", "p.cp-verdict", ".cp-analysis > p", "table.cp-evidence th",
        "table.cp-evidence td", "ul.cp-responses li", "ol.cp-updates li", "figure.cp-placemap figcaption",
    ) for found in starts_right(page, selector)]
    assert misaligned == []
    # The allegation's bar on its start side, the right; the arrow from the claimant to the accused points left.
    bar = page.eval_on_selector("p.cp-claim-text", "e => [getComputedStyle(e).borderRightWidth, getComputedStyle(e).borderLeftWidth]")
    assert bar[0] != "0px" and bar[1] == "0px", bar
    claimant = box(page, "p.cp-who", "Example Watch")
    accused = box(page, "p.cp-who", "Example Army")
    arrow = page.eval_on_selector("p.cp-who .cp-arrow", "e => new DOMMatrix(getComputedStyle(e).transform).a")
    if accused["top"] == claimant["top"]:  # on one line: the accused to the left
        assert accused["right"] < claimant["left"]
    assert arrow == -1  # the rightwards arrow mirrored: it points to the accused, after it in the line


@pytest.mark.parametrize("width", WIDTHS)
def test_other_scripts_keep_their_direction_and_order(page, width: int) -> None:
    visit(page, ARABIC, width)
    # The English original of the allegation: left to right, its full stop at its end (on the right),
    # not thrown to the other side of the line as an unmarked English sentence in Arabic text is.
    original = "span.cp-claim-original-text"
    assert page.eval_on_selector(original, "e => getComputedStyle(e).direction") == "ltr"
    assert page.inner_text(original) == QUOTATION
    stop, last = box(page, original, "."), box(page, original, "munitions")
    assert stop["left"] >= last["right"] - 1 and stop["top"] == last["top"]
    words = [box(page, original, w) for w in ("Example", "forces", "shelled")]
    assert words[0]["right"] < words[1]["left"] and words[1]["right"] < words[2]["left"]
    # A quotation left in English in the translated analysis: left to right, its bar on its left beside it.
    quote = ".cp-analysis blockquote[lang=en]"
    assert page.eval_on_selector(quote, "e => getComputedStyle(e).direction") == "ltr"
    assert page.eval_on_selector(quote, "e => [getComputedStyle(e).borderLeftWidth, getComputedStyle(e).borderRightWidth]")[1] == "0px"
    assert box(page, quote, "Example")["left"] - page.eval_on_selector(quote, "e => e.getBoundingClientRect().left") < 20
    # Coordinates: latitude then longitude, left to right, as written.
    coordinates = page.locator("dl.cp-facts dd", has_text="40.83")
    assert coordinates.inner_text() == "34.7, 40.83"
    latitude, longitude = (page.evaluate(TEXT_BOX, [coordinates.element_handle(), n]) for n in ("34.7", "40.83"))
    assert latitude["right"] < longitude["left"]
    # A date in Arabic text: the day first, on the right, the year on the left.
    date = page.locator("ol.cp-updates time").first
    assert date.inner_text() == "1 يونيو 2020"
    day, year = (page.evaluate(TEXT_BOX, [date.element_handle(), n]) for n in ("1 ", "2020"))
    assert year["right"] < day["left"]
    # A source's Latin title in the evidence table, and a spokesperson's name in brackets: in their order.
    source = box(page, "table.cp-evidence a.cp-source", "First")
    assert source["right"] < box(page, "table.cp-evidence a.cp-source", "report")["left"]
    name = page.inner_text("span.cp-spokesperson")
    assert name == "(Jane Doe)"
    # The brackets are the Arabic sentence's: the opening one on the name's right (drawn mirrored, as "(").
    opening, jane = box(page, "span.cp-spokesperson", "("), box(page, "span.cp-spokesperson", "Jane")
    assert opening["left"] >= jane["right"] - 1


# Content cut off: an element of the page's content that hides what overflows it holding more than it
# shows (visually hidden texts aside), and a page wider than the screen.
CLIPPED = """root => [...root.querySelectorAll('*')].filter(e => {
    const style = getComputedStyle(e);
    return e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && ['hidden', 'clip'].includes(style.overflowX)
      && !e.matches('.cp-visually-hidden, .md-visually-hidden');
  }).map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth + '>' + e.clientWidth)"""


@pytest.mark.parametrize("path", PAGES)
def test_nothing_clipped_nor_wider_than_the_screen(page, path: str) -> None:
    found = {}
    for width in WIDTHS:
        visit(page, path, width, PAGES[path])
        wide = page.evaluate("document.scrollingElement.scrollWidth")
        clipped = page.eval_on_selector(".md-content", CLIPPED)
        overflowing = [e for e in page.eval_on_selector(".md-content", OVERFLOWING)
                       if "visually-hidden" not in e]  # 1 px on purpose: read, not seen (the search box's label)
        if wide > width or clipped or overflowing:
            found[width] = {"page width": wide, "clipped": clipped, "overflowing": overflowing}
    assert not found, found


@pytest.mark.parametrize("width", WIDTHS)
def test_the_switcher_reaches_each_version_and_back(page, width: int) -> None:
    visit(page, ENGLISH, width)
    for tag, path, direction in (("ar", ARABIC, "rtl"), ("uk", UKRAINIAN, "ltr")):
        for target, at, way in ((tag, path, direction), ("en", ENGLISH, "ltr")):
            with page.expect_navigation():
                page.click(f"nav.cp-versions a[hreflang={target}]")
            page.wait_for_selector("article.cp-claim")
            assert page.url == page.base + at
            assert page.evaluate("[document.documentElement.lang, document.body.dir]") == [target, way]
            current = page.eval_on_selector_all("nav.cp-versions a[aria-current=page]", "as => as.map(a => a.lang)")
            assert current == [target]
            # A row of links above the title, on one line even on a phone, each a target a finger can hit.
            links = page.eval_on_selector_all("nav.cp-versions a", """as => as.map(a => {
              const r = a.getBoundingClientRect();
              return {top: Math.round(r.top), height: r.height, right: r.right, left: r.left};
            })""")
            assert len({link["top"] for link in links}) == 1, links
            assert all(link["height"] >= 24 and 0 <= link["left"] and link["right"] <= width for link in links)
            nav = page.eval_on_selector("nav.cp-versions", "e => e.getBoundingClientRect().bottom")
            title = page.eval_on_selector("article.cp-claim h1", "e => e.getBoundingClientRect().top")
            assert 0 <= title - nav < 80
    # The current version told apart by more than its colour.
    weights = page.eval_on_selector_all("nav.cp-versions a", "as => as.map(a => getComputedStyle(a).fontWeight)")
    assert weights == ["700", "400", "400"]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_violation(page, axe_source: str, path: str) -> None:  # noqa: F811
    """Each page in another language, light and dark, at both widths."""
    visit(page, path, WIDTHS[0], PAGES[path])
    page.add_script_tag(content=axe_source)
    found = []
    for scheme in ("default", "slate"):
        if scheme == "slate":
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            page.click("form[data-md-component=palette] label:visible")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
            found += [f"{path} [{scheme}, {width} px] {v}" for v in serious_violations(page)]
    assert found == []


# Interface texts written in Latin letters: English left where the page's language was due.
LATIN = "texts => texts.filter(t => /[A-Za-z]/.test(t))"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_arabic_homes_chart_reads_right_to_left(page, width: int) -> None:
    visit(page, "ar/", width, ".cp-chart svg rect")
    assert page.evaluate("[document.documentElement.lang, document.body.dir]") == ["ar", "rtl"]
    years = page.eval_on_selector_all(".cp-chart svg text[text-anchor=middle]", """texts => texts.map(t => {
      const r = t.getBoundingClientRect(), m = t.getScreenCTM();
      return {year: t.textContent, left: r.left, mirrored: m.a < 0};
    })""")
    assert [y["year"] for y in years] == ["2019", "2020"]
    assert years[0]["left"] > years[-1]["left"]  # the first year on the right: time runs as the text does
    assert not any(y["mirrored"] for y in years)  # and each label still reads
    ticks = page.eval_on_selector_all(".cp-chart svg text[text-anchor=end]", "ts => ts.map(t => t.getBoundingClientRect().left)")
    grid = page.eval_on_selector(".cp-chart svg line", "l => l.getBoundingClientRect().right")
    assert ticks and min(ticks) >= grid - 1  # the counts on the right of the bars
    assert "مثبت" in page.inner_text(".cp-chart figcaption")  # the legend's rating label from ratings.yml


@pytest.mark.parametrize("width", WIDTHS)
def test_the_arabic_claims_table_reads_right_to_left(page, width: int) -> None:
    visit(page, "ar/claims/", width, ".cp-all-table tbody tr")
    assert page.evaluate("[document.documentElement.lang, document.body.dir]") == ["ar", "rtl"]
    assert page.eval_on_selector(".cp-all-table", "e => getComputedStyle(e).direction") == "rtl"
    # Each cell's text begins at its right edge (its head's too, where heads are shown).
    cells = ".cp-all-table th, .cp-all-table td" if width > 960 else ".cp-all-table td"
    assert starts_right(page, cells) == []
    first_row = page.eval_on_selector_all(".cp-all-table tbody tr:first-child td", """tds => tds.map(td => {
      const r = td.getBoundingClientRect();
      return {top: Math.round(r.top), left: r.left, right: r.right};
    })""")
    if width > 960:  # the columns in order from the right: the claim's title the rightmost
        assert all(a["left"] >= b["right"] - 1 for a, b in zip(first_row, first_row[1:])), first_row
    else:  # stacked: the labelled cells side by side, the first on the right
        beside = [c for c in first_row[2:] if c["top"] == first_row[2]["top"]]
        assert len(beside) > 1 and beside[0]["left"] >= beside[1]["right"] - 1, first_row
        labels = page.eval_on_selector_all(".cp-all-table td[data-label]", "tds => tds.map(td => td.dataset.label)")
        assert labels and page.evaluate(LATIN, labels) == []
    # The filters in Arabic, from their right: their names, choices, the count and the link to the map.
    texts = page.eval_on_selector_all(".cp-filters label", "ls => ls.filter(l => l.offsetParent).map(l => l.firstChild.data)")
    texts += page.eval_on_selector_all(
        ".cp-filters select[name=sort] option, .cp-filters option[value=''], .cp-filters button, .cp-count, .cp-views a",
        "es => es.filter(e => e.tagName === 'OPTION' || e.offsetParent).map(e => e.textContent)")
    texts.append(page.get_attribute(".cp-filters input[name=q]", "placeholder"))
    assert len(texts) > 10 and page.evaluate(LATIN, texts) == [], texts
    status = page.eval_on_selector_all(".cp-filters select[name=status] option", "os => os.map(o => o.textContent)")
    assert "مثبت" in status  # the rating's Arabic label from ratings.yml
    filters = page.eval_on_selector_all(".cp-filters label", "ls => ls.map(l => l.getBoundingClientRect())")
    status_box, accused_box = filters[1], filters[2]
    if abs(status_box["top"] - accused_box["top"]) < 1:  # on one line: the first filter on the right
        assert status_box["left"] >= accused_box["right"] - 1, filters
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width  # nothing scrolls sideways


# English words of the map's interface, none of which the fixture's claims hold.
MAP_ENGLISH = ("claim", "accused", "Incident", "precision", "On the map", "in view", "Close", "Show as")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_arabic_map_speaks_arabic(page, width: int) -> None:
    """Its texts, its list and its popup: Arabic sentences, the party names in them isolated; the rating's
    Arabic label (ratings.yml) on the list's and the popup's badges."""
    visit(page, "ar/map/", width, ".cp-map[data-state=ready] .cp-map-point")
    assert page.evaluate("[document.documentElement.lang, document.body.dir]") == ["ar", "rtl"]
    shown = [page.inner_text(s) for s in (".cp-map-page h1", "#cp-map-list-title", ".cp-count", ".cp-map-list-count",
                                          ".cp-views a")]
    assert page.evaluate(LATIN, shown) == [], shown
    listed = page.inner_text(".cp-map-items")
    assert page.inner_text(".cp-map-items .cp-badge") == "مثبت"
    page.click(".cp-map-point >> nth=0")
    popup = page.wait_for_selector(".maplibregl-popup")
    said = popup.inner_text()
    assert "الحادثة" in said and "الدقة" in said, said
    assert popup.eval_on_selector(".cp-badge", "b => b.textContent") == "مثبت"
    assert popup.eval_on_selector(".cp-map-popup", "e => getComputedStyle(e).direction") == "rtl"
    close = popup.eval_on_selector("button", "b => b.getAttribute('aria-label') || b.title")
    assert not any(word in " ".join([listed, said, close]) for word in MAP_ENGLISH), [listed, said, close]
    names = popup.eval_on_selector_all("bdi", "bs => bs.map(b => b.textContent)")
    assert "Example Watch" in names and "Example Army" in names
