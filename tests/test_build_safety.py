"""`build` against hostile machines and projects: builds at once, builds killed part way, symbolic
links where it writes, read-only, full or busy disks.

The failures of the machine are simulated in the test's own process (tests run as root, which
`chmod` cannot stop): `Machine` makes the os-level calls that write under one folder fail with the
errno the kernel gives (EROFS, ENOSPC, EBUSY, EXDEV), at the point where they really would. So
these builds run in this process (cli.main); MkDocs still runs as its own process, untouched,
into the staging folder beside the site, as in every build.
"""
from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, many_files
from sitebuild import build, fixture_project, snapshot

from claimpress import build as build_step
from claimpress import cli, guard, write
from claimpress.cache.keys import RACY_NS


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project, built once; each test works on a copy (a build takes seconds)."""
    root = fixture_project(tmp_path_factory.mktemp("built") / "p")
    done = build(root)
    assert done.returncode == 0, done.stderr
    return root


def copy_of(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(built, root, symlinks=True)  # claimpress/ stays a link to the package
    return root


def change_a_claim(root: Path, text: str = "a new title") -> None:
    """A real change, so that the pages and the site would change if anything were written."""
    claim = root / "claims" / "valid-minimal.md"
    claim.write_text(claim.read_text().replace("only the required fields", text))


def run_build(root: Path, capfd: pytest.CaptureFixture) -> tuple[int, str]:
    code = cli.main(["--root", str(root), "build"])
    return code, capfd.readouterr().err


def leftovers(root: Path) -> list[str]:
    """What builds left beside the site, once the replaced sites they handed to a process of its own
    (files.remove_later) are deleted: within a minute, or they are listed too."""
    deadline = time.monotonic() + 60
    while any(p.name.startswith(".site.old.") for p in root.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return sorted(p.name for p in root.iterdir() if p.name.startswith((".site", ".claimpress")))


class Machine:
    """Calls that would change something under `folder` (whose path holds `only`) fail with `code`
    from the `after`-th such call on, as the kernel fails them: on a read-only file system
    (EROFS) every change, even the removal of a file that is not there, but not the making of a
    folder that is (EEXIST comes first), nor reading; on a full disk (ENOSPC) only the making of
    new files and folders."""

    WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

    def __init__(self, monkeypatch: pytest.MonkeyPatch, folder: Path, code: int, after: int = 0,
                 only: str = "") -> None:
        self.folder, self.code, self.left, self.only = os.path.abspath(folder), code, after, only
        full = code != errno.ENOSPC
        real = {name: getattr(os, name) for name in ("open", "mkdir", "rename", "replace", "unlink", "remove",
                                                     "rmdir", "link", "utime", "symlink")}
        real_open, real_connect = io.open, sqlite3.connect

        def guarded(name: str, *at: int):  # `at`: the arguments that are paths it changes
            def call(*args, **kwargs):
                hit = [args[i] for i in at if i < len(args) and self.under(args[i])]
                if hit and "dir_fd" not in kwargs:
                    if name == "mkdir" and os.path.lexists(args[0]):
                        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), args[0])
                    self.fail(hit[-1])
                return real[name](*args, **kwargs)
            return call

        def os_open(path, flags, *args, **kwargs):
            writes = flags & (self.WRITING if full else os.O_CREAT) and not (not full and os.path.lexists(path))
            if writes and "dir_fd" not in kwargs and self.under(path):
                self.fail(path)
            return real["open"](path, flags, *args, **kwargs)

        def any_open(file, mode="r", *args, **kwargs):
            if isinstance(file, int):
                return real_open(file, mode, *args, **kwargs)
            writes = set(mode) & set("wax+") and (full or not os.path.lexists(file))
            if writes and self.under(file):
                self.fail(file)
            return real_open(file, mode, *args, **kwargs)

        def connect(database, *args, **kwargs):
            if self.under(database):
                raise sqlite3.OperationalError("unable to open database file")
            return real_connect(database, *args, **kwargs)

        monkeypatch.setattr(os, "open", os_open)
        monkeypatch.setattr(io, "open", any_open)
        monkeypatch.setattr(builtins, "open", any_open)
        monkeypatch.setattr(os, "mkdir", guarded("mkdir", 0))
        monkeypatch.setattr(os, "link", guarded("link", 1))
        monkeypatch.setattr(os, "symlink", guarded("symlink", 1))
        if full:
            for name in ("unlink", "remove", "rmdir", "utime"):
                monkeypatch.setattr(os, name, guarded(name, 0))
            for name in ("rename", "replace"):
                monkeypatch.setattr(os, name, guarded(name, 0, 1))
            monkeypatch.setattr(sqlite3, "connect", connect)

    def under(self, path: object) -> bool:
        try:
            full = os.path.abspath(os.fspath(path))
        except TypeError:
            return False
        return (full == self.folder or full.startswith(self.folder + os.sep)) and self.only in full

    def fail(self, path: object) -> None:
        if self.left > 0:
            self.left -= 1
            return
        raise OSError(self.code, os.strerror(self.code), os.fspath(path))


# Item 5: builds at once, and what a build killed part way leaves.

def test_builds_at_once_wait_for_each_other_and_leave_one_whole_site(built: Path, tmp_path: Path) -> None:
    """Three builds started together all used to write site/ at once: it ended missing or with half its
    files, and two of the builds failed. Now each waits for the one before, and says so."""
    root = copy_of(built, tmp_path)
    change_a_claim(root)
    command = [sys.executable, str(REPO / "build_claims.py"), "build"]
    builds = [subprocess.Popen(command, cwd=root, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
              for _ in range(3)]
    errors = [b.communicate(timeout=300)[1] for b in builds]
    assert [b.returncode for b in builds] == [0, 0, 0], errors
    assert any("another build or preview is running (pid " in e and "waiting" in e for e in errors), errors
    site = snapshot(root / "site")
    def pages(files: dict[str, bytes]) -> set[str]:
        return {p for p in files if not p.startswith("pagefind/")}  # the index' names change with the text
    assert pages(site) == pages(snapshot(built / "site")) and "pagefind/pagefind-entry.json" in site
    assert b"a new title" in site["claims/valid-minimal/index.html"]
    assert "sitemap.xml" in site and leftovers(root) == []
    assert build(root).returncode == 0  # and the next build is not refused


def test_a_build_waits_for_a_running_one_or_gives_up_when_told(built: Path, tmp_path: Path) -> None:
    """The lock is held here as another build would hold it (guard.build_lock, in this process)."""
    root = copy_of(built, tmp_path)
    change_a_claim(root)
    docs, site = snapshot(root / "docs"), snapshot(root / "site")
    command = [sys.executable, str(REPO / "build_claims.py"), "build"]
    with guard.build_lock(root):
        impatient = subprocess.run(command, cwd=root, capture_output=True, text=True,
                                   env={**os.environ, "CLAIMPRESS_LOCK_WAIT": "0.6"})
        assert impatient.returncode == 2, impatient.stderr
        assert f"another build or preview (pid {os.getpid()}) is writing in {root}" in impatient.stderr
        assert "Traceback" not in impatient.stderr
        assert snapshot(root / "docs") == docs and snapshot(root / "site") == site
        waiting = subprocess.Popen(command, cwd=root, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        first = waiting.stderr.readline()
        assert f"another build or preview is running (pid {os.getpid()}); waiting" in first
        time.sleep(0.5)
        assert waiting.poll() is None and snapshot(root / "docs") == docs  # still waiting: nothing written
    rest = waiting.communicate(timeout=300)[1]
    assert waiting.returncode == 0, rest
    assert b"a new title" in (root / "site" / "claims" / "valid-minimal" / "index.html").read_bytes()


def test_a_site_moved_aside_by_a_build_killed_part_way_is_put_back(built: Path, tmp_path: Path,
                                                                   capfd: pytest.CaptureFixture) -> None:
    """Killed between its two renames, a build left the site as .site.old and the new one as
    .site.building; the next build, failing here on a bad claim, must leave the site there."""
    root = copy_of(built, tmp_path)
    site = snapshot(root / "site")
    (root / "site").rename(root / ".site.old")
    (root / ".site.building" / "assets").mkdir(parents=True)
    (root / ".site.building" / "assets" / "half.js").write_text("half")
    shutil.copy(REPO / "tests" / "fixtures" / "claims" / "unknown-rating.md", root / "claims")
    code, err = run_build(root, capfd)
    assert code == 1, err
    assert snapshot(root / "site") == site and leftovers(root) == []


def test_the_replaced_site_is_deleted_once_the_build_has_returned(built: Path, tmp_path: Path,
                                                                  capfd: pytest.CaptureFixture) -> None:
    """Deleting the site a rebuild replaces took 3.4 s of a 20 s rebuild at 10,000 claims: the build
    returns with the new site in place, and a process of its own deletes the old one after. Once it
    has, the site is still as the build's stamp says: the next build has nothing to do."""
    root = copy_of(built, tmp_path)
    time.sleep(RACY_NS / 1e9)  # the copy's files are new: a stamp does not trust them for two seconds
    many_files(root / "site" / "many", 20_000)  # put into the site (so it is built again); slow to delete
    code, err = run_build(root, capfd)
    assert code == 0, err
    replaced = [p.name for p in root.iterdir() if p.name.startswith(".site.old.")]
    assert len(replaced) == 1, "the old site was deleted before the build returned"
    assert snapshot(root / "site") == snapshot(built / "site")
    assert leftovers(root) == []
    code, err = run_build(root, capfd)
    assert code == 0 and "is up to date" in err, err


