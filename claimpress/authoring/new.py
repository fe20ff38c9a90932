"""`new`: scaffold a draft claim from flags, or by asking for what the flags did not give."""
from __future__ import annotations

import difflib
import os
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pycountry
import yaml

from ..check.rules import Registries, date_span, happened
from ..check.scaffold import read_scaffold
from ..check.schema import schema
from ..check.suggest import name_key
from ..check.text import MAX_FILE_BYTES
from .clean import clean_text, party_id, shorten
from .drafts import refuse_links, write_drafts
from .ids import claim_id

TITLE_MAX = schema("claim")["properties"]["title"]["maxLength"]  # the data contract's limit, which check applies
NAME_MAX = schema("parties")["additionalProperties"]["properties"]["name"]["maxLength"]


class NewError(Exception):
    """A value that cannot be used, with what to do instead."""


@dataclass
class NewClaim:
    title: str | None = None
    claimant: str | None = None
    accused: list[str] = field(default_factory=list)
    incident_date: str | None = None
    country: str | None = None
    categories: list[str] = field(default_factory=list)
    location: str | None = None
    add_parties: bool = False


Ask = Callable[[str], str]
Note = Callable[[str], None]


def _ask_stdin(prompt: str) -> str:
    print(prompt, end="", file=sys.stderr, flush=True)
    line = sys.stdin.readline()
    if not line:
        raise NewError("input ended before every field was given; pass the values as flags (see --help)")
    return line.strip()


def _choices(value: str, options: dict[str, str]) -> list[str]:
    """Close matches among ids and names, as ids."""
    by_key = {**{k: k for k in options}, **{name.lower(): k for k, name in options.items()}}
    found = difflib.get_close_matches(value.lower(), list(by_key), n=3, cutoff=0.5)
    return list(dict.fromkeys(by_key[f] for f in found))


class Scaffold:
    def __init__(self, root: Path, registries: Registries, ask: Ask | None, today: str,
                 note: Note | None = None) -> None:
        self.root, self.registries, self.ask, self.today = root, registries, ask, today
        self.note = note or (lambda message: None)
        self.parties = {pid: p.get("name", pid) for pid, p in (registries.parties or {}).items()}
        self.new_parties: dict[str, str] = {}

    def clean(self, value: str, what: str) -> str:
        """`value` without the invisible and control characters that check refuses, saying so if it had any."""
        text = clean_text(value)
        if text and text != unicodedata.normalize("NFC", " ".join(value.split())):  # (nothing left: the caller says)
            self.note(f"{what} {value!r} has invisible or control characters; they are left out: {text!r}")
        return text

    def party(self, value: str, allow_new: bool) -> str:
        value = self.clean(value, "the party")
        if not value:
            if self.ask is not None:
                return self.party(self.ask("That has no visible characters. A party id or name: "), allow_new)
            raise NewError("a party's id or name has no visible characters")
        if value in self.parties or value in self.new_parties:
            return value
        by_name = self.registries.party_by_name.get(name_key(value))
        if by_name:
            return by_name
        options = _choices(value, self.parties)
        if self.ask is None:
            if allow_new:
                return self._add_party(value)
            hint = f"did you mean {', '.join(repr(o) for o in options)}? " if options else ""
            raise NewError(f"'{value}' is not a party in claims/parties.yml; {hint}"
                           "or pass --add-parties to add it")
        listed = "; ".join(f"{o} ({self.parties[o]})" for o in options)
        answer = self.ask(f"'{value}' is not a party yet. {('Did you mean: ' + listed + '? ') if listed else ''}"
                          f"Type an id, or press Enter to add '{value}' as a new party: ")
        if not answer:
            return self._add_party(value)
        return self.party(answer, allow_new)

    def _add_party(self, name: str) -> str:
        name = shorten(name, NAME_MAX)
        for pid, added in self.new_parties.items():  # named twice (claimant and accused): one party
            if name_key(added) == name_key(name):
                return pid
        # "S-e-n-s-o-r" -> s-e-n-s-o-r; a name with no Latin letters, or one whose id is taken, gets
        # an id of its own (party-<digest>, example-army-2): check takes every id this makes.
        pid = party_id(name, {**self.parties, **self.new_parties})
        self.new_parties[pid] = name
        return pid

    def category(self, value: str) -> str:
        categories = {cid: c.get("name", cid) for cid, c in (self.registries.categories or {}).items()}
        if value in categories:
            return value
        for cid, name in categories.items():
            if name.lower() == value.lower():
                return cid
        options = _choices(value, categories)
        if self.ask is not None:
            answer = self.ask(f"'{value}' is not a category. Choose one of: {', '.join(options or categories)}: ")
            return self.category(answer)
        hint = f"; did you mean {', '.join(repr(o) for o in options)}?" if options else ""
        raise NewError(f"'{value}' is not a category in claims/categories.yml{hint}")

    def country(self, value: str) -> str:
        code = value.strip()
        if len(code) == 2 and pycountry.countries.get(alpha_2=code.upper()):
            return code.upper()
        try:
            return pycountry.countries.lookup(code).alpha_2
        except LookupError:
            if self.ask is not None:
                return self.country(self.ask(f"'{value}' is not a country. ISO code or name: "))
            raise NewError(f"'{value}' is not a country: give an ISO 3166-1 code such as SY or a name") from None

    def incident_date(self, value: str) -> str:
        written = re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", value) is not None  # not \d: "٢٠٢٠" too
        if written and happened(value):  # check refuses a date in the future too
            return value
        problem = f"'{value}' is in the future; an incident date records what has happened" \
            if written and date_span(value) else f"'{value}' is not a date written YYYY-MM-DD, YYYY-MM or YYYY"
        if self.ask is not None:
            return self.incident_date(self.ask(f"{problem}. YYYY-MM-DD, YYYY-MM or YYYY: "))
        raise NewError(problem)

    def title(self, value: str) -> str:
        text = self.clean(value, "the title")
        if text and len(text) <= TITLE_MAX:
            return text
        problem = f"the title has {len(text)} characters; a title has at most {TITLE_MAX}" if text else \
            "the title has no visible characters"
        if self.ask is not None:
            return self.title(self.ask(f"{problem}. Title (a neutral headline): "))
        raise NewError(problem)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


