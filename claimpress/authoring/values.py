"""The values `new` takes, each checked as `check` checks it (the schema's patterns and choices,
real dates that have begun, the registries), with what to write instead when it is refused.
Every function returns the value to write, or raises Invalid; none asks or prints."""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from ..check.rules import Registries, date_span, happened
from ..check.schema import schema
from ..check.suggest import country_code, country_hint, country_name, name_key
from .clean import clean_text

_CLAIM = schema("claim")
TITLE_MAX = _CLAIM["properties"]["title"]["maxLength"]  # the data contract's limit, which check applies
_URL = _CLAIM["definitions"]["url"]
EVIDENCE_KINDS: list[str] = _CLAIM["definitions"]["evidence_kind"]["enum"]
STANCES: list[str] = _CLAIM["properties"]["evidence"]["items"]["properties"]["stance"]["enum"]
_PARTY = schema("parties")["additionalProperties"]["properties"]
PARTY_KINDS: list[str] = _PARTY["kind"]["enum"]
PRECISIONS: list[str] = _CLAIM["properties"]["incident"]["properties"]["precision"]["enum"]
_COORDINATE_ITEMS = _CLAIM["properties"]["incident"]["properties"]["coordinates"]["items"]
NAME_MAX = _PARTY["name"]["maxLength"]
_SMALL_WORDS = frozenset("of the for and on in de del la le les du des al el et und der die das".split())


class Invalid(ValueError):
    """A value that cannot be used: what is wrong, and what to write instead."""


def text(value: str, what: str, limit: int | None = None) -> str:
    """Clean text (no invisible or control characters, single spaces), not empty, at most `limit` long."""
    clean = clean_text(value)
    if not clean:
        raise Invalid(f"{what} has no visible characters")
    if limit is not None and len(clean) > limit:
        raise Invalid(f"{what} has {len(clean)} characters; it has at most {limit}")
    return clean


def past_date(value: str, what: str = "the date") -> str:
    """A YYYY-MM-DD, YYYY-MM or YYYY date that is real and has begun."""
    value = value.strip()
    written = re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", value) is not None  # not \d: "٢٠٢٠" too
    if written and happened(value):
        return value
    if written and date_span(value):
        raise Invalid(f"'{value}' is in the future; {what} records what has happened")
    if written:
        raise Invalid(f"'{value}' is not a real date; check the month and day")
    raise Invalid(f"'{value}' is not a date written YYYY-MM-DD, YYYY-MM or YYYY")


def not_before(later: str, earlier: str, what: str) -> None:
    """Invalid if the date `later` ends before `earlier` begins (check's date-order rule)."""
    late, early = date_span(later), date_span(earlier)
    if late and early and late[1] < early[0]:
        raise Invalid(f"'{later}' is before {what} ({earlier}); an allegation is made after what it alleges")


def url(value: str) -> str:
    value = value.strip()
    if not re.search(_URL["pattern"], value):
        raise Invalid(f"'{value}' is not an http:// or https:// address with no spaces")
    if len(value) > _URL["maxLength"]:
        raise Invalid(f"the address has {len(value)} characters; at most {_URL['maxLength']}")
    return value


