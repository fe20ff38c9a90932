"""A claim page's map, from the vendored Natural Earth shapes (docs/assets/vendor/world-atlas/): the
country's outline, and the point where the claim's published position is, with its ring."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pycountry
import pytest
from conftest import REPO

from claimpress.geo import RING_KM
from claimpress.render.static_map import HEIGHT, WIDTH, StaticMap, StaticMaps, static_maps
from claimpress.render.topojson import SHAPES, read_bytes, read_shapes

# The extent of each country's main polygon in countries-50m (degrees: west, south, east, north).
UKRAINE = (22.13, 45.23, 40.13, 52.35)
SYRIA = (35.76, 32.32, 42.36, 37.3)
OKHTYRKA = (50.3103, 34.8988)
KHARKIV = (49.9935, 36.2304)


@pytest.fixture(scope="module")
def maps() -> StaticMaps:
    return static_maps(REPO / "docs")


def rings_of(d: str) -> list[list[tuple[int, int]]]:
    """The rings of path data in absolute units, read independently of how it was written."""
    out = []
    for match in re.finditer(r"M(-?\d+)(?: |(?=-))(-?\d+)l([^Mz]*)z", d):
        x, y = int(match.group(1)), int(match.group(2))
        numbers = [int(n) for n in re.findall(r"-?\d+", match.group(3))]
        ring = [(x, y)]
        for dx, dy in zip(numbers[0::2], numbers[1::2]):
            x, y = x + dx, y + dy
            ring.append((x, y))
        out.append(ring)
    assert "".join(m.group(0) for m in re.finditer(r"M[^z]*z", d)) == d  # nothing but rings
    return out


def extent(d: str, largest: bool = False) -> tuple[int, int, int, int]:
    rings = rings_of(d)
    if largest:
        rings = [max(rings, key=lambda r: (max(p[0] for p in r) - min(p[0] for p in r))
                     * (max(p[1] for p in r) - min(p[1] for p in r)))]
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def where_in(m: StaticMap, country: tuple[float, float, float, float], lat: float, lon: float) -> tuple[float, float]:
    """(expected, drawn) share of the way across the country's outline, east and south, of the marker."""
    x0, y0, x1, y1 = extent(m.country, largest=True)
    assert m.marker is not None
    west, south, east, north = country
    return ((lon - west) / (east - west), (north - lat) / (north - south)), \
        ((m.marker.x - x0) / (x1 - x0), (m.marker.y - y0) / (y1 - y0))


def test_a_town_is_a_ring_where_the_town_is_in_its_country(maps: StaticMaps) -> None:
    for code, country, (lat, lon) in (("UA", UKRAINE, OKHTYRKA), ("SY", SYRIA, (34.7, 40.83))):
        m = maps.for_incident(code, (lat, lon), "town")
        assert m is not None and m.outlined and m.marker is not None and m.marker.kind == "ring"
        expected, drawn = where_in(m, country, lat, lon)
        assert drawn == pytest.approx(expected, abs=0.015), code
        assert 0 < m.marker.x < WIDTH and 0 < m.marker.y < HEIGHT
        assert m.land  # the neighbours, faint


def test_the_ring_is_ring_km_in_the_maps_units(maps: StaticMaps) -> None:
    m = maps.for_incident("UA", KHARKIV, "province")
    assert m is not None and m.marker is not None
    _, y0, _, y1 = extent(m.country, largest=True)
    units_per_degree = (y1 - y0) / (UKRAINE[3] - UKRAINE[1])
    assert m.ring_km == RING_KM["province"] == 100
    assert m.marker.r == pytest.approx(100 / 111.32 * units_per_degree, rel=0.03)


def test_exact_is_a_pin_and_unstated_precision_a_dot(maps: StaticMaps) -> None:
    exact = maps.for_incident("UA", KHARKIV, "exact")
    unstated = maps.for_incident("UA", KHARKIV, None)
    assert exact is not None and exact.marker is not None and exact.marker.kind == "pin"
    assert unstated is not None and unstated.marker is not None and unstated.marker.kind == "dot"
    assert (exact.marker.x, exact.marker.y) == (unstated.marker.x, unstated.marker.y)


