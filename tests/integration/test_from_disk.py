"""The built site opened from disk (file://, as the README suggests) works in a real browser: menu links
lead to pages, not folder listings; the all-claims table loads, filters and links; search says at once
that it needs the site served, and how. Served over HTTP the site behaves as published, unchanged.

Every browser test fails on a console error, an uncaught exception, a dialog or a request to another host.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import FIXTURES, front_matter
from sitebuild import parse

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
browser_only = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                  reason="Debian's chromium is not installed (.ci/run installs it)")
HOSTILE_TITLE = front_matter(FIXTURES / "hostile" / "hostile-everything.md")["title"]
# A page of each kind, as a reader opening site/index.html reaches them.
PAGES = ["index.html", "claims/index.html", "map/index.html", "claims/valid-full/index.html", "claims/hostile-everything/index.html",
         "browse/index.html", "browse/status/index.html", "browse/status/substantiated/index.html",
         "methodology/index.html", "downloads/index.html", "contributing/index.html", "search/index.html"]


@pytest.fixture(scope="module")
def site(fixture_site: Path) -> Path:
    return fixture_site / "site"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@contextlib.contextmanager
def watched(browser, local: str) -> Iterator:
    """A page whose console errors, uncaught exceptions, dialogs and requests beyond `local` (a scheme
    and host) fail the test."""
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

    def on_dialog(dialog):
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda r: None if r.url.startswith(local) else problems.append(f"request: {r.url}"))
    page.requested = []
    page.on("request", lambda r: page.requested.append(r.url))
    yield page
    context.close()
    assert problems == []


@pytest.fixture
def disk(browser, site: Path):
    with watched(browser, "file://") as page:
        page.base = site.as_uri() + "/"
        yield page


@pytest.fixture
def served(browser, site: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    with watched(browser, base) as page:
        page.base = base
        yield page
    httpd.shutdown()


def rows(page) -> list[list[str]]:
    return page.eval_on_selector_all(".cp-all-table tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))")


@browser_only
def test_the_menu_leads_to_all_claims_and_its_table_shows_the_claims(disk) -> None:
    disk.goto(disk.base + "index.html")
    disk.click(".md-nav--primary a >> text=All claims")
    disk.wait_for_selector(".cp-all-table tbody tr", timeout=5000)
    assert disk.url == disk.base + "claims/index.html"  # the page, not a listing of the folder claims/
    assert disk.text_content(".cp-count") == "4 claims"
    assert sorted(r[0] for r in rows(disk)) == sorted([
        HOSTILE_TITLE, "Example allegation that uses every field", "Example allegation with only the required fields",
        front_matter(FIXTURES / "hostile" / "hostile-claimreview.md")["title"]])
    # The data came as a script (data/claims-index.js), its hostile text as text, not markup.
    assert disk.evaluate("window.claimpressIndex.claims.map(c => c[1])").count(HOSTILE_TITLE) == 1
    assert disk.evaluate("document.querySelectorAll('.cp-all-table tbody script, .cp-all-table tbody b').length") == 0


@browser_only
def test_the_filters_work_from_disk(disk) -> None:
    disk.goto(disk.base + "claims/index.html")
    disk.wait_for_selector(".cp-all-table tbody tr", timeout=5000)
    disk.select_option("select[name=status]", "substantiated")
    assert [r[0] for r in rows(disk)] == ["Example allegation that uses every field"]
    assert disk.url.endswith("claims/index.html#status=substantiated")
    disk.select_option("select[name=status]", "")
    disk.fill(".cp-filters input[name=q]", "bold")
    assert [r[0] for r in rows(disk)] == [HOSTILE_TITLE]
    disk.fill(".cp-filters input[name=q]", "")
    disk.select_option("select[name=year]", "2019")
    assert disk.text_content(".cp-count") == "1 of 4 claims match"


@browser_only
def test_a_claim_link_in_the_table_opens_the_claim_page(disk) -> None:
    disk.goto(disk.base + "claims/index.html#status=substantiated")
    disk.wait_for_selector(".cp-all-table tbody tr", timeout=5000)
    disk.click(".cp-all-table tbody a:not(.cp-badge)")
    disk.wait_for_selector("article.cp-claim h1", timeout=5000)
    assert disk.url == disk.base + "claims/valid-full/index.html"
    assert disk.text_content("article.cp-claim h1") == "Example allegation that uses every field"
    disk.go_back()
    disk.wait_for_selector(".cp-all-table tbody a.cp-badge", timeout=5000)
    disk.click(".cp-all-table tbody a.cp-badge")  # the status badge: its definition on the Methodology page
    disk.wait_for_selector("#rating-substantiated", timeout=5000)
    assert disk.url == disk.base + "methodology/index.html#rating-substantiated"


@browser_only
@pytest.mark.parametrize("path", PAGES)
def test_every_link_to_this_site_leads_to_a_file(disk, site: Path, path: str) -> None:
    """From disk a link to a folder shows the folder's listing: every link and form of every page kind
    (the table's rows included) must name a file that exists."""
    disk.goto(disk.base + path)
    if path == "claims/index.html":
        disk.wait_for_selector(".cp-all-table tbody tr", timeout=5000)
    if path == "map/index.html":
        disk.wait_for_selector(".cp-map-items li", timeout=5000)
    targets = disk.evaluate("""() => [...document.querySelectorAll('a[href]')].map(a => a.href)
        .concat([...document.querySelectorAll('form[action]')].map(f => f.action))""")
    local = [urlsplit(t) for t in targets if t.startswith("file:")]
    assert len(local) > 10
    assert [u.geturl() for u in local if not Path(unquote(u.path)).is_file()] == []
    assert all(Path(unquote(u.path)).resolve().is_relative_to(site.resolve()) for u in local)


@browser_only
def test_the_map_page_lists_the_claims_with_a_place_from_disk(disk) -> None:
    """Browsers refuse the map library's modules from disk: the page says the map needs the site served, and
    lists the claims with a place, filtered as served, each linked to its page."""
    disk.goto(disk.base + "map/index.html#status=single-source")
    disk.wait_for_selector(".cp-map-items li", timeout=5000)
    assert disk.get_attribute(".cp-map", "data-state") == "error"
    assert "The map needs the site served" in disk.text_content(".cp-map-note")
    titles = disk.eval_on_selector_all(".cp-map-items a.cp-map-title", "ls => ls.map(a => a.textContent)")
    assert titles == [front_matter(FIXTURES / "hostile" / "hostile-claimreview.md")["title"]]
    disk.select_option("select[name=status]", "")
    assert len(disk.query_selector_all(".cp-map-items li")) == 2  # and the valid-full claim; the others have no place
    disk.click(".cp-map-items a.cp-map-title >> text=Example allegation that uses every field")
    disk.wait_for_selector("article.cp-claim h1", timeout=5000)
    assert disk.url == disk.base + "claims/valid-full/index.html"


@browser_only
def test_search_says_at_once_that_it_needs_the_site_served(disk, site: Path) -> None:
    """Search cannot read its index from disk: instead of "Searching for ..." for ever, the page says so
    within a second, with the command that serves this folder and the address to search then."""
    disk.goto(disk.base + "claims/valid-full/index.html")
    disk.fill(".cp-header-search input[name=q]", "zebra finch")  # the header's box, on any page
    disk.press(".cp-header-search input[name=q]", "Enter")
    disk.wait_for_selector(".cp-search-from-disk:not([hidden])", timeout=1000)
    assert disk.url == disk.base + "search/index.html?q=zebra+finch"
    assert disk.text_content(".cp-serve-command") == f"python3 -m http.server -d {site}"
    assert disk.get_attribute(".cp-serve-address", "href") == "http://127.0.0.1:8000/search/?q=zebra%20finch"
    assert "Search needs the site served" in disk.inner_text("main")
    disk.wait_for_timeout(1500)
    assert "Searching for" not in disk.inner_text("body")
    assert disk.query_selector(".pagefind-ui") is None
    disk.click(".cp-search-from-disk a >> text=All claims")  # what works from disk, one click away
    disk.wait_for_selector(".cp-all-table tbody tr", timeout=5000)


@browser_only
def test_served_the_site_is_as_published(served, site: Path) -> None:
    """Over HTTP nothing of the above runs: links keep the published addresses (ending in "/"), the
    table fetches its JSON and not the script, and search runs Pagefind without the from-disk note."""
    for path in ("", "claims/valid-full/"):
        served.goto(served.base + path)
        shown = served.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        written = [a.attrs["href"] for a in parse(site / path / "index.html").find_all("a") if "href" in a.attrs]
        assert shown == written and any(h.endswith("/") for h in shown)
    served.goto(served.base + "claims/")
    served.wait_for_selector(".cp-all-table tbody tr")
    links = served.eval_on_selector_all(".cp-all-table tbody a:not(.cp-badge)", "els => els.map(e => e.getAttribute('href'))")
    assert sorted(links) == ["hostile-claimreview/", "hostile-everything/", "valid-full/", "valid-minimal/"]
    assert served.get_attribute(".cp-header-search", "action") == "../search/"
    data = [u for u in served.requested if "/data/" in u]
    assert data == [served.base + "data/claims-index.json"]
    served.goto(served.base + "search/?q=zebrafinch")
    served.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    assert served.is_hidden(".cp-search-from-disk")
