"""Is the site the same? Builds one set of claims with this checkout and with another git revision of
claimpress, and compares the two sites byte for byte.

    python bench/same_site.py --ref 1e41a56                  # the sample claims and 1,000 synthetic ones
    python bench/same_site.py --ref HEAD~3 --synthetic 0     # the sample claims only
    python bench/same_site.py --ref HEAD --env CLAIMPRESS_FULL_PAGES=1   # an optimisation switched off here

For a restructuring that must change nothing a reader gets. The other revision is exported with
`git archive` into a temporary folder; each build runs with its own revision's code first on the
path. Exit 0 when every site is the same, 1 with the differing files listed otherwise.
"""
from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from synth import make_project  # noqa: E402

SOURCES = ("docs", "templates", "overrides", "mkdocs.yml", "CONTRIBUTING.md")
GENERATED = {"_snippets", "data", "browse", "schema", "claims", "claims.atom", "corrections.atom"}  # not copied


def export(ref: str, into: Path) -> Path:
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def build(code: Path, claims: Path, where: Path, env: dict[str, str], per_index: int | None = None) -> Path:
    """The site of `claims` built by the claimpress in `code`, from `code`'s own site sources."""
    where.mkdir(parents=True)
    for name in SOURCES:
        source = code / name
        if source.is_dir():
            generated = GENERATED if name == "docs" else set()
            shutil.copytree(source, where / name, ignore=lambda folder, names, top=source, left_out=generated: [
                n for n in names if Path(folder) == top and n in left_out])
        elif source.exists():
            shutil.copy(source, where / name)
    shutil.copytree(claims, where / "claims")
    if per_index:  # the search index in parts, as a large site's is
        config = (where / "mkdocs.yml").read_text()
        (where / "mkdocs.yml").write_text(config.replace("  claimpress:\n",
                                                         f"  claimpress:\n    pages_per_search_index: {per_index}\n", 1))
    if (code / "claimpress").is_dir() and not (where / "claimpress").exists():
        (where / "claimpress").symlink_to(code / "claimpress")  # an older revision names its hooks file by path
    run_env = {**os.environ, **env, "PYTHONPATH": str(code)}
    done = subprocess.run([sys.executable, str(code / "build_claims.py"), "build"], cwd=where, env=run_env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"build with {code} failed:\n{done.stderr[-3000:]}")
    return where / "site"


def differences(a: Path, b: Path) -> list[str]:
    out: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        out.extend(f"only in the other revision's: {prefix}{n}" for n in cmp.left_only)
        out.extend(f"only in this checkout's: {prefix}{n}" for n in cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        out.extend(f"differs: {prefix}{n}" for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(a, b), "")
    return sorted(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", required=True, help="the git revision to compare this checkout with")
    parser.add_argument("--synthetic", type=int, default=1000, help="synthetic claims (0: none)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="set for this checkout's build only (an optimisation switched off)")
    parser.add_argument("--pages-per-search-index", type=int, help="index the search in parts of this many pages")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and say where")
    args = parser.parse_args()
    env = dict(item.split("=", 1) for item in args.env)
    top = Path(tempfile.mkdtemp(prefix="same-site-"))
    try:
        other = export(args.ref, top / "other")
        sets = {"sample claims": REPO / "claims"}
        if args.synthetic:
            sets[f"{args.synthetic:,} synthetic claims"] = make_project(top / "synthetic", args.synthetic) / "claims"
        failed = False
        for name, claims in sets.items():
            key = name.split()[0]
            theirs = build(other, claims, top / f"{key}-other", {}, args.pages_per_search_index)
            ours = build(REPO, claims, top / f"{key}-this", env, args.pages_per_search_index)
            found = differences(theirs, ours)
            files = sum(1 for p in ours.rglob("*") if p.is_file())
            print(f"{name}: {files:,} files, " + ("the same" if not found else f"{len(found)} differ"))
            for line in found[:40]:
                print("  " + line)
            failed = failed or bool(found)
        return 1 if failed else 0
    finally:
        if args.keep:
            print(f"kept {top}")
        else:
            shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
