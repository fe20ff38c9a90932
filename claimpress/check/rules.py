"""Rules the schema cannot express: references between files, real dates, date order,
what a rating demands of the evidence, and the warnings that make a claim better.

Each function takes schema-valid data and returns diagnostics; none reads a file."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Any

from ..diagnostics import ERROR, WARNING, Diagnostic
from ..geo import coarser
from ..gfm import MAX_HTML, MAX_NESTING, analysis_excess
from .acknowledge import CLAIM_CODES, settle
from .load import Document, show_path
from .suggest import country_codes, country_hint, did_you_mean, name_key

PARTIES = "claims/parties.yml"


CATEGORIES = "claims/categories.yml"


RATINGS = "claims/ratings.yml"


CLAIM_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # lowercase words joined by single hyphens


@dataclass
class Registries:
    """The three registries, or None for one that failed to load (its references are then not checked)."""

    parties: dict[str, dict] | None = None
    categories: dict[str, dict] | None = None
    ratings: dict[str, dict] | None = None        # rating id -> rating, in display order
    scale: dict[str, Any] = field(default_factory=dict)  # best_rating, worst_rating
    latest_date: date = field(default_factory=lambda: latest_allowed_date())  # once a run, not once a date
    scaffold: Any = None  # the project's templates/new-claim.md, as check/scaffold.py reads it; None: not read
    # The site's languages, the first the default (a claim's language when it names none); and each
    # claim's translations: claim id -> the paths of its files claims/<id>.<tag>.md (check/translations.py)
    languages: tuple[str, ...] = ("en",)
    translations: dict[str, list[str]] = field(default_factory=dict)

    @cached_property
    def party_by_name(self) -> dict[str, str]:
        """slug of each party's name and aliases -> its id, to suggest ids and to match publishers."""
        index: dict[str, str] = {}
        for pid, party in (self.parties or {}).items():
            if isinstance(party, dict):
                aliases = party.get("aliases")
                for name in [party.get("name") or pid, *(aliases if isinstance(aliases, list) else [])]:
                    if isinstance(name, str):  # a registry with schema errors keeps its entries, invalid ones as None
                        index.setdefault(name_key(name), pid)
        return index


def latest_allowed_date() -> date:
    # "Not in the future" for an author anywhere: UTC+14 is at most one day ahead of UTC.
    return datetime.now(UTC).date() + timedelta(days=1)


def date_span(text: str) -> tuple[date, date] | None:
    """The first and last day a YYYY, YYYY-MM or YYYY-MM-DD date can mean; None if it is no real date."""
    try:
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 3:
            day = date(*parts)
            return day, day
        if len(parts) == 2:
            year, month = parts
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
    except (ValueError, TypeError, OverflowError):
        return None
    return None


def happened(text: str) -> bool:
    """Whether `text` is a real YYYY, YYYY-MM or YYYY-MM-DD date that has begun: what `check` takes
    (for drafts that `new` and the importer write, so that check does not refuse them)."""
    span = date_span(text)
    return span is not None and span[0] <= latest_allowed_date()


class Checker:
    """Collects diagnostics for one document."""

    def __init__(self, doc: Document, latest_date: date | None = None) -> None:
        self.doc = doc
        self.out: list[Diagnostic] = []
        self.latest_date = latest_date or latest_allowed_date()

    def add(self, severity: str, code: str, path: tuple, message: str, hint: str = "", key: bool = False) -> None:
        line, col = self.doc.position(path, key=key)
        prefix = f"{show_path(path)}: " if path else ""
        self.out.append(Diagnostic(self.doc.path, line, col, severity, code, prefix + message, hint))

    def error(self, code: str, path: tuple, message: str, hint: str = "", key: bool = False) -> None:
        self.add(ERROR, code, path, message, hint, key)

    def warning(self, code: str, path: tuple, message: str, hint: str = "", key: bool = False) -> None:
        self.add(WARNING, code, path, message, hint, key)

    def reference(self, path: tuple, value: str, registry: dict | None, what: str, where: str,
                  code: str, aliases: dict[str, str] | None = None) -> None:
        if registry is None or value in registry:
            return
        hint = ""
        if aliases and aliases.get(name_key(value), value) != value:  # the id of a party written by its name
            hint = f"did you mean '{aliases[name_key(value)]}'?"
        hint = hint or did_you_mean(value, registry)
        if not hint:
            hint = f"add it to {where}" if code == "unknown-party" else ""
        self.error(code, path, f"'{value}' is not {what} in {where}", hint)

    def country(self, path: tuple, code: str | None) -> None:
        if code is None or code in country_codes():
            return
        self.error("unknown-country", path, f"'{code}' is not an ISO 3166-1 alpha-2 country code", country_hint(code))

    def real_date(self, path: tuple, value: str | None) -> tuple[date, date] | None:
        if value is None:
            return None
        span = date_span(value)
        if span is None:
            self.error("invalid-date", path, f"'{value}' is not a real date", "check the month and day")
        elif span[0] > self.latest_date:
            self.error("future-date", path, f"'{value}' is in the future", "dates record what has happened")
        return span


