"""The command line as a contributor and CI use it: real processes, real exit codes."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, REPO, make_project


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build_claims.py"), *args], cwd=cwd,
                          capture_output=True, text=True)


def test_clean_project_exits_0(project: Path) -> None:
    done = run("check", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 errors" in done.stderr


def test_errors_exit_1_with_one_line_each(tmp_path: Path) -> None:
    root = make_project(tmp_path, FIXTURES / "claims" / "unknown-rating.md", FIXTURES / "claims" / "duplicate-key.md")
    done = run("check", cwd=root)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].startswith("claims/duplicate-key.md:8:1: error: ")
    assert lines[1].startswith("claims/unknown-rating.md:19:9: error: status: 'substantiatd'")
    assert "Traceback" not in done.stderr


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    root = make_project(tmp_path, FIXTURES / "claims" / "no-archive.md")
    assert run("check", cwd=root).returncode == 0
    assert run("check", "--strict", cwd=root).returncode == 1


def test_json_format_is_machine_readable(tmp_path: Path) -> None:
    root = make_project(tmp_path, FIXTURES / "claims" / "unknown-party.md")
    done = run("check", "--format", "json", cwd=root)
    assert done.returncode == 1
    [item] = [d for d in json.loads(done.stdout) if d["severity"] == "error"]
    assert item == {"path": "claims/unknown-party.md", "line": 6, "column": 11, "severity": "error",
                    "code": "unknown-party",
                    "message": "claimant: 'example-ngoo' is not a party in claims/parties.yml",
                    "hint": "did you mean 'example-ngo'?"}


def test_github_format_is_an_annotation(tmp_path: Path) -> None:
    root = make_project(tmp_path, FIXTURES / "claims" / "unknown-category.md")
    done = run("check", "--format", "github", cwd=root)
    assert [line for line in done.stdout.splitlines() if line.startswith("::error")] == [
        "::error file=claims/unknown-category.md,line=18,col=14,title=unknown-category::categories[0]: "
        "'cluster-munition' is not a category in claims/categories.yml; did you mean 'cluster-munitions'?"]


def test_paths_limit_the_report(tmp_path: Path) -> None:
    root = make_project(tmp_path, FIXTURES / "claims" / "unknown-rating.md", FIXTURES / "claims" / "unknown-party.md")
    done = run("check", "claims/unknown-party.md", cwd=root)
    assert done.returncode == 1
    assert {line.split(":")[0] for line in done.stdout.splitlines()} == {"claims/unknown-party.md"}


def test_usage_errors_exit_2(project: Path, tmp_path: Path) -> None:
    assert run("check", "--format", "xml", cwd=project).returncode == 2
    assert run("check", "claims/nope.md", cwd=project).returncode == 2
    assert run("frobnicate", cwd=project).returncode == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    done = run("check", cwd=empty)
    assert done.returncode == 2 and "no claims/ folder" in done.stderr


def test_help_shows_an_example(project: Path) -> None:
    for command in ("check", "build"):
        done = run(command, "--help", cwd=project)
        assert done.returncode == 0 and "example:" in done.stdout


def test_build_refuses_a_site_dir_that_would_replace_the_project(project: Path) -> None:
    (project / "notes.txt").write_text("kept")
    for target in (".", "claims", "docs", "..", "notes.txt"):
        done = run("build", "--site-dir", target, cwd=project)
        assert done.returncode == 2, target
    assert (project / "claims" / "valid-full.md").exists()
    assert (project / "notes.txt").read_text() == "kept"  # a file is not a site folder: it was moved aside and lost


def test_check_refuses_a_file_outside_claims_instead_of_passing_it(project: Path) -> None:
    """A draft checked before it is moved into claims/ was reported as valid, whatever it held."""
    (project / "draft.md").write_text("---\nid: bad\nstatus: nope\n---\n")
    done = run("check", "draft.md", cwd=project)
    assert done.returncode == 2 and "draft.md is not in claims/" in done.stderr
    assert run("check", "claims/valid-full.md", cwd=project).returncode == 0
    assert run("check", "claims", cwd=project).returncode == 0
    assert run("check", ".", cwd=project).returncode == 0  # the folder that holds claims/: all of it
    # A link inside claims/ is in claims/: check says what is wrong with it, not where it is.
    (project / "claims" / "linked.md").symlink_to(project / "claims" / "valid-full.md")
    linked = run("check", "claims/linked.md", cwd=project)
    assert linked.returncode == 1 and "[symlink]" in linked.stdout and "not in claims/" not in linked.stderr


def test_each_problem_is_one_line_even_when_a_value_has_line_breaks(project: Path) -> None:
    """Editors, grep and CI problem matchers read one diagnostic a line."""
    claim = project / "claims" / "valid-minimal.md"
    text = claim.read_text()
    claim.write_text(text.replace("title: ", "title: |\n  two\n  lines\nold_title: ", 1))
    done = run("check", cwd=project)
    assert done.returncode == 1
    lines = [line for line in done.stdout.splitlines() if line]
    assert lines and all(re.match(r"claims/\S+:\d+(:\d+)?: (error|warning): ", line) for line in lines), lines
    assert any("two\\nlines" in line for line in lines)
