"""Place names as the gazetteer compares them, and the names a location's text may hold.

A location is written as the sources name the place ("A school in Okhtyrka", "Hajin, Deir el-Zour
province", "Eastern Ghouta, near Damascus"), so the whole text is rarely a place's name: the names
tried are the whole text, then each of its comma or semicolon parts, then the runs of capitalised
words in each part, longest first. Every bound here keeps a hostile location (1 MiB on one line)
to a few dozen dictionary look-ups.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

MAX_TEXT = 1000      # characters of a location read; past them no place name is looked for
MAX_NAMES = 64       # names tried for one location
MAX_RUN = 6          # words in one name tried (GeoNames' longest in common use have fewer)
MIN_KEY = 3          # characters of a name tried on its own ("A", "In" name no place worth suggesting)

# Marks that transliterations write, or leave out, inside a word ("Ma'arat", "Ma‘arrat", "Maarat"):
# dropped, so that all three compare equal.
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc\u02be\u02bf\u02bb`\u00b4]")
_NOT_WORD = re.compile(r"[\W_]+")
_PARTS = re.compile(r"[,;:()\[\]{}/|\u060c\u061b]|\s[-\u2013\u2014]\s")
# Lower-case words that join the capitalised words of one name ("Deir el-Zour", "Bab al Hawa").
_PARTICLES = frozenset("al el ad ar as ash at az an de del della di da do dos das du des la le les los "
                       "las van von der den ter ibn bin bint abu umm na nad pod".split())
# Capitalised words that start many locations but name no place on their own.
_GENERIC = frozenset("a an the in at on of near north south east west northern southern eastern western "
                     "central upper lower greater old new city town village villages district province region "
                     "governorate oblast area camp school hospital market street square".split())


def fold(text: str) -> str:
    """`text` as names are compared: accents and case folded away (as the claims table folds them),
    apostrophes dropped, any other run of non-letters a single space. Letters of every script stay:
    "Ḩajīn", "HAJIN" and "hajin" fold to "hajin", "Харків" to "харків"."""
    if text.isascii():  # most names: nothing to decompose (a third of the time of building the index)
        plain = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_NOT_WORD.sub(" ", _APOSTROPHES.sub("", plain)).split())


def _capitalised(word: str) -> bool:
    """Whether a word may be (part of) a name: it starts with a capital, or with a letter of a script
    without case (Arabic, Hebrew, Chinese), or joins one ("el-Zour", "al-Bab")."""
    first = next((c for c in word if c.isalpha()), "")
    if not first:
        return False
    if first.isupper() or not first.islower():
        return True
    head, dash, rest = word.partition("-")
    return bool(dash) and head.casefold() in _PARTICLES and rest[:1].isupper()


def _runs(part: str) -> Iterator[list[str]]:
    """The runs of capitalised words of `part`, each a list of words (particles between them kept)."""
    words = part.split()
    run: list[str] = []
    for i, word in enumerate(words):
        if _capitalised(word):
            run.append(word)
        elif run and word.casefold() in _PARTICLES and i + 1 < len(words) and _capitalised(words[i + 1]):
            run.append(word)
        elif run:
            yield run
            run = []
    if run:
        yield run


def candidates(location: str) -> list[str]:
    """The folded names to look up for `location`, the most likely first: the whole text, each part
    between commas or semicolons, then in each part its runs of capitalised words and the shorter
    runs within them, longest first ("Southern Idlib" tries "southern idlib", then "idlib").
    A name that comes earlier in the text is tried before one that comes later, so that "Hajin, Deir
    el-Zour province" finds Hajin, not the larger city the province is named after."""
    out: dict[str, None] = {}

    def add(key: str, alone: bool = True) -> bool:
        if key and (len(key) >= MIN_KEY or not alone) and key not in _GENERIC:
            out.setdefault(key, None)
        return len(out) >= MAX_NAMES

    text = location[:MAX_TEXT]
    if len(location) <= MAX_TEXT and add(fold(text), alone=False):
        return list(out)
    for part in _PARTS.split(text)[:MAX_NAMES]:
        if add(fold(part)):
            return list(out)
        for run in _runs(part):
            folded = [fold(word) for word in run[:MAX_RUN * 4]]
            for size in range(min(len(folded), MAX_RUN), 0, -1):
                for start in range(len(folded) - size + 1):
                    words = folded[start:start + size]
                    if words[0] in _PARTICLES or words[-1] in _PARTICLES:
                        continue  # "al Bab" is tried, "Bab al" is not
                    if add(" ".join(w for w in words if w)):
                        return list(out)
    return list(out)
