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


# The site's own pages in each site language (render/language_pages.py, mkdocs_plugin/nav.py).

def nav_links(tree: Element) -> dict[str, str]:
    """The primary navigation's entries: title -> address (a section's title -> "")."""
    nav = first(tree, "nav", "md-nav--primary")
    out = {}
    for e in nav.find_all():
        if e.tag in ("a", "label") and "md-nav__link" in (e.attrs.get("class") or "").split():
            title = " ".join(e.text().split())
            if title:
                out.setdefault(title, e.attrs.get("href") or "")
    return out


def resolved(site: Path, here: str, href: str) -> Path:
    return (site / here / href).resolve() / "index.html"


def test_home_all_claims_and_map_in_each_site_language(site: Path) -> None:
    for tag, direction in (("ar", "rtl"), ("uk", "ltr")):
        for here in (f"{tag}/", f"{tag}/claims/", f"{tag}/map/"):
            tree = page(site, *here.strip("/").split("/"))
            assert first(tree, "html").attrs["lang"] == tag and first(tree, "body").attrs.get("dir") == direction, here
    home = page(site, "ar")
    assert "ما تقوله الأدلة" in home.text() and "Where the evidence stands" not in home.text()
    assert first(page(site, "ar", "claims"), "h1").text() == "جميع الادعاءات"
    assert first(page(site, "ar", "map"), "h1").text() == "الخريطة"
    # The table and the map read this language's data: its titles, and the rating's Arabic label.
    assert first(page(site, "ar", "claims"), "div", "cp-all").attrs["data-src"] == "../../data/claims-index.ar.json"
    assert first(page(site, "ar", "map"), "div", "cp-map-page").attrs["data-src"] == "../../data/claims-index.ar.json"
    # The default's pages are as they were: English, their own data.
    english = page(site, "claims")
    assert first(english, "html").attrs["lang"] == "en" and first(english, "h1").text() == "All claims"
    assert first(english, "div", "cp-all").attrs["data-src"] == "../data/claims-index.json"


def test_the_navigation_of_a_page_is_in_its_language_and_leads_to_its_pages(site: Path) -> None:
    for here in ("ar/", "ar/claims/", "ar/map/", "ar/claims/valid-full/"):
        links = nav_links(page(site, *here.strip("/").split("/")))
        assert {"الرئيسية", "جميع الادعاءات", "الخريطة", "تصفّح", "المنهجية"} <= set(links), (here, links)
        assert not {"Home", "All claims", "Map", "Methodology"} & set(links), here
        assert resolved(site, here, links["جميع الادعاءات"]) == (site / "ar" / "claims" / "index.html").resolve()
        assert resolved(site, here, links["الرئيسية"]) == (site / "ar" / "index.html").resolve()
        assert resolved(site, here, links["الخريطة"]) == (site / "ar" / "map" / "index.html").resolve()
        # no Arabic version: the default's page, its title in Arabic
        assert resolved(site, here, links["المنهجية"]) == (site / "methodology" / "index.html").resolve()
    ukrainian = nav_links(page(site, "uk", "claims"))
    assert ukrainian["Усі твердження"] == "./" and "Головна" in ukrainian
    english = nav_links(page(site, "claims", "valid-full"))
    assert {"Home", "All claims", "Map", "Methodology"} <= set(english)
    assert resolved(site, "claims/valid-full/", english["All claims"]) == (site / "claims" / "index.html").resolve()
    arabic_home = page(site, "ar")
    current = [a for a in first(arabic_home, "nav", "md-nav--primary").find_all("a")
               if "md-nav__link--active" in (a.attrs.get("class") or "")]
    assert [" ".join(a.text().split()) for a in current] == ["الرئيسية"]


def test_site_pages_switch_language_and_name_their_alternates(site: Path) -> None:
    for path in ("", "claims/", "map/"):
        versions = {"en": path, "ar": f"ar/{path}", "uk": f"uk/{path}"}
        for tag, here in versions.items():
            tree = page(site, *here.strip("/").split("/")) if here else parse(site / "index.html")
            links = {e.attrs["hreflang"]: e.attrs["href"] for e in tree.find_all("link") if e.attrs.get("hreflang")}
            assert links == {**{t: "https://claimpress.example/" + u for t, u in versions.items()},
                             "x-default": "https://claimpress.example/" + path}, here
            switcher = first(tree, "nav", "cp-versions").find_all("a")
            assert [a.attrs["lang"] for a in switcher] == ["en", "ar", "uk"]
            assert [a.attrs["hreflang"] for a in switcher if a.attrs.get("aria-current") == "page"] == [tag]
            for a in switcher:
                assert resolved(site, here, a.attrs["href"]) == (site / versions[a.attrs["hreflang"]] / "index.html")


