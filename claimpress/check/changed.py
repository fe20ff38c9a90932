"""`check --changed`: the problems a change brings, for a pull request to see its own first.

Reported: every problem in a file changed since the base (committed, staged, unstaged or new),
and any problem elsewhere that the base did not have (a party removed that other claims use).
The base is checked from git's copy of it, in a temporary folder.
"""
from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from ..diagnostics import Diagnostic
from .project import CheckResult, check_files, check_project


class GitError(Exception):
    pass


def _git(root: Path, *args: str) -> bytes:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True)
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed")
    return done.stdout


def default_base(root: Path) -> str:
    """The merge base with the main branch (origin/main, main, origin/master or master)."""
    for branch in ("origin/main", "main", "origin/master", "master"):
        try:
            return _git(root, "merge-base", "HEAD", branch).decode().strip()
        except GitError:
            continue
    raise GitError("no main branch to compare with; name the base: check --changed REF")


def changed_paths(root: Path, base: str) -> set[str]:
    """Paths (relative to the project) of claims, registries and settings changed since `base`."""
    scope = ("claims", "mkdocs.yml")
    diff = _git(root, "diff", "--name-only", "--relative", "--no-renames", base, "--", *scope)
    new = _git(root, "ls-files", "--others", "--exclude-standard", "--", *scope)
    return {line for line in (diff + new).decode("utf-8", "replace").splitlines() if line}


def _check_base(root: Path, base: str) -> CheckResult:
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    archive = _git(root, "archive", "--format=tar", f"{base}:{prefix}" if prefix else base)
    with tempfile.TemporaryDirectory(prefix="claimpress-base-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            members = [m for m in tar.getmembers()
                       if (m.name == "mkdocs.yml" or m.name.startswith("claims/")) and (m.isfile() or m.isdir())]
            tar.extractall(tmp, members=members, filter="data")
        (Path(tmp) / "claims").mkdir(exist_ok=True)
        return check_files(Path(tmp))  # no caches: the folder goes at once


def _key(d: Diagnostic) -> tuple:
    return (d.path, d.severity, d.code, d.message)


def check_changed(root: Path, base: str | None = None) -> tuple[CheckResult, str, set[str]]:
    """(the result with only the change's diagnostics, the base used, the changed paths). Raises GitError."""
    base = base or default_base(root)
    _git(root, "rev-parse", "--verify", f"{base}^{{commit}}")
    changed = changed_paths(root, base)
    now = check_project(root, documents=False)
    before = {_key(d) for d in _check_base(root, base).diagnostics}
    now.diagnostics = [d for d in now.diagnostics if d.path in changed or _key(d) not in before]
    return now, base, changed
