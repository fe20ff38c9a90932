"""Likely fixes for diagnostics: "did you mean ...?"."""
from __future__ import annotations

import difflib
import importlib.util
import json
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

SMALL = 1000  # options compared one by one; above this, only those that start alike (see _Options)


def did_you_mean(value: str, options: Iterable[str]) -> str:
    """"did you mean 'x'?" for the option closest to `value`, or "". Its time does not grow with the
    number of options past SMALL: 50 unknown parties in each of 20 claims took two minutes against a
    registry of 16,000 parties, compared one by one."""
    return _options(options).suggest(value)


class _Options:
    def __init__(self, options: Iterable[str]) -> None:
        self.all = list(options)
        self.lowered = {o.lower(): o for o in self.all}
        self.by_start: dict[str, list[str]] = {}
        if len(self.all) > SMALL:  # a typo rarely starts a word: look among those that start alike
            for option in self.all:
                self.by_start.setdefault(option[:2].lower(), []).append(option)

    def suggest(self, value: str) -> str:
        if value.lower() in self.lowered and self.lowered[value.lower()] != value:
            return f"did you mean '{self.lowered[value.lower()]}'?"
        pool = self.by_start.get(value[:2].lower(), [])[:SMALL] if self.by_start else self.all
        match = difflib.get_close_matches(value, pool, n=1, cutoff=0.6)
        return f"did you mean '{match[0]}'?" if match else ""


_KEPT: dict[int, tuple[object, _Options]] = {}  # id of an options object -> (it, its index); holding it
# keeps its id from being reused by another object while the entry lives


def _options(options: Iterable[str]) -> _Options:
    if isinstance(options, (list, tuple)) and len(options) <= SMALL:
        return _Options(options)  # small and made for this call: nothing to keep
    kept = _KEPT.get(id(options))
    if kept is not None and kept[0] is options and len(kept[1].all) == len(options):  # type: ignore[arg-type]
        return kept[1]
    index = _Options(options)
    if len(_KEPT) >= 8:
        _KEPT.pop(next(iter(_KEPT)))
    _KEPT[id(options)] = (options, index)
    return index


def slug(text: str) -> str:
    """Lowercase a-z0-9 words joined by hyphens: the form of every id. Accents are dropped ("não" -> "nao");
    letters of other scripts are dropped too, so a slug may be empty."""
    # Lower case after decomposing: a letter with no lower case of its own ("𝖠", "℡") decomposes into
    # capitals ("A", "TEL"), which no id may hold.
    plain = unicodedata.normalize("NFKD", text).lower()
    return "-".join("".join(c if c.isascii() and c.isalnum() else " " for c in plain
                            if not unicodedata.combining(c)).split())


def name_key(name: str) -> str:
    """A key to compare names by: the slug, or for a name with no Latin letters ("РИА Новости")
    its words in lower case, so that two such names never compare equal by being both empty."""
    return slug(name) or " ".join(name.casefold().split())


def suggest_id(value: object) -> str:
    if not isinstance(value, str):
        return ""
    fixed = slug(value)
    return f"did you mean '{fixed}'?" if fixed and fixed != value else ""


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes. Read from pycountry's own data file when it is where the pinned
    version keeps it (importing pycountry costs ~0.04 s, much of a cached check), else from pycountry."""
    spec = importlib.util.find_spec("pycountry")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in locations:
        try:
            data = json.loads((Path(folder) / "databases" / "iso3166-1.json").read_text(encoding="utf-8"))
            return frozenset(entry["alpha_2"] for entry in data["3166-1"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    import pycountry

    return frozenset(country.alpha_2 for country in pycountry.countries)


# Codes in common use that are not ISO 3166-1 alpha-2.
_NOT_ISO = {"UK": "GB", "EL": "GR"}


def country_hint(value: str) -> str:
    """Suggest the alpha-2 code for a name, an alpha-3 code or a lowercase code."""
    import pycountry

    if value.strip().upper() in _NOT_ISO:
        value = _NOT_ISO[value.strip().upper()]
    try:
        match = pycountry.countries.lookup(value.strip())
    except LookupError:
        return "use the two-letter ISO 3166-1 code, such as SY or UA"
    return f"did you mean '{match.alpha_2}' ({match.name})?"
