"""The vendored Natural Earth country shapes (world-atlas' TopoJSON) as plain arrays, for the static maps.

Decoded here rather than by a library: decoding is a few lines (quantized, delta-encoded arcs and a
transform), the PyPI packages are an encoder that needs shapely and numpy (topojson) or unmaintained
(pytopojson), and the file is in docs/, which a pull request can change: every size is capped and
every value checked, so a malformed or huge file is one line of error, in a fraction of a second.
"""
from __future__ import annotations

import functools
import itertools
import json
import math
import os
import stat
from array import array
from dataclasses import dataclass
from pathlib import Path

SHAPES = "assets/vendor/world-atlas/countries-50m.json"  # under docs/; vendored from npm (docs/assets/vendor/VENDORED)

# Generous for Natural Earth (countries-50m: 0.75 MB, 1,959 arcs, 80,617 positions, 241 countries;
# the 10m file is about 5 times that), and a bound on the work a hostile file can cause.
MAX_BYTES = 16 * 1024 * 1024
MAX_ARCS = 100_000
MAX_POSITIONS = 1_000_000
MAX_COUNTRIES = 2_000
MAX_ARC_REFERENCES = 200_000  # arcs named by the countries' rings, all together
CHUNK = 32  # positions per chunk: a chunk wholly off a map is skipped (static_map)

# One ring's outline: (arc, offset) pairs; arc ~i is arc i reversed (TopoJSON's convention), moved
# by offset degrees of longitude (0 or a multiple of 360) so that the ring is continuous across the
# antimeridian (world-atlas' Russia and Fiji cross it: their arcs jump from 180 to -180).
Ring = tuple[tuple[int, float], ...]
Polygon = tuple[Ring, ...]  # the outer ring, then its holes
Box = tuple[float, float, float, float]  # west, south, east, north, in degrees


class ShapesError(Exception):
    """A shapes file that cannot be used; str() is the one line to print."""


@dataclass(frozen=True)
class Arc:
    points: array  # lon, lat, lon, lat... in degrees
    chunks: tuple[Box, ...]  # the box of positions [i * CHUNK, (i + 1) * CHUNK] (each shares its last with the next)


@dataclass(frozen=True)
class Country:
    id: str  # ISO 3166-1 numeric, as world-atlas writes it ("804"); "" when it has none (Kosovo, N. Cyprus)
    name: str
    polygons: tuple[Polygon, ...]
    boxes: tuple[Box, ...]  # each polygon's box (of its outer ring)


@dataclass(frozen=True)
class Shapes:
    arcs: tuple[Arc, ...]
    countries: tuple[Country, ...]

    def country(self, numeric: str) -> Country | None:
        """The country of that ISO numeric code, with every geometry the file gives it."""
        return self._by_id.get(numeric) if numeric else None

    @functools.cached_property
    def _by_id(self) -> dict[str, Country]:
        return {c.id: c for c in self.countries if c.id}


