"""The built site in a real browser: headless Chromium (Debian's package) driven by Playwright.

Every test fails on a console error, an uncaught exception, a dialog (an `alert` from a payload)
or a request to any host but the local server.
"""
from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURES
from sitebuild import build, fixture_project, set_setting

from claimpress.search.cache import SEARCH_CACHE

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                reason="Debian's chromium is not installed (.ci/run installs it)")
GENERATED = 57  # with the three fixture claims: 60, more than the table's page of 50
SEARCH_PARTS_OF = 20  # pages: the site's search index is made in parts, as a large site's is
COUNTRIES = ["YE", "UA", "IQ", "AF", "SO", "LY", "ML", "SD", "MM", "CD"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = fixture_project(tmp_path_factory.mktemp("browser"))
    (root / "claims" / "hostile-claimreview.md").unlink()  # tested in test_exports; keeps the counts below simple
    template = (FIXTURES / "project" / "claims" / "valid-minimal.md").read_text()
    for i in range(GENERATED):
        text = template.replace("id: valid-minimal", f"id: generated-{i:02d}").replace(
            "Example allegation with only the required fields", f"Generated allegation number {i:02d}").replace(
            'date: "2019"', f'date: "{2000 + i % 20}"').replace('claimed_on: "2019"', f'claimed_on: "{2000 + i % 20}"')
        if i % 3 == 0:  # 19 claims accuse someone else, so that the accused filter has something to leave out
            text = text.replace("accused: [example-army]", "accused: [example-times]")
        if i < len(COUNTRIES):  # countries found in one part each: merged, they come from different parts
            text = text.replace("country: SY", f"country: {COUNTRIES[i]}")
        (root / "claims" / f"generated-{i:02d}.md").write_text(text)
    set_setting(root, "pages_per_search_index", SEARCH_PARTS_OF)
    done = build(root)
    assert done.returncode == 0, done.stderr
    return root / "site"


def serve(site: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def server(site: Path):
    yield from serve(site)


@pytest.fixture(scope="module")
def whole_server(site: Path, tmp_path_factory: pytest.TempPathFactory):
    """The same site with one search index of all its pages, as Pagefind makes it by default, and
    searched through Pagefind's API alone."""
    whole = tmp_path_factory.mktemp("whole") / "site"
    shutil.copytree(site, whole, ignore=lambda folder, names: [
        n for n in names if Path(folder) == site and n.startswith("pagefind")])
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(whole), "--silent"], check=True)
    shutil.copy(site / "pagefind" / "claimpress-languages.json", whole / "pagefind")
    # Pagefind's own API, as it orders one index's filters, not claimpress' ordering of the parts'; its
    # searches wait for the filters, as the site's do (else the UI, which asks for them without waiting,
    # may show their totals over a search's counts when they load last: seen on a loaded machine).
    (whole / "assets" / "claimpress" / "pagefind-api" / "pagefind.js").write_text(
        'import * as pagefind from "../../../pagefind/pagefind.js";\n'
        'export * from "../../../pagefind/pagefind.js";\n'
        'let loaded = null;\n'
        'export async function search(term, options) {\n'
        '  await (loaded = loaded || pagefind.filters());\n'
        '  return pagefind.search(term, options);\n}\n'
        'export async function debouncedSearch(term, options, timeout) {\n'
        '  await (loaded = loaded || pagefind.filters());\n'
        '  return pagefind.debouncedSearch(term, options, timeout);\n}\n')
    yield from serve(whole)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    def on_dialog(dialog):
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    local = urlsplit(server).netloc

    def guard(route):
        if host(route.request.url) != local:
            problems.append(f"request to another host: {route.request.url}")
            return route.abort()
        return route.continue_()

    page.route("**/*", guard)
    page.base = server
    yield page
    context.close()
    assert problems == []


def host(url: str) -> str:
    """The host a request goes to. A blob: address names data the page made itself (the map hands its
    worker the filtered claims so), under the origin of the page that made it."""
    return urlsplit(url.removeprefix("blob:")).netloc


