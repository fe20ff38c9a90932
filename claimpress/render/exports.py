"""Open data: ClaimReview JSON-LD and the datasets (JSON, CSV, GeoJSON); the Atom feeds are feeds.py's.

Pure functions from the catalog (and the site's settings) to text. Deterministic: no clock is
read; a dataset's date is the date of the newest change to any claim. A data file is made of one
piece a claim (claim_json, claim_csv...): the file's function takes them made already where its
caller has them (render.site: the preview recalls an unchanged claim's pieces), else makes them.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..config import SiteConfig
from ..model import Catalog, Claim, Party
from .links import claim_address

# 1.1: each claim's `language` and the languages of its published `translations` (added at the end).
DATASET_VERSION = "1.1"


class RawJSON(str):
    """A list item that is JSON text already (a claim's piece): json_list puts it in as it is."""


def compact_json(value: Any, sort_keys: bool = False) -> str:
    """JSON without indentation: Python's C encoder only runs without it (ten times faster at
    10,000 claims), and the files are a third smaller."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)


def script_json(value: Any) -> str:
    """JSON safe inside <script>: no "</script>", "<!--" or "&" can appear literally."""
    return script_safe(compact_json(value, sort_keys=True))


def script_safe(json_text: str) -> str:
    """JSON text (or a piece of it) escaped to stay one JavaScript expression wherever it is put: no "<", ">"
    or "&" that could close or open markup around it, nor U+2028 or U+2029, which JavaScript before ES2019
    refuses inside a string. Outside strings JSON has none of these, so each becomes a \\u escape inside a
    string, meaning the same text."""
    return (json_text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def claim_url(config: SiteConfig, claim: Claim, language: str | None = None) -> str:
    """A claim's page; with `language`, the page of its translation into that site language (the
    default language's is the claim's own page)."""
    return config.absolute(claim_address(claim.id, None if language == config.default_language else language))


def _agent(party: Party) -> dict[str, str]:
    return {"@type": "Person" if party.kind == "individual" else "Organization", "name": party.name}


def claimreview(claim: Claim, catalog: Catalog, config: SiteConfig, language: str | None = None
                ) -> dict[str, Any] | None:
    """The schema.org ClaimReview of a claim whose rating is a verdict; None for one that is not.
    `language`: the review on the page of the claim's published translation into that language (its
    text, its rating's label there, its address); else, or where there is none, the claim's own."""
    rating = claim.status
    if not rating.is_verdict:
        return None
    translation = claim.translations.get(language) if language and language != claim.language else None
    label = rating.alternate_name or rating.label
    if translation is not None:
        # The rating's translated label, where ratings.yml has one; the name as written otherwise.
        label = rating.label_in(translation.language) if translation.language in rating.translations else label
    review_rating: dict[str, Any] = {"@type": "Rating", "alternateName": label}
    if rating.rating_value is not None:
        review_rating.update(ratingValue=rating.rating_value, bestRating=catalog.best_rating,
                             worstRating=catalog.worst_rating)
    appearances = sorted({e.url for e in claim.evidence if e.url and e.stance in ("supports", "context")})
    item: dict[str, Any] = {"@type": "Claim", "author": _agent(claim.claimant), "datePublished": claim.claimed_on}
    if appearances:
        item["appearance"] = [{"@type": "CreativeWork", "url": url} for url in appearances]
    author: dict[str, Any] = {"@type": "Organization", "name": config.publisher or ""}
    if config.publisher_url:
        author["url"] = config.publisher_url
    if translation is None:
        url, reviewed, in_language = claim_url(config, claim), claim.claim, claim.language
    else:
        url = claim_url(config, claim, translation.language)
        reviewed, in_language = translation.claim or claim.claim, translation.language
    return {"@context": "https://schema.org", "@type": "ClaimReview", "url": url,
            "claimReviewed": reviewed, "datePublished": claim.published, "author": author,
            "reviewRating": review_rating, "itemReviewed": item, "inLanguage": in_language}


def claimreview_item(claim: Claim, catalog: Catalog, config: SiteConfig, language: str | None = None) -> str | None:
    """A claim's item of the ClaimReview feed (JSON); None for a claim whose rating is not a verdict.
    `language`: its review in the language of one of its published translations (see claimreview)."""
    review = claimreview(claim, catalog, config, language)
    if review is None:
        return None
    review.pop("@context")
    return compact_json({"@type": "DataFeedItem", "dateModified": claim.last_changed, "item": [review]})


def claimreview_feed(catalog: Catalog, config: SiteConfig, pieces: Iterable[str | None] | None = None) -> Iterator[str]:
    """All ClaimReviews as a schema.org DataFeed, the shape fact-check aggregators ingest; JSON in pieces.
    `pieces`: each claim's claimreview_item, made already."""
    if pieces is None:
        pieces = (claimreview_item(claim, catalog, config) for claim in catalog.claims)
    items = (RawJSON(text) for text in pieces if text is not None)
    head = {"@context": "https://schema.org", "@type": "DataFeed", "name": f"{config.publisher or 'claimpress'} "
            "fact-checks (ClaimReview)", "url": config.absolute("data/claimreview.json"),
            "dateModified": dataset_date(catalog)}
    return json_list(head, "dataFeedElement", items)


