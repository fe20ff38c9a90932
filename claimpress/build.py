"""The build: check -> model -> render -> write docs/ -> MkDocs into site/, all or nothing.

Everything is checked before anything is written. Pages are then made as they are rendered, aside,
and moved into docs/ in two bursts (the claim pages, then the rest); if a template fails part way,
or MkDocs (or ProperDocs: engine.py) fails afterwards, every file moved into docs/ is put back
(write.Changes), and site/ is never touched. One build or preview generation at a time writes in a
project (guard.build_lock).
"""
from __future__ import annotations

import contextlib
import dataclasses
import errno
import gc
import glob
import json
import os
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from . import write
from .cache import BuildStamp, Remembered, SiteStamp
from .check.rules import latest_allowed_date
from .config import PAGES_PER_SEARCH_INDEX, load_config
from .diagnostics import Diagnostic, format_diagnostics, summary
from .engine import MKDOCS, Engine
from .files import remove_later
from .guard import (
    CACHE_REMEDY,
    Refused,
    build_lock,
    cache_paths,
    explain,
    refuse_links,
    refuse_links_in_sources,
    warn_once,
)
from .machine import give_memory_back
from .pages_record import PAGES_RECORD, Previous, give_previous, read_this
from .render.links import language_folders
from .search.index import SearchError, index_site
from .search.parts import BUNDLE
from .sitemap import split_sitemap

if TYPE_CHECKING:
    from .cache.session import Session
    from .check.project import CheckResult


@dataclasses.dataclass
class Generated:
    check: CheckResult | None      # None when nothing changed since the last generation
    changes: write.Changes | None  # None when the check or the templates failed


class Report(Protocol):
    """What a generation tells of its check: FullReport, or the preview's (preview_problems.py),
    which prints only what changed since the last save and shows the errors in the browser."""

    def checked(self, diagnostics: list[Diagnostic], files: int) -> None: ...

    def not_generated(self) -> None: ...


class FullReport:
    """Every problem, as `check` prints them."""

    def checked(self, diagnostics: list[Diagnostic], files: int) -> None:
        sys.stderr.write(format_diagnostics(diagnostics, "text") + summary(diagnostics, files) + "\n")

    def not_generated(self) -> None:
        print("not generated: fix the errors above; the site is unchanged", file=sys.stderr)


def generate(root: Path, undoable: bool = False, remembered: Remembered | None = None,
             report: Report | None = None) -> Generated:
    """Check, then render and write the generated pages under docs/. Prints the diagnostics.

    When nothing that the last generation read has changed (claims, registries, templates,
    mkdocs.yml, the code, the date), and nothing it wrote has been touched, it is not done again.
    Else the stages (check, model, render) run inside one cache session (cache.session), which
    wraps each where it may reuse the last runs' work.
    With `undoable`, the caller must end with `changes.commit()` or `changes.rollback()`.
    The preview passes the same `remembered` to each generation: what did not change is reused,
    and its own `report`."""
    refuse_links(root, cache_paths(root), CACHE_REMEDY)
    refuse_links_in_sources(root, write.GENERATED)
    with build_lock(root):
        return _generate(root, undoable, remembered, report or FullReport())


def _generate(root: Path, undoable: bool, remembered: Remembered | None, told: Report) -> Generated:
    stamp = BuildStamp(root)
    inputs = stamp.inputs(latest_allowed_date().isoformat())
    saved = _diagnostics_of(stamp.unchanged(inputs))
    if saved is not None:
        told.checked(*saved)
        print("docs/: 0 written, 0 removed (nothing changed since the last build)", file=sys.stderr)
        return Generated(None, write.Changes(root / "docs"))
    # Imported only now: they are a third of a second, and the answer above must come in under one.
    from .cache.session import Session

    with Session(root, memory=remembered) as caches:
        generated, report = _stages(root, caches, told)
    if generated.changes is None:
        return generated
    if not undoable:
        generated.changes.commit()
    kept = caches.skipped
    skipped = f" ({kept['claims']} claim pages and {kept['browse']} facet pages not rendered: nothing they show " \
              "changed)" if kept else ""
    print(f"docs/: {generated.changes.summary()}{skipped}", file=sys.stderr)
    try:
        stamp.save(inputs, generated.changes.generated, report)
    except OSError:  # a read-only .cache: the next build only takes longer
        warn_once(f"cannot use the cache in {stamp.path.parent}; building without it, which is slower")
    return generated


