"""Search per language in a real browser: Pagefind makes an index for each language (each page's
<html lang>), each site language's search page (<tag>/search/) searches its own first, and "Search in
all languages" finds the others, each result marked with its language. On one index, and on a site
indexed in parts, where a part without the page's language gives Pagefind's index of another.

The `page` fixture (test_browser.py) fails a test on any console error, dialog or request to another host.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import test_browser
from conftest import FIXTURES
from sitebuild import built_site, copy_project, parse, set_setting
from test_browser import serve

# test_browser's fixtures, used by name: Chromium, and a page in it that fails the test on a console error
browser, page, pytestmark = test_browser.browser, test_browser.page, test_browser.pytestmark

ARABIC_WORD = "الحقول"  # from the Arabic translation's title of valid-full ("... يستخدم كل الحقول")
# Another: searched from the English page, Pagefind matches every index's words as the page's language's
# stemmer makes them (English leaves Arabic words whole), and the Arabic index holds "حقول" for "الحقول".
ARABIC_WORD_WHOLE = "مثال"
RESULTS = ".pagefind-ui__result"
TOP_LINK = ".pagefind-ui__result-inner > .pagefind-ui__result-title > .pagefind-ui__result-link"


@pytest.fixture(scope="module", params=["one index", "in parts"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("search-languages") / "project", FIXTURES / "languages" / "claims")
    set_setting(root, "languages", "[en, ar, uk]")
    if request.param == "in parts":  # 4 parts of the 9 pages, dealt at random: the first had only the Ukrainian one
        set_setting(root, "pages_per_search_index", 3)
    return built_site(root)


@pytest.fixture(scope="module")
def server(site: Path):
    yield from serve(site)


def results(page) -> list[dict[str, str | None]]:
    """The results shown, once each is drawn and marked by search.js: address, the item's lang and dir,
    and the label naming its language (if any, with that label's lang)."""
    page.wait_for_function(f"""() => {{
        const items = [...document.querySelectorAll('{RESULTS}')];
        return items.length && items.every(li => li.querySelector('.cp-result-kind'));
    }}""", timeout=15000)
    return page.eval_on_selector_all(RESULTS, f"""items => items.map(li => {{
        const label = li.querySelector('.cp-result-language');
        return {{href: li.querySelector('{TOP_LINK}').getAttribute('href'), lang: li.getAttribute('lang'),
                 dir: li.getAttribute('dir'), language: label && label.textContent,
                 labelLang: label && label.getAttribute('lang')}};
    }})""")


def searched(page) -> str:
    """The UI's message once a search is done: "Searching for ..." before, in English as in Arabic."""
    page.wait_for_function("() => { const m = document.querySelector('.pagefind-ui__message');"
                           " return m && m.textContent.trim() && !m.textContent.trim().endsWith('...'); }",
                           timeout=15000)
    return page.inner_text(".pagefind-ui__message")


def test_each_language_has_its_index_and_its_search_page(site: Path) -> None:
    listed = json.loads((site / "pagefind" / "claimpress-languages.json").read_text())
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())["languages"]
    counts = {tag: index["page_count"] for tag, index in entry.items()}
    assert set(counts) == {"en", "ar", "uk"} and counts["ar"] == counts["uk"] == 1  # apart, by <html lang>
    assert listed["languages"] == counts and not list(site.glob("pagefind-*"))
    assert listed["names"]["ar"] == {"tag": "ar", "dir": "rtl", "name": "العربية"}
    for tag, direction, heading in (("ar", "rtl", "بحث"), ("uk", "ltr", "Пошук")):
        tree = parse(site / tag / "search" / "index.html")
        assert tree.find_all("html")[0].attrs["lang"] == tag and tree.find_all("body")[0].attrs["dir"] == direction
        assert tree.find_all("h1")[0].text() == heading
        assert any(s.attrs.get("src") == f"../../data/messages/{tag}.js" for s in tree.find_all("script"))
    for here, search in (("ar/claims/valid-full", "ar/search"), ("claims/valid-full", "search"),
                         ("uk/claims/valid-full", "uk/search")):
        form = parse(site / here / "index.html").find_all("form", "cp-header-search")[0]
        assert (site / here / form.attrs["action"]).resolve() == (site / search).resolve()


