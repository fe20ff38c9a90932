"""extra.claimpress.map in mkdocs.yml: a fork's own base map, a PMTiles file in docs/ with its credit. mkdocs.yml
is open to pull requests: an address (another host), a path out of docs/, a missing file or one that is no
PMTiles file is an invalid-config error, told as `mkdocs.yml: error: ...`, never a traceback. Left out,
the map is Natural Earth's (test_browser_map) and the map page is the same as before the setting existed."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, make_project

from claimpress.base_map import BaseMap
from claimpress.config import check_config, load_config

BASEMAP = FIXTURES / "basemap"


def project(tmp_path: Path, setting: str, files: dict[str, Path] | None = None) -> Path:
    root = make_project(tmp_path / "project")
    (root / "docs" / "assets").mkdir(parents=True, exist_ok=True)
    for name, source in (files or {}).items():
        shutil.copy(source, root / "docs" / name)
    (root / "mkdocs.yml").write_text(f"site_name: x\nextra:\n  claimpress:\n    map: {setting}\n")
    return root


def errors(root: Path) -> list[str]:
    return [f"{d.message}; {d.hint}" for d in check_config(load_config(root), needs_claimreview=False)]


@pytest.mark.parametrize("kind", ["raster", "vector"])
def test_a_pmtiles_file_in_docs_with_its_credit_is_taken_and_its_kind_read_from_it(tmp_path: Path, kind: str) -> None:
    root = project(tmp_path, "{pmtiles: assets/tiles.pmtiles, attribution: '© OpenStreetMap contributors'}",
                   {"assets/tiles.pmtiles": BASEMAP / f"{kind}.pmtiles"})
    assert load_config(root).base_map == BaseMap("assets/tiles.pmtiles", "© OpenStreetMap contributors", kind)
    assert errors(root) == []


@pytest.mark.parametrize(("value", "said"), [
    ("https://tiles.example.org/world.pmtiles", "is an address: the map fetches nothing from another host"),
    ("//tiles.example.org/world.pmtiles", "is an address: the map fetches nothing from another host"),
    ("pmtiles://assets/tiles.pmtiles", "is an address"),
    ("/assets/tiles.pmtiles", "must be a path relative to docs/"),
    ("../tiles.pmtiles", "leaves docs/"),
    ("assets/../../tiles.pmtiles", "leaves docs/"),
    ("assets/missing.pmtiles", "docs/assets/missing.pmtiles does not exist"),
    ("assets/tiles.png", "is not a .pmtiles file"),
    ("'assets/a tile\".pmtiles'", "may hold only letters, digits"),
    ("map/tiles.pmtiles", "is in docs/map/, which build writes"),
    ("assets/not-tiles.pmtiles", "docs/assets/not-tiles.pmtiles is not a PMTiles file of version 3"),
])
def test_a_file_not_in_docs_or_not_there_is_refused(tmp_path: Path, value: str, said: str) -> None:
    root = project(tmp_path, f"{{pmtiles: {value}, attribution: Example}}",
                   {"assets/tiles.png": BASEMAP / "raster.pmtiles", "assets/not-tiles.pmtiles": BASEMAP / "make.py"})
    found = errors(root)
    assert len(found) == 1 and said in found[0], found
    assert load_config(root).base_map is None


def test_a_link_out_of_docs_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, "{pmtiles: assets/tiles.pmtiles, attribution: Example}")
    (root / "docs" / "assets" / "tiles.pmtiles").symlink_to(BASEMAP / "raster.pmtiles")
    assert errors(root) == ["extra.claimpress.map.pmtiles: docs/assets/tiles.pmtiles is a link out of docs/; "
                            "put the file itself in docs/"]


@pytest.mark.parametrize(("setting", "said"), [
    ("{pmtiles: assets/tiles.pmtiles}", "extra.claimpress.map.attribution is not set"),
    ("{pmtiles: assets/tiles.pmtiles, attribution: ''}", "extra.claimpress.map.attribution is not set"),
    ("{pmtiles: assets/tiles.pmtiles, attribution: \"one\\ntwo\"}", "must be one line of text"),
    ("{pmtiles: assets/tiles.pmtiles, attribution: " + "x" * 301 + "}", "of at most 300 characters"),
    ("{attribution: Example}", "extra.claimpress.map.pmtiles is not set"),
    ("{pmtiles: assets/tiles.pmtiles, attribution: x, atribution: y}",
     "extra.claimpress.map.atribution: is not a setting of the base map (pmtiles | attribution); did you mean "
     "'attribution'?"),
    ("assets/tiles.pmtiles", "extra.claimpress.map must hold pmtiles: and attribution:"),
])
def test_the_credit_is_one_line_and_nothing_else_is_a_setting(tmp_path: Path, setting: str, said: str) -> None:
    root = project(tmp_path, setting, {"assets/tiles.pmtiles": BASEMAP / "raster.pmtiles"})
    found = errors(root)
    assert len(found) == 1 and said in found[0], found


def test_check_tells_it_in_one_line_of_mkdocs_yml(tmp_path: Path) -> None:
    root = project(tmp_path, "{pmtiles: 'https://tiles.example.org/world.pmtiles', attribution: Example}")
    done = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "check"], cwd=root,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert ("mkdocs.yml: error: extra.claimpress.map.pmtiles: 'https://tiles.example.org/world.pmtiles' is an "
            "address: the map fetches nothing from another host") in done.stdout, done.stdout
    assert "Traceback" not in done.stdout + done.stderr
