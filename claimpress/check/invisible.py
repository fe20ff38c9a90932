"""Characters that draw nothing, or change how the text around them reads, and so can hide or fake text.

A reader cannot see a zero-width space inside a party's name, a soft hyphen that splits a word for the
search index, or Unicode tag characters that carry a whole hidden sentence. `check` refuses them with
their code point; what real text in real scripts needs is allowed in its context:

- ZERO WIDTH NON-JOINER and ZERO WIDTH JOINER between two letters of a script that shapes its letters
  by them (Arabic, Persian, Urdu, Syriac, the Indic scripts, Sinhala, Myanmar, Khmer, Mongolian), and
  the joiner inside an emoji sequence (a family, a profession);
- ZERO WIDTH SPACE between two letters of a script written without spaces (Thai, Lao, Tibetan, Myanmar,
  Khmer), where it marks word breaks;
- tag characters only in an emoji flag sequence (the flags of England, Scotland and Wales);
- a variation selector right after the character it selects (emoji presentation, CJK ideographs);
- in the analysis (not in titles, names or quoted claims), the directional marks LRM, RLM and ALM,
  which place punctuation in mixed left-to-right and right-to-left prose.

Control characters and the directional overrides and isolates are refused everywhere by the loader
(text.FORBIDDEN). `clean` removes what `find` refuses, for text that `new` and the importer write.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Every character that may be refused; the rules below decide by context. One search over a file,
# in C, finds none in almost every file.
_CANDIDATES = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028\u2029\u2060-\u2064"
    "\u206a-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U0001d173-\U0001d17a\U000e0000-\U000e007f\U000e0100-\U000e01ef]")

ZWSP, ZWNJ, ZWJ, LRM, RLM, ALM = "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c"
_BLACK_FLAG = "\U0001f3f4"

# Scripts that join or shape letters with ZWNJ/ZWJ: Arabic (with its supplements and presentation
# forms), Syriac, Thaana, N'Ko, the Indic scripts to Sinhala, Myanmar, Khmer, Mongolian.
_JOINING = ((0x0600, 0x08FF), (0x0900, 0x0DFF), (0x1000, 0x109F), (0x1780, 0x18AF), (0xA8E0, 0xA8FF),
            (0xFB50, 0xFDFF), (0xFE70, 0xFEFF), (0x10D00, 0x10D3F), (0x1EE00, 0x1EEFF))
# Scripts written without spaces between words: Thai, Lao, Tibetan, Myanmar, Khmer.
_UNSPACED = ((0x0E00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x19E0, 0x19FF))


def _in(ch: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in ranges)


def _letter(ch: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    return unicodedata.category(ch)[0] in "LM" and _in(ch, ranges)


def _emoji(ch: str) -> bool:
    return unicodedata.category(ch) == "So" or ch == "\ufe0f" or 0x1F3FB <= ord(ch) <= 0x1F3FF


def _allowed(text: str, i: int, prose: bool) -> bool:
    ch = text[i]
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if ch in (ZWNJ, ZWJ) and before and after:
        if _letter(before, _JOINING) and _letter(after, _JOINING):
            return True
        return ch == ZWJ and _emoji(before) and _emoji(after)
    if ch == ZWSP and before and after:
        return _letter(before, _UNSPACED) and _letter(after, _UNSPACED)
    if "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef":
        return bool(before) and not _CANDIDATES.match(before) and unicodedata.category(before)[0] != "Z"
    if "\U000e0020" <= ch <= "\U000e007f":  # a flag: black flag, tag letters, cancel tag
        start = i
        while start > 0 and "\U000e0020" <= text[start - 1] <= "\U000e007e":
            start -= 1
        end = i
        while end < len(text) and "\U000e0020" <= text[end] <= "\U000e007e":
            end += 1
        return start > 0 and text[start - 1] == _BLACK_FLAG and end < len(text) and text[end] == "\U000e007f"
    return prose and ch in (LRM, RLM, ALM)


def find(text: str, prose: bool = False) -> Iterator[tuple[int, str]]:
    """(index, character) of each invisible character `text` may not hold. `prose` is for the analysis,
    which may also hold directional marks."""
    for match in _CANDIDATES.finditer(text):
        if not _allowed(text, match.start(), prose):
            yield match.start(), match.group()


def clean(text: str) -> str:
    """`text` without the characters `find` refuses in it."""
    refused = {i for i, _ in find(text)}
    return "".join(ch for i, ch in enumerate(text) if i not in refused) if refused else text


def describe(ch: str) -> str:
    """'U+200B (ZERO WIDTH SPACE)'."""
    name = unicodedata.name(ch, "")
    if not name and "\U000e0000" <= ch <= "\U000e007f":
        name = "TAG CHARACTER"
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")
