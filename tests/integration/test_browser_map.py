"""The incident map (map/) in a real browser, drawn by WebGL (Chromium's SwiftShader): a point for each claim
with coordinates and none for the others; clusters that split as one zooms in, claims at one place staying one
cluster; rings as wide as a precision says, in kilometres, at every zoom; the filters of All claims, through the
same address; keyboard access; light and dark; a phone; hostile text as text; and nothing fetched from another
host. Without WebGL the list of claims still works.

The `page` fixture (test_browser.py) fails a test on any console error, dialog or request to another host.
"""
from __future__ import annotations

import base64
import json
import math
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import test_browser
from conftest import FIXTURES, front_matter
from sitebuild import built_site, copy_project
from test_browser import host, serve

# test_browser's fixtures, used by name: Chromium, and a page in it that fails the test on a console error
browser, page, pytestmark = test_browser.browser, test_browser.page, test_browser.pytestmark

HOSTILE_TITLE = "<img src=x onerror=alert(1)> strike on a market"
HOSTILE_CLAIMREVIEW = front_matter(FIXTURES / "hostile" / "hostile-claimreview.md")["title"]
HOSTILE_PARTY = "<img src=x onerror=alert(2)> Brigade"
HOSTILE_PLACE = "<img src=x onerror=alert(3)>"
KHARKIV = ["Shelling of the central market in Kharkiv", "Second strike on the central market in Kharkiv"]
WITHHELD = "Strike near a school in Donetsk"
WITHHELD_AT = (48.01591, 37.80285)  # written in the claim; published to a district: (48.125, 37.875)
PLACED = 8  # the claims below with coordinates, and two of the fixture project's four
TOWN = "  coordinates: [34.7, 40.83]\n  precision: town\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project (two claims with coordinates, two without) and six claims placed on the map: two
    at one place, one in a town nearby, one whose place is published only to its district, one whose
    precision is unknown, and one whose title, claimant and place are markup."""
    root = copy_project(tmp_path_factory.mktemp("map"), FIXTURES / "project" / "claims",
                        tuple(sorted((FIXTURES / "hostile").glob("*.md"))))
    claims = root / "claims"
    (claims / "parties.yml").write_text((claims / "parties.yml").read_text()
                                        + f"\nhostile-brigade:\n  name: '{HOSTILE_PARTY}'\n  kind: armed-group\n")
    full = (claims / "valid-full.md").read_text()
    assert TOWN in full

    def placed(name: str, title: str, country: str, place: str, status: str = "substantiated",
               claimant: str = "example-ngo", location: str = "Example market, Example town") -> None:
        text = (full.replace("id: valid-full", f"id: {name}").replace("Example allegation that uses every field", title)
                .replace(TOWN, place).replace("  country: SY\n", f"  country: {country}\n")
                .replace("status: substantiated", f"status: {status}").replace("related: [valid-minimal]\n", "")
                .replace("claimant: example-ngo", f"claimant: {claimant}")
                .replace("location: Example market, Example town", f"location: '{location}'"))
        (claims / f"{name}.md").write_text(text)

    placed("map-kharkiv-first", KHARKIV[0], "UA", "  coordinates: [49.9935, 36.2304]\n  precision: exact\n")
    placed("map-kharkiv-second", KHARKIV[1], "UA", "  coordinates: [49.9935, 36.2304]\n  precision: exact\n",
           status="single-source")
    placed("map-okhtyrka", "Cluster munitions on a kindergarten in Okhtyrka", "UA",
           "  coordinates: [50.3103, 34.8988]\n  precision: town\n", status="single-source")
    placed("map-donetsk", WITHHELD, "UA", f"  coordinates: [{WITHHELD_AT[0]}, {WITHHELD_AT[1]}]\n  precision: exact\n"
           "  publish_precision: district\n")
    placed("map-mosul", "Shelling of the old city of Mosul", "IQ", "  coordinates: [36.34, 43.13]\n",
           status="single-source")
    placed("map-hostile", HOSTILE_TITLE, "YE", "  coordinates: [15.3694, 44.191]\n  precision: exact\n",
           claimant="hostile-brigade", location=HOSTILE_PLACE)
    return built_site(root)


@pytest.fixture(scope="module")
def server(site: Path):
    yield from serve(site)


def loaded(page, address: str = "map/") -> None:
    page.goto(page.base + address)
    page.wait_for_selector(".cp-map[data-state=ready]", timeout=20000)


MARKERS = """root => [...root.querySelectorAll('.cp-map-point, .cp-map-cluster')].map(b => ({
  cluster: b.classList.contains('cp-map-cluster'), label: b.getAttribute('aria-label'), text: b.textContent,
  kind: [...b.classList].find(c => ['cp-map-exact', 'cp-map-area', 'cp-map-unknown'].includes(c)) || null,
  box: b.getBoundingClientRect().toJSON()}))"""


def markers(page) -> list[dict]:
    return page.eval_on_selector(".cp-map", MARKERS)


def counted(found: list[dict]) -> int:
    """The claims the markers stand for: one a point, a cluster's count."""
    return sum(int(m["text"]) if m["cluster"] else 1 for m in found)


