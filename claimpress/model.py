"""The objects the templates see: frozen, fully resolved (a claim holds its Party objects, not ids),
built from checked data. No I/O, no HTML: presentation belongs to templates/.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import cbor2
import pycountry

from .check.project import CheckResult
from .check.rules import lineage
from .geo import published_position
from .languages import canonical, direction
from .translated import ClaimTranslation, Translations, claim_translations, registry_translations, text_in


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    kind: str
    country: str | None
    aliases: tuple[str, ...]
    parent: str | None
    description: str | None
    lineage: tuple[str, ...]  # its own id, then its parent's, up to the top
    # tag -> {"name": ...}: where the name is written otherwise in a language (not compared: a party is hashable)
    translations: Translations = field(default_factory=dict, compare=False)

    def name_in(self, tag: str | None) -> str:
        return text_in(self.translations, tag, "name", self.name)


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    description: str
    translations: Translations = field(default_factory=dict, compare=False)  # tag -> {"name", "description"}

    def name_in(self, tag: str | None) -> str:
        return text_in(self.translations, tag, "name", self.name)

    def description_in(self, tag: str | None) -> str:
        return text_in(self.translations, tag, "description", self.description)


@dataclass(frozen=True)
class Rating:
    id: str
    label: str
    description: str
    rating_value: int | None
    alternate_name: str | None
    color: str
    verdict_required: bool
    requires: dict
    position: int  # in the scale's display order
    translations: Translations = field(default_factory=dict, compare=False)  # tag -> {"label", "description"}

    def label_in(self, tag: str | None) -> str:
        return text_in(self.translations, tag, "label", self.label)

    def description_in(self, tag: str | None) -> str:
        return text_in(self.translations, tag, "description", self.description)

    @property
    def is_verdict(self) -> bool:
        return self.rating_value is not None or self.alternate_name is not None

    @property
    def text_color(self) -> str:
        """Black or white, whichever contrasts more with the badge colour (WCAG's relative luminance):
        white on the yellow of "single source" was 2:1, below the 4.5:1 that small text needs."""
        def linear(channel: int) -> float:
            c = channel / 255
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b = (int(self.color[i:i + 2], 16) for i in (1, 3, 5))
        luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
        return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


@dataclass(frozen=True)
class Evidence:
    title: str | None
    publisher: str | None
    url: str | None
    archive_url: str | None
    published: str | None
    kind: str
    stance: str
    party: Party | None
    note: str | None


@dataclass(frozen=True)
class Response:
    party: Party
    date: str | None
    stance: str
    summary: str
    url: str | None


@dataclass(frozen=True)
class Update:
    date: str
    note: str


@dataclass(frozen=True)
class Casualties:
    min: int
    max: int | None

    def __str__(self) -> str:
        if self.max is None:
            return f"at least {self.min}"
        return str(self.min) if self.max == self.min else f"{self.min} to {self.max}"


@dataclass(frozen=True)
class Incident:
    date: str
    location: str
    country: str
    country_name: str
    # As the site may publish them (geo.published_position): rounded, or snapped to the claim's
    # publish_precision. The coordinates written in the claim never enter the model, so no page or
    # dataset made from it can show them.
    coordinates: tuple[float, float] | None
    precision: str | None
    killed: Casualties | None
    injured: Casualties | None
    obscured: bool = False  # the position was snapped to publish_precision
    position_source: str | None = None


@dataclass(frozen=True)
class Claim:
    id: str
    title: str
    claim: str
    claimant: Party
    spokesperson: str | None
    accused: tuple[Party, ...]
    claimed_on: str
    dates_note: str | None
    incident: Incident
    categories: tuple[Category, ...]
    status: Rating
    verdict: str | None
    evidence: tuple[Evidence, ...]
    responses: tuple[Response, ...]
    updates: tuple[Update, ...]
    related: tuple[str, ...]
    tags: tuple[str, ...]
    published: str
    updated: str | None
    authors: tuple[str, ...]
    body: str  # the Markdown analysis, as written
    # (warning code, reason) of each warning the claim acknowledges: limitations the page tells readers of
    acknowledged: tuple[tuple[str, str], ...] = ()
    language: str = "en"  # the canonical tag of the language it is written in (the site's default if it names none)
    # tag -> its published translations (claims/<id>.<tag>.md), in tag order
    translations: Mapping[str, ClaimTranslation] = field(default_factory=dict)

    @property
    def direction(self) -> str:
        """"rtl" for a claim written right to left (Arabic, Persian, Hebrew, Urdu...), else "ltr"."""
        return direction(self.language)

    @cached_property  # read by every page and export that lists the claim
    def last_changed(self) -> str:
        return max([self.published, self.updated or "", *(u.date for u in self.updates)])

    @property
    def year(self) -> str:
        return self.incident.date[:4]

    @cached_property
    def accused_lineage(self) -> tuple[str, ...]:
        """Every accused party and the parties they belong to, for roll-up facets."""
        return tuple(dict.fromkeys(pid for party in self.accused for pid in party.lineage))


@dataclass(frozen=True)
class Catalog:
    claims: tuple[Claim, ...]          # published claims, by id
    parties: dict[str, Party]
    categories: dict[str, Category]
    ratings: tuple[Rating, ...]        # display order
    best_rating: int | None
    worst_rating: int | None
    # id -> the claim's source, a digest that names its checked data (the document key of its file,
    # cache.document_key): with the registries, all a Claim is made from (the render step keys each
    # claim page by it: cache.PageStamps)
    sources: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def claim(self, cid: str) -> Claim | None:
        return self._by_id.get(cid)

    @cached_property
    def _by_id(self) -> dict[str, Claim]:
        return {c.id: c for c in self.claims}


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def build_catalog(result: CheckResult, known: Mapping[str, tuple[str, Claim]] | None = None) -> Catalog:
    """The published site's data: every checked claim that is not a draft, with references resolved.
    Takes the claims out of `result` (result.claims is empty afterwards). `known`: claims made
    before from the same registries, id -> (source, Claim); a claim whose source (its checked
    data: Document.source) is the same is taken from there, not made again. The cache layer gives
    them (cache.Session.model, point 2: the preview's memory)."""
    reg = result.registries
    raw_parties = reg.parties or {}
    parties = {pid: Party(pid, p["name"], p["kind"], p.get("country"), tuple(p.get("aliases", [])), p.get("parent"),
                          p.get("description"), lineage(pid, raw_parties), registry_translations(p))
               for pid, p in sorted(raw_parties.items())}
    categories = {cid: Category(cid, c["name"], c["description"], registry_translations(c))
                  for cid, c in sorted((reg.categories or {}).items())}
    ratings = tuple(Rating(r["id"], r["label"], r["description"], r["rating_value"], r.get("alternate_name"),
                           r.get("color", "#757575"), r.get("verdict_required", True), r.get("requires", {}), i,
                           registry_translations(r))
                    for i, r in enumerate((reg.ratings or {}).values()))
    default = canonical(reg.languages[0])
    by_rating = {r.id: r for r in ratings}
    claims, sources = [], {}
    known = known or {}
    for cid in sorted(result.claims):
        # Taken out of the result as it is modelled: at 50,000 claims, the loaded data and the
        # catalog side by side would be twice the memory.
        doc = result.claims.pop(cid)
        # Its source: the document key the check gives (name and content), else a digest of its data.
        source = doc.source or hashlib.blake2b(
            doc.packed if doc.packed is not None else cbor2.dumps([doc.data, doc.body]),
            digest_size=16).hexdigest()
        if cid in known and known[cid][0] == source:
            claims.append(known[cid][1])
            sources[cid] = source
            continue
        if doc.packed is None and doc.data is None:  # the check skips only what `known` holds
            raise RuntimeError(f"{doc.path}: the check did not fetch this claim's data, and it is not remembered")
        doc.unpack()
        if doc.data.get("draft") is True:
            continue
        claims.append(_claim(doc.data, doc.body, parties, categories, by_rating, default, doc.translations))
        sources[claims[-1].id] = source
    return Catalog(tuple(claims), parties, categories, ratings,
                   reg.scale.get("best_rating"), reg.scale.get("worst_rating"), sources)


def _casualties(value: dict | None) -> Casualties | None:
    return Casualties(value["min"], value.get("max")) if value else None


def _claim(d: dict[str, Any], body: str, parties: dict[str, Party], categories: dict[str, Category],
           ratings: dict[str, Rating], default: str = "en", translations: Mapping[str, list[Any]] | None = None
           ) -> Claim:
    inc = d["incident"]
    coordinates, precision, obscured = published_position(
        tuple(inc["coordinates"]) if inc.get("coordinates") else None, inc.get("precision"),
        inc.get("publish_precision"))
    return Claim(
        id=d["id"], title=d["title"], claim=d["claim"], claimant=parties[d["claimant"]],
        spokesperson=d.get("spokesperson"), accused=tuple(parties[p] for p in d["accused"]),
        claimed_on=d["claimed_on"], dates_note=d.get("dates_note"),
        incident=Incident(inc["date"], inc["location"], inc["country"], country_name(inc["country"]),
                          coordinates, precision, _casualties(inc.get("killed")), _casualties(inc.get("injured")),
                          obscured, inc.get("position_source")),
        categories=tuple(categories[c] for c in d["categories"]), status=ratings[d["status"]],
        verdict=d.get("verdict"),
        evidence=tuple(Evidence(e["title"], e["publisher"], e.get("url"), e.get("archive_url"), e["published"],
                                e["kind"], e["stance"], parties.get(e.get("party", "")), e.get("note"))
                       for e in d["evidence"]),
        responses=tuple(Response(parties[r["party"]], r.get("date"), r["stance"], r["summary"], r.get("url"))
                        for r in d.get("responses", [])),
        updates=tuple(Update(u["date"], u["note"]) for u in d.get("updates", [])),
        related=tuple(d.get("related", [])), tags=tuple(d.get("tags", [])), published=d["published"],
        updated=d.get("updated"), authors=tuple(d.get("authors", [])), body=body,
        acknowledged=tuple((d.get("acknowledged") or {}).items()),
        language=canonical(d["language"]) if d.get("language") else default,
        translations=claim_translations(translations or {}, d),
    )
