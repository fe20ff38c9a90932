"""The rules of the three registries that the schema cannot express: each party's chain of parents
ends, within MAX_PARTY_DEPTH levels; the rating scale is coherent. Each takes a loaded registry and
returns diagnostics."""
from __future__ import annotations

from ..diagnostics import Diagnostic
from .load import Document
from .rules import PARTIES, Checker


def check_parties(doc: Document) -> list[Diagnostic]:
    checker = Checker(doc)
    parties: dict[str, dict] = doc.data
    for pid, party in parties.items():
        checker.country((pid, "country"), party.get("country"))
        parent = party.get("parent")
        if parent is not None:
            if parent == pid:
                checker.error("party-cycle", (pid, "parent"), "a party cannot be its own parent")
            else:
                checker.reference((pid, "parent"), parent, parties, "a party", PARTIES, "unknown-party")
    _check_lineages(checker, parties)
    return checker.out


MAX_PARTY_DEPTH = 12  # levels of `parent` above a party: state -> ministry -> force -> unit is 3


def _check_lineages(checker: Checker, parties: dict[str, dict]) -> None:
    """Each chain of parents must end, within MAX_PARTY_DEPTH levels. One walk over every party, each
    visited once (a depth once known is reused), so a registry of N parties costs O(N): every party's
    lineage is listed on its facet pages, so a deep chain would also multiply the pages a claim is on.
    Each cycle is reported once, at the party where the walk that found it entered it."""
    depth: dict[str, int] = {}       # party -> levels of parents above it; -1 for a party on or above a cycle
    for start in parties:
        path: list[str] = []
        on_path: dict[str, int] = {}
        node: str | None = start
        while node is not None and node in parties and node not in depth and node not in on_path:
            on_path[node] = len(path)
            path.append(node)
            parent = parties[node].get("parent")
            node = parent if isinstance(parent, str) and parent != node else None
        if node is not None and node in on_path:  # a new cycle: its members, then whatever led into it
            cycle = path[on_path[node]:]
            checker.error("party-cycle", (node, "parent"),
                          f"parents form a cycle: {' -> '.join(cycle + [node])}", "one of them must have no parent")
            above = -1
        elif node is not None and node in depth:
            above = depth[node]
        else:
            above = None                 # the chain ended at a party with no (known) parent
        for member in reversed(path):
            if above == -1:
                depth[member] = -1
                continue
            above = 0 if above is None else above + 1
            depth[member] = above
            if above == MAX_PARTY_DEPTH + 1:
                checker.error("party-depth", (member, "parent"),
                              f"'{member}' has more than {MAX_PARTY_DEPTH} levels of parents above it "
                              f"(the limit)", "attach it to a party nearer the top of its chain")


def check_ratings(doc: Document) -> list[Diagnostic]:
    checker = Checker(doc)
    data = doc.data
    best, worst = data["best_rating"], data["worst_rating"]
    if best <= worst:
        checker.error("rating-scale", ("best_rating",), f"{best} must be greater than worst_rating ({worst})")
    ids: dict[str, int] = {}
    values: dict[int, str] = {}
    for i, rating in enumerate(data["ratings"]):
        rid = rating["id"]
        if rid in ids:
            checker.error("duplicate-id", ("ratings", i, "id"), f"'{rid}' is already used by ratings[{ids[rid]}]",
                          "give each rating its own id")
        ids.setdefault(rid, i)
        value = rating["rating_value"]
        if value is None:
            continue
        if not min(best, worst) <= value <= max(best, worst):
            checker.error("rating-scale", ("ratings", i, "rating_value"),
                          f"{value} is outside the scale {worst}..{best}", "change the value or the scale")
        if value in values:
            checker.error("rating-scale", ("ratings", i, "rating_value"),
                          f"{value} is already the value of '{values[value]}'; two ratings cannot share a value",
                          "give each verdict its own value")
        values.setdefault(value, rid)
    return checker.out
