"""No input of at most 1 MiB makes check or build take more than seconds.

Analyses every HTML parser on the way reads in a moment: `check` refuses one nested deeper than
gfm.MAX_NESTING or making more than gfm.MAX_HTML bytes of HTML, says where, and takes seconds at most on
any file of up to 1 MiB; what it accepts renders in seconds too. And the lists of a claim that multiply
the pages a build makes are bounded by the schema."""
from __future__ import annotations

import re
import time
from pathlib import Path

import nh3  # noqa: F401 - the sanitiser these limits protect
import pytest
from conftest import FIXTURES, check_file, make_project
from hypothesis import given, settings
from hypothesis import strategies as st

from claimpress import gfm
from claimpress.check.project import check_project
from claimpress.render.text import analysis_html

LIMIT = gfm.MAX_NESTING
FRONT = (FIXTURES / "project" / "claims" / "valid-minimal.md").read_text().split("\n---\n", 1)[0] + "\n---\n"
MIB = 1 << 20


def _claim(root: Path, body: str) -> tuple[Path, int]:
    """claims/deep.md with `body` as its analysis; the file line on which the body starts."""
    text = FRONT.replace("id: valid-minimal", "id: deep") + body
    assert len(text.encode()) <= MIB
    (root / "claims" / "deep.md").write_text(text)
    return root / "claims" / "deep.md", FRONT.count("\n") + 1


