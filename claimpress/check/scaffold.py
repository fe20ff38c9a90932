"""The scaffold, templates/new-claim.md: what `new` writes around a draft's values, and the text
that a published claim must no longer hold (its placeholders, its comments, its analysis).

Read from the project's own file, which a fork may edit, so that `new` and `check` never hold two
copies of the same words. A scaffold that is missing, empty or does not load gives no markers: no
claim is refused for it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import ERROR, Diagnostic
from .load import Document, parse_yaml, show_path, split_front_matter
from .rules import Registries
from .schema import subschema
from .text import MAX_FILE_BYTES

SCAFFOLD = "templates/new-claim.md"
ANY = "*"  # a list index in a marker's path: the scaffold's first entry stands for every entry

# Fields whose value is an id in a registry: a scaffold value that is a real id there (status:
# unverified) is a default to keep, not a placeholder.
_REGISTRY = {"status": "ratings", "claimant": "parties", "accused": "parties", "categories": "categories",
             "party": "parties"}
_WORDS_FOR_PART = 4  # a marker of fewer words counts only as a whole paragraph (see Scaffold.find)


def _words(text: str) -> str:
    return " ".join(text.split())


def _has_letters(text: str) -> bool:
    return sum(ch.isalpha() for ch in text) >= 3


@dataclass(frozen=True)
class Scaffold:
    # The placeholders by path, as a tree: field name (ANY for a list's entries) -> subtree, or at the
    # end of a path the set of its placeholders.
    values: dict = field(default_factory=dict)
    comments: frozenset[str] = frozenset()    # whole-line comments of its front matter, stripped
    paragraphs: tuple[str, ...] = ()          # paragraphs of its analysis (not headings), words normalised
    closing: str = ""                         # the comment lines just before its closing '---', as written
    body: str = ""                            # its analysis, as written

    @property
    def empty(self) -> bool:
        return not (self.values or self.comments or self.paragraphs)

    def find(self, doc: Document) -> list[Diagnostic]:
        """An error for each piece of scaffold text that the claim `doc` (not a draft) still holds."""
        out: list[Diagnostic] = []
        hint = "write it, or set draft: true while the claim is unfinished"
        for path, value in _values(doc.data, self.values):
            line, col = doc.position(path)
            out.append(Diagnostic(doc.path, line, col, ERROR, "scaffold-text",
                                  f"{show_path(path)}: still holds {_shown(value)}, a placeholder of {SCAFFOLD}", hint))
        previous = -1
        # Most claims hold none: a substring search each (in C) spares them a loop over their lines.
        front = doc.front
        lines = front.split("\n") if "#" in front and any(c in front for c in self.comments) else ()
        for number, text in enumerate(lines, start=2):
            stripped = text.strip()
            if stripped.startswith("#") and stripped in self.comments:
                if number != previous + 1:  # one error for a block of comment lines
                    out.append(Diagnostic(doc.path, number, len(text) - len(text.lstrip()) + 1, ERROR,
                                          "scaffold-text", f"still holds the comment {_shown(stripped)} of {SCAFFOLD}",
                                          "remove it once the claim is written, or set draft: true"))
                previous = number
        out += self._in_body(doc)
        return out

    def _in_body(self, doc: Document) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        body = doc.body
        for marker in self.paragraphs:
            words = marker.split()
            if max(words, key=len) not in body:  # the common case: a substring search of its longest word
                continue
            # Whole paragraphs for a short marker: a fork's one-word line must not flag every claim using the word.
            whole = len(words) < _WORDS_FOR_PART
            spaced = r"\s+".join(map(re.escape, words))
            found = re.search(rf"(?:\A\s*|\n[ \t]*\n\s*)({spaced})[ \t]*(?=\n[ \t]*\n|\s*\Z)" if whole
                              else f"({spaced})", body)
            if found is None:
                continue
            start = found.start(1)
            line = (doc.body_line or 1) + body.count("\n", 0, start)
            column = start - body.rfind("\n", 0, start)
            out.append(Diagnostic(doc.path, line, column, ERROR, "scaffold-text",
                                  f"the analysis still holds {_shown(marker)}, a placeholder of {SCAFFOLD}",
                                  "write the analysis, or set draft: true while the claim is unfinished"))
        return out


def _shown(text: str) -> str:
    return f"'{text}'" if len(text) <= 60 else f"'{text[:57]}...'"


def _values(data: Any, tree: dict, path: tuple = ()) -> list[tuple[tuple, str]]:
    """(path, value) of each value of `data` that is a placeholder at its path: the data walked along
    the tree of the placeholders' paths, which runs for every claim (a walk a path: 75 us a claim, this: 8)."""
    found: list[tuple[tuple, str]] = []
    if isinstance(data, dict):
        steps = [(key, data[key], sub) for key, sub in tree.items() if key in data]
    elif isinstance(data, list) and ANY in tree:
        steps = [(i, item, tree[ANY]) for i, item in enumerate(data)]
    else:
        return found
    for key, value, sub in steps:
        if isinstance(sub, frozenset):
            if isinstance(value, str) and value in sub:
                found.append((path + (key,), value))
        else:
            found += _values(value, sub, path + (key,))
    return found


