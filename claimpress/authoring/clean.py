"""Text and ids for what `new` and `import-claimreview` write, from input that may be hostile: a
name, title or claim keeps its visible words and loses every invisible or control character that
`check` refuses; a party id is always one `check` accepts."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Container

from ..check import invisible
from ..check.suggest import slug

# Control, format (bidi overrides, zero-width spaces), private-use, unassigned and surrogate code points.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs"})
# Hangul fillers: letters to Unicode, blank on screen, so a name made of them looks empty.
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")
# ZWNJ and ZWJ shape letters in Arabic, Persian and Indic scripts: kept where invisible.py allows them.
_JOINERS = frozenset("\u200c\u200d")
ID_MAX = 80        # the schema's limit for ids
ID_BASE_MAX = 70   # room left for a -2, -3 suffix


def clean_text(value: str) -> str:
    """`value` NFC-normalised, its white space runs made single spaces, trimmed, with every control,
    format, private-use, unassigned or surrogate character and Hangul filler removed (ZWNJ and ZWJ
    kept where check allows them). May be empty."""
    # White space first, so that a line break or tab (controls too) still separates words.
    text = " ".join(unicodedata.normalize("NFC", value).split())
    if not text.isprintable() or any(f in text for f in _FILLERS):  # else nothing to remove but what check adds
        text = "".join(c for c in text if c in _JOINERS
                       or (c not in _FILLERS and unicodedata.category(c) not in _DROPPED_CATEGORIES))
    # Last, exactly what check refuses (claimpress/invisible.py: a joiner outside the scripts that shape
    # letters with it, a grapheme joiner...): one regular-expression search when there is none.
    return unicodedata.normalize("NFC", " ".join(invisible.clean(text).split()))


def shorten(text: str, limit: int, mark: str = "...") -> str:
    """A clean `text` of at most `limit` characters: cut at a space where there is one, ending in `mark`."""
    if len(text) <= limit:
        return text
    cut = text[:limit - len(mark)]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return clean_text(cut) + mark  # cleaned again: the cut may leave a joiner with no letter after it


def headline(text: str, limit: int) -> str:
    """A title from a clean `text` (a claim): all of it when it fits in `limit` characters; else its
    first sentences that fit, if they make a title (40 characters or more); else its words up to the
    limit, ending in "…", cut at a space."""
    if len(text) <= limit:
        return text
    sentences = re.split(r"(?<=[.!?。؟])\s+(?=[^\s\w]*[^\W\d_](?<![a-z]))", text)  # not "U.S. forces"
    title = ""
    for sentence in sentences:
        longer = f"{title} {sentence}".strip()
        if len(longer) > limit:
            break
        title = longer
    return title if len(title) >= 40 else shorten(text, limit, "…")


def party_id(name: str, taken: Container[str], prefix: str = "party") -> str:
    """An id for a new party named `name` (clean): its slug ("S-e-n-s-o-r" -> "s-e-n-s-o-r"), or for a
    name with no Latin letters or digits `prefix`-<digest of the name>; -2, -3... if taken already."""
    base = slug(name)[:ID_BASE_MAX].strip("-") or f"{prefix}-{hashlib.sha1(name.encode()).hexdigest()[:8]}"
    pid, n = base, 2
    while pid in taken:
        pid, n = f"{base}-{n}", n + 1
    return pid
