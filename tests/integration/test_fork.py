"""A newsroom forks the repository and adds its own claims: its `make test` stays green.

The fork is a copy of the repository's files. A claim and a new party are added as CONTRIBUTING.md
says (`new --add-parties`, fill in what `check` asks for, `fmt`, `check`), and the test modules
that once counted on the repository's claims run in the copy, in a pytest of their own.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from conftest import REPO, SAMPLE, front_matter

from claimpress.write import GENERATED

pytestmark = pytest.mark.slow

# Set in the copy's pytest: a fork test run there would copy the copy, and so on.
INSIDE = "CLAIMPRESS_INSIDE_FORK_TEST"
# The modules that read claims/ or built the site from it: the ones a fork's new claim broke.
# Not test_fork.py itself, whatever INSIDE says.
MODULES = ["tests/integration/test_seeds.py", "tests/integration/test_site.py", "tests/integration/test_docs.py",
           "tests/authoring/test_importer.py"]
# Never copied: what a build, a venv or a test run leaves in the repository's folder.
LEFT_BY_RUNS = {".git", ".venv", "site", ".site.building", ".site.old", ".cache", ".pytest_cache", ".hypothesis"}

if os.environ.get(INSIDE):
    pytest.skip("already inside a fork's copy of the repository", allow_module_level=True)


def _files() -> list[str] | None:
    """The repository's files as git knows them (tracked, and new ones not ignored); None without git."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                                capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return [name for name in listed.decode().split("\0") if name]


def _ignored(folder: str, names: list[str]) -> list[str]:
    here = Path(folder)
    left = LEFT_BY_RUNS if here == REPO else set(GENERATED) if here == REPO / "docs" else set()
    replaced = here == REPO  # a site a build replaced, until a process of its own has deleted it
    return [n for n in names if n in left or n == "__pycache__" or (replaced and n.startswith(".site.old."))]


def copy_repository(dest: Path) -> Path:
    files = _files()
    if files is None:  # a download without git: the files, less what runs leave behind
        shutil.copytree(REPO, dest, ignore=_ignored, symlinks=True)
        return dest
    for name in files:
        source = REPO / name
        if source.is_file() and not source.is_symlink():  # a tracked file deleted in the work tree is skipped
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build_claims.py", *args], cwd=root, capture_output=True, text=True)


def add_claim_and_party(root: Path) -> tuple[str, str]:
    """CONTRIBUTING.md's worked example, for a new claim by a newspaper not yet in parties.yml."""
    done = run(root, "new", "--title", "The Example Gazette reports cluster rockets on a Kharkiv district",
               "--claimant", "The Example Gazette", "--accused", "Russian armed forces", "--incident-date",
               "2022-03-01", "--country", "Ukraine", "--category", "cluster-munitions", "--location", "Kharkiv",
               "--add-parties", "--party-kind", "media", "--party-country", "UA")
    assert done.returncode == 0, done.stdout + done.stderr
    [path] = [root / line for line in done.stdout.split() if line.startswith("claims/") and line.endswith(".md")]
    data = front_matter(path)
    party = data["claimant"]
    parties_file = root / "claims" / "parties.yml"
    parties = parties_file.read_text(encoding="utf-8")
    assert yaml.safe_load(parties)[party] == {"name": "The Example Gazette", "kind": "media", "country": "UA"}
    # "check the kind and country, and add aliases", as the comment `new` wrote above it asks.
    start = parties.index(f"\n{party}:\n")
    block = re.sub(r"(?m)^  country: .*$", "  country: UA\n  aliases: [Example Gazette]", parties[start:], count=1)
    parties_file.write_text(parties[:start] + block, encoding="utf-8")
    # Fill in what check asks for (claim, claimed_on, evidence), rate it, write the analysis, and
    # remove draft: true. A real source is online: it has an address and an archived copy.
    data.pop("draft")
    address = "https://example.org/2022/03/01/kharkiv-cluster-rockets"
    data.update({
        "claim": 'Russian forces fired "rockets carrying cluster munitions into the Saltivka district" of Kharkiv.',
        "claimed_on": "2022-03-01",
        "status": "single-source",
        "verdict": "One newspaper reports the attack; no second independent source is cited yet.",
        "evidence": [{"title": "Cluster rockets hit Saltivka", "publisher": "The Example Gazette", "url": address,
                      "archive_url": f"https://web.archive.org/web/20220301120000/{address}",
                      "published": "2022-03-01", "kind": "media-report", "stance": "supports", "party": party}],
    })
    data["incident"]["coordinates"] = [50.0, 36.3]
    analysis = ('## What the source reports\n\nThe Gazette reports that "residents counted dozens of small '
                'bomblets" in the streets.\n')
    path.write_text("---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n" + analysis,
                    encoding="utf-8")
    assert run(root, "fmt").returncode == 0
    checked = run(root, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert path.name not in checked.stdout, checked.stdout  # not a draft, and nothing left to fix
    return data["id"], party


def pytest_in(root: Path, tmp_path: Path, *modules: str) -> tuple[subprocess.CompletedProcess, list[ET.Element]]:
    """The copy's own tests, run by a pytest of its own; with the outcome of each test."""
    report = tmp_path / "report.xml"
    done = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                           "--basetemp", str(tmp_path / "pytest"), f"--junitxml={report}", *modules],
                          cwd=root, capture_output=True, text=True, env={**os.environ, INSIDE: "1"}, timeout=1800)
    return done, list(ET.parse(report).iter("testcase")) if report.exists() else []


def _skipped(case: ET.Element) -> ET.Element | None:
    return case.find("skipped")


def test_a_fork_that_adds_a_claim_and_a_party_passes_its_tests(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "fork")
    assert (root / "claims").is_dir() and not (root / ".git").exists()
    cid, party = add_claim_and_party(root)
    # The new claim is one that broke the old tests: Russia's facet now counts 4, it has an address.
    assert (root / "claims" / f"{cid}.md").is_file() and party not in yaml.safe_load((SAMPLE / "parties.yml").read_text())
    done, cases = pytest_in(root, tmp_path, *MODULES)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert {c.get("classname").split(".")[-1] for c in cases} == {Path(m).stem for m in MODULES}
    # The fork kept the sample claims: their faithfulness checks ran, none skipped.
    seeds = [c for c in cases if c.get("classname").endswith("test_seeds") and "[" in c.get("name")]
    assert len(seeds) >= 5 * 5 and not [c.get("name") for c in seeds if _skipped(c) is not None]


def test_a_fork_that_removed_the_sample_claims_skips_their_checks(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "fork")
    cid, _ = add_claim_and_party(root)
    for path in SAMPLE.glob("*.md"):  # each sample claim, and its translations (claims/<id>.<tag>.md) with it
        for name in [path.name, *(p.name for p in (root / "claims").glob(f"{path.stem}.*.md"))]:
            (root / "claims" / name).unlink()
    left = {p.stem for p in (root / "claims").glob("*.md")}  # the new claim, and any the fork had
    assert cid in left and not left & {p.stem for p in SAMPLE.glob("*.md")}
    done, cases = pytest_in(root, tmp_path, "tests/integration/test_seeds.py")
    assert done.returncode == 0, done.stdout + done.stderr
    per_id = [c for c in cases if "[" in c.get("name")]
    assert per_id and all(_skipped(c) is not None for c in per_id)
    assert all("not in this repository" in _skipped(c).get("message") for c in per_id)
    # The checks that hold for any claim still ran, on the fork's own.
    ran = {c.get("name") for c in cases if _skipped(c) is None}
    assert {"test_repository_claims_have_no_errors", "test_repository_claims_are_canonical"} <= ran