def settled(page, before: list[dict]) -> list[dict]:
    """The markers once they differ from `before` (they are placed when the map stops moving)."""
    page.wait_for_function(f"JSON.stringify(({MARKERS})(document.querySelector('.cp-map')).map(m => m.label)) !== "
                           f"{json.dumps(json.dumps([m['label'] for m in before]))}", timeout=10000)
    return still(page)


def still(page) -> list[dict]:
    """The markers once the map has stopped and drawn everything."""
    page.wait_for_function("(m => !m.isMoving() && m.loaded())(document.querySelector('.cp-map').claimpressMap)")
    page.wait_for_timeout(100)
    return markers(page)


def jump(page, lon: float, lat: float, zoom: float) -> None:
    """The map moved there at once (MapLibre's jumpTo; nothing returned: the map would be copied to Python)."""
    page.evaluate(f"() => {{ document.querySelector('.cp-map').claimpressMap.jumpTo({{center: [{lon}, {lat}], zoom: {zoom}}}); }}")


DETAIL = "/assets/vendor/world-atlas/countries-50m.json"
# The features a layer of the base map draws in view (0 for a layer not made yet).
DRAWN = """layer => (m => m.getLayer(layer) ? m.queryRenderedFeatures({layers: [layer]}).length : 0)(
  document.querySelector('.cp-map').claimpressMap)"""


def listed(page) -> list[str]:
    return page.eval_on_selector_all(".cp-map-items li a.cp-map-title", "links => links.map(a => a.textContent)")


def test_a_point_for_each_claim_with_coordinates_and_none_without(page) -> None:
    loaded(page)
    # These tests exercise the map, not its fallback: this Chromium draws with WebGL (SwiftShader).
    assert page.evaluate("!!document.createElement('canvas').getContext('webgl2')")
    found = markers(page)
    assert counted(found) == PLACED
    labels = " ".join(m["label"] for m in found)
    assert "Example allegation with only the required fields" not in labels  # no coordinates: not on the map
    assert page.text_content(".cp-count") == "10 claims; 2 have no place on the map."
    assert len(listed(page)) == PLACED and "Example allegation with only the required fields" not in listed(page)


