"""Benchmark the site build: the render step (check, model, templates, write) and the MkDocs build.

    python bench/site_bench.py                  # N = 1,000 and 10,000
    python bench/site_bench.py --sizes 1000

For each N, synthetic claims (bench/synth.py) go into a temporary copy of this project's site
sources. Prints a Markdown table: render step (cold, then again with nothing changed), files
written, MkDocs build time, the largest HTML page, the search index and the largest data file.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import REPO, make_project  # noqa: E402

sys.path.insert(0, str(REPO))
from claimpress import render, write  # noqa: E402
from claimpress.config import load_config  # noqa: E402
from claimpress.check import check_project  # noqa: E402
from claimpress.model import build_catalog  # noqa: E402


def render_step(root: Path) -> tuple[float, write.Changes]:
    start = time.perf_counter()
    result = check_project(root)
    assert not result.errors, result.errors[:3]
    files = render.render_site(build_catalog(result), root / "templates", load_config(root))
    changes = write.apply(root / "docs", render.GENERATED, files)
    return time.perf_counter() - start, changes


def largest(folder: Path, pattern: str) -> tuple[int, str]:
    sizes = [(p.stat().st_size, p.relative_to(folder).as_posix()) for p in folder.rglob(pattern)]
    return max(sizes) if sizes else (0, "-")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="claimpress-site-bench-") as tmp:
            root = make_project(Path(tmp), n)
            shutil.copytree(REPO / "docs", root / "docs", ignore=lambda d, names: [
                x for x in names if Path(d) == REPO / "docs" and x in render.GENERATED])
            shutil.copytree(REPO / "templates", root / "templates")
            shutil.copytree(REPO / "overrides", root / "overrides")
            shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
            shutil.copy(REPO / "CONTRIBUTING.md", root / "CONTRIBUTING.md")
            cold, changes = render_step(root)
            warm, unchanged = render_step(root)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir",
                            str(root / "site")], cwd=root, check=True,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
            mkdocs = time.perf_counter() - start
            site = root / "site"
            page_size, page = largest(site, "*.html")
            index_size = (site / "search" / "search_index.json").stat().st_size
            data_size, data = largest(site / "data", "*")
            rows.append(f"| {n:,} | {cold:.1f} s ({len(changes.written):,} files) | {warm:.1f} s "
                        f"({len(unchanged.written)} written) | {mkdocs:.0f} s | {cold / mkdocs:.0%} | "
                        f"{page_size / 1024:.0f} KB ({page}) | {index_size / 1024 / 1024:.1f} MB | "
                        f"{data_size / 1024:.0f} KB |")
    print("| claims | render step, cold | render step, nothing changed | MkDocs build | render / MkDocs | "
          "largest HTML page | search index | largest data file |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