def check_whitespace(doc: Document) -> list[Diagnostic]:
    """Warn about text with leading or trailing white space (found by the loader), which shows as odd gaps."""
    checker = Checker(doc)
    for path, line_break in doc.untrimmed:
        checker.warning("untrimmed-text", path, "starts or ends with white space",
                        "end the block with '>-' or '|-' so the text does not end with a line break"
                        if line_break else "remove the spaces")
    return checker.out


def _entries(data: dict, name: str) -> list[tuple[int, Any]]:
    """The entries of a list field that survived the schema check (invalid ones are None)."""
    values = data.get(name)
    return [(i, v) for i, v in enumerate(values) if v is not None] if isinstance(values, list) else []


def check_claim(doc: Document, stem: str, registries: Registries, claim_ids: set[str],
                schema_ok: bool = True) -> list[Diagnostic]:
    """Every rule of one claim that needs the registries or the other claims.

    `doc.data` holds only schema-valid fields (see schema.validate), but a field may be missing.
    With schema errors, the rules that weigh the claim as a whole (what its rating demands, the
    advice warnings) wait until those are fixed, since a removed field would mislead them.
    """
    checker = Checker(doc, registries.latest_date)
    data: dict = doc.data
    draft = data.get("draft") is True
    parties, aliases = registries.parties, registries.party_by_name

    if "id" in data and data["id"] != stem:
        # "set id:" only to a file name that is an id (an invalid one has a message of its own).
        checker.error("id-mismatch", ("id",), f"'{data['id']}' does not match the file name '{stem}.md'",
                      f"rename the file to {data['id']}.md" + (f", or set id: {stem}" if CLAIM_ID.match(stem) else ""))

    if "claimant" in data:
        checker.reference(("claimant",), data["claimant"], parties, "a party", PARTIES, "unknown-party", aliases)
    for i, pid in _entries(data, "accused"):
        checker.reference(("accused", i), pid, parties, "a party", PARTIES, "unknown-party", aliases)
    for i, cid in _entries(data, "categories"):
        checker.reference(("categories", i), cid, registries.categories, "a category", CATEGORIES, "unknown-category")
    if "status" in data:
        checker.reference(("status",), data["status"], registries.ratings, "a rating", RATINGS, "unknown-rating")
    for i, response in _entries(data, "responses"):
        if "party" in response:
            checker.reference(("responses", i, "party"), response["party"], parties, "a party", PARTIES,
                              "unknown-party", aliases)
    for i, item in _entries(data, "evidence"):
        if "party" in item:
            checker.reference(("evidence", i, "party"), item["party"], parties, "a party", PARTIES,
                              "unknown-party", aliases)
    for i, cid in _entries(data, "related"):
        if cid == stem:
            checker.error("self-reference", ("related", i), "a claim cannot be related to itself", "remove it")
        elif cid not in claim_ids:
            checker.error("unknown-claim", ("related", i), f"'{cid}' is not a claim in claims/",
                          did_you_mean(cid, claim_ids))

    _check_analysis(checker, doc)

    _check_dates(checker, data)
    incident = data.get("incident") or {}
    checker.country(("incident", "country"), incident.get("country"))
    shown = incident.get("publish_precision")
    if shown and coarser(incident.get("precision"), shown) != shown:
        checker.error("publish-precision-finer", ("incident", "publish_precision"),
                      f"'{shown}' is more exact than precision '{incident['precision']}', so it hides nothing",
                      f"set publish_precision to {incident['precision']} or coarser")
    for what in ("killed", "injured"):
        figures = incident.get(what) or {}
        if "max" in figures and "min" in figures and figures["max"] < figures["min"]:
            checker.error("casualty-range", ("incident", what, "max"),
                          f"{figures['max']} is below min ({figures['min']})", "max is the highest reported figure")

    rating = (registries.ratings or {}).get(str(data.get("status")))
    missing: list[str] = []
    if rating is not None and rating.get("verdict_required", True) and not data.get("verdict"):
        if draft:
            missing.append("verdict")
        else:
            checker.error("missing-verdict", ("status",),
                          f"a claim rated '{data['status']}' needs a verdict that says why",
                          "add verdict: with the reasons for this status")
    if rating is not None and "requires" in rating and "claimant" in data and schema_ok:
        for problem in rating_shortfalls(data, rating["requires"], registries):
            (checker.warning if draft else checker.error)(
                "rating-requirements", ("status",), f"'{data['status']}' {problem}",
                "add the evidence, or choose the rating the evidence supports")

    if draft:
        missing = [f for f in ("claim", "claimant", "accused", "claimed_on", "incident", "categories", "evidence")
                   if not data.get(f)] + missing
        if isinstance(data.get("incident"), dict) and "location" not in data["incident"]:
            at = missing.index("categories") if "categories" in missing else len(missing)
            missing.insert(at, "incident.location")
        checker.warning("draft", ("draft",), "this claim is a draft and is not published"
                        + (f"; it still needs: {', '.join(missing)}" if missing else ""),
                        "fill in what is missing, then remove 'draft: true'", key=True)
    if schema_ok:  # with schema errors the advice waits, so what it acknowledges cannot be judged
        _advice(checker, data, doc)
        return settle(checker.out, data.get("acknowledged") or {}, CLAIM_CODES, doc.path,
                      lambda code: doc.position(("acknowledged", code), key=True))
    return checker.out