def _diagnostics_of(report: str | None) -> tuple[list[Diagnostic], int] | None:
    """The diagnostics and the number of files of a check's report as the stamp keeps it (JSON):
    the preview tells what changed since, and needs them as data. None if there is none."""
    if report is None:
        return None
    try:
        saved = json.loads(report)
        return [Diagnostic(*fields) for fields in saved["diagnostics"]], int(saved["files"])
    except (ValueError, TypeError, KeyError):  # another version's stamp: generate again
        return None


def _stages(root: Path, caches: Session, told: Report) -> tuple[Generated, str]:
    """Check, model, render and write docs/, each stage wrapped by `caches`: what was generated
    (no changes when the check or the templates failed), and the check's report, for the stamp."""
    import jinja2

    from .check.project import check_files
    from .model import build_catalog
    from .render import site as render
    from .render.topojson import ShapesError

    result = check_files(root, around=caches.check)
    told.checked(result.diagnostics, result.files)
    report = json.dumps({"files": result.files, "diagnostics": [dataclasses.astuple(d) for d in result.diagnostics]})
    if result.errors:
        told.not_generated()
        return Generated(result, None), report
    # The model holds no cycles, so the cycle collector would only rescan a growing heap while it is
    # built (at 50,000 claims, half the modelling time), and walk the whole catalog again at each
    # collection while pages are made (a second each). So it is off while the catalog is built, and
    # the catalog is then frozen out of its sight; forked workers do not copy its memory pages either.
    collecting = gc.isenabled()
    gc.disable()
    try:
        catalog = caches.model(result, build_catalog)  # takes the loaded claims out of `result`: one copy in memory
        gc.freeze()
    finally:
        if collecting:
            gc.enable()
    if caches.store.db is None:
        warn_once(f"cannot use the cache in {caches.store.path.parent}; building without it, which is slower")
    try:
        templates, config = root / "templates", load_config(root)
        # Pages are made as they are rendered: the whole site is never in memory at once.
        files = render.render_site(catalog, templates, config, caches.reuse(catalog, templates, config))
        owned = write.GENERATED + render.language_folders(config, root / "docs")
        changes = write.apply(root / "docs", owned, caches.recorded(files),
                              work=caches.store.path.parent if caches.store.usable else None)
        caches.rendered()  # every page made: entries no page used are stale
        return Generated(result, changes), report
    except ShapesError as exc:  # the claim pages' map shapes (docs/, which a pull request can change)
        print(exc, file=sys.stderr)
    except jinja2.TemplateSyntaxError as exc:
        print(f"templates/{exc.name}:{exc.lineno}: error: {exc.message} [template]", file=sys.stderr)
    except jinja2.TemplateError as exc:
        print(f"templates: error: {exc} [template]", file=sys.stderr)
    finally:
        gc.unfreeze()  # for the next generation in the same process (the preview)
    return Generated(result, None), report


def build_site(root: Path, site_dir: Path | None = None, engine: Engine = MKDOCS, search: bool = True) -> int:
    """Generate, then build the site with `engine` (MkDocs by default), --strict; on any failure docs/ and
    site/ stay as they were. Without `search`, no search index: a site that proves it builds, not one
    to publish."""
    given = Path(os.path.abspath(site_dir or root / "site"))
    target = given.parent.resolve() / given.name  # the folder itself, not where a link there points
    staging = target.with_name(f".{target.name}.building")
    old = target.with_name(f".{target.name}.old")
    refuse_links(root, [target, staging, old], "remove it, or build into a real folder (--site-dir)")
    problem = unsafe_site_dir(root.resolve(), target)
    if not problem:
        with build_lock(root):
            _recover(target, staging, old)
            problem = unsafe_site_dir(root.resolve(), target)  # the site may be back: see _recover
            if not problem:
                return _build_site(root, target, staging, engine, search)
    print(f"build_claims.py build: error: --site-dir {target}: {problem}", file=sys.stderr)
    return 2


