"""The check: find every claim and registry, load, validate, apply the rules; report everything.

Nothing here writes, and nothing here knows of the caches. In layers:
- `check_claims`, the stage: each claim file loaded, validated against the schema and the rules,
  given the registries and the set of claim ids; per file and pure, so spread over the cores when
  the files are many.
- `check_files`: a project's whole check: the registries, the claim files found, each checked by the
  stage (through `around`, where a caller wraps it: the seam of the cache layer, its point 1 in
  claimpress/cache/__init__.py), the settings; the diagnostics, of `only` if given.
- `check_project`: check_files through the caches, in a cache session of its own (cache.session):
  what the commands that only check run. The build opens one session for all its stages instead.
"""
from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cbor2

from ..config import check_config, load_config
from ..diagnostics import ERROR, Diagnostic, sort_diagnostics
from ..i18n import check_catalogues, missing_catalogues
from ..workers import can_fork, forked, shared
from . import rules, schema
from .load import Document, load_claim, load_registry
from .registries import check_parties, check_ratings
from .rules import CLAIM_ID, Registries
from .scaffold import read_scaffold
from .translations import check_language, check_registry_translations, check_translation, check_translations, split_name

REGISTRY_FILES = {"parties.yml": "parties", "categories.yml": "categories", "ratings.yml": "ratings"}
RESERVED_IDS = {"index"}  # claims/index.md is the all-claims page


@dataclass
class CheckResult:
    diagnostics: list[Diagnostic]
    registries: Registries
    claims: dict[str, Document] = field(default_factory=dict)  # id -> claim with no errors (see check_files)
    files: int = 0

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


@dataclass(slots=True)
class Checked:
    """What checking one claim file gave (the stage), or what a cache kept of it."""
    diagnostics: list[Diagnostic]
    summary: tuple[Any, Any] | None = None  # (status, draft) of a claim that loaded (ClaimReview: check_files)
    # a valid claim's [data, body(, translations)], encoded (CBOR); None: not valid, or data not given
    packed: bytes | None = None
    source: str = ""  # where a cache knows the file: the name of that data (cache.document_key)


class CheckedClaim(Document):
    """A valid claim as check_files gives it: its data stays encoded (as the stage or a cache gave it)
    until it is first read. The build models the claims one at a time: at 50,000 claims, encoded they
    take a third of the memory of the loaded data. One with neither data nor `packed`, only a
    `source`, is a claim whose data a cache did not fetch: one that the model holds already."""

    @property
    def data(self) -> Any:
        if self.packed is not None:
            self.unpack()
        return self._data

    @data.setter
    def data(self, value: Any) -> None:
        self._data = value

    @property
    def body(self) -> str:
        if self.packed is not None:
            self.unpack()
        return self._body

    @body.setter
    def body(self, value: str) -> None:
        self._body = value

    @property
    def translations(self) -> dict:
        if self.packed is not None:
            self.unpack()
        return self._translations

    @translations.setter
    def translations(self, value: dict) -> None:
        self._translations = value


Stage = Callable[[Sequence[os.DirEntry], Registries, set[str]], Iterator[Checked]]
# Wraps the stage: (claim files, registries, claim ids, the stage) -> (file, what it gave) for each
# file, in any order. A cache gives what it kept of a file and runs the stage on the others.
Around = Callable[[Sequence[os.DirEntry], Registries, set[str], Stage], Iterable[tuple[os.DirEntry, Checked]]]


def plainly(files: Sequence[os.DirEntry], registries: Registries, claim_ids: set[str],
            stage: Stage) -> Iterable[tuple[os.DirEntry, Checked]]:
    """check_files' `around` by default: every file checked by the stage, nothing reused."""
    return zip(files, stage(files, registries, claim_ids))


def check_project(root: Path, only: Iterable[Path] | None = None, documents: bool = True) -> CheckResult:
    """check_files through the caches (claimpress/cache): files unchanged since the last run take
    their diagnostics, and their checked data, from there. With `documents=False` (the `check`
    command) the caches fetch no claim data, and the result holds none."""
    from ..cache.session import Session  # here: the stages know nothing of the caches

    with Session(root) as caches:
        return check_files(root, only, caches.check if documents else caches.check_diagnostics)