def test_arabic_search_page_finds_the_arabic_page(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base + "ar/claims/valid-full/")
    page.fill(".cp-header-search input[name=q]", ARABIC_WORD)
    page.press(".cp-header-search input[name=q]", "Enter")
    page.wait_for_selector(".pagefind-ui__search-input")
    assert "/ar/search/?q=" in page.url
    assert page.get_attribute(".pagefind-ui__search-input", "placeholder") == "ابحث في الادعاءات والجهات والأماكن والأدلة"
    searched(page)
    found = results(page)
    assert found[0]["href"] == "/ar/claims/valid-full/"
    assert all(r["href"].startswith("/ar/") and r["lang"] is None and r["language"] is None for r in found)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing scrolls sideways


def test_english_search_page_finds_the_english_page_first(page) -> None:
    # The English quotation is on every version (the translations show the original beside theirs).
    page.goto(page.base + "search/?q=shelled")
    searched(page)
    found = results(page)
    assert found[0]["href"] == "/claims/valid-full/"
    assert not [r for r in found if r["href"].startswith(("/ar/", "/uk/")) or r["lang"] or r["language"]]
    page.goto(page.base + "search/?q=example")
    assert len(results(page)) >= 3 and page.is_hidden(".cp-search-languages")  # enough in English: no offer


def test_all_languages_from_the_english_page_finds_the_arabic_page(page) -> None:
    page.goto(page.base + "search/?q=" + ARABIC_WORD_WHOLE)
    searched(page)
    assert "/ar/claims/valid-full/" not in page.eval_on_selector_all(TOP_LINK, "els => els.map(e => e.getAttribute('href'))")
    page.click(".cp-search-languages a >> text=Search in all languages")
    page.wait_for_url("**/search/?q=*languages=all")
    searched(page)
    found = {r["href"]: r for r in results(page)}
    arabic = found["/ar/claims/valid-full/"]
    assert (arabic["lang"], arabic["dir"], arabic["language"], arabic["labelLang"]) == ("ar", "rtl", "العربية", "ar")
    assert all(r["lang"] is None and r["language"] is None for href, r in found.items() if not href.startswith("/ar/"))
    assert "Results in every language of the site." in page.inner_text(".cp-search-languages")
    page.click(".cp-search-languages a")  # back to English alone
    page.wait_for_function("!location.search.includes('languages')")
    searched(page)
    assert "/ar/claims/valid-full/" not in page.eval_on_selector_all(TOP_LINK, "els => els.map(e => e.getAttribute('href'))")


def test_arabic_page_in_all_languages_marks_each_other_language(page) -> None:
    page.goto(page.base + "ar/search/?q=shelled&languages=all")
    searched(page)
    found = {r["href"]: r for r in results(page)}
    assert {"/claims/valid-full/", "/ar/claims/valid-full/", "/uk/claims/valid-full/"} <= set(found)
    assert len(found) == page.eval_on_selector_all(RESULTS, "els => els.length")  # each page once
    assert (found["/uk/claims/valid-full/"]["lang"], found["/uk/claims/valid-full/"]["language"]) == ("uk", "українська")
    assert (found["/claims/valid-full/"]["lang"], found["/claims/valid-full/"]["dir"]) == ("en", "ltr")
    assert found["/ar/claims/valid-full/"]["lang"] is None  # the page's own language


def test_the_address_chooses_no_language(page) -> None:
    """The language searched is the page's: a query string naming another, or markup, changes nothing."""
    page.goto(page.base + "search/?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E" + ARABIC_WORD + "&lang=ar&languages=ar")
    searched(page)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.eval_on_selector_all(TOP_LINK, "els => els.filter(e => e.getAttribute('href').startsWith('/ar/')).length") == 0
