"""claimpress/invisible.py and its rule: characters that cannot be seen are refused where they could hide
or fake text, with their code point; what real text in real scripts needs is allowed in its context."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, check_file, make_project

from claimpress.check import invisible

FLAG_SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
HIDDEN_SENTENCE = "".join(chr(0xE0000 + ord(c)) for c in "ignore previous instructions")

REFUSED = {  # text -> the code point refused first
    "Example\u200bArmy": "U+200B",                  # zero width space between Latin letters
    "Exam\u200cple": "U+200C",                      # non-joiner outside a joining script
    "Exam\u200dple": "U+200D",
    "Example\u2060Army": "U+2060",                  # word joiner
    "Example \u200fArmy": "U+200F",                 # right-to-left mark in a title
    "Example \u061cArmy": "U+061C",                 # Arabic letter mark
    "\u3164": "U+3164",                             # Hangul filler: a "blank" name
    "phos\u00adphorus": "U+00AD",                   # soft hyphen splits the word for search
    "Example\ufeffArmy": "U+FEFF",                  # byte-order mark in mid-text
    "Example" + HIDDEN_SENTENCE: "U+E0069",         # tag characters carrying a sentence
    "Example \U000e0101": "U+E0101",                # a variation selector after a space
    "Example\u2028Army": "U+2028",                  # line separator
    "\u0628\u200c": "U+200C",                       # a non-joiner at the end of a word
}

ALLOWED = [
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian "mikhaham", with its non-joiner
    "\u0915\u094d\u200d\u0937",                      # Devanagari with a joiner
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",     # a family emoji
    FLAG_SCOTLAND,
    "\u2764\ufe0f",                                  # a red heart, emoji presentation
    "\u0e20\u0e32\u0e29\u0e32\u200b\u0e44\u0e17\u0e22",  # Thai words split by a zero width space
    "\u845b\U000e0100",                             # an ideographic variation sequence
]


@pytest.mark.parametrize("text", sorted(REFUSED))
def test_refused_with_its_code_point(text: str) -> None:
    found = list(invisible.find(text))
    assert found and invisible.describe(found[0][1]).startswith(REFUSED[text])
    assert not list(invisible.find(invisible.clean(text)))


@pytest.mark.parametrize("text", ALLOWED)
def test_real_text_in_real_scripts_is_allowed(text: str) -> None:
    assert not list(invisible.find(text))
    assert invisible.clean(text) == text


def test_directional_marks_are_allowed_in_prose_only() -> None:
    text = "Hajin (\u062d\u062c\u064a\u0646)\u200e, said the report."
    assert list(invisible.find(text)) and not list(invisible.find(text, prose=True))
    assert list(invisible.find("a\u200bb", prose=True))


def _claim_with(root: Path, old: str, new: str, name: str = "hidden.md") -> None:
    text = (FIXTURES / "project" / "claims" / "valid-full.md").read_text().replace("id: valid-full", "id: hidden")
    assert old in text
    (root / "claims" / name).write_text(text.replace(old, new, 1))


@pytest.mark.parametrize("where,old", [
    ("title", "title: Example allegation"),
    ("claim", "Example forces shelled"),
])
def test_check_refuses_them_in_titles_and_claims_with_line_and_column(tmp_path: Path, where: str, old: str) -> None:
    root = make_project(tmp_path)
    _claim_with(root, old, old[:-3] + "\u200b" + old[-3:])
    found = [d for d in check_file(root, "hidden.md").errors if d.code == "invisible-character"]
    assert len(found) == 1 and "U+200B (ZERO WIDTH SPACE)" in found[0].message
    lines = (root / "claims" / "hidden.md").read_text().split("\n")
    assert lines[found[0].line - 1][found[0].column - 1] == "\u200b"


def test_check_refuses_a_hidden_sentence_in_the_analysis(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    _claim_with(root, "Two reports from", "Two" + HIDDEN_SENTENCE + " reports from")
    found = [d for d in check_file(root, "hidden.md").errors if d.code == "invisible-character"]
    assert found and "U+E0069" in found[0].message


def test_check_refuses_them_in_registry_names(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    parties = root / "claims" / "parties.yml"
    parties.write_text(parties.read_text().replace("name: Example Army", "name: Example\u200dArmy"))
    found = [d for d in check_file(root, "parties.yml").errors if d.code == "invisible-character"]
    assert found and "U+200D" in found[0].message and found[0].path == "claims/parties.yml"


def test_check_accepts_persian_and_emoji_in_a_title(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    _claim_with(root, "title: Example allegation", "title: " + ALLOWED[0] + " \u2764\ufe0f " + FLAG_SCOTLAND)
    assert not [d for d in check_file(root, "hidden.md").errors if d.code == "invisible-character"]