def check_files(root: Path, only: Iterable[Path] | None = None, around: Around = plainly) -> CheckResult:
    """Check `root/claims`. With `only`, report just those files (references still resolve against all).

    The result's `claims` holds each valid claim that `around` gave data for (plainly: all), as a
    CheckedClaim."""
    config = load_config(root)
    registries, diagnostics = _registries(root, config.languages)
    files, translations, found = _claim_files(root)
    diagnostics += found
    claim_ids = {e.name[:-3] for e in files}
    # Each claim's translations, which its check reads with it (and a cache keys it by: Session.check);
    # a translation of no claim is checked here, on its own.
    for entry in translations:
        cid = split_name(entry.name)[0]  # type: ignore[index]
        if cid in claim_ids:
            registries.translations.setdefault(cid, []).append(entry.path)
        else:
            diagnostics += check_translation(Path(entry.path), f"claims/{entry.name}", None, registries, False,
                                             sorted(claim_ids))[1]
    claims: dict[str, Document] = {}
    statuses: list[tuple[Any, Any]] = []  # (status, draft) of every claim that loaded
    # The data is acyclic, so the cycle collector would only rescan a growing heap, again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for entry, checked in around(files, registries, claim_ids, check_claims):
            diagnostics += checked.diagnostics
            if checked.summary is not None:
                statuses.append(checked.summary)
            if checked.packed is not None or checked.source:
                claims[entry.name[:-3]] = CheckedClaim(f"claims/{entry.name}", packed=checked.packed,
                                                       source=checked.source)
    finally:
        if collecting:
            gc.enable()

    # A registry's missing translations come of the site's languages: mkdocs.yml may acknowledge them.
    untranslated = [d for d in diagnostics if d.code == "registry-untranslated"]
    diagnostics = [d for d in diagnostics if d.code != "registry-untranslated"]
    diagnostics += check_config(config, _needs_claimreview(registries, statuses),
                                missing_catalogues(root, config.languages) if config.found else (), untranslated)
    diagnostics += check_catalogues(root)  # the interface's, as mkdocs.yml: the project's, not a claim's
    if only is not None:
        diagnostics = _of(root, diagnostics, only)
    return CheckResult(sort_diagnostics(diagnostics), registries, claims,
                       len(files) + len(translations) + len(REGISTRY_FILES))


def _needs_claimreview(registries: Registries, statuses: list[tuple[Any, Any]]) -> bool:
    """Whether a published claim has a verdict: it gets ClaimReview markup, which needs the site's address."""
    verdicts = {rid for rid, r in (registries.ratings or {}).items()
                if r.get("rating_value") is not None or r.get("alternate_name")}
    return any(status in verdicts and draft is not True for status, draft in statuses)


def _of(root: Path, diagnostics: list[Diagnostic], only: Iterable[Path]) -> list[Diagnostic]:
    """The diagnostics of the files `only` names, or of the files in the folders it names."""
    wanted = {p.resolve() for p in only}
    return [d for d in diagnostics
            if (root / d.path).resolve() in wanted or any(w in (root / d.path).resolve().parents for w in wanted)]


def _registries(root: Path, languages: tuple[str, ...]) -> tuple[Registries, list[Diagnostic]]:
    """The three registries, loaded and checked (one that does not load stays None), and their diagnostics."""
    registries = Registries(languages=languages)
    diagnostics: list[Diagnostic] = []
    for name, kind in REGISTRY_FILES.items():
        path = root / "claims" / name
        shown = f"claims/{name}"
        if not path.exists() and not path.is_symlink():
            diagnostics.append(Diagnostic(shown, 0, 0, ERROR, "missing-registry", f"the {kind} registry is missing",
                                          f"create {shown}"))
            continue
        doc, found = _load_registry(path, shown, kind, languages)
        diagnostics += found
        if doc is None:
            continue
        if kind == "ratings":
            registries.scale = {k: doc.data.get(k) for k in ("best_rating", "worst_rating")}
            registries.ratings = {r["id"]: r for r in doc.data.get("ratings") or []
                                  if isinstance(r, dict) and "id" in r}
        else:
            setattr(registries, kind, doc.data)
    registries.scaffold = read_scaffold(root, registries)
    return registries, diagnostics


