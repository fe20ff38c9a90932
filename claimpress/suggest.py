"""Likely fixes for diagnostics: "did you mean ...?"."""
from __future__ import annotations

import difflib
import importlib.util
import json
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterable



def did_you_mean(value: str, options: Iterable[str]) -> str:
    options = list(options)
    lowered = {o.lower(): o for o in options}
    if value.lower() in lowered and lowered[value.lower()] != value:
        return f"did you mean '{lowered[value.lower()]}'?"
    match = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else ""


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
