"""Shared helpers: a throw-away project built from tests/fixtures/project, and running check on it."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from claimpress.check import CheckResult, check_project

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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
