"""A claim page's small map, drawn at build time as SVG data: the country's outline among its
neighbours, and the published position as a pin (exact) or a ring of geo.RING_KM (less exact).

Plain numbers for templates/_static_map.j2: path data made of digits, signs and M/l/z only, so no
text of a claim or of the shapes file can become markup. The projection is equirectangular,
longitude scaled by cos(latitude) at the map's centre, fitted to the country (or, for a country too
large to show a place in it, to a window around the point). Outlines are whole units of the
viewBox, each arc simplified once a process for the scale of the view (shared borders stay shared),
so that a map is a few KB and a page costs little more to render.
"""
from __future__ import annotations

import functools
import hashlib
import math
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import pycountry

from ..geo import RING_KM
from .map_paths import Point, clipped, path_data, sep, simplified
from .topojson import (
    CHUNK,
    SHAPES,
    Arc,
    Box,
    Country,
    Polygon,
    Ring,
    Shapes,
    ShapesError,
    area,
    chunk_boxes,
    read_bytes,
    read_shapes,
)

WIDTH, HEIGHT = 480, 320  # the viewBox; about a screen pixel a unit on a phone
PAD = 0.1  # room around the country, a share of its size on each side
MAX_SPAN = 30.0  # degrees (latitude, or longitude x cos(latitude)): a larger view is shown around the point
AROUND = 12.0  # the span of a map around a point
MIN_SPAN = 3.0  # a small country still shows its neighbours
MARGIN = 3  # units outside the viewBox where outlines are cut: their cut edges are never seen
TOLERANCE = 1.0  # units an outline may move when simplified (about a pixel)
LEAST_AREA = 4  # square units: a smaller island of another country is left out (the claim's never)
LEVELS = tuple(0.004 * 2 ** (i / 2) for i in range(20))  # degrees: the simplifications an arc may be drawn at
KM_PER_DEGREE = 111.32
CELL = 15  # degrees: the grid that finds the polygons in a view
CACHED_VIEWS = 1024  # outlines kept per process, by view and country


@dataclass(frozen=True)
class Marker:
    kind: str  # "pin" (exact), "ring" (an area of radius r), "dot" (precision not stated)
    x: int
    y: int
    r: float


@dataclass(frozen=True)
class StaticMap:
    width: int
    height: int
    land: str  # path data of the other countries in view
    country: str  # path data of the claim's country; "" when the base map has no outline for it
    marker: Marker | None  # None: the country alone (country precision, or no coordinates)
    outlined: bool  # whether the base map holds the country's outline
    ring_km: float


@dataclass(frozen=True)
class _View:
    lon0: float
    lat0: float
    cos: float
    k: float  # units per degree of latitude
    box: Box  # west, south, east, north of what the view shows, outlines' margin included

    def x(self, lon: float) -> float:
        return WIDTH / 2 + (lon - self.lon0) * self.cos * self.k

    def y(self, lat: float) -> float:
        return HEIGHT / 2 - (lat - self.lat0) * self.k


