"""The open data in the site's languages: each record's language and translations in the datasets,
ClaimReview's inLanguage, a review on the page of its language, and an Atom feed per language. On a
fixture project with an Arabic and a Ukrainian translation of valid-full (never the repository's claims)."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from conftest import FIXTURES, REPO, make_project

from claimpress.check.project import check_files
from claimpress.config import SiteConfig
from claimpress.model import Catalog, build_catalog
from claimpress.render import exports
from claimpress.render.feeds import feed_files
from claimpress.render.site import render_site

SITE_URL = "https://claimpress.example/"
CONFIG = SiteConfig(found=True, site_url=SITE_URL, publisher="P", languages=("en", "ar", "uk"))


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    root = make_project(tmp_path_factory.mktemp("multilingual") / "p",
                        FIXTURES / "translations" / "valid" / "valid-full.ar.md",
                        FIXTURES / "multilingual" / "valid-full.uk.md")
    ratings = root / "claims" / "ratings.yml"
    # The rating's label in Arabic, none in Ukrainian (the review there falls back to the label as written).
    ratings.write_text(ratings.read_text().replace(
        "  - id: substantiated\n    label: Substantiated\n",
        "  - id: substantiated\n    label: Substantiated\n    translations: {ar: {label: مثبت}}\n"))
    result = check_files(root)
    assert not result.errors, [d.text() for d in result.errors]
    return build_catalog(result)


def test_claims_json_records_carry_language_and_translations(catalog: Catalog) -> None:
    data = json.loads("".join(exports.claims_json(catalog, CONFIG)))
    assert data["version"] == exports.DATASET_VERSION != "1.0"
    by_id = {c["id"]: c for c in data["claims"]}
    assert by_id["valid-full"]["language"] == "en" and by_id["valid-full"]["translations"] == ["ar", "uk"]
    assert by_id["valid-minimal"]["language"] == "en" and by_id["valid-minimal"]["translations"] == []


def test_claims_csv_has_the_language_columns(catalog: Catalog) -> None:
    text = "".join(exports.claims_csv(catalog, CONFIG)).lstrip("\ufeff")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
    assert (rows["valid-full"]["language"], rows["valid-full"]["translations"]) == ("en", "ar; uk")
    assert (rows["valid-minimal"]["language"], rows["valid-minimal"]["translations"]) == ("en", "")
    assert [c.name for c in exports.CLAIM_COLUMNS][-2:] == ["language", "translations"]


def test_claimreview_carries_the_claims_language(catalog: Catalog) -> None:
    review = exports.claimreview(catalog.claim("valid-full"), catalog, CONFIG)
    assert review is not None and review["inLanguage"] == "en"
    assert review["url"] == f"{SITE_URL}claims/valid-full/" and review["reviewRating"]["alternateName"] == "Substantiated"
    item = json.loads(exports.claimreview_item(catalog.claim("valid-full"), catalog, CONFIG) or "")
    assert item["item"][0]["inLanguage"] == "en"


def test_claimreview_on_the_page_of_a_translation(catalog: Catalog) -> None:
    claim = catalog.claim("valid-full")
    arabic = exports.claimreview(claim, catalog, CONFIG, language="ar")
    assert arabic is not None and arabic["inLanguage"] == "ar"
    assert arabic["url"] == f"{SITE_URL}ar/claims/valid-full/"
    assert arabic["claimReviewed"] == claim.translations["ar"].claim != claim.claim
    assert arabic["reviewRating"]["alternateName"] == "مثبت"
    ukrainian = exports.claimreview(claim, catalog, CONFIG, language="uk")
    assert ukrainian is not None and ukrainian["url"] == f"{SITE_URL}uk/claims/valid-full/"
    assert ukrainian["claimReviewed"].startswith("Сили прикладу") and ukrainian["inLanguage"] == "uk"
    assert ukrainian["reviewRating"]["alternateName"] == "Substantiated"  # no Ukrainian label: as written
    # The facts are the original's, in every language.
    assert arabic["itemReviewed"] == ukrainian["itemReviewed"] == exports.claimreview(claim, catalog, CONFIG)["itemReviewed"]
    # A language with no published translation: the claim's own review.
    assert exports.claimreview(claim, catalog, CONFIG, language="fr") == exports.claimreview(claim, catalog, CONFIG)


def test_the_downloads_page_lists_the_columns_and_the_version(catalog: Catalog) -> None:
    [snippet] = [text for path, text in render_site(catalog, REPO / "templates", CONFIG)
                 if path == "_snippets/downloads.html"]
    assert f"dataset format version {exports.DATASET_VERSION}." in snippet
    assert '<code class="cp-column-name">language</code>' in snippet
    assert '<code class="cp-column-name">translations</code>' in snippet


ATOM = "{http://www.w3.org/2005/Atom}"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def feeds(catalog: Catalog) -> dict[str, ET.Element]:
    return {path: ET.fromstring(text.encode()) for path, text in feed_files(catalog, CONFIG, REPO)}


def test_a_feed_pair_for_each_site_language(feeds: dict[str, ET.Element]) -> None:
    assert sorted(feeds) == ["ar/claims.atom", "ar/corrections.atom", "claims.atom", "corrections.atom",
                             "uk/claims.atom", "uk/corrections.atom"]
    for path, feed in feeds.items():
        assert feed.get(LANG) == (path.split("/")[0] if "/" in path else "en")
        [self_link] = [link for link in feed.iter(ATOM + "link") if link.get("rel") == "self"]
        assert self_link.get("href") == SITE_URL + path


def test_a_languages_feed_holds_its_translations_in_its_words(feeds: dict[str, ET.Element],
                                                                catalog: Catalog) -> None:
    claim = catalog.claim("valid-full")
    arabic = feeds["ar/claims.atom"]
    assert arabic.findtext(ATOM + "title") == "P: الادعاءات الجديدة والمحدّثة"
    [entry] = arabic.findall(ATOM + "entry")  # valid-minimal has no Arabic translation
    assert entry.get(LANG) == "ar"
    assert entry.findtext(ATOM + "title") == f"[مثبت] {claim.translations['ar'].title}"
    assert entry.find(ATOM + "title").get(LANG) is None  # in the feed's language
    assert entry.findtext(ATOM + "summary") == f"مثبت. الجهة المدّعية Example Watch: {claim.translations['ar'].claim}"
    assert entry.find(ATOM + "link").get("href") == entry.findtext(ATOM + "id") == f"{SITE_URL}ar/claims/valid-full/"
    ukrainian = feeds["uk/claims.atom"]
    [entry] = ukrainian.findall(ATOM + "entry")
    assert ukrainian.findtext(ATOM + "subtitle") == "Твердження, докази й висновки перевірки"
    assert entry.get(LANG) == "uk" and entry.findtext(ATOM + "title") == f"[Substantiated] {claim.translations['uk'].title}"
    assert entry.find(ATOM + "link").get("href") == f"{SITE_URL}uk/claims/valid-full/"
    # The default language's feed: every claim, as written, at its own page.
    english = feeds["claims.atom"]
    assert english.findtext(ATOM + "title") == "P: new and updated claims"
    links = sorted(e.find(ATOM + "link").get("href") for e in english.findall(ATOM + "entry"))
    assert links == [f"{SITE_URL}claims/valid-full/", f"{SITE_URL}claims/valid-minimal/"]
    assert all(e.get(LANG) is None for e in english.findall(ATOM + "entry"))


def test_a_languages_corrections_in_its_words(feeds: dict[str, ET.Element], catalog: Catalog) -> None:
    claim = catalog.claim("valid-full")
    entries = feeds["uk/corrections.atom"].findall(ATOM + "entry")
    assert [e.findtext(ATOM + "summary") for e in entries] == ["Статус змінено на «Підтверджено».",
                                                              "Уперше опубліковано."]
    assert entries[0].find(ATOM + "link").get("href") == f"{SITE_URL}uk/claims/valid-full/#updates"
    assert feeds["uk/corrections.atom"].findtext(ATOM + "title") == "P: виправлення та зміни оцінок"
    english = [e.findtext(ATOM + "summary") for e in feeds["corrections.atom"].findall(ATOM + "entry")]
    assert english[:2] == [u.note for u in reversed(claim.updates)]
