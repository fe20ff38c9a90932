"""The home page's chart of claims by status and incident year, drawn at build time as SVG data."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..model import Catalog


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    color: str
    title: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    years: tuple[tuple[float, str], ...]   # (x of the label, year)
    ticks: tuple[tuple[float, int], ...]   # (y, count)
    legend: tuple[tuple[str, str], ...]    # (colour, label)
    bar_width: float


def status_chart(catalog: Catalog, width: int = 640, height: int = 240, language: str | None = None) -> Chart:
    """Claims by incident year, stacked by status: geometry for the SVG in templates/home.md.j2; the
    ratings' labels in `language` (a site language) where ratings.yml translates them."""
    years = sorted({c.year for c in catalog.claims})
    if years:
        years = [str(y) for y in range(int(years[0]), int(years[-1]) + 1)]
    counts = Counter((c.year, c.status.id) for c in catalog.claims)
    totals = Counter(c.year for c in catalog.claims)
    top = max(totals.values(), default=1)
    left, bottom, plot_h = 40, 30, height - 50
    slot = (width - left - 10) / max(len(years), 1)
    bar_w = max(min(slot * 0.7, 48), 1)
    bars = []
    for i, year in enumerate(years):
        y: float = height - bottom
        for rating in catalog.ratings:
            n = counts.get((year, rating.id), 0)
            if n:
                h = plot_h * n / top
                y -= h
                bars.append(Bar(round(left + i * slot + (slot - bar_w) / 2, 2), round(y, 2), round(h, 2),
                                rating.color, f"{year}: {n} {rating.label_in(language)}"))
    step = max(1, -(-top // 4))
    ticks = tuple((round(height - bottom - plot_h * t / top, 2), t) for t in range(0, top + 1, step))
    label_every = max(1, -(-len(years) // 12))
    labels = tuple((round(left + i * slot + slot / 2, 2), year) for i, year in enumerate(years) if i % label_every == 0)
    used = {c.status.id for c in catalog.claims}
    legend = tuple((r.color, r.label_in(language)) for r in catalog.ratings if r.id in used)
    return Chart(width, height, tuple(bars), labels, ticks, legend, round(bar_w, 2))
