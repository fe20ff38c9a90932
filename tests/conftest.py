"""Shared helpers: throw-away projects built from tests/fixtures/project (or sample/), and running check.

No test reads the repository's own claims/ but tests/integration/test_seeds.py: a fork that adds, corrects or
removes claims keeps a green suite (tests/integration/test_fork.py shows it)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from claimpress.check.project import CheckResult, check_project

REPO = Path(__file__).resolve().parent.parent
# mkdocs.yml takes site_url from SITE_URL when it is set (the Pages workflow sets it): the tests
# expect the address written there, whatever the shell running them has.
os.environ.pop("SITE_URL", None)
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The five sample claims and their registries, copied from claims/: what the site tests count on.
SAMPLE = FIXTURES / "sample" / "claims"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes a minute or more; still in the default run")


def make_project(root: Path, *claim_files: Path) -> Path:
    """A project with the test registries, the two valid claims, and `claim_files` added to claims/."""
    shutil.copytree(FIXTURES / "project", root, dirs_exist_ok=True)
    for path in claim_files:
        shutil.copy(path, root / "claims" / path.name)
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def check_file(root: Path, name: str) -> CheckResult:
    return check_project(root, only=[root / "claims" / name])


def front_matter(path: Path) -> dict:
    """A claim's front matter, read independently of claimpress (PyYAML, as a consumer would)."""
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text[4:text.index("\n---\n", 4)])


def many_files(folder: Path, count: int) -> None:
    """A folder whose deletion takes a while: `count` files in folders of 1,000."""
    for number in range(count):
        if number % 1000 == 0:
            (folder / str(number)).mkdir(parents=True)
        (folder / str(number - number % 1000) / f"{number}.html").write_bytes(b"x")


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample claims (tests/fixtures/sample), built into a site (check, render, MkDocs) in a temporary copy."""
    from sitebuild import build, copy_project

    root = copy_project(tmp_path_factory.mktemp("sample"), SAMPLE)
    done = build(root)
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test claims (tests/fixtures/project and hostile/) built into a site, with an edit link set."""
    from sitebuild import build, fixture_project

    root = fixture_project(tmp_path_factory.mktemp("fixture"))
    config = (root / "mkdocs.yml").read_text().replace("edit_url: null", "edit_url: https://example.org/edit/main/")
    (root / "mkdocs.yml").write_text(config)
    done = build(root)
    assert done.returncode == 0, done.stderr
    return root