def _claim_files(root: Path) -> tuple[list[os.DirEntry], list[os.DirEntry], list[Diagnostic]]:
    """The claim files (claims/<id>.md) and translations (claims/<id>.<tag>.md) in name order, and a
    diagnostic for each other file there."""
    # Names and stats from one directory scan: at 10,000 claims, Path objects and separate stat
    # calls would be most of a cached check's time.
    claims_dir = root / "claims"
    files: list[os.DirEntry] = []
    translations: list[os.DirEntry] = []
    diagnostics: list[Diagnostic] = []
    entries = sorted(os.scandir(claims_dir), key=lambda e: e.name) if claims_dir.is_dir() else []
    for entry in entries:
        if entry.name.startswith(".") or entry.name in REGISTRY_FILES:
            continue
        if not entry.name.endswith(".md") or entry.is_dir():
            diagnostics.append(Diagnostic(Path(entry.path).relative_to(root).as_posix(), 0, 0, ERROR,
                                          "unexpected-file", "is not a claim (claims/<id>.md), a translation of one "
                                          "(claims/<id>.<tag>.md) or a registry",
                                          "move it out of claims/"))
            continue
        (translations if "." in entry.name[:-3] else files).append(entry)
    return files, translations, diagnostics


def _load_registry(path: Path, shown: str, kind: str, languages: tuple[str, ...]
                   ) -> tuple[Document | None, list[Diagnostic]]:
    doc, diagnostics = load_registry(path, shown)
    if doc is None:
        return None, diagnostics
    found = schema.check(doc, kind)
    diagnostics += found + rules.check_whitespace(doc)
    if not isinstance(doc.data, dict) or (found and not doc.data):  # emptied: too many errors to go on
        return None, diagnostics
    if not found:
        diagnostics += check_parties(doc) if kind == "parties" else []
        diagnostics += check_ratings(doc) if kind == "ratings" else []
        diagnostics += check_registry_translations(doc, kind, languages)
    return doc, diagnostics


PARALLEL_FROM = 200  # claims to check before the work is spread over the cores (a worker costs ~50 ms)


def check_claims(files: Sequence[os.DirEntry], registries: Registries, claim_ids: set[str]) -> Iterator[Checked]:
    """The stage: what checking each claim file of `files` gives, in order (a valid claim's data encoded).

    Parsing is most of a cold check, and claims are independent, so many claims are checked on all
    cores, by forked workers that inherit the registries (when can_fork allows)."""
    todo = [(entry.path, f"claims/{entry.name}") for entry in files]  # no Path a file: 50,000 of them
    if len(todo) >= PARALLEL_FROM and can_fork():
        with forked((registries, claim_ids)) as pool:
            for found, summary, packed in pool.imap(_check_one, todo, chunksize=32):
                yield Checked(found, summary, packed)
        return
    for item in todo:
        yield Checked(*_check_one(item, (registries, claim_ids)))


def _check_one(item: tuple[str, str], state: tuple[Registries, set[str]] | None = None
               ) -> tuple[list[Diagnostic], Any, bytes | None]:
    registries, claim_ids = state or shared()  # in a worker: what the parent gave forked()
    doc, found = _check_claim(Path(item[0]), item[1], registries, claim_ids)
    summary = (doc.data.get("status"), doc.data.get("draft")) if doc is not None else None
    valid = doc is not None and not any(d.is_error for d in found)
    stem = os.path.basename(item[0])[:-3]
    # Held to the claim once it is valid: a value the schema refused is gone from its data, and would
    # read as a fact the translation adds.
    translated, found_translating = check_translations(doc if valid else None, stem,
                                                       registries.translations.get(stem, ()), registries)
    found += found_translating
    # Encoded here, in the worker, as plain data (the data is what YAML gives: maps, lists, text, numbers,
    # booleans, None): the parent keeps it in the store as it is, and decodes it only for the build. A
    # claim's published translations go with it (Document.unpack), so that its data names them.
    checked = None
    if doc is not None and valid:
        checked = cbor2.dumps([doc.data, doc.body, translated] if translated else [doc.data, doc.body])
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
    found = schema.check(doc, "claim")
    diagnostics += found + rules.check_whitespace(doc)
    diagnostics += rules.check_claim(doc, path.stem, registries, claim_ids, schema_ok=not found)
    diagnostics += check_language(doc)
    if registries.scaffold is not None and doc.data.get("draft") is not True:
        diagnostics += registries.scaffold.find(doc)
    return doc, diagnostics