def test_clusters_split_as_one_zooms_in_and_one_place_stays_one_cluster(page) -> None:
    loaded(page)
    found = markers(page)
    assert len(found) < PLACED and any(m["cluster"] and int(m["text"]) >= 3 for m in found)  # Ukraine's four
    zoom = page.evaluate("document.querySelector('.cp-map').claimpressMap.getZoom()")
    steps = [(zoom, sorted(m["text"] for m in found if m["cluster"]))]  # told when the test fails
    # Each click zooms in to where the cluster splits: two clicks here (Ukraine's four, then three). Once in
    # many CI runs four clicks still left the three (cause not found, not seen again in 30 runs under load):
    # six are allowed, and the zoom and clusters after each click are in the failure's message.
    for _ in range(6):
        big = [m for m in found if m["cluster"] and int(m["text"]) > 2]
        if not big:
            break
        page.click(f".cp-map-cluster[aria-label='{big[0]['label']}']")
        found = settled(page, found)
        steps.append((page.evaluate("document.querySelector('.cp-map').claimpressMap.getZoom()"),
                      sorted(m["text"] for m in found if m["cluster"])))
    assert not [m for m in found if m["cluster"] and int(m["text"]) > 2], steps
    assert steps[-1][0] > zoom
    assert any(not m["cluster"] and m["label"].startswith(WITHHELD) for m in found)
    # The two claims at one place stay one cluster up to the map's last zoom, where it lists them.
    jump(page, 36.2304, 49.9935, 12)
    page.wait_for_function("document.querySelector('.cp-map').claimpressMap.getZoom() === "
                           "document.querySelector('.cp-map').claimpressMap.getMaxZoom()")
    found = settled(page, found)
    pair = [m for m in found if m["cluster"]]
    assert len(pair) == 1 and pair[0]["text"] == "2"
    page.click(".cp-map-cluster")
    page.wait_for_selector(".maplibregl-popup")
    assert page.eval_on_selector_all(".maplibregl-popup a.cp-map-title", "ls => ls.map(a => a.textContent)") == KHARKIV
    assert page.text_content(".maplibregl-popup .cp-map-popup-title") == "2 claims at this place:"


def ring_reaches(page, lon: float, lat: float, pixels: float) -> bool:
    """Whether the rings layer is drawn `pixels` east of a claim's point."""
    return page.evaluate(f"""() => {{
      const map = document.querySelector('.cp-map').claimpressMap, at = map.project([{lon}, {lat}]);
      return map.queryRenderedFeatures([at.x + {pixels}, at.y], {{layers: ['rings']}}).length > 0;
    }}""")


@pytest.mark.parametrize("zoom", [7, 9])
def test_an_imprecise_place_is_a_ring_as_wide_as_its_precision_at_every_zoom(page, zoom: int) -> None:
    """The withheld claim, published to its district's cell: a ring of 25 km (geo.RING_KM), in pixels at this
    zoom and latitude; the exact points have none, and their marks say which is which."""
    loaded(page)
    lat, lon = 48.125, 37.875
    jump(page, lon, lat, zoom)
    page.wait_for_function("document.querySelector('.cp-map').claimpressMap.loaded()")
    page.wait_for_selector(".cp-map-area")
    metres_a_pixel = 40075016.686 * math.cos(math.radians(lat)) / (512 * 2 ** zoom)
    radius = 25000 / metres_a_pixel
    assert ring_reaches(page, lon, lat, 0.9 * radius) and not ring_reaches(page, lon, lat, 1.1 * radius)
    point = page.locator(f".cp-map-point[aria-label^='{WITHHELD}']")
    assert "cp-map-area" in point.get_attribute("class")
    point.click()
    assert "Published to district precision (within 25 km) on purpose" in page.text_content(".maplibregl-popup")
    # An exact point: no ring, a filled mark.
    jump(page, 44.191, 15.3694, 9)
    page.wait_for_selector(".cp-map-exact")
    page.wait_for_function("document.querySelector('.cp-map').claimpressMap.loaded()")
    assert not ring_reaches(page, 44.191, 15.3694, 3)


