"""Text and ids for what `new` and `import-claimreview` write, from input that may be hostile: a
name, title or claim keeps its visible words and loses every invisible or control character that
`check` refuses; a party id is always one `check` accepts."""
from __future__ import annotations

import hashlib
import unicodedata
from typing import Container

from .suggest import slug

# Control, format (bidi overrides, zero-width spaces), private-use, unassigned and surrogate code points.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs"})
# Hangul fillers: letters to Unicode, blank on screen, so a name made of them looks empty.
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")
# ZWNJ and ZWJ shape letters in Arabic, Persian and Indic scripts: kept between two letters only.
_JOINERS = frozenset("\u200c\u200d")
ID_MAX = 80        # the schema's limit for ids
ID_BASE_MAX = 70   # room left for a -2, -3 suffix


def _letter(ch: str) -> bool:
    return ch not in _FILLERS and unicodedata.category(ch).startswith("L")


def clean_text(value: str) -> str:
    """`value` NFC-normalised, its white space runs made single spaces, trimmed, with every control,
    format, private-use, unassigned or surrogate character and Hangul filler removed (ZWNJ and ZWJ
    kept between two letters). May be empty."""
    # White space first, so that a line break or tab (controls too) still separates words.
    text = " ".join(unicodedata.normalize("NFC", value).split())
    if text.isprintable() and not any(f in text for f in _FILLERS):
        return text  # the common case, at C speed: nothing to remove
    kept = [c for c in text
            if c in _JOINERS or (c not in _FILLERS and unicodedata.category(c) not in _DROPPED_CATEGORIES)]
    last = len(kept) - 1
    kept = [c for i, c in enumerate(kept)
            if c not in _JOINERS or (0 < i < last and _letter(kept[i - 1]) and _letter(kept[i + 1]))]
    return unicodedata.normalize("NFC", " ".join("".join(kept).split()))


def shorten(text: str, limit: int, mark: str = "...") -> str:
    """A clean `text` of at most `limit` characters: cut at a space where there is one, ending in `mark`."""
    if len(text) <= limit:
        return text
    cut = text[:limit - len(mark)]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return clean_text(cut) + mark  # cleaned again: the cut may leave a joiner with no letter after it


def id_slug(text: str) -> str:
    """suggest.slug, lower-cased once more: a letter with no lower case of its own ("𝖠", "℡")
    decomposes into capitals ("A", "TEL"), which no id may hold."""
    return slug(text).lower()


def party_id(name: str, taken: Container[str], prefix: str = "party") -> str:
    """An id for a new party named `name` (clean): its slug ("S-e-n-s-o-r" -> "s-e-n-s-o-r"), or for a
    name with no Latin letters or digits `prefix`-<digest of the name>; -2, -3... if taken already."""
    base = id_slug(name)[:ID_BASE_MAX].strip("-") or f"{prefix}-{hashlib.sha1(name.encode()).hexdigest()[:8]}"
    pid, n = base, 2
    while pid in taken:
        pid, n = f"{base}-{n}", n + 1
    return pid