class StaticMaps:
    """The maps of a project's claims from its shapes: each country's extent, each arc's
    simplifications and each view's outlines are made once a process."""

    def __init__(self, shapes: Shapes | None) -> None:
        self.shapes = shapes
        self._outlines: OrderedDict[tuple, tuple[str, str]] = OrderedDict()
        self._extents: dict[int, Box] = {}
        self._simple: dict[tuple[int, int], Arc] = {}
        self._grid: dict[tuple[int, int], list[tuple[int, Country, Polygon, Box]]] | None = None
        self._last: tuple[tuple, StaticMap | None] | None = None  # a claim's versions come one after another

    def for_incident(self, country_code: str, coordinates: tuple[float, float] | None,
                     precision: str | None) -> StaticMap | None:
        """The map of an incident as the model publishes it; None without a base map, or with neither
        an outline for the country nor coordinates."""
        if self.shapes is None:
            return None
        asked = (country_code, coordinates, precision)
        if self._last is not None and self._last[0] == asked:
            return self._last[1]
        made = self._for_incident(country_code, coordinates, precision)
        self._last = (asked, made)
        return made

    def _for_incident(self, country_code: str, coordinates: tuple[float, float] | None,
                      precision: str | None) -> StaticMap | None:
        assert self.shapes is not None
        country = self.shapes.country(numeric_code(country_code))
        if country is not None and not country.polygons:
            country = None
        point = coordinates if precision != "country" else None
        ring_km = RING_KM.get(precision or "", 0.0) if point is not None else 0.0
        if country is None:
            if coordinates is None:
                return None
            view = _around(coordinates, ring_km)
        else:
            view = self._view(country, point, ring_km)
        land, outline = self._layers(view, country)
        return StaticMap(WIDTH, HEIGHT, land, outline, _marker(view, point, precision, ring_km),
                         country is not None, ring_km)

    def _view(self, country: Country, point: tuple[float, float] | None, ring_km: float) -> _View:
        assert self.shapes is not None
        extent = self._extents.get(id(country))
        if extent is None:
            extent = self._extents[id(country)] = _extent(country, self.shapes)
        view = _fit(extent, ring_km)
        if point is None:
            return view
        lat, lon = point
        lon = _nearest(lon, view.lon0)
        if not (0.05 * WIDTH < view.x(lon) < 0.95 * WIDTH and 0.05 * HEIGHT < view.y(lat) < 0.95 * HEIGHT):
            # Outside the country's view: the view takes in the point too, on a whole-degree grid
            # so that points near each other share it (and its outlines).
            extent = (min(extent[0], math.floor(lon - 1)), min(extent[1], math.floor(lat - 1)),
                      max(extent[2], math.ceil(lon + 1)), max(extent[3], math.ceil(lat + 1)))
            view = _fit(extent, ring_km)
        return _around(point, ring_km) if _span(extent) > MAX_SPAN else view

    def _layers(self, view: _View, country: Country | None) -> tuple[str, str]:
        """(path data of the other countries, of the claim's country) in the view."""
        key = (view, id(country))
        if key in self._outlines:
            self._outlines.move_to_end(key)
            return self._outlines[key]
        level = max((i for i, degrees in enumerate(LEVELS) if degrees * view.k <= TOLERANCE), default=-1)
        arcs: dict[tuple[int, float], list[Point]] = {}  # each arc once a view
        land: list[str] = []
        outline: list[str] = []
        for other, polygon, box in self._in(view.box):
            shift = _shift(box, view.box)
            if shift is None:
                continue
            paths, least = (outline, 0) if other is country else (land, LEAST_AREA)
            for ring in polygon:
                paths.append(path_data(clipped(self._ring(ring, shift, view, level, arcs), -MARGIN, -MARGIN,
                                               WIDTH + MARGIN, HEIGHT + MARGIN), least))
        made = ("".join(land), "".join(outline))
        if country is not None and not made[1]:  # too small to draw (the Vatican): a mark where it is
            west, south, east, north = self._extents.get(id(country)) or country.boxes[0]
            x, y = round(view.x(_nearest((west + east) / 2, view.lon0))), round(view.y((south + north) / 2))
            made = (made[0], f"M{x}{sep(y - 4)}{y - 4}l4 4-4 4-4-4z")
        self._outlines[key] = made
        if len(self._outlines) > CACHED_VIEWS:
            self._outlines.popitem(last=False)
        return made

    def _in(self, window: Box) -> list[tuple[Country, Polygon, Box]]:
        """The polygons in the cells of the grid that the window touches, in the file's order."""
        if self._grid is None:
            assert self.shapes is not None
            self._grid = {}
            entries = [(c, p, b) for c in self.shapes.countries for p, b in zip(c.polygons, c.boxes)]
            for number, (country, polygon, box) in enumerate(entries):
                for cell in _cells(box):
                    self._grid.setdefault(cell, []).append((number, country, polygon, box))
        found = {entry[0]: entry for cell in _cells(window) for entry in self._grid.get(cell, ())}
        return [found[number][1:] for number in sorted(found)]

    def _ring(self, ring: Ring, shift: float, view: _View, level: int,
              arcs: dict[tuple[int, float], list[Point]]) -> list[Point]:
        points: list[Point] = []
        for ref, offset in ring:
            index = ref if ref >= 0 else ~ref
            projected = arcs.get((index, shift + offset))
            if projected is None:
                projected = arcs[(index, shift + offset)] = _projected(self._arc(index, level), shift + offset, view)
            piece = projected if ref >= 0 else projected[::-1]
            points.extend(piece[1:] if points and piece and piece[0] == points[-1] else piece)
        return points

    def _arc(self, index: int, level: int) -> Arc:
        """Arc `index` simplified at LEVELS[level] degrees (as read for level -1)."""
        assert self.shapes is not None
        arc = self.shapes.arcs[index]
        if level < 0:
            return arc
        simple = self._simple.get((index, level))
        if simple is None:
            points = simplified(arc.points, LEVELS[level])
            simple = self._simple[(index, level)] = Arc(points, chunk_boxes(points))
        return simple


