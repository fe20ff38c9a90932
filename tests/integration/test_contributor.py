"""The contributor commands: new (flags and prompts), fmt, check --changed (in a real git repository)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO, make_project

from claimpress.check.project import check_project
from claimpress.cli import make_parser


def run(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build_claims.py"), *args], cwd=root, capture_output=True,
                          text=True, input=stdin)


# --- new ----------------------------------------------------------------------------------------

def test_new_with_flags_writes_a_draft_that_passes_check(project: Path) -> None:
    done = run(project, "new", "--title", "Example Army shelled the market of Example town", "--claimant",
               "Example Watch", "--accused", "example-army", "--incident-date", "2021-03", "--country", "Syria",
               "--category", "cluster-munitions", stdin="")
    assert done.returncode == 0, done.stderr
    path = project / done.stdout.strip()
    assert path.name == "example-army-shelled-the-market-of-example-town-2021.md"
    data = yaml.safe_load(path.read_text().split("\n---\n")[0][4:])
    assert data["claimant"] == "example-ngo"          # matched by name
    assert data["incident"] == {"date": "2021-03", "country": "SY"}
    assert data["draft"] is True and data["status"] == "unverified"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["published"])
    result = check_project(project, only=[path])
    assert result.errors == []
    [draft] = [d for d in result.diagnostics if d.code == "draft"]
    assert "claim, claimed_on, evidence, incident.location" in draft.message
    again = run(project, "new", "--title", "Example Army shelled the market of Example town", "--claimant",
                "example-ngo", "--accused", "example-army", "--incident-date", "2021-03", "--country", "SY",
                "--category", "cluster-munitions", stdin="")
    assert again.returncode == 1 and "exists already" in again.stderr  # never overwrites


def test_new_refuses_values_that_check_would_refuse(project: Path) -> None:
    """A draft from `new` must pass check: a future date or a title over the limit is refused, not written."""
    flags = ["--claimant", "example-ngo", "--accused", "example-army", "--country", "SY", "--category",
             "cluster-munitions"]
    future = run(project, "new", "--title", "A date to come", "--incident-date", "2099-01-01", *flags, stdin="")
    assert future.returncode != 0 and "'2099-01-01' is in the future" in future.stderr
    long = run(project, "new", "--title", "word " * 40, "--incident-date", "2021", *flags, stdin="")
    assert long.returncode != 0 and "at most 160" in long.stderr
    assert sorted(p.name for p in (project / "claims").glob("*.md")) == ["valid-full.md", "valid-minimal.md"]
    asked = run(project, "new", "--title", "A date to come", *flags, stdin="2099\n2020\n\n")  # asked again; no place
    assert asked.returncode == 0, asked.stderr
    assert check_project(project, only=[project / asked.stdout.strip()]).errors == []


def test_new_suggests_ids_and_adds_parties_only_when_asked(project: Path) -> None:
    flags = ["new", "--title", "T", "--claimant", "example-ngo", "--incident-date", "2020", "--country", "SY",
             "--category", "barrel-bombs"]
    done = run(project, *flags, "--accused", "example-armi", stdin="")
    assert done.returncode == 1 and "did you mean 'example-army'" in done.stderr
    done = run(project, *flags, "--category", "barrel-bomb", "--accused", "example-army", stdin="")
    assert done.returncode == 1 and "did you mean 'barrel-bombs'" in done.stderr
    done = run(project, *flags, "--accused", "New Militia", "--add-parties", "--party-kind", "armed-group", stdin="")
    assert done.returncode == 0, done.stderr
    parties = yaml.safe_load((project / "claims" / "parties.yml").read_text())
    assert parties["new-militia"] == {"name": "New Militia", "kind": "armed-group"}
    assert check_project(project).errors == []


def test_new_asks_for_what_the_flags_do_not_give(project: Path) -> None:
    answers = "\n".join(["A title typed in", "Example Watch", "New Militia, example-army", "",  # Enter: add it
                         "2020-02-30", "2020", "Ukraine", "Kyiv", "barrel-bomb", "barrel-bombs",
                         "armed group", "armed-group", ""]) + "\n"  # the new party's kind, no country
    done = run(project, "new", stdin=answers)
    assert done.returncode == 0, done.stderr
    assert "is not a real date" in done.stderr and "did you mean 'barrel-bombs'" in done.stderr  # asked again
    assert "did you mean 'armed-group'" in done.stderr
    assert yaml.safe_load((project / "claims" / "parties.yml").read_text())["new-militia"] == {
        "name": "New Militia", "kind": "armed-group"}
    data = yaml.safe_load((project / done.stdout.strip()).read_text().split("\n---\n")[0][4:])
    assert data["accused"] == ["new-militia", "example-army"]
    assert data["incident"] == {"date": "2020", "location": "Kyiv", "country": "UA", "coordinates": [50.45466, 30.5238],
                                "precision": "town", "position_source": "GeoNames 703448 (Kyiv), the town's position "
                                "from the gazetteer, not the report's"}  # the place typed in, from the gazetteer
    assert data["categories"] == ["barrel-bombs"]
    assert check_project(project).errors == []


def test_new_stops_cleanly_when_input_ends(project: Path) -> None:
    done = run(project, "new", "--title", "T", stdin="")
    assert done.returncode == 1 and "input ended" in done.stderr and "Traceback" not in done.stderr


# --- fmt ----------------------------------------------------------------------------------------

MESSY = """---
# a comment at the top
status: single-source   # why: see the verdict
title: A messy claim
id: messy
verdict: Only one source.
claimant: example-ngo
claim: >-
  Something happened.