def _build_site(root: Path, target: Path, staging: Path, engine: Engine, search: bool) -> int:
    """The build, under the lock, into `staging` and then `target`."""
    changes: write.Changes | None = None
    in_place = False
    record: str | None = None
    try:
        changes = generate(root, undoable=True).changes
        if changes is None:
            return 1
        give_memory_back()  # the generation's, before MkDocs' and Pagefind's peaks
        owned = write.GENERATED + language_folders(load_config(root), root / "docs")
        stamp = SiteStamp(root, target, f"{engine.name} search={search}")
        inputs = stamp.inputs(owned)
        if stamp.unchanged(inputs):  # the same inputs make the same site, and site/ is as the last build left it
            changes.commit()
            print(f"{target} is up to date: nothing it is built from changed since the last build", file=sys.stderr)
            return 0
        previous = stamp.kept_pages(inputs, owned)  # what of site/ MkDocs may take as it is (kept.py)
        stamp.forget()
        staging.mkdir()  # here, not by MkDocs: a folder that cannot be made is told as such (guard.explain)
        record = _pages_record(root, previous) if stamp.usable else None
        environment = engine.environment() if record is None else {**engine.environment(), PAGES_RECORD: record}
        # --dirty, into the new folder: only the pages taken from the last site are skipped (kept.py)
        dirty = ("--dirty",) if record is not None and previous is not None else ()
        # A separate process keeps MkDocs' logging and plugin state out of ours; --strict turns
        # every warning (a broken link, a missing page) into a failure.
        done = subprocess.run(engine.command("build", "--strict", *dirty, "--config-file", str(root / "mkdocs.yml"),
                                             "--site-dir", str(staging)), cwd=root, env=environment)
        pages, taken, nav = read_this(record) if record is not None else ({}, [], {})
        if done.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            changes.rollback()
            print(f"build failed: {engine.name} reported the problems above; docs/ and the previous site are "
                  "unchanged", file=sys.stderr)
            return 1
        try:
            finish_site(root, staging, search)
        except SearchError as error:
            shutil.rmtree(staging, ignore_errors=True)
            changes.rollback()
            print(f"build failed: {error}\ndocs/ and the previous site are unchanged", file=sys.stderr)
            return 1
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        in_place = not _swap(staging, target, taken)
        if in_place:
            _replace_files(staging, target)
            shutil.rmtree(staging, ignore_errors=True)
        changes.commit()
        stamp.save(inputs, owned, pages, nav)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        _give_back(changes, error, target, in_place)
        raise
    finally:
        if record is not None:
            shutil.rmtree(record, ignore_errors=True)
    how = " (a mount point: its files were replaced in place)" if in_place else ""
    # Opened from disk, all but search works (docs/assets/claimpress/from-disk.js); search needs it served.
    print(f"built {target}{how} - open {target / 'index.html'}, or serve it, as search needs: "
          f"python3 -m http.server -d {shlex.quote(str(target))}", file=sys.stderr)
    return 0


def _pages_record(root: Path, previous: Previous | None) -> str | None:
    """A new folder for what the engine's plugin and the build tell each other of the pages
    (pages_record.py), with the last site's pages if it may take them from there; None if the
    cache folder cannot hold it (then every page is made, and none recorded)."""
    try:
        folder = root / ".cache" / "claimpress"
        folder.mkdir(parents=True, exist_ok=True)
        record = tempfile.mkdtemp(prefix="pages-", dir=folder)
    except OSError:
        return None
    try:
        if previous is not None:
            give_previous(record, previous)
    except OSError:
        shutil.rmtree(record, ignore_errors=True)
        return None
    return record


def finish_site(root: Path, site: Path, search: bool = True) -> None:
    """claimpress' own steps on a site the engine built, whichever engine: the sitemap split to the
    protocol's limits, and the search index (Pagefind, in parts, from the cache where it can).
    Raises SearchError."""
    config = load_config(root)
    split_sitemap(str(site), config.site_url or "/")
    if not search:
        print("claimpress: search index: not made (--no-search): this site's search does not work; "
              "do not publish it", file=sys.stderr)
        return
    index_site(str(site), str(root), config.pages_per_search_index or PAGES_PER_SEARCH_INDEX,
               lambda said: print(said, file=sys.stderr))


# Written into every site built: a folder holding it is a site this tool made, which it may replace,
# even if a build cut short left only part of it (MkDocs' own sitemap.xml might not be there yet).
MARKER = ".claimpress-site"
MARKER_TEXT = "A site built by claimpress (build_claims.py build), which replaces this folder at each build.\n"


def _recover(target: Path, staging: Path, old: Path) -> None:
    """Clear what a build killed part way left (under the lock: no build is running): the new site
    it was making, and the previous site it was moving aside: put back if the site is missing. And
    a replaced site whose deletion (_swap) was cut short, or is still going on."""
    shutil.rmtree(staging, ignore_errors=True)
    if old.is_dir() and not target.exists():
        old.rename(target)  # killed between _swap's two renames: that was the site
    shutil.rmtree(old, ignore_errors=True)
    for replaced in old.parent.glob(f"{glob.escape(old.name)}.*"):
        if replaced.is_dir() and not replaced.is_symlink():
            remove_later(replaced)  # in the background again: a deletion may still be at work on it
        else:
            replaced.unlink()  # none of ours; a link is never followed


