"""The check: find every claim and registry, load, validate, apply the rules; report everything.

Nothing here writes. `check_project` is the one entry point shared by the CLI and the build.
"""
from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from . import rules, schema
from .config import check_config, load_config
from .diagnostics import ERROR, Diagnostic, sort_diagnostics
from .load import Document, load_claim, load_registry
from .rules import Registries

REGISTRY_FILES = {"parties.yml": "parties", "categories.yml": "categories", "ratings.yml": "ratings"}
CLAIM_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
RESERVED_IDS = {"index"}  # claims/index.md is the all-claims page


@dataclass
class CheckResult:
    diagnostics: list[Diagnostic]
    registries: Registries
    claims: dict[str, Document] = field(default_factory=dict)  # id -> claim with no errors
    files: int = 0

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


def check_project(root: Path, only: Iterable[Path] | None = None) -> CheckResult:
    """Check `root/claims`. With `only`, report just those files (references still resolve against all)."""
    claims_dir = root / "claims"
    display = lambda p: p.relative_to(root).as_posix()  # noqa: E731 - paths as a contributor sees them
    diagnostics: list[Diagnostic] = []

    registries = Registries()
    for name, kind in REGISTRY_FILES.items():
        path = claims_dir / name
        if not path.exists() and not path.is_symlink():
            diagnostics.append(Diagnostic(display(path), 0, 0, ERROR, "missing-registry",
                                          f"the {kind} registry is missing", f"create {display(path)}"))
            continue
        doc, found = _load_registry(path, display(path), kind)
        diagnostics += found
        if doc is not None:
            if kind == "ratings":
                registries.scale = {k: doc.data.get(k) for k in ("best_rating", "worst_rating")}
                registries.ratings = {r["id"]: r for r in doc.data.get("ratings") or []
                                      if isinstance(r, dict) and "id" in r}
            else:
                setattr(registries, kind, doc.data)

    claim_files: list[Path] = []
    for path in sorted(claims_dir.iterdir()) if claims_dir.is_dir() else []:
        if path.name.startswith(".") or path.name in REGISTRY_FILES:
            continue
        if path.suffix != ".md" or path.is_dir():
            diagnostics.append(Diagnostic(display(path), 0, 0, ERROR, "unexpected-file",
                                          "is not a claim (claims/<id>.md) or a registry",
                                          "move it out of claims/"))
            continue
        claim_files.append(path)
    claim_ids = {p.stem for p in claim_files}

    claims: dict[str, Document] = {}
    # The data is acyclic, so the cycle collector would only rescan a growing heap, again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for path in claim_files:
            doc, found = _check_claim(path, display(path), registries, claim_ids)
            diagnostics += found
            if doc is not None and not any(d.is_error for d in found):
                doc.release_marks()  # positions are only needed for diagnostics, which are made
                claims[path.stem] = doc
    finally:
        if collecting:
            gc.enable()

    # A published claim with a verdict gets ClaimReview markup, which needs the site's address.
    verdicts = {rid for rid, r in (registries.ratings or {}).items()
                if r.get("rating_value") is not None or r.get("alternate_name")}
    needs_claimreview = any(doc.data.get("status") in verdicts and doc.data.get("draft") is not True
                            for doc in claims.values())
    diagnostics += check_config(load_config(root), needs_claimreview)

    if only is not None:
        wanted = {p.resolve() for p in only}
        diagnostics = [d for d in diagnostics
                       if (root / d.path).resolve() in wanted
                       or any(w in (root / d.path).resolve().parents for w in wanted)]
    files = len(claim_files) + len(REGISTRY_FILES)
    return CheckResult(sort_diagnostics(diagnostics), registries, claims, files)


def _load_registry(path: Path, shown: str, kind: str) -> tuple[Document | None, list[Diagnostic]]:
    doc, diagnostics = load_registry(path, shown)
    if doc is None:
        return None, diagnostics
    found = schema.restore_written_text(doc, kind)
    found += schema.validate(doc, kind)
    diagnostics += found + rules.check_whitespace(doc)
    if not isinstance(doc.data, dict):
        return None, diagnostics
    if not found:
        diagnostics += rules.check_parties(doc) if kind == "parties" else []
        diagnostics += rules.check_ratings(doc) if kind == "ratings" else []
    return doc, diagnostics


def _check_claim(path: Path, shown: str, registries: Registries,
                 claim_ids: set[str]) -> tuple[Document | None, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    if path.stem in RESERVED_IDS:
        diagnostics.append(Diagnostic(shown, 0, 0, ERROR, "invalid-file-name",
                                      f"'{path.name}' is reserved for a page of the site; a claim cannot be named "
                                      f"{' or '.join(sorted(RESERVED_IDS))}", "give the claim a descriptive id"))
    elif not CLAIM_ID.match(path.stem) or len(path.stem) > 80:
        diagnostics.append(Diagnostic(shown, 0, 0, ERROR, "invalid-file-name",
                                      f"'{path.name}' is not named <id>.md: an id is lowercase a-z and 0-9 in "
                                      "words joined by single hyphens, at most 80 characters",
                                      schema.suggest_id(path.stem)))
    doc, found = load_claim(path, shown)
    diagnostics += found
    if doc is None:
        return None, diagnostics
    if not isinstance(doc.data, dict):
        line, col = doc.position(())
        diagnostics.append(Diagnostic(shown, line, col, ERROR, "not-a-mapping",
                                      "front matter must be a list of 'field: value' lines",
                                      "copy templates/new-claim.md to start"))
        return None, diagnostics
    found = schema.restore_written_text(doc, "claim")
    found += schema.validate(doc, "claim")
    diagnostics += found + rules.check_whitespace(doc)
    diagnostics += rules.check_claim(doc, path.stem, registries, claim_ids, schema_ok=not found)
    return doc, diagnostics
