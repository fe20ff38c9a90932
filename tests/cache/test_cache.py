"""The check cache: the same answers as a cold check, invalidated by what diagnostics depend on."""
from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, make_project
from sitebuild import copy_project, snapshot

from claimpress import cache
from claimpress.build import generate
from claimpress.cache import CheckCache, PageStamps, Remembered, Store
from claimpress.cache.session import Session
from claimpress.check.project import CheckResult, check_files, check_project
from claimpress.diagnostics import WARNING, Diagnostic
from claimpress.render import claim_pages, facets
from claimpress.workers import can_fork


def texts(root: Path) -> list[str]:
    return [d.text() for d in check_project(root, documents=False).diagnostics]


def build_check(root: Path, remembered: Remembered | None = None) -> CheckResult:
    """The check as the build runs it: in a cache session, with the preview's memory if given."""
    with Session(root, memory=remembered) as caches:
        return check_files(root, around=caches.check)


def change_rows(root: Path, table: str, change: Callable[[Any], Any]) -> int:
    """Replace each value of a store's `table` by `change(value)`, written as the store writes (sealed
    here); the number of rows."""
    [path] = (root / ".cache" / "claimpress").glob("store-*.sqlite")
    with sqlite3.connect(path) as db:
        keys = [key for (key,) in db.execute(f"SELECT key FROM {table}")]
    store = Store(root)
    for key in keys:
        store.put(table, key, change(store.get(table, key)))
    store.close()
    return len(keys)


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
    change_rows(root, "documents", lambda value: [value[0], value[1] + "MARKED"])
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


def test_the_build_takes_each_claims_pieces_of_the_data_files_from_the_store(tmp_path: Path) -> None:
    """A generation keeps each claim's record in each data file, by its page's key; the next takes
    them from there (what the store holds is what the files get) and makes an edited claim's again."""
    root = copy_project(tmp_path / "p", FIXTURES / "project" / "claims")
    assert generate(root).changes is not None
    data = root / "docs" / "data"
    # Entries are really what the build reads: mark every claims.json record, and the file has the marks.

    def mark(value: Any) -> Any:
        return [value[0].replace('"title":"', '"title":"MARKED ')] if value[0] else value
    assert change_rows(root, "pieces", mark) == 2 * 5  # two claims, five data files
    claim = root / "claims" / "valid-full.md"  # valid-minimal links to no claim: its key stays the same
    claim.write_text(claim.read_text().replace("that uses every field", "that uses all fields"))
    assert generate(root).changes is not None
    records = (data / "claims.json").read_text()
    assert '"title":"MARKED Example allegation with only the required fields"' in records  # from the store
    assert '"title":"Example allegation that uses all fields"' in records  # the edited claim's: made again


