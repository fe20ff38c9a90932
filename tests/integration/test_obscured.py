"""A claim with publish_precision: its exact coordinates appear in no file the site publishes.

The model holds only the published position (claimpress/geo.py), so every page, dataset, feed, search
index and map is made from it; this builds a real site and reads every file of it, gzip-compressed
ones (Pagefind's index, a compressed sitemap) unpacked, for the exact numbers in any form a writer
might print them."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from sitebuild import built_site, fixture_project

EXACT = (48.123456, 37.654321)    # in Ukraine; the claim asks for town precision: a 0.05-degree grid
PUBLISHED = (48.125, 37.675)      # the centre of that grid's cell
CONTROL = (49.987654, 36.234567)  # a claim that does not ask: its position is published, rounded


def _claim(source: str, claim_id: str, coordinates: tuple[float, float], extra: str) -> str:
    text = source.replace("id: valid-full", f"id: {claim_id}").replace(
        "  country: SY\n  coordinates: [34.7, 40.83]\n  precision: town\n",
        f"  country: UA\n  coordinates: [{coordinates[0]}, {coordinates[1]}]\n  precision: exact\n{extra}")
    assert claim_id in text and str(coordinates[0]) in text
    return text


def _forms(value: float) -> set[str]:
    """How a writer might print `value`: every rounding from 3 decimals up (48.123, 48.1235, ...)."""
    text = f"{value:.6f}".rstrip("0")
    whole, decimals = text.split(".")
    return {f"{whole}.{decimals[:n]}" for n in range(3, len(decimals) + 1)} | {f"{value:.5f}"}


def _published_texts(site: Path):
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        yield path.relative_to(site).as_posix(), data.decode("utf-8", errors="replace")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = fixture_project(tmp_path_factory.mktemp("obscured") / "p")
    source = (root / "claims" / "valid-full.md").read_text()
    (root / "claims" / "obscured-spot.md").write_text(
        _claim(source, "obscured-spot", EXACT, "  publish_precision: town\n"))
    (root / "claims" / "open-spot.md").write_text(_claim(source, "open-spot", CONTROL, ""))
    return built_site(root)


def test_the_exact_position_of_an_obscured_claim_is_in_no_published_file(site: Path) -> None:
    forbidden = _forms(EXACT[0]) | _forms(EXACT[1])
    found = [(name, form) for name, text in _published_texts(site) for form in forbidden if form in text]
    assert not found, found
    # The scan reads what it should: the claim that asks for nothing has its position in the files.
    control = {name for name, text in _published_texts(site) if f"{CONTROL[0]:.5f}" in text}
    assert {"data/claims.geojson", "data/claims.json", "data/claims.csv"} <= control


def test_every_dataset_carries_the_snapped_position_and_says_so(site: Path) -> None:
    features = {f["id"]: f for f in json.loads((site / "data" / "claims.geojson").read_text())["features"]}
    assert features["obscured-spot"]["geometry"]["coordinates"] == [PUBLISHED[1], PUBLISHED[0]]
    assert features["obscured-spot"]["properties"]["precision"] == "town"
    assert features["obscured-spot"]["properties"]["position_obscured"] is True
    assert features["open-spot"]["properties"]["position_obscured"] is False
    claims = {c["id"]: c for c in json.loads((site / "data" / "claims.json").read_text())["claims"]}
    assert claims["obscured-spot"]["incident"]["coordinates"] == list(PUBLISHED)
    assert claims["open-spot"]["incident"]["coordinates"] == [round(x, 5) for x in CONTROL]  # 5 decimals: about a metre
    csv = (site / "data" / "claims.csv").read_text()
    assert f"{PUBLISHED[0]},{PUBLISHED[1]},town,true," in csv
