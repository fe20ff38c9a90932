"""Work spread over the cores (forked workers) gives the same answers, byte for byte, as one process."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, make_project
from sitebuild import copy_project, set_setting, snapshot

from claimpress.build import generate
from claimpress.check import project as check
from claimpress.render import claim_pages
from claimpress.workers import can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs two cores and no other thread in the test process")


def many_claims(root: Path, n: int, errors: bool = False) -> None:
    """`n` copies of a valid claim; with `errors`, one in seven has one (diagnostics from the workers too)."""
    template = (FIXTURES / "project" / "claims" / "valid-full.md").read_text()
    for i in range(n):
        text = template.replace("id: valid-full", f"id: copy-{i:03d}").replace(
            "Example allegation that uses every field", f"Copy {i} of the example allegation")
        if errors and i % 7 == 0:
            text = text.replace("status: substantiated", "status: substantiatd")
        (root / "claims" / f"copy-{i:03d}.md").write_text(text)


def test_parallel_check_gives_the_serial_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)
    many_claims(root, 40, errors=True)
    monkeypatch.setattr(check, "PARALLEL_FROM", 10**9)
    serial = check.check_project(root)
    shutil.rmtree(root / ".cache")
    monkeypatch.setattr(check, "PARALLEL_FROM", 1)
    parallel = check.check_project(root)
    assert [d.text() for d in parallel.diagnostics] == [d.text() for d in serial.diagnostics]
    assert any(d.code == "unknown-rating" for d in parallel.diagnostics)
    assert {k: (d.data, d.body) for k, d in parallel.claims.items()} == \
        {k: (d.data, d.body) for k, d in serial.claims.items()}


@pytest.mark.parametrize("pages_a_worker", [1024, 4])  # 4: each worker is replaced after two chunks
def test_parallel_render_writes_the_serial_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 pages_a_worker: int) -> None:
    sites = []
    monkeypatch.setattr(claim_pages, "CHUNK", 2)
    monkeypatch.setattr(claim_pages, "PAGES_A_WORKER", pages_a_worker)
    for name, threshold in (("serial", 10**9), ("parallel", 1)):
        root = copy_project(tmp_path / name, FIXTURES / "project" / "claims")
        many_claims(root, 30)
        monkeypatch.setattr(claim_pages, "PARALLEL_FROM", threshold)
        assert generate(root).changes is not None
        sites.append(snapshot(root / "docs"))
    assert sites[0] == sites[1]
    assert len([p for p in sites[1] if p.startswith("claims/copy-")]) == 30


def test_translated_pages_are_rendered_by_the_workers_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A translation's page in another site language is a claim page like the original's: on the
    workers when pages are many, and the same bytes as rendered in one process."""
    source = FIXTURES / "languages" / "claims"  # valid-full, translated into ar and uk
    sites = []
    monkeypatch.setattr(claim_pages, "CHUNK", 2)
    monkeypatch.setattr(claim_pages, "PAGES_A_WORKER", 4)
    real = claim_pages.ClaimPages.render
    for name, threshold in (("serial", 10**9), ("parallel", 1)):
        root = copy_project(tmp_path / name, source)
        set_setting(root, "languages", "[en, ar, uk]")
        for i in range(8):
            for file in ("valid-full.md", "valid-full.ar.md", "valid-full.uk.md"):
                text = (source / file).read_text(encoding="utf-8").replace("id: valid-full", f"id: copy-{i}")
                (root / "claims" / file.replace("valid-full", f"copy-{i}")).write_text(text, encoding="utf-8")
        monkeypatch.setattr(claim_pages, "PARALLEL_FROM", threshold)
        rendered: list[str | None] = []

        def render(self, claim, analysis, tag=None, rendered=rendered):  # noqa: ANN001, ANN202
            rendered.append(tag)  # in this process: the workers' calls are not seen here
            return real(self, claim, analysis, tag)

        monkeypatch.setattr(claim_pages.ClaimPages, "render", render)
        assert generate(root).changes is not None
        sites.append(snapshot(root / "docs"))
        if threshold == 1:  # only the first page in this process; the translations on the workers
            assert len(rendered) == 1
    assert sites[0] == sites[1]
    assert len([p for p in sites[1] if p.startswith(("ar/claims/copy-", "uk/claims/copy-"))]) == 16


def test_a_broken_template_is_reported_with_its_line_when_pages_are_parallel(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_project(tmp_path / "p", FIXTURES / "project" / "claims")
    many_claims(root, 10)
    macros = root / "templates" / "_macros.j2"
    macros.write_text(macros.read_text().replace("{%- endmacro %}", "{%- endmacr %}", 1))
    monkeypatch.setattr(claim_pages, "PARALLEL_FROM", 1)
    assert generate(root).changes is None
    assert "templates/_macros.j2:4: error:" in capsys.readouterr().err
    assert not (root / "docs" / "claims").exists()  # nothing written, nothing half-written


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="Linux: a process' CPU affinity")
def test_work_goes_only_to_the_cores_this_process_may_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A CI container or `taskset` may leave one core of many: then the check and the render step
    work in this process, as they do on a one-core machine, and write the same site."""
    cores = os.sched_getaffinity(0)
    real_fork = os.fork
    forks: list[int] = []

    def counted_fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", counted_fork)  # what multiprocessing's fork context calls
    monkeypatch.setattr(check, "PARALLEL_FROM", 1)
    monkeypatch.setattr(claim_pages, "PARALLEL_FROM", 1)
    sites, counts = [], []
    for name, allowed in (("two", set(sorted(cores)[:2])), ("one", {min(cores)})):
        root = copy_project(tmp_path / name, FIXTURES / "project" / "claims")
        many_claims(root, 30)
        forks.clear()
        os.sched_setaffinity(0, allowed)
        try:
            assert generate(root).changes is not None
        finally:
            os.sched_setaffinity(0, cores)
        counts.append(len(forks))
        sites.append(snapshot(root / "docs"))
    assert counts[0] == 2 * 2  # a worker a core it may use, for the check and for the pages
    assert counts[1] == 0
    assert sites[0] == sites[1]
