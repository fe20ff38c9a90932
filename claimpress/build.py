"""The build: check -> model -> render -> write docs/ -> MkDocs into site/, all or nothing.

Everything is checked before anything is written. Pages are then made as they are rendered, aside,
and moved into docs/ in two bursts (the claim pages, then the rest); if a template fails part way,
or MkDocs fails afterwards, every file moved into docs/ is put back (write.Changes), and site/ is
never touched.
"""
from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import write
from .cache import BuildStamp, PageStamps, Remembered, Store
from .config import load_config
from .diagnostics import format_diagnostics, summary
from .rules import latest_allowed_date

if TYPE_CHECKING:
    from .check import CheckResult


@dataclass
class Generated:
    check: CheckResult | None      # None when nothing changed since the last generation
    changes: write.Changes | None  # None when the check or the templates failed


def generate(root: Path, undoable: bool = False, remembered: Remembered | None = None) -> Generated:
    """Check, then render and write the generated pages under docs/. Prints the diagnostics.

    When nothing that the last generation read has changed (claims, registries, templates,
    mkdocs.yml, the code, the date), and nothing it wrote has been touched, it is not done again.
    With `undoable`, the caller must end with `changes.commit()` or `changes.rollback()`.
    The preview passes the same `remembered` to each generation: what did not change is reused."""
    stamp = BuildStamp(root)
    inputs = stamp.inputs(latest_allowed_date().isoformat())
    report = stamp.unchanged(inputs)
    if report is not None:
        sys.stderr.write(report)
        print("docs/: 0 written, 0 removed (nothing changed since the last build)", file=sys.stderr)
        return Generated(None, write.Changes(root / "docs"))
    # Imported only now: they are a third of a second, and the answer above must come in under one.
    import jinja2

    from . import render
    from .check import check_project
    from .model import build_catalog

    result = check_project(root, packed=True, remembered=remembered)
    report = format_diagnostics(result.diagnostics, "text") + summary(result.diagnostics, result.files) + "\n"
    sys.stderr.write(report)
    if result.errors:
        print("not generated: fix the errors above; the site is unchanged", file=sys.stderr)
        return Generated(result, None)
    # The model holds no cycles, so the cycle collector would only rescan a growing heap while it is
    # built (at 50,000 claims, half the modelling time), and walk the whole catalog again at each
    # collection while pages are made (a second each). So it is off while the catalog is built, and
    # the catalog is then frozen out of its sight; forked workers do not copy its memory pages either.
    collecting = gc.isenabled()
    gc.disable()
    try:
        catalog = build_catalog(result, remembered)  # takes the loaded claims out of `result`: one copy in memory
        gc.freeze()
    finally:
        if collecting:
            gc.enable()
    try:
        store = Store(root)
        stamps = PageStamps(store, root / "docs")
        try:
            # Pages are made as they are rendered: the whole site is never in memory at once.
            files = render.render_site(catalog, root / "templates", load_config(root), store, stamps, remembered)
            changes = write.apply(root / "docs", render.GENERATED, files,
                                  work=store.path.parent if store.usable else None)
            stamps.record()
        except jinja2.TemplateSyntaxError as exc:
            store.close()
            print(f"templates/{exc.name}:{exc.lineno}: error: {exc.message} [template]", file=sys.stderr)
            return Generated(result, None)
        except jinja2.TemplateError as exc:
            store.close()
            print(f"templates: error: {exc} [template]", file=sys.stderr)
            return Generated(result, None)
        except BaseException:
            store.close()
            raise
        store.close(prune=("analyses", "pages"))  # every page made: entries no page used are stale
        if not undoable:
            changes.commit()
        kept = stamps.skipped
        skipped = f" ({kept['claims']} claim pages and {kept['browse']} facet pages not rendered: nothing they show " \
                  "changed)" if kept else ""
        print(f"docs/: {changes.summary()}{skipped}", file=sys.stderr)
        stamp.save(inputs, changes.generated, report)
        return Generated(result, changes)
    finally:
        gc.unfreeze()  # for the next generation in the same process (the preview)


def build_site(root: Path, site_dir: Path | None = None) -> int:
    """Generate, then build the site with MkDocs --strict; on any failure docs/ and site/ stay as they were."""
    target = (site_dir or root / "site").resolve()
    problem = unsafe_site_dir(root.resolve(), target)
    if problem:
        print(f"build_claims.py build: error: --site-dir {target}: {problem}", file=sys.stderr)
        return 2
    generated = generate(root, undoable=True)
    if generated.changes is None:
        return 1
    staging = target.with_name(f".{target.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    # A separate process keeps MkDocs' logging and plugin state out of ours; --strict turns
    # every warning (a broken link, a missing page) into a failure.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # a notice about the theme's future, not about this site
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                           "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(staging)], cwd=root, env=env)
    if done.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        generated.changes.rollback()
        print("build failed: MkDocs reported the problems above; docs/ and the previous site are unchanged",
              file=sys.stderr)
        return 1
    generated.changes.commit()
    _swap(staging, target)
    print(f"built {target} - open {target / 'index.html'}, or run: python -m http.server -d {target}",
          file=sys.stderr)
    return 0


def unsafe_site_dir(root: Path, target: Path) -> str:
    """Why `target` must not receive the site (it is replaced whole), or "" when it may."""
    if target == root or target in root.parents:
        return "it holds the project; the site folder is replaced whole"
    for name in ("claims", "docs", "templates", "overrides", ".git"):
        if target == root / name or root / name in target.parents:
            return f"it is or is inside {name}/"
    if target.exists() and not target.is_dir():  # mkdocs.yml, say: it would be moved aside and lost
        return "it is a file; the site is a folder"
    if target.is_dir() and any(target.iterdir()) and not (target / "sitemap.xml").exists():
        return "it is a folder that holds something other than a site built before; choose an empty folder"
    return ""


def _swap(staging: Path, target: Path) -> None:
    """Replace `target` with `staging` by renames, so readers of `target` never see half a site."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
