"""Work spread over the cores (forked workers) gives the same answers, byte for byte, as one process."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from claimpress import check, render
from claimpress.build import generate
from conftest import FIXTURES, make_project
from sitebuild import copy_project, snapshot

pytestmark = pytest.mark.skipif(not check.can_fork(), reason="needs two cores and no other thread in the test process")


def many_claims(root: Path, n: int) -> None:
    """`n` copies of a valid claim, and a few with errors, so that diagnostics come from the workers too."""
    template = (FIXTURES / "project" / "claims" / "valid-full.md").read_text()
    for i in range(n):
        text = template.replace("id: valid-full", f"id: copy-{i:03d}").replace(
            "Example allegation that uses every field", f"Copy {i} of the example allegation")
        if i % 7 == 0:
            text = text.replace("status: substantiated", "status: substantiatd")
        (root / "claims" / f"copy-{i:03d}.md").write_text(text)


def test_parallel_check_gives_the_serial_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)
    many_claims(root, 40)
    monkeypatch.setattr(check, "PARALLEL_FROM", 10**9)
    serial = check.check_project(root)
    shutil.rmtree(root / ".cache")
    monkeypatch.setattr(check, "PARALLEL_FROM", 1)
    parallel = check.check_project(root)
    assert [d.text() for d in parallel.diagnostics] == [d.text() for d in serial.diagnostics]
    assert any(d.code == "unknown-rating" for d in parallel.diagnostics)
    assert {k: (d.data, d.body) for k, d in parallel.claims.items()} == \
        {k: (d.data, d.body) for k, d in serial.claims.items()}


def test_parallel_render_writes_the_serial_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sites = []
    for name, threshold in (("serial", 10**9), ("parallel", 1)):
        root = copy_project(tmp_path / name, FIXTURES / "project" / "claims")
        many_claims(root, 30)
        for path in (root / "claims").glob("copy-*.md"):
            text = path.read_text()
            path.write_text(text.replace("status: substantiatd", "status: substantiated"))
        monkeypatch.setattr(render, "PARALLEL_FROM", threshold)
        assert generate(root).changes is not None
        sites.append(snapshot(root / "docs"))
    assert sites[0] == sites[1]
    assert len([p for p in sites[1] if p.startswith("claims/copy-")]) == 30
