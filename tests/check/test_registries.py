"""Registry rules: one folder per case under tests/fixtures/registries/, holding the broken registry."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, make_project

from claimpress.check.project import check_project

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


# Every field of every registry entry, given values of every wrong shape: check reports them, never crashes.
WRONG_SHAPES = ["null", "[null]", "[[x]]", "[{a: 1}]", "{a: 1}", "5", "true", '""', "[]", "{}", "[[[[[x]]]]]"]
REGISTRY_FIELDS = {
    "parties.yml": ("example-state", ["name", "kind", "country", "aliases", "parent", "description"]),
    "categories.yml": ("cluster-munitions", ["name", "description"]),
}


def _replace_field(text: str, entry: str, field: str, value: str) -> str:
    """`entry`'s `field` set to `value` (added when the entry lacks it), in a flat two-level YAML registry."""
    lines, out, inside, done = text.split("\n"), [], False, False
    for line in lines:
        if line.startswith(f"{entry}:"):
            inside = True
            out.append(line)
            out.append(f"  {field}: {value}")
            done = True
            continue
        if inside and line.startswith("  ") and line.strip().startswith(f"{field}:"):
            continue
        if inside and not line.startswith(" "):
            inside = False
        out.append(line)
    assert done
    return "\n".join(out)


@pytest.mark.parametrize("name,field", [(n, f) for n, (_, fields) in REGISTRY_FIELDS.items() for f in fields])
def test_every_wrong_shape_of_a_registry_field_is_a_diagnostic(tmp_path: Path, name: str, field: str) -> None:
    root = make_project(tmp_path)
    path = root / "claims" / name
    original = path.read_text()
    entry = REGISTRY_FIELDS[name][0]
    for value in WRONG_SHAPES:
        path.write_text(_replace_field(original, entry, field, value))
        result = check_project(root)  # must not raise
        if value in ("5", "true", "[]", '""'):
            continue  # written text of a text field, or an empty value some fields allow: no crash is enough
        assert any(d.path == f"claims/{name}" for d in result.errors), (field, value)


@pytest.mark.parametrize("field", ["id", "label", "description", "rating_value", "color", "verdict_required",
                                   "requires", "alternate_name"])
def test_every_wrong_shape_of_a_rating_field_is_a_diagnostic(tmp_path: Path, field: str) -> None:
    root = make_project(tmp_path)
    path = root / "claims" / "ratings.yml"
    original = path.read_text()
    for value in WRONG_SHAPES:
        text = original.replace("  - id: confirmed\n", f"  - id: confirmed\n    {field}: {value}\n", 1) \
            if field != "id" else original.replace("  - id: confirmed\n", f"  - id: {value}\n", 1)
        # the first occurrence of the field below the new line is dropped, so the key is not duplicated
        if field != "id":
            head, _, tail = text.partition(f"    {field}: {value}\n")
            tail_lines = tail.split("\n")
            for i, line in enumerate(tail_lines):
                if line.startswith("  - id:"):
                    break
                if line.startswith(f"    {field}:"):
                    j = i + 1
                    while j < len(tail_lines) and tail_lines[j].startswith("      "):
                        j += 1
                    del tail_lines[i:j]
                    break
            text = head + f"    {field}: {value}\n" + "\n".join(tail_lines)
        path.write_text(text)
        check_project(root)  # must not raise; some shapes (null rating_value) are valid


def _chain(n: int, cycle: bool = False) -> str:
    """Parties p0 -> p1 -> ... -> p{n-1} through `parent`; with `cycle`, the last one's parent is p0."""
    lines = []
    for i in range(n):  # one flow mapping a line: 20,000 parties stay under the 1 MiB a registry may have
        parent = f"p{i + 1}" if i + 1 < n else "p0" if cycle else None
        lines.append(f"p{i}: {{name: P{i}, kind: other{', parent: ' + parent if parent else ''}}}\n")
    return "".join(lines)


@pytest.mark.parametrize("cycle", [False, True])
def test_a_chain_of_20000_parents_checks_in_under_a_second(tmp_path: Path, cycle: bool) -> None:
    """Finding cycles and depths is linear in the registry (it was cubic: 2,000 parties took 16 s)."""
    import time

    from claimpress.check import registries as rules
    from claimpress.check.load import load_registry

    path = tmp_path / "parties.yml"
    path.write_text(_chain(20_000, cycle))
    doc, found = load_registry(path, "claims/parties.yml")
    assert doc is not None and not found
    started = time.process_time()
    diagnostics = rules.check_parties(doc)
    assert time.process_time() - started < 1.0
    codes = [d.code for d in diagnostics]
    if cycle:  # every party is on the one cycle: reported once
        assert codes == ["party-cycle"]
    else:      # p0 is 19,999 levels below the top: one error, at the party one level past the limit
        assert codes == ["party-depth"]
        assert f"'p{20_000 - 2 - rules.MAX_PARTY_DEPTH}'" in diagnostics[0].message


def test_a_party_deeper_than_the_limit_is_an_error_and_the_limit_itself_is_not(tmp_path: Path) -> None:
    from claimpress.check.registries import MAX_PARTY_DEPTH

    root = make_project(tmp_path)
    parties = root / "claims" / "parties.yml"
    base = parties.read_text()
    parties.write_text(base + _chain(MAX_PARTY_DEPTH + 1))
    assert not [d for d in check_project(root).errors if d.code == "party-depth"]
    parties.write_text(base + _chain(MAX_PARTY_DEPTH + 2))
    found = [d for d in check_project(root).errors if d.code == "party-depth"]
    assert [(d.path, d.message) for d in found] == [
        ("claims/parties.yml", f"p0.parent: 'p0' has more than {MAX_PARTY_DEPTH} levels of parents above it (the limit)")]
    assert found[0].line > base.count("\n")


def test_a_cycle_reached_from_a_chain_is_reported_once(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    parties = root / "claims" / "parties.yml"
    parties.write_text(parties.read_text() + "a:\n  name: A\n  kind: other\n  parent: b\n"
                       "b:\n  name: B\n  kind: other\n  parent: c\nc:\n  name: C\n  kind: other\n  parent: b\n")
    found = [d.message for d in check_project(root).errors if d.code == "party-cycle"]
    assert found == ["b.parent: parents form a cycle: b -> c -> b"]
