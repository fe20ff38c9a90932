"""The build: check, then publish docs/ with MkDocs into site/, all or nothing."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .check import check_project
from .diagnostics import format_diagnostics, summary


def build_site(root: Path, site_dir: Path | None = None) -> int:
    """Check the claims and build the site; on any failure the previous site stays as it was."""
    result = check_project(root)
    sys.stderr.write(format_diagnostics(result.diagnostics, "text"))
    print(summary(result.diagnostics, result.files), file=sys.stderr)
    if result.errors:
        print("build refused: fix the errors above; the previous site is unchanged", file=sys.stderr)
        return 1
    target = (site_dir or root / "site").resolve()
    staging = target.with_name(f".{target.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    # A separate process keeps MkDocs' logging and plugin state out of ours; --strict turns
    # every warning (a broken link, a missing page) into a failure.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # a notice about the theme's future, not about this site
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                           "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(staging)], cwd=root, env=env)
    if done.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print("build failed: MkDocs reported the problems above; the previous site is unchanged", file=sys.stderr)
        return 1
    _swap(staging, target)
    print(f"built {target} - open {target / 'index.html'}, or run: python -m http.server -d {target}",
          file=sys.stderr)
    return 0


def _swap(staging: Path, target: Path) -> None:
    """Replace `target` with `staging` by renames, so readers of `target` never see half a site."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