def test_a_filter_in_the_address_is_the_same_on_the_table_and_the_map(page) -> None:
    page.goto(page.base + "claims/#status=substantiated")
    page.wait_for_selector(".cp-all-table tbody tr")
    assert page.get_attribute(".cp-to-map", "href") == "../map/#status=substantiated"
    page.select_option("select[name=country]", "UA")  # the link follows the table's filters as they change
    table = sorted(page.eval_on_selector_all(".cp-all-table tbody td.cp-title a", "ls => ls.map(a => a.textContent)"))
    assert table == sorted([KHARKIV[0], WITHHELD])
    assert page.get_attribute(".cp-to-map", "href") == "../map/#status=substantiated&country=UA"
    page.click(".cp-to-map")
    page.wait_for_selector(".cp-map[data-state=ready]", timeout=20000)
    assert urlsplit(page.url).fragment == "status=substantiated&country=UA"
    assert page.input_value("select[name=status]") == "substantiated" and page.input_value("select[name=country]") == "UA"
    assert counted(markers(page)) == 2 and sorted(listed(page)) == table
    # Changed on the map: the address, the map, the list and the way back to the table follow.
    before = markers(page)
    page.select_option("select[name=status]", "single-source")
    assert urlsplit(page.url).fragment == "status=single-source&country=UA"
    found = settled(page, before)
    labels = [m["label"] for m in found]
    assert counted(found) == 2 and all("Single source" in label or "2 claims" in label for label in labels)
    assert page.get_attribute(".cp-to-table", "href") == "../claims/#status=single-source&country=UA"
    page.click(".cp-to-table")
    page.wait_for_selector(".cp-all-table tbody tr")
    assert sorted(page.eval_on_selector_all(".cp-all-table tbody td.cp-title a", "ls => ls.map(a => a.textContent)")) \
        == sorted([KHARKIV[1], "Cluster munitions on a kindergarten in Okhtyrka"])


def test_the_keyboard_reaches_a_point_opens_it_and_closes_it(page) -> None:
    loaded(page, "map/#q=mosul")
    page.wait_for_function("document.querySelectorAll('.cp-map-point').length === 1")
    page.focus(".cp-to-table")
    for _ in range(10):  # the map itself, its zoom buttons, then its points
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('cp-map-point')"):
            break
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label == "Shelling of the old city of Mosul (Single source, 1 May 2020)"
    page.keyboard.press("Enter")
    page.wait_for_selector(".maplibregl-popup")
    assert page.evaluate("document.activeElement.textContent") == "Shelling of the old city of Mosul"  # its link
    text = page.text_content(".maplibregl-popup")
    assert "Example Watch accused Example Army." in text and "Incident: 1 May 2020" in text
    assert "Precision not recorded." in text
    page.keyboard.press("Escape")
    page.wait_for_selector(".maplibregl-popup", state="detached")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == label
    # The map itself moves with the arrow keys.
    before = page.eval_on_selector(".cp-map-point", "b => b.getBoundingClientRect().x")
    page.focus(".cp-map canvas")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"document.querySelector('.cp-map-point').getBoundingClientRect().x < {before} - 20")


SCREENSHOT_COLOUR = """async png => {
  const bytes = Uint8Array.from(atob(png), c => c.charCodeAt(0));
  const image = await createImageBitmap(new Blob([bytes], {type: 'image/png'}));
  const canvas = new OffscreenCanvas(image.width, image.height), context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, image.width, image.height).data, seen = {};
  for (let i = 0; i < data.length; i += 4) {
    const key = '#' + [data[i], data[i + 1], data[i + 2]].map(v => v.toString(16).padStart(2, '0')).join('');
    seen[key] = (seen[key] || 0) + 1;
  }
  return Object.entries(seen).sort((a, b) => b[1] - a[1]).slice(0, 2).map(e => e[0]);
}"""
PALETTE = """() => ['--cp-map-sea', '--cp-map-land'].map(name =>
  getComputedStyle(document.querySelector('.cp-map')).getPropertyValue(name).trim().toLowerCase())"""


def main_colours(page) -> set[str]:
    png = base64.b64encode(page.locator(".cp-map canvas").screenshot()).decode()
    return set(page.evaluate(SCREENSHOT_COLOUR, png))


