"""One rule for the id of a claim that `new` or the importer writes: the first eight words of its title
or claim, at most 70 characters, then its year; -2, -3... when taken. Imported drafts have had these
ids since the importer was written: an id, once published, is an address, so the rule stays.

A title mostly in another script than Latin (Arabic, Cyrillic, Han...) gives the words of its
transliteration (anyascii: "Відео показує" -> "video-pokazuie"), so that its id can still be read,
typed and said; where that gives too little, the caller's fallback (the importer's: the publisher and
the date of the review)."""
from __future__ import annotations

from collections.abc import Container

from anyascii import anyascii

from ..check.project import RESERVED_IDS
from ..check.suggest import slug
from .script import script_of

ID_MAX = 80  # the schema's limit for ids
ENOUGH_LETTERS = 3  # a transliteration with fewer (an emoji, "لا") names nothing: the fallback instead


def _mostly_other_scripts(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    latin = sum(1 for c in letters if c.isascii() or script_of(c) == "Latin")
    return len(letters) - latin > latin


def readable(text: str) -> str:
    """`text` as an id's words (slug): for a text mostly in other scripts than Latin, its transliteration.
    Each Han character on its own, as anyascii writes a run of them as one word ("XinGuanYiMiao")."""
    if not _mostly_other_scripts(text):
        return slug(text)
    spaced = "".join(f" {c} " if script_of(c) == "Han" else c for c in text)
    return slug(anyascii(spaced))


def _enough(words: str) -> bool:
    return sum(1 for c in words if "a" <= c <= "z") >= ENOUGH_LETTERS


def claim_id(text: str, year: str, taken: Container[str], fallback: str,
             next_n: dict[str, int] | None = None) -> str:
    """An id for a new claim about `text` in `year` (may be ""), not in `taken` nor reserved; `fallback`
    where the text gives no Latin letters or digits, or its transliteration too few letters (a
    fallback that holds the year as a word, "misbar-2023-10-16", gets it no second time). `next_n`
    (kept by the caller across many ids) remembers the suffix to try next for each start, so that
    30,000 records of the same words take no quadratic time."""
    text = text or ""
    words = readable(text).split("-")[:8]
    base = "-".join(w for w in words if w)[:70].strip("-")
    if not base or (_mostly_other_scripts(text) and not _enough(base)):
        base = fallback
        year = "" if year in base.split("-") else year
    base = f"{base}-{year}" if year and not base.endswith(year) else base
    next_n = {} if next_n is None else next_n
    cid, n = base, next_n.get(base, 2)
    while cid in taken or cid in RESERVED_IDS:
        suffix = f"-{n}"
        cid, n = base[:ID_MAX - len(suffix)].rstrip("-") + suffix, n + 1
    next_n[base] = n
    return cid