def _give_back(changes: write.Changes | None, error: BaseException, target: Path, in_place: bool) -> None:
    """After a failure: put docs/ back as it was, and say, for a failure of the machine, what is
    wrong and in what state docs/ and the site are."""
    try:
        if changes is not None:
            changes.rollback()
        kept = True
    except OSError:
        kept = False
    explained = explain(error) if isinstance(error, OSError) else None
    if explained is None and kept:
        return
    if not kept:
        state = f"docs/ could not be put back as it was either: build again once this is fixed (the files it " \
                f"held are kept in {changes.staging if changes else 'docs/'})"
    elif in_place:
        state = f"docs/ is as it was; {target} holds part of the new site (it could not be moved, so its files " \
                "were being replaced in place): build again once this is fixed"
    else:
        state = f"docs/ and {target} are as they were"
    raise Refused(f"{explained or error}; {state}") from error


def _swap(staging: Path, target: Path, shared: list[str] | None = None) -> bool:
    """Replace `target` with `staging` by renames, so readers of `target` never see half a site.
    False, with nothing changed, where `target` cannot be renamed: a mount point (EBUSY; a
    container's volume, say), whose files must be replaced in place instead. `shared`: files of
    `target` that `staging` holds as hard links (the pages the engine took as they were)."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        try:
            target.rename(old)
        except OSError as error:
            if error.errno in (errno.EBUSY, errno.EXDEV):
                return False
            raise
    try:
        staging.rename(target)
    except BaseException:
        if old.is_dir() and not target.exists():
            old.rename(target)
        raise
    if old.is_dir():
        # Its search bundle first, here: its files are hard links that the search cache, and so the
        # new site, share (search/cache.py), and removing one changes the others' status (ctime),
        # which the site's stamp records next (SiteStamp.save). 0.24 s of the 3.5 s at 10,000 claims.
        shutil.rmtree(old / BUNDLE, ignore_errors=True)
        for path in shared or ():  # the same for the pages taken from it
            if not os.path.isabs(path) and ".." not in path.split("/"):
                with contextlib.suppress(OSError):
                    os.unlink(old / path)
        # The rest by a process of its own, under a name no later build uses: the build is done.
        replaced = old.with_name(f"{old.name}.{secrets.token_hex(8)}")
        try:
            old.rename(replaced)
        except OSError:
            shutil.rmtree(old, ignore_errors=True)
        else:
            remove_later(replaced)
    return True


def _replace_files(source: Path, target: Path) -> None:
    """Make `target` hold exactly what `source` holds, file by file: those that differ are copied
    in (each whole, by a rename), the others left alone, and the rest removed. Never through a
    link: one in `target` is replaced, not followed."""
    write._move(source / MARKER, target / MARKER)  # first: a copy cut short is still known as a site
    wanted = {MARKER}
    for folder, _, names in os.walk(source):
        rel = os.path.relpath(folder, source)
        there = os.path.normpath(os.path.join(target, rel))
        if rel != ".":
            wanted.add(rel)
            if os.path.islink(there) or (os.path.lexists(there) and not os.path.isdir(there)):
                os.unlink(there)
            os.makedirs(there, exist_ok=True)
        for name in names:
            wanted.add(os.path.normpath(os.path.join(rel, name)))
            new, path = Path(folder, name), Path(there, name)
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.is_file() and not path.is_symlink() and path.stat().st_size == new.stat().st_size \
                    and write._same_bytes(new, path):
                continue
            write._move(new, path)
    for folder, folders, names in os.walk(target, topdown=False):
        for name in names + folders:
            stale = os.path.join(folder, name)
            if os.path.relpath(stale, target) not in wanted:
                if os.path.isdir(stale) and not os.path.islink(stale):
                    shutil.rmtree(stale)
                else:
                    os.unlink(stale)


def unsafe_site_dir(root: Path, target: Path) -> str:
    """Why `target` must not receive the site (it is replaced whole), or "" when it may."""
    if target == root or target in root.parents:
        return "it holds the project; the site folder is replaced whole"
    for name in ("claims", "docs", "templates", "overrides", ".git"):
        if target == root / name or root / name in target.parents:
            return f"it is or is inside {name}/"
    if target.exists() and not target.is_dir():  # mkdocs.yml, say: it would be moved aside and lost
        return "it is a file; the site is a folder"
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file() \
            and not (target / "sitemap.xml").exists():  # a site built before the marker
        return "it is a folder that holds something other than a site built before; choose an empty folder"
    return ""
