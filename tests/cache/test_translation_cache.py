"""The caches see translations (claims/<id>.<tag>.md): a claim is checked with its translations, so
its check cache entry, its checked data and its pages are keyed by their content too."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import FIXTURES, make_project
from sitebuild import copy_project

from claimpress.build import generate
from claimpress.cache import Remembered
from claimpress.cache.pages import claim_page_keys
from claimpress.cache.session import Session
from claimpress.check.project import check_files, check_project
from claimpress.model import Catalog, build_catalog

VALID = FIXTURES / "translations" / "valid"


def codes(root: Path) -> list[tuple[str, str]]:
    return [(d.path, d.code) for d in check_project(root, documents=False).diagnostics if d.is_error]


def modelled(root: Path, remembered: Remembered) -> Catalog:
    """check and model as the preview's generations run them: in a cache session, with its memory."""
    with Session(root, memory=remembered) as caches:
        return caches.model(check_files(root, around=caches.check), build_catalog)


def test_an_edited_translation_is_checked_again(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", *VALID.iterdir())
    assert codes(root) == [] and codes(root) == []  # the second from the cache
    path = root / "claims" / "valid-full.ar.md"
    original = path.read_text()
    path.write_text(original.replace("status: substantiated", "status: refuted"))
    assert codes(root) == [("claims/valid-full.ar.md", "translation-contradicts")]
    path.write_text(original)
    assert codes(root) == []


def test_an_edit_that_keeps_size_and_modification_time_is_still_seen(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", *VALID.iterdir())
    path = root / "claims" / "valid-full.ar.md"
    assert codes(root) == []
    before = path.stat()
    path.write_text(path.read_text().replace("status: substantiated", "status: substantiatex"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert codes(root) == [("claims/valid-full.ar.md", "translation-contradicts")]


def test_a_translation_added_or_removed_is_seen(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    assert codes(root) == []
    added = root / "claims" / "valid-full.ar.md"
    added.write_text((FIXTURES / "translations" / "contradicting-status" / "valid-full.ar.md").read_text())
    assert codes(root) == [("claims/valid-full.ar.md", "translation-contradicts")]
    added.unlink()
    assert codes(root) == []


def test_an_edited_translation_reaches_the_model_and_the_page_keys(tmp_path: Path) -> None:
    """Through the check cache, the store and the preview's memory: the claim is modelled again with
    its new translation, and its page's key changes; an untouched claim is taken from memory."""
    root = make_project(tmp_path / "p", *VALID.iterdir())
    remembered = Remembered()
    first = modelled(root, remembered)
    again = modelled(root, remembered)
    assert again.claim("valid-full") is first.claim("valid-full")  # nothing changed: from memory
    path = root / "claims" / "valid-full.ar.md"
    path.write_text(path.read_text().replace("title: ادعاء مثال", "title: ادعاء آخر"))
    edited = modelled(root, remembered)
    assert edited.claim("valid-full").translations["ar"].title.startswith("ادعاء آخر")
    assert edited.claim("valid-minimal") is first.claim("valid-minimal")
    assert edited.sources["valid-full"] != first.sources["valid-full"]
    assert claim_page_keys(edited, b"") != claim_page_keys(first, b"")
    path.unlink()
    assert modelled(root, remembered).claim("valid-full").translations == {}


def test_a_build_after_an_edited_translation_makes_that_claim_page_again(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The generation is not skipped as "nothing changed", and the claim's page is rendered again
    (its key covers its translations), the other claims' pages not."""
    root = copy_project(tmp_path / "p", FIXTURES / "project" / "claims", extra_claims=tuple(VALID.iterdir()))
    assert generate(root).changes is not None
    capsys.readouterr()
    path = root / "claims" / "valid-full.ar.md"
    path.write_text(path.read_text().replace("title: ادعاء مثال", "title: ادعاء آخر"))
    assert generate(root).changes is not None
    report = capsys.readouterr().err
    assert "(1 claim pages and" in report, report  # valid-minimal's page kept; valid-full's made again
