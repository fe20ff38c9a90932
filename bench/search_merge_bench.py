"""How long merging a built site's search parts takes (claimpress/search/merge.py), and its peak memory.

    python bench/search_merge_bench.py PROJECT [--runs 3]

PROJECT is a project built with `build_claims.py build` whose search index was made in parts: the
parts' bundles are the ones its search cache keeps (.cache/claimpress/search/). Each run merges them
into a new folder in a child process, timed from outside (wall and processor seconds, peak memory);
prints the medians and the largest peak. Builds nothing itself: make the project with
bench/synth.py (bench/anchor_bench.py --keep leaves its projects).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_bench import REPO, measured  # noqa: E402

MERGE = """
import glob, sys
sys.path.insert(0, sys.argv[1])
from claimpress.search.merge import merge_bundles
merge_bundles(sorted(glob.glob(sys.argv[2] + "/*/")), sys.argv[3])
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    parts = args.project / ".cache" / "claimpress" / "search"
    if len(list(parts.glob("*/pagefind-entry.json"))) < 2:
        sys.exit(f"{parts} holds fewer than two parts' bundles: build the project first, large enough for parts")
    runs = []
    with tempfile.TemporaryDirectory(dir=args.project) as top:
        for run in range(args.runs):
            runs.append(measured([sys.executable, "-c", MERGE, str(REPO), str(parts), f"{top}/merged-{run}"]))
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1].ru_utime + r[1].ru_stime for r in runs)
    print(f"{len(list(parts.iterdir()))} parts merged: {wall:.1f} s wall, {cpu:.1f} s processor (median of "
          f"{args.runs}), peak {max(r[2] for r in runs) / 2**20:,.0f} MiB")


if __name__ == "__main__":
    main()