accused: [example-army]
claimed_on: 2020-05-02
incident:
    country: NO      # Norway, kept as the text NO
    location: Somewhere
    date: 2020-05-01
categories: [barrel-bombs]
evidence:
- stance: context
  kind: media-report
  published: null
  publisher: null
  title: null
published: 2020-06-01
---
The body, untouched: `status: x`
  indented line
"""


def test_fmt_orders_keys_keeps_comments_and_body(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    path = root / "claims" / "messy.md"
    path.write_text(MESSY)
    assert run(root, "fmt", "--check", "claims/messy.md").returncode == 1
    done = run(root, "fmt", "claims/messy.md")
    assert done.returncode == 0 and "reformatted" in done.stdout
    text = path.read_text()
    keys = re.findall(r"^([a-z_]+):", text.split("\n---\n")[0], re.MULTILINE)
    assert keys == ["id", "title", "claim", "claimant", "accused", "claimed_on", "incident", "categories", "status",
                    "verdict", "evidence", "published"]
    assert "# a comment at the top" in text and "# why: see the verdict" in text and "# Norway" in text
    assert "country: NO" in text and "  - title: null\n    publisher: null\n" in text
    assert text.endswith("---\nThe body, untouched: `status: x`\n  indented line\n")
    assert check_project(root, only=[path]).errors == []
    # Idempotent, and a canonical file is left byte for byte.
    assert run(root, "fmt", "--check", "claims/messy.md").returncode == 0
    before = path.read_bytes()
    run(root, "fmt", "claims/messy.md")
    assert path.read_bytes() == before


# --- check --changed ----------------------------------------------------------------------------

def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root, check=True,
                   capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "change")
    return root


def test_changed_reports_only_the_new_bad_claim(repo: Path) -> None:
    # An old problem on main, which the branch did not cause: not reported.
    shutil.copy(FIXTURES / "claims" / "unknown-field.md", repo / "claims")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "old problem")
    git(repo, "branch", "-f", "main")
    shutil.copy(FIXTURES / "claims" / "unknown-rating.md", repo / "claims")
    done = run(repo, "check", "--changed", "--format", "github")
    assert done.returncode == 1
    files = {re.search(r"file=([^,]+)", line).group(1) for line in done.stdout.splitlines()}
    assert files == {"claims/unknown-rating.md"}
    assert run(repo, "check").returncode == 1 and "unknown-field.md" in run(repo, "check").stdout


def test_changed_reports_claims_broken_by_a_removed_party(repo: Path) -> None:
    parties = repo / "claims" / "parties.yml"
    parties.write_text(parties.read_text().replace("example-army:\n  name: Example Army\n  kind: armed-forces\n"
                                                   "  country: SY\n  parent: example-state\n", ""))
    git(repo, "commit", "-q", "-am", "remove a party")
    done = run(repo, "check", "--changed", "main")
    assert done.returncode == 1
    broken = {line.split(":")[0] for line in done.stdout.splitlines()}
    assert broken == {"claims/valid-full.md", "claims/valid-minimal.md"}  # unchanged files, broken by the change
    assert "'example-army' is not a party" in done.stdout


def test_changed_with_a_bad_ref_names_it_and_says_what_to_give(repo: Path) -> None:
    done = run(repo, "check", "--changed", "no-such-branch")
    assert done.returncode == 2
    assert 'error: no commit "no-such-branch" in this repository; give a branch, tag or commit, e.g. --changed ' \
        "origin/main" in done.stderr, done.stderr
    assert "fatal" not in done.stderr
    remote = run(repo, "check", "--changed", "origin/main")  # a remote's branch never fetched
    assert remote.returncode == 2 and 'no commit "origin/main"' in remote.stderr and "git fetch" in remote.stderr


def test_changed_outside_a_git_repository_says_it_needs_one(tmp_path: Path) -> None:
    root = make_project(tmp_path / "plain")
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path)}  # not the repository of a folder above
    done = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "check", "--changed"], cwd=root,
                          capture_output=True, text=True, env=env)
    assert done.returncode == 2
    assert "is not in a git repository" in done.stderr and "run check without --changed" in done.stderr
    assert "main branch" not in done.stderr


def test_changed_without_a_main_branch_names_what_it_tried(repo: Path) -> None:
    git(repo, "branch", "-D", "main")
    done = run(repo, "check", "--changed")
    assert done.returncode == 2
    assert "no main branch to compare with (tried origin/main, main, origin/master and master)" in done.stderr
    assert "--changed REF" in done.stderr
    git(repo, "tag", "base", "HEAD~0")  # and naming the base works
    assert run(repo, "check", "--changed", "base").returncode == 0


def test_changed_against_a_base_without_the_project(tmp_path: Path) -> None:
    """The project is new since the base (its folder is not in it, or the base is an empty commit):
    every file is new, and the base has no problems."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "commit", "-q", "--allow-empty", "-m", "empty")
    root = make_project(repo / "site", FIXTURES / "claims" / "unknown-rating.md")
    done = run(root, "check", "--changed", "main")
    assert done.returncode == 1, done.stderr
    assert "internal error" not in done.stderr and "unknown-rating" in done.stdout
    assert "6 files changed" in done.stderr


# --- every command is documented ----------------------------------------------------------------

def test_every_command_has_help_with_an_example_and_is_documented() -> None:
    parser = make_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    docs = (REPO / "README.md").read_text() + (REPO / "CONTRIBUTING.md").read_text()
    for name, sub in commands.items():
        assert "example:" in (sub.epilog or ""), name
        assert f"build_claims.py {name}" in docs, f"{name} is not in README.md or CONTRIBUTING.md"


def test_fmt_removes_a_byte_order_mark_that_check_warns_about(tmp_path: Path) -> None:
    """Some Windows editors save one; fmt (and the pre-commit hook) failed with "does not start with '---'"."""
    root = make_project(tmp_path)
    path = root / "claims" / "valid-minimal.md"
    others = [d.code for d in check_project(root, only=[path]).diagnostics]  # before the mark: a minimal claim's
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert [d.code for d in check_project(root, only=[path]).diagnostics] == ["byte-order-mark", *others]
    assert run(root, "fmt", "--check", "claims/valid-minimal.md").returncode == 1  # would change, and says so
    done = run(root, "fmt", "claims/valid-minimal.md")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert [d.code for d in check_project(root, only=[path]).diagnostics] == others