_LOADED: dict[bytes, StaticMaps] = {}


def docs_of(templates: Path) -> Path:
    """A project's docs/, beside its templates/ (build.py reads root/templates and writes root/docs)."""
    return templates.parent / "docs"


def _shapes_bytes(docs: Path) -> bytes | None:
    try:
        return read_bytes(docs / SHAPES, f"docs/{SHAPES}")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ShapesError(f"docs/{SHAPES}: error: cannot read it: {exc.strerror}") from None


def shapes_key(docs: Path) -> bytes:
    """A digest of the shapes file (b"-" without one): part of each claim page's key
    (cache/pages.py), so that new shapes reach every page."""
    try:
        data = _shapes_bytes(docs)
    except ShapesError:
        return b"unusable"  # the render says why
    return b"-" if data is None else hashlib.sha256(data).hexdigest().encode()


def static_maps(docs: Path) -> StaticMaps:
    """The maps of the project whose docs/ is `docs`, parsed once a process while the file is the
    same. Raises ShapesError (one line to print) for a file that cannot be used; without a file, the
    pages have no map."""
    data = _shapes_bytes(docs)
    if data is None:
        return StaticMaps(None)
    key = hashlib.sha256(data).digest()
    if key not in _LOADED:
        _LOADED.clear()
        _LOADED[key] = StaticMaps(read_shapes(data, f"docs/{SHAPES}"))
    return _LOADED[key]


@functools.cache
def numeric_code(alpha_2: str) -> str:
    """ISO 3166-1 numeric of an alpha-2 code ("UA" -> "804"), as world-atlas names countries; "" if unknown."""
    country = pycountry.countries.get(alpha_2=alpha_2)
    return country.numeric if country is not None else ""


def _nearest(lon: float, centre: float) -> float:
    """`lon`, or `lon` +- 360, whichever is nearest `centre` (a view across the antimeridian)."""
    return min((lon - 360, lon, lon + 360), key=lambda v: abs(v - centre))


def _span(box: Box) -> float:
    cos = max(math.cos(math.radians((box[1] + box[3]) / 2)), 0.2)
    return max((box[2] - box[0]) * cos, box[3] - box[1])


def _extent(country: Country, shapes: Shapes) -> Box:
    """What a map of the country shows: its largest polygon, and the others near it (Corsica with
    France; not French Guiana), on the side of the antimeridian nearest it."""
    boxes = country.boxes
    if len(boxes) == 1:
        return boxes[0]
    areas = [area(polygon[0], shapes.arcs) for polygon in country.polygons]
    main = max(range(len(boxes)), key=lambda i: areas[i])
    west, south, east, north = boxes[main]
    centre = (west + east) / 2
    reach = max(1.0, 0.15 * math.hypot((east - west) * math.cos(math.radians((south + north) / 2)), north - south))
    others = []
    for i, (w, s, e, n) in enumerate(boxes):
        if i != main:
            moved = _nearest((w + e) / 2, centre) - (w + e) / 2
            others.append((w + moved, s, e + moved, n))
    extent = boxes[main]
    grew = True
    while grew:
        grew = False
        for box in list(others):
            if _distance(box, extent) <= reach:
                extent = (min(extent[0], box[0]), min(extent[1], box[1]), max(extent[2], box[2]),
                          max(extent[3], box[3]))
                others.remove(box)
                grew = True
    return extent


def _distance(a: Box, b: Box) -> float:
    cos = math.cos(math.radians((a[1] + a[3]) / 2))
    return math.hypot(max(0.0, a[0] - b[2], b[0] - a[2]) * cos, max(0.0, a[1] - b[3], b[1] - a[3]))