def test_a_damaged_store_is_replaced(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    texts(root)
    [store] = (root / ".cache" / "claimpress").glob("store-*.sqlite")
    for extra in store.parent.glob(store.name + "-*"):
        extra.unlink()
    store.write_bytes(b"not a database" * 100)
    assert texts(root) == texts(root)
    assert check_project(root, documents=True).claims  # still every claim, parsed again


# --- claim pages kept from the last run (cache.PageStamps) ----------------------------------------

def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


PAGE_INPUTS = [  # (what changes, how, claim pages of 8 left as they were, facet pages left: none, some or all)
    ("the title of a claim that valid-full links to", lambda root: _replace(
        root / "claims" / "valid-minimal.md", "title: Example allegation", "title: Renamed allegation"), 6, "some"),
    ("a party's name in the registry", lambda root: _replace(
        root / "claims" / "parties.yml", "name: Example Army", "name: Example Armed Forces"), 0, "none"),
    ("the claim page's template", lambda root: _replace(
        root / "templates" / "claim.md.j2", "_(\"Related claims\")", "_(\"Linked claims\")"), 0, "none"),
    ("a template the claim page imports", lambda root: _replace(
        root / "templates" / "_macros.j2", "{%- endmacro %}", "{%- endmacro %}\n"), 0, "none"),
    ("the site's settings", lambda root: _replace(
        root / "mkdocs.yml", "edit_url: null", "edit_url: https://example.org/edit/main/"), 0, "none"),
    ("a generated page edited by hand", lambda root: (root / "docs" / "claims" / "copy-1.md").write_text("edited"),
     7, "all"),
    ("a generated facet page edited by hand", lambda root: next((root / "docs" / "browse" / "year").glob("*/*.md"))
     .write_text("edited"), 8, "all but one"),
    ("one unrelated claim", lambda root: _replace(
        root / "claims" / "copy-2.md", "dropped barrel bombs", "dropped two barrel bombs"), 7, "some"),
    ("a claim that moves to another year's pages", lambda root: _replace(
        root / "claims" / "copy-5.md", 'date: "2019"\n  location', 'date: "2018"\n  location'), 7, "some"),
]


def _not_rendered(report: str) -> tuple[int, int]:
    """(claim pages, facet pages) that the generation's report says it did not render."""
    found = re.search(r"\((\d+) claim pages and (\d+) facet pages not rendered: nothing they show changed\)", report)
    return (int(found[1]), int(found[2])) if found else (0, 0)


@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "parallel"])
@pytest.mark.parametrize("by", ["content", "signature", "remembered"])
def test_claim_pages_kept_from_the_last_run_equal_pages_made_afresh(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], parallel: bool,
        by: str) -> None:
    """After each change to something a claim or facet page shows, docs/ must be byte for byte what a
    run with no cache makes; and the pages that do not show the change must not have been rendered again.
    Pages younger than two seconds (all of them here) are compared by content; with that limit set
    to nothing, by file signature. "remembered" runs as the preview does: each generation gets what
    the last one left in memory (modelled claims, their data rows and facet rows)."""
    if parallel and not can_fork():
        pytest.skip("needs two cores and no other thread in the test process")
    monkeypatch.setattr(claim_pages, "PARALLEL_FROM", 1 if parallel else 10**9)
    monkeypatch.setattr(facets, "FACET_PAGE_SIZE", 4)  # values of several pages: a count on each
    if by == "signature":
        monkeypatch.setattr(PageStamps, "settle_ns", 0)
    remembered = Remembered() if by == "remembered" else None
    root = copy_project(tmp_path / "kept", FIXTURES / "project" / "claims")
    for i in range(6):  # claims that link to nothing: most changes below leave their pages as they were
        _replace(shutil.copy(root / "claims" / "valid-minimal.md", root / "claims" / f"copy-{i}.md"),
                 "id: valid-minimal", f"id: copy-{i}")
    assert generate(root, remembered=remembered).changes is not None
    capsys.readouterr()
    facet_pages = len([p for p in (root / "docs" / "browse").glob("*/*/*.md")])
    assert facet_pages > 10
    for number, (label, change, kept, facets_kept) in enumerate(PAGE_INPUTS):
        before = dict(remembered.claims) if remembered else {}
        change(root)
        assert generate(root, remembered=remembered).changes is not None, label
        if remembered and label == "one unrelated claim":  # the others were not modelled again
            assert remembered.claims["copy-3"][1] is before["copy-3"][1]
            assert remembered.claims["copy-2"][1] is not before["copy-2"][1]
        report = capsys.readouterr().err
        fresh = tmp_path / f"fresh-{number}"
        shutil.copytree(root, fresh, symlinks=True, ignore=shutil.ignore_patterns(".cache"))
        assert generate(fresh).changes is not None
        assert _not_rendered(capsys.readouterr().err) == (0, 0)  # the fresh run made every page
        assert snapshot(root / "docs") == snapshot(fresh / "docs"), label
        claims_not_rendered, facets_not_rendered = _not_rendered(report)
        assert claims_not_rendered == kept, (label, report)
        assert facets_not_rendered == {"none": 0, "all": facet_pages, "all but one": facet_pages - 1}.get(
            facets_kept, facets_not_rendered if 0 < facets_not_rendered < facet_pages else -1), (label, report)
    assert "Renamed allegation" in (root / "docs" / "claims" / "valid-full.md").read_text()
    assert "Linked claims" in (root / "docs" / "claims" / "valid-full.md").read_text()


