"""Benchmark `check` against the floor: a bare parse of the same front matter with PyYAML's C loader.

    python bench/check_bench.py                 # N = 1,000 and 10,000, 3 runs each
    python bench/check_bench.py --sizes 2000 --runs 5

Each measurement is a fresh process (interpreter start and imports included, for both), timed
from outside, with its peak resident memory. Prints a Markdown table of medians: the cold check
(no cache) against the bare parse, and the check again after one claim changed (with the cache).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import REPO, make_project, print_table  # noqa: E402

BARE_PARSE = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1], "claims").glob("*.md")):
    text = path.read_text(encoding="utf-8")
    end = text.index("\\n---\\n", 4)
    yaml.load(text[4:end], Loader=yaml.CSafeLoader)
"""

MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def measure(command: list[str]) -> tuple[float, float, int]:
    """(seconds, peak MiB, exit code) of one run of `command` in its own process."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True)
    seconds, kib, code = out.stdout.split()
    return float(seconds), int(kib) / 1024, int(code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="claimpress-bench-") as tmp:
            root = make_project(Path(tmp), n)
            bare = [sys.executable, "-c", BARE_PARSE, str(root)]
            check = [sys.executable, str(REPO / "build_claims.py"), "--root", str(root), "check"]
            times: dict[str, list[float]] = {"bare": [], "check": []}
            peaks: dict[str, list[float]] = {"bare": [], "check": []}
            for _ in range(args.runs):  # interleaved, so that machine noise hits both alike
                for name, command in (("bare", bare), ("check", check)):
                    shutil.rmtree(root / ".cache", ignore_errors=True)  # cold: no cache from an earlier run
                    seconds, peak, code = measure(command)
                    if code != 0:
                        sys.exit(f"{name} failed with exit code {code} at N={n}")
                    times[name].append(seconds)
                    peaks[name].append(peak)
            # Again with the cache, after one claim changed (the others settled: older than two seconds).
            time.sleep(2.1)
            measure(check)
            claim = sorted((root / "claims").glob("*.md"))[n // 2]
            changed = []
            for i in range(args.runs):
                claim.write_text(claim.read_text().replace("title: Allegation", f"title: Edited {i} allegation", 1))
                seconds, peak, code = measure(check)
                changed.append(seconds)
            bare_s, check_s = statistics.median(times["bare"]), statistics.median(times["check"])
            rows.append(f"| {n:,} | {bare_s:.2f} s | {check_s:.2f} s | {check_s / bare_s:.2f}x | "
                        f"{1000 * check_s / n:.2f} ms | {max(peaks['check']):.0f} MiB | "
                        f"{statistics.median(changed):.2f} s |")
    print(f"`check` vs a bare PyYAML C-loader parse of the same front matter; median of {args.runs} runs\n")
    print_table(["claims", "bare C parse", "check, cold", "ratio", "check per claim", "check peak memory",
                 "check, one claim changed"], rows)


if __name__ == "__main__":
    main()