def rows(page) -> list[list[str]]:
    """The table's cells as text; a date as its ISO form (<time datetime>), so that order can be compared."""
    return page.eval_on_selector_all(".cp-all-table tbody tr", """rows => rows.map(r => [...r.cells].map(
        c => c.querySelector('time') ? c.querySelector('time').dateTime : c.textContent))""")


def test_table_loads_sorts_and_pages(page) -> None:
    page.goto(page.base + "claims/")
    page.wait_for_selector(".cp-all-table tbody tr")
    assert page.text_content(".cp-count") == "60 claims"
    assert len(rows(page)) == 50
    page.click("th[data-sort=title] button")
    titles = [r[0] for r in rows(page)]
    assert page.get_attribute("th[data-sort=title]", "aria-sort") == "ascending"
    assert titles[0].startswith("</title>") and titles[1] == "Example allegation that uses every field"
    assert titles[2:] == sorted(titles[2:])
    page.click("th[data-sort=title] button")
    assert page.get_attribute("th[data-sort=title]", "aria-sort") == "descending"
    assert [r[0] for r in rows(page)][:2] == ["Generated allegation number 56", "Generated allegation number 55"]
    page.click("th[data-sort=incident] button")
    dates = [r[5] for r in rows(page)]
    assert dates == sorted(dates, reverse=True)
    page.click(".cp-pager button:has-text('Next')")
    assert len(rows(page)) == 10
    # Dates read as on the claim pages ("8 September 2018"), not as ISO codes.
    shown = page.eval_on_selector_all(".cp-all-table tbody time", "ts => ts.map(t => [t.dateTime, t.textContent])")
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]

    def spelled(iso: str) -> str:
        year, *rest = iso.split("-")
        month = [months[int(rest[0]) - 1]] if rest else []
        day = [str(int(rest[1]))] if len(rest) == 2 else []
        return " ".join([*day, *month, year])
    assert shown and all(text == spelled(iso) for iso, text in shown), shown
    assert any(len(iso) == 10 for iso, _ in shown)


def test_filters_and_free_text(page) -> None:
    page.goto(page.base + "claims/")
    page.wait_for_selector(".cp-all-table tbody tr")
    page.select_option("select[name=status]", "substantiated")
    assert [r[0] for r in rows(page)] == ["Example allegation that uses every field"]
    page.select_option("select[name=status]", "")
    # Accused rolls up: Example State covers the claims against its army, though none names the state.
    page.select_option("select[name=accused]", "example-army")
    assert page.text_content(".cp-count") == "41 of 60 claims match"
    page.select_option("select[name=accused]", "example-state")
    assert page.text_content(".cp-count") == "41 of 60 claims match"
    assert {r[3] for r in rows(page)} == {"Example Army"}
    page.select_option("select[name=accused]", "")
    page.select_option("select[name=year]", "2005")
    assert {r[5] for r in rows(page)} == {"2005"} and len(rows(page)) == 3  # generated 05, 25 and 45
    page.select_option("select[name=year]", "")
    page.fill(".cp-filters input[name=q]", "number 07")
    assert [r[0] for r in rows(page)] == ["Generated allegation number 07"]
    assert "q=number+07" in page.url
    page.fill(".cp-filters input[name=q]", "bold")
    assert len(rows(page)) == 1 and "<script>" in rows(page)[0][0]  # the hostile title, as text
    # Words that only the claims' text holds: the table offers the site's search instead of nothing.
    page.fill(".cp-filters input[name=q]", "zebra & stripes")
    assert rows(page) == []
    more = page.get_attribute(".cp-count a", "href")
    assert more and more.endswith("search/?q=zebra%20%26%20stripes")
    page.click(".cp-count a")
    page.wait_for_selector(".pagefind-ui__search-input")
    assert page.input_value(".pagefind-ui__search-input") == "zebra & stripes"


