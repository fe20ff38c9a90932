"""What the render step may take from earlier runs (Reuse): the seam at which the cache layer wraps
it (claimpress/cache/__init__.py, point 3). Plain data and callables: render_site knows no cache.

Without one, every page and every piece of a data file is made. The cache layer's Reuse
(cache.Session.reuse) says which claim pages are current already (their page stamps), asks the
stamps of each facet page, gives the HTML that the store keeps of an analysis and keeps the HTML
made now, and, in the preview, recalls what each unchanged claim gave the data files and facet
rows. The texts of the pages rendered go back to the stamps through render_site's output, which
the cache layer passes on to the writer (cache.Session.recorded)."""
from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Claim
    from .facets import FacetPage

# (kind, claim, make) -> what `make` gives, or what it gave for the same claim before: each claim's
# piece of a data file ("claims.json", "claims.csv"...) and its row in facet tables ("facet row").
Recall = Callable[[str, "Claim", Callable[[], Any]], Any]


def made_now(kind: str, claim: Claim, make: Callable[[], Any]) -> Any:
    """The Recall by default: nothing is remembered, everything is made."""
    return make()


def _never(page: FacetPage) -> bool:
    return False


def _nothing(markdown: str) -> str | None:
    return None


def _forget(markdown: str, html: str) -> None:
    pass


@dataclass(frozen=True)
class Reuse:
    kept: Collection[str] = frozenset()  # ids of the claims whose page is current: given as write.Kept
    facet_kept: Callable[[FacetPage], bool] = _never  # whether a facet page is current: given as write.Kept
    analysis: Callable[[str], str | None] = _nothing  # an analysis' Markdown -> the HTML made of it before
    analysed: Callable[[str, str], None] = _forget  # (Markdown, HTML) of an analysis converted now
    recall: Recall = made_now  # each claim's pieces of the data files and facet rows
    kept_pages: Collection[str] = frozenset()  # translated claim pages (paths under docs/) that are current


NOTHING = Reuse()
