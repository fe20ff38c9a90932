"""The open data in the site's languages: each record's language and translations in the datasets,
ClaimReview's inLanguage, a review on the page of its language, and an Atom feed per language. On a
fixture project with an Arabic and a Ukrainian translation of valid-full (never the repository's claims)."""
from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import FIXTURES, REPO, make_project

from claimpress.check.project import check_files
from claimpress.config import SiteConfig
from claimpress.model import Catalog, build_catalog
from claimpress.render import exports
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
