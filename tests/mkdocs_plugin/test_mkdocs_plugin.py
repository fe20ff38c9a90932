"""The claimpress plugin (claimpress/mkdocs_plugin/): found by its entry point, and each optimisation it
makes switchable, with the same site whichever are on."""
from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from sitebuild import snapshot

OPTIONS = ("finished_html", "shells", "lazy_html", "native_watch", "idle_collector", "kept_pages")


def test_mkdocs_finds_the_plugin_by_its_entry_point_and_the_project_uses_it() -> None:
    found = [e for e in entry_points(group="mkdocs.plugins") if e.name == "claimpress"]
    assert [e.value for e in found] == ["claimpress.mkdocs_plugin:ClaimpressPlugin"]
    from claimpress.mkdocs_plugin import ClaimpressPlugin

    assert found[0].load() is ClaimpressPlugin
    config = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    assert "claimpress" in config["plugins"] and "hooks" not in config


def test_the_plugin_keeps_no_state_in_its_modules() -> None:
    """State lives on the plugin object, which MkDocs keeps for a whole `serve`: no module global is
    assigned after import (a `global` statement, or a mutable container at module level)."""
    import ast

    for path in sorted((REPO / "claimpress" / "mkdocs_plugin").glob("*.py")):
        tree = ast.parse(path.read_text())
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.Global)], path.name
        for node in tree.body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, (ast.Dict, ast.List, ast.Set)):
                pytest.fail(f"{path.name}:{node.lineno}: a mutable container at module level")


def _with_options(root: Path, options: dict[str, bool]) -> None:
    config = (root / "mkdocs.yml").read_text()
    lines = "".join(f"      {name}: {str(value).lower()}\n" for name, value in options.items())
    assert "plugins:\n  - claimpress\n" in config
    (root / "mkdocs.yml").write_text(config.replace("plugins:\n  - claimpress\n", f"plugins:\n  - claimpress:\n{lines}"))


def _build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build_claims.py"), "build"], cwd=root, capture_output=True,
                          text=True, env={k: v for k, v in os.environ.items() if k != "CLAIMPRESS_FULL_PAGES"})


def test_the_site_is_byte_identical_with_every_optimisation_off(fixture_site: Path, tmp_path: Path) -> None:
    """finished_html off: the pages go through MkDocs' own events only (their Markdown made empty, their
    HTML put back); shells off: every page rendered in full. The hostile claims are in the fixture."""
    import shutil

    root = tmp_path / "off"
    shutil.copytree(fixture_site, root, symlinks=True, ignore=shutil.ignore_patterns("site", ".cache"))
    _with_options(root, {name: False for name in OPTIONS})
    done = _build(root)
    assert done.returncode == 0, done.stderr
    ours, theirs = snapshot(root / "site"), snapshot(fixture_site / "site")
    assert ours.keys() == theirs.keys()
    assert [path for path in ours if ours[path] != theirs[path]] == []


def test_an_unknown_option_is_refused_by_mkdocs(fixture_site: Path, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "typo"
    shutil.copytree(fixture_site, root, symlinks=True, ignore=shutil.ignore_patterns("site", ".cache"))
    _with_options(root, {"shell": False})
    done = _build(root)
    assert done.returncode != 0 and "shell" in done.stderr


def test_compact_layout_changes_only_the_length_of_runs_of_whitespace(fixture_site: Path, tmp_path: Path) -> None:
    """compact_layout (compact.py) off: the theme's templates as they are. Every page is then the same
    but for runs of whitespace, none of them removed (so no two words or tags joined); the claim pages
    are lighter with it on, and every other file is the same."""
    import re
    import shutil

    root = tmp_path / "indented"
    shutil.copytree(fixture_site, root, symlinks=True, ignore=shutil.ignore_patterns("site", ".cache"))
    _with_options(root, {"compact_layout": False})
    done = _build(root)
    assert done.returncode == 0, done.stderr
    indented, compact = snapshot(root / "site"), snapshot(fixture_site / "site")
    assert indented.keys() == compact.keys()
    pages = [path for path in compact if path.endswith(".html")]
    assert len(pages) > 20

    def runs_as_one(data: bytes) -> bytes:
        return re.sub(rb"\s+", b" ", data)

    assert [path for path in pages if runs_as_one(indented[path]) != runs_as_one(compact[path])] == []
    # the search bundle's files are named by what Pagefind read: the same words, but not compared here
    assert [path for path in compact if not path.endswith(".html") and not path.startswith("pagefind/")
            and indented[path] != compact[path]] == []
    claim_pages = [path for path in pages if re.fullmatch(r"claims/[^/]+/index\.html", path)]
    assert claim_pages
    for path in claim_pages:
        assert len(compact[path]) < 0.92 * len(indented[path]), path
        # the theme's indentation is gone: no line of the page starts with a space
        assert not re.search(rb"\n[ \t]", compact[path]), path
