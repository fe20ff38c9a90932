"""The all-claims table in a real browser: stacked on a phone without a word broken, its whole state in
the address, its text box finding places and party aliases, whatever the case and accents; and the
Downloads page's column names, whole.

The `page` fixture (test_browser.py) fails a test on any console error or request to another host.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import test_browser
from pagelayout import BROKEN_WORDS, OVERFLOWING
from sitebuild import built_site, fixture_project
from test_browser import rows, serve

# test_browser's fixtures, used by name: Chromium, and a page in it that fails the test on a console error
browser, page, pytestmark = test_browser.browser, test_browser.page, test_browser.pytestmark

GENERATED = 94  # with the fixture and hostile claims: 100, two full pages of the table's 50
LONG_TITLE = ("Generated allegation number 01, in which Human Rights Watch says Example Army shelled a crowded market in "
              "an internationally condemned attack")
HRW = "\nhuman-rights-watch:\n  name: Human Rights Watch\n  kind: ngo\n  aliases: [HRW]\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = fixture_project(tmp_path_factory.mktemp("table"))
    claims = root / "claims"
    (claims / "parties.yml").write_text((claims / "parties.yml").read_text() + HRW)
    template = (claims / "valid-minimal.md").read_text()
    for i in range(GENERATED):
        text = template.replace("id: valid-minimal", f"id: generated-{i:02d}").replace(
            "Example allegation with only the required fields", f"Generated allegation number {i:02d}").replace(
            'date: "2019"', f'date: "{2000 + i % 20}"').replace('claimed_on: "2019"', f'claimed_on: "{2000 + i % 20}"')
        if i == 1:  # words as long as a real headline's, a party known by its initials, a place in no title
            text = text.replace("Generated allegation number 01", LONG_TITLE).replace(
                "claimant: example-ngo", "claimant: human-rights-watch").replace(
                "location: Example province", "location: Kuibyshevskyi district, Donetsk").replace(
                "country: SY", "country: UA")
        if i == 2:  # a place written with accents
            text = text.replace("location: Example province", "location: Old city of Mosul, Nīnawā").replace(
                "country: SY", "country: IQ")
        (claims / f"generated-{i:02d}.md").write_text(text)
    return built_site(root)


@pytest.fixture(scope="module")
def server(site: Path):
    yield from serve(site)


def loaded(page, address: str = "claims/") -> None:
    page.goto(page.base + address)
    page.wait_for_selector(".cp-all-table tbody tr")


def test_on_a_phone_each_claim_is_a_block_and_no_word_breaks(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    loaded(page)
    assert page.eval_on_selector(".cp-all", BROKEN_WORDS) == []
    assert page.eval_on_selector(".cp-all", OVERFLOWING) == []
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    page.fill(".cp-filters input[name=q]", "human rights")
    assert [r[0] for r in rows(page)] == [LONG_TITLE]
    assert page.eval_on_selector(".cp-all", BROKEN_WORDS) == []
    # A block: the title spans the width of the list, the status under it, then who, where and when.
    title, badge, claimant = (page.eval_on_selector(f".cp-all-table tbody td:nth-child({n})",
                                                    "e => e.getBoundingClientRect().toJSON()") for n in (1, 2, 3))
    width = page.eval_on_selector(".cp-all-table", "e => e.clientWidth")
    assert title["width"] >= width - 1 and badge["top"] >= title["bottom"] and claimant["top"] >= badge["bottom"]
    assert not page.is_visible(".cp-all-table thead")
    # Each value says what it is, and a screen reader still meets a table of rows and cells.
    cdp = page.context.new_cdp_session(page)
    nodes = [n for n in cdp.send("Accessibility.getFullAXTree")["nodes"] if not n.get("ignored")]
    roles = [n.get("role", {}).get("value") for n in nodes]
    named = {n.get("name", {}).get("value") for n in nodes if n.get("role", {}).get("value") == "cell"}
    assert roles.count("table") == 1 and roles.count("row") == 1 and roles.count("cell") == 7
    assert {"Claimant Human Rights Watch", "Accused Example Army", "Incident 2001"} <= named
    assert "Where Kuibyshevskyi district, Donetsk, Ukraine" in named


def test_on_a_phone_sorting_and_filtering_work_by_touch(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    loaded(page)
    # The headers are hidden: a select sorts instead, and every control is big enough for a finger.
    assert page.is_visible("select[name=sort]")
    sizes = page.eval_on_selector_all(".cp-filters input, .cp-filters select, .cp-filters button, .cp-pager button",
                                      "els => els.map(e => [e.name || e.textContent, e.offsetWidth, e.offsetHeight])")
    assert len(sizes) >= 11 and [s for s in sizes if s[1] < 44 or s[2] < 44] == []
    small = page.eval_on_selector_all(".cp-all-table tbody a", """els => els.map(e => e.getBoundingClientRect())
        .filter(r => r.width < 24 || r.height < 24).length""")
    assert small == 0
    page.select_option("select[name=sort]", "title:asc")
    titles = [r[0] for r in rows(page)]
    generated = titles.index("Generated allegation number 00")
    assert titles[generated - 2:generated] == ["Example allegation that uses every field",
                                              "Example allegation with only the required fields"]
    assert titles[generated:] == sorted(titles[generated:])
    assert page.get_attribute("th[data-sort=title]", "aria-sort") == "ascending"
    page.select_option("select[name=sort]", "incident:asc")
    dates = [r[5] for r in rows(page)]
    assert dates == sorted(dates) and dates[0] == "2000"
    page.select_option("select[name=country]", "UA")
    assert [r[0] for r in rows(page)] == [LONG_TITLE]


def shown(page) -> dict:
    """What the table shows: the form's values, the sort, the page, and the first row's title."""
    return page.evaluate("""() => ({
      filters: Object.fromEntries([...document.querySelectorAll('.cp-filters [name]')].filter(e => e.name !== 'sort')
        .map(e => [e.name, e.value])),
      sort: [...document.querySelectorAll('th[aria-sort]')].filter(th => th.getAttribute('aria-sort') !== 'none')
        .map(th => th.dataset.sort + ' ' + th.getAttribute('aria-sort')),
      pager: document.querySelector('.cp-pager span')?.textContent.trim() || '',
      first: document.querySelector('.cp-all-table tbody td a')?.textContent || ''})""")


def test_reload_keeps_filters_text_sort_and_page(page) -> None:
    loaded(page)
    page.select_option("select[name=year]", "2001")
    page.select_option("select[name=year]", "")
    page.fill(".cp-filters input[name=q]", "allegation")
    page.click("th[data-sort=title] button")
    page.click("th[data-sort=title] button")
    page.click(".cp-pager button:has-text('Next')")
    before = shown(page)
    assert before["sort"] == ["title descending"] and before["pager"] == "Page 2 of 2"
    assert before["filters"]["q"] == "allegation"
    page.reload()
    page.wait_for_selector(".cp-all-table tbody tr")
    assert shown(page) == before
    assert "sort=title" in page.url and "order=desc" in page.url and "page=2" in page.url


def until(page, condition: str) -> None:
    """Waits for what the table does at once, a few seconds at most."""
    page.wait_for_function(condition, timeout=5000)


def test_the_address_drives_the_table(page) -> None:
    """Edited by hand, or reached with Back and Forward, the address's state is the table's."""
    loaded(page, "claims/#country=SY")
    assert shown(page)["filters"]["country"] == "SY"
    page.evaluate("location.hash = '#country=UA&sort=title&order=asc'")
    until(page, "document.querySelector('select[name=country]').value === 'UA'")
    assert [r[0] for r in rows(page)] == [LONG_TITLE]
    assert shown(page)["sort"] == ["title ascending"]
    page.go_back()
    until(page, "document.querySelector('select[name=country]').value === 'SY'")
    assert shown(page)["sort"] == ["updated descending"]
    page.go_forward()
    until(page, "document.querySelector('select[name=country]').value === 'UA'")
    # The table's own steps are steps in the history: Back after Next shows the first page again.
    page.evaluate("location.hash = ''")
    until(page, "document.querySelector('select[name=country]').value === ''")
    page.click(".cp-pager button:has-text('Next')")
    assert shown(page)["pager"] == "Page 2 of 2"
    page.go_back()
    until(page, "document.querySelector('.cp-pager span').textContent.includes('Page 1 of 2')")
    page.select_option("select[name=status]", "substantiated")
    assert "status=substantiated" in page.url
    page.go_back()
    until(page, "document.querySelector('select[name=status]').value === ''")


# The count above the table, and the table's top, are in view below the theme's fixed header.
TOP_IN_VIEW = """(() => {
  const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
  const count = document.querySelector('.cp-count').getBoundingClientRect().top;
  const table = document.querySelector('.cp-all-table').getBoundingClientRect().top;
  return count >= header && table < innerHeight / 2;
})()"""


@pytest.mark.parametrize("width", [1280, 390])
def test_next_takes_the_reader_to_the_top_of_the_claims(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    loaded(page)
    page.locator(".cp-pager button:has-text('Next')").scroll_into_view_if_needed()  # below the 50th claim
    assert page.evaluate("scrollY") > 2000
    page.click(".cp-pager button:has-text('Next')")
    assert page.evaluate(TOP_IN_VIEW)
    # Focus is on the table, so that Tab goes on into the new page of claims, not past the list.
    assert page.evaluate("document.activeElement.classList.contains('cp-all-table')")
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('.cp-all-table')")
    if width == 390:  # no column headers: the first claim
        assert page.evaluate("document.activeElement.textContent") == rows(page)[0][0]
    page.click(".cp-pager button:has-text('Previous')")
    assert page.evaluate(TOP_IN_VIEW)


@pytest.mark.parametrize("words, title", [
    ("donetsk", LONG_TITLE), ("DONETSK", LONG_TITLE), ("kuibyshevskyi donetsk", LONG_TITLE),
    ("hrw", LONG_TITLE), ("HRW example army", LONG_TITLE), ("ninawa", "Generated allegation number 02"),
    ("Nīnawā", "Generated allegation number 02"), ("NINAWĀ mosul", "Generated allegation number 02"),
    ("dónetsk", LONG_TITLE)])
def test_text_box_finds_places_and_aliases_in_any_case_and_accents(page, words: str, title: str) -> None:
    loaded(page)
    page.fill(".cp-filters input[name=q]", words)
    assert [r[0] for r in rows(page)] == [title]


def test_table_data_lists_each_alias_once_and_each_place(site: Path) -> None:
    text = (site / "data" / "claims-index.json").read_text()
    data = json.loads(text)
    place = data["columns"].index("location")
    by_id = {row[0]: row for row in data["claims"]}
    assert by_id["generated-01"][place] == "Kuibyshevskyi district, Donetsk"
    assert ["human-rights-watch", "Human Rights Watch", ["HRW"]] in data["parties"]
    assert text.count('"HRW"') == 1 and text.count("Example Government") == 1  # with its party, not each row


def test_downloads_column_names_break_only_after_an_underscore(page) -> None:
    """At 1280 px the name column was squeezed until "claimant_nam e" broke; on a phone a name may wrap
    after an underscore, nowhere else."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(page.base + "downloads/")
        pieces = page.eval_on_selector_all(".cp-downloads td code", """codes => codes.map(code => {
          const lines = [];
          for (const node of [...code.childNodes].filter(n => n.nodeType === Node.TEXT_NODE)) {
            for (const match of node.data.matchAll(/[^_]+_?/g)) {  // a piece up to its underscore
              const range = document.createRange();
              range.setStart(node, match.index);
              range.setEnd(node, match.index + match[0].length);
              lines.push(new Set([...range.getClientRects()].map(r => Math.round(r.bottom))).size);
            }
          }
          return [code.textContent, Math.max(...lines), code.getClientRects().length];
        })""")
        assert len(pieces) > 20 and "claimant_name" in [name for name, _, _ in pieces]
        assert [name for name, lines, _ in pieces if lines > 1] == [], width
        if width == 1280:  # room enough: each name whole on one line
            assert [name for name, _, boxes in pieces if boxes > 1] == []
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width


