"""The search step alone over a built site, for several sizes of part: processor time and peak memory.

    python bench/search_parts_bench.py SITE [--parts-of 5000 1000 500]

SITE is a built site (a project's site/, built with `build_claims.py build`). For each size, its
pagefind/ is made again as the build makes it (claimpress/search/index.index_site: Pagefind over
parts of that many pages, as many at once as the cores and memory allow, then merged into one
bundle), with a new, empty search cache, in a child process timed from outside (scale_bench.measured:
wall and processor seconds, peak memory of the process tree). One run each, in the order given.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_bench import REPO, measured  # noqa: E402

INDEX = """
import sys
sys.path.insert(0, sys.argv[1])
from claimpress.search.index import index_site
index_site(sys.argv[2], sys.argv[3], int(sys.argv[4]), say=lambda text: None)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--parts-of", type=int, nargs="+", default=[5000, 1000, 500])
    args = parser.parse_args()
    print("| pages a part | wall | processor | peak memory |\n|---:|---:|---:|---:|")
    for size in args.parts_of:
        with tempfile.TemporaryDirectory() as project:  # no search cache: every part indexed
            shutil.rmtree(args.site / "pagefind", ignore_errors=True)
            wall, usage, peak = measured([sys.executable, "-c", INDEX, str(REPO), str(args.site), project, str(size)])
        print(f"| {size:,} | {wall:.1f} s | {usage.ru_utime + usage.ru_stime:.1f} s | {peak / 2**20:,.0f} MiB |",
              flush=True)


if __name__ == "__main__":
    main()