def dataset_date(catalog: Catalog) -> str:
    return max((c.last_changed for c in catalog.claims), default="")


# --- datasets -----------------------------------------------------------------------------------

def _party(party: Party | None) -> dict[str, Any] | None:
    if party is None:
        return None
    return {"id": party.id, "name": party.name, "kind": party.kind, "country": party.country,
            "parent": party.parent}


def claim_record(claim: Claim, config: SiteConfig) -> dict[str, Any]:
    inc = claim.incident

    def casualties(value: Any) -> dict[str, Any] | None:
        return {"min": value.min, "max": value.max} if value else None

    return {
        "id": claim.id, "url": claim_url(config, claim), "title": claim.title, "claim": claim.claim,
        "claimant": _party(claim.claimant), "spokesperson": claim.spokesperson,
        "accused": [_party(p) for p in claim.accused], "claimed_on": claim.claimed_on,
        "dates_note": claim.dates_note,
        "incident": {"date": inc.date, "location": inc.location, "country": inc.country,
                     "country_name": inc.country_name,
                     "coordinates": list(inc.coordinates) if inc.coordinates else None,
                     "precision": inc.precision, "position_obscured": inc.obscured,
                     "position_source": inc.position_source, "killed": casualties(inc.killed),
                     "injured": casualties(inc.injured)},
        "categories": [{"id": c.id, "name": c.name} for c in claim.categories],
        "status": {"id": claim.status.id, "label": claim.status.label, "rating_value": claim.status.rating_value},
        "verdict": claim.verdict,
        "evidence": [{"title": e.title, "publisher": e.publisher, "url": e.url, "archive_url": e.archive_url,
                      "published": e.published, "kind": e.kind, "stance": e.stance,
                      "party": e.party.id if e.party else None, "note": e.note} for e in claim.evidence],
        "responses": [{"party": _party(r.party), "date": r.date, "stance": r.stance, "summary": r.summary,
                       "url": r.url} for r in claim.responses],
        "updates": [{"date": u.date, "note": u.note} for u in claim.updates],
        "related": list(claim.related), "tags": list(claim.tags), "published": claim.published,
        "updated": claim.last_changed, "authors": list(claim.authors),
        "acknowledged": dict(claim.acknowledged),
        "language": claim.language, "translations": list(claim.translations),
    }


def json_list(head: dict[str, Any], key: str, items: Iterable[Any], sort_keys: bool = False) -> Iterator[str]:
    """`head` with `key` added, holding `items`, as compact JSON in pieces, ending with a line break:
    a large dataset is never one string, nor one list of objects, in memory. The text is what
    compact_json would make of the whole (`key` last, or every key in order with `sort_keys`)."""
    names = sorted([*head, key]) if sort_keys else [*head, key]
    at = names.index(key)

    def members(chosen: list[str]) -> str:
        return ",".join(f"{json.dumps(name, ensure_ascii=False)}:{compact_json(head[name], sort_keys)}"
                        for name in chosen)

    yield "{" + members(names[:at]) + ("," if at else "") + json.dumps(key, ensure_ascii=False) + ":["
    for i, item in enumerate(items):
        yield ("," if i else "") + (item if isinstance(item, RawJSON) else compact_json(item, sort_keys))
    yield "]" + ("," + members(names[at + 1:]) if at + 1 < len(names) else "") + "}\n"


def claim_json(claim: Claim, config: SiteConfig) -> str:
    """A claim's record in claims.json."""
    return compact_json(claim_record(claim, config))


