"""claimpress/build.py: the build's decisions of its own (which folder may take the site; generating
only after a check without errors), apart from the real builds of tests/integration/."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

from conftest import FIXTURES, REPO, make_project

from claimpress.build import MARKER, generate, unsafe_site_dir


def test_which_folders_may_take_the_site(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    assert unsafe_site_dir(root, root) and unsafe_site_dir(root, tmp_path)  # the project, or a folder above it
    assert "docs/" in unsafe_site_dir(root, root / "docs" / "site")
    assert unsafe_site_dir(root, root / "site") == ""  # not there yet
    mine = root / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("someone's")
    assert "something other than a site" in unsafe_site_dir(root, mine)
    (mine / MARKER).write_text("a site this tool built")
    assert unsafe_site_dir(root, mine) == ""
    (root / "mkdocs.yml").write_text("site_name: x\n")
    assert "a file" in unsafe_site_dir(root, root / "mkdocs.yml")


def test_a_check_with_errors_generates_nothing(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path, FIXTURES / "claims" / "unknown-rating.md")
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "docs").mkdir()
    assert generate(root).changes is None
    assert "not generated: fix the errors above" in capsys.readouterr().err
    assert list((root / "docs").iterdir()) == []


def test_a_clean_check_generates_the_pages_and_a_second_run_writes_nothing(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path)
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "docs").mkdir()
    changes = generate(root).changes
    assert changes is not None and "claims/valid-full.md" in changes.written
    assert (root / "docs" / "claims" / "valid-full.md").is_file()
    # A file changed in the last two seconds may change again unseen (cache.keys.RACY_NS): its
    # signature is trusted from the run after it has settled.
    time.sleep(2.2)
    assert generate(root).changes.written == []
    capsys.readouterr()
    again = generate(root)
    assert again.check is None and "nothing changed since the last build" in capsys.readouterr().err
