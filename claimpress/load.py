"""The strict loader: bytes on disk -> plain data with line/column marks, or diagnostics.

Strictness without a pure-Python parser: libyaml (PyYAML's C extension) tokenises and
parses, and this module builds the data from its *events*, so that duplicate keys,
anchors, aliases and explicit tags are seen and reported with their position.  Plain
scalars are resolved with the YAML 1.2 core rules (only true/false/null, decimal
numbers), so the YAML 1.1 surprises never happen: `NO` stays the text "NO", `1:30`
stays "1:30", and a date stays the text that was written.  Numbers written where
the schema wants text (`title: 1984`, `status: false`) are read as the text written (see `Document.plain`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.cyaml import CParser

from .diagnostics import ERROR, WARNING, Diagnostic

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 32  # claims nest 3 deep; a bound keeps hostile input from exhausting anything

Path_ = tuple  # a field path: ("evidence", 0, "url")
Position = tuple  # (line, column), both 1-based


@dataclass
class Document:
    """One loaded file: its data, where each value and key stands, and its Markdown body."""

    path: str                       # display path, e.g. "claims/x.md"
    data: Any = None
    marks: dict = field(default_factory=dict)      # field path -> position of the value
    key_marks: dict = field(default_factory=dict)  # field path -> position of its key
    plain: dict = field(default_factory=dict)      # field path -> written text of a plain number or boolean
    body: str = ""
    body_line: int = 0              # file line on which the body starts

    def position(self, path: Path_, key: bool = False) -> Position:
        """The best position for a field path: the key or value itself, else its nearest parent."""
        path = tuple(path)
        while True:
            table = self.key_marks if key else self.marks
            if path in table:
                return table[path]
            if not key and path in self.key_marks:
                return self.key_marks[path]
            if not path:
                return self.marks.get((), (1, 1))
            path = path[:-1]


# C0 controls but tab and newline, DEL, C1 controls; and the bidirectional embeddings,
# overrides and isolates that can make text read differently from what it is ("Trojan Source").
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CLOSING = re.compile(r"^---[ \t]*$", re.MULTILINE)
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_STR_TAG = "tag:yaml.org,2002:str"


def describe_char(ch: str) -> str:
    names = {"\x00": "NUL", "\r": "carriage return", "\x1b": "escape", "\x7f": "DEL",
             "\u202a": "LEFT-TO-RIGHT EMBEDDING", "\u202b": "RIGHT-TO-LEFT EMBEDDING",
             "\u202c": "POP DIRECTIONAL FORMATTING", "\u202d": "LEFT-TO-RIGHT OVERRIDE",
             "\u202e": "RIGHT-TO-LEFT OVERRIDE", "\u2066": "LEFT-TO-RIGHT ISOLATE",
             "\u2067": "RIGHT-TO-LEFT ISOLATE", "\u2068": "FIRST STRONG ISOLATE",
             "\u2069": "POP DIRECTIONAL ISOLATE"}
    return f"U+{ord(ch):04X}" + (f" ({names[ch]})" if ch in names else "")


def _line_col(text: str, index: int) -> Position:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def read_text(path: Path, display: str) -> tuple[str | None, list[Diagnostic]]:
    """Read a file as UTF-8 text, refusing links, huge files, bad encodings and hidden characters."""
    def err(code: str, message: str, line: int = 0, col: int = 0, hint: str = "") -> tuple[None, list[Diagnostic]]:
        return None, [Diagnostic(display, line, col, ERROR, code, message, hint)]

    try:
        if path.is_symlink():
            return err("symlink", "is a symbolic link; claim files and registries must be regular files",
                       hint="replace the link with the file itself")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return err("file-too-large", f"is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} (1 MiB)",
                       hint="move long analysis to a linked report")
        raw = path.read_bytes()
    except OSError as exc:
        return err("unreadable", f"cannot be read: {exc.strerror or exc}")
    diagnostics: list[Diagnostic] = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw[: exc.start].decode("utf-8", "replace"), exc.start)
        return err("encoding", f"is not valid UTF-8 (byte 0x{raw[exc.start]:02X})", line, col,
                   hint="save the file as UTF-8")
    if text.startswith("\ufeff"):
        text = text[1:]
        diagnostics.append(Diagnostic(display, 1, 1, WARNING, "byte-order-mark",
                                      "starts with a UTF-8 byte-order mark", "save as UTF-8 without BOM"))
    text = text.replace("\r\n", "\n")
    for match in _FORBIDDEN.finditer(text):
        line, col = _line_col(text, match.start())
        diagnostics.append(Diagnostic(display, line, col, ERROR, "forbidden-character",
                                      f"contains the invisible or control character {describe_char(match.group())}",
                                      "delete it; retype the text around it if unsure"))
        if len(diagnostics) >= 20:
            break
    if any(d.is_error for d in diagnostics):
        return None, diagnostics
    return text, diagnostics


def split_front_matter(text: str, display: str) -> tuple[str | None, str, int, list[Diagnostic]]:
    """Split '---' front matter from the Markdown body: (yaml text, body, body start line, diagnostics)."""
    first, sep, rest = text.partition("\n")
    if first.rstrip(" \t") != "---":
        return None, "", 0, [Diagnostic(display, 1, 1, ERROR, "front-matter-missing",
                                        "does not start with a '---' line",
                                        "a claim starts with YAML front matter between two '---' lines")]
    closing = _CLOSING.search(rest)
    if closing is None:
        return None, "", 0, [Diagnostic(display, 1, 1, ERROR, "front-matter-unclosed",
                                        "front matter opened on line 1 is never closed",
                                        "add a line with only '---' after the last field")]
    front = rest[: closing.start()]
    body_start = closing.end() + 1
    body = rest[body_start:]
    body_line = 2 + rest.count("\n", 0, body_start)
    return front, body, body_line, []


def parse_yaml(text: str, display: str, first_line: int = 1) -> Document | list[Diagnostic]:
    """Build plain data from libyaml events; `first_line` is the file line of the text's first line."""
    doc = Document(display)
    diagnostics: list[Diagnostic] = []

    def pos(mark: Any) -> Position:
        return (mark.line + first_line, mark.column + 1)

    def report(code: str, message: str, where: Position, hint: str = "") -> None:
        diagnostics.append(Diagnostic(display, where[0], where[1], ERROR, code, message, hint))

    if "\t" in text:
        for number, line in enumerate(text.split("\n"), start=first_line):
            column = line.find("\t")
            if column != -1:
                report("yaml-tab", "contains a tab character", (number, column + 1),
                       "indent with spaces, and write tabs in text as spaces")
        if diagnostics:
            return diagnostics

    # Each open container: [value, field path, pending key or _NO_KEY, first position of each key]
    stack: list[list] = []
    root: list = []
    documents = 0
    parser = CParser(text)
    try:
        while True:
            event = parser.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                break
            kind = type(event)
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    report("yaml-multiple-documents", "holds more than one YAML document", pos(event.start_mark),
                           "remove the extra '---' or '...' line")
                    break
                continue
            if kind in (yaml.StreamStartEvent, yaml.DocumentEndEvent):
                continue
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
                continue

            where = pos(event.start_mark)
            if getattr(event, "anchor", None) is not None:
                if kind is yaml.AliasEvent:
                    report("yaml-alias", f"alias '*{event.anchor}' is not allowed", where,
                           "write the value out in full")
                else:
                    report("yaml-anchor", f"anchor '&{event.anchor}' is not allowed", where,
                           "remove the anchor; write repeated values out in full")
            tag = getattr(event, "tag", None)
            if kind is yaml.ScalarEvent:
                if tag is None and event.implicit[0]:
                    value = _resolve_plain(event.value)
                else:
                    value = event.value
                    if tag is not None and tag != _STR_TAG:
                        report("yaml-tag", f"tag '{tag}' is not allowed", where, "remove the tag")
            elif kind is yaml.AliasEvent:
                value = None
            else:
                if tag is not None:
                    report("yaml-tag", f"tag '{tag}' is not allowed", where, "remove the tag")
                value = {} if kind is yaml.MappingStartEvent else []

            if stack and stack[-1][2] is _AWAITING_KEY:
                # This node is a mapping key.
                top = stack[-1]
                if kind is yaml.ScalarEvent:
                    key = event.value
                    if key in top[3]:
                        first = top[3][key]
                        report("duplicate-key", f"{_show(top[1] + (key,))}: duplicate key '{key}' (first at line {first[0]})",
                               where, "keep one of them")
                        top[2] = _BAD_KEY
                    else:
                        top[3][key] = where
                        top[2] = key
                        doc.key_marks[top[1] + (key,)] = where
                else:
                    # `? [a, b]: c` and friends: nothing in a claim needs them; one error is enough.
                    report("yaml-complex-key", "a mapping key must be a plain name", where, "use a simple key")
                    break
                continue

            # This node is a value: attach it to its parent.
            if not stack:
                path: tuple = ()
                root.append(value)
            else:
                top = stack[-1]
                if type(top[0]) is list:
                    path = top[1] + (len(top[0]),)
                    top[0].append(value)
                else:
                    key = top[2]
                    top[2] = _AWAITING_KEY
                    if key is _BAD_KEY:
                        path = top[1] + ("?",)
                    else:
                        path = top[1] + (key,)
                        top[0][key] = value
            doc.marks[path] = where
            if kind is yaml.ScalarEvent and tag is None and event.implicit[0] and type(value) in (int, float, bool):
                doc.plain[path] = event.value
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                stack.append([value, path, _AWAITING_KEY if kind is yaml.MappingStartEvent else _NO_KEY, {}])
                if len(stack) > MAX_DEPTH:
                    report("yaml-too-deep", f"nests deeper than {MAX_DEPTH} levels", where,
                           "flatten the structure")
                    break
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = pos(mark) if mark is not None else (first_line, 1)
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        context_mark = getattr(exc, "context_mark", None)
        if context and context_mark is not None and context_mark is not mark:
            line, col = pos(context_mark)
            context += f" that starts at line {line}, column {col}"
        message = f"YAML syntax: {problem}" + (f" ({context})" if context else "")
        report("yaml-syntax", message, where, _syntax_hint(problem))
    finally:
        parser.dispose()
    if diagnostics:
        return diagnostics
    doc.data = root[0] if root else None
    return doc


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_AWAITING_KEY = _Marker("awaiting-key")
_NO_KEY = _Marker("no-key")
_BAD_KEY = _Marker("bad-key")


