"""The one rule for a language tag (a BCP 47 tag as Babel knows it: ar, uk, pt-BR, zh-Hant), for the
settings, claims, translations and registries alike: whether it is one, its canonical form, the
direction of its script, its own name, and what an author probably meant by one that is not.

Babel is imported only when a tag is first asked about: most claims name no language."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

DEFAULT_LANGUAGE = "en"  # a site that names no languages: MkDocs' theme.language default

# What a tag can look like (language, script, region): every tag `language` takes matches it (the
# plugin finds the folder of a page's version with it).
TAG_PATTERN = r"[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
_SUBTAGS = re.compile(TAG_PATTERN + r"\Z")

# Tags that authors write for a language and that are no language (mostly the country's code), or
# an old code Babel still reads as another: what they meant.
_MISTAKES = {"ua": "uk", "jp": "ja", "cn": "zh", "kr": "ko", "gr": "el", "dk": "da", "cz": "cs", "vn": "vi",
             "ir": "fa", "il": "he", "iw": "he", "ji": "yi", "in": "id", "sp": "es", "rs": "sr", "by": "be"}


@dataclass(frozen=True)
class Language:
    tag: str         # canonical: "pt-BR", "zh-Hant", "ar"
    direction: str   # "rtl" or "ltr"
    name: str        # its own name in its own language ("العربية"), for a language switcher
    english: str     # its name in English ("Arabic"), for messages


def canonical_case(tag: str) -> str:
    """BCP 47's casing, subtag by subtag: language lower, Script title, REGION upper."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 else part.upper() if len(part) in (2, 3) else part.lower())
    return "-".join(out)


@cache
def language(tag: str) -> Language | None:
    """The language a tag names (any case), or None if it is no tag Babel knows as written: a tag
    that Babel would take for another (en-ZZ read as en-US, iw as he) is not taken."""
    if not isinstance(tag, str) or not _SUBTAGS.match(tag):  # cheap: Babel is not asked
        return None
    from babel import Locale, UnknownLocaleError

    written = canonical_case(tag)
    parts = written.split("-")
    script = next((p for p in parts[1:] if len(p) == 4), None)
    territory = next((p for p in parts[1:] if len(p) != 4), None)
    try:
        locale = Locale.parse(written, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    if locale.language != parts[0] or (script and locale.script != script) \
            or (territory and locale.territory != territory):
        return None
    english = Locale("en").languages.get(locale.language, locale.language)
    return Language(written, "rtl" if locale.character_order == "right-to-left" else "ltr",
                    locale.get_display_name() or english, english)


def is_language(tag: object) -> bool:
    return isinstance(tag, str) and language(tag) is not None


def canonical(tag: str) -> str:
    """The canonical form of a tag (compare tags by it); a tag that is none, as written."""
    found = language(tag)
    return found.tag if found else tag


def direction(tag: str) -> str:
    """"rtl" for a language written right to left (ar, fa, he, ur...), else "ltr"."""
    found = language(tag)
    return found.direction if found else "ltr"


def suggest(tag: str) -> str:
    """The likely fix for a tag that is none: "did you mean 'uk'?" (for ua, Ukrainian, UK_ua...), or
    what a tag is."""
    meant = _meant(tag.strip()) if isinstance(tag, str) else None
    if meant:
        return f"did you mean '{meant}'?"
    return "write a language tag such as en, ar, uk or pt-BR (BCP 47)"


def _meant(tag: str) -> str | None:
    lowered = tag.lower().replace("_", "-")
    if lowered in _MISTAKES:
        return _MISTAKES[lowered]
    if lowered != tag.lower() and is_language(lowered):  # pt_BR
        return canonical(lowered)
    first, _, rest = lowered.partition("-")
    if first in _MISTAKES and rest:  # ua-UA
        return _MISTAKES[first]
    by_name = _names().get(lowered)
    if by_name:
        return by_name
    if is_language(first):  # a language with a region or script Babel does not know: en-ZZ
        return canonical(first)
    from .check.suggest import did_you_mean

    close = did_you_mean(lowered, _names())  # a misspelt name: "ukranian"
    return _names()[close.split("'")[1]] if close else None


@cache
def _names() -> dict[str, str]:
    """English names of languages, lowercase -> tag ("arabic" -> "ar")."""
    from babel import Locale
    from babel.localedata import locale_identifiers

    known = set(locale_identifiers())  # the file names of Babel's data: parsing each would take seconds
    names: dict[str, str] = {}
    for code, name in sorted(Locale("en").languages.items()):
        if code in known:
            names.setdefault(name.lower(), code)
    return names


def named(name: str) -> str | None:
    """The tag of a language by its English name, any case ("Arabic" -> "ar"), or None: for records
    that name a language rather than tag it (schema.org's Language, {"name": "Arabic"})."""
    return _names().get(name.strip().lower()) if isinstance(name, str) else None
