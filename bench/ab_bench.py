"""Two revisions of claimpress, step by step on the same claims, runs alternating: is one slower?

    python bench/ab_bench.py --ref 1e41a56                 # 10,000 claims, 3 rounds
    python bench/ab_bench.py --ref HEAD~1 --sizes 1000 --rounds 5

The machine these figures come from is shared and its speed drifts by a third within an hour (a
bare YAML parse of the same files took 6.4 s in one run of scale_bench.py and 8.4 s in the next), so
two separate runs of the scale benchmark cannot compare revisions. Here each step of the build runs
once with the other revision (`--ref`, exported with git archive) and once with this checkout, in
turn, `--rounds` times, each in a project of its own made from the same synthetic claims; the table
gives the median of each and their ratio, with a bare parse of the same front matter as a yardstick
of the machine. Steps: a cold check (no cache), a check after one claim changed, the render step
after that check (cold), the render step with nothing changed and after one claim changed, and the
site build (MkDocs with the revision's own way of indexing the search: its hooks, or finish-site).
"""
from __future__ import annotations

import argparse
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from scale_bench import BARE_PARSE, run, site_sources  # noqa: E402
from synth import make_project  # noqa: E402

RENDER = ("import sys; from pathlib import Path; sys.path.insert(0, sys.argv[2]); "
          "from claimpress.build import generate; sys.exit(0 if generate(Path(sys.argv[1])).changes is not None else 1)")


def export(ref: str, into: Path) -> Path:
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def project(code: Path, claims: Path, where: Path) -> Path:
    """A project of `claims` with the site sources of the revision in `code`."""
    where.mkdir(parents=True)
    site_sources(where, code)
    shutil.copytree(claims, where / "claims")
    return where


def site_build(code: Path, root: Path, site: Path) -> list[str]:
    """The site build as the revision's `build` runs it after the render step."""
    py, folder = shlex.quote(sys.executable), shlex.quote(str(site))
    finish = ""
    if (code / "claimpress" / "search").is_dir():  # the search index runs after MkDocs (finish-site)
        finish = f" && {py} {shlex.quote(str(code / 'build_claims.py'))} finish-site --site-dir {folder}"
    return ["sh", "-c", f"cd {shlex.quote(str(root))} && {py} -m mkdocs build --strict --site-dir {folder}{finish}"]


def _timed(times: dict[tuple[str, str], list[float]], step: str, side: str, command: list[str],
           cwd: Path | None = None) -> None:
    times.setdefault((step, side), []).append(run(command, cwd=cwd)[0])


def edit(root: Path, which: int, label: str) -> None:
    claim = sorted((root / "claims").glob("*.md"))[which]
    claim.write_text(claim.read_text().replace("title: Allegation", f"title: {label} allegation", 1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", required=True, help="the other revision")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    top = Path(tempfile.mkdtemp(prefix="ab-bench-"))
    try:
        codes = {"before": export(args.ref, top / "before"), "after": REPO}
        for n in args.sizes:
            claims = make_project(top / f"claims-{n}", n) / "claims"
            times: dict[tuple[str, str], list[float]] = {}
            timed = partial(_timed, times)
            for number in range(args.rounds):
                for side in (("before", "after") if number % 2 == 0 else ("after", "before")):
                    code = codes[side]
                    root = project(code, claims, top / f"{side}-{n}-{number}")
                    cli = [sys.executable, str(code / "build_claims.py")]
                    timed("bare C parse", side, [sys.executable, "-c", BARE_PARSE, str(root)])
                    timed("check, cold", side, [*cli, "check"], root)
                    edit(root, n // 2, "Changed")
                    subprocess.run(["sleep", "2.1"], check=True)  # racily clean: see cache.keys.RACY_NS
                    timed("check, one changed", side, [*cli, "check"], root)
                    timed("render, cold (after check)", side, [sys.executable, "-c", RENDER, str(root), str(code)])
                    subprocess.run(["sleep", "2.1"], check=True)
                    timed("render, nothing changed", side, [sys.executable, "-c", RENDER, str(root), str(code)])
                    edit(root, n // 2 + 1, "Corrected")
                    subprocess.run(["sleep", "2.1"], check=True)
                    timed("render, one changed", side, [sys.executable, "-c", RENDER, str(root), str(code)])
                    timed("site build (MkDocs and search)", side, site_build(code, root, root / "site"))
                    shutil.rmtree(root, ignore_errors=True)
            print(f"\n{n:,} claims, {args.ref} (before) against this checkout (after), medians of {args.rounds} "
                  f"alternating runs:\n\n| step | before | after | after / before |\n|---|---:|---:|---:|")
            for step in dict.fromkeys(s for s, _ in times):
                before, after = statistics.median(times[step, "before"]), statistics.median(times[step, "after"])
                print(f"| {step} | {before:.2f} s | {after:.2f} s | {after / before:.2f} |")
        return 0
    finally:
        shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