def _leaves(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, path + (key,))
    elif isinstance(node, list):
        for value in node:
            yield from _leaves(value, path + (ANY,))
    else:
        yield path, node


def _placeholder(path: tuple, value: Any, registries: Registries) -> bool:
    """Whether a scaffold value is a placeholder to replace, not a default to keep: text that is
    neither one of the field's allowed choices (kind: media-report) nor an id in its registry."""
    if not isinstance(value, str) or not value.strip():
        return False
    node = subschema("claim", tuple(0 if part == ANY else part for part in path))
    if value in node.get("enum", ()):
        return False
    names = [part for part in path if part != ANY]
    registry = getattr(registries, _REGISTRY.get(names[-1], ""), None) if names else None
    return not (isinstance(registry, dict) and value in registry)


def read_scaffold(root: Path, registries: Registries | None = None) -> Scaffold:
    """The scaffold of the project at `root`; an empty one if there is none, or it does not load."""
    file = root / SCAFFOLD
    try:
        if not file.is_file() or file.stat().st_size > MAX_FILE_BYTES:  # a pipe would never end; as a claim may not
            return Scaffold()
        text = file.read_text(encoding="utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return Scaffold()
    front, body, _, problems = split_front_matter(text, SCAFFOLD)
    if front is None or problems:
        return Scaffold()
    lines = front.split("\n")
    comments = frozenset(s for s in (line.strip() for line in lines) if s.startswith("#") and _has_letters(s))
    closing: list[str] = []
    for line in reversed([line for line in lines if line.strip()]):
        if not line.strip().startswith("#"):
            break
        closing.insert(0, line.strip())
    values: dict[tuple, set[str]] = {}
    parsed = parse_yaml(front, SCAFFOLD, first_line=2) if front.strip() else None
    if isinstance(parsed, Document) and isinstance(parsed.data, dict):
        for path, value in _leaves(parsed.data):
            if _placeholder(path, value, registries or Registries()):
                values.setdefault(path, set()).add(value)
    tree: dict = {}
    for path, found in values.items():
        node = tree
        for part in path[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):  # a list of text and mappings at once: leave it out
                break
        else:
            if not isinstance(node.get(path[-1]), dict):
                node[path[-1]] = frozenset(found)
    paragraphs = tuple(dict.fromkeys(
        _words(p) for p in re.split(r"\n[ \t]*\n", body)
        if p.strip() and not p.lstrip().startswith("#") and _has_letters(p)))
    return Scaffold(tree, comments, paragraphs,
                    "".join(f"{line}\n" for line in closing), body.lstrip("\n"))
