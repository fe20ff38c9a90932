"""The shapes file is in docs/, which a pull request can change: whatever it holds gives one line of
error, quickly, or maps; never a traceback or a hang."""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import REPO

from claimpress.render import topojson
from claimpress.render.static_map import static_maps
from claimpress.render.topojson import SHAPES, ShapesError, read_bytes, read_shapes

SHOWN = f"docs/{SHAPES}"
REAL = json.loads((REPO / "docs" / SHAPES).read_text())


def docs_with(tmp_path: Path, content: bytes | str) -> Path:
    path = tmp_path / "docs" / SHAPES
    path.parent.mkdir(parents=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return tmp_path / "docs"


def refused(docs: Path) -> str:
    started = time.monotonic()
    with pytest.raises(ShapesError) as caught:
        static_maps(docs)
    assert time.monotonic() - started < 5
    message = str(caught.value)
    assert message.startswith(f"{SHOWN}: error: ") and "\n" not in message and len(message) < 300
    return message


def topology(**changes: object) -> str:
    data = {"type": "Topology", "arcs": [[[0, 0], [1, 0], [0, 1], [-1, -1]]],
            "objects": {"countries": {"type": "GeometryCollection",
                                      "geometries": [{"type": "Polygon", "arcs": [[0]], "id": "804"}]}}}
    data.update(changes)
    return json.dumps(data)


@pytest.mark.parametrize("content, says", [
    ("{", "not JSON"),
    (b"\xff\xfe{}", "not JSON"),
    ("[]", "not a TopoJSON topology"),
    ('{"type": "Topology"}', 'no "countries" object'),
    (topology(arcs="x"), 'no "arcs" list'),
    (topology(arcs=[[[0, 0]]]), "arc 0 is not a list of at least two positions"),
    (topology(arcs=[[[0, 0], [True, 1]]]), "arc 0 holds a position that is not [x, y]"),
    (topology(arcs=[[[0, 0], ["<script>", 1]]]), "arc 0 holds a position that is not [x, y]"),
    (topology(arcs=[[[0, 0], {"0": 1}]]), "arc 0 holds a position that is not [x, y]"),
    (topology(arcs=[[[0, 0], [1e308, 1]], [[1e308, 0], [1e308, 1]]], transform={"scale": [10, 1], "translate": [0, 0]}),
     "position out of range"),
    (topology(transform={"scale": [1], "translate": [0, 0]}), '"transform" needs'),
    ('{"type": "Topology", "arcs": [[[NaN, 0], [1, 1]]], "objects": {}}', "not JSON"),
    (topology(objects={"countries": {"geometries": [{"type": "Polygon", "arcs": [[5]]}]}}), "names an arc that does not exist"),
    (topology(objects={"countries": {"geometries": [{"type": "Polygon", "arcs": [[True]]}]}}), "names an arc that does not exist"),
    (topology(objects={"countries": {"geometries": [{"type": "Polygon", "arcs": "0"}]}}), "arcs that are not lists"),
    (topology(objects={"countries": {"geometries": ["x"]}}), "country 0 is not an object"),
    ("[" * 100_000 + "]" * 100_000, "not JSON"),
])
def test_a_malformed_file_is_one_line_of_error(tmp_path: Path, content: str | bytes, says: str) -> None:
    assert says in refused(docs_with(tmp_path, content))


def test_too_many_arcs_or_positions_are_refused_quickly(tmp_path: Path) -> None:
    many = topology(arcs=[[[0, 0], [1, 1]]] * (topojson.MAX_ARCS + 1))
    assert f"more than {topojson.MAX_ARCS} arcs" in refused(docs_with(tmp_path / "a", many))
    long = topology(arcs=[[[0, 0]] + [[1, 1]] * topojson.MAX_POSITIONS])
    assert f"more than {topojson.MAX_POSITIONS} positions" in refused(docs_with(tmp_path / "b", long))
    rings = {"countries": {"geometries": [{"type": "Polygon", "arcs": [[0] * (topojson.MAX_ARC_REFERENCES + 1)]}]}}
    assert "arcs named by the countries" in refused(docs_with(tmp_path / "c", topology(objects=rings)))


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    docs = docs_with(tmp_path, b"")
    with open(docs / SHAPES, "wb") as handle:
        handle.truncate(topojson.MAX_BYTES + 1)  # sparse: no disk used
    assert "larger than 16 MB" in refused(docs)


def test_a_fifo_or_a_folder_is_refused_without_waiting(tmp_path: Path) -> None:
    path = tmp_path / "docs" / SHAPES
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    assert "not a regular file" in refused(tmp_path / "docs")
    path.unlink()
    path.mkdir()
    assert "not a regular file" in refused(tmp_path / "docs")


def test_a_country_of_several_geometries_is_one_and_ids_are_kept_as_written() -> None:
    shapes = read_shapes(read_bytes(REPO / "docs" / SHAPES, SHOWN), SHOWN)
    australia = [g for g in REAL["objects"]["countries"]["geometries"] if g.get("id") == "036"]
    assert len(australia) == 2  # Australia, and Ashmore and Cartier Islands
    merged = shapes.country("036")
    assert merged is not None and len(merged.polygons) == sum(
        1 if g["type"] == "Polygon" else len(g["arcs"]) for g in australia)
    assert shapes.country("") is None and shapes.country("999") is None
    assert {c.name for c in shapes.countries if not c.id} >= {"Kosovo", "N. Cyprus", "Somaliland"}


def test_an_unused_object_or_a_null_geometry_gives_no_outline(tmp_path: Path) -> None:
    data = dict(REAL)
    data["objects"] = {"countries": {"type": "GeometryCollection", "geometries": [
        *REAL["objects"]["countries"]["geometries"], {"type": None, "id": "999"}]}}
    maps = static_maps(docs_with(tmp_path, json.dumps(data)))
    assert maps.for_incident("UA", (50.31, 34.9), "town") is not None
    shutil.rmtree(tmp_path / "docs")
    assert static_maps(tmp_path / "docs").for_incident("UA", (50.31, 34.9), "town") is None