def test_follow_a_claim_link(page) -> None:
    page.goto(page.base + "claims/#status=substantiated")
    page.wait_for_selector(".cp-all-table tbody tr")
    assert len(rows(page)) == 1
    page.click(".cp-all-table tbody a:not(.cp-badge)")
    page.wait_for_selector("article.cp-claim h1")
    assert page.text_content("article.cp-claim h1") == "Example allegation that uses every field"
    assert page.url.endswith("/claims/valid-full/")


def test_search_finds_a_word_from_an_analysis(page) -> None:
    """From the header's form on any page to Pagefind's results, all served from this site."""
    page.goto(page.base + "methodology/")
    page.fill(".cp-header-search input[name=q]", "zebrafinch")
    page.press(".cp-header-search input[name=q]", "Enter")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    assert "/search/?q=zebrafinch" in page.url
    links = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.getAttribute('href'))")
    assert links[0] == "/claims/hostile-everything/"
    assert set(links[1:]) <= {"/claims/hostile-everything/#analysis"}  # the section the word is in
    page.click(".pagefind-ui__result-link")
    page.wait_for_selector("article.cp-claim h1")
    assert page.url.endswith("/claims/hostile-everything/")


def test_search_leaves_out_the_lists_and_keeps_hand_written_pages(page) -> None:
    page.goto(page.base + "search/?q=methodology")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    links = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.getAttribute('href'))")
    assert any(link.startswith("/methodology/") for link in links)
    assert not [link for link in links if link.startswith(("/browse/", "/claims/#", "/search/")) or link == "/claims/"]


def test_search_filters_by_status_and_keeps_the_query_in_the_address(page) -> None:
    page.goto(page.base + "search/?q=allegation")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    page.fill(".pagefind-ui__search-input", "allegation number 07")
    page.wait_for_function("location.search.includes('number+07') || location.search.includes('number%2007')")
    page.wait_for_selector(".pagefind-ui__result-link >> text=Generated allegation number 07", timeout=15000)
    page.fill(".pagefind-ui__search-input", "allegation")
    page.wait_for_selector(".pagefind-ui__filter-panel >> text=Status", timeout=15000)  # filters load after results
    page.click(".pagefind-ui__filter-name >> text=Status")
    page.click(".pagefind-ui__filter-label >> text=Substantiated")
    page.wait_for_selector(".pagefind-ui__result-link >> text=Example allegation that uses every field", timeout=15000)
    page.wait_for_function("document.querySelectorAll('.pagefind-ui__result').length === 1")
    assert page.inner_text(".pagefind-ui__result-link") == "Example allegation that uses every field"


def test_search_in_parts_finds_what_one_index_finds(site: Path, browser, server, whole_server) -> None:
    """The site is indexed in parts of 20 pages, which the build merges into one bundle. Each query
    must give the same number of results, and the same filter values and counts in the same order,
    as one index of the whole site (test_browser_search_exact.py compares the results themselves)."""
    assert len(list((site.parent / SEARCH_CACHE).iterdir())) >= 3  # the parts' bundles
    assert [p.name for p in site.glob("pagefind*")] == ["pagefind"]

    def outcome(base: str, query: str) -> tuple[str, list[str]]:
        page = browser.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(f"{base}search/?q={query}")
        page.wait_for_function("/^\\d+ results? for/.test("
                               "document.querySelector('.pagefind-ui__message')?.textContent || '')", timeout=15000)
        message = page.inner_text(".pagefind-ui__message")
        page.wait_for_selector(".pagefind-ui__filter-panel >> text=Status", timeout=30000)
        for name in ("Status", "Country", "Category"):
            page.click(f".pagefind-ui__filter-name >> text={name}")
        # The panel shows every value's total until the search's own counts arrive, a moment after the
        # results: read it until it holds still (on a loaded machine the one index was read too early).
        groups, since = None, time.monotonic()
        while time.monotonic() - since < 20:
            now = page.eval_on_selector_all(".pagefind-ui__filter-group", "els => els.map(e => e.innerText)")
            if now == groups:
                break
            groups = now
            page.wait_for_timeout(700)
        page.close()
        assert problems == []
        # In the order one index lists them, even when they come from different parts
        # (docs/assets/claimpress/pagefind-api/pagefind.js): Pagefind alone merges them as met.
        for group in groups:
            values = [re.sub(r" \(\d+\)$", "", line) for line in group.splitlines()[1:]]
            assert values == sorted(values), group  # these values: no numbers, no characters beyond U+FFFF
        return message, [group.splitlines() for group in groups]

    for query in ("allegation", "example", "zebrafinch", "methodology"):
        merged, whole = outcome(server, query), outcome(whole_server, query)
        assert merged == whole, query
    assert outcome(server, "allegation")[0].startswith("6")  # 60 claims and a few pages: from every part


