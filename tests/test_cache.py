"""The check cache: the same answers as a cold check, invalidated by what diagnostics depend on."""
from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
from pathlib import Path

from claimpress.check import check_project
from conftest import FIXTURES, make_project


def texts(root: Path) -> list[str]:
    return [d.text() for d in check_project(root, documents=False).diagnostics]


def test_cached_check_gives_the_cold_answers(tmp_path: Path) -> None:
    root = make_project(tmp_path, FIXTURES / "claims" / "unknown-rating.md", FIXTURES / "claims" / "no-archive.md")
    cold = [d.text() for d in check_project(root).diagnostics]  # the first run: no cache yet
    first = texts(root)
    assert (root / ".cache" / "claimpress").is_dir() and list((root / ".cache" / "claimpress").glob("check-*"))
    assert texts(root) == first == cold
    assert any("unknown-rating" in t for t in cold)


def test_an_edited_claim_is_checked_again(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    assert texts(root) == [t for t in texts(root)]
    claim = root / "claims" / "valid-full.md"
    original = claim.read_text()
    claim.write_text(original.replace("status: substantiated", "status: substantiatd"))
    assert any("unknown-rating" in t for t in texts(root))
    claim.write_text(original)
    assert not any("unknown-rating" in t for t in texts(root))


def test_an_edit_that_keeps_size_and_modification_time_is_still_seen(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    texts(root)
    claim = root / "claims" / "valid-full.md"
    stat = claim.stat()
    claim.write_text(claim.read_text().replace("status: substantiated", "status: substantiatex"))
    os.utime(claim, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, modification time set back
    assert claim.stat().st_size == stat.st_size and claim.stat().st_mtime_ns == stat.st_mtime_ns
    assert any("unknown-rating" in t for t in texts(root))


def test_registry_and_claim_set_changes_invalidate(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    assert not any("unknown-party" in t for t in texts(root))
    parties = root / "claims" / "parties.yml"
    parties.write_text(parties.read_text().replace("example-ngo:", "example-watch:"))
    assert any("claims/valid-full.md" in t and "unknown-party" in t for t in texts(root))  # the claim did not change
    parties.write_text(parties.read_text().replace("example-watch:", "example-ngo:"))
    (root / "claims" / "valid-minimal.md").unlink()
    assert any("unknown-claim" in t for t in texts(root))  # valid-full's related claim is gone


def test_a_broken_or_deleted_cache_is_harmless(tmp_path: Path) -> None:
    root = make_project(tmp_path, FIXTURES / "claims" / "unknown-rating.md")
    first = texts(root)
    for path in (root / ".cache" / "claimpress").glob("check-*"):
        path.write_bytes(b"not a pickle")
    assert texts(root) == first
    shutil.rmtree(root / ".cache")
    assert texts(root) == first


def test_the_build_takes_checked_claims_from_the_document_cache(tmp_path: Path) -> None:
    """`check` keeps each valid claim's checked data; the build's check reads it instead of parsing
    again, and never after the claim changed."""
    root = make_project(tmp_path)
    texts(root)  # `check`: fills the caches
    [store] = (root / ".cache" / "claimpress").glob("store-*.sqlite")
    parsed = {cid: (doc.data, doc.body) for cid, doc in check_project(root, documents=True).claims.items()}

    def rows() -> list[tuple[str, bytes]]:
        with sqlite3.connect(store) as db:
            return db.execute("SELECT key, value FROM documents").fetchall()
    assert len(rows()) == len(parsed) > 0  # one entry per valid claim
    # Entries are really what the build reads: mark every one, and the build sees the marks.
    with sqlite3.connect(store) as db:
        for key, value in rows():
            data, body = pickle.loads(value)
            db.execute("UPDATE documents SET value = ? WHERE key = ?", (pickle.dumps((data, body + "MARKED")), key))
    warm = check_project(root, documents=True).claims
    assert {cid: doc.body for cid, doc in warm.items()} == {cid: body + "MARKED" for cid, (_, body) in parsed.items()}
    assert {cid: doc.data for cid, doc in warm.items()} == {cid: data for cid, (data, _) in parsed.items()}
    # After an edit, that claim is parsed again; old entries are dropped once there are a few.
    claim = root / "claims" / "valid-full.md"
    claim.write_text(claim.read_text() + "\nOne more line.\n")
    again = check_project(root, documents=True).claims
    assert again["valid-full"].body.endswith("One more line.\n") and "MARKED" not in again["valid-full"].body
    for i in range(30):
        claim.write_text(claim.read_text() + f"\nEdit {i}.\n")
        texts(root)
    assert len(parsed) < len(rows()) <= len(parsed) + 20


def test_a_damaged_store_is_replaced(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    texts(root)
    [store] = (root / ".cache" / "claimpress").glob("store-*.sqlite")
    for extra in store.parent.glob(store.name + "-*"):
        extra.unlink()
    store.write_bytes(b"not a database" * 100)
    assert texts(root) == texts(root)
    assert check_project(root, documents=True).claims  # still every claim, parsed again
