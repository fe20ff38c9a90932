"""Realistic synthetic claims for benchmarks: about 25 fields, 3-6 evidence items, a 300-800 word body.

The body is prose-like for a search index: paragraphs of words drawn by Zipf's law from a
vocabulary of 30,000 (the k-th most common word is k times rarer than the first), as in real text.
Until 2026-11-30 it drew evenly from 50 words, so that every word was on every page: figures from
before then are not comparable for the search index (Pagefind took 30% less time and 45% less
memory on that text at 10,000 claims).

Each claim has coordinates: by default uniform random ones (latitude within 60 degrees of the
equator, longitude within 120 of the meridian, precision "town"); with `places`, gathered around
that many places as real incidents are (`Places`).

Deterministic for a given N and seed. Writes a whole project (claims/ with its registries) into a
folder you name; never into the repository's own claims/.
"""
from __future__ import annotations

import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORDS = ("the report said that witnesses saw aircraft over the town before the strike hit a market "
         "school hospital residential area near the front line according to local officials and rescuers "
         "who counted casualties while satellite images taken days later showed craters and burned "
         "buildings consistent with the weapons described by investigators").split()


def zipf_words(size: int = 30000, seed: int = 7) -> list[str]:
    """A list to draw words from: the words above first (the most common), then made-up words of 1 to
    4 syllables, the k-th of them repeated in proportion to 1/k."""
    rng = random.Random(seed)
    syllables = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
    words, seen = list(dict.fromkeys(WORDS)), set(WORDS)
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.choice((1, 2, 2, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return [word for k, word in enumerate(words) for _ in range(max(1, 60000 // (k + 1)))]


PROSE = zipf_words()
COUNTRIES = ["SY", "UA", "IQ", "YE", "LY", "SD", "AF", "SO", "ML", "MM"]
KINDS = ["media-report", "ngo-report", "un-report", "investigation", "video", "photo", "official-statement"]


def write_registries(claims: Path, parties: int = 60) -> list[str]:
    claims.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "claims" / "ratings.yml", claims / "ratings.yml")
    shutil.copy(REPO / "claims" / "categories.yml", claims / "categories.yml")
    ids = [f"party-{i}" for i in range(parties)]
    lines = []
    for i, pid in enumerate(ids):
        lines += [f"{pid}:", f"  name: Party number {i}", "  kind: " + ("government" if i % 3 else "ngo"),
                  f"  country: {COUNTRIES[i % len(COUNTRIES)]}"]
        if i >= 10:
            lines.append(f"  parent: party-{i % 10}")
    (claims / "parties.yml").write_text("\n".join(lines) + "\n")
    return ids


# Where the claims happen with `places`: each country's middle and how far its places spread (degrees).
REGIONS = {"SY": (35.0, 38.5, 1.5), "UA": (48.5, 32.0, 3.0), "IQ": (33.0, 44.0, 2.0), "YE": (15.5, 47.0, 2.0),
           "LY": (28.0, 17.0, 3.0), "SD": (14.0, 30.0, 3.0), "AF": (34.0, 66.0, 2.0), "SO": (5.0, 46.0, 2.5),
           "ML": (16.0, -2.0, 3.0), "MM": (20.0, 96.0, 2.5)}
# How exactly the claims place their incidents, in shares; with the degrees of jitter around the place and
# the decimals written: a town's claims share the town's point, a country's its middle.
PRECISION_MIX = (("exact", 0.15, 0.05, 5), ("neighbourhood", 0.15, 0.01, 4), ("town", 0.35, 0.0, 3),
                 ("district", 0.15, 0.2, 2), ("province", 0.1, 0.0, 1), ("country", 0.1, 0.0, 1))


class Places:
    """Incidents gathered around `count` places in the countries of REGIONS, a few places with most of
    them (the k-th place k times rarer than the first, as a besieged city against a village), at mixed
    precisions; one exact claim in ten is published only to its town (`publish_precision`). Its own
    random streams, so that the claims' other fields are those of the uniform claims."""

    def __init__(self, count: int, seed: int) -> None:
        rng = random.Random(f"places-{seed}")
        self.places = []
        for _ in range(count):
            country = rng.choice(COUNTRIES)
            lat, lon, spread = REGIONS[country]
            self.places.append((country, lat + rng.gauss(0, spread), lon + rng.gauss(0, spread)))
        self.weights = [1 / (k + 1) for k in range(count)]
        self.rng = random.Random(f"claims-at-places-{seed}")

    def incident(self) -> tuple[str, list[str]]:
        """(country, lines of the incident's position) of the next claim."""
        rng = self.rng
        country, lat, lon = rng.choices(self.places, self.weights)[0]
        precision, _, jitter, decimals = rng.choices(PRECISION_MIX, [mix[1] for mix in PRECISION_MIX])[0]
        if precision == "country":
            lat, lon, _ = REGIONS[country]
        lat, lon = lat + rng.uniform(-jitter, jitter), lon + rng.uniform(-jitter, jitter)
        lines = [f"  coordinates: [{lat:.{decimals}f}, {lon:.{decimals}f}]", f"  precision: {precision}"]
        if precision == "exact" and rng.random() < 0.1:
            lines.append("  publish_precision: town")
        return country, lines


def claim_text(i: int, n: int, rng: random.Random, parties: list[str], places: Places | None = None) -> str:
    cid = f"synthetic-claim-{i:06d}"
    year = 2010 + rng.randrange(14)
    month, day = rng.randrange(1, 13), rng.randrange(1, 28)
    claimant, accused = rng.sample(parties, 2)
    evidence = []
    for j in range(rng.randrange(3, 7)):
        evidence.append("\n".join([
            f"  - title: Report {j} on the attack near town {i}",
            f"    publisher: Publisher {rng.randrange(40)}",
            f"    url: https://example.org/{cid}/{j}",
            f"    archive_url: https://web.archive.org/web/{year}/https://example.org/{cid}/{j}",
            f"    published: {year}-{month:02d}-{day:02d}",
            f"    kind: {rng.choice(KINDS)}",
            f"    stance: {rng.choice(['supports', 'context', 'refutes'])}",
            f"    note: Source {j} describes the scene and the reported weapon.",
        ]))
    words = [rng.choice(PROSE) for _ in range(rng.randrange(300, 800))]
    cuts = list(range(0, len(words), 80))  # paragraphs of 80 words
    body = "\n\n".join(" ".join(words[at:at + 80]).capitalize() + "." for at in cuts)
    country = rng.choice(COUNTRIES)
    position = [f"  coordinates: [{rng.uniform(-60, 60):.4f}, {rng.uniform(-120, 120):.4f}]", "  precision: town"]
    if places:
        country, position = places.incident()
    return "\n".join([
        "---",
        f"id: {cid}",
        f"title: Allegation {i} of an attack with banned weapons near town {i}",
        "claim: >-",
        f"  Forces of party {accused} attacked the market of town {i} with incendiary weapons, killing civilians.",
        f"claimant: {claimant}",
        f"spokesperson: Spokesperson {i}",
        f"accused: [{accused}]",
        f"claimed_on: {year}-{month:02d}-{day:02d}",
        "incident:",
        f"  date: {year}-{month:02d}-{day:02d}",
        f"  location: Market of town {i}, province {i % 30}",
        f"  country: {country}",
        *position,
        f"  killed: {{min: {rng.randrange(5)}, max: {5 + rng.randrange(20)}}}",
        f"  injured: {{min: {rng.randrange(10)}}}",
        f"categories: [{rng.choice(['white-phosphorus', 'incendiary-weapons', 'cluster-munitions', 'barrel-bombs'])}]",
        f"status: {rng.choice(['unverified', 'single-source'])}",
        "verdict: >-",
        "  The sources cited do not allow an independent assessment yet; the claimant's account is the main support.",
        "evidence:",
        *evidence,
        "responses:",
        f"  - party: {accused}",
        f"    date: {year}-{month:02d}-{day:02d}",
        "    stance: denied",
        "    summary: The accused denied carrying out the attack.",
        "updates:",
        "  - date: 2024-01-01",
        "    note: First published.",
        f"related: [synthetic-claim-{(i + 1):06d}]" if i % 2 == 0 and i + 1 < n else "related: []",
        f"tags: [tag-{i % 20}]",
        "published: 2024-01-01",
        # Claims change on different days, as real ones do (each day a page's own date: the sitemap).
        f"updated: 2024-{2 + i % 10:02d}-{1 + i % 28:02d}",
        "authors: [Editorial team]",
        "---",
        body,
        "",
    ])


def make_project(root: Path, n: int, seed: int = 1, places: int = 0) -> Path:
    """Write a project with `n` synthetic claims into `root` and return it; with `places`, the
    claims happen around that many places (`Places`), else anywhere."""
    rng = random.Random(seed)
    claims = root / "claims"
    parties = write_registries(claims)
    where = Places(places, seed) if places else None
    for i in range(n):
        (claims / f"synthetic-claim-{i:06d}.md").write_text(claim_text(i, n, rng, parties, where))
    return root


def print_table(headers: list[str], rows: list[str]) -> None:
    """A Markdown table: the header, right-aligned columns, and the rows (already formatted)."""
    print("| " + " | ".join(headers) + " |")
    print("|" + "---:|" * len(headers))
    print("\n".join(rows))