def _resolve_plain(text: str) -> Any:
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text[0] in "0123456789+-.":
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text):
            return float(text)
    return text


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "put text that contains ': ' in quotes"
    if "found character" in problem and "cannot start any token" in problem:
        return "put text that starts with that character in quotes"
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        return "close the bracket, or put text that starts with '[' or '{' in quotes"
    if "could not find expected ':'" in problem:
        return "check the indentation and that every field has 'name: value'"
    return ""


def _show(path: Path_) -> str:
    """Render a field path as a reader writes it: evidence[0].url."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


show_path = _show


def load_claim(path: Path, display: str) -> tuple[Document | None, list[Diagnostic]]:
    """Load a claim file: strict text checks, then front matter and body."""
    text, diagnostics = read_text(path, display)
    if text is None:
        return None, diagnostics
    front, body, body_line, split_diags = split_front_matter(text, display)
    diagnostics += split_diags
    if front is None:
        return None, diagnostics
    if not front.strip():
        return None, diagnostics + [Diagnostic(display, 2, 1, ERROR, "front-matter-empty",
                                               "front matter is empty", "copy templates/new-claim.md to start")]
    parsed = parse_yaml(front, display, first_line=2)
    if isinstance(parsed, list):
        return None, diagnostics + parsed
    parsed.body, parsed.body_line = body, body_line
    return parsed, diagnostics


def load_registry(path: Path, display: str) -> tuple[Document | None, list[Diagnostic]]:
    """Load a plain YAML registry file (parties, categories, ratings)."""
    text, diagnostics = read_text(path, display)
    if text is None:
        return None, diagnostics
    parsed = parse_yaml(text, display, first_line=1)
    if isinstance(parsed, list):
        return None, diagnostics + parsed
    return parsed, diagnostics
