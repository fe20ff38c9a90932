"""`new`: scaffold a draft claim from flags, or by asking for what the flags did not give."""
from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

import pycountry
import yaml

from .rules import Registries, date_span, happened
from .schema import schema
from .suggest import name_key, slug
from .write import append_parties

TITLE_MAX = schema("claim")["properties"]["title"]["maxLength"]  # the data contract's limit, which check applies


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
    def __init__(self, root: Path, registries: Registries, ask: Ask | None, today: str) -> None:
        self.root, self.registries, self.ask, self.today = root, registries, ask, today
        self.parties = {pid: p.get("name", pid) for pid, p in (registries.parties or {}).items()}
        self.new_parties: dict[str, str] = {}

    def party(self, value: str, allow_new: bool) -> str:
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
        pid = slug(name)[:70].strip("-")
        if not pid:
            raise NewError(f"'{name}' gives no usable id; add the party to claims/parties.yml by hand")
        if pid in self.parties and self.parties[pid] != name:
            raise NewError(f"the id '{pid}' is taken by '{self.parties[pid]}'; add the party by hand")
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
        written = re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value) is not None
        if written and happened(value):  # check refuses a date in the future too
            return value
        problem = f"'{value}' is in the future; an incident date records what has happened" \
            if written and date_span(value) else f"'{value}' is not a date written YYYY-MM-DD, YYYY-MM or YYYY"
        if self.ask is not None:
            return self.incident_date(self.ask(f"{problem}. YYYY-MM-DD, YYYY-MM or YYYY: "))
        raise NewError(problem)

    def title(self, value: str) -> str:
        text = " ".join(value.split())
        if len(text) <= TITLE_MAX:
            return text
        problem = f"the title has {len(text)} characters; a title has at most {TITLE_MAX}"
        if self.ask is not None:
            return self.title(self.ask(f"{problem}. Title (a neutral headline): "))
        raise NewError(problem)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def claim_id(title: str, incident_date: str, taken: set[str]) -> str:
    words = [w for w in slug(title).split("-") if w]
    base = ""
    for word in words:
        if len(base) + len(word) + 1 > 60:
            break
        base = f"{base}-{word}" if base else word
    year = incident_date[:4]
    base = f"{base}-{year}" if base and not base.endswith(year) else base or f"claim-{year}"
    cid, n = base, 2
    while cid in taken:
        cid, n = f"{base}-{n}", n + 1
    return cid


def create(root: Path, wanted: NewClaim, registries: Registries, ask: Ask | None = None,
           today: str | None = None) -> tuple[Path, list[str]]:
    """Write the draft; returns its path and the ids of parties added. Raises NewError."""
    today = today or date.today().isoformat()
    s = Scaffold(root, registries, ask, today)

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
    category_values = wanted.categories or _split(need(None, "Categories (ids, separated by commas): ",
                                                       "--category"))
    categories = list(dict.fromkeys(s.category(c) for c in category_values))

    taken = {p.stem for p in (root / "claims").glob("*.md")}
    cid = claim_id(title, incident_date, set())
    path = root / "claims" / f"{cid}.md"
    if cid in taken:
        raise NewError(f"claims/{cid}.md exists already; choose another title, or edit that claim")
    incident = {"date": incident_date, "country": country}
    if location:
        incident = {"date": incident_date, "location": " ".join(location.split()), "country": country}
    data = {"id": cid, "title": title, "claimant": claimant, "accused": accused, "incident": incident,
            "categories": categories, "status": "unverified", "published": today, "draft": True}
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=4096, default_flow_style=None)
    text = ("---\n" + front
            + "# Still to write: claim (the allegation as quoted), claimed_on, evidence, and the analysis\n"
            "# below. `python build_claims.py check` lists what is missing; see docs/claim-format.md.\n"
            "---\n\nWhat the sources say, what they do not say, and why the claim has its status.\n")
    path.write_text(text, encoding="utf-8")
    if s.new_parties:
        append_parties(root / "claims", [(pid, name, "other") for pid, name in s.new_parties.items()],
                       "`build_claims.py new`")
    return path, list(s.new_parties)
