"""Translations of claims (claims/<id>.<tag>.md, check/translations.py) and the languages of claims
and registries: each case of tests/fixtures/translations/ is a folder of files added to the test
project's claims/, with the one diagnostic it must give and no other error."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, make_project
from conftest import front_matter as front_matter_of

from claimpress.check.project import check_files, check_project

CASES_DIR = FIXTURES / "translations"

# case -> (severity, code, file, line, column, text the printed diagnostic must contain)
CASES = {
    "contradicting-status": ("error", "translation-contradicts", "valid-full.ar.md", 14, 9,
                             "status: is 'refuted' here but 'substantiated' in claims/valid-full.md"),
    "contradicting-length": ("error", "translation-contradicts", "valid-full.ar.md", 18, 3,
                             "evidence: has 1 entry here but 2 in claims/valid-full.md"),
    "without-original": ("error", "translation-without-original", "valid-ful.ar.md", 0, 0,
                         "translates claims/valid-ful.md, which does not exist; did you mean 'valid-full'?"),
    "of-draft": ("error", "translation-of-draft", "draft.uk.md", 2, 1,
                 "translates claims/draft.md, which is a draft and not published"),
    "unknown-language": ("error", "unknown-language", "valid-full.arabic.md", 0, 0,
                         "'arabic' is not a language tag that claimpress knows; a translation is named "
                         "<id>.<tag>.md; did you mean 'ar'?"),
    "unknown-language-claim": ("error", "unknown-language", "in-ukrainian.md", 3, 11,
                               "language: 'ua' is not a language tag that claimpress knows; did you mean 'uk'?"),
    "same-language": ("error", "translation-same-language", "valid-full.en.md", 2, 1,
                      "translates claims/valid-full.md into its own language (en)"),
    "language-mismatch": ("error", "language-mismatch", "valid-full.ar.md", 3, 11,
                          "language: 'fa' is not the language of the file name ('ar')"),
    "incomplete": ("warning", "translation-incomplete", "valid-full.ar.md", 2, 1,
                   "lacks the translation of spokesperson, verdict, incident.location, evidence[0].note, "
                   "responses[0].summary, updates[0].note, updates[1].note, the analysis"),
    "outdated": ("warning", "translation-outdated", "valid-full.ar.md", 4, 13,
                 "translated: '2020-06-15' is before the last change of claims/valid-full.md (2020-07-01)"),
}
ALSO = {"contradicting-length": {"translation-contradicts"}}  # its country is contradicted as well


def project_with(tmp_path: Path, case: str) -> Path:
    return make_project(tmp_path / "p", *sorted((CASES_DIR / case).iterdir()))


def test_every_fixture_has_a_case_and_every_code_is_documented() -> None:
    assert {p.name for p in CASES_DIR.iterdir()} == set(CASES) | {"valid", "right-to-left"}
    table = set(re.findall(r"^\| `([a-z0-9-]+)` \|", (REPO / "docs" / "claim-format.md").read_text(), re.MULTILINE))
    assert {code for _, code, *_ in CASES.values()} | {"registry-untranslated"} <= table


@pytest.mark.parametrize("case", sorted(CASES))
def test_case(case: str, tmp_path: Path) -> None:
    severity, code, name, line, column, text = CASES[case]
    result = check_files(project_with(tmp_path, case))
    mine = [d for d in result.diagnostics if d.code == code and d.severity == severity and text in d.text()]
    assert mine, "\n".join(d.text() for d in result.diagnostics)
    assert (mine[0].path, mine[0].line, mine[0].column) == (f"claims/{name}", line, column), mine[0].text()
    errors = [d for d in result.errors if d not in mine[:1] and d.code not in ALSO.get(case, ())]
    assert errors == [], "\n".join(d.text() for d in errors)


def test_a_contradiction_names_each_field_where_the_translation_writes_it(tmp_path: Path) -> None:
    result = check_files(project_with(tmp_path, "contradicting-length"))
    assert [d.text() for d in result.errors] == [
        "claims/valid-full.ar.md:13:12: error: incident.country: is 'UA' here but 'SY' in claims/valid-full.md; "
        "a translation holds only text; facts live in claims/valid-full.md: remove incident.country here, or make "
        "it the original's [translation-contradicts]",
        "claims/valid-full.ar.md:18:3: error: evidence: has 1 entry here but 2 in claims/valid-full.md; give the "
        "original's entries in its order, or leave evidence out [translation-contradicts]"]


def test_a_complete_translation_that_repeats_the_facts_is_clean(tmp_path: Path) -> None:
    result = check_files(project_with(tmp_path, "valid"))
    assert [d for d in result.diagnostics if d.path != "claims/valid-minimal.md"] == []
    assert sorted(result.claims) == ["valid-full", "valid-minimal"]  # a translation is not a claim
    assert list(result.claims["valid-full"].translations) == ["ar"]


def test_a_claim_written_right_to_left_and_its_english_translation(tmp_path: Path) -> None:
    result = check_files(project_with(tmp_path, "right-to-left"))
    assert [d for d in result.diagnostics if d.path.startswith("claims/in-arabic") and d.is_error] == []
    data, body = result.claims["in-arabic"].translations["en"]
    assert data["title"].endswith("in English") and body == "The analysis, in English.\n"


def test_a_draft_translation_is_checked_but_not_given_to_the_build(tmp_path: Path) -> None:
    root = project_with(tmp_path, "valid")
    path = root / "claims" / "valid-full.ar.md"
    path.write_text(path.read_text().replace("translated: 2020-07-02", "translated: 2020-07-02\ndraft: true"))
    result = check_files(root)
    assert result.errors == [] and result.claims["valid-full"].translations == {}


def test_a_translation_with_errors_is_reported_by_its_own_path(tmp_path: Path) -> None:
    """`check claims/x.ar.md` reports that file, whose errors are its own (a schema error here)."""
    root = project_with(tmp_path, "valid")
    path = root / "claims" / "valid-full.ar.md"
    path.write_text(path.read_text().replace("translated: 2020-07-02", "translated: 2020-07-02\nstatuss: x"))
    found = check_project(root, only=[path]).diagnostics
    assert [(d.path, d.code) for d in found] == [("claims/valid-full.ar.md", "unknown-field")]
    assert "did you mean 'status'?" in found[0].text()


def test_the_translated_date_is_required(tmp_path: Path) -> None:
    root = project_with(tmp_path, "valid")
    path = root / "claims" / "valid-full.ar.md"
    path.write_text(path.read_text().replace("translated: 2020-07-02\n", ""))
    assert [d.code for d in check_files(root).errors] == ["missing-field"]


# --- the registries' translations --------------------------------------------------------------------

def with_languages(root: Path, languages: str) -> Path:
    (root / "mkdocs.yml").write_text(f"site_name: x\nextra:\n  claimpress:\n    languages: {languages}\n")
    return root


def test_registry_entries_lacking_a_site_language_are_warned_of(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    assert not [d for d in check_files(root).diagnostics if d.code == "registry-untranslated"]  # one language
    with_languages(root, "[en, ar]")
    categories = root / "claims" / "categories.yml"
    categories.write_text(categories.read_text().replace(
        "  description: Improvised unguided bombs.\n",
        "  description: Improvised unguided bombs.\n  translations:\n    ar: {name: البراميل المتفجرة}\n"))
    found = [d.text() for d in check_files(root).diagnostics if d.code == "registry-untranslated"]
    assert found[0].startswith("claims/categories.yml:1:1: warning: cluster-munitions: has no name or description "
                               "in ar, a language of the site; add translations: {ar: {name: ...}}")
    assert any("barrel-bombs: has no description in ar" in text for text in found)
    assert any("claims/ratings.yml:8:5: warning: ratings[0]: 'unverified' has no label or description" in text
               for text in found)
    ratings = (root / "claims" / "ratings.yml").read_text().count("  - id: ")
    assert sum("claims/ratings.yml" in text for text in found) == ratings > 1  # each rating
    assert not any("parties.yml" in text for text in found)  # a name often stays as written


def test_a_registry_translation_keyed_by_no_language_is_an_error(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    parties = root / "claims" / "parties.yml"
    parties.write_text(parties.read_text().replace("  aliases: [Example Government]\n",
                                                   "  aliases: [Example Government]\n  translations:\n"
                                                   "    ua: {name: Держава}\n"))
    [found] = check_files(root).errors
    assert found.text().startswith("claims/parties.yml:8:5: error: example-state.translations.ua: 'ua' is not a "
                                   "language tag that claimpress knows; did you mean 'uk'? [unknown-language]")


@pytest.mark.parametrize("front", [
    "translated: yes\nlanguage: 5\nevidence: 5\nincident: [1]\nresponses: {a: b}\n",
    "translated: 2020-02-30\nlanguage: [ar]\nupdates: [null, 3]\nstatus: null\n",
    "- a list\n", "translated: 2999-01-01\ntitle: ''\ntranslators: [a, a]\nid: Bad_Id\n",
    "translated: 2020-07-02\nevidence: [{note: x, kind: nope}, {url: 'javascript:alert(1)'}]\n",
])
def test_hostile_translations_get_errors_not_tracebacks(tmp_path: Path, front: str) -> None:
    root = project_with(tmp_path, "valid")
    (root / "claims" / "valid-full.ar.md").write_text(f"---\n{front}---\n")
    (root / "claims" / "nothing.x.md").write_bytes(b"\xff\xfe---\n")
    result = check_files(root)
    assert result.errors and all(d.path in ("claims/valid-full.ar.md", "claims/nothing.x.md") for d in result.errors)
    assert "valid-full" in result.claims and result.claims["valid-full"].translations == {}


def test_forked_workers_check_translations_as_one_process_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    from claimpress.check import project
    from claimpress.workers import can_fork

    if not can_fork():
        pytest.skip("needs two cores and no other thread in the test process")
    root = make_project(tmp_path / "p", *(CASES_DIR / "contradicting-status").iterdir(),
                        *(CASES_DIR / "right-to-left").iterdir())
    serial = check_files(root)
    monkeypatch.setattr(project, "PARALLEL_FROM", 1)
    forked = check_files(root)
    assert [d.text() for d in forked.diagnostics] == [d.text() for d in serial.diagnostics]
    assert any(d.code == "translation-contradicts" for d in forked.errors)
    assert forked.claims["in-arabic"].translations == serial.claims["in-arabic"].translations != {}


def test_a_translation_waits_for_its_claim_to_be_valid(tmp_path: Path) -> None:
    """A claim whose status the schema refuses has none in its checked data: its translation, which
    repeats the status, is not told that it adds one; once the claim is valid, it is compared."""
    root = project_with(tmp_path, "contradicting-status")
    claim = root / "claims" / "valid-full.md"
    claim.write_text(claim.read_text().replace("status: substantiated", "status: [substantiated]"))
    assert [(d.path, d.code) for d in check_files(root).errors] == [("claims/valid-full.md", "wrong-type")]


def test_two_files_of_one_language_are_refused(tmp_path: Path) -> None:
    root = project_with(tmp_path, "valid")
    (root / "claims" / "valid-full.AR.md").write_text((root / "claims" / "valid-full.ar.md").read_text())
    [found] = check_files(root).errors
    assert found.text() == ("claims/valid-full.ar.md: error: translates claims/valid-full.md into ar, as "
                            "claims/valid-full.AR.md does; keep one of them [duplicate-translation]")


# --- acknowledging the translations' warnings --------------------------------------------------------

def _acknowledging(root: Path, name: str, entries: str) -> None:
    path = root / "claims" / name
    path.write_text(path.read_text().replace("\ntranslated: ", f"\nacknowledged:\n{entries}translated: ", 1))


@pytest.mark.parametrize("case, code", [("outdated", "translation-outdated"), ("incomplete", "translation-incomplete")])
def test_a_translation_acknowledges_its_own_warnings(tmp_path: Path, case: str, code: str) -> None:
    """In its own `acknowledged:`, as a claim does: counted, not printed, and stale once fixed."""
    root = project_with(tmp_path, case)
    [warned] = [d for d in check_files(root).diagnostics if d.code == code]
    assert f'acknowledge it: acknowledged: {{{code}: "the reason"}}' in warned.text()
    _acknowledging(root, "valid-full.ar.md", f"  {code}: the correction is being translated\n")
    found = [d for d in check_files(root).diagnostics if d.path == "claims/valid-full.ar.md"]
    assert [(d.code, d.severity, d.hint) for d in found if d.code == code] == [
        (code, "acknowledged", "the correction is being translated")]
    assert [d for d in found if d.is_error] == []
    fixed = project_with(tmp_path / "fixed", "valid")  # a translation with no warning
    _acknowledging(fixed, "valid-full.ar.md", f"  {code}: the correction is being translated\n")
    [stale] = [d.text() for d in check_files(fixed).diagnostics if d.code == "stale-acknowledgement"]
    assert stale.startswith(f"claims/valid-full.ar.md:5:3: warning: acknowledged.{code}: acknowledges a warning "
                            "that no longer fires")


def test_a_translation_repeats_the_originals_acknowledgements_or_contradicts_them(tmp_path: Path) -> None:
    """The original's acknowledgements are facts: repeated as they are, or an error; the translation's own
    beside them are no contradiction."""
    root = project_with(tmp_path, "outdated")
    original = front_matter_of(root / "claims" / "valid-full.md").get("acknowledged") or {}
    repeated = "".join(f"  {code}: {reason}\n" for code, reason in original.items())
    _acknowledging(root, "valid-full.ar.md", repeated + "  translation-outdated: being translated\n")
    assert check_files(root).errors == []
    root = project_with(tmp_path / "other", "outdated")
    _acknowledging(root, "valid-full.ar.md", "  no-archive: another reason\n")
    assert [d.code for d in check_files(root).errors] == ["translation-contradicts"]


def test_a_translation_cannot_acknowledge_what_is_no_warning_of_it(tmp_path: Path) -> None:
    root = project_with(tmp_path, "outdated")
    _acknowledging(root, "valid-full.ar.md", "  registry-untranslated: later\n")
    [error] = [d.text() for d in check_files(root).errors]
    assert "acknowledged.registry-untranslated: 'registry-untranslated' is not a warning that can be acknowledged" \
        in error and "translation-outdated" in error


def test_the_site_acknowledges_its_registries_untranslated_entries(tmp_path: Path) -> None:
    """registry-untranslated comes of the site's languages: mkdocs.yml acknowledges it, as its own warnings."""
    root = with_languages(make_project(tmp_path / "p"), "[en, ar]")
    warned = [d for d in check_files(root).diagnostics if d.code == "registry-untranslated"]
    assert warned and all(d.severity == "warning" for d in warned)
    assert 'acknowledge it: extra.claimpress.acknowledged: {registry-untranslated: "the reason"}' in warned[0].text()
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "    acknowledged:\n      registry-untranslated: the Arabic edition "
                      "starts with the claims\n")
    found = [d for d in check_files(root).diagnostics if d.code == "registry-untranslated"]
    assert len(found) == len(warned) and {(d.severity, d.hint) for d in found} == {
        ("acknowledged", "the Arabic edition starts with the claims")}
    with_languages(root, "[en]")  # no other language: nothing to acknowledge
    config.write_text(config.read_text() + "    acknowledged: {registry-untranslated: later}\n")
    assert [d.message for d in check_files(root).diagnostics if d.code == "stale-acknowledgement"] == [
        "extra.claimpress.acknowledged.registry-untranslated: acknowledges a warning that no longer fires"]
