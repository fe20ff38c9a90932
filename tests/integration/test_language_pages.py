"""A claim's page in each site language it is translated into (docs/<tag>/claims/<id>.md): the page's
language and direction, its alternates and language switcher, the original's texts where the
translation lacks them, quotations in their own language, and lang/dir values an author wrote checked."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES
from sitebuild import Element, built_site, copy_project, parse, set_setting

LANGUAGES = FIXTURES / "languages" / "claims"  # valid-full in English, with ar and uk translations


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("languages") / "project", LANGUAGES)
    set_setting(root, "languages", "[en, ar, uk]")
    return built_site(root)


def page(site: Path, *parts: str) -> Element:
    return parse(site.joinpath(*parts, "index.html"))


def first(tree: Element, tag: str, cls: str | None = None) -> Element:
    found = tree.find_all(tag, cls)
    assert found, (tag, cls)
    return found[0]


def test_translated_pages_have_their_language_and_direction(site: Path) -> None:
    arabic, ukrainian = page(site, "ar", "claims", "valid-full"), page(site, "uk", "claims", "valid-full")
    assert first(arabic, "html").attrs["lang"] == "ar" and first(arabic, "body").attrs["dir"] == "rtl"
    assert first(ukrainian, "html").attrs["lang"] == "uk" and first(ukrainian, "body").attrs.get("dir") == "ltr"
    assert first(arabic, "h1").text() == "ادعاء مثال يستخدم كل الحقول"
    assert first(arabic, "h2").text() != "Verdict"  # the interface in Arabic
    assert not (site / "ar" / "claims" / "valid-minimal").exists()  # no translation: no page


def test_alternates_and_switcher_reach_every_version(site: Path) -> None:
    versions = {"en": "claims/valid-full/", "ar": "ar/claims/valid-full/", "uk": "uk/claims/valid-full/"}
    for tag, here in versions.items():
        tree = page(site, *here.strip("/").split("/"))
        links = {e.attrs["hreflang"]: e.attrs["href"] for e in tree.find_all("link") if e.attrs.get("hreflang")}
        assert links == {**{t: "https://claimpress.example/" + u for t, u in versions.items()},
                         "x-default": "https://claimpress.example/claims/valid-full/"}
        # not the exact value Material's script takes for another language's site (its sitemap fetched)
        assert all(e.attrs["rel"] != "alternate" for e in tree.find_all("link"))
        switcher = first(tree, "nav", "cp-versions").find_all("a")
        assert [a.attrs["lang"] for a in switcher] == ["en", "ar", "uk"]
        assert [a.text() for a in switcher] == ["English", "العربية", "українська"]
        current = [a for a in switcher if a.attrs.get("aria-current") == "page"]
        assert [a.attrs["hreflang"] for a in current] == [tag]
        for a in switcher:  # each link leads to that version's page
            target = (site / here / a.attrs["href"]).resolve() / "index.html"
            assert target == (site / versions[a.attrs["hreflang"]] / "index.html").resolve() and target.is_file()
    alone = page(site, "claims", "valid-minimal")
    assert not alone.find_all("nav", "cp-versions") and not [e for e in alone.find_all("link") if "hreflang" in e.attrs]


def test_original_quotation_and_fallbacks_keep_their_language(site: Path) -> None:
    arabic = page(site, "ar", "claims", "valid-full")
    quoted = first(arabic, "span", "cp-claim-original-text")
    assert (quoted.attrs["lang"], quoted.attrs["dir"]) == ("en", "ltr")
    assert "Example forces shelled" in quoted.text()
    assert "الإنجليزية" in first(arabic, "p", "cp-claim-original").text()  # "(quoted in English)", in Arabic
    spokesperson = first(arabic, "span", "cp-spokesperson").children[0]  # not translated: the original's
    assert (spokesperson.attrs["lang"], spokesperson.text()) == ("en", "Jane Doe")
    assert "مثبت" in first(arabic, "a", "cp-badge").text()  # the rating's Arabic label from ratings.yml
    ukrainian = page(site, "uk", "claims", "valid-full")
    analysis = first(ukrainian, "div", "cp-analysis")  # no translated analysis: the original's, marked
    assert (analysis.attrs.get("lang"), analysis.attrs.get("dir")) == ("en", "ltr")
    badge = first(ukrainian, "a", "cp-badge").children[0]  # no Ukrainian label: the English one, marked
    assert (badge.attrs["lang"], badge.text()) == ("en", "Substantiated")
    assert "Касетні боєприпаси" in ukrainian.text()  # the category's Ukrainian name


def test_analysis_quotations_marked_and_hostile_language_values_dropped(site: Path) -> None:
    analysis = first(page(site, "ar", "claims", "valid-full"), "div", "cp-analysis")
    quotes = analysis.find_all("blockquote")
    latin = [q for q in quotes if "Example forces" in q.text()]
    assert [(q.attrs.get("lang"), q.attrs.get("dir")) for q in latin] == [("en", "ltr")]
    hostile = [q for q in quotes if "بعلامات خاطئة" in q.text()]
    assert hostile and "lang" not in hostile[0].attrs and "dir" not in hostile[0].attrs
    assert "onmouseover" not in str(hostile[0].attrs)
    paragraph = [p for p in analysis.find_all("p") if "بوسم لغة غير صالح" in p.text()]
    assert paragraph and "lang" not in paragraph[0].attrs and paragraph[0].attrs.get("dir") == "rtl"


def test_each_version_carries_its_own_claimreview(site: Path) -> None:
    import json

    def review(*parts: str) -> dict:
        scripts = [s for s in page(site, *parts).find_all("script") if s.attrs.get("type") == "application/ld+json"]
        assert len(scripts) == 1, parts
        return json.loads(scripts[0].text())

    english, arabic = review("claims", "valid-full"), review("ar", "claims", "valid-full")
    assert (english["inLanguage"], english["url"]) == ("en", "https://claimpress.example/claims/valid-full/")
    assert (arabic["inLanguage"], arabic["url"]) == ("ar", "https://claimpress.example/ar/claims/valid-full/")
    assert arabic["claimReviewed"] != english["claimReviewed"]