def test_the_preview_check_does_not_fetch_the_claims_it_remembers(tmp_path: Path) -> None:
    """With the preview's memory, the check leaves out the data of claims modelled already from the
    same file and registries (build_catalog takes them from memory); not that of a changed claim,
    nor any once the registries change."""
    root = copy_project(tmp_path / "p", FIXTURES / "project" / "claims")
    remembered = Remembered()
    assert generate(root, remembered=remembered).changes is not None
    _replace(root / "claims" / "valid-minimal.md", "title: Example allegation", "title: Renamed allegation")
    docs = build_check(root, remembered).claims
    assert docs["valid-minimal"].packed is not None
    assert docs["valid-full"].packed is None and docs["valid-full"].data is None and docs["valid-full"].source
    assert build_check(root).claims["valid-full"].packed is not None  # the build's own check
    _replace(root / "claims" / "parties.yml", "name: Example Army", "name: Example Armed Forces")
    docs = build_check(root, remembered).claims
    assert all(doc.packed is not None for doc in docs.values())
    assert generate(root, remembered=remembered).changes is not None
    assert "Renamed allegation" in (root / "docs" / "claims" / "valid-minimal.md").read_text()


def test_the_preview_check_takes_its_cache_from_memory(tmp_path: Path) -> None:
    """The preview's check uses the check cache's entries as its last check saved them, not their
    file: entries marked in the file after that show in a plain check only."""
    root = copy_project(tmp_path / "p", FIXTURES / "project" / "claims")
    remembered = Remembered()
    assert generate(root, remembered=remembered).changes is not None
    saved = CheckCache(root)  # the file, written again as the check writes it
    marked = Diagnostic("claims/valid-full.md", 1, 1, WARNING, "marked", "MARKED")
    saved.used = {key: ([*value[0], marked], value[1]) if key[0] == "valid-full.md" else value
                  for key, value in saved.entries.items()}
    saved.dirty = True
    saved.save()
    assert "MARKED" not in str(build_check(root, remembered).diagnostics)
    assert "MARKED" in str(build_check(root).diagnostics)


def test_an_analysis_kept_in_the_store_is_made_again_by_a_new_converter(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The HTML of each analysis is kept between runs; a new version of the Markdown converter or of
    the HTML cleaner (a changed requirements.txt, same claimpress code) must not reuse it."""
    root = copy_project(tmp_path / "p", FIXTURES / "project" / "claims")
    assert generate(root).changes is not None
    assert change_rows(root, "analyses", lambda html: html + "MARKED-ANALYSIS")
    page = root / "docs" / "claims" / "valid-full.md"

    def rendered_again() -> str:  # a template change makes every claim page again
        template = root / "templates" / "claim.md.j2"
        template.write_text(template.read_text() + "{# changed #}")
        assert generate(root).changes is not None
        return page.read_text()

    assert "MARKED-ANALYSIS" in rendered_again()  # the stored HTML is what the page shows
    newer = {"nh3": "99.0"}
    monkeypatch.setattr(cache.keys, "version", lambda name: newer.get(name) or importlib.metadata.version(name))
    assert "MARKED-ANALYSIS" not in rendered_again()


def test_a_new_version_of_a_library_is_not_a_build_with_nothing_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build skips generation when nothing it read has changed; the libraries that check and
    render are among what it read, so that an upgraded nh3 (a security fix, say) reaches every page."""
    root = copy_project(tmp_path / "p", FIXTURES / "project" / "claims")
    time.sleep(2.1)  # files changed in the last two seconds are never trusted (racily clean)
    assert generate(root).changes is not None
    assert generate(root).check is None  # nothing changed: skipped
    page = root / "docs" / "claims" / "valid-full.md"
    page_before = page.read_text()
    assert change_rows(root, "analyses", lambda html: html + "MARKED-ANALYSIS")
    newer = {"nh3": "99.0"}
    monkeypatch.setattr(cache.keys, "version", lambda name: newer.get(name) or importlib.metadata.version(name))
    again = generate(root)
    assert again.check is not None and again.changes is not None
    assert "MARKED-ANALYSIS" not in page.read_text() and page.read_text() == page_before  # made again, the same


def test_a_new_address_from_the_environment_is_not_a_build_with_nothing_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """site_url may come from SITE_URL (mkdocs.yml's !ENV): mkdocs.yml is unchanged, the data is not."""
    root = copy_project(tmp_path / "p", FIXTURES / "project" / "claims")
    assert "site_url: !ENV [SITE_URL," in (root / "mkdocs.yml").read_text()  # the repository's, copied
    time.sleep(2.1)  # files changed in the last two seconds are never trusted (racily clean)
    assert generate(root).changes is not None
    assert generate(root).check is None  # nothing changed: skipped
    monkeypatch.setenv("SITE_URL", "https://news.example.org/")
    assert generate(root).check is not None
    assert "https://news.example.org/claims/valid-full/" in (root / "docs" / "data" / "claims.json").read_text()