def test_the_base_map_follows_the_light_and_dark_schemes(page) -> None:
    loaded(page)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
    light = page.evaluate(PALETTE)
    assert main_colours(page) == set(light)  # the sea and the land, in the light scheme's colours
    page.click("form[data-md-component=palette] label:visible")  # the reader's toggle: no reload
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    dark = page.evaluate(PALETTE)
    assert not set(dark) & set(light)
    page.wait_for_function("document.querySelector('.cp-map').claimpressMap.loaded()")
    page.wait_for_timeout(300)
    assert main_colours(page) == set(dark)
    jump(page, 34.5, 45, 5)  # the Black Sea and Crimea, in the 1:50m shapes, made after the toggle
    page.wait_for_function(f"({DRAWN})('land-detail') > 0 && ({DRAWN})('land') === 0", timeout=10000)
    page.wait_for_timeout(300)
    assert main_colours(page) == set(dark)
    page.click("form[data-md-component=palette] label:visible")
    page.wait_for_function("document.querySelector('.cp-map').claimpressMap.loaded()")
    page.wait_for_timeout(300)
    assert main_colours(page) == set(light)


def test_on_a_phone_the_list_is_under_the_map_and_nothing_scrolls_sideways(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    loaded(page)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    frame = page.eval_on_selector(".cp-map-frame", "e => e.getBoundingClientRect().toJSON()")
    items = page.eval_on_selector(".cp-map-list", "e => e.getBoundingClientRect().toJSON()")
    assert items["top"] >= frame["bottom"] and frame["width"] >= 340
    assert counted(markers(page)) == PLACED


def test_hostile_text_is_text_in_the_marker_the_popup_and_the_list(page) -> None:
    loaded(page, "map/#country=YE")
    point = page.locator(".cp-map-point")
    assert point.get_attribute("aria-label") == f"{HOSTILE_TITLE} (Substantiated, 1 May 2020)"
    point.click()
    page.wait_for_selector(".maplibregl-popup")
    assert page.text_content(".maplibregl-popup a.cp-map-title") == HOSTILE_TITLE
    assert f"{HOSTILE_PARTY} accused Example Army." in page.text_content(".maplibregl-popup")
    assert f"{HOSTILE_PLACE}, Yemen" in page.text_content(".maplibregl-popup")
    assert listed(page) == [HOSTILE_TITLE]
    assert HOSTILE_PLACE in page.text_content(".cp-map-items")
    assert page.evaluate("""document.querySelectorAll(
        '.cp-map-page img, .cp-map-page script:not([src$="assets/claimpress/claims-map.js"])'
        + ':not([src$="assets/claimpress/claims-data.js"])').length""") == 0
    assert page.eval_on_selector_all("select[name=claimant] option", "os => os.map(o => o.textContent)").count(HOSTILE_PARTY) == 1


def test_every_request_is_to_this_site(page) -> None:
    """The library, its worker, the base map and the data come from the local server; nothing else is asked
    for (the fixture blocks and reports any other host), also while the reader zooms and opens a claim."""
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    loaded(page)
    page.click(".cp-map-cluster")
    page.wait_for_timeout(1500)
    page.locator(".cp-map-point").first.click()
    page.wait_for_selector(".maplibregl-popup")
    local = urlsplit(page.base).netloc
    assert [u for u in requested if host(u) != local] == []
    paths = {urlsplit(u).path for u in requested}
    assert {"/assets/vendor/maplibre-gl/dist/maplibre-gl.mjs", "/assets/vendor/maplibre-gl/dist/maplibre-gl-worker.mjs",
            "/assets/vendor/world-atlas/countries-110m.json", "/data/claims-index.json"} <= paths
    assert not [p for p in paths if "pmtiles" in p or "protomaps" in p]  # only for a fork's own base map


def test_the_finer_base_map_is_loaded_only_once_zoomed_in(page) -> None:
    """The first frame needs Natural Earth's 1:110m shapes only; the 1:50m ones (seven times the bytes) are
    asked for when the reader first zooms in to zoom 2, and drawn instead of the 1:110m ones from there."""
    requested: list[str] = []
    page.on("request", lambda r: requested.append(urlsplit(r.url).path))
    page.set_viewport_size({"width": 1280, "height": 400})  # a low map: the claims' extent fits at zoom 1.7
    loaded(page)
    still(page)
    assert page.evaluate("document.querySelector('.cp-map').claimpressMap.getZoom()") < 2
    assert "/assets/vendor/world-atlas/countries-110m.json" in requested and DETAIL not in requested
    assert page.evaluate(DRAWN, "land") > 0 and page.evaluate("document.querySelector('.cp-map').claimpressMap.getLayer('land-detail')") is None
    jump(page, 36.23, 49.99, 1.95)
    still(page)
    page.wait_for_timeout(500)
    assert DETAIL not in requested
    jump(page, 34.5, 45, 5)  # Crimea: land, sea, borders
    page.wait_for_function(f"({DRAWN})('land-detail') > 0 && ({DRAWN})('land') === 0", timeout=10000)
    assert requested.count(DETAIL) == 1
    assert page.evaluate(DRAWN, "coast-detail") > 0 and page.evaluate(DRAWN, "borders-detail") > 0
    jump(page, 36.23, 49.99, 1)  # zoomed out again: the coarse shapes
    still(page)
    assert page.evaluate(DRAWN, "land") > 0 and page.evaluate(DRAWN, "land-detail") == 0
    assert requested.count(DETAIL) == 1


def test_without_webgl_the_claims_are_still_listed(page) -> None:
    page.add_init_script("""(() => { const real = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
        return /webgl/.test(kind) ? null : real.call(this, kind, ...rest); }; })()""")
    page.goto(page.base + "map/#country=UA")
    page.wait_for_selector(".cp-map[data-state=no-webgl]")
    assert "no WebGL" in page.text_content(".cp-map-note") and page.is_visible(".cp-map-note")
    assert sorted(listed(page)) == sorted([*KHARKIV, "Cluster munitions on a kindergarten in Okhtyrka", WITHHELD])
    assert page.text_content("#cp-map-list-title") == "Claims with a place"
    page.select_option("select[name=status]", "substantiated")
    assert sorted(listed(page)) == sorted([KHARKIV[0], WITHHELD])


def test_without_scripts_the_map_page_points_to_the_lists(browser, server) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "map/")
    assert not page.is_visible(".cp-filters") and not page.is_visible(".cp-map")
    assert page.is_visible(".cp-map-page noscript a[href$='claims/']")
    assert page.is_visible(".cp-map-page noscript a[href$='browse/']")
    context.close()