def read_bytes(path: Path, shown: str) -> bytes:
    """The file's bytes, at most MAX_BYTES of them. Raises ShapesError (`shown: error: ...`) for one
    that is not a regular file or is too large; FileNotFoundError when there is none."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO put there must not hang the build
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ShapesError(f"{shown}: error: not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        raise ShapesError(f"{shown}: error: larger than {MAX_BYTES // 2**20} MB (Natural Earth's: under 1 MB)")
    return data


def read_shapes(data: bytes, shown: str) -> Shapes:
    """The countries of a world-atlas TopoJSON file's bytes (object "countries"); `shown` names the
    file in errors. Raises ShapesError with `shown: error: ...`."""
    try:
        topology = json.loads(data, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise ShapesError(f"{shown}: error: not JSON: {str(exc).splitlines()[0][:200]}") from None
    try:
        return _decode(topology)
    except _Bad as exc:
        raise ShapesError(f"{shown}: error: {exc}") from None


class _Bad(Exception):
    pass


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _decode(topology: object) -> Shapes:
    if not isinstance(topology, dict) or topology.get("type") != "Topology":
        raise _Bad('not a TopoJSON topology (no "type": "Topology")')
    objects = topology.get("objects")
    countries = objects.get("countries") if isinstance(objects, dict) else None
    if not isinstance(countries, dict) or not isinstance(countries.get("geometries"), list):
        raise _Bad('no "countries" object with "geometries"')
    arcs = _arcs(topology.get("arcs"), _transform(topology.get("transform")))
    geometries = countries["geometries"]
    if len(geometries) > MAX_COUNTRIES:
        raise _Bad(f"more than {MAX_COUNTRIES} countries")
    budget = [MAX_ARC_REFERENCES]
    merged: dict[str, Country] = {}  # one country of several geometries (Australia: "036" twice) is one
    unnamed = []
    for n, geometry in enumerate(geometries):
        country = _country(geometry, n, arcs, budget)
        if not country.id:
            unnamed.append(country)
        elif country.id in merged:
            first = merged[country.id]
            merged[country.id] = Country(first.id, first.name, first.polygons + country.polygons,
                                         first.boxes + country.boxes)
        else:
            merged[country.id] = country
    return Shapes(arcs, (*merged.values(), *unnamed))


def _transform(transform: object) -> tuple[float, float, float, float] | None:
    if transform is None:
        return None
    scale = transform.get("scale") if isinstance(transform, dict) else None
    translate = transform.get("translate") if isinstance(transform, dict) else None
    if not (isinstance(scale, list) and isinstance(translate, list) and len(scale) == 2 and len(translate) == 2
            and all(_number(v) for v in (*scale, *translate))):
        raise _Bad('"transform" needs "scale" and "translate", two numbers each')
    return scale[0], scale[1], translate[0], translate[1]


def _arcs(arcs: object, transform: tuple[float, float, float, float] | None) -> tuple[Arc, ...]:
    if not isinstance(arcs, list):
        raise _Bad('no "arcs" list')
    if len(arcs) > MAX_ARCS:
        raise _Bad(f"more than {MAX_ARCS} arcs")
    left = MAX_POSITIONS
    decoded = []
    for number, arc in enumerate(arcs):
        if not isinstance(arc, list) or len(arc) < 2:
            raise _Bad(f"arc {number} is not a list of at least two positions")
        left -= len(arc)
        if left < 0:
            raise _Bad(f"more than {MAX_POSITIONS} positions in the arcs")
        try:
            xs, ys = [p[0] for p in arc], [p[1] for p in arc]
        except (TypeError, KeyError, IndexError):
            xs = ys = [None]
        if not set(map(type, xs)) | set(map(type, ys)) <= {int, float}:  # JSON's numbers; no bool, no text
            raise _Bad(f"arc {number} holds a position that is not [x, y]")
        if transform is not None:  # quantized and delta-encoded
            kx, ky, dx, dy = transform
            xs = [x * kx + dx for x in itertools.accumulate(xs)]
            ys = [y * ky + dy for y in itertools.accumulate(ys)]
        xs = _unwrapped(xs)
        points = array("d", [v for pair in zip(xs, ys) for v in pair])
        if not all(map(math.isfinite, points)):
            raise _Bad(f"arc {number} has a position out of range")
        decoded.append(Arc(points, chunk_boxes(points)))
    return tuple(decoded)


def _unwrapped(lons: list) -> list:
    """Longitudes made continuous: a step of more than 180 degrees is the same step the other way round."""
    offset, out, previous = 0.0, [], lons[0]
    for lon in lons:
        step = lon - previous
        if abs(step) > 180 and math.isfinite(step):
            offset -= 360.0 * round(step / 360)
        previous = lon
        out.append(lon + offset)
    return out


def chunk_boxes(points: array) -> tuple[Box, ...]:
    n = len(points) // 2
    boxes = []
    for start in range(0, max(n - 1, 1), CHUNK):
        end = min(start + CHUNK, n - 1)
        lons, lats = points[2 * start:2 * end + 2:2], points[2 * start + 1:2 * end + 2:2]
        boxes.append((min(lons), min(lats), max(lons), max(lats)))
    return tuple(boxes)


def _country(geometry: object, number: int, arcs: tuple[Arc, ...], budget: list[int]) -> Country:
    if not isinstance(geometry, dict):
        raise _Bad(f"country {number} is not an object")
    kind, given = geometry.get("type"), geometry.get("arcs")
    if kind == "Polygon":
        given = [given]
    elif kind != "MultiPolygon":
        given = []  # a null geometry, or another kind: no outline
    properties = geometry.get("properties")
    name = properties.get("name") if isinstance(properties, dict) else None
    numeric = geometry.get("id")
    polygons = tuple(_polygon(p, number, arcs, budget) for p in _list(given, number))
    boxes = tuple(_box(p[0], arcs) for p in polygons)
    return Country(numeric if isinstance(numeric, str) and numeric.isdigit() and len(numeric) <= 3 else "",
                   name if isinstance(name, str) else "", polygons, boxes)


def _list(value: object, number: int) -> list:
    if not isinstance(value, list):
        raise _Bad(f"country {number} has arcs that are not lists")
    return value


def _polygon(rings: object, number: int, arcs: tuple[Arc, ...], budget: list[int]) -> Polygon:
    polygon = []
    count = len(arcs)
    for ring in _list(rings, number):
        refs = _list(ring, number)
        budget[0] -= len(refs)
        if budget[0] < 0:
            raise _Bad(f"more than {MAX_ARC_REFERENCES} arcs named by the countries")
        if not refs or not all(isinstance(r, int) and not isinstance(r, bool) and -count <= r < count for r in refs):
            raise _Bad(f"country {number} names an arc that does not exist")
        # Each arc moved by whole turns to start where the last one ended.
        placed, end = [], None
        for ref in refs:
            points = arcs[ref if ref >= 0 else ~ref].points
            start, finish = (points[0], points[-2]) if ref >= 0 else (points[-2], points[0])
            offset = 0.0 if end is None else 360.0 * round((end - start) / 360)
            placed.append((ref, offset))
            end = finish + offset
        polygon.append(tuple(placed))
    if not polygon:
        raise _Bad(f"country {number} has a polygon without rings")
    return tuple(polygon)


def ring_points(ring: Ring, arcs: tuple[Arc, ...]) -> list[float]:
    """The ring's positions, lon, lat, ..., each arc's first one left out after the first arc (the
    arcs meet there)."""
    out: list[float] = []
    for ref, offset in ring:
        flat = list(arcs[ref if ref >= 0 else ~ref].points)
        if ref < 0:
            flat[0::2], flat[1::2] = flat[-2::-2], flat[-1::-2]
        if offset:
            flat[0::2] = [lon + offset for lon in flat[0::2]]
        out.extend(flat[2:] if out else flat)
    return out


def _box(ring: Ring, arcs: tuple[Arc, ...]) -> Box:
    chunks = [(w + offset, s, e + offset, n) for ref, offset in ring
              for w, s, e, n in arcs[ref if ref >= 0 else ~ref].chunks]
    return (min(b[0] for b in chunks), min(b[1] for b in chunks), max(b[2] for b in chunks), max(b[3] for b in chunks))


def area(ring: Ring, arcs: tuple[Arc, ...]) -> float:
    """The ring's area in the sinusoidal projection (equal-area: longitude scaled by cos(latitude)),
    by the shoelace formula: what finds a country's main land."""
    points = ring_points(ring, arcs)
    xs = [lon * math.cos(math.radians(lat)) for lon, lat in zip(points[0::2], points[1::2])]
    ys = points[1::2]
    return abs(sum(xs[i] * ys[i + 1] - xs[i + 1] * ys[i] for i in range(len(xs) - 1))) / 2
