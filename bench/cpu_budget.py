"""Where the whole build's processor time goes at N claims, and the fastest it could be on this machine.

    python bench/cpu_budget.py                  # N = 10,000
    python bench/cpu_budget.py --sizes 1000 10000

Target 7 of the scale issue compares the wall time of the whole build (render step + MkDocs,
Pagefind included) with Hugo's. Wall time on a shared machine swings; processor time (user +
system, of each step's process and its children) says more: however well the steps were spread
over the cores, the build cannot take less than its processor time divided by the cores.

For each N, a temporary project of synthetic claims (bench/synth.py) is built step by step:
the render step, `mkdocs build` (which runs Pagefind), Pagefind again alone over the built site
(in the parts the build makes: claimpress/search/), Pagefind over text-only copies of
what it indexes (a page with just the title, the text and the filters: the least any Pagefind
index of these claims could read), and Hugo over the same pages.
Prints one Markdown table: wall and processor seconds of each, and the lower bound.
"""
from __future__ import annotations

import argparse
import html
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_bench import RENDER, hugo_build, measured, pagefind_in_parts, site_sources  # noqa: E402
from synth import REPO, make_project, print_table  # noqa: E402


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """(wall seconds, processor seconds of the process and the children it waited for)."""
    seconds, usage, _ = measured(command, cwd)
    return seconds, usage.ru_utime + usage.ru_stime


def in_parts(site: Path, aside: Path) -> tuple[float, float]:
    """(wall seconds, processor seconds) of Pagefind over `site`, in the parts the build makes, the
    bundles already there moved into `aside`."""
    seconds, usage, _ = pagefind_in_parts(site, aside)
    return seconds, usage.ru_utime + usage.ru_stime


def text_only_copies(site: Path, out: Path) -> None:
    """For each page Pagefind indexes: a page with only the indexed part's title, words and filters."""
    for page in site.rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        if "data-pagefind-body" not in text:
            continue
        body = text.split("data-pagefind-body", 1)[1]
        title = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
        filters = "".join(re.findall(r'<[a-z]+ data-pagefind-filter="[^"]+"[^>]*>.*?</[a-z]+>', body, re.S))
        words = html.escape(html.unescape(" ".join(re.sub(r"<[^>]+>", " ", body).split())))
        copy = out / page.relative_to(site)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(f'<html lang="en"><body data-pagefind-body><h1>{title.group(1) if title else ""}</h1>'
                        f"<p>{words}</p>{filters}</body></html>", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    rows = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="claimpress-cpu-") as tmp:
            root = make_project(Path(tmp), n)
            site_sources(root)
            subprocess.run([sys.executable, str(REPO / "build_claims.py"), "--root", str(root), "check"],
                           capture_output=True)
            render = timed([sys.executable, "-c", RENDER, str(root), str(REPO)])
            mkdocs = timed([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(root / "site")],
                           cwd=root)
            pagefind = in_parts(root / "site", Path(tmp) / "bundles-of-the-build")
            text_only_copies(root / "site", Path(tmp) / "text-only")
            lean = in_parts(Path(tmp) / "text-only", Path(tmp) / "text-only-bundles")
            hugo = hugo_build(root)
            cpu = render[1] + mkdocs[1]
            rows.append(" | ".join([
                f"| {n:,}", *(f"{wall:.1f} s / {used:.1f} s" for wall, used in (render, mkdocs, pagefind, lean)),
                "-" if hugo is None else f"{hugo:.1f} s", f"{render[0] + mkdocs[0]:.1f} s", f"{cpu:.1f} s",
                f"{cpu / cores:.1f} s", f"{(cpu - pagefind[1]) / cores:.1f} s",
                "-" if hugo is None else f"{6 * hugo:.1f} s |"]))
            print(rows[-1], file=sys.stderr, flush=True)
    print(f"Wall / processor seconds (user + system, children included); {cores} cores; one run each.\n")
    print_table(["claims", "render step", "MkDocs build (with Pagefind)", "Pagefind alone", "Pagefind, text-only pages",
                 "Hugo (wall)", "render + MkDocs, wall", "render + MkDocs, processor",
                 "fastest possible: processor / cores", "same without Pagefind", "target: 6x Hugo"], rows)


if __name__ == "__main__":
    main()
