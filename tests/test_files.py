"""claimpress/files.py: one file replaced whole or not at all, never through a link; a folder deleted
by a process of its own."""
from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path

import pytest
from conftest import many_files

from claimpress.files import remove_later, replace_file, replace_if_changed


def test_a_file_is_replaced_whole_and_a_link_in_its_place_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    link = tmp_path / "data.txt"
    link.symlink_to(outside)
    replace_file(link, b"new")
    assert not link.is_symlink() and link.read_bytes() == b"new" and outside.read_text() == "keep"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_a_hard_link_another_path_shares_is_not_changed(tmp_path: Path) -> None:
    shared = tmp_path / "cache.bin"
    shared.write_bytes(b"old")
    (tmp_path / "site.bin").hardlink_to(shared)
    replace_file(tmp_path / "site.bin", b"new")
    assert shared.read_bytes() == b"old" and (tmp_path / "site.bin").read_bytes() == b"new"


def test_permissions_are_kept_when_given(tmp_path: Path) -> None:
    path = tmp_path / "claim.md"
    replace_file(path, b"x", 0o640)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "claim.md"
    path.write_bytes(b"old")

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError):
        replace_file(path, b"new")
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["claim.md"]


def test_an_unchanged_file_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "sitemap.xml"
    assert replace_if_changed(path, b"a") is True
    before = path.stat().st_ino
    assert replace_if_changed(path, b"a") is False and path.stat().st_ino == before
    assert replace_if_changed(path, b"b") is True and path.read_bytes() == b"b"


def gone_within(path: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while os.path.lexists(path):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_folder_is_deleted_by_a_process_that_outlives_the_call(tmp_path: Path) -> None:
    """remove_later returns before the folder is gone (a deletion done in the call would leave
    nothing), and a process of its own deletes all of it, and only it, a link in it not followed."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "sentinel").write_text("keep")
    folder = tmp_path / "replaced"
    many_files(folder, 20_000)
    (folder / "link").symlink_to(outside)
    started = time.monotonic()
    remove_later(folder)
    assert folder.exists(), f"deleted within the call, {time.monotonic() - started:.2f} s"
    assert gone_within(folder, 120)
    assert (outside / "sentinel").read_text() == "keep" and sorted(p.name for p in tmp_path.iterdir()) == ["outside"]


def test_where_no_process_can_be_started_the_folder_is_deleted_at_once(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "replaced"
    many_files(folder, 10)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    remove_later(folder)
    assert not folder.exists()
