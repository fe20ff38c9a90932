"""axe-core finds no serious or critical violation on any page kind, light and dark, at 1280 and 390 px.

axe is vendored for the tests only (tests/vendor/axe-core/, from the npm registry: see fetch.sh there)
and injected into each page by Playwright; the site never loads it. The site is built from the test
claims (hostile ones included), with a contact, an edit link and a source repository set, so that
every part a reader can meet is on some page.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest
from conftest import REPO
from sitebuild import built_site, reader_project
from test_browser import CHROMIUM, browser, serve  # noqa: F401 - the browser fixture is used by name

AXE = REPO / "tests" / "vendor" / "axe-core"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                reason="Debian's chromium is not installed (.ci/run installs it)")

# Every page kind, with what shows that its content is in place (the table and the search results are
# drawn by scripts). Facet pages: one of each facet.
PAGES = {
    "": ".cp-chart svg rect",
    "claims/": ".cp-all-table tbody tr",
    "map/": ".cp-map[data-state=ready] .cp-map-point",
    "claims/valid-full/": "article.cp-claim figure.cp-placemap svg",  # a claim page with its map
    "claims/valid-minimal/": "article.cp-claim",
    "claims/hostile-everything/": "article.cp-claim",
    "claims/hostile-claimreview/": "article.cp-claim",
    "browse/": "article",
    **{f"browse/{facet}/": "article" for facet in ("status", "accused", "claimant", "country", "category", "year")},
    "browse/status/substantiated/": "article",
    "browse/accused/example-army/": "article",
    "browse/claimant/example-ngo/": "article",
    "browse/country/sy/": "article",
    "browse/category/barrel-bombs/": "article",
    "browse/year/2019/": "article",
    "downloads/": "article",
    "methodology/": "article",
    "contributing/": "article",
    "claim-format/": "article",
    "about/": "article",
    "search/?q=allegation": ".pagefind-ui__result-link",
    "404.html": "article",
}
WIDTHS = [1280, 390]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = reader_project(tmp_path_factory.mktemp("accessibility"))
    return built_site(root)


@pytest.fixture(scope="module")
def server(site: Path):
    yield from serve(site)


@pytest.fixture(scope="module")
def axe_source() -> str:
    """The vendored file, checked against the digest VERSION records for it (fetch.sh writes both)."""
    recorded = re.search(r"^axe\.min\.js sha256: ([0-9a-f]{64})$", (AXE / "VERSION").read_text(), re.M)
    data = (AXE / "axe.min.js").read_bytes()
    assert recorded and hashlib.sha256(data).hexdigest() == recorded.group(1)
    return data.decode("utf-8")


# Besides every serious or critical violation: landmarks that a screen reader's list of them cannot
# tell apart (All claims had two role=search forms, both unnamed), which axe rates moderate.
HELD = {"landmark-unique"}


def serious_violations(page) -> list[str]:
    found = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
    return [f"{v['id']} ({v['impact']}): " + "; ".join(" ".join(map(str, node["target"])) for node in v["nodes"])
            for v in found if v["impact"] in ("serious", "critical") or v["id"] in HELD]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_violation(browser, server, axe_source: str, path: str) -> None:  # noqa: F811
    """Each page in the light scheme, then in the dark one as the reader's toggle sets it, each at both
    widths: one load a page, four runs of axe."""
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900}, color_scheme="light")
    page = context.new_page()
    found = []
    try:
        response = page.goto(server + path)
        assert response and response.ok, f"{path}: HTTP {response and response.status}"
        page.wait_for_selector(PAGES[path], timeout=15000)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("typeof window.axe") == "undefined"  # the site itself never loads axe
        page.add_script_tag(content=axe_source)
        for scheme in ("default", "slate"):
            if scheme == "slate":
                page.set_viewport_size({"width": WIDTHS[0], "height": 900})
                page.click("form[data-md-component=palette] label:visible")
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                # The theme's colours and layout change with transitions: axe reads them once they ended.
                page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
                found += [f"{path or '/'} [{scheme}, {width} px] {v}" for v in serious_violations(page)]
    finally:
        context.close()
    assert found == []


def test_the_map_with_a_claim_open_has_no_serious_violation(browser, server, axe_source: str) -> None:  # noqa: F811
    """The map's popup (a claim's title, status, parties, date and precision) and its points, light and dark."""
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900}, color_scheme="light")
    page = context.new_page()
    found = []
    try:
        page.goto(server + "map/")
        page.wait_for_selector(PAGES["map/"], timeout=15000)
        page.add_script_tag(content=axe_source)
        for scheme in ("default", "slate"):
            if scheme == "slate":
                page.click("form[data-md-component=palette] label:visible")
            page.click(".cp-map-point >> nth=0")
            page.wait_for_selector(".maplibregl-popup")
            page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
            found += [f"map/ [{scheme}, popup] {v}" for v in serious_violations(page)]
            page.keyboard.press("Escape")
    finally:
        context.close()
    assert found == []
