"""One clean build of N synthetic claims: its time, peak memory, and the site's size and files.

    python bench/build_once.py [--claims 1000 10000 50000] [--keep DIR] [--no-search]

For each N, a new project (bench/synth.py's claims with this checkout's site sources) is built once
with `build_claims.py build`, no cache, timed from outside (scale_bench.measured: wall and processor
seconds of the whole process tree, peak memory of all its processes); then the site's bytes and
files, in all and by top folder. For the figures of target sizes (what a host takes), not for
ratios: bench/anchor_bench.py compares with Hugo + Pagefind.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from languages_bench import project_sources  # noqa: E402
from scale_bench import REPO, measured  # noqa: E402
from synth import make_project  # noqa: E402


def sizes(site: Path) -> tuple[int, int, dict[str, int]]:
    """Bytes and files of the site, and bytes by top folder (or file)."""
    total = files = 0
    tops: dict[str, int] = {}
    for folder, _, names in os.walk(site):
        for name in names:
            size = os.stat(os.path.join(folder, name)).st_size
            total, files = total + size, files + 1
            top = os.path.relpath(os.path.join(folder, name), site).split(os.sep)[0]
            tops[top] = tops.get(top, 0) + size
    return total, files, tops


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--keep", type=Path, help="make the projects in this folder and leave them there")
    parser.add_argument("--no-search", action="store_true", help="build --no-search (the pull-request workflow's)")
    args = parser.parse_args()
    top = args.keep or Path(tempfile.mkdtemp(prefix="claimpress-build-once-"))
    print("| claims | wall | processor | peak memory | site | files | largest folders |\n|---:|---:|---:|---:|---:|---:|---|")
    try:
        for n in args.claims:
            root = make_project(top / f"claims-{n}", n)
            project_sources(root)
            wall, usage, peak = measured([sys.executable, str(REPO / "build_claims.py"), "--root", str(root), "build",
                                          *(["--no-search"] if args.no_search else [])])
            total, files, tops = sizes(root / "site")
            largest = ", ".join(f"{name} {size / 1e6:,.0f} MB" for name, size in
                                sorted(tops.items(), key=lambda item: -item[1])[:4])
            print(f"| {n:,} | {wall:.1f} s | {usage.ru_utime + usage.ru_stime:.1f} s | {peak / 2**20:,.0f} MiB | "
                  f"{total / 1e6:,.1f} MB | {files:,} | {largest} |", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    main()
