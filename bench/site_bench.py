"""Benchmark the site build: the render step (check, model, templates, write) and the MkDocs build.

    python bench/site_bench.py                  # N = 1,000 and 10,000
    python bench/site_bench.py --sizes 1000

For each N, synthetic claims (bench/synth.py) go into a temporary copy of this project's site
sources. Prints a Markdown table: render step (cold, then again with nothing changed), files
written, MkDocs build time, the largest HTML page, the search index and the largest data file.
The render step is `build`'s generation: cold (no cache), again with nothing changed, and after one
claim's title changed.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import REPO, make_project, print_table  # noqa: E402

sys.path.insert(0, str(REPO))
from claimpress import render  # noqa: E402
from claimpress.build import generate  # noqa: E402


def render_step(root: Path) -> tuple[float, int]:
    """The build's generation step, as `build` runs it (check, model, render, write): (seconds, files written)."""
    start = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()):
        generated = generate(root)
    assert generated.changes is not None, "the synthetic claims did not pass check"
    return time.perf_counter() - start, len(generated.changes.written)


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
            time.sleep(2.1)  # inputs younger than two seconds are never trusted by the build stamp
            cold, cold_written = render_step(root)
            warm, warm_written = render_step(root)
            claim = sorted((root / "claims").glob("*.md"))[n // 2]
            claim.write_text(claim.read_text().replace("title: Allegation", "title: Edited allegation", 1))
            one, one_written = render_step(root)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir",
                            str(root / "site")], cwd=root, check=True,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
            mkdocs = time.perf_counter() - start
            site = root / "site"
            page_size, page = largest(site, "*.html")
            index_size = (site / "search" / "search_index.json").stat().st_size
            table_size = (site / "data" / "claims-index.json").stat().st_size
            data_size, data = largest(site / "data", "*")
            rows.append(f"| {n:,} | {cold:.1f} s ({cold_written:,} files) | {warm:.2f} s ({warm_written} written) | "
                        f"{one:.1f} s ({one_written} written) | {mkdocs:.0f} s | {cold / mkdocs:.0%} | "
                        f"{page_size / 1024:.0f} KB ({page}) | {index_size / 1024 / 1024:.1f} MB | "
                        f"{table_size / 1024:.0f} KB | {data_size / 1024 / 1024:.1f} MB ({data}) |")
    print_table(["claims", "render step, cold", "nothing changed", "one claim changed", "MkDocs build",
                 "render / MkDocs", "largest HTML page", "search index", "table data (all-claims page)",
                 "largest download"], rows)


if __name__ == "__main__":
    main()
