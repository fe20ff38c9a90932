"""One fixture per failure: tests/fixtures/claims/<case>.md is a valid claim with one thing wrong.

Each case names the diagnostic it must produce (code, line, column, a part of the message) and
every case must produce no other error, so an over-eager rule fails here too.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, check_file, make_project

# case -> (severity, code, line, column, text the message must contain)
CASES = {
    "analysis-too-deep": ("error", "analysis-too-deep", 60, 65, "the analysis nests 65 levels deep here"),
    "casualty-range": ("error", "casualty-range", 16, 25, "incident.killed.max: 2 is below min (4)"),
    "date-order-claimed": ("error", "date-order", 9, 13, "claimed_on: '2020-04-30' is before the incident date (2020-05-01)"),
    "date-order-updated": ("error", "date-order", 53, 10, "updated: '2020-05-01' is before published (2020-06-01)"),
    "date-order-updates": ("error", "date-order", 48, 11, "updates[1].date: is older than the entry before it"),
    "duplicate-item": ("error", "duplicate-item", 8, 25, "accused[1]: 'example-army' is listed twice"),
    "duplicate-key": ("error", "duplicate-key", 8, 1, "title: duplicate key 'title' (first at line 3)"),
    "duplicate-source": ("warning", "duplicate-source", 34, 10, "evidence[1].url: is the same source as evidence[0]"),
    "empty-list": ("error", "empty-list", 18, 13, "categories: needs at least 1 entry"),
    "empty-text": ("error", "empty-text", 7, 15, "spokesperson: must not be empty"),
    "forbidden-character": ("error", "forbidden-character", 3, 16, "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    "front-matter-empty": ("error", "front-matter-empty", 2, 1, "front matter is empty"),
    "front-matter-missing": ("error", "front-matter-missing", 1, 1, "does not start with a '---' line"),
    "front-matter-unclosed": ("error", "front-matter-unclosed", 1, 1, "never closed"),
    "future-date": ("error", "future-date", 9, 13, "claimed_on: '2999-05-02' is in the future"),
    "id-mismatch": ("error", "id-mismatch", 2, 5, "id: 'another-id' does not match the file name 'id-mismatch.md'"),
    "invalid-date": ("error", "invalid-date", 11, 9, "incident.date: '2020-02-30' is not a real date"),
    "invalid-format-id": ("error", "invalid-format", 8, 11, "did you mean 'example-army'?"),
    "invalid-format-url": ("error", "invalid-format", 44, 10, "responses[0].url: 'javascript:alert(1)' must be an http:// or https:// address"),
    "invalid-value": ("error", "invalid-value", 29, 13, "evidence[0].stance: 'support' is not one of: supports | refutes | context; did you mean 'supports'?"),
    "missing-field": ("error", "missing-field", 2, 1, "missing required field 'claimant'"),
    "missing-verdict": ("error", "missing-verdict", 19, 9, "status: a claim rated 'substantiated' needs a verdict"),
    "not-a-mapping": ("error", "not-a-mapping", 2, 1, "front matter must be a list of 'field: value' lines"),
    "out-of-range": ("error", "out-of-range", 14, 17, "incident.coordinates[0]: 95 must be at most 90"),
    "rating-requirements": ("error", "rating-requirements", 19, 9, "needs 2 independent supporting sources"),
    "rating-requirements-claimant": ("error", "rating-requirements", 19, 9, "the evidence has 1"),
    "self-reference": ("error", "self-reference", 50, 11, "related[0]: a claim cannot be related to itself"),
    "too-long": ("error", "too-long", 3, 8, "title: is 161 characters; the limit is 160"),
    "too-many": ("error", "too-many", 14, 16, "incident.coordinates: has 3 entries; at most 2 allowed"),
    "unknown-category": ("error", "unknown-category", 18, 14, "categories[0]: 'cluster-munition' is not a category in claims/categories.yml; did you mean 'cluster-munitions'?"),
    "unknown-claim": ("error", "unknown-claim", 50, 11, "'valid-minimum' is not a claim in claims/; did you mean 'valid-minimal'?"),
    "unknown-country": ("error", "unknown-country", 13, 12, "'XS' is not an ISO 3166-1 alpha-2 country code"),
    "unknown-country-name": ("error", "invalid-format", 13, 12, "did you mean 'SY' (Syria)?"),
    "unknown-country-misspelt": ("error", "invalid-format", 13, 12, "did you mean 'UA' (Ukraine)?"),
    "unknown-field": ("error", "unknown-field", 51, 1, "tgas: unknown field 'tgas'; did you mean 'tags'?"),
    "unknown-party": ("error", "unknown-party", 6, 11, "claimant: 'example-ngoo' is not a party in claims/parties.yml; did you mean 'example-ngo'?"),
    "unknown-party-by-name": ("error", "unknown-party", 40, 12, "did you mean 'example-state'?"),
    "unknown-rating": ("error", "unknown-rating", 19, 9, "status: 'substantiatd' is not a rating in claims/ratings.yml; did you mean 'substantiated'?"),
    "untrimmed-text": ("warning", "untrimmed-text", 4, 8, "claim: starts or ends with white space; end the block with '>-'"),
    "wrong-type": ("error", "wrong-type", 8, 10, "accused: expected a list, got text ('example-army'); write a list"),
    "wrong-type-draft-yes": ("error", "wrong-type", 55, 8, "draft: expected true or false, got text ('yes')"),
    "yaml-anchor": ("error", "yaml-anchor", 8, 10, "anchor '&who' is not allowed"),
    "yaml-complex-key": ("error", "yaml-complex-key", 51, 3, "a mapping key must be a plain name"),
    "yaml-multiple-documents": ("error", "yaml-multiple-documents", 55, 1, "holds more than one YAML document"),
    "yaml-syntax": ("error", "yaml-syntax", 52, 10, "flow sequence that starts at line 51, column 7"),
    "yaml-syntax-colon": ("error", "yaml-syntax", 3, 15, "mapping values are not allowed"),
    "yaml-tab": ("error", "yaml-tab", 12, 1, "contains a tab character"),
    "yaml-tag": ("error", "yaml-tag", 7, 15, "tag 'tag:yaml.org,2002:python/name:os.system' is not allowed"),
    "yaml-too-deep": ("error", "yaml-too-deep", 51, 38, "nests deeper than 32 levels"),
    "no-archive": ("warning", "no-archive", 25, 10, "evidence[0].url: has no archive_url"),
    "no-source-url": ("warning", "no-source-url", 23, 5, "evidence[0]: has no url"),
    "no-coordinates": ("warning", "no-coordinates", 10, 1, "incident: has no coordinates, so the claim cannot appear "
                       "on a map; add coordinates: [34.69508, 40.83138], precision: town (GeoNames 174506, Hajīn)"),
    "no-analysis": ("warning", "no-analysis", 56, 1, "the claim has no analysis"),
    "nothing-to-obscure": ("warning", "nothing-to-obscure", 15, 22, "incident.publish_precision: has no coordinates"),
    "publish-precision-finer": ("error", "publish-precision-finer", 16, 22,
                                "'town' is more exact than precision 'province', so it hides nothing"),
    "draft": ("warning", "draft", 10, 1, "it still needs: incident, categories, evidence, verdict"),
    "forbidden-character-escape": ("error", "forbidden-character", 3, 8, "an escape sequence writes"),
    "forbidden-character-tab-escape": ("error", "forbidden-character", 3, 8, "writes the invisible or control character U+0009"),
    "rating-requirements-claimant-by-name": ("error", "rating-requirements", 19, 9, "the evidence has 1"),
    "wrong-type-float-count": ("error", "wrong-type", 16, 17, "incident.killed.min: expected a whole number, got 2.0"),
    "invalid-format-trailing-newline": ("error", "invalid-format", 52, 12, "published: '2020-06-01\\n' must be a date"),  # one line: \n shown
    "missing-field-in-list-item": ("error", "missing-field", 32, 5, "evidence[1]: missing required field 'title'"),
    "unknown-acknowledgement": ("error", "unknown-acknowledgement", 56, 3, "acknowledged.no-coordinate: 'no-coordinate' is not "
                                "a warning that can be acknowledged (no-source-url | no-archive | duplicate-source | "
                                "no-coordinates | no-analysis); did you mean 'no-coordinates'?"),
    "stale-acknowledgement": ("warning", "stale-acknowledgement", 56, 3, "acknowledged.no-coordinates: acknowledges a "
                              "warning that no longer fires; remove the acknowledgement of no-coordinates"),
}
# Other errors a case may produce besides its own (an alias needs an anchor, so both are reported).
ALSO = {"yaml-anchor": {"yaml-alias"}}


def test_publishers_in_other_scripts_are_different_publishers(tmp_path: Path) -> None:
    text = (FIXTURES / "project" / "claims" / "valid-full.md").read_text().replace("id: valid-full", "id: scripts")
    text = text.replace("    publisher: Example Times\n", "    publisher: Аль-Джазира\n").replace(
        "    party: example-times\n", "").replace("    publisher: Example Monitor", "    publisher: РИА Новости")
    (tmp_path / "scripts.md").write_text(text)
    root = make_project(tmp_path / "p", tmp_path / "scripts.md")
    assert check_file(root, "scripts.md").errors == []


def test_every_fixture_has_a_case() -> None:
    files = {p.stem for p in (FIXTURES / "claims").glob("*.md")}
    assert files - {"yaml-1-1-as-text"} == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_case(case: str, tmp_path: Path) -> None:
    severity, code, line, column, text = CASES[case]
    root = make_project(tmp_path, FIXTURES / "claims" / f"{case}.md")
    result = check_file(root, f"{case}.md")
    matching = [d for d in result.diagnostics if d.code == code and d.severity == severity]
    assert matching, f"no {code} in:\n" + "\n".join(d.text() for d in result.diagnostics)
    found = matching[0]
    assert (found.path, found.line, found.column) == (f"claims/{case}.md", line, column), found.text()
    assert text in found.text()
    others = {d.code for d in result.errors} - {code} - ALSO.get(case, set())
    assert not others, "\n".join(d.text() for d in result.diagnostics)


def test_the_documented_example_prints_exactly(tmp_path: Path) -> None:
    root = make_project(tmp_path, FIXTURES / "claims" / "unknown-rating.md")
    [found] = check_file(root, "unknown-rating.md").diagnostics
    assert found.text() == ("claims/unknown-rating.md:19:9: error: status: 'substantiatd' is not a rating in "
                            "claims/ratings.yml; did you mean 'substantiated'? [unknown-rating]")


def test_valid_fixtures_are_clean(project: Path) -> None:
    full = check_file(project, "valid-full.md")
    assert full.diagnostics == []
    minimal = check_file(project, "valid-minimal.md")
    assert minimal.errors == []
    assert {d.code for d in minimal.diagnostics} == {"no-coordinates", "no-source-url", "no-analysis"}


def test_draft_has_warnings_only_and_is_not_a_valid_published_claim(tmp_path: Path) -> None:
    root = make_project(tmp_path, FIXTURES / "claims" / "draft.md")
    result = check_file(root, "draft.md")
    assert result.errors == []
    assert {d.code for d in result.diagnostics} == {"draft", "rating-requirements"}


def test_yaml_1_1_surprises_are_read_as_the_text_written(tmp_path: Path) -> None:
    root = make_project(tmp_path, FIXTURES / "claims" / "yaml-1-1-as-text.md")
    result = check_file(root, "yaml-1-1-as-text.md")
    assert result.diagnostics == []
    data = result.claims["yaml-1-1-as-text"].data
    assert data["incident"]["country"] == "NO"          # Norway, not false
    assert data["title"] == "1984"                      # a number where text is wanted: the text written
    assert data["spokesperson"] == "yes"                # not true
    assert data["incident"]["location"] == "1:30"       # not 90 (YAML 1.1 base 60)
    assert data["evidence"][0]["note"] == "2020-05-02"  # not a date object
    assert data["tags"] == ["off"]
    assert data["claimed_on"] == "2020-05-02" and isinstance(data["claimed_on"], str)


def test_every_problem_in_a_file_is_reported_in_one_run(tmp_path: Path) -> None:
    text = (FIXTURES / "project" / "claims" / "valid-full.md").read_text()
    text = text.replace("status: substantiated", "status: substantiatd").replace("tags:", "tgas:")
    text = text.replace("claimant: example-ngo", "claimant: example-ngoo").replace("2020-05-01", "2020-02-30")
    (tmp_path / "many.md").write_text(text.replace("id: valid-full", "id: many"))
    root = make_project(tmp_path / "p", tmp_path / "many.md")
    codes = [d.code for d in check_file(root, "many.md").errors]
    assert sorted(codes) == ["invalid-date", "unknown-field", "unknown-party", "unknown-rating"]


def test_generated_file_problems(project: Path) -> None:
    claims = project / "claims"
    (claims / "bad-encoding.md").write_bytes(b"---\nid: bad-encoding\ntitle: caf\xe9\n---\n")
    (claims / "empty.md").write_text("\n")  # says so, not that a '---' line is missing
    # Old Mac line endings (a lone CR each): one message for the file, not one for each line.
    (claims / "old-mac.md").write_bytes((claims / "valid-minimal.md").read_bytes()
                                        .replace(b"valid-minimal", b"old-mac").replace(b"\n", b"\r"))
    # Columns count characters: three two-byte letters on an earlier line must not shift it.
    (claims / "bad-encoding-after-accents.md").write_bytes(
        "---\nid: bad-encoding-after-accents\ntitle: Café été\n".encode() + b"claimant: X\xe9\n---\n")
    (claims / "too-big.md").write_text("---\nid: too-big\n---\n" + "x" * (1024 * 1024))
    (claims / "linked.md").symlink_to(claims / "valid-full.md")
    (claims / "notes.txt").write_text("scratch")
    (claims / "Bad_Name.md").write_text((claims / "valid-minimal.md").read_text())
    (claims / "with-bom.md").write_text("\ufeff" + (claims / "valid-minimal.md").read_text()
                                        .replace("id: valid-minimal", "id: with-bom"))
    (claims / "crlf.md").write_bytes((claims / "valid-minimal.md").read_text()
                                     .replace("id: valid-minimal", "id: crlf").replace("\n", "\r\n").encode())
    (claims / "control.md").write_text("---\nid: control\ntitle: a\x1bb\n---\n")
    (claims / "index.md").write_text((claims / "valid-minimal.md").read_text().replace("id: valid-minimal", "id: index"))
    (claims / "huge-number.md").write_text((claims / "valid-minimal.md").read_text()
                                           .replace("id: valid-minimal", "id: huge-number")
                                           .replace("claimant: example-ngo", "claimant: example-ngo\nspokesperson: " + "9" * 5000))
    result = check_project_all(project)
    by_file = {}
    for d in result.diagnostics:
        by_file.setdefault(d.path, []).append(d)
    enc = by_file["claims/bad-encoding.md"][0]
    assert (enc.code, enc.line, enc.column) == ("encoding", 3, 11) and "0xE9" in enc.message
    assert [(d.code, d.line) for d in by_file["claims/old-mac.md"]] == [("line-endings", 0)]
    assert [(d.code, d.message) for d in by_file["claims/empty.md"]] == [("front-matter-missing", "is empty")]
    # A file name that is no id: renaming the file is the fix, not "set id:" to that name.
    mismatch = [d for d in by_file["claims/Bad_Name.md"] if d.code == "id-mismatch"]
    assert [d.hint for d in mismatch] == ["rename the file to valid-minimal.md"]
    enc = by_file["claims/bad-encoding-after-accents.md"][0]
    assert (enc.code, enc.line, enc.column) == ("encoding", 4, 12)
    assert by_file["claims/too-big.md"][0].code == "file-too-large"
    assert by_file["claims/linked.md"][0].code == "symlink"
    assert by_file["claims/notes.txt"][0].code == "unexpected-file"
    assert by_file["claims/Bad_Name.md"][0].code == "invalid-file-name"
    assert "did you mean 'bad-name'?" in by_file["claims/Bad_Name.md"][0].hint
    assert [d.code for d in by_file["claims/with-bom.md"] if d.line == 1] == ["byte-order-mark"]
    assert not [d for d in by_file.get("claims/crlf.md", []) if d.is_error]  # Windows line ends are fine
    assert by_file["claims/index.md"][0].code == "invalid-file-name" and "reserved" in by_file["claims/index.md"][0].message
    assert not [d for d in by_file.get("claims/huge-number.md", []) if d.is_error]  # a long number is text here
    ctl = by_file["claims/control.md"][0]
    assert (ctl.code, ctl.line, ctl.column) == ("forbidden-character", 3, 9) and "U+001B" in ctl.message


def check_project_all(root: Path):
    from claimpress.check.project import check_project
    return check_project(root)


def test_missing_registry_is_reported_and_claims_still_checked(project: Path) -> None:
    (project / "claims" / "categories.yml").unlink()
    result = check_project_all(project)
    assert [(d.path, d.code) for d in result.errors] == [("claims/categories.yml", "missing-registry")]


def test_messages_name_a_real_position(project: Path) -> None:
    """Every line:column printed for the fixtures points inside the file."""
    for path in (FIXTURES / "claims").glob("*.md"):
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        root = make_project(project.parent / path.stem, path)
        for d in check_file(root, path.name).diagnostics:
            assert 1 <= d.line <= len(lines), d.text()
            assert 1 <= d.column <= len(lines[d.line - 1]) + 1, d.text()


def test_codes_in_this_table_are_documented() -> None:
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", (REPO / "docs" / "claim-format.md")
                                .read_text(), re.MULTILINE))
    tested = {code for _, code, *_ in CASES.values()} | {"yaml-alias", "encoding", "file-too-large", "symlink",
                                                          "unexpected-file", "invalid-file-name", "byte-order-mark",
                                                          "missing-registry"}
    assert tested <= documented, tested - documented