def test_what_is_left_to_delete_later_shares_no_file_with_the_new_site(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The replaced site's search bundle is links to the files that the search cache, and so the new
    site, hold: deleting one changes the others' status (ctime), which the site's stamp records as
    the build ends, so the next build, once the deletion had run, built everything again. _swap
    deletes those itself, and leaves only the rest to a process of its own (here: not started)."""
    shared = tmp_path / "cached.pf_fragment"
    shared.write_bytes(b"a fragment")
    target, staging = tmp_path / "site", tmp_path / ".site.building"
    for site in (target, staging):
        (site / "pagefind" / "fragment").mkdir(parents=True)
        os.link(shared, site / "pagefind" / "fragment" / "en_1.pf_fragment")
        (site / "index.html").write_text(site.name)
    later: list[Path] = []
    monkeypatch.setattr(build_step, "remove_later", later.append)
    assert build_step._swap(staging, target)
    assert (target / "index.html").read_text() == ".site.building" and len(later) == 1
    new = {p.stat().st_ino for p in target.rglob("*") if p.is_file()}
    assert [p.name for p in later[0].rglob("*") if p.is_file() and p.stat().st_ino in new] == []
    assert (later[0] / "index.html").read_text() == "site"


def test_a_replaced_site_whose_deletion_was_cut_short_is_deleted_by_the_next_build(
        built: Path, tmp_path: Path, capfd: pytest.CaptureFixture) -> None:
    """The process deleting a replaced site was killed (the machine restarted): the next build deletes
    what it left. A link of that name (a pull request can add one) is removed, never followed."""
    root = copy_of(built, tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "sentinel").write_text("keep")
    (root / ".site.old.0123456789abcdef" / "claims").mkdir(parents=True)
    (root / ".site.old.0123456789abcdef" / "claims" / "index.html").write_text("half deleted")
    (root / ".site.old.fedcba9876543210").symlink_to(outside)
    change_a_claim(root)
    code, err = run_build(root, capfd)
    assert code == 0, err
    assert leftovers(root) == [] and [p.name for p in outside.iterdir()] == ["sentinel"]


def test_part_of_a_site_left_by_this_tool_is_replaced_by_the_next_build(built: Path, tmp_path: Path,
                                                                        capfd: pytest.CaptureFixture) -> None:
    """site/ as a mount point (a container's volume): it cannot be renamed (EBUSY), so its files are
    replaced in place. There the copy (across file systems: EXDEV) runs out of space part way
    (ENOSPC): the site is left half new, without its sitemap.xml; the next build must not refuse it."""
    root = copy_of(built, tmp_path)
    docs = snapshot(root / "docs")
    change_a_claim(root)
    site, staging = str(root / "site"), str(root / ".site.building")
    real_rename, real_replace = os.rename, os.replace

    def rename(source, target, **kwargs):
        if os.fspath(source) == site:
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), source, target)
        return real_rename(source, target, **kwargs)

    def replace(source, target, **kwargs):
        if os.fspath(source).startswith(staging + os.sep) and os.fspath(target).startswith(site + os.sep):
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), source, target)
        return real_replace(source, target, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "rename", rename)
        patch.setattr(os, "replace", replace)
        (root / "site" / "sitemap.xml").unlink()  # as if it were among the files still to come
        Machine(patch, root / "site", errno.ENOSPC, after=1)  # the marker, then the disk is full
        code, err = run_build(root, capfd)
    assert code == 2, err
    message = err.strip().splitlines()[-1]
    assert message.startswith(f"build_claims.py build: error: {site}/") and "No space left on device" in message
    assert "free some space" in message and "docs/ is as it was" in message and "part of the new site" in message
    assert snapshot(root / "docs") == docs and not (root / "site" / "sitemap.xml").exists()
    assert leftovers(root) == []

    code, err = run_build(root, capfd)
    assert code == 0, err
    assert (root / "site" / "sitemap.xml").exists()
    assert b"a new title" in (root / "site" / "claims" / "valid-minimal" / "index.html").read_bytes()


def test_a_site_that_is_a_mount_point_has_its_files_replaced(built: Path, tmp_path: Path,
                                                            capfd: pytest.CaptureFixture) -> None:
    """Renaming a mount point fails with EBUSY: the build used to end in an internal error. Its files
    are replaced instead: the site must then be what a build by renames makes, with nothing else
    left in it, and a link in it replaced, never followed."""
    root = copy_of(built, tmp_path)
    change_a_claim(root)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "sentinel").write_text("keep")
    (root / "site" / "stale.html").write_text("from an older site")
    (root / "site" / "claims" / "gone").mkdir()
    (root / "site" / "claims" / "gone" / "index.html").write_text("a page since deleted")
    shutil.rmtree(root / "site" / "browse")
    (root / "site" / "browse").symlink_to(outside)
    site = str(root / "site")
    real_rename = os.rename

    def rename(source, target, **kwargs):
        if os.fspath(source) == site:
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), source, target)
        return real_rename(source, target, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "rename", rename)
        code, err = run_build(root, capfd)
    assert code == 0, err
    assert "its files were replaced in place" in err
    in_place = snapshot(root / "site")
    assert leftovers(root) == [] and [p.name for p in outside.iterdir()] == ["sentinel"]
    assert (outside / "sentinel").read_text() == "keep" and not (root / "site" / "browse").is_symlink()
    assert b"a new title" in in_place["claims/valid-minimal/index.html"]
    code, err = run_build(root, capfd)  # by renames this time: the same claims give the same site
    assert code == 0, err
    assert snapshot(root / "site") == in_place


# Item 10: symbolic links where the build writes.

LINKS = {
    "docs/data": "folder",             # a generated folder: its files are deleted and rewritten
    "docs/browse/country": "folder",  # a folder inside one
    "docs": "folder",
    "docs/claims.atom": "file",        # a generated file
    "site": "folder",
    ".site.building": "folder",
    ".site.old": "folder",
    ".cache": "folder",
    ".cache/claimpress/search": "folder",
    ".cache/claimpress/.gitignore": "file",  # rewritten at each run
}


@pytest.mark.parametrize("place", LINKS)
def test_a_symbolic_link_where_the_build_writes_is_refused(built: Path, tmp_path: Path, place: str,
                                                           capfd: pytest.CaptureFixture) -> None:
    root = copy_of(built, tmp_path)
    change_a_claim(root)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "sentinel").write_text("keep")
    link = root / place
    if link.is_dir():
        shutil.rmtree(link)
    elif link.exists():
        link.unlink()
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside if LINKS[place] == "folder" else outside / "sentinel")
    docs = snapshot(root / "docs") if place != "docs" else {}
    site = snapshot(root / "site") if place != "site" else {}
    code, err = run_build(root, capfd)
    assert code == 1, err
    message = err.strip().splitlines()[-1]
    assert message.startswith(f"build_claims.py build: error: {place} is a symbolic link"), err
    assert "remove" in message
    assert [p.name for p in outside.iterdir()] == ["sentinel"] and (outside / "sentinel").read_text() == "keep"
    if place != "docs":
        assert snapshot(root / "docs") == docs
    if place != "site":
        assert snapshot(root / "site") == site


# Item 12: failures of the machine.

def test_a_read_only_cache_builds_without_it(built: Path, tmp_path: Path, capfd: pytest.CaptureFixture,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The build used to crash after docs/ was rewritten (the record of the generation could not be
    removed), and say it was a bug; now it builds, and warns once."""
    root = copy_of(built, tmp_path)
    change_a_claim(root)
    Machine(monkeypatch, root / ".cache", errno.EROFS)
    code, err = run_build(root, capfd)
    monkeypatch.undo()
    assert code == 0, err
    assert err.count("claimpress: warning: cannot use the cache in") == 1, err
    assert b"a new title" in (root / "site" / "claims" / "valid-minimal" / "index.html").read_bytes()
    assert "a new title" in (root / "docs" / "claims" / "valid-minimal.md").read_text()
    assert leftovers(root) == []


@pytest.mark.parametrize("code, words", [(errno.EROFS, "read-only"), (errno.ENOSPC, "free some space")])
def test_docs_that_cannot_be_written_are_told_and_left_as_they_were(built: Path, tmp_path: Path, code: int,
                                                                    words: str, capfd: pytest.CaptureFixture,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only docs/ fails when the first page moves in; a full disk, here, when the fifth new
    page is made (in the staging folder under .cache). Both used to be told as bugs (exit 3)."""
    root = copy_of(built, tmp_path)
    docs, site = snapshot(root / "docs"), snapshot(root / "site")
    for claim in ("valid-minimal", "valid-full"):  # several pages change
        path = root / "claims" / f"{claim}.md"
        path.write_text(path.read_text() + "\nOne more sentence.\n")
    folder = root / "docs" if code == errno.EROFS else root / ".cache" / "claimpress"
    if code == errno.EROFS:
        Machine(monkeypatch, folder, code)
    else:
        Machine(monkeypatch, folder, code, after=4, only=write.STAGING)
    exit_code, err = run_build(root, capfd)
    monkeypatch.undo()
    assert exit_code == 2, err
    message = err.strip().splitlines()[-1]
    assert message.startswith(f"build_claims.py build: error: {folder}/"), message
    assert words in message and message.endswith(f"docs/ and {root / 'site'} are as they were")
    assert snapshot(root / "docs") == docs and snapshot(root / "site") == site
    assert leftovers(root) == [] and not list((root / ".cache" / "claimpress").glob(f"{write.STAGING}*"))


# Beyond item 10: links where the site is read from publish what they point to.

@pytest.mark.parametrize("place", ["docs/notes.txt", "docs/assets/secret", "templates/claim.md.j2",
                                   "overrides/partials/footer.html", "mkdocs.yml"])
def test_a_symbolic_link_the_site_would_read_is_refused(built: Path, tmp_path: Path, place: str,
                                                       capfd: pytest.CaptureFixture) -> None:
    """MkDocs and Jinja follow links: docs/notes.txt -> ~/.ssh/id_rsa would be published."""
    root = copy_of(built, tmp_path)
    secret = tmp_path / "secret"
    secret.write_text("SECRET-KEY-MATERIAL")
    link = root / place
    if link.exists():
        link.unlink()
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(secret)
    site = snapshot(root / "site")
    code, err = run_build(root, capfd)
    assert code == 1, err
    assert f"error: {place} is a symbolic link" in err and "would publish" in err
    assert snapshot(root / "site") == site
    assert not [p for p in (root / "site").rglob("*") if p.is_file() and b"SECRET-KEY" in p.read_bytes()]
