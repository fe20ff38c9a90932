"""The caches are one layer around the stages: the stages run without it, and give what the build
gives through it."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import FIXTURES, REPO, make_project
from sitebuild import copy_project

from claimpress.build import generate
from claimpress.check.project import check_files, check_project
from claimpress.config import load_config
from claimpress.model import build_catalog
from claimpress.render.site import render_site
from claimpress.write import GENERATED, Land

PACKAGE = REPO / "claimpress"


def cache_imports(path: Path) -> list[tuple[int, str]]:
    """(line, enclosing function or "") of each import of claimpress.cache in the module at `path`
    (a module of claimpress/ whose folder has no module named cache)."""
    found = []

    def imported(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Import):
            return [alias.name for alias in node.names]
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            return [node.module or ""]
        if isinstance(node, ast.ImportFrom):  # relative: "from ..cache import x", "from .. import cache"
            return [f"claimpress.{node.module}"] if node.module else [f"claimpress.{a.name}" for a in node.names]
        return []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, child.name)
                continue
            if any(name.split(".")[:2] == ["claimpress", "cache"] for name in imported(child)):
                found.append((child.lineno, function))
            visit(child, function)

    visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return found


def test_the_stages_import_no_cache() -> None:
    """Rendering and modelling never import the caches; checking only in check_project, which opens
    a cache session around check_files."""
    stages = [PACKAGE / "model.py", *sorted((PACKAGE / "render").glob("*.py"))]
    assert {path.name: cache_imports(path) for path in stages} == {path.name: [] for path in stages}
    assert [function for _, function in cache_imports(PACKAGE / "check" / "project.py")] == ["check_project"]
    assert cache_imports(PACKAGE / "build.py")  # the control: what opens the session imports it


def test_the_check_without_caches_gives_what_the_caches_give(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", FIXTURES / "claims" / "unknown-rating.md")
    plain = check_files(root)
    assert not (root / ".cache").exists()  # nothing kept
    for _ in range(2):  # cold, then from the caches
        cached = check_project(root)
        assert cached.diagnostics == plain.diagnostics
        assert {cid: (doc.data, doc.body) for cid, doc in cached.claims.items()} == \
            {cid: (doc.data, doc.body) for cid, doc in plain.claims.items()}
    assert (root / ".cache" / "claimpress").is_dir()
    assert any(d.code == "unknown-rating" for d in plain.diagnostics) and plain.claims


def test_the_stages_without_caches_make_the_files_the_build_writes(tmp_path: Path) -> None:
    """check_files -> build_catalog -> render_site, with no cache anywhere, give byte for byte the
    files that the build wrote through its cache session, twice (the second time reusing pages)."""
    root = copy_project(tmp_path / "p", FIXTURES / "project" / "claims")
    assert generate(root).changes is not None
    (root / "claims" / "valid-minimal.md").write_text(
        (root / "claims" / "valid-minimal.md").read_text().replace("title: Example allegation", "title: Renamed"))
    assert generate(root).changes is not None  # some pages reused, some made again
    catalog = build_catalog(check_files(root))
    made = {}
    for path, content in render_site(catalog, root / "templates", load_config(root)):
        if not isinstance(content, Land):
            made[path] = content if isinstance(content, bytes) else \
                (content if isinstance(content, str) else "".join(content)).encode()  # type: ignore[arg-type]
    written = {p.relative_to(root / "docs").as_posix(): p.read_bytes()
               for top in GENERATED
               for p in ((root / "docs" / top).rglob("*") if (root / "docs" / top).is_dir() else [root / "docs" / top])
               if p.is_file()}
    assert b"Renamed" in made["claims/valid-minimal.md"]
    assert made == written
