"""Each claim page shows where it happened on a map drawn at build time: an inline SVG with no script,
from the vendored Natural Earth shapes, built here into a real site and read back from its HTML."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import FIXTURES
from sitebuild import build, built_site, copy_project, parse

from claimpress.render.topojson import SHAPES

FULL = (FIXTURES / "project" / "claims" / "valid-full.md").read_text()
SOURCE = "GeoNames <b>gazetteer</b>: the town's centre"
OKHTYRKA = "[50.30713, 34.89852]"  # exact, as written in the claim: the page may show only the town's cell


def claim(cid: str, country: str, coordinates: str | None, precision: str, extra: str = "") -> str:
    place = f"  coordinates: {coordinates}\n" if coordinates else ""
    return FULL.replace("id: valid-full", f"id: {cid}").replace("  country: SY\n", f"  country: {country}\n").replace(
        "  coordinates: [34.7, 40.83]\n  precision: town\n", f"{place}  precision: {precision}\n{extra}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("maps"), FIXTURES / "project" / "claims")
    claims = root / "claims"
    (claims / "map-obscured.md").write_text(claim(
        "map-obscured", "UA", OKHTYRKA, "exact",
        f"  publish_precision: town\n  position_source: {json.dumps(SOURCE)}\n"))
    (claims / "map-exact.md").write_text(claim("map-exact", "LB", "[33.8938, 35.5018]", "exact"))
    (claims / "map-no-outline.md").write_text(claim("map-no-outline", "GF", "[4.9224, -52.3135]", "town"))
    return built_site(root)


def figure(site: Path, cid: str):
    [article] = parse(site / "claims" / cid / "index.html").find_all("article", "cp-claim")
    [found] = article.find_all("figure", "cp-placemap")
    return found


def rings(d: str) -> list[list[tuple[int, int]]]:
    out = []
    for match in re.finditer(r"M(-?\d+)(?: |(?=-))(-?\d+)l([^Mz]*)z", d):
        x, y = int(match.group(1)), int(match.group(2))
        ring = [(x, y)]
        numbers = [int(n) for n in re.findall(r"-?\d+", match.group(3))]
        for dx, dy in zip(numbers[0::2], numbers[1::2]):
            x, y = x + dx, y + dy
            ring.append((x, y))
        out.append(ring)
    return out


def test_a_claim_with_coordinates_has_its_ring_where_it_is_in_its_country(site: Path) -> None:
    found = figure(site, "valid-full")
    [svg] = found.find_all("svg")
    assert svg.attrs["role"] == "img" and svg.attrs["viewbox"] == "0 0 480 320"
    [title] = svg.find_all("title")
    assert svg.attrs["aria-labelledby"] == title.attrs["id"]
    assert title.text() == "Map: Example market, Example town, Syria; the town's position, 5 km ring"
    [country] = svg.find_all("path", "cp-placemap-country")
    [area] = svg.find_all("circle", "cp-placemap-area")
    # Syria's outline in Natural Earth spans 35.76-42.36 E, 32.32-37.30 N; the claim is at 34.7 N, 40.83 E.
    outline = max(rings(country.attrs["d"]), key=len)
    x0, x1 = min(x for x, _ in outline), max(x for x, _ in outline)
    y0, y1 = min(y for _, y in outline), max(y for _, y in outline)
    assert (int(area.attrs["cx"]) - x0) / (x1 - x0) == pytest.approx((40.83 - 35.76) / (42.36 - 35.76), abs=0.02)
    assert (int(area.attrs["cy"]) - y0) / (y1 - y0) == pytest.approx((37.30 - 34.7) / (37.30 - 32.32), abs=0.02)
    assert svg.find_all("path", "cp-placemap-land")  # the neighbours
    assert "within 5 km of the point" in found.find_all("figcaption")[0].text()


def test_a_claim_without_coordinates_shows_its_country_alone(site: Path) -> None:
    found = figure(site, "valid-minimal")
    [svg] = found.find_all("svg")
    assert svg.find_all("path", "cp-placemap-country") and not svg.find_all("circle")
    assert svg.find_all("title")[0].text() == "Map: Example province, Syria; Syria outlined"
    assert "No position is recorded" in found.find_all("figcaption")[0].text()


def test_an_obscured_position_says_so_and_where_it_comes_from(site: Path) -> None:
    found = figure(site, "map-obscured")
    caption = " ".join(found.find_all("figcaption")[0].text().split())
    assert "Position published to town precision." in caption
    assert f"Position from: {SOURCE}." in caption  # as text: no <b> became markup
    assert not found.find_all("b")
    assert found.find_all("circle", "cp-placemap-area")  # the town's ring, not a pin
    assert not found.find_all("path", "cp-placemap-pin")
    html = (site / "claims" / "map-obscured" / "index.html").read_text()
    assert "50.30713" not in html and "34.89852" not in html


def test_exact_is_a_pin_and_a_country_without_shape_gets_a_note(site: Path) -> None:
    assert figure(site, "map-exact").find_all("path", "cp-placemap-pin")
    found = figure(site, "map-no-outline")
    assert not found.find_all("path", "cp-placemap-country") and found.find_all("circle", "cp-placemap-area")
    assert "The base map has no outline for French Guiana." in found.find_all("figcaption")[0].text()


def test_the_map_has_no_script_and_fetches_nothing(site: Path) -> None:
    for page in sorted((site / "claims").glob("*/index.html")):
        for found in parse(page).find_all("figure", "cp-placemap"):
            for element in found.iter():
                assert element.tag in {"figure", "svg", "title", "rect", "path", "circle", "figcaption", "span", "a"}
                assert not any(name.startswith("on") or name in {"href", "src", "style"}
                               for name in element.attrs if element.tag != "a"), element.attrs
            assert all(a.attrs["href"] == "https://www.naturalearthdata.com/" for a in found.find_all("a"))


def test_new_shapes_reach_every_claim_page_and_bad_ones_stop_the_build(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p", FIXTURES / "project" / "claims")
    assert build(root).returncode == 0
    page = root / "site" / "claims" / "valid-full" / "index.html"
    assert "no outline for Syria" not in page.read_text()
    shapes = root / "docs" / SHAPES
    text = shapes.read_text()
    assert text.count('"id":"760"') == 1
    shapes.write_text(text.replace('"id":"760"', '"id":"999"'))  # Syria's shape under another code
    done = build(root)
    assert done.returncode == 0, done.stderr
    assert "The base map has no outline for Syria." in page.read_text()
    before = page.read_text()
    shapes.write_text(text[:1000])
    done = build(root)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert f"docs/{SHAPES}: error: not JSON" in done.stderr
    assert page.read_text() == before  # the site is left as it was