def _fit(extent: Box, ring_km: float) -> _View:
    west, south, east, north = extent
    lat0, lon0 = (south + north) / 2, (west + east) / 2
    cos = max(math.cos(math.radians(lat0)), 0.2)
    least = max(MIN_SPAN, 3 * ring_km / KM_PER_DEGREE)  # a ring takes at most a third of the view
    wide = max((east - west) * cos, least) * (1 + 2 * PAD)
    high = max(north - south, least) * (1 + 2 * PAD)
    if wide * HEIGHT < high * WIDTH:
        wide = high * WIDTH / HEIGHT
    else:
        high = wide * HEIGHT / WIDTH
    # Rounded: a view is a cache key, and the same claims must give the same bytes.
    lon0, lat0, k = round(lon0, 6), round(lat0, 6), round(WIDTH / wide, 6)
    dx, dy = (WIDTH / 2 + MARGIN) / (k * cos), (HEIGHT / 2 + MARGIN) / k
    return _View(lon0, lat0, cos, k, (lon0 - dx, lat0 - dy, lon0 + dx, lat0 + dy))


def _around(point: tuple[float, float], ring_km: float) -> _View:
    """A view of AROUND degrees around the point, its centre on a grid (nearby points share it)."""
    lat, lon = point
    step = AROUND / 4
    lat0 = max(-80.0, min(80.0, round(lat / step) * step))
    lon0 = round(lon / step) * step
    cos = max(math.cos(math.radians(lat0)), 0.2)
    half_x, half_y = AROUND / 2 / cos, AROUND / 2 * HEIGHT / WIDTH
    return _fit((lon0 - half_x, lat0 - half_y, lon0 + half_x, lat0 + half_y), ring_km)


def _cells(box: Box) -> list[tuple[int, int]]:
    """The cells of the grid (CELL degrees a side, around the world) that a box touches."""
    columns = 360 // CELL
    first, last = math.floor(box[0] / CELL), math.floor(box[2] / CELL)
    xs = range(columns) if last - first + 1 >= columns else [x % columns for x in range(first, last + 1)]
    ys = range(max(math.floor(box[1] / CELL), -90 // CELL), min(math.floor(box[3] / CELL), 90 // CELL) + 1)
    return [(x, y) for x in xs for y in ys]


def _shift(box: Box, window: Box) -> float | None:
    """0, -360 or 360: the copy of a polygon that falls in the window, or None if none does."""
    if box[1] > window[3] or box[3] < window[1]:
        return None
    for shift in (0.0, -360.0, 360.0):
        if box[0] + shift <= window[2] and box[2] + shift >= window[0]:
            return shift
    return None


def _marker(view: _View, point: tuple[float, float] | None, precision: str | None,
            ring_km: float) -> Marker | None:
    if point is None:
        return None
    lat, lon = point
    x, y = round(view.x(_nearest(lon, view.lon0))), round(view.y(lat))
    if precision == "exact":
        return Marker("pin", x, y, 0.0)
    if not ring_km:
        return Marker("dot", x, y, 0.0)
    return Marker("ring", x, y, round(max(ring_km / KM_PER_DEGREE * view.k, 4.0), 1))


def _projected(arc: Arc, shift: float, view: _View) -> list[Point]:
    """An arc in the view's whole units, moved `shift` degrees east; each chunk of it that lies wholly
    on one side outside the view is reduced to its first position (what lies there is cut away)."""
    points = arc.points
    west, south, east, north = view.box
    west, east = west - shift, east - shift
    lon0, kx, k = view.lon0 - shift, view.cos * view.k, view.k
    cx, cy = WIDTH / 2 - lon0 * kx, HEIGHT / 2 + view.lat0 * k
    last = len(points) // 2 - 1
    keep: list[int] = []
    for number, (w, s, e, n) in enumerate(arc.chunks):
        start = number * CHUNK
        keep.extend(range(start, start + 1 if (e < west or w > east or n < south or s > north)
                          else min(start + CHUNK, last)))
    keep.append(last)
    out: list[Point] = []
    for i in keep:
        p = (round(cx + points[2 * i] * kx), round(cy - points[2 * i + 1] * k))
        if not out or p != out[-1]:
            out.append(p)
    return out


__all__ = ["SHAPES", "ShapesError", "StaticMap", "StaticMaps", "Marker", "docs_of", "numeric_code", "shapes_key",
           "static_maps"]
