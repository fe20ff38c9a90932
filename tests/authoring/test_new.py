"""new (issue 24, item 11): every problem told in one run, parties by alias or initials and countries by
name, every field as a flag, and a new party never written without its kind."""
from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, front_matter, make_project

from claimpress.check.project import check_project

BASE = ["--title", "Example Army shelled the market", "--claimant", "example-ngo", "--accused", "example-army",
        "--incident-date", "2020-05-01", "--country", "SY", "--category", "barrel-bombs"]


def run(root: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build_claims.py"), "new", *args], cwd=root,
                          capture_output=True, text=True, input=stdin)


def drafts(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "claims").glob("*.md") if not p.name.startswith("valid-"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project")
    with (root / "claims" / "parties.yml").open("a") as registry:  # a party with no aliases
        registry.write("human-rights-watch:\n  name: Human Rights Watch\n  kind: ngo\n")
    return root


def test_every_bad_value_is_told_in_one_run(project: Path) -> None:
    """Before, `new` stopped at the first bad value: four runs to find four mistakes."""
    done = run(project, "--title", "T", "--claimant", "Example Wach", "--accused", "example-armi",
               "--incident-date", "2020-02-30", "--country", "Ukrain", "--category", "barrel-bomb",
               "--source-url", "javascript:alert(1)", "--source-date", "2999", "--source-kind", "blog")
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if "error:" in line]
    expected = ["--claimant: 'Example Wach' is not a party in claims/parties.yml; did you mean 'example-ngo'",
                "--accused: 'example-armi' is not a party in claims/parties.yml; did you mean 'example-army'",
                "--incident-date: '2020-02-30' is not a real date",
                "--country: 'Ukrain' is not a country: did you mean 'UA' (Ukraine)?",
                "--category: 'barrel-bomb' is not a category in claims/categories.yml; did you mean 'barrel-bombs'?",
                "--source-url: 'javascript:alert(1)' is not an http:// or https:// address",
                "--source-date: '2999' is in the future",
                "--source-kind: 'blog' is not a kind of source; one of: official-statement, media-report"]
    assert len(errors) == len(expected), done.stderr
    for line, wanted in zip(errors, expected):
        assert wanted in line, (line, wanted)
    assert "8 problems; nothing was written" in done.stderr
    assert drafts(project) == [] and "Traceback" not in done.stderr


def test_parties_by_alias_or_initials_and_countries_by_name(project: Path) -> None:
    done = run(project, "--title", "T", "--claimant", "HRW", "--accused", "example government",  # an alias
               "--incident-date", "2020", "--country", "ukraine", "--category", "Barrel bombs")
    assert done.returncode == 0, done.stderr
    data = front_matter(project / done.stdout.strip())
    assert data["claimant"] == "human-rights-watch"  # its initials: said on stderr
    assert "'HRW' is taken as 'human-rights-watch' (Human Rights Watch)" in done.stderr
    assert data["accused"] == ["example-state"] and data["categories"] == ["barrel-bombs"]
    assert data["incident"]["country"] == "UA"
    for name, code in (("Syrian Arab Republic", "SY"), ("Russia", "RU"), ("gbr", "GB")):
        done = run(project, "--title", f"About {name}", *BASE[2:8], "--country", name, *BASE[10:])
        assert done.returncode == 0, done.stderr
        assert front_matter(project / done.stdout.strip())["incident"]["country"] == code


def test_every_field_as_a_flag_writes_a_draft_that_passes_check_and_fmt(project: Path) -> None:
    done = run(project, *BASE, "--location", "Example market", "--claim", "Example forces shelled the market.",
               "--claimed-on", "2020-05-02", "--status", "Single source", "--verdict", "One report so far.",
               "--source-title", "Market shelled", "--source-publisher", "Example Times",
               "--source-url", "https://example.org/market", "--source-date", "2020-05-02",
               "--source-kind", "media-report", "--source-stance", "supports")
    assert done.returncode == 0, done.stderr
    path = project / done.stdout.strip()
    data = front_matter(path)
    assert data["claim"] == "Example forces shelled the market." and data["claimed_on"] == "2020-05-02"
    assert data["status"] == "single-source" and data["verdict"] == "One report so far."
    assert data["evidence"] == [{"title": "Market shelled", "publisher": "Example Times",
                                 "url": "https://example.org/market", "published": "2020-05-02",
                                 "kind": "media-report", "stance": "supports"}]
    assert data["draft"] is True
    result = check_project(project, only=[path])
    assert result.errors == [], [d.text() for d in result.errors]
    fmt = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "fmt", "--check", str(path)], cwd=project,
                         capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_a_claim_dated_before_its_incident_is_refused(project: Path) -> None:
    done = run(project, *BASE, "--claimed-on", "2019-12")
    assert done.returncode == 1
    assert "--claimed-on: '2019-12' is before the incident date (2020-05-01)" in done.stderr
    assert drafts(project) == []


