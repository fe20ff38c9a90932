"""The words of the generated pages say what their numbers count: the claims the map file holds (none,
one or many), and on the browse page the values of each facet, not claims."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, make_project

from claimpress.build import generate


def generated(tmp_path: Path, mapped: int) -> Path:
    """The pages of a project whose claims have coordinates `mapped` times (valid-full has them)."""
    root = make_project(tmp_path / "project")
    full = (root / "claims" / "valid-full.md").read_text()
    if mapped == 0:
        (root / "claims" / "valid-full.md").write_text(full.replace("  coordinates: [34.7, 40.83]\n", ""))
    for i in range(2, mapped + 1):
        (root / "claims" / f"valid-full-{i}.md").write_text(full.replace("id: valid-full", f"id: valid-full-{i}"))
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "docs").mkdir()
    assert generate(root).changes is not None
    return root / "docs"


def words(path: Path) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", path.read_text()).split())


@pytest.mark.parametrize("mapped, said", [
    (0, "GeoJSON (empty until a claim has coordinates)"), (1, "GeoJSON (the one claim with coordinates)"),
    (3, "GeoJSON (the 3 claims with coordinates)")])
def test_the_map_file_is_described_for_none_one_and_many(tmp_path: Path, mapped: int, said: str) -> None:
    docs = generated(tmp_path, mapped)
    assert said in words(docs / "claims" / "index.md")
    assert f"{mapped} of {mapped + 1 if mapped else 2} claims so far" in words(docs / "_snippets" / "downloads.html")


def test_browse_counts_name_what_they_count(tmp_path: Path) -> None:
    docs = generated(tmp_path, 1)
    text = words(docs / "browse" / "index.md")
    # Seven statuses on the scale; the two claims accuse the army, rolled up into its state; one country, ...
    for said in ("By status (7 statuses)", "By accused (2 parties)", "By claimant (1 party)",
                 "By country (1 country)", "By category (2 categories)", "By year (2 years)"):
        assert said in text
