"""The language a text's script tells, for an imported review that names none: Arabic script is
Arabic, Urdu or Persian by the letters only one of them uses, Cyrillic Ukrainian or Russian by
theirs, and a script that one language has (almost) to itself is that language. Where the letters
do not tell (Latin, which dozens of languages share; Cyrillic with neither language's letters;
Arabic script with letters of Pashto, Sindhi or Kurdish) it says so rather than guess: a wrong
language misleads screen readers and search, where a missing one is only the site's default."""
from __future__ import annotations

import unicodedata
from collections import Counter
from functools import cache

# Script blocks, by the first and last code point of each range.
_BLOCKS: dict[str, tuple[tuple[int, int], ...]] = {
    "Latin": ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x1E00, 0x1EFF)),
    "Arabic": ((0x600, 0x6FF), (0x750, 0x77F), (0x8A0, 0x8FF)),
    "Cyrillic": ((0x400, 0x52F),),
    "Hebrew": ((0x590, 0x5FF),),
    "Greek": ((0x370, 0x3FF), (0x1F00, 0x1FFF)),
    "Devanagari": ((0x900, 0x97F),),
    "Bengali": ((0x980, 0x9FF),),
    "Thai": ((0xE00, 0xE7F),),
    "Georgian": ((0x10A0, 0x10FF),),
    "Armenian": ((0x530, 0x58F),),
    "Han": ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F)),
    "Kana": ((0x3040, 0x30FF), (0x31F0, 0x31FF)),
    "Hangul": ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF)),
}
_ONE_LANGUAGE = {"Hebrew": "he", "Greek": "el", "Devanagari": "hi", "Bengali": "bn", "Thai": "th",
                 "Georgian": "ka", "Armenian": "hy"}

# Arabic script: the letters of Arabic (with the ڤ and ڨ of foreign words in Maghrebi and Levantine
# writing), those Persian adds, those Urdu adds. Any other letter of the script is another language's
# (Pashto ټ, Sindhi ڄ, Sorani ڕ, Uyghur ۆ...), and then the language is not guessed.
_ARABIC = set("ءآأؤإئابةتثجحخدذرسشصضطظعغفقكلمنهوىيٱڤڨـ")  # and the tatweel, a letter to Unicode
_PERSIAN_ONLY = set("پچژگکیۀ")  # (Urdu writes پ چ ژ گ ک ی too: hence Urdu's letters first)
_URDU_ONLY = set("ںےٹڈڑھہۂۃۓ")  # with ہ, heh goal, which neither Arabic nor Persian writes
_CYRILLIC_UK = set("іїєґІЇЄҐ")
_CYRILLIC_RU = set("ыэёЫЭЁ")  # not ъ: Bulgarian writes it too
_CYRILLIC_OTHERS = set("ўђјљњћџѓќѕЎЂЈЉЊЋЏЃЌЅ")  # Belarusian, Serbian, Macedonian
_YIDDISH = set("\u05f0\u05f1\u05f2")  # its double letters: Hebrew script, not Hebrew
_ASSAMESE = set("\u09f0\u09f1")


SAMPLE = 1000  # characters of each text the importer looks at: enough to tell its script, and fast


@cache  # texts of one language repeat their letters: a few hundred calls a record become lookups
def script_of(char: str) -> str | None:
    point = ord(char)
    for name, ranges in _BLOCKS.items():
        if any(first <= point <= last for first, last in ranges):
            return name
    return None


def main_script(text: str) -> tuple[str | None, list[str]]:
    """The script most of the letters of `text` are in (None: no letters), and those letters."""
    letters = [c for c in unicodedata.normalize("NFKC", text) if c.isalpha()]  # NFKC: Arabic presentation forms
    counts = Counter(s for s in map(script_of, letters) if s)
    if counts.get("Han") and (counts.get("Kana") or counts.get("Hangul")):  # Japanese and Korean write Han too
        counts["Kana" if counts.get("Kana") else "Hangul"] += counts.pop("Han")
    if not counts:
        return None, []
    script = max(sorted(counts), key=lambda s: counts[s])
    members = {"Kana": ("Kana", "Han"), "Hangul": ("Hangul", "Han")}.get(script, (script,))
    return script, [c for c in letters if script_of(c) in members]


def detect(text: str) -> tuple[str | None, str]:
    """(the language tag `text`'s script tells, or None; the script, for messages)."""
    script, letters = main_script(text)
    found = set(letters)
    if script is None:
        return None, "no letters"
    if script == "Arabic":
        if found - _ARABIC - _PERSIAN_ONLY - _URDU_ONLY:
            return None, "Arabic script, with letters of neither Arabic, Persian nor Urdu"
        if found & _URDU_ONLY:
            return "ur", "Arabic script, with Urdu's letters"
        if found & _PERSIAN_ONLY:
            return "fa", "Arabic script, with Persian's letters"
        return "ar", "Arabic script"
    if script == "Cyrillic":
        uk, ru = bool(found & _CYRILLIC_UK), bool(found & _CYRILLIC_RU)
        if uk != ru and not found & _CYRILLIC_OTHERS:
            return ("uk", "Cyrillic, with Ukrainian's letters") if uk else ("ru", "Cyrillic, with Russian's letters")
        return None, "Cyrillic, which letters alone do not tell between its languages here"
    if script == "Kana":
        return "ja", "Japanese kana"
    if script == "Hangul":
        return "ko", "Hangul"
    if script == "Han":
        return "zh", "Han characters, with no kana or Hangul"
    if (script == "Hebrew" and found & _YIDDISH) or (script == "Bengali" and found & _ASSAMESE):
        return None, f"{script} script, with letters of another language than {script}'s"
    if script in _ONE_LANGUAGE:
        return _ONE_LANGUAGE[script], f"{script} script"
    return None, "Latin script, which dozens of languages share"
