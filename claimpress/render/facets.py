"""The facets of the browse pages: claims grouped by status, accused (rolled up through parent
parties), claimant, country, category and year."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from jinja2 import Environment

from ..model import Catalog, Claim, Party
from .links import facet_path, relative_link
from .reuse import Recall

FACET_PAGE_SIZE = 200  # rows a facet page shows before it continues on a next page


@dataclass(frozen=True)
class FacetValue:
    id: str          # in the URL
    label: str
    claims: tuple[Claim, ...]
    party: Party | None = None


@dataclass(frozen=True)
class Facet:
    key: str         # in the URL: browse/<key>/
    title: str       # "Accused"
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class FacetPage:
    """One page of a facet value's list (facet.md.j2): a share of its claims, FACET_PAGE_SIZE at most."""
    path: str        # under docs/
    facet: Facet
    value: FacetValue
    number: int      # from 1
    pages: int       # of the value
    claims: tuple[Claim, ...]  # in the value's order


def facets(catalog: Catalog) -> tuple[Facet, ...]:
    claims = catalog.claims

    def group(key: Callable[[Claim], Iterable[str]]) -> dict[str, list[Claim]]:
        out: dict[str, list[Claim]] = {}
        for claim in claims:
            for value in key(claim):
                out.setdefault(value, []).append(claim)
        return out

    by_status = group(lambda c: [c.status.id])
    by_accused = group(lambda c: c.accused_lineage)
    by_claimant = group(lambda c: c.claimant.lineage)
    by_country = group(lambda c: [c.incident.country])
    by_category = group(lambda c: [cat.id for cat in c.categories])
    by_year = group(lambda c: [c.year])
    names = {c.incident.country: c.incident.country_name for c in claims}
    parties = catalog.parties
    return (
        Facet("status", "Status", tuple(
            FacetValue(r.id, r.label, tuple(by_status.get(r.id, ()))) for r in catalog.ratings)),
        Facet("accused", "Accused", tuple(
            FacetValue(pid, parties[pid].name, tuple(cs), party=parties[pid])
            for pid, cs in sorted(by_accused.items(), key=lambda kv: parties[kv[0]].name.lower()))),
        Facet("claimant", "Claimant", tuple(
            FacetValue(pid, parties[pid].name, tuple(cs), party=parties[pid])
            for pid, cs in sorted(by_claimant.items(), key=lambda kv: parties[kv[0]].name.lower()))),
        Facet("country", "Country", tuple(
            FacetValue(code.lower(), names[code], tuple(cs)) for code, cs in sorted(by_country.items(),
                                                                                 key=lambda kv: names[kv[0]]))),
        Facet("category", "Category", tuple(
            FacetValue(cid, catalog.categories[cid].name, tuple(by_category.get(cid, ())))
            for cid in catalog.categories if cid in by_category)),
        Facet("year", "Year", tuple(
            FacetValue(year, year, tuple(cs)) for year, cs in sorted(by_year.items(), reverse=True))),
    )


class FacetRows(dict):
    """Claim id -> the claim's row in facet tables, made when a facet page first asks for it (a page
    known current asks for none), or recalled from the preview's memory."""

    def __init__(self, env: Environment, catalog: Catalog, recall: Recall) -> None:
        super().__init__()
        self.row = env.get_template("_macros.j2").module.claim_row  # type: ignore[attr-defined]
        self.catalog, self.recall = catalog, recall
        self.here = facet_path("status", "x")  # every facet page is as deep: links are the same

    def __missing__(self, cid: str) -> str:
        claim = self.catalog.claim(cid)
        assert claim is not None
        made = self[cid] = self.recall("facet row", claim,
                                       lambda: self.row(claim, lambda to: relative_link(self.here, to)))
        return made

