"""The one rule for a language tag (claimpress/languages.py) and the site's languages in mkdocs.yml."""
from __future__ import annotations

from pathlib import Path

import pytest

from claimpress.config import check_config, load_config
from claimpress.languages import canonical, direction, is_language, language, suggest


@pytest.mark.parametrize("tag, form", [("ar", "ar"), ("uk", "uk"), ("pt-BR", "pt-BR"), ("pt-br", "pt-BR"),
                                       ("AR", "ar"), ("zh-Hant", "zh-Hant"), ("zh-hant", "zh-Hant"),
                                       ("es-419", "es-419"), ("sr-Latn-RS", "sr-Latn-RS")])
def test_tags_babel_knows_are_languages_in_their_canonical_form(tag: str, form: str) -> None:
    assert is_language(tag) and canonical(tag) == form


@pytest.mark.parametrize("tag", ["ua", "jp", "Arabic", "pt_BR", "en-ZZ", "iw", "xx", "", "ar ", "de-DE-1996",
                                 "a" * 40, "../ar"])
def test_tags_that_are_no_language_babel_knows_as_written(tag: str) -> None:
    """A tag Babel would read as another (en-ZZ as en-US, iw as he) is not taken either."""
    assert not is_language(tag)


@pytest.mark.parametrize("tag", ["ar", "fa", "he", "ur", "ps", "ckb", "ar-SY"])
def test_right_to_left_scripts(tag: str) -> None:
    assert direction(tag) == "rtl"


@pytest.mark.parametrize("tag", ["en", "uk", "ru", "zh-Hant", "no-such"])
def test_left_to_right_scripts_and_what_is_no_language(tag: str) -> None:
    assert direction(tag) == "ltr"


def test_a_language_is_named_in_itself_for_a_switcher() -> None:
    assert language("ar").name == "العربية" and language("uk").name == "українська"
    assert language("ar").english == "Arabic"


@pytest.mark.parametrize("wrong, meant", [("ua", "uk"), ("jp", "ja"), ("Arabic", "ar"), ("ukrainian", "uk"),
                                          ("ukranian", "uk"), ("pt_BR", "pt-BR"), ("UK_ua", "uk-UA"),
                                          ("en-ZZ", "en"), ("iw", "he"), ("Persian", "fa")])
def test_a_wrong_tag_gets_what_was_meant(wrong: str, meant: str) -> None:
    assert suggest(wrong) == f"did you mean '{meant}'?"


def test_a_tag_nothing_like_a_language_gets_what_a_tag_is() -> None:
    assert "such as en, ar, uk or pt-BR" in suggest("qqqq")


# --- extra.claimpress.languages ----------------------------------------------------------------------

def config_with(tmp_path: Path, setting: str) -> list[str]:
    (tmp_path / "mkdocs.yml").write_text(f"site_name: x\nextra:\n  claimpress:\n{setting}")
    return [d.text() for d in check_config(load_config(tmp_path), needs_claimreview=False)]


def test_site_languages_are_read_the_first_the_default(tmp_path: Path) -> None:
    assert config_with(tmp_path, "    languages: [en, ar, uk, pt-br]\n") == []
    config = load_config(tmp_path)
    assert config.languages == ("en", "ar", "uk", "pt-br") and config.default_language == "en"


def test_without_the_setting_the_theme_language_or_english(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    assert load_config(tmp_path).languages == ("en",)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ntheme: {name: material, language: uk}\n")
    assert load_config(tmp_path).languages == ("uk",)


@pytest.mark.parametrize("setting, message", [
    ("[en, ua]", "mkdocs.yml: error: extra.claimpress.languages[1]: 'ua' is not a language tag that claimpress "
                 "knows; did you mean 'uk'? [unknown-language]"),
    ("[en, Arabic]", "did you mean 'ar'? [unknown-language]"),
    ("[en, ar, AR]", "extra.claimpress.languages[2]: 'AR' is listed twice (first as 'ar'); list each language "
                     "once [invalid-config]"),
    ("en", "extra.claimpress.languages must be a list of language tags, the first the site's default"),
    ("[]", "extra.claimpress.languages must be a list of language tags"),
    ("[en, 3]", "extra.claimpress.languages[1]: 3 is not a language tag"),
])
def test_site_languages_that_are_wrong_are_refused(tmp_path: Path, setting: str, message: str) -> None:
    found = config_with(tmp_path, f"    languages: {setting}\n")
    assert any(message in text for text in found), found
    assert load_config(tmp_path).languages[0] == "en"  # what the site falls back to meanwhile


# --- one rule: the check's, the interface's and the theme's ----------------------------------------

@pytest.mark.parametrize("tag", ["ar", "uk", "pt-BR", "pt-br", "zh-Hant", "en-ZZ", "iw", "xx", "ar-SY"])
def test_the_check_the_interface_and_the_theme_agree_on_a_tag(tag: str) -> None:
    """languages.language is the rule; i18n (dates, numbers, catalogues) and the MkDocs plugin (a page's
    lang and dir) take a tag, and give its direction, exactly when it does."""
    from claimpress import i18n
    from claimpress.mkdocs_plugin.language import page_versions, site_languages

    found = language(tag)
    assert (found is not None) == (tag not in ("en-ZZ", "iw", "xx"))
    assert (i18n.locale_of(tag) is not None) == (found is not None)
    config = {"extra": {"claimpress": {"languages": ["en", tag]}}, "theme": {"language": "en"}}
    assert (tag in site_languages(config)) == (found is not None)
    versions = page_versions(type("Page", (), {"meta": {"versions": [["en", "claims/x/"], [tag, f"{tag}/claims/x/"]]}}))
    assert (len(versions) == 2) == (found is not None)
    assert i18n.direction(tag) == direction(tag) == ("rtl" if found and tag.startswith("ar") else "ltr")