def _check_analysis(checker: Checker, doc: Document) -> None:
    """An analysis every HTML parser on the way (nh3, Pagefind, the browser) reads in a moment."""
    excess = analysis_excess(doc.body)
    if excess is None:
        return
    line = doc.body_line + excess.line - 1 if doc.body_line else excess.line
    if excess.what == "depth":
        checker.out.append(Diagnostic(doc.path, line, excess.column, ERROR, "analysis-too-deep",
                                      f"the analysis nests {excess.amount} levels deep here (block quotes, lists, "
                                      f"emphasis, links or HTML inside one another); the limit is {MAX_NESTING}",
                                      "flatten it: no real analysis needs more than a few levels"))
    else:
        checker.out.append(Diagnostic(doc.path, line, excess.column, ERROR, "analysis-too-large",
                                      f"the analysis makes {excess.amount:,} bytes of HTML; the limit is "
                                      f"{MAX_HTML:,}", "shorten it, or link to a longer report"))


def _check_dates(checker: Checker, data: dict) -> None:
    published = checker.real_date(("published",), data.get("published"))
    updated = checker.real_date(("updated",), data.get("updated"))
    claimed = checker.real_date(("claimed_on",), data.get("claimed_on"))
    incident = data.get("incident") or {}
    happened = checker.real_date(("incident", "date"), incident.get("date"))
    for i, item in _entries(data, "evidence"):
        checker.real_date(("evidence", i, "published"), item.get("published"))
    for i, response in _entries(data, "responses"):
        checker.real_date(("responses", i, "date"), response.get("date"))
    previous = None
    for i, update in _entries(data, "updates"):
        span = checker.real_date(("updates", i, "date"), update.get("date"))
        if span and previous and span[0] < previous[0]:
            checker.error("date-order", ("updates", i, "date"), "is older than the entry before it",
                          "list updates oldest first")
        if span and published and span[0] < published[0]:
            checker.error("date-order", ("updates", i, "date"),
                          f"is before the claim was first published ({data['published']})")
        previous = span or previous
    if published and updated and updated[0] < published[0]:
        checker.error("date-order", ("updated",), f"'{data['updated']}' is before published ({data['published']})",
                      "updated is the last change, so it cannot come first")
    elif updated and previous and updated[0] < previous[0]:
        checker.warning("date-order", ("updated",),
                        f"'{data['updated']}' is older than the last entry in updates", "bring updated forward")
    if claimed and happened and claimed[1] < happened[0]:
        checker.error("date-order", ("claimed_on",),
                      f"'{data['claimed_on']}' is before the incident date ({incident['date']})",
                      "an allegation is made after what it alleges; check both dates")


def lineage(pid: str | None, parties: dict[str, dict]) -> tuple[str, ...]:
    """A party and its ancestors, nearest first (stops at a repeat, so a cycle reported elsewhere
    cannot hang this)."""
    out: dict[str, None] = {}  # a dict keeps the order and finds a repeat in O(1)
    while pid is not None and pid not in out:
        out[pid] = None
        parent = parties.get(pid, {}).get("parent")
        pid = parent if isinstance(parent, str) else None
    return tuple(out)


