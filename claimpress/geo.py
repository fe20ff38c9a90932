"""Where a claim is drawn: the precision levels, the position the site may publish, and the ring that
shows how exact it is. Pure and small, so the model, the datasets, the static maps and the map page's
data all round the same way (a claim's exact position must never reach site/ once it asks for less).
"""
from __future__ import annotations

import math

# From the most exact to the least; the schema's enum of incident.precision is in this order.
PRECISIONS = ("exact", "neighbourhood", "town", "district", "province", "country")

# The grid a published position is snapped to, in degrees, for `publish_precision`. A cell's half
# diagonal is at most grid * 111 km * 0.71: the ring of that precision (RING_KM) covers it, so the
# true place is always inside the ring drawn around the published point.
GRID_DEGREES = {"neighbourhood": 0.01, "town": 0.05, "district": 0.25, "province": 1.0, "country": 2.0}

# How far from the point the place may be, in kilometres: the radius of the ring or area drawn for
# a point of that precision (an exact point is a pin, with no ring).
RING_KM = {"exact": 0.0, "neighbourhood": 1.0, "town": 5.0, "district": 25.0, "province": 100.0,
           "country": 250.0}

DECIMALS = 5  # about a metre: what every file the site publishes carries


def coarser(a: str | None, b: str | None) -> str | None:
    """The less exact of two precisions (None is unknown: the other wins)."""
    if a is None or b is None:
        return a or b
    return a if PRECISIONS.index(a) >= PRECISIONS.index(b) else b


def snap(value: float, grid: float) -> float:
    """`value` moved to the centre of its grid cell, so that every place in a cell publishes the same
    number; rounded to DECIMALS so that float noise (0.30000000000000004) never shows. The cell is
    found on the quotient rounded first, so that 0.3 on a grid of 0.1 is in cell 3, not 2.99..."""
    return round((math.floor(round(value / grid, 9)) + 0.5) * grid, DECIMALS)


def published_position(coordinates: tuple[float, float] | None, precision: str | None,
                       publish_precision: str | None) -> tuple[tuple[float, float] | None, str | None, bool]:
    """(coordinates, precision, obscured) as the site publishes them. Without `publish_precision` the
    coordinates are only rounded to DECIMALS; with it, they are snapped to its grid and the precision
    shown is the coarser of the two, so that no file shows more than the claim allows."""
    if coordinates is None:
        return None, precision, False
    lat, lon = coordinates
    if publish_precision is None:
        return (round(lat, DECIMALS), round(lon, DECIMALS)), precision, False
    # Snapped whenever asked, even to a grid no coarser than `precision`: the coordinates written may
    # still be a spot's (a photograph's), whatever `precision` says.
    grid = GRID_DEGREES[publish_precision]
    lat, lon = snap(lat, grid), snap(lon, grid)
    return ((max(-90.0, min(90.0, lat)), max(-180.0, min(180.0, lon))),
            coarser(precision, publish_precision), True)
