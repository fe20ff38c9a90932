"""The all-claims table in a real browser: its whole state in the address, and its text box finding
places and party aliases, whatever the case and accents.

The `page` fixture (test_browser.py) fails a test on any console error or request to another host.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import test_browser
from sitebuild import build, fixture_project
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
    done = build(root)
    assert done.returncode == 0, done.stderr
    return root / "site"


@pytest.fixture(scope="module")
def server(site: Path):
    yield from serve(site)


def loaded(page, address: str = "claims/") -> None:
    page.goto(page.base + address)
    page.wait_for_selector(".cp-all-table tbody tr")


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