def claims_json(catalog: Catalog, config: SiteConfig, pieces: Iterable[str] | None = None) -> Iterator[str]:
    """`pieces`: each claim's claim_json, made already."""
    head = {"dataset": "claims", "version": DATASET_VERSION, "date": dataset_date(catalog),
            "schema": config.absolute("schema/claim.schema.json"), "licence": config.data_licence,
            "licence_url": config.data_licence_url, "count": len(catalog.claims)}
    if pieces is None:
        pieces = (claim_json(claim, config) for claim in catalog.claims)
    return json_list(head, "claims", (RawJSON(text) for text in pieces))


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: Callable[[Any], Any]
    numeric: bool = False  # numbers are written as numbers; only text is guarded against formulas


LIST_SEPARATOR = "; "

CLAIM_COLUMNS = (
    Column("id", "The claim's id, as in its address.", lambda c: c.id),
    Column("url", "The claim's page.", lambda c: None),  # filled in with the site's address (claims_csv)
    Column("title", "The claim's headline.", lambda c: c.title),
    Column("claim", "The allegation as the claimant made it.", lambda c: c.claim),
    Column("status", "The rating id.", lambda c: c.status.id),
    Column("status_label", "The rating as shown on the site.", lambda c: c.status.label),
    Column("claimant", "Party id of the claimant.", lambda c: c.claimant.id),
    Column("claimant_name", "Name of the claimant.", lambda c: c.claimant.name),
    Column("accused", "Party ids of the accused, joined by \"; \".", lambda c: [p.id for p in c.accused]),
    Column("accused_names", "Names of the accused, joined by \"; \".", lambda c: [p.name for p in c.accused]),
    Column("claimed_on", "When the allegation was made public (YYYY-MM-DD, YYYY-MM or YYYY).", lambda c: c.claimed_on),
    Column("incident_date", "When the incident happened (YYYY-MM-DD, YYYY-MM or YYYY).", lambda c: c.incident.date),
    Column("dates_note", "How the dates were worked out where the source does not print them; empty when it does.",
           lambda c: c.dates_note),
    Column("location", "Where, as the sources name it.", lambda c: c.incident.location),
    Column("country", "ISO 3166-1 alpha-2 code.", lambda c: c.incident.country),
    Column("latitude", "Decimal degrees, empty when unknown.",
           lambda c: c.incident.coordinates[0] if c.incident.coordinates else None, numeric=True),
    Column("longitude", "Decimal degrees, empty when unknown.",
           lambda c: c.incident.coordinates[1] if c.incident.coordinates else None, numeric=True),
    Column("precision", "How exact the place is (as published: see position_obscured).",
           lambda c: c.incident.precision),
    Column("position_obscured", "true when the claim asked for its position to be published less exactly: the "
                                "coordinates are then snapped to that precision's grid, never the exact ones.",
           lambda c: "true" if c.incident.obscured else "false" if c.incident.coordinates else None),
    Column("position_source", "Where the coordinates come from (a gazetteer, the report).",
           lambda c: c.incident.position_source),
    Column("killed_min", "Lowest reported deaths, empty when not reported.",
           lambda c: c.incident.killed.min if c.incident.killed else None, numeric=True),
    Column("killed_max", "Highest reported deaths, empty when not reported or open-ended.",
           lambda c: c.incident.killed.max if c.incident.killed else None, numeric=True),
    Column("injured_min", "Lowest reported injuries.",
           lambda c: c.incident.injured.min if c.incident.injured else None, numeric=True),
    Column("injured_max", "Highest reported injuries.",
           lambda c: c.incident.injured.max if c.incident.injured else None, numeric=True),
    Column("categories", "Category ids, joined by \"; \".", lambda c: [x.id for x in c.categories]),
    Column("verdict", "Why the claim has its status.", lambda c: c.verdict),
    Column("responses", "Each response recorded, as \"party name (stance)\", joined by \"; \" "
                        "(what each said: claims.json).",
           lambda c: [f"{r.party.name} ({r.stance})" for r in c.responses]),
    Column("evidence_count", "Number of evidence items (see evidence.csv).", lambda c: len(c.evidence), numeric=True),
    Column("published", "First published on this site (YYYY-MM-DD).", lambda c: c.published),
    Column("updated", "Last changed (YYYY-MM-DD).", lambda c: c.last_changed),
    Column("language", "The language the claim is written in (a language tag such as en, ar, pt-BR).",
           lambda c: c.language),
    Column("translations", "The languages of its published translations, joined by \"; \".",
           lambda c: list(c.translations)),
)