def test_hostile_claim_page_runs_nothing(page) -> None:
    page.goto(page.base + "claims/hostile-everything/")
    page.wait_for_selector("article.cp-claim h1")
    assert page.text_content("article.cp-claim h1").startswith("</title><script>")
    assert page.evaluate("document.querySelectorAll('article script, article iframe, article form').length") == 0


def test_home_page_and_dark_palette(page) -> None:
    page.goto(page.base)
    page.wait_for_selector(".cp-chart svg rect")
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.click("form[data-md-component=palette] label:visible")
    after = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert {before, after} == {"default", "slate"}


# Every element's computed style (but custom properties), with its ::before and ::after, as "tag.class".
COMPUTED_STYLES = """() => Array.from(document.querySelectorAll('html, body, body *')).flatMap(el =>
  [null, '::before', '::after'].map(pseudo => {
    const s = getComputedStyle(el, pseudo), look = {};
    for (let i = 0; i < s.length; i++) if (!s[i].startsWith('--')) look[s[i]] = s.getPropertyValue(s[i]);
    return [el.tagName + '.' + (el.getAttribute('class') || '') + (pseudo || ''), look];
  }))"""
# The layout's whole stylesheets (the theme's two, claimpress') in place of the search page's one.
WHOLE_STYLESHEETS = """([main, palette]) => new Promise(done => {
  const link = document.querySelector("link[href*='search-theme.']"), base = link.href;
  const wanted = ['../stylesheets/' + main, '../stylesheets/' + palette, 'claimpress.css'];
  let loaded = 0, last = link;
  for (const path of wanted) {
    const sheet = document.createElement('link');
    sheet.rel = 'stylesheet';
    sheet.onload = () => { if (++loaded === wanted.length) { link.remove(); done(); } };
    sheet.href = new URL(path, base).href;
    last.after(sheet);
    last = sheet;
  }
})"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_search_page_looks_as_with_the_themes_whole_stylesheets(page, site: Path, width: int) -> None:
    """The search page links only the rules of the layout's stylesheets it can use
    (mkdocs_plugin/search_style.py): with its results, its filters open, the drawer open, light and
    dark, every element is drawn as with the theme's two stylesheets and claimpress.css."""
    sheets = [next((site / "assets" / "stylesheets").glob(f"{name}.*.min.css")).name for name in ("main", "palette")]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base + "search/?q=allegation")
    page.wait_for_selector(".pagefind-ui__result-link")
    page.wait_for_selector(".pagefind-ui__filter-panel details")
    page.wait_for_load_state("networkidle")
    page.add_style_tag(content="*, ::before, ::after { transition: none !important; animation: none !important }")
    page.evaluate("""() => { document.querySelectorAll('details').forEach(d => d.open = true);
                             document.getElementById('__drawer').checked = true; }""")
    looks = {}
    for scheme in ("default", "slate"):
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
        looks[scheme] = page.evaluate(COMPUTED_STYLES)
    assert len(looks["default"]) > 600 and looks["default"] != looks["slate"]
    page.evaluate(WHOLE_STYLESHEETS, sheets)
    for scheme in ("default", "slate"):
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
        theirs = page.evaluate(COMPUTED_STYLES)
        differ = [(mine[0], {k: (v, their[1].get(k)) for k, v in mine[1].items() if their[1].get(k) != v})
                  for mine, their in zip(looks[scheme], theirs) if mine != their]
        assert len(theirs) == len(looks[scheme]) and differ == [], differ[:3]