def _fill(unit: str, room: int = MIB - 2000) -> str:
    return unit * (room // len(unit.encode()))


# name -> (a body of about 1 MiB that nests far too deep, the body line and column where it passes the limit)
DEEP = {
    "block quotes on one line": (">" * 900_000, 1, LIMIT + 1),
    "block quotes line by line": ("Intro.\n\n" + "\n".join(">" * i + " x" for i in range(1, 1000)), 3 + LIMIT - 1, LIMIT + 2),
    "list markers on one line": ("- " * 400_000 + "x", 1, LIMIT + 1),
    "ordered list markers": ("1. " * 300_000 + "x", 1, 3 * (LIMIT // 2) + 1),
    "lists by indentation": ("\n".join("  " * i + "- x" for i in range(900)), LIMIT // 2, LIMIT + 1),
    "quotes inside list items": ("> - " * 200_000 + "x", 1, None),
    "emphasis": ("*a " * 150_000 + "x" + " a*" * 150_000, 1, None),
    "strikethrough": ("~~a " * 100_000 + "x" + " a~~" * 100_000, 1, None),
    "raw div": ("Before.\n\n" + "<div>" * 200_000, 3, 5 * LIMIT - 4),
    "raw ul li": ("<ul><li>" * 120_000, 1, None),
    "raw bold": ("x " + "<b>" * 300_000, 1, None),
    "div in table cells": ("| a |\n|---|\n| " + "<div>" * 150_000 + " |\n", 3, None),
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_check_refuses_pathological_nesting_quickly_and_says_where(tmp_path: Path, name: str) -> None:
    body, line, column = DEEP[name]
    root = make_project(tmp_path)
    _, first = _claim(root, body)
    started = time.monotonic()
    result = check_file(root, "deep.md")
    assert time.monotonic() - started < 5
    found = [d for d in result.errors if d.code in ("analysis-too-deep", "analysis-too-large")]
    assert len(found) == 1, [d.text() for d in result.diagnostics]
    if found[0].code == "analysis-too-deep":
        assert f"the limit is {LIMIT}" in found[0].message and "nests" in found[0].message
        if line is not None:
            assert found[0].line == first + line - 1, found[0].text()
        if column is not None:
            assert found[0].column == column, found[0].text()


def _valid(unit: str) -> str:
    return _fill(unit)


# Near-limit shapes that are valid: 1 MiB of each must check and convert in seconds.
VALID = {
    "block quotes 60 deep": ">" * 60 + " x\n\n",
    "raw div 60 deep": "<div>" * 60 + "x" + "</div>" * 60 + "\n\n",
    "raw ul li 30 deep": "<ul><li>" * 30 + "x" + "</li></ul>" * 30 + "\n\n",
    "emphasis 25 deep": "*a " * 25 + "x" + " a*" * 25 + "\n\n",
    "paragraphs of many li": "<li>" * 1000 + "\n\n",
    "brackets (cmark nests no link in a link)": "[" * 1000 + "x" + "](u)" * 1000 + "\n\n",
    "prose": "Words of a real analysis, with a [link](https://example.org/) and *emphasis*.\n\n",
    "a wide table": "|" + "a|" * 2000 + "\n|" + "-|" * 2000 + "\n" + ("|" + "b|" * 2000 + "\n") * 100,
}


@pytest.mark.parametrize("name", sorted(VALID))
def test_what_check_accepts_renders_in_seconds(tmp_path: Path, name: str) -> None:
    body = _valid(VALID[name]) if name != "a wide table" else VALID[name]
    root = make_project(tmp_path)
    _claim(root, body)
    started = time.monotonic()
    result = check_file(root, "deep.md")
    checked = time.monotonic() - started
    errors = [d for d in result.errors if d.code.startswith("analysis-")]
    if errors:  # refused as too large: fine, as long as it was refused quickly
        assert errors[0].code == "analysis-too-large" and checked < 5
        return
    started = time.monotonic()
    html = analysis_html(body)
    assert time.monotonic() - started < 5 and checked < 5
    assert gfm._open_tags(html, LIMIT + 8) <= LIMIT + 8  # +8: the page's own levels are not counted here


def test_an_analysis_making_too_much_html_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    _claim(root, _fill(">" * 60 + " x\n\n"))  # 27 bytes of HTML for each '>'
    found = [d for d in check_file(root, "deep.md").errors if d.code == "analysis-too-large"]
    assert found and f"the limit is {gfm.MAX_HTML:,}" in found[0].message


def test_the_limit_itself_is_allowed(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    _claim(root, "<div>" * LIMIT + "x")  # an HTML block: cmark adds no paragraph around it
    assert not [d for d in check_file(root, "deep.md").errors if d.code.startswith("analysis-")]
    _claim(root, "<div>" * (LIMIT + 1) + "x")
    assert [d.code for d in check_file(root, "deep.md").errors] == ["analysis-too-deep"]


# The quick bound must never clear a text whose HTML nests deeper than it says.
markdownish = st.lists(st.sampled_from(list("> -*_~[]()!`|\n1.x") + ["<div>", "</div>", "<ul>", "<li>", "  ", "\n\n",
                                                                   "www.x.org", "http://a.b", "\t"]),
                       max_size=200).map("".join)


@settings(max_examples=400, deadline=None)
@given(markdownish, st.integers(2, 40))
def test_the_quick_bound_is_an_upper_bound(text: str, limit: int) -> None:
    if gfm.within_bound(text, limit):
        html = gfm.to_html(text, gfm.ANALYSIS_OPTIONS, gfm.ANALYSIS_EXTENSIONS)
        assert gfm._open_tags(html, limit) <= limit


# Lists that multiply a build's work: every accused party (and each of its parents) gets a facet page
# that lists the claim with all its accused, so 8,000 accused in one 55 KB claim took 4.5 minutes to
# build. The schema bounds each list.
LIST_LIMITS = {"accused": 50, "categories": 20, "related": 100, "evidence": 500, "responses": 200,
               "updates": 1000, "tags": 50, "authors": 50}


@pytest.mark.parametrize("field", sorted(LIST_LIMITS))
def test_lists_are_bounded(tmp_path: Path, field: str) -> None:
    import yaml

    from claimpress.check.schema import schema

    limit = LIST_LIMITS[field]
    assert schema("claim")["properties"][field]["maxItems"] == limit
    root = make_project(tmp_path)
    data = yaml.safe_load(FRONT.split("---\n")[1])
    data["id"] = "deep"
    data[field] = [f"x{i}" for i in range(limit + 1)]
    (root / "claims" / "deep.md").write_text("---\n" + yaml.safe_dump(data) + "---\n")
    found = [d for d in check_file(root, "deep.md").errors if d.code == "too-many"]
    assert found and f"at most {limit} allowed" in found[0].message


def test_suggestions_take_no_longer_with_a_large_registry(tmp_path: Path) -> None:
    """'Did you mean' compared each unknown reference with every party: 1,000 unknown parties against a
    registry of 16,000 took two minutes. Now it looks among those that start alike, and still finds them."""
    import yaml

    root = make_project(tmp_path)
    parties = root / "claims" / "parties.yml"
    words = [f"{a}{b}{c}" for a in "bcdfghjklm" for b in "aeiou" for c in "nprst"]  # 250 syllables
    extra = "".join(f"{w}-{x}-{i}: {{name: P{i}, kind: other}}\n" for i, (w, x) in
                    enumerate((words[i % 250], words[i // 250 % 250]) for i in range(16_000)))
    parties.write_text(parties.read_text() + extra)
    data = yaml.safe_load(FRONT.split("---\n")[1])
    for n in range(20):
        data["id"] = f"many-{n}"
        data["accused"] = [f"{words[(n * 50 + i) % 250]}-{words[0]}-{(n * 50 + i) % 250}x" for i in range(50)]
        (root / "claims" / f"many-{n}.md").write_text("---\n" + yaml.safe_dump(data) + "---\n")
    started = time.process_time()
    result = check_project(root)
    assert time.process_time() - started < 10
    unknown = [d for d in result.errors if d.code == "unknown-party"]
    assert len(unknown) == 1000
    for d in unknown:  # each is its party's id with an x added: the party is suggested
        written = re.search(r"'([a-z0-9-]+)x' is not a party", d.message).group(1)
        assert f"did you mean '{written}'?" in d.text(), d.text()


def test_a_file_with_a_hundred_thousand_bad_entries_is_checked_in_seconds(tmp_path: Path) -> None:
    """jsonschema takes about 60 us for each entry of a list; describing each bad one took more: 120,000
    bad entries in a 1 MiB claim took 7 s. After 100 errors check stops and says so."""
    root = make_project(tmp_path)
    text = FRONT.replace("id: valid-minimal", "id: deep").replace(
        "accused: [example-army]", "accused: [" + ", ".join(f"X{i}" for i in range(120_000)) + "]")
    _claim_file = root / "claims" / "deep.md"
    _claim_file.write_text(text)
    assert len(text) < MIB
    started = time.process_time()
    found = check_file(root, "deep.md").errors
    assert time.process_time() - started < 3
    assert len(found) == 101 and [d.line for d in found if d.message.startswith("more than 100 schema errors")] == [2]


@pytest.mark.parametrize("shape", ["unknown fields", "aliases"])
def test_a_file_of_a_hundred_thousand_problems_shows_a_hundred_in_seconds(tmp_path: Path, shape: str) -> None:
    """100,000 unknown fields each got a 'did you mean' (10 s); 1 MiB of aliases printed 83,000 lines."""
    root = make_project(tmp_path)
    if shape == "unknown fields":
        extra = "".join(f"k{i}: 1\n" for i in range(100_000))
    else:
        extra = "x: &a 1\n" + "".join(f"y{i}: *a\n" for i in range(70_000))
    text = FRONT.replace("id: valid-minimal", "id: deep").replace("\n---\n", "\n" + extra + "---\n")
    assert len(text) < MIB
    (root / "claims" / "deep.md").write_text(text)
    started = time.process_time()
    found = check_file(root, "deep.md").errors
    assert time.process_time() - started < 4
    assert len(found) == 101
    assert any("not shown" in d.message for d in found)
