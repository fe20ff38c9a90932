"""claimpress/check/load.py: bytes on disk -> plain data with the position of every value, or
diagnostics; YAML read by the 1.2 core rules, with nothing a contributor did not see."""
from __future__ import annotations

from pathlib import Path

import pytest

from claimpress.check.load import MAX_DEPTH, Document, load_claim, parse_yaml, split_front_matter
from claimpress.check.text import read_text


def _parsed(text: str) -> Document:
    doc = parse_yaml(text, "claims/x.md")
    assert isinstance(doc, Document), doc
    return doc


@pytest.mark.parametrize("written, value", [
    ("NO", "NO"), ("yes", "yes"), ("1:30", "1:30"), ("2020-05-01", "2020-05-01"), ("~", None), ("null", None),
    ("true", True), ("False", False), ("12", 12), ("-3", -3), ("1.5", 1.5), ("0x10", "0x10"), ("1e3", 1000.0),
])
def test_plain_scalars_follow_the_yaml_1_2_core_rules(written: str, value: object) -> None:
    assert _parsed(f"a: {written}\n").data == {"a": value}


def test_every_value_and_key_has_its_position() -> None:
    doc = _parsed("title: T\nevidence:\n  - url: https://x.org\n")
    assert doc.position(("title",)) == (1, 8)
    assert doc.position(("evidence", 0, "url")) == (3, 10)
    assert doc.position(("evidence", 0, "url"), key=True) == (3, 5)
    assert doc.position(("evidence", 0, "nowhere")) == (3, 5)  # the nearest parent that is there


def test_a_number_written_where_text_is_wanted_keeps_its_written_form() -> None:
    doc = _parsed("title: 1984\ncount: 007\n")
    assert doc.plain == {("title",): "1984", ("count",): "007"}


@pytest.mark.parametrize("text, code", [
    ("a: 1\na: 2\n", "duplicate-key"),
    ("a: &x 1\nb: *x\n", "yaml-anchor"),
    ("a: !!python/object/apply:os.system ['true']\n", "yaml-tag"),
    ("a: !custom 1\n", "yaml-tag"),
    ("a:\n\t- 1\n", "yaml-tab"),
    ("a: [1\n", "yaml-syntax"),
    ("a: 1\n---\nb: 2\n", "yaml-multiple-documents"),
    ("a: " + "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2) + "\n", "yaml-too-deep"),
])
def test_what_the_loader_refuses(text: str, code: str) -> None:
    found = parse_yaml(text, "claims/x.md")
    assert isinstance(found, list) and code in {d.code for d in found}
    assert all(d.line >= 1 for d in found)


def test_the_front_matter_and_the_line_the_body_starts_on() -> None:
    front, body, body_line, found = split_front_matter("---\na: 1\nb: 2\n---\nThe body.\n", "claims/x.md")
    assert (front, body, body_line, found) == ("a: 1\nb: 2\n", "The body.\n", 5, [])
    assert split_front_matter("no front matter", "claims/x.md")[3][0].code == "front-matter-missing"
    assert split_front_matter("---\na: 1\n", "claims/x.md")[3][0].code == "front-matter-unclosed"


@pytest.mark.parametrize("content, code", [
    (b"---\na: \xff\n---\n", "encoding"),
    (b"---\ra: 1\r---\r", "line-endings"),
    (b"---\na: 1\x00\n---\n", "forbidden-character"),
])
def test_what_cannot_be_read_as_text(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(content)
    text, found = read_text(path, "claims/x.md")
    assert text is None and [d.code for d in found][:1] == [code]


def test_a_byte_order_mark_is_a_warning_and_windows_line_endings_are_read(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\nid: x\r\n---\r\nBody\r\n")
    doc, found = load_claim(path, "claims/x.md")
    assert doc is not None and doc.data == {"id": "x"} and doc.body == "Body\n"
    assert [(d.severity, d.code) for d in found] == [("warning", "byte-order-mark")]


def test_a_link_is_not_read(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.md"
    target.write_text("---\nid: x\n---\n")
    (tmp_path / "x.md").symlink_to(target)
    text, found = read_text(tmp_path / "x.md", "claims/x.md")
    assert text is None and [d.code for d in found] == ["symlink"]
