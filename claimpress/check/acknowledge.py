"""Acknowledged warnings: a warning the sources do not allow to fix, acknowledged with its reason
(`acknowledged: {no-source-url: "the report survives only as a text copy"}` in a claim, and a
translation's own warnings in the translation; under `extra: claimpress:` in mkdocs.yml for the
settings' warnings, and for the registries' registry-untranslated, which the site's languages make).

An acknowledged warning stays a diagnostic, with the severity ACKNOWLEDGED and the reason as its
hint: counted, listed on request, never printed by default, never failing --strict. An acknowledgement
of a warning that no longer fires is a warning itself, so that none outlives its reason.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import replace

from ..diagnostics import ACKNOWLEDGED, WARNING, Diagnostic
from .schema import schema

# The warnings a claim may acknowledge: the schema's list (the keys `acknowledged` may hold).
CLAIM_CODES: tuple[str, ...] = tuple(schema("claim")["properties"]["acknowledged"]["propertyNames"]["enum"])
# The warnings of a translation that it may acknowledge itself (its `acknowledged` may also repeat the
# original's, CLAIM_CODES, which are facts of the original).
TRANSLATION_CODES: tuple[str, ...] = tuple(
    code for code in schema("translation")["properties"]["acknowledged"]["propertyNames"]["enum"]
    if code not in CLAIM_CODES)
STALE = "stale-acknowledgement"

Where = Callable[[str], tuple[int, int]]  # a code -> the line and column of its acknowledgement


def settle(found: list[Diagnostic], acknowledged: Mapping[str, str], codes: Collection[str], path: str,
           where: Where, field: str = "acknowledged", also_fired: Collection[str] = ()) -> list[Diagnostic]:
    """`found` with each warning that `acknowledged` (code -> reason) names made ACKNOWLEDGED, each
    other warning of `codes` told how to acknowledge it, and a warning for each acknowledgement of
    a warning that did not fire (in the file `path`), unless `also_fired` names it."""
    out: list[Diagnostic] = []
    fired: set[str] = set(also_fired)
    for d in found:
        if d.severity != WARNING or d.code not in codes:
            out.append(d)
        elif d.code in acknowledged:
            fired.add(d.code)
            out.append(replace(d, severity=ACKNOWLEDGED, hint=acknowledged[d.code]))
        else:
            how = f"or, where that cannot be done, acknowledge it: {field}: {{{d.code}: \"the reason\"}}"
            out.append(replace(d, hint=f"{d.hint}; {how}" if d.hint else how))
    for code in acknowledged:
        if code in codes and code not in fired:
            line, column = where(code)
            out.append(Diagnostic(path, line, column, WARNING, STALE,
                                  f"{field}.{code}: acknowledges a warning that no longer fires",
                                  f"remove the acknowledgement of {code}"))
    return out