def test_the_map_is_in_the_navigation_and_linked_from_home_and_all_claims(page) -> None:
    page.goto(page.base)
    assert page.locator(".md-nav--primary a.md-nav__link", has_text="Map").get_attribute("href") == "map/"
    assert page.get_attribute(".cp-home a[href='map/']", "href") == "map/"
    page.goto(page.base + "claims/")
    page.wait_for_selector(".cp-all-table tbody tr")
    assert page.get_attribute(".cp-to-map", "href") == "../map/"


def test_a_filter_chosen_while_the_map_loads_applies_to_it(page) -> None:
    """The list and the filters work at once; a filter chosen before the map library has arrived is the one
    the map starts with, and the list then shows the claims in view."""
    held = []
    page.route("**/maplibre-gl.mjs", lambda route: held.append(route))  # held until the filter is chosen
    page.goto(page.base + "map/", wait_until="domcontentloaded")
    page.wait_for_selector("select[name=status] option[value=single-source]", state="attached")
    assert held and page.get_attribute(".cp-map", "data-state") == "loading"
    page.select_option("select[name=status]", "single-source")
    held[0].fallback()
    page.wait_for_selector(".cp-map[data-state=ready]", timeout=20000)
    assert counted(markers(page)) == 4  # the Kharkiv pair's second, Okhtyrka, Mosul, and hostile-claimreview
    assert page.text_content("#cp-map-list-title") == "Claims in view"
    assert sorted(listed(page)) == sorted([KHARKIV[1], "Cluster munitions on a kindergarten in Okhtyrka",
                                           "Shelling of the old city of Mosul", HOSTILE_CLAIMREVIEW])
