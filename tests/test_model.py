"""claimpress/model.py: checked data -> the frozen, resolved objects the templates see."""
from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, make_project

from claimpress.check.project import check_files
from claimpress.model import build_catalog, country_name


def _catalog(root: Path):
    result = check_files(root)
    assert not result.errors, [d.text() for d in result.errors]
    return build_catalog(result), result


def test_references_are_resolved_to_objects_and_drafts_left_out(tmp_path: Path) -> None:
    root = make_project(tmp_path, FIXTURES / "claims" / "draft.md")
    catalog, result = _catalog(root)
    assert [c.id for c in catalog.claims] == ["valid-full", "valid-minimal"]  # the draft is not published
    assert result.claims == {}  # taken out of the result: one copy in memory
    full = catalog.claim("valid-full")
    assert full is not None
    assert full.claimant.name == "Example Watch" and [p.id for p in full.accused] == ["example-army"]
    assert full.status.label == "Substantiated" and [c.name for c in full.categories] == ["Cluster munitions"]
    assert full.responses[0].party.id == "example-army" and full.evidence[0].party.id == "example-times"
    assert full.incident.country_name == country_name("SY") and full.incident.coordinates == (34.7, 40.83)
    assert str(full.incident.killed) == "2 to 4"


def test_accused_roll_up_through_their_parents(tmp_path: Path) -> None:
    catalog, _ = _catalog(make_project(tmp_path))
    claim = catalog.claim("valid-minimal")
    assert claim is not None and claim.accused_lineage == ("example-army", "example-state")


def test_a_claim_dates_its_last_change_from_its_updates(tmp_path: Path) -> None:
    catalog, _ = _catalog(make_project(tmp_path))
    full, minimal = catalog.claim("valid-full"), catalog.claim("valid-minimal")
    assert full is not None and minimal is not None
    assert full.last_changed == "2020-07-01" and minimal.last_changed == minimal.published


def test_a_claim_made_before_from_the_same_data_is_taken_as_it_was(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    first, _ = _catalog(root)
    known = {c.id: (first.sources[c.id], c) for c in first.claims}
    again = build_catalog(check_files(root), known)
    assert all(a is b for a, b in zip(again.claims, first.claims))  # the same objects: not made again
    path = root / "claims" / "valid-minimal.md"
    path.write_text(path.read_text().replace("only the required fields", "a changed title"))
    changed = build_catalog(check_files(root), known)
    assert changed.claim("valid-full") is first.claim("valid-full")
    assert changed.claim("valid-minimal") is not first.claim("valid-minimal")
    assert "a changed title" in changed.claim("valid-minimal").title
