"""The all-claims table in a real browser: its text box finds places and party aliases, whatever the
case and accents.

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
