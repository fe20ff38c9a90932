"""Front matter for the drafts that `new` and `import-claimreview` write, already in the form `fmt`
gives it (fmt.py: sequences indented under their key, lines never re-wrapped), so that a fresh
draft passes `fmt --check` and a contributor's first commit is not a reformatting.

libyaml writes it (the importer writes thousands of drafts; ruamel.yaml, which fmt uses, takes
about 11 ms a draft, five times the rest of the import); only a draft with a line long enough for
fmt to fold is handed to fmt's own writer, so that it folds it exactly as fmt would.
"""
from __future__ import annotations

import re
from typing import Any

import yaml

from .fmt import MAX_CHARACTERS, canonical

FOLD_AT = 4000  # fmt writes 4,096 characters a line at most (fmt._yaml): a line near that may be folded
_UNBOUNDED = 1 << 30  # libyaml's width: never fold; long lines go to fmt instead


class Flow(list):  # type: ignore[type-arg]
    """A list of plain values written on one line, [a, b], as the claim template writes them."""


class _Dumper(yaml.CSafeDumper):
    pass


_Dumper.add_representer(Flow, lambda dumper, value: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", value, flow_style=True))


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=_UNBOUNDED,
                     default_flow_style=False)


_BREAK = re.compile("[\n\r\x85\u2028\u2029]")


def _multiline(data: dict[str, Any]) -> bool:
    """Whether a string in `data` holds a line break (the drafts' text never does: clean.py)."""
    stack: list[Any] = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if _BREAK.search(value):
                return True
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def front_matter(data: dict[str, Any]) -> str:
    """`data` (keys in the schema's order, as fmt puts them) as YAML text that fmt leaves as it is.
    A list is either a Flow of plain values or, at the top, a list of mappings whose lists are Flows
    (evidence, updates), each item written as `  - key: value`; fmt --check on new and imported
    drafts (the tests) holds this to fmt's form."""
    text = _dump(data)
    if _multiline(data):  # a value over several lines: only fmt's writer knows where it puts them
        return canonical(text, "claim")
    # One value a line: libyaml writes a top-level list's items at the margin ("- title: x", then
    # "  publisher: y"), fmt two spaces in. (One dump, not one a key: the importer's time halves.)
    lines, inside = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("- "):
            inside = True
        elif not line.startswith(" "):
            inside = False
        lines.append("  " + line if inside else line)
    text = "".join(lines)
    if len(text) <= MAX_CHARACTERS and any(len(line) > FOLD_AT for line in lines):
        text = canonical(text, "claim")  # (over MAX_CHARACTERS, fmt leaves a file as it is)
    return text
