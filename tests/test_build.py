"""`build`: a real MkDocs build of a copy of this repository, asserted on the built HTML."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    for name in ("claims", "docs", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    done = build(root)
    assert done.returncode == 0, done.stderr
    return root


def build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build_claims.py"), "build"], cwd=root,
                          capture_output=True, text=True)


def test_build_makes_a_site(built: Path) -> None:
    index = (built / "site" / "index.html").read_text()
    assert "<title>claimpress</title>" in index
    assert (built / "site" / "claim-format" / "index.html").exists()
    # Nothing is fetched from other hosts: no web fonts.
    assert "fonts.googleapis.com" not in index and "fonts.gstatic.com" not in index


def test_failed_check_leaves_the_previous_site_untouched(built: Path) -> None:
    before = {p: p.read_bytes() for p in (built / "site").rglob("*") if p.is_file()}
    bad = built / "claims" / "unknown-rating.md"
    shutil.copy(FIXTURES / "claims" / "unknown-rating.md", bad)
    try:
        done = build(built)
    finally:
        bad.unlink()
    assert done.returncode == 1
    assert "unknown-rating.md:19:9: error:" in done.stderr and "build refused" in done.stderr
    after = {p: p.read_bytes() for p in (built / "site").rglob("*") if p.is_file()}
    assert after == before


def test_failed_mkdocs_build_leaves_the_previous_site_untouched(built: Path) -> None:
    before = {p: p.read_bytes() for p in (built / "site").rglob("*") if p.is_file()}
    page = built / "docs" / "broken.md"
    page.write_text("[a link to nowhere](missing.md)\n")  # --strict turns this warning into a failure
    try:
        done = build(built)
    finally:
        page.unlink()
    assert done.returncode == 1 and "previous site is unchanged" in done.stderr
    assert {p: p.read_bytes() for p in (built / "site").rglob("*") if p.is_file()} == before
    assert not (built / ".site.building").exists()
