"""A claim's pages in other languages in a real browser, at 1280 and 390 px: the Arabic one right to left
throughout (its columns, lists, table and map caption aligned to the right, its bars on the right), with no
text clipped or read in the wrong order (an English quotation, coordinates, a date inside Arabic text); the
language switcher reaching each version and back; axe-core finding no serious violation.

The site is the languages fixture (valid-full in English, Arabic and Ukrainian). The status chart and the
all-claims table are on the English pages only in this site: they are checked there with the page turned
right to left as an Arabic page is (<body dir="rtl">).
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


@pytest.mark.parametrize("path", [ARABIC, UKRAINIAN])
def test_nothing_clipped_nor_wider_than_the_screen(page, path: str) -> None:
    found = {}
    for width in WIDTHS:
        visit(page, path, width)
        wide = page.evaluate("document.scrollingElement.scrollWidth")
        clipped = page.eval_on_selector(".md-content", CLIPPED)
        overflowing = page.eval_on_selector(".md-content", OVERFLOWING)
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


@pytest.mark.parametrize("path", [ARABIC, UKRAINIAN])
def test_no_serious_violation(page, axe_source: str, path: str) -> None:  # noqa: F811
    """Each translated page, light and dark, at both widths."""
    visit(page, path, WIDTHS[0])
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


TURN_RIGHT_TO_LEFT = "() => { document.documentElement.lang = 'ar'; document.body.dir = 'rtl'; }"


@pytest.mark.parametrize("width", WIDTHS)
def test_chart_and_claims_table_mirror_on_a_right_to_left_page(page, width: int) -> None:
    visit(page, "", width, ".cp-chart svg rect")
    page.evaluate(TURN_RIGHT_TO_LEFT)
    years = page.eval_on_selector_all(".cp-chart svg text[text-anchor=middle]", """texts => texts.map(t => {
      const r = t.getBoundingClientRect(), m = t.getScreenCTM();
      return {year: t.textContent, left: r.left, mirrored: m.a < 0};
    })""")
    assert len(years) > 1
    assert years[0]["left"] > years[-1]["left"]  # the first year on the right: time runs as the text does
    assert not any(y["mirrored"] for y in years)  # and each label still reads
    ticks = page.eval_on_selector_all(".cp-chart svg text[text-anchor=end]", "ts => ts.map(t => t.getBoundingClientRect().left)")
    grid = page.eval_on_selector(".cp-chart svg line", "l => l.getBoundingClientRect().right")
    assert ticks and min(ticks) >= grid - 1  # the counts on the right of the bars
    visit(page, "claims/", width, ".cp-all-table tbody tr")
    page.evaluate(TURN_RIGHT_TO_LEFT)
    shown = ".cp-all-table th" if width > 960 else ".cp-all-table td.cp-title"
    assert starts_right(page, shown) == []


def test_the_map_speaks_the_pages_language(page) -> None:
    """The map page as an Arabic one is (its lang and dir, and the scripts' messages): the counts and the popup
    are Arabic sentences, the party names in them isolated; nothing of the English left."""
    def arabic(route) -> None:
        html = route.fetch().text().replace('<html lang="en"', '<html lang="ar"').replace('<body dir="ltr"', '<body dir="rtl"')
        route.fulfill(body=html.replace("</head>", '<script src="../data/messages/ar.js"></script></head>'),
                      content_type="text/html")

    page.route("**/map/", arabic)
    visit(page, "map/", WIDTHS[0], ".cp-map[data-state=ready] .cp-map-point")
    counts = page.inner_text(".cp-count") + " " + page.inner_text(".cp-map-list-count")
    page.click(".cp-map-point >> nth=0")
    popup = page.wait_for_selector(".maplibregl-popup")
    said = popup.inner_text()
    assert "الحادثة" in said and "الدقة" in said, said
    assert not any(word in counts + said for word in ("claim", "accused", "Incident", "precision", "view")), counts + said
    names = popup.eval_on_selector_all("bdi", "bs => bs.map(b => b.textContent)")
    assert "Example Watch" in names and "Example Army" in names
