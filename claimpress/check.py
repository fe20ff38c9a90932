"""The check: find every claim and registry, load, validate, apply the rules; report everything.

Nothing here writes. `check_project` is the one entry point shared by the CLI and the build.
"""
from __future__ import annotations

import gc
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from . import rules, schema
from .cache import CheckCache, digest
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


def check_project(root: Path, only: Iterable[Path] | None = None, documents: bool = True) -> CheckResult:
    """Check `root/claims`. With `only`, report just those files (references still resolve against all).

    With `documents=False` (the `check` command) the result holds no claim data, and files unchanged
    since the last run take their diagnostics from the cache (claimpress/cache.py).
    """
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

    # Names and stats from one directory scan: at 10,000 claims, Path objects and separate stat
    # calls would be most of a cached check's time.
    claim_files: list[os.DirEntry] = []
    entries = sorted(os.scandir(claims_dir), key=lambda e: e.name) if claims_dir.is_dir() else []
    for entry in entries:
        if entry.name.startswith(".") or entry.name in REGISTRY_FILES:
            continue
        if not entry.name.endswith(".md") or entry.is_dir():
            diagnostics.append(Diagnostic(display(Path(entry.path)), 0, 0, ERROR, "unexpected-file",
                                          "is not a claim (claims/<id>.md) or a registry",
                                          "move it out of claims/"))
            continue
        claim_files.append(entry)
    claim_ids = {e.name[:-3] for e in claim_files}

    claims: dict[str, Document] = {}
    statuses: list[tuple[Any, Any]] = []  # (status, draft) of every claim that loaded
    cache = None if documents else CheckCache(root)
    context = _context(claims_dir, claim_ids, registries) if cache else ""
    # The data is acyclic, so the cycle collector would only rescan a growing heap, again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for entry in claim_files:
            key = cache.key(entry, entry.stat(follow_symlinks=False), context) if cache else None
            cached = cache.get(key) if key else None
            if cached is not None:
                found, summary = cached
            else:
                path = Path(entry.path)
                doc, found = _check_claim(path, display(path), registries, claim_ids)
                summary = (doc.data.get("status"), doc.data.get("draft")) if doc is not None else None
                if key:
                    cache.put(key, (found, summary))
                if documents and doc is not None and not any(d.is_error for d in found):
                    doc.release_marks()  # positions are only needed for diagnostics, which are made
                    claims[path.stem] = doc
            diagnostics += found
            if summary is not None:
                statuses.append(summary)
    finally:
        if collecting:
            gc.enable()
    if cache:
        cache.save()

    # A published claim with a verdict gets ClaimReview markup, which needs the site's address.
    verdicts = {rid for rid, r in (registries.ratings or {}).items()
                if r.get("rating_value") is not None or r.get("alternate_name")}
    needs_claimreview = any(status in verdicts and draft is not True for status, draft in statuses)
    diagnostics += check_config(load_config(root), needs_claimreview)

    if only is not None:
        wanted = {p.resolve() for p in only}
        diagnostics = [d for d in diagnostics
                       if (root / d.path).resolve() in wanted
                       or any(w in (root / d.path).resolve().parents for w in wanted)]
    files = len(claim_files) + len(REGISTRY_FILES)
    return CheckResult(sort_diagnostics(diagnostics), registries, claims, files)


def _context(claims_dir: Path, claim_ids: set[str], registries: Registries) -> str:
    """What every claim's diagnostics depend on besides its own text."""
    registry_bytes = [(claims_dir / name).read_bytes() if (claims_dir / name).is_file() else b""
                      for name in REGISTRY_FILES]
    return digest(*registry_bytes, "\n".join(sorted(claim_ids)).encode(),
                  registries.latest_date.isoformat().encode())


def _load_registry(path: Path, shown: str, kind: str) -> tuple[Document | None, list[Diagnostic]]:
    doc, diagnostics = load_registry(path, shown)
    if doc is None:
        return None, diagnostics
    found = schema.check(doc, kind)
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
    found = schema.check(doc, "claim")
    diagnostics += found + rules.check_whitespace(doc)
    diagnostics += rules.check_claim(doc, path.stem, registries, claim_ids, schema_ok=not found)
    return doc, diagnostics
