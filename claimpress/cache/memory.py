"""What the preview keeps in memory from one save to the next (Remembered)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import cbor2

from .keys import digest


class Remembered:
    """What the preview keeps in memory from one generation to the next (a build starts without it).

    - The check cache's entries, as the last check saved them: not read back from their file.
    - The modelled claims, each with its source (the document key of the file it was made from:
      cache.document_key); all of them are forgotten when the registries change (Session.model). The check does not
      fetch an unchanged claim's data from the store (known_sources), and it is not modelled again.
    - What each claim gave the data files and the facet pages (its record in claims.json, its rows
      in the CSV files, its facet row...), under the claim page's key (cache.pages.claim_page_keys), which
      covers all they are made from. An unchanged claim is not exported again.
    About 8 KB a claim; every save still writes whole files, from these pieces."""

    def __init__(self) -> None:
        self.registries: str | None = None
        self.check: tuple[Path, dict] | None = None       # the check cache's file, and what was last saved in it
        self.claims: dict[str, tuple[str, Any]] = {}      # id -> (source digest, Claim)
        self.fragments: dict[str, tuple[str, dict[str, Any]]] = {}  # id -> (page key, kind -> value)

    @staticmethod
    def registries_digest(registries: Any) -> str:
        """What the modelled claims depend on besides their own files (a rules.Registries)."""
        return digest(cbor2.dumps([registries.parties or {}, registries.categories, registries.ratings,
                                   registries.scale, list(registries.languages)]))  # the default: a claim's language

    def modelled(self, registries: Any) -> dict[str, tuple[str, Any]]:
        """The claims it holds (id -> (source, Claim)), if they were modelled with these registries;
        else none. These registries are the ones of the claims it is given next."""
        made_with = self.registries_digest(registries)
        known = self.claims if self.registries == made_with else {}
        self.registries = made_with
        return known

    def known_sources(self, registries: Any) -> frozenset[str]:
        """The sources of the claims it holds, if they were modelled with these registries: the
        claims that the model will take from here (`modelled`), whose data the check need not fetch."""
        if self.registries != self.registries_digest(registries):
            return frozenset()
        return frozenset(source for source, _ in self.claims.values())

    def recall(self, catalog: Any, page_keys: list[str]) -> Callable[[str, Any, Callable[[], Any]], Any]:
        """An exports.Recall for this catalog; what claims no longer in it gave is forgotten."""
        keys = {claim.id: key for claim, key in zip(catalog.claims, page_keys)}
        for cid in [cid for cid in self.fragments if cid not in keys]:
            del self.fragments[cid]

        def recall(kind: str, claim: Any, make: Callable[[], Any]) -> Any:
            key = keys[claim.id]
            entry = self.fragments.get(claim.id)
            if entry is None or entry[0] != key:
                entry = self.fragments[claim.id] = (key, {})
            if kind not in entry[1]:
                entry[1][kind] = make()
            return entry[1][kind]
        return recall
