"""The scaffold's text is never published: a claim without `draft: true` that still holds a placeholder,
a comment or the analysis of the project's templates/new-claim.md is an error (scaffold-text)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE, make_project
from sitebuild import copy_project

from claimpress.check.project import check_project

SCAFFOLD = REPO / "templates" / "new-claim.md"
FILLED = ("claim: The Gazette says rockets hit the market.\nclaimed_on: 2022-02-28\nevidence:\n"
          "  - {title: Rockets on the market, publisher: The Gazette, published: 2022-02-28, kind: media-report,"
          " stance: supports}\n")


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build_claims.py"), *args], cwd=root, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL)


def new_claim(root: Path) -> Path:
    """A claim as `new` writes it, then filled in as a contributor would, `draft: true` removed, the
    scaffold's comment and analysis left in."""
    done = run(root, "new", "--title", "The Gazette reports rockets on the Kharkiv market", "--claimant", "daily-mail",
               "--accused", "russian-armed-forces", "--incident-date", "2022-02-28", "--country", "UA",
               "--category", "cluster-munitions", "--location", "Kharkiv")
    assert done.returncode == 0, done.stderr
    path = root / done.stdout.strip()
    text = path.read_text()
    assert "draft: true\n" in text
    path.write_text(text.replace("draft: true\n", FILLED))
    return path


def scaffold_errors(root: Path) -> list[str]:
    done = run(root, "check")
    return [line for line in done.stdout.splitlines() if "error:" in line]


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p", SAMPLE)


def test_a_claim_made_by_new_is_refused_while_it_holds_the_scaffold_text(sample: Path) -> None:
    path = new_claim(sample)
    done = run(sample, "check")
    assert done.returncode == 1
    errors = [line for line in done.stdout.splitlines() if ": error: " in line]
    lines = path.read_text().splitlines()
    comment = next(i for i, line in enumerate(lines, 1) if line.startswith("# Still to write"))
    analysis = next(i for i, line in enumerate(lines, 1) if line.startswith("What the sources say"))
    name = f"claims/{path.name}"
    assert errors == [
        f"{name}:{comment}:1: error: still holds the comment '# Still to write: what `python build_claims.py check` "
        "lis...' of templates/new-claim.md; remove it once the claim is written, or set draft: true [scaffold-text]",
        f"{name}:{analysis}:1: error: the analysis still holds 'What the sources say, what they do not say, and why "
        "the c...', a placeholder of templates/new-claim.md; write the analysis, or set draft: true while the claim "
        "is unfinished [scaffold-text]"]
    # Written: the comment gone, the analysis the contributor's own. Then it is published.
    text = path.read_text()
    text = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("# "))
    path.write_text(text.replace("What the sources say, what they do not say, and why the claim has its status.",
                                 "The Gazette reports rockets on the market."))
    done = run(sample, "check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert path.name not in "\n".join(line for line in done.stdout.splitlines() if ": error: " in line)


def test_a_draft_may_hold_the_scaffold_text(sample: Path) -> None:
    done = run(sample, "new", "--title", "A draft", "--claimant", "daily-mail", "--accused", "russia",
               "--incident-date", "2022", "--country", "UA", "--category", "cluster-munitions")
    assert done.returncode == 0, done.stderr
    assert "What the sources say" in (sample / done.stdout.strip()).read_text()
    assert run(sample, "check").returncode == 0


def test_a_copy_of_the_scaffold_is_refused_for_its_placeholders_not_its_defaults(sample: Path) -> None:
    copy = sample / "claims" / "accused-weapon-place-year.md"
    copy.write_text("".join(line for line in SCAFFOLD.read_text().splitlines(keepends=True)
                            if not line.startswith("draft: true")))
    result = check_project(sample, only=[copy])
    found = {d.message.split(":")[0] for d in result.diagnostics if d.code == "scaffold-text"}
    assert {"id", "title", "claim", "claimant", "accused[0]", "incident.location", "incident.country",
            "categories[0]", "evidence[0].title", "evidence[0].publisher", "evidence[0].url",
            "evidence[0].archive_url"} <= found
    # Defaults to keep are no placeholders: a rating id of the registry, allowed choices.
    assert not found & {"status", "evidence[0].kind", "evidence[0].stance"}
    comments = [d for d in result.diagnostics if d.code == "scaffold-text" and "comment" in d.message]
    assert [d.line for d in comments] == [2, 26]  # one error for each block of the scaffold's comment lines


def test_the_text_is_read_from_the_projects_own_scaffold(sample: Path) -> None:
    """A fork that rewrites its scaffold has its own words refused, not claimpress's."""
    scaffold = sample / "templates" / "new-claim.md"
    scaffold.write_text(SCAFFOLD.read_text().replace(
        "What the sources say, what they do not say, and why the claim has its status.",
        "Ecrivez ici l'analyse: ce que disent les sources, et pourquoi.").replace(
        "location: Place, as the sources name it", "location: Lieu"))
    path = new_claim(sample)
    assert "Ecrivez ici" in path.read_text()
    text = path.read_text().replace("location: Kharkiv", "location: Lieu")
    path.write_text(text + "\nWhat the sources say, what they do not say, and why the claim has its status.\n")
    errors = scaffold_errors(sample)
    assert any("incident.location: still holds 'Lieu'" in e for e in errors), errors
    assert any("the analysis still holds 'Ecrivez ici" in e for e in errors), errors
    assert not any("What the sources say" in e for e in errors), errors


@pytest.mark.parametrize("scaffold", ["", "---\n---\n", "---\ndraft: true\n---\n", "not a scaffold", "---\n[\n---\n",
                                      "---\ntitle: x\n---\n\nAnalysis\n\n---\n\n#\n"])
def test_an_emptied_or_broken_scaffold_refuses_nothing(sample: Path, scaffold: str) -> None:
    (sample / "templates" / "new-claim.md").write_text(scaffold)
    path = new_claim(sample)
    # The analysis written: a heading, and the scaffold's one word used in a sentence.
    path.write_text(path.read_text().split("\n---\n", 1)[0] + "\n---\n\n## Analysis\n\nAnalysis of the x report.\n")
    done = run(sample, "check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_short_placeholder_counts_only_as_a_whole_paragraph(sample: Path) -> None:
    (sample / "templates" / "new-claim.md").write_text("---\ndraft: true\n---\n\nTo write.\n")
    path = new_claim(sample)
    assert path.read_text().endswith("---\n\nTo write.\n")
    assert len(scaffold_errors(sample)) == 1
    path.write_text(path.read_text().replace("To write.", "Some claims are hard to write. To write. Yes."))
    assert scaffold_errors(sample) == []


def test_the_check_cache_knows_the_scaffold(sample: Path) -> None:
    """The same claim, checked again after the scaffold changed, is judged by the new scaffold."""
    path = new_claim(sample)
    assert len(scaffold_errors(sample)) == 2
    (sample / "templates" / "new-claim.md").write_text("---\ndraft: true\n---\n")
    assert scaffold_errors(sample) == []
    assert path.is_file()


def test_a_project_without_a_scaffold_checks_as_before(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    assert not (root / "templates").exists()
    assert check_project(root).errors == []
