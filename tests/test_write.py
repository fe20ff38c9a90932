"""Writing docs/: only what changed, in pieces for large files, and undoable until committed."""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from sitebuild import snapshot

from claimpress.guard import Refused
from claimpress.write import Kept, apply


def files(docs: Path) -> dict[str, bytes]:
    return snapshot(docs)


def start(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    apply(docs, ("gen", "top.txt"), [("gen/a.md", "A"), ("gen/sub/b.md", "B"), ("top.txt", "T")]).commit()
    (docs / "hand.md").write_text("hand-written")
    return docs


def test_only_changed_files_are_written_and_stale_ones_removed(tmp_path: Path) -> None:
    docs = start(tmp_path)
    before = (docs / "gen" / "a.md").stat().st_mtime_ns
    changes = apply(docs, ("gen", "top.txt"), [("gen/a.md", "A"), ("gen/c.md", iter(["C", "C"])), ("top.txt", "T2")])
    changes.commit()
    assert changes.written == ["gen/c.md", "top.txt"] and changes.removed == ["gen/sub/b.md"] and changes.unchanged == 1
    assert (docs / "gen" / "a.md").stat().st_mtime_ns == before
    assert files(docs) == {"gen/a.md": b"A", "gen/c.md": b"CC", "hand.md": b"hand-written", "top.txt": b"T2"}


def test_a_large_file_in_pieces_that_did_not_change_is_not_rewritten(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    apply(docs, ("data",), [("data/big.json", iter(["x" * 1000] * 50))]).commit()
    inode = (docs / "data" / "big.json").stat().st_ino
    changes = apply(docs, ("data",), [("data/big.json", iter(["x" * 1000] * 50))])
    assert changes.unchanged == 1 and (docs / "data" / "big.json").stat().st_ino == inode
    assert [p.name for p in (docs / "data").iterdir()] == ["big.json"]  # no temporary file left


def test_a_large_file_of_the_same_size_that_changed_is_rewritten(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    pieces = ["x" * 100_000] * 30  # 3 MB: the difference lies past the first megabyte compared
    apply(docs, ("data",), [("data/big.json", iter(pieces))]).commit()
    changes = apply(docs, ("data",), [("data/big.json", iter(pieces[:-1] + ["x" * 99_999 + "y"]))])
    changes.commit()
    assert changes.written == ["data/big.json"] and (docs / "data" / "big.json").read_bytes().endswith(b"xy")


def test_rollback_puts_back_changed_new_and_removed_files(tmp_path: Path) -> None:
    docs = start(tmp_path)
    original = files(docs)
    changes = apply(docs, ("gen", "top.txt"), [("gen/a.md", "A2"), ("gen/new/d.md", "D"), ("top.txt", "T")])
    assert files(docs) != original
    staging = changes.staging
    assert staging is not None and staging.is_dir()
    changes.rollback()
    assert files(docs) == original  # no backup or temporary file left either
    assert not staging.exists()


def test_commit_leaves_no_backups(tmp_path: Path) -> None:
    docs = start(tmp_path)
    changes = apply(docs, ("gen", "top.txt"), [("gen/a.md", "A2"), ("top.txt", "T")], tmp_path / "work")
    assert changes.staging is not None and changes.staging.parent == tmp_path / "work"
    # The backups, until commit: of the file changed and of the one removed.
    assert sorted(p.read_text() for p in changes.staging.iterdir()) == ["A", "B"]
    assert not any(p.name.startswith(".") for p in docs.rglob("*"))  # none in docs/
    staging = changes.staging
    changes.commit()
    assert not staging.exists() and not list((tmp_path / "work").iterdir())
    assert files(docs) == {"gen/a.md": b"A2", "hand.md": b"hand-written", "top.txt": b"T"}


def test_nothing_lands_in_docs_until_every_file_is_made(tmp_path: Path) -> None:
    """`mkdocs serve` watches docs/: files landing one by one as they are rendered (seconds apart
    at 50,000 claims) started one rebuild at the first and another after the last."""
    docs = start(tmp_path)
    original = files(docs)
    looked: list[bool] = []

    def pages():
        yield "gen/a.md", "A2"
        yield "gen/new/d.md", "D"
        looked.append(files(docs) == original and not (docs / "gen" / "new").exists())
        yield "top.txt", "T2"
        yield "gen/sub/b.md", iter(["B", "2"])
        looked.append(files(docs) == original)

    changes = apply(docs, ("gen", "top.txt"), pages(), tmp_path / "work")
    assert looked == [True, True]
    changes.commit()
    assert files(docs) == {"gen/a.md": b"A2", "gen/new/d.md": b"D", "gen/sub/b.md": b"B2", "hand.md": b"hand-written",
                           "top.txt": b"T2"}


def test_a_failure_while_making_the_files_puts_everything_back(tmp_path: Path) -> None:
    docs = start(tmp_path)
    original = files(docs)

    def pages():
        yield "gen/a.md", "changed"
        yield "gen/e.md", "new"
        raise RuntimeError("a template failed")

    with pytest.raises(RuntimeError):
        apply(docs, ("gen", "top.txt"), pages())
    assert files(docs) == original


def test_leftovers_of_an_interrupted_run_are_cleared(tmp_path: Path) -> None:
    import subprocess
    import sys

    docs = start(tmp_path)
    (docs / "gen" / ".a.md.before").write_text("old")  # as versions that wrote beside the file left them
    (docs / "gen" / ".a.md.x1y2.tmp").write_text("half")
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    killed = tmp_path / "work" / f".claimpress-writing-{int(ended.stdout)}-abcd"  # a run no longer going
    running = tmp_path / "work" / f".claimpress-writing-{os.getppid()}-efgh"  # one still going: left alone
    for folder in (killed, running):
        folder.mkdir(parents=True)
        (folder / "0").write_text("half")
    apply(docs, ("gen", "top.txt"), [("gen/a.md", "A"), ("gen/sub/b.md", "B"), ("top.txt", "T")],
          tmp_path / "work").commit()
    assert not any(p.name.startswith(".") for p in docs.rglob("*"))
    assert list((tmp_path / "work").iterdir()) == [running]


def test_the_same_path_twice_is_refused_and_undone(tmp_path: Path) -> None:
    docs = start(tmp_path)
    original = files(docs)
    with pytest.raises(ValueError, match="two files would be written to docs/gen/a.md"):
        apply(docs, ("gen", "top.txt"), [("gen/a.md", "X"), ("gen/a.md", "Y")])
    assert files(docs) == original


def test_written_files_get_the_mode_of_any_new_file(tmp_path: Path) -> None:
    # As a file the user makes: readable by a web server or container running as another user.
    docs = start(tmp_path)
    reference = tmp_path / "made-by-hand.txt"
    reference.write_text("x")
    apply(docs, ("gen", "top.txt"), [("gen/a.md", "changed"), ("gen/new/b.md", "new"), ("top.txt", "T")]).commit()
    for name in ("gen/a.md", "gen/new/b.md", "top.txt"):
        assert stat.S_IMODE((docs / name).stat().st_mode) == stat.S_IMODE(reference.stat().st_mode), name


def test_a_kept_file_is_left_alone_and_made_when_it_has_gone(tmp_path: Path) -> None:
    docs = start(tmp_path)
    (docs / "gen" / "a.md").write_text("as the last run left it")  # a kept file is not even read
    made: list[str] = []

    def make(text: str):
        return lambda: made.append(text) or text

    changes = apply(docs, ("gen", "top.txt"), [("gen/a.md", Kept(make("A"))), ("gen/sub/b.md", "B"),
                                               ("gen/new.md", Kept(make("N"))), ("top.txt", "T")])
    changes.commit()
    assert made == ["N"] and changes.written == ["gen/new.md"] and changes.unchanged == 3 and not changes.removed
    assert files(docs)["gen/a.md"] == b"as the last run left it" and files(docs)["gen/new.md"] == b"N"



def test_what_is_made_before_land_lands_then_and_the_rest_at_the_end(tmp_path: Path) -> None:
    """The renderer says LAND after the claim pages: the preview shows a saved claim's page while
    the lists and data files are made."""
    from claimpress.write import LAND

    docs = start(tmp_path)
    original = files(docs)
    looked: list[dict[str, bytes]] = []

    def pages():
        yield "gen/a.md", "A2"
        yield "", LAND
        looked.append(files(docs))
        yield "gen/sub/b.md", iter(["B", "2"])
        looked.append(files(docs))
        yield "", LAND
        looked.append(files(docs))
        yield "top.txt", "T"

    changes = apply(docs, ("gen", "top.txt"), pages(), tmp_path / "work")
    assert looked == [{**original, "gen/a.md": b"A2"}, {**original, "gen/a.md": b"A2"},
                      {**original, "gen/a.md": b"A2", "gen/sub/b.md": b"B2"}]
    assert changes.written == ["gen/a.md", "gen/sub/b.md"] and changes.unchanged == 1
    changes.rollback()  # both landings are undone
    assert files(docs) == original


def test_a_failure_after_a_landing_puts_it_back(tmp_path: Path) -> None:
    from claimpress.write import LAND

    docs = start(tmp_path)
    original = files(docs)

    def pages():
        yield "gen/a.md", "A2"
        yield "gen/new/d.md", "D"
        yield "", LAND
        raise RuntimeError("a template failed")

    with pytest.raises(RuntimeError):
        apply(docs, ("gen", "top.txt"), pages(), tmp_path / "work")
    assert files(docs) == original and not (docs / "gen" / "new").exists()
    assert not list((tmp_path / "work").iterdir())


def test_a_failure_while_the_files_land_puts_back_those_landed(tmp_path: Path, monkeypatch) -> None:
    docs = start(tmp_path)
    original = files(docs)
    real = os.replace
    moves: list[str] = []

    def replace(source, target):
        if str(target).startswith(str(docs)) and ".claimpress-writing-" in str(source):
            moves.append(str(target))
            if len(moves) == 2:
                raise OSError("disk gone")
        return real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match="disk gone"):
        apply(docs, ("gen", "top.txt"), [("gen/a.md", "A2"), ("gen/new/d.md", "D"), ("top.txt", "T2")],
              tmp_path / "work")
    monkeypatch.undo()
    assert files(docs) == original and not list((tmp_path / "work").iterdir())  # the first put back too


def test_files_land_across_mounts_of_one_file_system(tmp_path: Path, monkeypatch) -> None:
    """A bind mount: the same device, but rename fails with EXDEV; the files are copied beside their
    place and renamed there, and a rollback copies the old ones back the same way."""
    import errno

    docs = start(tmp_path)
    original = files(docs)
    real = os.replace

    def replace(source, target):
        if ".claimpress-writing-" in str(source):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    changes = apply(docs, ("gen", "top.txt"), [("gen/a.md", "A2"), ("gen/sub/b.md", "B"), ("top.txt", "T")],
                    tmp_path / "work")
    assert files(docs) == {**original, "gen/a.md": b"A2"}
    changes.rollback()
    assert files(docs) == original and not list((tmp_path / "work").iterdir())


def test_the_files_are_made_beside_docs_when_the_work_folder_cannot_be_made(tmp_path: Path) -> None:
    docs = start(tmp_path)
    (tmp_path / "cache").write_text("a file where the cache folder should be")
    changes = apply(docs, ("gen", "top.txt"), [("gen/a.md", "A2"), ("gen/sub/b.md", "B"), ("top.txt", "T")],
                    tmp_path / "cache" / "claimpress")
    assert changes.staging is not None and changes.staging.parent == tmp_path
    changes.commit()
    assert files(docs)["gen/a.md"] == b"A2" and not any(p.name.startswith(".claimpress") for p in tmp_path.iterdir())


def test_a_link_among_the_generated_files_is_refused_before_anything_is_touched(tmp_path: Path) -> None:
    """git stores symbolic links: a linked folder inside a generated one had the files written (and
    stale ones deleted) where it pointed, outside the project."""
    docs = start(tmp_path)
    (docs / "gen" / ".old-temporary").write_text("removed by a run that goes ahead")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "sentinel").write_text("keep")
    shutil.rmtree(docs / "gen" / "sub")
    (docs / "gen" / "sub").symlink_to(outside)
    before = files(docs)
    with pytest.raises(Refused, match=r"^docs/gen/sub is a symbolic link: .* remove the link"):
        apply(docs, ("gen", "top.txt"), [("gen/a.md", "A2"), ("gen/sub/b.md", "B2"), ("top.txt", "T")])
    assert [p.name for p in outside.iterdir()] == ["sentinel"] and (outside / "sentinel").read_text() == "keep"
    assert files(docs) == before and (docs / "gen" / ".old-temporary").exists()
