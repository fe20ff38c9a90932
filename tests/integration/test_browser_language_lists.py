"""All claims in a site language other than the default, in a real browser: the rows that
claims-table.js draws from that language's data show a translated claim's title, linking to its page
in that language, and an untranslated one's own title, marked with its language, linking to its own
page. The fixture project of test_language_pages.py (valid-full in en + ar + uk; valid-minimal in en).

The `page` fixture (test_browser.py) fails a test on any console error or request to another host.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import test_browser
from sitebuild import built_site, copy_project, set_setting
from test_browser import serve
from test_language_pages import LANGUAGES

# test_browser's fixtures, used by name: Chromium, and a page in it that fails the test on a console error
browser, page, pytestmark = test_browser.browser, test_browser.page, test_browser.pytestmark


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("language-lists") / "project", LANGUAGES)
    set_setting(root, "languages", "[en, ar, uk]")
    return built_site(root)


@pytest.fixture(scope="module")
def server(site: Path):
    yield from serve(site)


def titles(page) -> list[dict]:
    return page.eval_on_selector_all(".cp-all-table tbody td.cp-title a", """links => links.map(a => ({
        text: a.textContent, href: a.href, lang: a.getAttribute("lang"), dir: a.getAttribute("dir")}))""")


def test_arabic_table_rows_lead_to_each_claims_page_in_arabic_or_its_own(page) -> None:
    page.goto(page.base + "ar/claims/")
    page.wait_for_selector(".cp-all-table tbody tr")
    assert page.evaluate("document.documentElement.lang") == "ar"
    rows = {row["text"]: row for row in titles(page)}
    assert rows["ادعاء مثال يستخدم كل الحقول"] == {
        "text": "ادعاء مثال يستخدم كل الحقول", "href": page.base + "ar/claims/valid-full/", "lang": None, "dir": None}
    assert rows["Example allegation with only the required fields"] == {
        "text": "Example allegation with only the required fields", "href": page.base + "claims/valid-minimal/",
        "lang": "en", "dir": "ltr"}
    # the filters in Arabic words: the rating's label from ratings.yml, the country's name from Babel
    options = page.eval_on_selector_all(".cp-filters select[name=status] option, .cp-filters select[name=country] option",
                                        "options => options.map(o => o.textContent)")
    assert "مثبت" in options and "سوريا" in options
    page.click("text=Example allegation with only the required fields")
    page.wait_for_url(page.base + "claims/valid-minimal/")


def test_the_default_table_links_every_claim_to_its_own_page(page) -> None:
    page.goto(page.base + "claims/")
    page.wait_for_selector(".cp-all-table tbody tr")
    assert sorted((row["text"], row["href"], row["lang"]) for row in titles(page)) == [
        ("Example allegation that uses every field", page.base + "claims/valid-full/", None),
        ("Example allegation with only the required fields", page.base + "claims/valid-minimal/", None)]