def test_the_country_alone_without_coordinates_or_at_country_precision(maps: StaticMaps) -> None:
    alone = maps.for_incident("SY", None, None)
    country = maps.for_incident("SY", (34.7, 40.83), "country")
    assert alone is not None and alone.marker is None and alone.outlined and alone.country
    assert country == alone  # the point of a country-precision claim is not shown


def test_a_country_without_an_outline_gets_the_point_alone(maps: StaticMaps) -> None:
    """French Guiana is part of France in Natural Earth: no shape has its code."""
    m = maps.for_incident("GF", (4.93, -52.33), "town")
    assert m is not None and not m.outlined and m.country == "" and m.land
    assert m.marker is not None and m.marker.kind == "ring"
    assert maps.for_incident("GF", None, None) is None
    assert maps.for_incident("ZZ", None, None) is None


def test_a_huge_country_is_shown_around_the_point(maps: StaticMaps) -> None:
    for code, point in (("RU", (55.75, 37.62)), ("US", (29.76, -95.37)), ("CA", (45.5, -73.57))):
        m = maps.for_incident(code, point, "district")
        assert m is not None and m.marker is not None
        assert abs(m.marker.x - WIDTH / 2) < WIDTH / 6 and abs(m.marker.y - HEIGHT / 2) < HEIGHT / 6, code
        assert m.marker.r > 6  # 25 km is seen: the map is not the whole country


def test_russia_whole_crosses_the_antimeridian_in_one_piece(maps: StaticMaps) -> None:
    m = maps.for_incident("RU", None, None)
    assert m is not None
    x0, _, x1, _ = extent(m.country)
    assert x1 - x0 > 0.8 * WIDTH
    for ring in rings_of(m.country):  # no line across the map from 180 to -180
        assert all(abs(b[0] - a[0]) < WIDTH / 4 for a, b in zip(ring, ring[1:])), ring[:3]


def test_a_map_is_small_and_only_numbers(maps: StaticMaps) -> None:
    sizes = {}
    for name, args in {"Ukraine": ("UA", OKHTYRKA, "town"), "Syria": ("SY", (34.7, 40.83), "town"),
                       "Russia, a point": ("RU", (55.75, 37.62), "district"), "Lebanon": ("LB", (33.89, 35.5), "exact"),
                       "Malta": ("MT", None, None), "Russia whole": ("RU", None, None)}.items():
        m = maps.for_incident(*args)
        assert m is not None
        for d in (m.land, m.country):
            assert re.fullmatch(r"[Mlz0-9 -]*", d)
        sizes[name] = len(m.land) + len(m.country)
    assert all(size < 5000 for name, size in sizes.items() if name != "Russia whole"), sizes
    assert sizes["Russia whole"] < 14000, sizes


def test_the_same_claims_give_the_same_bytes_in_any_order() -> None:
    data = read_bytes(REPO / "docs" / SHAPES, "shapes")
    cases = [("UA", OKHTYRKA, "town"), ("RU", (55.75, 37.62), "district"), ("UA", None, None),
             ("RU", None, None), ("FJ", (-17.8, 178.0), "exact"), ("SY", (-33.5, -70.25), None)]
    one, two = StaticMaps(read_shapes(data, "shapes")), StaticMaps(read_shapes(data, "shapes"))
    first = [one.for_incident(*case) for case in cases]
    second = [two.for_incident(*case) for case in reversed(cases)][::-1]
    assert first == second
    assert [one.for_incident(*case) for case in cases] == first  # from its caches


def test_every_iso_country_gets_a_map_or_none() -> None:
    maps = StaticMaps(read_shapes(read_bytes(REPO / "docs" / SHAPES, "shapes"), "shapes"))
    missing = []
    started = time.monotonic()
    for country in pycountry.countries:
        m = maps.for_incident(country.alpha_2, None, None)
        if m is None:
            missing.append(country.alpha_2)
        else:
            assert m.country and m.marker is None, country.alpha_2
    assert "UA" not in missing and "SY" not in missing and len(missing) < 20, missing
    assert time.monotonic() - started < 60


def test_without_the_shapes_file_there_is_no_map(tmp_path: Path) -> None:
    assert static_maps(tmp_path / "docs").for_incident("UA", OKHTYRKA, "town") is None
