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
# Names the news uses that the ISO list (pycountry's name, common_name, official_name) does not hold.
_NEWS_NAMES = {
    "russia": "RU", "britain": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "usa": "US", "america": "US", "turkey": "TR", "burma": "MM", "ivory coast": "CI", "palestine": "PS",
    "gaza": "PS", "gaza strip": "PS", "west bank": "PS", "drc": "CD", "dr congo": "CD",
    "democratic republic of congo": "CD", "cape verde": "CV", "swaziland": "SZ", "macedonia": "MK",
    "vatican": "VA", "brunei": "BN", "east timor": "TL", "micronesia": "FM", "uae": "AE",
}


def _key(name: str) -> str:
    return slug(name).replace("-", " ")  # "Côte d'Ivoire" -> "cote d ivoire"


@lru_cache(maxsize=1)
def _country_names() -> dict[str, tuple[str, str]]:
    """The key of every name of every country -> (its alpha-2 code, the name to show)."""
    import pycountry

    names: dict[str, tuple[str, str]] = {}
    shown_for: dict[str, str] = {}
    for country in pycountry.countries:
        shown_for[country.alpha_2] = getattr(country, "common_name", None) or country.name
        for name in (country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)):
            if name:
                names.setdefault(_key(name), (country.alpha_2, shown_for[country.alpha_2]))
    for name, code in _NEWS_NAMES.items():
        names.setdefault(name, (code, shown_for[code]))
    return names


def country_name(code: str) -> str:
    """The name to show for an alpha-2 code ("SY" -> "Syria")."""
    return next((shown for c, shown in _country_names().values() if c == code), code)


def country_code(value: str) -> str | None:
    """The alpha-2 code that `value` gives: a code in any case (alpha-2, alpha-3, UK), or a country's
    name (Syria, Syrian Arab Republic, Russia, Côte d'Ivoire); None if none."""
    text = " ".join(value.split())
    if text.upper() in country_codes():
        return text.upper()
    if text.upper() in _NOT_ISO:
        return _NOT_ISO[text.upper()]
    found = _country_names().get(_key(text))
    if found:
        return found[0]
    if len(text) == 3 and text.isascii() and text.isalpha():
        import pycountry

        country = pycountry.countries.get(alpha_3=text.upper())
        return country.alpha_2 if country else None
    return None


def country_matches(value: str, n: int = 3) -> list[tuple[str, str]]:
    """(code, name) of the countries whose names are spelt most like `value` ("Ukrain" -> UA, Ukraine)."""
    key = _key(value)
    if len(key) < 3:
        return []
    names = _country_names()
    most = 1 if len(key) <= 4 else 2 if len(key) <= 8 else 3  # typos a name of this length may hold
    scored = sorted((distance, name) for name in names
                    if (distance := 0 if len(key) > 3 and name.startswith(key) else _typos(key, name, most)) <= most)
    return list({names[name][0]: names[name] for _, name in scored}.values())[:n]


def _typos(a: str, b: str, most: int) -> int:
    """Letters added, dropped, changed or swapped with the next between `a` and `b` (the optimal
    string alignment distance), or most + 1 once it is over `most`. difflib ranks "Iraq" above
    "Syria" for "Sirya"; a typo is mostly one of these."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    before, row = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (x != y))
            if before is not None and i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > most:
            return most + 1
        before, row = row, current
    return row[-1]


def country_hint(value: str) -> str:
    """Suggest the alpha-2 code for a name, an alpha-3 code, a lowercase code or a misspelt name."""
    code = country_code(value)
    if code:
        return f"did you mean '{code}' ({country_name(code)})?"
    matches = country_matches(value)
    if matches:
        return "did you mean " + " or ".join(f"'{c}' ({name})" for c, name in matches) + "?"
    return "use the two-letter ISO 3166-1 code, such as SY or UA"
