"""The model's languages (claimpress/translated.py, model.py): a claim's language and direction, its
published translations, and the registries' translated names with their fallback."""
from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, make_project

from claimpress.check.project import check_files
from claimpress.model import build_catalog

TRANSLATIONS = FIXTURES / "translations"


def _catalog(root: Path):
    result = check_files(root)
    assert not result.errors, [d.text() for d in result.errors]
    return build_catalog(result)


def test_a_claim_has_the_site_default_language_unless_it_names_one(tmp_path: Path) -> None:
    catalog = _catalog(make_project(tmp_path / "p", *(TRANSLATIONS / "right-to-left").iterdir()))
    minimal, arabic = catalog.claim("valid-minimal"), catalog.claim("in-arabic")
    assert (minimal.language, minimal.direction, minimal.translations) == ("en", "ltr", {})
    assert (arabic.language, arabic.direction) == ("ar", "rtl")
    english = arabic.translations["en"]
    assert (english.language, english.direction) == ("en", "ltr")
    assert english.title == "Example allegation with only the required fields, in English"
    assert english.location == "Example province" and english.body == "The analysis, in English.\n"
    assert english.verdict is None and english.evidence_notes == (None,)  # lacking: the original's is shown


def test_the_default_language_is_the_first_site_language(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    (root / "mkdocs.yml").write_text("site_name: x\nsite_url: https://facts.example.org/\nextra:\n  claimpress:\n"
                                     "    publisher: {name: P}\n    languages: [uk, en]\n")
    assert build_catalog(check_files(root)).claim("valid-minimal").language == "uk"


def test_a_published_translation_in_the_model(tmp_path: Path) -> None:
    catalog = _catalog(make_project(tmp_path / "p", *(TRANSLATIONS / "valid").iterdir()))
    arabic = catalog.claim("valid-full").translations["ar"]
    assert (arabic.language, arabic.direction, arabic.translated) == ("ar", "rtl", "2020-07-02")
    assert arabic.title == "ادعاء مثال يستخدم كل الحقول" and arabic.translators == ("فريق التحرير",)
    assert arabic.evidence_notes == ("يستشهد بشهود.", None)  # one a piece of the original's evidence
    assert arabic.response_summaries == ("نفى الجيش ذلك.",) and len(arabic.update_notes) == 2
    assert arabic.body.startswith("## التحليل")
    # The facts stay the original's, once: the translation holds none of them.
    assert not hasattr(arabic, "status") and catalog.claim("valid-full").status.id == "substantiated"


def test_a_draft_translation_is_not_published(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", *(TRANSLATIONS / "valid").iterdir())
    path = root / "claims" / "valid-full.ar.md"
    path.write_text(path.read_text().replace("translated: 2020-07-02", "translated: 2020-07-02\ndraft: true"))
    assert _catalog(root).claim("valid-full").translations == {}


def test_registry_names_in_a_language_fall_back_to_the_names_as_written(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    claims = root / "claims"
    for name, after, added in (
            ("ratings.yml", "    label: Unverified\n", "    translations:\n      ar: {label: لم يُتحقق منه}\n"),
            ("categories.yml", "  name: Barrel bombs\n",
             "  translations:\n    uk: {name: Бочкові бомби, description: Саморобні некеровані бомби.}\n"),
            ("parties.yml", "  aliases: [Example Government]\n", "  translations:\n    uk: {name: Приклад}\n")):
        (claims / name).write_text((claims / name).read_text().replace(after, after + added, 1))
    catalog = _catalog(root)
    unverified = catalog.ratings[0]
    assert unverified.label_in("ar") == "لم يُتحقق منه" and unverified.label_in("AR") == "لم يُتحقق منه"
    assert unverified.description_in("ar") == unverified.description  # not translated: as written
    assert unverified.label_in("uk") == unverified.label_in(None) == "Unverified"
    bombs = catalog.categories["barrel-bombs"]
    assert (bombs.name_in("uk"), bombs.description_in("uk")) == ("Бочкові бомби", "Саморобні некеровані бомби.")
    assert catalog.parties["example-state"].name_in("uk") == "Приклад"
    assert catalog.parties["example-state"].name_in("ar") == "Example State"
    assert catalog.claim("valid-minimal").categories[0].name_in("uk") == "Бочкові бомби"
