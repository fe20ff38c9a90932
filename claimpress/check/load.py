"""The strict loader: bytes on disk -> plain data with line/column marks, or diagnostics.

Strictness without a pure-Python parser: libyaml (PyYAML's C extension) tokenises and
parses, and this module builds the data from its *events*, so that duplicate keys,
anchors, aliases and explicit tags are seen and reported with their position.  Plain
scalars are resolved with the YAML 1.2 core rules (only true/false/null, decimal
numbers), so the YAML 1.1 surprises never happen: `NO` stays the text "NO", `1:30`
stays "1:30", and a date stays the text that was written.  Numbers written where
the schema wants text (`title: 1984`, `status: false`) are read as the text written (see `Document.plain`)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cbor2
import yaml
from yaml.cyaml import CParser

from ..diagnostics import ERROR, Diagnostic
from .text import FORBIDDEN, Position, describe_char, invisible_characters, read_text

MAX_DEPTH = 32  # claims nest 3 deep; a bound keeps hostile input from exhausting anything


Path_ = tuple  # a field path: ("evidence", 0, "url")




@dataclass
class Document:
    """One loaded file: its data, where each value and key stands, and its Markdown body."""

    path: str                       # display path, e.g. "claims/x.md"
    data: Any = None
    marks: dict = field(default_factory=dict)      # field path -> position of the value
    key_marks: dict = field(default_factory=dict)  # field path -> position of its key
    plain: dict = field(default_factory=dict)      # field path -> written text of a plain number or boolean
    untrimmed: list = field(default_factory=list)  # (field path, ends with a line break) of text with outer spaces
    body: str = ""
    body_line: int = 0              # file line on which the body starts
    front: str = ""                 # a claim's front matter as written (its comments: check/scaffold.py)
    packed: bytes | None = None     # [data, body] still encoded (CBOR), as the cache keeps it: see unpack
    source: str = ""                # a checked claim's document key (cache.document_key): names its data
    translations: dict = field(default_factory=dict)  # a checked claim's published ones: tag -> [data, body]

    def unpack(self) -> Document:
        """Fill data and body from `packed`. The build keeps checked claims packed until it models
        each: at 50,000 claims, encoded they take a third of the memory of the loaded data."""
        if self.packed is not None:
            unpacked = cbor2.loads(self.packed)
            self.data, self.body = unpacked[0], unpacked[1]
            self.translations = unpacked[2] if len(unpacked) > 2 else {}
            self.packed = None
        return self

    def release_marks(self) -> None:
        """Drop the position tables (most of a document's memory) once diagnostics are made."""
        self.marks, self.key_marks, self.plain, self.untrimmed = {}, {}, {}, []

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


_CLOSING = re.compile(r"^---[ \t]*$", re.MULTILINE)


_INT = re.compile(r"[-+]?[0-9]+\Z")


_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")


_SPECIAL = {"": None, "~": None, "null": None, "Null": None, "NULL": None,
            "true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


_NUMBER_START = frozenset("0123456789+-.")


_STR_TAG = "tag:yaml.org,2002:str"


_Scalar, _Alias = yaml.ScalarEvent, yaml.AliasEvent


_MapStart, _MapEnd = yaml.MappingStartEvent, yaml.MappingEndEvent


_SeqStart, _SeqEnd = yaml.SequenceStartEvent, yaml.SequenceEndEvent


def split_front_matter(text: str, display: str) -> tuple[str | None, str, int, list[Diagnostic]]:
    """Split '---' front matter from the Markdown body: (yaml text, body, body start line, diagnostics)."""
    first, _, rest = text.partition("\n")
    if first.rstrip(" \t") != "---":
        return None, "", 0, [Diagnostic(display, 1, 1, ERROR, "front-matter-missing",
                                        "is empty" if not text.strip() else "does not start with a '---' line",
                                        "a claim starts with YAML front matter between two '---' lines; "
                                        "python build_claims.py new writes one")]
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


MAX_SHOWN = 100  # diagnostics of one file: 1 MiB of aliases made 83,000 lines saying the same thing


def _at_most(diagnostics: list[Diagnostic], display: str) -> list[Diagnostic]:
    if len(diagnostics) <= MAX_SHOWN:
        return diagnostics
    first = diagnostics[0]
    return diagnostics[:MAX_SHOWN] + [Diagnostic(display, first.line, first.column, ERROR, first.code,
                                                 f"and {len(diagnostics) - MAX_SHOWN:,} more problems like those "
                                                 "above, not shown", "fix those, then check again")]


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
            return _at_most(diagnostics, display)

    # Each open container: [value, field path, pending key (or _AWAITING_KEY / _NO_KEY), first position of each key]
    stack: list[list] = []
    root: list = []
    documents = 0
    marks, key_marks, plain, untrimmed = doc.marks, doc.key_marks, doc.plain, doc.untrimmed
    parser = CParser(text)
    get_event = parser.get_event
    try:
        while True:
            event = get_event()
            kind = event.__class__
            if kind is _Scalar:  # the common case first: this loop is the hot path of `check`
                mark = event.start_mark
                where = (mark.line + first_line, mark.column + 1)
                written: Any = event.value
                if event.style == '"' and (FORBIDDEN.search(written) or "\t" in written):
                    # A tab too: the file may hold none (yaml-tab), so "\t" must not write one.
                    found = FORBIDDEN.search(written)
                    ch = found.group() if found else "\t"
                    report("forbidden-character", f"an escape sequence writes the invisible or control character "
                           f"{describe_char(ch)}", where, "remove the escape sequence")
                if event.anchor is not None:
                    report("yaml-anchor", f"anchor '&{event.anchor}' is not allowed", where,
                           "remove the anchor; write repeated values out in full")
                tag = event.tag
                is_plain = tag is None and event.implicit[0]
                value: Any
                if is_plain:
                    if written in _SPECIAL:
                        value = _SPECIAL[written]
                    elif written[0] in _NUMBER_START:
                        value = _number(written)
                    else:
                        value = written
                else:
                    value = written
                    if tag is not None and tag != _STR_TAG:
                        report("yaml-tag", f"tag '{tag}' is not allowed", where, "remove the tag")
                if not stack:
                    root.append(value)
                    marks[()] = where
                    continue
                top = stack[-1]
                pending = top[2]
                if pending is _AWAITING_KEY:
                    seen = top[3]
                    if written in seen:
                        report("duplicate-key", f"{_show(top[1] + (written,))}: duplicate key '{written}' "
                               f"(first at line {seen[written][0]})", where, "keep one of them")
                        top[2] = _BAD_KEY
                    else:
                        seen[written] = where
                        top[2] = written
                        key_marks[top[1] + (written,)] = where
                    continue
                container = top[0]
                if pending is _NO_KEY:
                    path = top[1] + (len(container),)
                    container.append(value)
                else:
                    top[2] = _AWAITING_KEY
                    if pending is _BAD_KEY:
                        path = top[1] + ("?",)
                    else:
                        path = top[1] + (pending,)
                        container[pending] = value
                marks[path] = where
                if value is not written:
                    if is_plain and value is not None:
                        plain[path] = written  # a number or boolean: keep the text, see restore_written_text
                elif value.strip() is not value:  # str.strip returns the same object when there is nothing to strip
                    untrimmed.append((path, written.endswith("\n")))
                continue

            if kind is _MapEnd or kind is _SeqEnd:
                stack.pop()
                continue
            if kind is _MapStart or kind is _SeqStart or kind is _Alias:
                mark = event.start_mark
                where = (mark.line + first_line, mark.column + 1)
                if event.anchor is not None:
                    if kind is _Alias:
                        report("yaml-alias", f"alias '*{event.anchor}' is not allowed", where,
                               "write the value out in full")
                    else:
                        report("yaml-anchor", f"anchor '&{event.anchor}' is not allowed", where,
                               "remove the anchor; write repeated values out in full")
                if kind is not _Alias and event.tag is not None:
                    report("yaml-tag", f"tag '{event.tag}' is not allowed", where, "remove the tag")
                value = None if kind is _Alias else {} if kind is _MapStart else []
                if not stack:
                    path = ()
                    root.append(value)
                else:
                    top = stack[-1]
                    pending = top[2]
                    if pending is _AWAITING_KEY:
                        # `? [a, b]: c` and friends: nothing in a claim needs them; one error is enough.
                        report("yaml-complex-key", "a mapping key must be a plain name", where, "use a simple key")
                        break
                    if pending is _NO_KEY:
                        path = top[1] + (len(top[0]),)
                        top[0].append(value)
                    else:
                        top[2] = _AWAITING_KEY
                        path = top[1] + (("?",) if pending is _BAD_KEY else (pending,))
                        if pending is not _BAD_KEY:
                            top[0][pending] = value
                marks[path] = where
                if kind is not _Alias:
                    stack.append([value, path, _AWAITING_KEY if kind is _MapStart else _NO_KEY, {}])
                    if len(stack) > MAX_DEPTH:
                        report("yaml-too-deep", f"nests deeper than {MAX_DEPTH} levels", where,
                               "flatten the structure")
                        break
                continue
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    report("yaml-multiple-documents", "holds more than one YAML document",
                           (mark.line + first_line, mark.column + 1), "remove the extra '---' or '...' line")
                    break
                continue
            if event is None or kind is yaml.StreamEndEvent:
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
        return _at_most(diagnostics, display)
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


def _number(text: str) -> Any:
    try:
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text):
            return float(text)
    except ValueError:  # an integer of more than 4,300 digits: no count or coordinate is one
        pass
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


NEW_CLAIM = "copy templates/new-claim.md to start"


def load_claim(path: Path, display: str, start: str = NEW_CLAIM) -> tuple[Document | None, list[Diagnostic]]:
    """Load a claim file (or a translation of one): strict text checks, then front matter and body,
    which must be a mapping. `start`: how to begin a file that is not one (its likely fix)."""
    doc, diagnostics = _load_front_matter(path, display, start)
    if doc is not None and not isinstance(doc.data, dict):
        line, col = doc.position(())
        return None, diagnostics + [Diagnostic(display, line, col, ERROR, "not-a-mapping",
                                               "front matter must be a list of 'field: value' lines", start)]
    return doc, diagnostics


def _load_front_matter(path: Path, display: str, start: str) -> tuple[Document | None, list[Diagnostic]]:
    text, diagnostics = read_text(path, display)
    if text is None:
        return None, diagnostics
    front, body, body_line, split_diags = split_front_matter(text, display)
    diagnostics += split_diags
    if front is None:
        return None, diagnostics
    hidden = invisible_characters(text, display, prose_from=len(text) - len(body))
    if hidden:
        return None, diagnostics + hidden
    if not front.strip():
        return None, diagnostics + [Diagnostic(display, 2, 1, ERROR, "front-matter-empty",
                                               "front matter is empty", start)]
    parsed = parse_yaml(front, display, first_line=2)
    if isinstance(parsed, list):
        return None, diagnostics + parsed
    parsed.body, parsed.body_line, parsed.front = body, body_line, front
    return parsed, diagnostics


def load_registry(path: Path, display: str) -> tuple[Document | None, list[Diagnostic]]:
    """Load a plain YAML registry file (parties, categories, ratings)."""
    text, diagnostics = read_text(path, display)
    if text is None:
        return None, diagnostics
    hidden = invisible_characters(text, display)
    if hidden:
        return None, diagnostics + hidden
    parsed = parse_yaml(text, display, first_line=1)
    if isinstance(parsed, list):
        return None, diagnostics + parsed
    return parsed, diagnostics