def coordinates(value: str) -> list[float]:
    """[latitude, longitude] from "50.30852,34.89468" (or with a space, or in brackets), each a plain
    decimal number within the schema's range."""
    parts = [p for p in re.split(r"[,\s]+", value.strip().strip("[]()")) if p]
    numbers = [p for p in parts if re.fullmatch(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", p)]  # not "nan", "1e5"
    if len(parts) != 2 or len(numbers) != 2:
        raise Invalid(f"'{value}' is not a latitude and a longitude in decimal degrees, such as 50.30852,34.89468")
    out, problems = [], []
    for text, what, limits in zip(numbers, ("latitude", "longitude"), _COORDINATE_ITEMS):
        number = float(text)
        if not limits["minimum"] <= number <= limits["maximum"]:
            problems.append(f"the {what} {text} is not between {limits['minimum']} and {limits['maximum']}")
        out.append(number + 0.0)  # -0.0 is written 0.0
    if problems:
        hint = "; did you give the longitude first? the latitude comes first" if \
            len(problems) == 1 and abs(out[0]) > 90 >= abs(out[1]) else ""
        raise Invalid(" and ".join(problems) + hint)
    return out


def precision(value: str) -> str:
    """How exact the place is: one of the schema's precisions."""
    return choice(value, PRECISIONS, "a precision")


def choice(value: str, choices: Iterable[str], what: str) -> str:
    """One of `choices`, in any case."""
    options = list(choices)
    by_key = {option.casefold(): option for option in options}
    found = by_key.get(value.strip().casefold())
    if found:
        return found
    close = difflib.get_close_matches(value.strip().casefold(), list(by_key), n=1, cutoff=0.6)
    hint = f"did you mean '{by_key[close[0]]}'? " if close else ""
    raise Invalid(f"'{value}' is not {what}; {hint}one of: {', '.join(options)}")


def country(value: str) -> str:
    """An ISO 3166-1 alpha-2 code, from a code or a country's name."""
    code = country_code(value)
    if code:
        return code
    raise Invalid(f"'{value}' is not a country: {country_hint(value)}")


def shown_country(code: str) -> str:
    return f"{code} ({country_name(code)})"


def initials(name: str) -> set[str]:
    """"Human Rights Watch" -> {"HRW"}; "Ministry of Defence" -> {"MOD", "MD"}."""
    words = re.findall(r"[^\W\d_]+", name)
    return {"".join(w[0] for w in chosen).upper()
            for chosen in (words, [w for w in words if w.casefold() not in _SMALL_WORDS]) if len(chosen) > 1}


def known_party(value: str, registries: Registries) -> str | None:
    """The id of the party `value` names: its id, or its name or an alias in any case. None if none."""
    parties = registries.parties or {}
    if value in parties:
        return value
    return registries.party_by_name.get(name_key(value))


def party_by_initials(value: str, registries: Registries) -> list[str]:
    """The ids of the parties whose names have `value` (HRW, IDF) as their initials."""
    if not (2 <= len(value) <= 8 and value.isalpha()):
        return []
    wanted = value.upper()
    return [pid for pid, party in (registries.parties or {}).items()
            if isinstance(party, dict) and isinstance(party.get("name"), str) and wanted in initials(party["name"])]


def party_suggestions(value: str, registries: Registries) -> list[str]:
    """Ids of the parties whose ids, names or aliases are spelt most like `value`."""
    keys: dict[str, str] = {}
    for pid, party in (registries.parties or {}).items():
        keys.setdefault(pid, pid)
        if isinstance(party, dict):
            aliases = party.get("aliases") if isinstance(party.get("aliases"), list) else []
            for name in [party.get("name"), *aliases]:
                if isinstance(name, str):
                    keys.setdefault(name.casefold(), pid)
    found = difflib.get_close_matches(value.casefold(), list(keys), n=3, cutoff=0.5)
    return list(dict.fromkeys(keys[f] for f in found))


def party_shown(pid: str, registries: Registries) -> str:
    party = (registries.parties or {}).get(pid)
    name = party.get("name") if isinstance(party, dict) else None
    return f"'{pid}' ({name})" if isinstance(name, str) and name != pid else f"'{pid}'"


def category(value: str, registries: Registries) -> str:
    categories = {cid: c.get("name", cid) if isinstance(c, dict) else cid
                  for cid, c in (registries.categories or {}).items()}
    if value in categories:
        return value
    for cid, name in categories.items():
        if isinstance(name, str) and name.casefold() == value.strip().casefold():
            return cid
    keys = {**{k: k for k in categories}, **{str(n).casefold(): k for k, n in categories.items()}}
    close = list(dict.fromkeys(keys[f] for f in difflib.get_close_matches(value.casefold(), list(keys), n=3,
                                                                          cutoff=0.5)))
    hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else \
        f"one of: {', '.join(categories)}"
    raise Invalid(f"'{value}' is not a category in claims/categories.yml; {hint}")


def status(value: str, registries: Registries) -> str:
    """A rating id, from its id or its label."""
    ratings = registries.ratings or {}
    labels = {rid: r.get("label", rid) if isinstance(r, dict) else rid for rid, r in ratings.items()}
    for rid, label in labels.items():
        if value.strip() in (rid, label) or str(label).casefold() == value.strip().casefold():
            return rid
    keys = {**{r: r for r in labels}, **{str(label).casefold(): r for r, label in labels.items()}}
    close = difflib.get_close_matches(value.casefold(), list(keys), n=1, cutoff=0.6)
    hint = f"did you mean '{keys[close[0]]}'? " if close else ""
    raise Invalid(f"'{value}' is not a rating in claims/ratings.yml; {hint}one of: {', '.join(labels)}")