def test_the_search_page_switches_the_palette_without_the_themes_script(page) -> None:
    page.goto(page.base + "search/?q=allegation")
    page.wait_for_selector(".pagefind-ui__result-link")
    assert page.evaluate("Array.from(document.scripts).every(s => !s.src.includes('assets/javascripts/'))")
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.click("form[data-md-component=palette] label:visible")
    after = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert {before, after} == {"default", "slate"}
    page.goto(page.base + "methodology/")  # the choice is kept where the theme keeps it
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == after
    page.click("form[data-md-component=palette] label:visible")  # and the theme's switch, back
    page.goto(page.base + "search/")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == before
    assert page.locator("form[data-md-component=palette] label:visible").count() == 1


def test_a_page_does_not_download_the_sitemap(page) -> None:
    """The sitemap lists every claim (1.4 MB at 10,000): only search engines should fetch it."""
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(page.base + "claims/valid-full/")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert requested and not [u for u in requested if "sitemap" in u]


# WCAG's contrast ratio, in the page: colours as the browser computes them; a translucent background
# is seen over the colour under it.
WCAG = """
  const channels = value => value.match(/[\\d.]+/g).map(Number);
  const over = ([r, g, b, alpha = 1], under) => [r, g, b].map((c, i) => alpha * c + (1 - alpha) * under[i]);
  const luminance = ([r, g, b]) => [r, g, b].map(c => c / 255)
      .map(c => c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
      .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const contrast = (text, background) => {
    const [a, b] = [luminance(text), luminance(background)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
"""
CONTRAST = """(selector) => {""" + WCAG + """
  return [...document.querySelectorAll(selector)].map(element => {
    const style = getComputedStyle(element);
    return [element.textContent.trim(), contrast(channels(style.color), channels(style.backgroundColor))];
  });
}"""


def test_status_badges_are_readable(page) -> None:
    """Small bold text needs a contrast of 4.5:1 (WCAG AA): white on the yellow of "Single source" was 2:1."""
    page.goto(page.base + "methodology/")
    badges = page.evaluate(CONTRAST, ".cp-rating-scale .cp-badge, table .cp-badge")
    assert len(badges) >= 7
    assert [(label, round(ratio, 2)) for label, ratio in badges if ratio < 4.5] == []


def test_header_search_box_is_readable(page) -> None:
    """The typed words were white on a nearly white box (1.5:1); the header's own colour shows through now."""
    page.goto(page.base)
    page.fill(".cp-header-search input", "phosphorus")
    ratio = page.evaluate("""() => {""" + WCAG + """
      const input = getComputedStyle(document.querySelector('.cp-header-search input'));
      const header = getComputedStyle(document.querySelector('.md-header'));
      return contrast(channels(input.color), over(channels(input.backgroundColor), channels(header.backgroundColor)));
    }""")
    assert ratio >= 4.5


def test_without_scripts_the_claims_page_offers_the_browse_pages_not_dead_controls(browser, server) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "claims/")
    assert not page.is_visible(".cp-filters") and not page.is_visible(".cp-all-table")
    assert page.is_visible(".cp-all noscript a[href$='browse/']")
    page.goto(server + "search/")
    assert "all claims" not in page.inner_text(".cp-search").lower()  # that page needs scripts too
    context.close()


def test_search_filters_are_not_drawn_as_admonitions(page) -> None:
    """The theme styles every <details> in a page as a call-out box with an icon; Pagefind's filters are <details>."""
    page.goto(page.base + "search/?q=allegation")
    page.wait_for_selector(".pagefind-ui__filter-panel details")
    look = page.eval_on_selector(".pagefind-ui__filter-panel details", """d => {
      const s = getComputedStyle(d), icon = getComputedStyle(d.querySelector('summary'), '::before');
      return [s.borderTopWidth, s.boxShadow, icon.content];
    }""")
    assert look == ["0px", "none", "none"]
