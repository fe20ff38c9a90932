"""data/claims-index.json, the data of All claims and of the map: each claim's position as the site may publish
it (the model's, rounded, or snapped to its publish_precision), its precision and whether it was coarsened; null
for a claim without coordinates; and never the exact coordinates of a claim that asks for less."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURES, make_project

from claimpress import geo
from claimpress.check.project import check_files
from claimpress.model import build_catalog
from claimpress.render.site import claims_index

FULL = (FIXTURES / "project" / "claims" / "valid-full.md").read_text()
TOWN = "  coordinates: [34.7, 40.83]\n  precision: town\n"


def claim(root: Path, name: str, place: str) -> None:
    assert TOWN in FULL
    (root / "claims" / f"{name}.md").write_text(
        FULL.replace("id: valid-full", f"id: {name}").replace(TOWN, place).replace("related: [valid-minimal]\n", ""))


def test_each_claim_carries_its_published_position_and_precision(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    claim(root, "exact-spot", "  coordinates: [49.993512345, 36.230412345]\n  precision: exact\n")
    claim(root, "withheld", "  coordinates: [48.01591, 37.80285]\n  precision: exact\n  publish_precision: district\n")
    claim(root, "unknown", "  coordinates: [36.34, 43.13]\n")
    text = "".join(claims_index(build_catalog(check_files(root))))
    data = json.loads(text)
    assert data["version"] == 3 and data["columns"][11] == "position"
    assert data["precisions"] == [[name, geo.RING_KM[name]] for name in geo.PRECISIONS]
    position = {row[0]: row[11] for row in data["claims"]}
    town = geo.PRECISIONS.index("town")
    assert position == {
        "valid-full": [34.7, 40.83, town, 0],
        "valid-minimal": None,                                        # no coordinates: not on the map
        "exact-spot": [49.99351, 36.23041, geo.PRECISIONS.index("exact"), 0],  # 5 decimals, as every file
        "withheld": [48.125, 37.875, geo.PRECISIONS.index("district"), 1],     # the district grid's cell
        "unknown": [36.34, 43.13, None, 0],
    }
    # The withheld claim's exact place is in no form in the data the map downloads.
    for written in ("48.01591", "37.80285", "48.0159", "37.8028", "48.016", "37.803"):
        assert written not in text