def test_a_new_party_is_never_written_without_its_kind(project: Path) -> None:
    """Before, a new party was written `kind: other` without a word."""
    flags = [*BASE[:2], "--claimant", "Amnesty International", *BASE[4:], "--add-parties"]
    done = run(project, *flags)
    assert done.returncode == 1
    assert "--party-kind: 'Amnesty International' is a new party; give its kind, --party-kind KIND" in done.stderr
    assert "--party-country CODE" in done.stderr
    assert drafts(project) == []
    done = run(project, *flags, "--party-kind", "ngo", "--party-country", "United Kingdom")
    assert done.returncode == 0, done.stderr
    parties = yaml.safe_load((project / "claims" / "parties.yml").read_text())
    assert parties["amnesty-international"] == {"name": "Amnesty International", "kind": "ngo", "country": "GB"}
    assert check_project(project).errors == []


def test_several_new_parties_take_a_kind_each(project: Path) -> None:
    done = run(project, "--title", "T", "--claimant", "New Monitor", "--accused", "New Militia",
               "--incident-date", "2020", "--country", "SY", "--category", "barrel-bombs", "--add-parties",
               "--party-kind", "New Monitor=ngo", "--party-kind", "new militia=armed-group",
               "--party-country", "New Militia=SY")
    assert done.returncode == 0, done.stderr
    parties = yaml.safe_load((project / "claims" / "parties.yml").read_text())
    assert parties["new-monitor"] == {"name": "New Monitor", "kind": "ngo"}
    assert parties["new-militia"] == {"name": "New Militia", "kind": "armed-group", "country": "SY"}
    done = run(project, "--title", "T2", "--claimant", "Other Monitor", *BASE[4:], "--add-parties",
               "--party-kind", "Someone Else=ngo")
    assert done.returncode == 1
    assert "no new party is named 'someone-else'" in done.stderr and "'Other Monitor' is a new party" in done.stderr


def _at_a_terminal(root: Path, args: list[str], answers: str) -> tuple[int, str]:
    """Run new with a terminal as its input (a pseudo-terminal, the answers typed ahead)."""
    primary, secondary = pty.openpty()
    try:
        os.write(primary, answers.encode())
        done = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "new", *args], cwd=root,
                              stdin=secondary, capture_output=True, text=True, timeout=120)
    finally:
        os.close(secondary)
        os.close(primary)
    return done.returncode, done.stderr + done.stdout


def test_a_person_at_a_terminal_is_asked_for_the_kind_and_for_each_bad_flag(project: Path) -> None:
    args = [*BASE[:2], "--claimant", "Amnesty International", *BASE[4:8], "--country", "Ukrain", *BASE[10:],
            "--add-parties"]
    code, out = _at_a_terminal(project, args, "UA\nngo\nUnited Kingdom\n")
    assert code == 0, out
    assert "--country: 'Ukrain' is not a country: did you mean 'UA' (Ukraine)? Country" in out  # asked again
    assert "'Amnesty International' is a new party. What kind" in out and "Country of 'Amnesty International'" in out
    parties = yaml.safe_load((project / "claims" / "parties.yml").read_text())
    assert parties["amnesty-international"] == {"name": "Amnesty International", "kind": "ngo", "country": "GB"}
    [name] = drafts(project)
    assert front_matter(project / "claims" / name)["incident"]["country"] == "UA"


def test_help_lists_every_flag_with_examples() -> None:
    done = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "new", "--help"], capture_output=True,
                          text=True)
    assert done.returncode == 0
    for flag in ("--claim ", "--claimed-on", "--status", "--verdict", "--source-title", "--source-publisher",
                 "--source-url", "--source-date", "--source-kind", "--source-stance", "--party-kind",
                 "--party-country", "--add-parties"):
        assert flag in done.stdout, flag
    examples = done.stdout.split("example:", 1)[1]
    assert "--claimed-on 2022-02-28 --source-title" in examples and "--party-kind ngo" in examples
