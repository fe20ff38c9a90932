"""Registry rules: one folder per case under tests/fixtures/registries/, holding the broken registry."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from claimpress.check import check_project
from conftest import FIXTURES, make_project

# case -> (file, code, line, column, text the message must contain)
CASES = {
    "party-cycle": ("parties.yml", "party-cycle", 13, 11, "parents form a cycle: example-ngo -> example-times -> example-ngo"),
    "party-unknown-parent": ("parties.yml", "unknown-party", 11, 11, "example-army.parent: 'example-stat' is not a party in claims/parties.yml; did you mean 'example-state'?"),
    "party-bad-id": ("parties.yml", "invalid-id", 15, 1, "'Example Times' must be lowercase a-z and 0-9 in words joined by single hyphens; did you mean 'example-times'?"),
    "party-unknown-country": ("parties.yml", "unknown-country", 18, 12, "'UK' is not an ISO 3166-1 alpha-2 country code; did you mean 'GB'"),
    "party-duplicate-key": ("parties.yml", "duplicate-key", 22, 3, "example-extra.name: duplicate key 'name' (first at line 20)"),
    "rating-shared-value": ("ratings.yml", "rating-scale", 37, 19, "6 is already the value of 'confirmed'"),
    "rating-duplicate-id": ("ratings.yml", "duplicate-id", 50, 9, "ratings[4].id: 'confirmed' is already used by ratings[1]"),
    "rating-outside-scale": ("ratings.yml", "rating-scale", 55, 19, "9 is outside the scale 1..6"),
    "rating-unknown-field": ("ratings.yml", "unknown-field", 15, 5, "ratings[0].colour: unknown field 'colour'; did you mean 'color'?"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_registry_case(case: str, tmp_path: Path) -> None:
    name, code, line, column, text = CASES[case]
    root = make_project(tmp_path)
    shutil.copy(FIXTURES / "registries" / case / name, root / "claims" / name)
    result = check_project(root, only=[root / "claims" / name])
    matching = [d for d in result.errors if d.code == code]
    assert matching, "\n".join(d.text() for d in result.diagnostics)
    found = matching[0]
    assert (found.path, found.line, found.column) == (f"claims/{name}", line, column), found.text()
    assert text in found.text(), found.text()


def test_every_registry_fixture_has_a_case() -> None:
    assert {p.name for p in (FIXTURES / "registries").iterdir() if p.is_dir()} == set(CASES)


def test_a_broken_ratings_file_does_not_flood_the_claims(tmp_path: Path) -> None:
    """Claims are not blamed for a registry that failed to load."""
    root = make_project(tmp_path)
    (root / "claims" / "ratings.yml").write_text("ratings: [\n")
    result = check_project(root)
    assert {d.path for d in result.errors} == {"claims/ratings.yml"}


def test_a_registry_of_the_wrong_shape_is_one_error(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "claims" / "parties.yml").write_text("- just\n- a list\n")
    result = check_project(root)
    assert [(d.path, d.code) for d in result.errors] == [("claims/parties.yml", "wrong-type")]


def test_a_party_id_with_a_line_break_is_not_an_id(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    parties = root / "claims" / "parties.yml"
    parties.write_text(parties.read_text() + '"evil\\n":\n  name: Evil\n  kind: other\n')
    result = check_project(root, only=[parties])
    assert [d.code for d in result.errors] == ["invalid-id"]