EVIDENCE_COLUMNS = (
    Column("claim_id", "The claim the evidence belongs to.", lambda e: e[0].id),
    Column("position", "Its place in the claim's evidence list, from 1.", lambda e: e[1], numeric=True),
    Column("title", "The source's headline; empty when the source shows none.", lambda e: e[2].title),
    Column("publisher", "Who published it; empty when the source does not say.", lambda e: e[2].publisher),
    Column("url", "Where it can be read.", lambda e: e[2].url),
    Column("archive_url", "An archived copy.", lambda e: e[2].archive_url),
    Column("published", "When it was published (YYYY-MM-DD, YYYY-MM or YYYY).", lambda e: e[2].published),
    Column("kind", "What sort of source it is.", lambda e: e[2].kind),
    Column("stance", "supports, refutes or context.", lambda e: e[2].stance),
    Column("party", "Party id of the publisher, where registered.", lambda e: e[2].party.id if e[2].party else None),
    Column("note", "What the source adds.", lambda e: e[2].note),
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any, numeric: bool = False) -> str:
    """A cell that spreadsheets show as the text it is: a text starting with = + - @ gets a leading
    apostrophe, so it can never run as a formula (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    text = str(value)
    if not numeric and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _csv_lines(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return out.getvalue()


def _csv(columns: tuple[Column, ...], lines: Iterable[str]) -> Iterator[str]:
    """The CSV text in pieces of a few hundred claims; `lines` has each claim's rows as CSV text,
    which the preview remembers as they are (joining them is all a save costs)."""
    # A byte-order mark first, so that spreadsheet software reads the file as UTF-8.
    piece = ["\ufeff" + _csv_lines([[c.name for c in columns]])]
    for i, text in enumerate(lines, start=1):
        piece.append(text)
        if i % 500 == 0:
            yield "".join(piece)
            piece = []
    yield "".join(piece)


def claim_csv(claim: Claim, config: SiteConfig) -> str:
    """A claim's row of claims.csv, as CSV text."""
    return _csv_lines([[csv_cell(claim_url(config, claim)) if col.name == "url"
                        else csv_cell(col.value(claim), col.numeric) for col in CLAIM_COLUMNS]])


def claims_csv(catalog: Catalog, config: SiteConfig, pieces: Iterable[str] | None = None) -> Iterator[str]:
    """`pieces`: each claim's claim_csv, made already."""
    if pieces is None:
        pieces = (claim_csv(claim, config) for claim in catalog.claims)
    return _csv(CLAIM_COLUMNS, pieces)


def claim_evidence_csv(claim: Claim) -> str:
    """A claim's rows of evidence.csv, as CSV text."""
    return _csv_lines([[csv_cell(col.value((claim, i, item)), col.numeric) for col in EVIDENCE_COLUMNS]
                       for i, item in enumerate(claim.evidence, start=1)])


def evidence_csv(catalog: Catalog, pieces: Iterable[str] | None = None) -> Iterator[str]:
    """`pieces`: each claim's claim_evidence_csv, made already."""
    if pieces is None:
        pieces = (claim_evidence_csv(claim) for claim in catalog.claims)
    return _csv(EVIDENCE_COLUMNS, pieces)


def claim_feature(claim: Claim, config: SiteConfig) -> str | None:
    """A claim's feature in claims.geojson; None for a claim whose place has no coordinates."""
    return compact_json(_feature(claim, config)) if claim.incident.coordinates is not None else None


def claims_geojson(catalog: Catalog, config: SiteConfig, pieces: Iterable[str | None] | None = None
                   ) -> Iterator[str]:
    """`pieces`: each claim's claim_feature, made already."""
    if pieces is None:
        pieces = (claim_feature(claim, config) for claim in catalog.claims)
    return json_list({"type": "FeatureCollection"}, "features", (RawJSON(text) for text in pieces if text is not None))


def _feature(claim: Claim, config: SiteConfig) -> dict[str, Any]:
    lat, lon = claim.incident.coordinates  # type: ignore[misc]
    return {"type": "Feature", "id": claim.id,
            "geometry": {"type": "Point", "coordinates": [lon, lat]},  # GeoJSON: longitude first
            "properties": {"title": claim.title, "url": claim_url(config, claim),
                           "status": claim.status.id, "status_label": claim.status.label,
                           "claimant": claim.claimant.name, "accused": [p.name for p in claim.accused],
                           "incident_date": claim.incident.date, "location": claim.incident.location,
                           "country": claim.incident.country, "precision": claim.incident.precision,
                           "position_obscured": claim.incident.obscured,
                           "position_source": claim.incident.position_source,
                           "categories": [c.id for c in claim.categories], "updated": claim.last_changed}}