def test_an_untranslated_claim_is_listed_with_its_own_title_and_page(site: Path) -> None:
    import json

    latest = {a.text(): a for a in first(page(site, "ar"), "ul", "cp-latest").find_all("a") if "cp-badge" not in
              (a.attrs.get("class") or "")}
    translated, untranslated = latest["ادعاء مثال يستخدم كل الحقول"], latest["Example allegation with only the required fields"]
    assert resolved(site, "ar/", translated.attrs["href"]) == (site / "ar" / "claims" / "valid-full" / "index.html")
    assert "lang" not in translated.attrs
    assert resolved(site, "ar/", untranslated.attrs["href"]) == (site / "claims" / "valid-minimal" / "index.html")
    assert (untranslated.attrs["lang"], untranslated.attrs["dir"]) == ("en", "ltr")
    # The table's and the map's data in Arabic: the same, row by row.
    data = json.loads((site / "data" / "claims-index.ar.json").read_text(encoding="utf-8"))
    column = {name: i for i, name in enumerate(data["columns"])}
    rows = {row[0]: row for row in data["claims"]}
    full, minimal = rows["valid-full"], rows["valid-minimal"]
    assert (full[column["title"]], full[column["title_language"]], full[column["page"]]) == (
        "ادعاء مثال يستخدم كل الحقول", None, 1)
    assert minimal[column["title"]] == "Example allegation with only the required fields" and minimal[column["page"]] == 0
    assert data["languages"][minimal[column["title_language"]]] == ["en", "ltr"]
    assert "مثبت" in [label for _, label, *_ in data["ratings"]]
    english = json.loads((site / "data" / "claims-index.json").read_text(encoding="utf-8"))
    assert "languages" not in english and len(english["columns"]) == 12  # the default's data as it was


def test_a_language_left_out_of_the_setting_leaves_no_page(tmp_path: Path) -> None:
    from sitebuild import build

    root = copy_project(tmp_path / "project", LANGUAGES)
    set_setting(root, "languages", "[en, ar, uk]")
    built_site(root)
    assert (root / "docs" / "ar" / "index.md").is_file() and (root / "site" / "ar" / "map" / "index.html").is_file()
    hand_written = root / "docs" / "ar" / "about.md"  # a page of the project's own in that folder stays
    hand_written.write_text("# About, in Arabic\n\nنص.\n", encoding="utf-8")
    config = (root / "mkdocs.yml").read_text()
    (root / "mkdocs.yml").write_text(config.replace("languages: [en, ar, uk]", "languages: [en, uk]"))
    done = build(root)
    assert done.returncode == 0, done.stderr
    docs = root / "docs" / "ar"
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()) == ["about.md"]
    assert not (root / "site" / "ar" / "index.html").exists() and not (root / "site" / "ar" / "claims").exists()
    assert (root / "site" / "uk" / "claims" / "index.html").is_file()
    assert not (root / "site" / "data" / "claims-index.ar.json").exists()


def test_pages_in_a_language_link_its_own_feeds(site: Path) -> None:
    for parts, folder in ((("ar", "claims", "valid-full"), "ar/"), (("ar",), "ar/"), (("uk", "claims"), "uk/"),
                          (("claims", "valid-full"), "")):
        tree = page(site, *parts)
        here = site.joinpath(*parts)
        feeds = [e.attrs["href"] for e in tree.find_all("link") if e.attrs.get("type") == "application/atom+xml"]
        feeds += [e.attrs["href"] for e in tree.find_all("a") if e.attrs.get("type") == "application/atom+xml"]
        assert len(feeds) == 4, parts
        for href in feeds:  # each leads to the feed of the page's language, which the build wrote
            target = (here / href).resolve()
            assert target.is_file() and target.parent == (site / folder).resolve(), (parts, href)
