"""`fmt`: rewrite front matter into the canonical key order and style, keeping comments and the body.

ruamel.yaml reads and writes YAML round-trip (comments, quoting, flow or block style stay as
written); only the key order (the JSON Schema's property order) and the indentation change.
So diffs stay small and every claim reads alike.
"""
from __future__ import annotations

import io
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from .check import REGISTRY_FILES
from .load import split_front_matter
from .schema import schema, subschema


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


def canonical(text: str, kind: str) -> str:
    """The canonical form of a claim file's text (kind "claim") or a registry's. Raises ValueError."""
    yaml = _yaml()
    text = text.removeprefix("\ufeff")  # a byte-order mark: check warns about it, and the canonical form has none
    if kind == "claim":
        front, body, _, problems = split_front_matter(text.replace("\r\n", "\n"), "")
        if front is None:
            raise ValueError(problems[0].message if problems else "no front matter")
        head = "---\n"
        rest = "---\n" + body
    else:
        front, head, rest = text, "", ""
    try:
        data = yaml.load(front)
    except YAMLError as exc:
        raise ValueError(f"YAML syntax: {exc}") from None
    if not isinstance(data, CommentedMap):
        raise ValueError("not a mapping of fields")
    _order(data, kind, ())
    out = io.StringIO()
    yaml.dump(data, out)
    return head + out.getvalue() + rest


def kind_of(path: Path) -> str | None:
    if path.suffix == ".md":
        return "claim"
    return REGISTRY_FILES.get(path.name)


def format_files(paths: list[Path], check_only: bool) -> tuple[list[Path], list[str]]:
    """(files that changed or would change, problems). Writes only files whose text changes."""
    changed, problems = [], []
    for path in paths:
        kind = kind_of(path)
        if kind is None:
            continue
        try:
            text = path.read_text(encoding="utf-8")
            new = canonical(text, kind)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            problems.append(f"{path}: {exc}")
            continue
        if new != text:
            changed.append(path)
            if not check_only:
                path.write_text(new, encoding="utf-8")
    return changed, problems
