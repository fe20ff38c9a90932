"""A fork's own base map (extra.claimpress.map: a PMTiles file in docs/) on the incident map, in a real browser:
its tiles are drawn in place of Natural Earth's, raster or vector (the Protomaps basemap's layers), light and
dark with the reader's toggle; its credit is shown as text; the file is read from the site itself by byte
ranges, and from a server that ignores them (Python's http.server) whole while it is small, else the map
says why it is not drawn. The fixture files are made by tests/fixtures/basemap/make.py.

The `page` fixture (test_browser.py) fails a test on any console error, dialog or request to another host.
"""
from __future__ import annotations

import base64
import functools
import http.server
import io
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import test_browser
from conftest import FIXTURES
from sitebuild import built_site, fixture_project, set_setting
from test_browser import host, serve
from test_browser_map import SCREENSHOT_COLOUR

browser, page, pytestmark = test_browser.browser, test_browser.page, test_browser.pytestmark

BASEMAP = FIXTURES / "basemap"
RASTER = "#b4287d"                                  # make.py's RASTER: the raster tile's one colour
EARTH = {"light": "#e2dfda", "dark": "#1f1f1f"}     # @protomaps/basemaps' light and dark "earth" fills
CREDIT = "<b>Tiles</b> © Example & Co <script>alert(1)</script>"
FILE = "assets/basemap.pmtiles"


def fork(tmp_path_factory: pytest.TempPathFactory, tiles: Path | None, size: int = 0) -> Path:
    """The fixture project with its own base map: `tiles` (or a file of `size` bytes: a PMTiles header, then
    nothing) at docs/assets/basemap.pmtiles."""
    root = fixture_project(tmp_path_factory.mktemp("basemap"))
    target = root / "docs" / FILE
    if tiles:
        shutil.copy(tiles, target)
    else:
        with target.open("wb") as handle:
            handle.write((BASEMAP / "raster.pmtiles").read_bytes()[:127])
            handle.truncate(size)
    set_setting(root, "map", f"{{pmtiles: {FILE}, attribution: '{CREDIT}'}}")
    return built_site(root)


@pytest.fixture(scope="module", params=["raster", "vector"])
def kind(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, kind: str) -> Path:
    return fork(tmp_path_factory, BASEMAP / f"{kind}.pmtiles")


def serve_ranges(site: Path):
    """The site served as GitHub Pages serves it: a Range request is answered with those bytes (206)."""
    class Ranges(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def send_head(self):
            asked = re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers.get("Range") or "")
            path = Path(self.translate_path(self.path))
            if not asked or not path.is_file():
                return super().send_head()
            data = path.read_bytes()
            start, end = int(asked[1]), min(int(asked[2]), len(data) - 1)
            self.send_response(206)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
            self.send_header("Content-Length", str(end + 1 - start))
            self.end_headers()
            return io.BytesIO(data[start:end + 1])

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Ranges, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def server(site: Path):
    yield from serve_ranges(site)


def loaded(page, requests: list | None = None) -> None:
    if requests is not None:
        page.on("requestfinished", lambda r: requests.append((r.url, r.headers.get("range"), r.response().status)))
    page.goto(page.base + "map/")
    page.wait_for_selector(".cp-map[data-state=ready]", timeout=20000)
    page.wait_for_function("(m => !m.isMoving() && m.loaded())(document.querySelector('.cp-map').claimpressMap)")


def main_colour(page) -> str:
    """The colour most of the map's canvas is, from a screenshot (WebGL's buffer is not kept to be read)."""
    png = base64.b64encode(page.locator(".cp-map canvas").screenshot()).decode()
    return page.evaluate(SCREENSHOT_COLOUR, png)[0]


def toggle(page) -> None:
    page.click("form[data-md-component=palette] label:visible")  # the reader's toggle: no reload
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    page.wait_for_function("document.querySelector('.cp-map').claimpressMap.loaded()")
    page.wait_for_timeout(300)


def test_the_forks_tiles_are_drawn_from_this_site_by_byte_ranges(page, kind: str) -> None:
    requests: list[tuple[str, str | None, int]] = []
    loaded(page, requests)
    local = urlsplit(page.base).netloc
    assert [u for u, _, _ in requests if host(u) != local] == []
    paths = {urlsplit(u).path for u, _, _ in requests}
    # The fork's map, not Natural Earth's: neither the shapes nor their converter are fetched.
    assert "/assets/vendor/pmtiles/dist/pmtiles.js" in paths and "/" + FILE in paths
    assert not {"/assets/vendor/world-atlas/countries-50m.json", "/assets/vendor/world-atlas/countries-110m.json", "/assets/claimpress/basemap-worker.js"} & paths
    assert ("/assets/vendor/@protomaps/basemaps/dist/basemaps.js" in paths) == (kind == "vector")
    tiles = [(r, status) for u, r, status in requests if urlsplit(u).path == "/" + FILE]
    assert tiles and all(r and r.startswith("bytes=") and status == 206 for r, status in tiles)
    if kind == "raster":
        assert main_colour(page) == RASTER
    else:
        centre = page.evaluate("""() => { const m = document.querySelector('.cp-map').claimpressMap, c = m.getCanvas();
          return m.queryRenderedFeatures([c.clientWidth / 2, c.clientHeight / 2], {layers: ['earth']}).length; }""")
        assert centre > 0
        assert main_colour(page) == EARTH["light"]


def test_the_forks_base_map_follows_the_light_and_dark_schemes(page, kind: str) -> None:
    loaded(page)
    light = main_colour(page)
    toggle(page)
    dark = main_colour(page)
    if kind == "vector":
        assert (light, dark) == (EARTH["light"], EARTH["dark"])
    else:  # a raster map is dimmed
        channels = [(int(light[i:i + 2], 16), int(dark[i:i + 2], 16)) for i in (1, 3, 5)]
        assert all(abs(d - 0.7 * v) <= 3 for v, d in channels), (light, dark)


def test_the_credit_is_shown_as_text(page) -> None:
    loaded(page)
    assert page.text_content(".cp-map-attribution") == f"Base map: {CREDIT}. Drawn with MapLibre."
    assert page.evaluate("document.querySelectorAll('.cp-map-attribution *').length") == 0


@pytest.fixture(scope="module")
def plain_server(site: Path):
    yield from serve(site)


def test_a_server_that_ignores_byte_ranges_sends_a_small_file_whole(browser, plain_server: str) -> None:
    """Python's http.server answers a Range request with the whole file (200): read once, the map is drawn."""
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.base = plain_server
    requests: list[tuple[str, str | None, int]] = []
    loaded(page, requests)
    assert [status for u, _, status in requests if urlsplit(u).path == "/" + FILE] == [200]
    assert problems == []
    context.close()


@pytest.fixture(scope="module")
def large_server(tmp_path_factory: pytest.TempPathFactory):
    yield from serve(fork(tmp_path_factory, None, size=33 * 1024 * 1024))


def test_a_large_file_from_a_server_without_byte_ranges_is_refused_in_words(browser, large_server: str) -> None:
    """A 33 MB file that the server would send whole: the map is not drawn, and its note says why; the
    claims are still listed."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(large_server + "map/")
    page.wait_for_selector(".cp-map[data-state=error]", timeout=20000)
    note = page.text_content(".cp-map-note")
    assert page.is_visible(".cp-map-note")
    assert "does not answer HTTP Range requests" in note and "33 MB" in note, note
    assert page.eval_on_selector_all(".cp-map-items li", "items => items.length") > 0
    context.close()