ASK_LIMIT = 100  # questions in one run: a dozen, and a few asked again


def _limited(ask: Ask) -> Ask:
    """`ask`, refusing after ASK_LIMIT questions: each answer that cannot be used asks again, by a
    recursive call, so that endless unusable input (`yes "" | new`) would end in a RecursionError."""
    count = 0

    def limited(prompt: str) -> str:
        nonlocal count
        count += 1
        if count > ASK_LIMIT:
            raise NewError(f"{ASK_LIMIT} answers without a usable draft; pass the values as flags (see --help)")
        return ask(prompt)
    return limited


def create(root: Path, wanted: NewClaim, registries: Registries, ask: Ask | None = None,
           today: str | None = None, note: Note | None = None) -> tuple[Path, list[str]]:
    """Write the draft, and the parties it adds, together; returns its path and the ids of parties
    added. Raises NewError, or drafts.WriteError (nothing written). `note` is told of values changed."""
    today = today or date.today().isoformat()
    refuse_links(root / "claims")  # before asking anything
    if ask is not None:
        ask = _limited(ask)
    s = Scaffold(root, registries, ask, today, note)

    def need(value: str | None, prompt: str, flag: str) -> str:
        if value:
            return value
        if ask is None:
            raise NewError(f"{flag} is missing")
        answer = ask(prompt)
        return answer or need(None, prompt, flag)

    title = s.title(need(wanted.title, "Title (a neutral headline): ", "--title"))
    claimant = s.party(need(wanted.claimant, "Who made the allegation (a party id or name): ", "--claimant"),
                       wanted.add_parties)
    accused_values = wanted.accused or _split(need(None, "Who is accused (party ids or names, separated by "
                                                        "commas): ", "--accused"))
    accused = list(dict.fromkeys(s.party(a, wanted.add_parties) for a in accused_values))
    incident_date = s.incident_date(need(wanted.incident_date, "Incident date (YYYY-MM-DD, YYYY-MM or YYYY): ",
                                         "--incident-date"))
    country = s.country(need(wanted.country, "Country (ISO code or name): ", "--country"))
    location = wanted.location
    if not location and ask is not None:
        location = ask("Where it happened, as the sources name it (Enter to leave for later): ")
    location = s.clean(location or "", "the location")
    category_values = wanted.categories or _split(need(None, "Categories (ids, separated by commas): ",
                                                       "--category"))
    categories = list(dict.fromkeys(s.category(c) for c in category_values))

    cid = claim_id(title, incident_date[:4], set(), "claim")
    path = root / "claims" / f"{cid}.md"
    if os.path.lexists(path):  # a link too, even one to nothing
        raise NewError(f"claims/{cid}.md exists already; choose another title, or edit that claim")
    incident = {"date": incident_date, "country": country}
    if location:
        incident = {"date": incident_date, "location": location, "country": country}
    data = {"id": cid, "title": title, "claimant": claimant, "accused": accused, "incident": incident,
            "categories": categories, "status": "unverified", "published": today, "draft": True}
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=4096, default_flow_style=None)
    scaffold = read_scaffold(root)  # its closing comment and analysis: the text check refuses to publish
    text = "---\n" + front + scaffold.closing + "---\n\n" + scaffold.body
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise NewError(f"the draft would be over {MAX_FILE_BYTES:,} bytes, which check refuses; shorten the location")
    write_drafts(root / "claims", {path.name: text},
                 [(pid, name, "other") for pid, name in s.new_parties.items()], "`build_claims.py new`")
    return path, list(s.new_parties)