def test_only_all_claims_and_the_map_load_the_tables_scripts(site: Path) -> None:
    """claims-data.js and claims-table.js (22 KB) come with the two pages that use them, not with
    every page as mkdocs.yml's extra_javascript once had them."""
    def scripts(path: str) -> list[str]:
        html = (site / path).read_text(encoding="utf-8")
        return [name for name in ("claims-data.js", "claims-table.js", "claims-map.js") for _ in
                range(html.count(f'assets/claimpress/{name}"'))]

    assert scripts("claims/index.html") == ["claims-data.js", "claims-table.js"]
    assert scripts("map/index.html") == ["claims-data.js", "claims-map.js"]
    for path in ("index.html", "claims/generated-01/index.html", "browse/index.html", "search/index.html"):
        assert scripts(path) == [], path


def test_the_table_starts_once_when_a_forks_mkdocs_yml_still_loads_its_scripts(site: Path, page) -> None:
    """A fork whose mkdocs.yml kept the scripts in extra_javascript loads them twice on All claims:
    MkDocs puts them at the end of <body>, as here. One table, one page of 50 rows, one pager."""
    html = (site / "claims" / "index.html").read_text(encoding="utf-8")
    extra = ('<script src="../assets/claimpress/claims-data.js"></script>'
             '<script src="../assets/claimpress/claims-table.js"></script>')
    assert html.count("</body>") == 1
    (site / "claims-twice").mkdir(exist_ok=True)
    (site / "claims-twice" / "index.html").write_text(html.replace("</body>", extra + "</body>"), encoding="utf-8")
    loaded(page, "claims-twice/")
    page.wait_for_timeout(300)  # the second script's run, if it drew again
    assert len(rows(page)) == 50
    assert page.locator(".cp-pager button").count() == 2  # previous, next
    assert page.locator(".cp-all-app .cp-filters").count() == 1
    options = page.eval_on_selector_all(".cp-filters select", "ss => ss.map(s => [...s.options].map(o => o.value))")
    assert options and all(len(values) == len(set(values)) for values in options)  # each filled once
    first = rows(page)
    page.locator(".cp-pager button").nth(1).click()  # next: one handler, one page on
    page.wait_for_function("document.querySelector('.cp-pager').textContent.includes('Page 2 of 2')")
    assert 0 < len(rows(page)) <= 50 and rows(page)[0] not in first
