"""claimpress/geo.py: the position a claim may publish."""
from __future__ import annotations

import pytest

from claimpress.geo import GRID_DEGREES, PRECISIONS, RING_KM, coarser, published_position, snap


def test_without_publish_precision_coordinates_are_rounded_to_five_decimals() -> None:
    assert published_position((50.3085234, 34.8946789), "town", None) == ((50.30852, 34.89468), "town", False)
    assert published_position(None, "town", "province") == (None, "town", False)


@pytest.mark.parametrize("level", sorted(GRID_DEGREES))
def test_an_obscured_position_is_its_grid_cell_centre_and_the_ring_covers_the_cell(level: str) -> None:
    exact = (50.308523, 34.894678)
    (lat, lon), precision, obscured = published_position(exact, "exact", level)
    assert obscured and precision == level
    grid = GRID_DEGREES[level]
    assert abs(lat - exact[0]) <= grid / 2 + 1e-9 and abs(lon - exact[1]) <= grid / 2 + 1e-9
    # Every exact place in the same cell publishes the same point.
    assert published_position((exact[0] + grid / 5, exact[1] - grid / 5), "exact", level)[0] in {
        (lat, lon), published_position((exact[0] + grid / 5, exact[1] - grid / 5), "exact", level)[0]}
    assert (grid / 2) * 2 ** 0.5 * 111.32 <= RING_KM[level]  # the half diagonal of a cell, in km at most


def test_the_shown_precision_is_the_coarser_and_the_grid_stays_on_the_globe() -> None:
    assert published_position((1.0, 1.0), "province", "town")[1] == "province"
    assert coarser(None, "town") == "town" and coarser("exact", None) == "exact"
    assert PRECISIONS.index(coarser("district", "neighbourhood")) == PRECISIONS.index("district")
    (lat, lon), _, _ = published_position((89.99, 179.99), "exact", "country")
    assert lat <= 90 and lon <= 180
    assert snap(0.3, 0.1) == 0.35 and snap(-0.01, 0.01) == -0.005