def rating_shortfalls(data: dict, requires: dict, registries: Registries) -> list[str]:
    """What a claim's evidence lacks for its rating, as sentences; empty when it qualifies."""
    parties = registries.parties or {}
    evidence = [item for _, item in _entries(data, "evidence")]
    claimant = set(lineage(data["claimant"], parties))

    def publisher(i: int, item: dict) -> str:
        # A registered party, else the publisher's name (matched to a party by name or alias):
        # "Example Times" and party example-times are one publisher, not two.
        if item.get("party"):
            return item["party"]
        if item.get("publisher"):
            key = name_key(item["publisher"])
            return registries.party_by_name.get(key, key)
        return f"unnamed-{i}"  # publisher null: unknown, so counted on its own

    def independent(i: int, item: dict) -> bool:
        # Evidence from the claimant, its parents or its subsidiaries is the claim repeated, not support.
        source = publisher(i, item)
        return not (source in parties and (claimant.intersection(lineage(source, parties))
                                           or data["claimant"] in lineage(source, parties)))

    def publishers(stance: str) -> set[str]:
        return {publisher(i, item) for i, item in enumerate(evidence)
                if item.get("stance") == stance and independent(i, item)}

    problems = []
    for setting, stance in (("min_supporting_sources", "supports"), ("min_refuting_sources", "refutes")):
        need = requires.get(setting)
        have = len(publishers(stance)) if need else 0
        if need and have < need and stance == "supports":
            problems.append(f"needs {need} independent supporting sources (distinct publishers of 'supports' "
                            f"evidence other than the claimant); the evidence has {have}")
        elif need and have < need:
            problems.append(f"needs {need} refuting source{'s' if need > 1 else ''} (distinct publishers of "
                            f"'refutes' evidence); the evidence has {have}")
    confirmed_by = requires.get("confirmed_by")
    if confirmed_by:
        stances = set(confirmed_by.get("response_stances", []))
        kinds = set(confirmed_by.get("evidence_kinds", []))
        accused = {pid for _, pid in _entries(data, "accused")}
        by_response = any(r.get("stance") in stances and accused.intersection(lineage(r.get("party"), parties))
                          for _, r in _entries(data, "responses"))
        by_evidence = any(item.get("stance") == "supports" and item.get("kind") in kinds and independent(i, item)
                          for i, item in enumerate(evidence))
        if not (by_response or by_evidence):
            ways = []
            if stances:
                ways.append(f"a response by the accused that is {' or '.join(sorted(stances))}")
            if kinds:
                ways.append(f"'supports' evidence of kind {' or '.join(sorted(kinds))}")
            problems.append(f"needs {' or '.join(ways)}")
    return problems


def _advice(checker: Checker, data: dict, doc: Document) -> None:
    """Warnings: what would make the claim more useful and more durable for readers."""
    seen_urls: dict[str, int] = {}
    for i, item in _entries(data, "evidence"):
        url = item.get("url")
        if url is None:
            checker.warning("no-source-url", ("evidence", i), "has no url, so readers cannot follow this source",
                            "add url: where the source is online; leave it out only when there is none")
        else:
            if "archive_url" not in item:
                checker.warning("no-archive", ("evidence", i, "url"),
                                "has no archive_url; the page may change or vanish",
                                "save it at web.archive.org or archive.today and add archive_url:")
            if url in seen_urls:
                checker.warning("duplicate-source", ("evidence", i, "url"),
                                f"is the same source as evidence[{seen_urls[url]}]", "merge the two entries")
            seen_urls.setdefault(url, i)
    incident = data.get("incident")
    if isinstance(incident, dict) and "publish_precision" in incident and "coordinates" not in incident:
        checker.warning("nothing-to-obscure", ("incident", "publish_precision"),
                        "has no coordinates to publish less exactly",
                        "remove publish_precision, or add coordinates: [latitude, longitude]")
    if isinstance(incident, dict) and "coordinates" not in incident:
        checker.warning("no-coordinates", ("incident",), "has no coordinates, so the claim cannot appear on a map",
                        _coordinates_hint(incident), key=True)
    if not doc.body.strip():
        line = doc.body_line or 1
        checker.out.append(Diagnostic(doc.path, line, 1, WARNING, "no-analysis",
                                      "the claim has no analysis below the front matter",
                                      "explain the evidence and the verdict in Markdown after the closing '---'"))



def _coordinates_hint(incident: dict) -> str:
    """no-coordinates' fix: the gazetteer's place for the location, if it knows one (loaded only here;
    the check cache's context holds its version, so that a new one is never answered from old hints)."""
    from ..places import find

    location, country = incident.get("location"), incident.get("country")
    found = find(location, country) if isinstance(location, str) and isinstance(country, str) else None
    if found is None:
        return "add coordinates: [latitude, longitude] when the place is known"
    place = found.place
    return f"add {place.written} (GeoNames {place.geonameid}, {place.name}) if it is that place, with " \
           "position_source: saying so"
