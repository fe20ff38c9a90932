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


MAIN_BRANCHES = ("origin/main", "main", "origin/master", "master")
EXAMPLE = "e.g. --changed origin/main"


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH); --changed needs it, or run check without "
                       "--changed") from None
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed")
    return done.stdout


def _commit(root: Path, ref: str) -> str | None:
    """The commit `ref` names, or None."""
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip() or None
    except GitError:
        return None


def _exists(root: Path, obj: str) -> bool:
    try:
        _git(root, "cat-file", "-e", obj)
    except GitError:
        return False
    return True


def _require_repository(root: Path) -> None:
    """GitError, saying what to do, unless `root` is in a git work tree with a commit."""
    try:
        _git(root, "rev-parse", "--is-inside-work-tree")
    except GitError:
        raise GitError(f"{root} is not in a git repository; --changed compares with a git commit, so it needs "
                       "one (clone the project with git), or run check without --changed") from None
    if _commit(root, "HEAD") is None:
        raise GitError("this git repository has no commit yet; commit once, then compare with a branch, or run "
                       "check without --changed")


def default_base(root: Path) -> str:
    """The merge base with the main branch (origin/main, main, origin/master or master)."""
    found = [branch for branch in MAIN_BRANCHES if _commit(root, branch) is not None]
    for branch in found:
        try:
            return _git(root, "merge-base", "HEAD", branch).decode().strip()
        except GitError:
            continue
    tried = ", ".join(MAIN_BRANCHES[:-1]) + f" and {MAIN_BRANCHES[-1]}"
    if found:  # there, but no commit in common: a shallow clone, most often
        raise GitError(f"HEAD has no commit in common with {found[0]} (a shallow clone? fetch the history with "
                       f"`git fetch --unshallow`), or name the base: --changed REF, {EXAMPLE}")
    raise GitError(f"no main branch to compare with (tried {tried}); name the base: --changed REF, a branch, "
                   "tag or commit, e.g. --changed origin/develop")


def changed_paths(root: Path, base: str) -> set[str]:
    """Paths (relative to the project) of claims, registries and settings changed since `base`."""
    scope = ("claims", "mkdocs.yml")
    diff = _git(root, "diff", "--name-only", "--relative", "--no-renames", base, "--", *scope)
    new = _git(root, "ls-files", "--others", "--exclude-standard", "--", *scope)
    return {line for line in (diff + new).decode("utf-8", "replace").splitlines() if line}


def _check_base(root: Path, base: str) -> CheckResult:
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    tree = f"{base}:{prefix}" if prefix else base
    # The project's folder may be new since the base, or hold nothing (git makes a tar that tarfile
    # refuses of an empty tree): then the base has no claims at all.
    held = _exists(root, tree) and _git(root, "ls-tree", "--name-only", tree, "--", "claims", "mkdocs.yml")
    archive = _git(root, "archive", "--format=tar", tree) if held else b""
    with tempfile.TemporaryDirectory(prefix="claimpress-base-") as tmp:
        if archive:
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
    _require_repository(root)
    if base:
        commit = _commit(root, base)
        if commit is None:
            fetch = " (a remote's branch: fetch it first, git fetch)" if "/" in base else ""
            raise GitError(f'no commit "{base}" in this repository{fetch}; give a branch, tag or commit, {EXAMPLE}')
        base = commit  # the commit, not the name: a name that starts with "-" is never read as an option
    base = base or default_base(root)
    changed = changed_paths(root, base)
    now = check_project(root, documents=False)
    before = {_key(d) for d in _check_base(root, base).diagnostics}
    now.diagnostics = [d for d in now.diagnostics if d.path in changed or _key(d) not in before]
    return now, base, changed
