"""`fmt`: rewrite front matter into the canonical key order and style, keeping comments and the body.

ruamel.yaml reads and writes YAML round-trip (comments, quoting, flow or block style stay as
written); only the key order (the JSON Schema's property order) and the indentation change.
So diffs stay small and every claim reads alike.

`fmt` runs on contributors' files (a pre-commit hook), so it trusts them no more than `check`
does: the strict loader (claimpress/load.py) reads each file first, and a file it refuses (aliases,
tags, duplicate keys, deep nesting, bad encoding, links...) gets its diagnostics and is left as it
is; ruamel.yaml, a pure-Python parser that expands aliases and recurses on nesting, never sees it.
ruamel.yaml then works only within a budget of values and characters, and its result is read back by the
strict loader: a file is written only if every value and every comment is still there.
"""
from __future__ import annotations

import io
import stat
from collections import Counter
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from yaml.cyaml import CParser

from ..check.load import Document, parse_yaml, show_path, split_front_matter
from ..check.project import REGISTRY_FILES
from ..check.schema import schema, subschema
from ..check.text import read_text
from ..diagnostics import ERROR, WARNING, Diagnostic
from ..files import replace_file

# ruamel.yaml, in pure Python, takes some 3 to 9 microseconds a character and 100 to 300 a value
# (a claim's front matter: a few thousand characters, a hundred values; a parties registry, about
# 90 characters and 6 values a party): these bounds keep one file to a second or two.
MAX_VALUES = 5_000
MAX_CHARACTERS = 100_000
MAX_SHOWN = 20  # errors shown for one file


