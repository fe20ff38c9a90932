"""The tables and notes of bench/map_bench.py: what the page downloaded, by part and by file (each file
compressed as a web server would send it), and the medians of its rounds."""
from __future__ import annotations

import functools
import gzip
import re
import statistics
from pathlib import Path
from typing import Any

from synth import print_table

try:
    import brotli  # type: ignore[import-not-found]
except ImportError:
    brotli = None

# What each file the page loads is, by its path, first match wins; the per-file table says the rest.
PARTS = (("map library", re.compile(r"maplibre|topojson", re.I)),
         ("base map", re.compile(r"world-atlas|base-?map|countries|/land", re.I)),
         ("search", re.compile(r"pagefind", re.I)),
         ("data", re.compile(r"\.(geo)?json$|\.pbf$|\.csv$|/data/", re.I)),
         ("page", re.compile(r"(/|\.html)$")),
         ("claimpress scripts and styles", re.compile(r"/assets/claimpress/")),
         ("theme", re.compile(r"/assets/|\.woff2?$")))
FINGERPRINT = re.compile(r"\.[0-9a-f]{8}\.")  # the theme's in its files' names: shown as *, as in docs (no hashes)
PHASES = ("still", "panning", "zooming", "filtering")


@functools.cache
def sizes(path: str) -> tuple[int, int, int | None]:
    """Bytes of the file: as it is, gzip-compressed at level 6, brotli at quality 6 (None without brotli)."""
    data = Path(path).read_bytes()
    return len(data), len(gzip.compress(data, 6, mtime=0)), len(brotli.compress(data, quality=6)) if brotli else None


def part(path: str) -> str:
    return next((name for name, pattern in PARTS if pattern.search(path.split("?")[0])), "other")


def attributed(entry: dict[str, Any] | None) -> str:
    """A long animation frame in words: its length, and its longest scripts' files, functions and callers."""
    if not entry:
        return "none over 50 ms"
    scripts = "; ".join(f"{s['duration']:.0f} ms in {s['source'].rsplit('/', 1)[-1] or '?'}"
                        f"{':' + s['function'] if s['function'] else ''} ({s['invoker'].rsplit('/', 1)[-1] or '?'})"
                        for s in entry["scripts"])
    return FINGERPRINT.sub(".*.", f"{entry['duration']:.0f} ms (blocking {entry['blocking']:.0f} ms): {scripts or 'no script'}")


def kb(n: float | None) -> str:
    return "-" if n is None else f"{n / 1000:,.0f} KB"


def download(files: list[tuple[str, str]]) -> dict[str, list[int | None]]:
    """Bytes by part: [as they are, gzip, brotli or None]."""
    total: dict[str, list[int | None]] = {}
    for path, name in files:
        for_part = total.setdefault(part(path), [0, 0, 0 if brotli else None])
        for i, size in enumerate(sizes(name)):
            for_part[i] = None if size is None else (for_part[i] or 0) + size
    return total


def summary_row(n: int, rounds: list[dict[str, Any]]) -> str:
    """One row of the first table: medians over the rounds."""
    def median_of(values: list[float], unit: str, spread: bool = False) -> str:
        if not values:
            return "-"
        text = f"{statistics.median(values):,.0f}{unit}"
        return text + (f" ({min(values):,.0f}-{max(values):,.0f})" if spread and len(values) > 1 else "")

    totals = [download(r["download"]) for r in rounds]
    cells = [f"{n:,}", median_of([sum(t[1] or 0 for t in total.values()) / 1000 for total in totals], " KB"),
             median_of([sum(t[2] or 0 for t in total.values()) / 1000 for total in totals], " KB") if brotli else "-"]
    states = sorted({r["state"] for r in rounds} - {"ready"})
    cells.append(median_of([r["first frame"] for r in rounds if r["state"] == "ready"], " ms", spread=True)
                 + (f" (also: {', '.join(states)})" if states else ""))
    cells.append(median_of([r["downloads done"] for r in rounds if r["state"] == "ready"], " ms"))
    for phase in PHASES:
        done = [r[phase] for r in rounds if phase in r]
        cells.append(f"{median_of([d['max'] for d in done], '')} / {median_of([d['p95'] for d in done], ' ms')}")
    loaf = [[r[phase]["loaf"] for r in rounds if phase in r and r[phase]["loaf"] is not None] for phase in PHASES]
    cells += [" / ".join(f"{max(each):.0f}" if each else "-" for each in loaf) + " ms",
              str(max(len(r["foreign"]) for r in rounds))]
    return "| " + " | ".join(cells) + " |"


def notes_on(n: int, rounds: list[dict[str, Any]]) -> list[str]:
    said = [f"request to another host: {url}" for url in sorted({url for r in rounds for url in r["foreign"]})]
    said += [f"console error: {error}" for error in sorted({e for r in rounds for e in r["errors"]})][:10]
    later = sorted({path for r in rounds for path, _ in r["later"]})
    said += [f"loaded after the first frame, not counted above: {', '.join(later)}"] if later else []
    for phase in ("loading", *PHASES):
        entries = [r[phase]["longest"] for r in rounds if phase in r and r[phase]["longest"]]
        said.append(f"longest animation frame {'before the first frame' if phase == 'loading' else phase}: "
                    + attributed(max(entries, key=lambda entry: entry["duration"], default=None)))
    blocking = [r["loading"]["blocking"] for r in rounds if "loading" in r]
    said += [f"main thread blocked before the first frame: {statistics.median(blocking):,.0f} ms (median)"] if blocking else []
    browser = sorted({name for r in rounds for name in r["browser"]})
    said += [f"asked by the browser itself, not the page (not counted): {', '.join(browser)}"] if browser else []
    return [f"{n:,} claims: {line}" for line in said]


def report(results: dict[int, list[dict[str, Any]]], notes: list[str]) -> None:
    rounds = len(next(iter(results.values())))
    print(f"\nMedians of {rounds} rounds, each in a new browser; frames: longest / 95th percentile:\n")
    print_table(["claims", "download, gzip", "brotli", "first frame (range)", "its files in by", *PHASES,
                 f"longest animation frames ({' / '.join(PHASES)})", "requests to other hosts"],
                [summary_row(n, rounds) for n, rounds in results.items()])
    parts = {n: download(rounds[0]["download"]) for n, rounds in results.items()}
    order = [name for name, _ in PARTS] + ["other"]
    print("\nDownload by part, gzip (as served), one round:\n")
    print_table(["part", *(f"{n:,} claims" for n in parts)],
                [f"| {name} | " + " | ".join(f"{kb(parts[n][name][1])} ({kb(parts[n][name][0])})" if name in parts[n]
                                              else "-" for n in parts) + " |"
                 for name in order if any(name in total for total in parts.values())])
    for n, rounds in results.items():
        files = sorted(set(rounds[0]["download"]), key=lambda file: -sizes(file[1])[1])
        print(f"\nFiles at {n:,} claims, one round:\n")
        print_table(["file", "part", "as served", "gzip", "brotli"],
                    [f"| {FINGERPRINT.sub('.*.', path)} | {part(path)} | " + " | ".join(kb(size) for size in sizes(name)) + " |"
                     for path, name in files])
        notes += notes_on(n, rounds)
    print("\n" + "\n".join(f"- {note}" for note in notes))
