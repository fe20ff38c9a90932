"""The field reference, from the JSON Schema's descriptions (the single source): plain rows that
templates/reference.md.j2 lays out, so the published reference cannot drift from the validator."""
from __future__ import annotations

from dataclasses import dataclass

from ..check.schema import deref, schema


@dataclass(frozen=True)
class Field:
    path: str                 # "evidence[].url"
    required: str             # "yes", "no", "yes, except in a draft"
    description: str
    values: tuple[tuple[str, str], ...]   # (allowed value, what it means)


def fields(kind: str) -> list[Field]:
    root = schema(kind)
    draft_only = set(root.get("else", {}).get("required", []))
    out: list[Field] = []

    def resolve(node: dict) -> dict:
        return deref(kind, node)

    def walk(node: dict, prefix: str, required: set[str], optional_parent: bool) -> None:
        for name, child in node.get("properties", {}).items():
            child = resolve(child)
            path = f"{prefix}{name}"
            if name in required and not optional_parent:
                needed = "yes"
            elif prefix == "" and name in draft_only:
                needed = "yes, except in a draft"
            elif name in required:
                needed = "yes, when its parent is there"
            else:
                needed = "no"
            # The allowed values, or for a mapping whose keys are a list of choices (acknowledged), its keys.
            choices = child if "enum" in child else child.get("propertyNames", {})
            values = tuple(zip(map(str, choices.get("enum", [])), choices.get("enumDescriptions", [""] * 99)))
            description = child.get("description", "")
            if "maxItems" in child and child.get("minItems") != child["maxItems"]:  # limits that bound a build's work
                description = f"{description} At most {child['maxItems']} entries.".strip()
            out.append(Field(path, needed, description, values))
            items = resolve(child.get("items", {})) if isinstance(child.get("items"), dict) else {}
            if child.get("type") == "object" or "properties" in child:
                walk(child, f"{path}.", set(child.get("required", [])), needed == "no")
            elif "properties" in items:
                walk(items, f"{path}[].", set(items.get("required", [])), needed == "no")

    if kind in ("parties", "categories"):
        entry = resolve(root["additionalProperties"])
        walk(entry, "<id>.", set(entry.get("required", [])), False)
    else:
        walk(root, "", set(root.get("required", [])), False)
    return out
