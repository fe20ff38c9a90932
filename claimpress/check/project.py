"""The check: find every claim and registry, load, validate, apply the rules; report everything.

Nothing here writes. `check_project` is the one entry point shared by the CLI and the build.
"""
from __future__ import annotations

import gc
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cbor2

from ..cache import CheckCache, Store, digest, document_key
from ..config import check_config, load_config
from ..diagnostics import ERROR, Diagnostic, sort_diagnostics
from ..workers import can_fork, forked, shared
from . import rules, schema
from .load import Document, load_claim, load_registry
from .rules import CLAIM_ID, Registries

REGISTRY_FILES = {"parties.yml": "parties", "categories.yml": "categories", "ratings.yml": "ratings"}
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


def check_project(root: Path, only: Iterable[Path] | None = None, documents: bool = True,
                  packed: bool = False, remembered: Any = None) -> CheckResult:
    """Check `root/claims`. With `only`, report just those files (references still resolve against all).

    With `documents=False` (the `check` command) the result holds no claim data; with `packed`, claims
    that come from the cache or a worker stay encoded (CBOR) until `Document.unpack`. Files unchanged since
    the last run take their diagnostics, and their checked data, from the caches (claimpress/cache.py).
    With `remembered` (the preview's cache.Remembered), the check cache's entries come from its
    memory, not from their file; with `packed` too, the data of claims it holds modelled already is
    not fetched: their Document has only its `source`.
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
    cache = CheckCache(root, remembered.check if remembered is not None else None)
    store = Store(root)  # the checked data of valid claims: `check` writes it, the build reads it
    context = _context(claims_dir, claim_ids, registries)
    known = remembered.known_sources(registries) if remembered is not None and packed else frozenset()
    todo: list[tuple[str, str, tuple | None]] = []  # (path, shown path, cache key) of the claims to check
    # The data is acyclic, so the cycle collector would only rescan a growing heap, again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for entry in claim_files:
            shown = f"claims/{entry.name}"  # display(), without making two Paths for each of 50,000 files
            key = cache.key(entry, entry.stat(follow_symlinks=False), context)
            cached = cache.get(key) if key else None
            source = document_key(key[0], key[1]) if key else ""
            doc = None
            if cached is not None and documents and not any(d.is_error for d in cached[0]):
                if source in known:  # modelled already (the preview): build_catalog takes it from there
                    doc = Document(shown, source=source)
                else:
                    stored = store.get_packed("documents", source)
                    if stored is None:
                        cached = None  # checked before, but not kept: check again
                    else:
                        doc = Document(shown, packed=stored, source=source)
            if cached is None:
                todo.append((entry.path, shown, key))
                continue
            found, summary = cached
            if key and not any(d.is_error for d in found):
                store.keep("documents", source)
            if doc is not None:
                claims[entry.name[:-3]] = doc if packed else doc.unpack()
            diagnostics += found
            if summary is not None:
                statuses.append(summary)
        for (where, shown, key), (found, summary, checked) in zip(todo, _check_claims(todo, registries, claim_ids)):
            source = document_key(key[0], key[1]) if key else ""
            if key:
                cache.put(key, (found, summary))
                if checked is not None:
                    store.put_packed("documents", source, checked)
            if documents and checked is not None:
                doc = Document(shown, packed=checked, source=source)
                claims[Path(where).stem] = doc if packed else doc.unpack()
            diagnostics += found
            if summary is not None:
                statuses.append(summary)
    finally:
        if collecting:
            gc.enable()
    cache.save()
    if remembered is not None:
        remembered.check = (cache.path, cache.used)
    store.close(prune=("documents",))

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
    if not isinstance(doc.data, dict) or (found and not doc.data):  # emptied: too many errors to go on
        return None, diagnostics
    if not found:
        diagnostics += rules.check_parties(doc) if kind == "parties" else []
        diagnostics += rules.check_ratings(doc) if kind == "ratings" else []
    return doc, diagnostics


PARALLEL_FROM = 200  # claims to check before the work is spread over the cores (a worker costs ~50 ms)


def _check_claims(todo: list[tuple[str, str, Any]], registries: Registries,
                  claim_ids: set[str]) -> Iterable[tuple[list[Diagnostic], Any, bytes | None]]:
    """(diagnostics, (status, draft), encoded (data, body) of a valid claim) for each claim of `todo`, in order.

    Parsing is most of a cold check, and claims are independent, so many claims are checked on all
    cores, by forked workers that inherit the registries (when can_fork allows)."""
    if len(todo) >= PARALLEL_FROM and can_fork():
        with forked((registries, claim_ids)) as pool:
            yield from pool.imap(_check_one, [(p, s) for p, s, _ in todo], chunksize=32)
        return
    for path, shown, _ in todo:
        yield _check_one((path, shown), (registries, claim_ids))


def _check_one(item: tuple[str, str], state: tuple[Registries, set[str]] | None = None
               ) -> tuple[list[Diagnostic], Any, bytes | None]:
    registries, claim_ids = state or shared()  # in a worker: what the parent gave forked()
    doc, found = _check_claim(Path(item[0]), item[1], registries, claim_ids)
    summary = (doc.data.get("status"), doc.data.get("draft")) if doc is not None else None
    valid = doc is not None and not any(d.is_error for d in found)
    # Encoded here, in the worker, as plain data (the data is what YAML gives: maps, lists, text, numbers,
    # booleans, None): the parent keeps it in the store as it is, and decodes it only for the build.
    checked = cbor2.dumps([doc.data, doc.body]) if doc is not None and valid else None
    return found, summary, checked


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
