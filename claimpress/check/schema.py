"""The data contract: the JSON Schema files in claimpress/schema/, and their errors as diagnostics.

Two validators read the same files: fastjsonschema (compiled to Python, ~20x faster) answers
"is this valid?" for every file, and only a file that fails is run through jsonschema,
which lists every error with its path so each becomes a precise diagnostic.
"""
from __future__ import annotations

import json
import marshal
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema

from ..diagnostics import ERROR, Diagnostic

if TYPE_CHECKING:
    import jsonschema
from .load import Document, show_path
from .suggest import country_hint, did_you_mean, suggest_id

SCHEMA_DIR = Path(__file__).parent.parent / "schema"  # claimpress/schema/: the contract, also for editors
_INTEGER = re.compile(r"[-+]?[0-9]+\Z")
KINDS = ("claim", "translation", "parties", "categories", "ratings")


@cache
def schema(kind: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


def _by_uri() -> dict[str, dict]:
    # The files refer to each other by file name ("claim.schema.json#/definitions/..."), as editors do.
    return {f"{kind}.schema.json": schema(kind) for kind in KINDS}


@cache
def _fast(kind: str) -> Callable[[Any], Any]:
    # With every $ref inlined, the generated code makes no call (and formats no name) per list item.
    namespace: dict[str, Any] = {}
    exec(_validator_code(kind), namespace)  # noqa: S102 - code fastjsonschema generated from our own schema
    return namespace["validate"]


def _validator_code(kind: str) -> Any:
    """fastjsonschema's code for a schema, compiled to bytecode. Generating and compiling it costs
    ~0.08 s a schema, much of a cached check, so it is kept in the user's cache folder, under the
    digest of claimpress's code and schema files and the versions of fastjsonschema and Python,
    sealed with the machine's key (claimpress/trust.py): bytecode that this machine did not write
    (XDG_CACHE_HOME may be a folder of the project, where a pull request can put a file) is never run."""
    from ..cache import code_version, trust
    from ..files import replace_file

    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "claimpress"
    name = f"validator-{kind}-{code_version()}-{fastjsonschema.VERSION}-{sys.implementation.cache_tag}.bin"
    path = folder / name
    try:
        kept = trust.unseal(name.encode(), path.read_bytes())
        if kept is not None:
            return marshal.loads(kept)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    inlined = {k: v for k, v in _inline(kind, schema(kind)).items() if k != "definitions"}
    code = compile(fastjsonschema.compile_to_code(inlined), f"<validator for {kind}>", "exec")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        replace_file(path, trust.seal(name.encode(), marshal.dumps(code)))
    except OSError:
        pass  # no writable cache folder: generate it each time
    return code


def _inline(kind: str, node: Any) -> Any:
    """A copy of `node` with each $ref replaced by its target (siblings of $ref are ignored, as in draft-07)."""
    if isinstance(node, list):
        return [_inline(kind, item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        file, _, pointer = node["$ref"].partition("#")
        target_kind = file.removesuffix(".schema.json") if file else kind
        target: Any = schema(target_kind)
        for key in pointer.strip("/").split("/"):
            if key:
                target = target[key]
        return _inline(target_kind, target)
    return {key: _inline(kind, value) for key, value in node.items()}


def _pattern(validator: Any, pattern: str, instance: Any, node: dict) -> Iterator[jsonschema.ValidationError]:
    # Python's "$" also matches before a final line break ("abc\n" would pass "^[a-z]+$"); fastjsonschema
    # compiles "$" as "\Z", and so must this, or the two validators would disagree.
    import jsonschema

    if isinstance(instance, str) and not re.search(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern,
                                                   instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _full(kind: str) -> jsonschema.Draft7Validator:
    # Imported here: only a file that fails needs jsonschema, and importing it costs ~0.1 s a run.
    import jsonschema
    from referencing import Registry, Resource

    validator = jsonschema.validators.extend(jsonschema.Draft7Validator, {"pattern": _pattern})
    registry = Registry().with_resources((uri, Resource.from_contents(s)) for uri, s in _by_uri().items())
    return validator(schema(kind), registry=registry)


def subschema(kind: str, path: Iterable[Any]) -> dict:
    """The schema that applies at a data path, following $ref, allOf, properties and items."""
    return _subschema(kind, tuple(path))


@lru_cache(maxsize=4096)
def _subschema(kind: str, path: tuple) -> dict:
    node = deref(kind, schema(kind))
    for part in path:
        if isinstance(part, int):
            items = node.get("items", {})
            if isinstance(items, list):  # a tuple schema, such as [latitude, longitude]
                items = items[part] if part < len(items) else {}
            node = deref(kind, items)
        else:
            props = node.get("properties", {})
            extra = node.get("additionalProperties", {})
            node = deref(kind, props.get(part, extra if isinstance(extra, dict) else {}))
    return node


def deref(kind: str, node: dict) -> dict:
    """Merge $ref and allOf parts into one dict (enough for this project's own schemas)."""
    merged: dict = {}
    for part in node.get("allOf", []):
        merged.update(deref(kind, part))
    ref = node.get("$ref")
    if ref:
        file, _, pointer = ref.partition("#")
        target = schema(file.removesuffix(".schema.json")) if file else schema(kind)
        for key in pointer.strip("/").split("/"):
            if key:
                target = target[key]
        merged.update(deref(file.removesuffix(".schema.json") if file else kind, target))
    merged.update({k: v for k, v in node.items() if k not in ("$ref", "allOf")})
    return merged


def _types(node: dict) -> set[str]:
    t = node.get("type")
    if t is None:
        return set()
    return {t} if isinstance(t, str) else set(t)


def restore_written_text(doc: Document, kind: str) -> list[Diagnostic]:
    """Where a field wants text and the author wrote a plain number or boolean (`title: 1984`,
    `status: false`), use the text as written: the YAML 1.1 surprise never reaches the data.
    Where it wants a whole number, `5.0` is an error (JSON Schema would take it for 5)."""
    out = []
    for path, written in doc.plain.items():
        wanted = _types(subschema(kind, path))
        if "integer" in wanted and "number" not in wanted and not _INTEGER.match(written):
            line, col = doc.position(path)
            out.append(Diagnostic(doc.path, line, col, ERROR, "wrong-type",
                                  f"{show_path(path)}: expected a whole number, got {written}",
                                  "write it without a decimal point or exponent"))
        if "string" in wanted and not wanted & {"number", "integer", "boolean"}:
            parent = doc.data
            try:
                for part in path[:-1]:
                    parent = parent[part]
                parent[path[-1]] = written
            except (KeyError, IndexError, TypeError):
                continue
    return out


def check(doc: Document, kind: str) -> list[Diagnostic]:
    """The schema step for a loaded document: the written text of plain scalars, then validation."""
    return restore_written_text(doc, kind) + validate(doc, kind)


MAX_SHOWN_ERRORS = 100  # as load.MAX_SHOWN


def validate(doc: Document, kind: str) -> list[Diagnostic]:
    """Schema diagnostics for one loaded document; invalid values are then removed from
    `doc.data`, so that the rules which follow see only valid fields (or none) and still run."""
    try:
        _fast(kind)(doc.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    out: list[Diagnostic] = []
    invalid: list[tuple] = []
    for error in _full(kind).iter_errors(doc.data):
        for diagnostic in _translate(error, doc, kind):  # made one at a time: each may cost a suggestion
            if len(out) == MAX_SHOWN_ERRORS:
                # jsonschema takes 60 us an entry of a long list, and a suggestion for each of 100,000
                # unknown fields took 10 s. Stop, and keep none of the data, so that no rule sees a
                # value the schema did not pass.
                line, col = doc.position(())
                doc.data.clear()
                return out + [Diagnostic(doc.path, line, col, ERROR, "schema",
                                         f"more than {MAX_SHOWN_ERRORS} schema errors; the rest are not shown",
                                         "fix those above, then check again")]
            out.append(diagnostic)
        invalid.extend(_invalid_paths(error))
    if not out:  # the two validators must never disagree in the lenient direction
        line, col = doc.position(())
        out.append(Diagnostic(doc.path, line, col, ERROR, "schema", "does not match the schema",
                              "please report this file: claimpress could not say what is wrong with it"))
    for path in set(invalid):
        _remove(doc.data, path)
    return out


def _invalid_paths(error: jsonschema.ValidationError) -> Iterable[tuple]:
    path = tuple(error.absolute_path)
    if error.validator in ("if", "then", "else", "allOf", "anyOf"):
        for sub in error.context or ():
            yield from _invalid_paths(sub)
    elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        yield from (path + (name,) for name in error.instance if name not in allowed)
    elif "propertyNames" in error.relative_schema_path:
        yield path + (error.instance,)
    elif error.validator != "required":
        yield path


def _remove(data: Any, path: tuple) -> None:
    if not path:
        return
    parent = data
    try:
        for part in path[:-1]:
            parent = parent[part]
        if isinstance(parent, list):
            parent[path[-1]] = None  # keep the indices of the other entries, which diagnostics cite
        else:
            del parent[path[-1]]
    except (KeyError, IndexError, TypeError):
        pass


def _translate(error: jsonschema.ValidationError, doc: Document, kind: str) -> Iterable[Diagnostic]:
    path = tuple(error.absolute_path)
    node = error.schema if isinstance(error.schema, dict) else {}
    value = error.instance
    where = doc.position(path)
    field = show_path(path)

    def diag(code: str, message: str, hint: str = "", at: tuple | None = None) -> Diagnostic:
        line, col = at or where
        return Diagnostic(doc.path, line, col, ERROR, code, message, hint)

    v = error.validator
    if "propertyNames" in error.relative_schema_path:  # a bad key; jsonschema reports the key as the instance
        v = "propertyNames"
    if v in ("if", "then", "else", "allOf", "anyOf"):
        for sub in error.context or ():
            yield from _translate(sub, doc, kind)
        return
    if v == "required":
        for name in error.validator_value:
            if isinstance(value, dict) and name not in value:
                described = _first_sentence(subschema(kind, path + (name,)).get("description", ""))
                # A list item has no key: point at the item itself.
                where_key = doc.position(path, key=bool(path) and not isinstance(path[-1], int))
                yield diag("missing-field", f"{field}: missing required field '{name}'" if path
                           else f"missing required field '{name}'", described, at=where_key)
    elif v == "additionalProperties":
        allowed = sorted(node.get("properties", {}))
        for name in sorted(set(value) - set(allowed)) if isinstance(value, dict) else ():
            sub = path + (name,)
            yield diag("unknown-field", f"{show_path(sub)}: unknown field '{name}'", did_you_mean(name, allowed)
                       or f"allowed here: {', '.join(allowed)}", at=doc.position(sub, key=True))
    elif v == "propertyNames" and "enum" in node:  # the keys of acknowledged: warning codes
        sub = path + (value,)
        options = [str(o) for o in node["enum"]]
        yield diag("unknown-acknowledgement", f"{show_path(sub)}: '{value}' is not a warning that can be "
                   f"acknowledged ({' | '.join(options)})", did_you_mean(str(value), options)
                   or "fix what the warning says; only these warnings can be acknowledged",
                   at=doc.position(sub, key=True))
    elif v == "propertyNames":
        sub = path + (value,)
        yield diag("invalid-id", f"{show_path(sub)}: '{value}' {node.get('patternErrorMessage', 'is not a valid id')}",
                   suggest_id(str(value)), at=doc.position(sub, key=True))
    elif v == "enum":
        options = [str(o) for o in error.validator_value]
        yield diag("invalid-value", f"{field}: {_show_value(value)} is not one of: {' | '.join(options)}",
                   did_you_mean(str(value), options))
    elif v == "type":
        yield diag("wrong-type", f"{field}: expected {_expected(error.validator_value)}, got {_kind_of(value)}",
                   _type_hint(error.validator_value, value))
    elif v == "pattern":
        message = node.get("patternErrorMessage", f"must match {error.validator_value}")
        hint = suggest_id(value) if "hyphens" in message else ""
        if path and path[-1] == "country" and isinstance(value, str):
            hint = country_hint(value)
        if "single line" in message:
            hint = "use '>-' to fold the lines into one"
        yield diag("invalid-format", f"{field}: {_show_value(value)} {message}", hint)
    elif v == "minLength":
        yield diag("empty-text", f"{field}: must not be empty", "fill it in, or remove the field if it is optional")
    elif v == "maxLength":
        yield diag("too-long", f"{field}: is {len(value)} characters; the limit is {error.validator_value}",
                   "shorten it")
    elif v in ("minItems", "minProperties"):
        n = error.validator_value
        yield diag("empty-list", f"{field}: needs at least {n} entr{'y' if n == 1 else 'ies'}")
    elif v == "maxItems":
        yield diag("too-many", f"{field}: has {len(value)} entries; at most {error.validator_value} allowed")
    elif v == "uniqueItems":
        seen: set = set()
        for i, item in enumerate(value):
            key = json.dumps(item, sort_keys=True)
            if key in seen:
                yield diag("duplicate-item", f"{show_path(path + (i,))}: {_show_value(item)} is listed twice",
                           "remove the repeat", at=doc.position(path + (i,)))
            seen.add(key)
    elif v in ("minimum", "maximum"):
        bound = "at least" if v == "minimum" else "at most"
        yield diag("out-of-range", f"{field}: {value} must be {bound} {error.validator_value}")
    else:
        yield diag("schema", f"{field}: {error.message}")


def _first_sentence(text: str) -> str:
    return text.split(". ")[0].rstrip(".") if text else ""


def _show_value(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 60 else f"'{value[:57]}...'"
    return _kind_of(value)


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({_show_value(value)})"
    if isinstance(value, list):
        return "a list"
    return "a mapping of fields"


_NAMES = {"string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
          "array": "a list", "object": "a mapping of fields", "null": "nothing"}


def _expected(types: Any) -> str:
    types = [types] if isinstance(types, str) else list(types)
    return " or ".join(_NAMES.get(t, t) for t in types)


def _type_hint(types: Any, value: Any) -> str:
    types = [types] if isinstance(types, str) else list(types)
    if value is None:
        return "the value is empty: fill it in, or remove the field if it is optional"
    if "array" in types and not isinstance(value, list):
        return "write a list, such as [first, second]"
    if "string" in types and isinstance(value, bool):
        return "put the text in quotes"
    if "string" in types and isinstance(value, (list, dict)):
        return "put text that contains ':', '[' or '{' in quotes"
    return ""
