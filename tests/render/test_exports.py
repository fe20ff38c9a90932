"""Open data, read back the way its consumers read it: JSON-LD through a JSON-LD processor (pyld),
CSV through the csv module, Atom through an XML parser."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, front_matter, make_project
from pyld import jsonld
from sitebuild import build, fixture_project, parse

from claimpress.check.project import check_project
from claimpress.render.exports import compact_json, json_list

SITE_URL = "https://claimpress.example/"
SCHEMA = "http://schema.org/"
CONTEXT = json.loads((FIXTURES / "schemaorg-context.jsonld").read_text())


def _loader(url, options=None):
    # No network in tests: schema.org's context, reduced to what ClaimReview uses (see the fixture).
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}


jsonld.set_document_loader(_loader)


def _ld_blocks(page: Path) -> list:
    return [json.loads(e.text()) for e in parse(page).iter()
            if e.tag == "script" and e.attrs.get("type") == "application/ld+json"]


def _value(node: dict, prop: str):
    values = node.get(SCHEMA + prop, [])
    return [v.get("@value", v.get("@id")) for v in values]


def _one(node: dict, prop: str):
    [value] = _value(node, prop)
    return value


@pytest.mark.parametrize("cid", ["valid-full", "hostile-claimreview"])
def test_claimreview_expands_to_the_claim(fixture_site: Path, cid: str) -> None:
    data = front_matter(FIXTURES / ("project/claims" if cid == "valid-full" else "hostile") / f"{cid}.md")
    blocks = _ld_blocks(fixture_site / "site" / "claims" / cid / "index.html")
    assert len(blocks) == 1
    [review] = jsonld.expand(blocks[0])
    assert review["@type"] == [SCHEMA + "ClaimReview"]
    assert _one(review, "url") == f"{SITE_URL}claims/{cid}/"
    assert _one(review, "claimReviewed") == data["claim"]  # exactly, whatever it holds
    assert _one(review, "datePublished") == str(data["published"])
    [author] = review[SCHEMA + "author"]
    assert author["@type"] == [SCHEMA + "Organization"] and _one(author, "name") == "claimpress"
    [rating] = review[SCHEMA + "reviewRating"]
    ratings = {r["id"]: r for r in yaml.safe_load((FIXTURES / "project/claims/ratings.yml").read_text())["ratings"]}
    assert _one(rating, "alternateName") == ratings[data["status"]]["label"]
    assert _one(rating, "ratingValue") == ratings[data["status"]]["rating_value"]
    assert (_one(rating, "bestRating"), _one(rating, "worstRating")) == (6, 1)
    [item] = review[SCHEMA + "itemReviewed"]
    assert item["@type"] == [SCHEMA + "Claim"]
    assert _one(item, "datePublished") == str(data["claimed_on"])
    parties = yaml.safe_load((FIXTURES / "project/claims/parties.yml").read_text())
    [claimant] = item[SCHEMA + "author"]
    assert _one(claimant, "name") == parties[data["claimant"]]["name"]
    appearances = sorted(_one(a, "url") for a in item.get(SCHEMA + "appearance", []))
    assert appearances == sorted(e["url"] for e in data["evidence"] if e["stance"] != "refutes")


def test_the_script_cannot_be_closed_from_inside(fixture_site: Path) -> None:
    html = (fixture_site / "site" / "claims" / "hostile-claimreview" / "index.html").read_text()
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)["claimReviewed"].startswith("</script><script>")


def test_no_claimreview_for_ratings_that_are_not_verdicts(fixture_site: Path) -> None:
    for cid in ("valid-minimal", "hostile-everything"):
        assert _ld_blocks(fixture_site / "site" / "claims" / cid / "index.html") == []


def test_claimreview_datafeed(fixture_site: Path) -> None:
    feed = json.loads((fixture_site / "site" / "data" / "claimreview.json").read_text())
    expanded = jsonld.expand(feed)
    assert expanded[0]["@type"] == [SCHEMA + "DataFeed"]
    items = expanded[0][SCHEMA + "dataFeedElement"]
    urls = sorted(_one(i[SCHEMA + "item"][0], "url") for i in items)
    assert urls == [f"{SITE_URL}claims/hostile-claimreview/", f"{SITE_URL}claims/valid-full/"]


def test_the_translation_schema_is_published_beside_the_claims(fixture_site: Path) -> None:
    """schema/translation.schema.json, as check applies it, linked from Downloads; its $refs name
    claim.schema.json, which sits beside it, so the published pair validates a translation."""
    import jsonschema
    from referencing import Registry, Resource

    from claimpress.check.schema import SCHEMA_DIR

    published = fixture_site / "site" / "schema"
    for kind in ("claim", "translation"):
        assert (published / f"{kind}.schema.json").read_bytes() == (SCHEMA_DIR / f"{kind}.schema.json").read_bytes()
    links = [a.attrs.get("href") for a in parse(fixture_site / "site" / "downloads" / "index.html").find_all("a")]
    assert "../schema/translation.schema.json" in links
    registry = Registry().with_resources(
        (f"{kind}.schema.json", Resource.from_contents(json.loads((published / f"{kind}.schema.json").read_text())))
        for kind in ("claim", "translation"))
    translation = json.loads((published / "translation.schema.json").read_text())
    validator = jsonschema.Draft7Validator(translation, registry=registry)
    data = front_matter(FIXTURES / "translations" / "valid" / "valid-full.ar.md")
    data = json.loads(json.dumps(data, default=str))  # dates as the text the claim file holds
    assert list(validator.iter_errors(data)) == []
    assert [e.validator for e in validator.iter_errors({**data, "status": 3})] == ["type"]  # through the $ref


def test_claims_json_resolves_references(fixture_site: Path) -> None:
    data = json.loads((fixture_site / "site" / "data" / "claims.json").read_text())
    assert data["schema"] == f"{SITE_URL}schema/claim.schema.json" and data["version"] and data["date"]
    assert (fixture_site / "site" / "schema" / "claim.schema.json").exists()
    by_id = {c["id"]: c for c in data["claims"]}
    assert set(by_id) == {"valid-full", "valid-minimal", "hostile-everything", "hostile-claimreview"}
    full = by_id["valid-full"]
    assert full["claimant"]["name"] == "Example Watch" and full["accused"][0]["parent"] == "example-state"
    assert full["status"] == {"id": "substantiated", "label": "Substantiated", "rating_value": 5}
    assert full["categories"] == [{"id": "cluster-munitions", "name": "Cluster munitions"}]


def _csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheet software reads it as UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_claims_csv_is_clean_and_injection_safe(fixture_site: Path) -> None:
    rows = {r["id"]: r for r in _csv(fixture_site / "site" / "data" / "claims.csv")}
    assert len(rows) == 4
    hostile = rows["hostile-claimreview"]
    assert hostile["title"].startswith("'=HYPERLINK(")                 # never a formula
    assert hostile["location"] == "'+Somewhere, -elsewhere, @handle"
    assert hostile["latitude"] == "-33.5" and hostile["longitude"] == "-70.25"  # numbers stay numbers
    assert hostile["claim"].startswith("</script>") and "Кириллица" in hostile["claim"]
    full = rows["valid-full"]
    assert full["accused"] == "example-army" and full["killed_min"] == "2" and full["killed_max"] == "4"
    assert full["url"] == f"{SITE_URL}claims/valid-full/"
    # The responses (denials above all) are in the spreadsheet too, not only in claims.json.
    assert full["responses"] == "Example Army (denied)" and rows["valid-minimal"]["responses"] == ""
    evidence = _csv(fixture_site / "site" / "data" / "evidence.csv")
    mine = [r for r in evidence if r["claim_id"] == "hostile-claimreview"]
    assert [r["title"] for r in mine] == ["'-The report", "A denial"]
    assert mine[0]["publisher"] == "'@Example Times"
    assert len(evidence) == sum(len(front_matter(p)["evidence"]) for p in
                                [*(FIXTURES / "project/claims").glob("*.md"), *(FIXTURES / "hostile").glob("*.md")])


def test_geojson_points_are_longitude_first(fixture_site: Path) -> None:
    data = json.loads((fixture_site / "site" / "data" / "claims.geojson").read_text())
    points = {f["id"]: f["geometry"]["coordinates"] for f in data["features"]}
    assert points == {"valid-full": [40.83, 34.7], "hostile-claimreview": [-70.25, -33.5]}


ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feeds(fixture_site: Path) -> None:
    feed = ET.parse(fixture_site / "site" / "claims.atom").getroot()
    entries = feed.findall(f"{ATOM}entry")
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert entries[0].find(f"{ATOM}title").text.startswith("[Single source] =HYPERLINK(")
    corrections = ET.parse(fixture_site / "site" / "corrections.atom").getroot().findall(f"{ATOM}entry")
    assert corrections[0].find(f"{ATOM}summary").text == "Corrected the incident month."
    # Advertised in every page's head.
    for page in (fixture_site / "site").rglob("index.html"):
        links = [e.attrs for e in parse(page).iter()
                 if e.tag == "link" and "alternate" in (e.attrs.get("rel") or "").split()]
        assert any(link.get("type") == "application/atom+xml" for link in links), page


def test_sharing_metadata_is_escaped(fixture_site: Path) -> None:
    page = parse(fixture_site / "site" / "claims" / "hostile-everything" / "index.html")
    meta = {e.attrs.get("property") or e.attrs.get("name"): e.attrs.get("content") for e in page.iter() if e.tag == "meta"}
    data = front_matter(FIXTURES / "hostile" / "hostile-everything.md")
    assert meta["og:title"] == data["title"] and meta["twitter:title"] == data["title"]
    assert meta["og:url"] == f"{SITE_URL}claims/hostile-everything/"
    canonical = [e.attrs["href"] for e in page.iter() if e.tag == "link" and e.attrs.get("rel") == "canonical"]
    assert canonical == [f"{SITE_URL}claims/hostile-everything/"]


def test_output_is_deterministic(fixture_site: Path, tmp_path: Path) -> None:
    other = fixture_project(tmp_path / "again")
    assert build(other).returncode == 0
    for name in ("data/claims.json", "data/claims.csv", "data/claimreview.json", "claims.atom", "corrections.atom"):
        assert (other / "docs" / name).read_bytes() == (fixture_site / "docs" / name).read_bytes(), name


def test_check_requires_the_settings_claimreview_needs(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "mkdocs.yml").write_text("site_name: x\n")
    codes = [(d.code, d.message.split(" ")[0]) for d in check_project(root).errors]
    assert ("missing-config", "site_url") in codes and ("missing-config", "extra.claimpress.publisher.name") in codes
    (root / "mkdocs.yml").write_text("site_name: x\nsite_url: ftp://x/\nextra: {claimpress: {publisher: {name: P}}}\n")
    assert [d.code for d in check_project(root).errors] == ["invalid-config"]
    (root / "mkdocs.yml").write_text("site_name: x\nsite_url: https://x/\nextra: {claimpress: {publisher: {name: P}, "
                                     "data_licence: CC BY, data_licence_url: 'javascript:alert(1)'}}\n")
    assert [d.message.split(":")[0] for d in check_project(root).errors] == ["extra.claimpress.data_licence_url"]
    (root / "mkdocs.yml").write_text("site_name: x\nsite_url: https://facts.example/\n"
                                     "extra: {claimpress: {publisher: {name: P}}}\n")
    result = check_project(root)
    assert result.errors == [] and [d.code for d in result.diagnostics if d.path == "mkdocs.yml"] == ["placeholder-config"]


@pytest.mark.parametrize("sort_keys", [False, True])
@pytest.mark.parametrize("head", [{}, {"b": 1, "z": [2, {"y": 1, "x": "é"}]}, {"z": 1, "a": {"c": 1, "b": 2}}])
def test_json_in_pieces_is_the_json_of_the_whole(head: dict, sort_keys: bool) -> None:
    """Large datasets are written in pieces (claims.json, claims-index.json, claimreview.json): the
    text must be what the whole object would give, with the list's key where sorting puts it."""
    items = [{"k": 2, "j": "</script>"}, [1, "ü"], None]
    whole = compact_json({**head, "m": items}, sort_keys=sort_keys) + "\n"
    assert "".join(json_list(head, "m", iter(items), sort_keys=sort_keys)) == whole
    empty = compact_json({**head, "m": []}, sort_keys=sort_keys) + "\n"
    assert "".join(json_list(head, "m", iter([]), sort_keys=sort_keys)) == empty