def _yaml() -> YAML:
    yaml = YAML()  # round-trip, YAML 1.2: NO stays the text NO
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap a line: the author's line breaks are part of the diff
    yaml.representer.add_representer(
        type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def _order(node: object, kind: str, path: tuple) -> None:
    """Put each mapping's keys in the schema's order (unknown keys last, as written), recursively."""
    if isinstance(node, CommentedMap):
        known = list(subschema(kind, path).get("properties", {}))
        if kind in ("parties", "categories") and len(path) == 1:
            known = list(schema(kind)["additionalProperties"]["properties"])
        wanted = sorted(node, key=lambda k: (known.index(k) if k in known else len(known), 0))
        if kind in ("parties", "categories") and not path:
            wanted = list(node)  # registry entries keep the editors' order
        for key in wanted:
            node.move_to_end(key)
        for key in list(node):
            _order(node[key], kind, path + (key,) if not (kind in ("parties", "categories") and not path) else ("*",))
    elif isinstance(node, CommentedSeq):
        for i, item in enumerate(node):
            _order(item, kind, path + (i,))


class Unformattable(ValueError):
    """ruamel.yaml cannot read or write YAML that the strict loader accepted; `where`: (line, column)
    in that text, from 1, when known."""

    def __init__(self, message: str, where: tuple[int, int] | None = None) -> None:
        super().__init__(message)
        self.where = where


def canonical(front: str, kind: str) -> str:
    """The canonical form of YAML text (a claim's front matter, kind "claim", or a registry) that
    the strict loader accepted. Raises Unformattable."""
    yaml = _yaml()
    try:
        data = yaml.load(front)
        if not isinstance(data, CommentedMap):
            raise Unformattable("not a mapping of fields")
        _order(data, kind, ())
        out = io.StringIO()
        yaml.dump(data, out)
    except (YAMLError, ValueError) as exc:  # ValueError: an integer too long for int()
        if isinstance(exc, Unformattable):
            raise
        # e.g. `true:` and `True:`, two keys to check (it keeps keys as written), one to ruamel.yaml
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise Unformattable(f"ruamel.yaml cannot read it: {problem}",
                            (mark.line + 1, mark.column + 1) if mark is not None else None) from None
    return out.getvalue()


FRONT_MATTER = ("claim", "translation")  # the kinds of file that are front matter and Markdown


def kind_of(path: Path) -> str | None:
    if path.suffix == ".md":
        return "translation" if "." in path.stem else "claim"  # claims/<id>.<tag>.md: ids hold no dot
    return REGISTRY_FILES.get(path.name)


def format_file(path: Path, display: str, check_only: bool) -> tuple[bool, list[Diagnostic]]:
    """Format one claim or registry: (whether it changed or would change, the errors that stopped it).
    A file with errors is left as it is."""
    new, errors = rewrite(path, display)
    if new is None:
        if len(errors) > MAX_SHOWN:  # a file of aliases can hold 200,000 errors: check lists them
            errors = errors[:MAX_SHOWN] + [Diagnostic(display, 0, 0, ERROR, "more-errors",
                                                      f"and {len(errors) - MAX_SHOWN:,} more errors",
                                                      "build_claims.py check lists them all")]
        return False, errors
    try:
        if new.encode("utf-8") == path.read_bytes():  # read_text dropped a BOM and CRs: those are changes too
            return False, []
        if not check_only:
            _replace(path, new)
    except OSError as exc:
        return False, [Diagnostic(display, 0, 0, ERROR, "fmt-unwritable", f"cannot be written: {exc.strerror or exc}",
                                  "check the file's permissions and the free space")]
    return True, []


def rewrite(path: Path, display: str) -> tuple[str | None, list[Diagnostic]]:
    """The canonical text of a claim or registry, or None and the errors that keep fmt from writing it."""
    kind = kind_of(path)
    text, found = read_text(path, display)  # links, size, encoding, hidden characters: as check reads it
    if text is None:
        return None, [d for d in found if d.is_error]
    head = rest = ""
    front, first_line = text, 1
    if kind in FRONT_MATTER:
        front, body, _, problems = split_front_matter(text, display)
        if front is None:
            return None, problems
        head, rest, first_line = "---\n", "---\n" + body, 2

    def error(code: str, message: str, hint: str) -> tuple[None, list[Diagnostic]]:
        return None, [Diagnostic(display, first_line, 1, ERROR, code, message, hint)]

    doc = parse_yaml(front, display, first_line)
    if isinstance(doc, list):
        return None, doc
    if not isinstance(doc.data, dict):  # as check says it
        if kind in FRONT_MATTER and not front.strip():
            return error("front-matter-empty", "front matter is empty", "copy templates/new-claim.md to start")
        what = "front matter" if kind in FRONT_MATTER else "the registry"
        return error("not-a-mapping", f"{what} must be a list of 'field: value' lines", "write 'name: value' lines")
    if len(doc.marks) > MAX_VALUES or len(front) > MAX_CHARACTERS:
        # A warning: a registry grows past this in a real newsroom (800 parties), and the pre-commit
        # hook (fmt --check) must not fail for it; check still checks the file whole.
        return None, [Diagnostic(display, first_line, 1, WARNING, "fmt-too-large",
                                 f"holds {len(doc.marks):,} values in {len(front):,} characters of YAML; fmt "
                                 f"formats at most {MAX_VALUES:,} values and {MAX_CHARACTERS:,} characters, so it "
                                 "left it as it is", "format this file by hand")]
    try:
        new_front = canonical(front, kind)
    except Unformattable as exc:
        line, column = exc.where or (1, 1)
        return None, [Diagnostic(display, line + first_line - 1, column, ERROR, "fmt-unreadable", str(exc),
                                 "leave this file as it is")]
    lost = _lost(doc, front, new_front, first_line)
    if lost:
        return None, [lost]
    new = head + new_front + rest
    if kind in FRONT_MATTER and split_front_matter(new, display)[0] != new_front:  # a '---' line written into it
        return error("fmt-would-break", "the rewritten front matter would end early, at a '---' line",
                     "leave this file as it is, and please report it")
    return new, []


def format_files(paths: list[tuple[Path, str]], check_only: bool) -> tuple[list[Path], list[Diagnostic]]:
    """(files that changed or would change, errors) for (path, display path) pairs; files of neither
    kind are skipped. Writes only files whose text changes."""
    changed, problems = [], []
    for path, display in paths:
        if kind_of(path) is None:
            continue
        done, errors = format_file(path, display, check_only)
        problems += errors
        if done:
            changed.append(path)
    return changed, problems


def _lost(before: Document, front: str, new_front: str, first_line: int) -> Diagnostic | None:
    """What the rewrite would lose or change, read back as check reads it: a value, the written text
    of a number, a comment (ruamel.yaml drops those inside a [...] list). None if nothing."""
    hint = "leave this file as it is, and please report it"
    after = parse_yaml(new_front, before.path, first_line)
    if isinstance(after, list):
        return Diagnostic(before.path, first_line, 1, ERROR, "fmt-would-break",
                          f"the rewritten front matter would not load ({after[0].message})", hint)
    path = _difference(before.data, after.data, ())
    if path is None:
        path = next((p for p, written in before.plain.items() if after.plain.get(p) != written), None)
    if path is None:
        path = next((p for p in after.plain if p not in before.plain), None)
    if path is not None:
        written = before.plain.get(path)
        return Diagnostic(before.path, *before.position(path), ERROR, "fmt-would-change",
                          f"{show_path(path)}: fmt would change this value" +
                          (f" (written {written})" if written else ""),
                          "put the value in quotes, or leave this file as it is")
    if "#" not in front:
        return None
    kept = Counter(text for _, _, text in _comments(new_front))
    for line, column, text in _comments(front):
        if kept[text] == 0:
            return Diagnostic(before.path, line + first_line, column + 1, ERROR, "fmt-would-drop-comment",
                              f"fmt would drop the comment '{text[:60]}'",
                              "move the comment onto a line of its own beside a field, outside any [...] or {...}")
        kept[text] -= 1
    return None


def _difference(a: Any, b: Any, path: tuple) -> tuple | None:
    """The first field path at which two loaded values differ; None if equal. (Nested 32 deep at most.)"""
    if type(a) is not type(b):
        return path
    if isinstance(a, dict):
        for key in a:
            if key not in b:
                return path + (key,)
            found = _difference(a[key], b[key], path + (key,))
            if found is not None:
                return found
        return next((path + (key,) for key in b if key not in a), None)
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            found = _difference(x, y, path + (i,))
            if found is not None:
                return found
        return None if len(a) == len(b) else path + (min(len(a), len(b)),)
    return None if a == b else path


def _comments(text: str) -> list[tuple[int, int, str]]:
    """Every comment in YAML text, as (line, column) from 0 and its text: what lies between
    libyaml's tokens, and after a block scalar's '|' or '>'."""
    found = []
    cursor = [0, 0]  # an offset and its line: the comments come in order, so lines are counted once

    def take(start: int, end: int) -> None:
        at = text.find("#", start, end)
        while at != -1:
            stop = text.find("\n", at, end)
            stop = end if stop == -1 else stop
            cursor[1] += text.count("\n", cursor[0], at)
            cursor[0] = at
            found.append((cursor[1], at - (text.rfind("\n", 0, at) + 1), text[at:stop].rstrip()))
            at = text.find("#", stop, end)

    parser = CParser(text)
    previous = 0
    try:
        while True:
            token = parser.get_token()
            if token is None or isinstance(token, pyyaml.StreamEndToken):
                take(previous, len(text))
                break
            start, end = token.start_mark.index, token.end_mark.index
            take(previous, start)
            if isinstance(token, pyyaml.ScalarToken) and token.style in ("|", ">"):
                header = text.find("\n", start, end)
                take(start, end if header == -1 else header)
            previous = max(previous, end)
    finally:
        parser.dispose()
    return found


def _replace(path: Path, text: str) -> None:
    """Write `text` to `path` by a rename, keeping its permissions, so that an interrupted fmt never
    leaves half a claim, and a link put in the file's place is replaced, not followed."""
    replace_file(path, text.encode("utf-8"), stat.S_IMODE(path.stat().st_mode))
