"""A page's language in the theme (overrides/partials/language.html, mkdocs_plugin/language.py): a
page whose front matter names a site language gets its <html lang>, <body dir> and Material's strings
in it; any other value, and any page without one, is as the theme makes it in the default language."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sitebuild import built_site, fixture_project, set_setting


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = fixture_project(tmp_path_factory.mktemp("languages"))
    set_setting(root, "languages", "[en, ar, uk]")
    docs = root / "docs"
    (docs / "in-arabic.md").write_text("---\nlang: ar\n---\n# صفحة\n\nنص.\n", encoding="utf-8")
    (docs / "in-ukrainian.md").write_text("---\nlang: UK\n---\n# Сторінка\n\nТекст.\n", encoding="utf-8")
    (docs / "hostile.md").write_text('---\nlang: "x\\"><script>alert(1)</script>"\n---\n# Hostile\n', encoding="utf-8")
    (docs / "in-french.md").write_text("---\nlang: fr\n---\n# Page\n", encoding="utf-8")  # not a site language
    return built_site(root)


def opening(html: str) -> tuple[str, str]:
    lang = re.search(r"<html lang=\"([^\"]*)\"", html)
    direction = re.search(r"<body dir=\"([^\"]*)\"", html)
    assert lang and direction
    return lang.group(1), direction.group(1)


def test_a_page_in_arabic_is_right_to_left_with_materials_arabic_strings(site: Path) -> None:
    html = (site / "in-arabic" / "index.html").read_text(encoding="utf-8")
    assert opening(html) == ("ar", "rtl")
    assert "انتقل إلى المحتوى" in html  # Material's "Skip to content"
    assert 'placeholder="البحث في الادعاءات"' in html  # the header's search box, from locale/ar
    assert "البيانات المفتوحة" in html  # the footer's "Open data"


def test_a_page_in_ukrainian_is_left_to_right_in_ukrainian(site: Path) -> None:
    html = (site / "in-ukrainian" / "index.html").read_text(encoding="utf-8")
    assert opening(html) == ("uk", "ltr")  # the tag as the site's list writes it
    assert "Перейти до змісту" in html and "Відкриті дані" in html


def test_only_a_site_language_is_taken(site: Path) -> None:
    assert opening((site / "in-arabic" / "index.html").read_text(encoding="utf-8"))[0] == "ar"
    for page in ("hostile", "in-french", "methodology"):  # a value that is no site language; none at all
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert opening(html) == ("en", "ltr")
        assert "Skip to content" in html and 'placeholder="Search claims"' in html and "Open data" in html
        assert "<script>alert(1)" not in html
