"""What the build costs per added site language: the same claims and translations built with
`languages` [en], [en, ar] and [en, ar, uk].

    python bench/languages_bench.py                      # 10,000 claims, each translated into ar and uk
    python bench/languages_bench.py --claims 300 --translated 0.5 --runs 3

A synthetic project (bench/synth.py) of N claims, and for a share of them (--translated, every
claim by default) a translation `<id>.ar.md` and `<id>.uk.md` with every text field the claim has
translated (title, claim, spokesperson, location, verdict, each evidence note, response summary and
update note, the analysis), plus the registries' translations (every rating, category and party).
The "translations" are synthetic: each English word spelt letter by letter in Arabic or Cyrillic
letters, so the words, their Zipf distribution and the text's lengths are the claims', in the
target script (two bytes a letter in UTF-8, as real Arabic and Ukrainian text).

Each configuration builds its own copy of the project (the same claims and translation files; only
`extra.claimpress.languages` differs), with this checkout's site sources (the files git tracks in
docs/, templates/, overrides/, locale/), cold: no cache, no site. `build_claims.py build` runs
whole (generation, MkDocs, the sitemap split and Pagefind), timed from outside; its phases are
told apart by the lines it prints as each ends ("docs/: ...", MkDocs' "Documentation built",
"claimpress: search index: ..."), each line timestamped as it arrives, with the processor time
(user + system) of the build's whole process tree read from /proc at that moment. Then one Arabic
translation is edited (its title) and the build runs again in the same project: the warm rebuild
(search index parts from the cache; the old site deleted at the end, as for a user).

Counted in the built site: its pages (HTML files outside the search bundles and assets/) by their
`<html lang>`, so whichever pages exist in each language are counted, bytes of site/ and of the
search bundles (site/pagefind*), and the pages Pagefind indexed by language (each bundle's
pagefind-entry.json).

Medians of --runs (default 1: a 10,000-claim run builds three sites of up to 30,000 pages). With
more runs, each run starts with the next configuration, so that none always builds first: every
build but the very first follows the deletion of many files, which slows file creation on some
file systems (bench/README.md, "The file system"). Nothing is deleted until the end.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_bench import site_sources, tree_memory  # noqa: E402
from synth import REPO, make_project, print_table  # noqa: E402

CONFIGS: tuple[tuple[str, ...], ...] = (("en",), ("en", "ar"), ("en", "ar", "uk"))
SOURCES = ("docs", "templates", "overrides", "locale", "mkdocs.yml", "CONTRIBUTING.md")
TRANSLATED_ON = "2024-12-31"  # after every synthetic claim's `updated`: no translation-outdated warning
LETTERS = {
    "ar": dict(zip("abcdefghijklmnopqrstuvwxyz", "ابكدافغهيجكلمنوبقرستوفوكيز")),
    "uk": dict(zip("abcdefghijklmnopqrstuvwxyz", "абцдефгхійклмнопкрстуввкиз")),
}
# (the line that ends the phase, the phase's name): in the order the build prints them
PHASES = ((re.compile(r"^docs/: "), "generation"), (re.compile(r"Documentation built in"), "MkDocs"),
          (re.compile(r"^claimpress: search index: "), "sitemap + search index"))
LAST_PHASE = "rest (site swapped in)"
CLOCK = os.sysconf("SC_CLK_TCK")


def spelt(text: str, tag: str) -> str:
    """`text` with each Latin letter spelt in `tag`'s script (digits, spaces and punctuation kept)."""
    table = LETTERS[tag]
    out = "".join(table.get(c.lower(), c) for c in text)
    return out if tag == "ar" else out[:1].upper() + out[1:]  # Arabic has no capitals


# --- the project -----------------------------------------------------------------------------------

def front_matter(text: str) -> tuple[dict, str]:
    end = text.index("\n---\n", 4)
    return yaml.load(text[4:end], Loader=yaml.CSafeLoader), text[end + 5:]


def translation(claim: dict, body: str, tag: str) -> str:
    """A translation file of `claim` into `tag`: every text field the claim has, and the analysis."""
    fields: dict = {"translated": TRANSLATED_ON, "translators": [spelt("Translation desk", tag)]}
    for name in ("title", "claim", "spokesperson", "dates_note", "verdict"):
        if claim.get(name):
            fields[name] = spelt(claim[name], tag)
    if claim.get("incident", {}).get("location"):
        fields["incident"] = {"location": spelt(claim["incident"]["location"], tag)}
    for name, field in (("evidence", "note"), ("responses", "summary"), ("updates", "note")):
        if claim.get(name):
            fields[name] = [{field: spelt(item[field], tag)} if item.get(field) else {} for item in claim[name]]
    head = yaml.dump(fields, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{head}---\n{spelt(body, tag)}"


def translate_registries(claims: Path, tags: tuple[str, ...]) -> None:
    """Every rating, category and party translated into `tags` (the registries' own fields)."""
    path = claims / "ratings.yml"
    ratings = yaml.safe_load(path.read_text(encoding="utf-8"))
    for rating in ratings["ratings"]:
        rating["translations"] = {t: {"label": spelt(rating["label"], t),
                                      "description": spelt(rating["description"], t)} for t in tags}
    path.write_text(yaml.safe_dump(ratings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for name, keys in (("categories.yml", ("name", "description")), ("parties.yml", ("name",))):
        entries = yaml.safe_load((claims / name).read_text(encoding="utf-8"))
        for entry in entries.values():
            entry["translations"] = {t: {k: spelt(entry[k], t) for k in keys} for t in tags}
        (claims / name).write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")


def make_claims(folder: Path, n: int, share: float, tags: tuple[str, ...]) -> tuple[Path, list[Path]]:
    """claims/ of `n` synthetic claims, every 1/share-th translated into `tags` (evenly spread):
    the folder, and the translation files into tags[0]."""
    claims = make_project(folder, n) / "claims"
    translate_registries(claims, tags)
    originals = sorted(p for p in claims.glob("*.md") if "." not in p.stem)
    chosen = [p for i, p in enumerate(originals) if int((i + 1) * share) > int(i * share)]
    for path in chosen:
        claim, body = front_matter(path.read_text(encoding="utf-8"))
        for tag in tags:
            path.with_name(f"{path.stem}.{tag}.md").write_text(translation(claim, body, tag), encoding="utf-8")
    return claims, [p.with_name(f"{p.stem}.{tags[0]}.md") for p in chosen]


def project_sources(root: Path) -> None:
    """This checkout's site sources in `root`: the files git tracks (not what an earlier build
    generated, in whatever folder), and claimpress linked, first on MkDocs' path."""
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--", *SOURCES], capture_output=True)
    if listed.returncode != 0:  # not a git checkout: the scale benchmark's copy
        site_sources(root)
        if (REPO / "locale").is_dir():
            shutil.copytree(REPO / "locale", root / "locale")
        return
    for name in filter(None, listed.stdout.decode().split("\0")):
        if (REPO / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, root / name)
    (root / "claimpress").symlink_to(REPO / "claimpress")


def set_languages(root: Path, tags: tuple[str, ...]) -> None:
    """`languages: [...]` under extra: claimpress: in the project's mkdocs.yml, replacing any there."""
    path = root / "mkdocs.yml"
    config = re.sub(r"^    languages:.*\n(?:(?:      |    - ).*\n)*", "", path.read_text(encoding="utf-8"), flags=re.M)
    if "\n  claimpress:\n" not in config:
        sys.exit("mkdocs.yml has no `extra: claimpress:` section to set the languages in")
    path.write_text(config.replace("\n  claimpress:\n", f"\n  claimpress:\n    languages: [{', '.join(tags)}]\n", 1),
                    encoding="utf-8")


# --- measuring -------------------------------------------------------------------------------------

def tree_cpu(pid: int) -> float:
    """Processor seconds (user + system) used so far by process `pid` and its descendants, those
    already reaped included (their parents' cutime/cstime)."""
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                with open(f"/proc/{entry.name}/stat", encoding="utf-8", errors="replace") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()  # after the name, which may hold ")"
                stats[int(entry.name)] = fields
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        if current in stats:
            total += sum(int(v) for v in stats[current][11:15])  # utime stime cutime cstime
    return total / CLOCK


def build(root: Path) -> dict:
    """One `build_claims.py build` in `root`: wall and processor seconds, in all and by phase, and
    the peak memory of its processes together. Exits the benchmark if it fails."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(REPO / "build_claims.py"), "build"], cwd=root, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    marks: list[tuple[str, float, float]] = []  # (phase ended, wall, processor)
    log: list[str] = []
    done, peak = threading.Event(), [0]

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], tree_memory(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert process.stdout is not None
    for line in process.stdout:
        log.append(line)
        for pattern, name in PHASES:
            if pattern.search(line) and name not in (m[0] for m in marks):
                marks.append((name, time.perf_counter() - start, tree_cpu(process.pid)))
    _, status, usage = os.wait4(process.pid, 0)
    wall, cpu = time.perf_counter() - start, usage.ru_utime + usage.ru_stime
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"build in {root} failed:\n{''.join(log)[-4000:]}")
    phases, last = {}, (0.0, 0.0)
    for name, at, used in marks + [(LAST_PHASE, wall, cpu)]:
        phases[name] = (at - last[0], used - last[1])
        last = (at, used)
    return {"wall": wall, "cpu": cpu, "phases": phases, "peak": max(peak[0], usage.ru_maxrss * 1024),
            "log": "".join(log)}


def site_figures(site: Path) -> dict:
    """Pages by `<html lang>`, bytes of the site and of its search bundles, pages indexed by language."""
    pages: dict[str, int] = {}
    site_bytes = bundle_bytes = 0
    for folder, _, files in os.walk(site):
        rel = Path(folder).relative_to(site)
        in_bundle = bool(rel.parts) and rel.parts[0].startswith("pagefind")
        for name in files:
            path = os.path.join(folder, name)
            size = os.stat(path).st_size
            site_bytes += size
            bundle_bytes += size if in_bundle else 0
            if name.endswith(".html") and not in_bundle and not (rel.parts and rel.parts[0] == "assets"):
                with open(path, "rb") as page:
                    found = re.search(rb'<html[^>]*\slang="([^"]*)"', page.read(2000))
                lang = found.group(1).decode() if found else "?"
                pages[lang] = pages.get(lang, 0) + 1
    indexed: dict[str, int] = {}
    for entry in site.glob("pagefind*/pagefind-entry.json"):
        for lang, about in json.loads(entry.read_text(encoding="utf-8")).get("languages", {}).items():
            indexed[lang] = indexed.get(lang, 0) + int(about.get("page_count", 0))
    return {"pages": pages, "site_bytes": site_bytes, "bundle_bytes": bundle_bytes, "indexed": indexed}


def edit(translation_file: Path) -> None:
    """A correction of one translation's title (after the caches' two-second window)."""
    time.sleep(2.1)  # the caches trust no file changed in the last two seconds (racily clean)
    fields, body = front_matter(translation_file.read_text(encoding="utf-8"))
    fields["title"] = spelt("corrected ", "ar") + fields["title"]
    head = yaml.dump(fields, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100)
    translation_file.write_text(f"---\n{head}---\n{body}", encoding="utf-8")


# --- the tables ------------------------------------------------------------------------------------

def seconds(wall: float, cpu: float) -> str:
    return f"{wall:.1f} s / {cpu:.1f} s"


def megabytes(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def counts(by_lang: dict[str, int]) -> str:
    return f"{sum(by_lang.values()):,} (" + ", ".join(f"{k} {v:,}" for k, v in sorted(by_lang.items())) + ")"


def change(before: float, after: float, unit: str, digits: int = 1, steps: int = 1) -> str:
    """The increment from `before` to `after`, per step, absolute and relative to `before`."""
    delta = (after - before) / steps
    relative = f" ({delta / before:+.0%})" if before else ""
    return f"{delta:+,.{digits}f}{unit}{relative}"


def summarise(runs: list[dict]) -> dict:
    """Medians over the runs of one configuration (the site's counts from the last run)."""
    names = [n for _, n in PHASES if all(n in r["cold"]["phases"] for r in runs)] + [LAST_PHASE]
    med = statistics.median
    return {
        "wall": med(r["cold"]["wall"] for r in runs), "cpu": med(r["cold"]["cpu"] for r in runs),
        "phases": {n: (med(r["cold"]["phases"][n][0] for r in runs), med(r["cold"]["phases"][n][1] for r in runs))
                   for n in names},
        "peak": max(r["cold"]["peak"] for r in runs),
        "warm": (med(r["warm"]["wall"] for r in runs), med(r["warm"]["cpu"] for r in runs)),
        "site_bytes": med(r["site"]["site_bytes"] for r in runs),
        "bundle_bytes": med(r["site"]["bundle_bytes"] for r in runs),
        "pages": runs[-1]["site"]["pages"], "indexed": runs[-1]["site"]["indexed"],
    }


def print_tables(results: dict[tuple[str, ...], dict], runs: int, loads: list[float], n: int, translated: int) -> None:
    phases = list(next(iter(results.values()))["phases"])
    print(f"{n:,} claims, {translated:,} of them translated into ar and uk; `build_claims.py build`, cold; "
          f"wall / processor seconds (user + system, all the build's processes); median of {runs} run(s); "
          f"{len(os.sched_getaffinity(0))} cores; load average (1 min) as each build began: "
          f"{min(loads):.1f} to {max(loads):.1f}.\n")
    print_table(["languages", "cold build", *phases, "peak memory", "pages (by <html lang>)", "site/",
                 "search bundles", "pages indexed", "rebuild after one translation edited"], [
        " | ".join([f"| [{', '.join(tags)}]", seconds(r["wall"], r["cpu"]),
                    *(seconds(*r["phases"][p]) for p in phases), f"{r['peak'] / 2**20:,.0f} MiB",
                    counts(r["pages"]), megabytes(r["site_bytes"]), megabytes(r["bundle_bytes"]),
                    counts(r["indexed"]), seconds(*r["warm"]) + " |"])
        for tags, r in results.items()])
    configs = list(results)
    steps = [(f"+ {b[-1]} ({len(a)} to {len(b)} languages)", results[a], results[b], 1)
             for a, b in zip(configs, configs[1:])]
    if len(configs) > 2:
        steps.append((f"per added language ({len(configs[0])} to {len(configs[-1])}, mean)", results[configs[0]],
                      results[configs[-1]], len(configs) - 1))
    print("\nPer added language (wall time unless said; relative to the configuration it starts from):\n")
    print_table(["added", "cold build, wall", "cold build, processor", *phases, "pages", "site/", "search bundles",
                 "rebuild after one translation edited"], [
        " | ".join([f"| {label}", change(a["wall"], b["wall"], " s", steps=k), change(a["cpu"], b["cpu"], " s", steps=k),
                    *(change(a["phases"][p][0], b["phases"][p][0], " s", steps=k) for p in phases),
                    change(sum(a["pages"].values()), sum(b["pages"].values()), "", 0, k),
                    change(a["site_bytes"] / 1e6, b["site_bytes"] / 1e6, " MB", steps=k),
                    change(a["bundle_bytes"] / 1e6, b["bundle_bytes"] / 1e6, " MB", steps=k),
                    change(a["warm"][0], b["warm"][0], " s", steps=k) + " |"])
        for label, a, b, k in steps])


def progress(tags: tuple[str, ...], run: int, what: str, built: dict) -> None:
    """One build's figures on stderr as it ends: a run cut short still tells what it measured."""
    phases = "; ".join(f"{name} {seconds(*spent)}" for name, spent in built["phases"].items())
    print(f"[{', '.join(tags)}] run {run + 1}, {what}: {seconds(built['wall'], built['cpu'])} ({phases}); "
          f"load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)


# --- the run ---------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=10000, help="synthetic claims (default 10,000)")
    parser.add_argument("--translated", type=float, default=1.0,
                        help="share of the claims translated into ar and uk, 0 to 1 (default 1: every claim)")
    parser.add_argument("--runs", type=int, default=1, help="cold builds of each configuration (median; default 1)")
    parser.add_argument("--keep", type=Path, help="make the projects in this folder and leave them there")
    args = parser.parse_args()
    if not 0 <= args.translated <= 1:
        parser.error("--translated is a share, from 0 to 1")
    with contextlib.ExitStack() as stack:
        top = args.keep or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="claimpress-languages-")))
        top.mkdir(parents=True, exist_ok=True)
        source, edited = make_claims(top / "claims-source", args.claims, args.translated, CONFIGS[-1][1:])
        if not edited:
            parser.error("no claim is translated: raise --translated or --claims")
        target = edited[len(edited) // 2].relative_to(source.parent)
        measured: dict[tuple[str, ...], list[dict]] = {tags: [] for tags in CONFIGS}
        loads: list[float] = []
        for run in range(args.runs):
            order = CONFIGS[run % len(CONFIGS):] + CONFIGS[:run % len(CONFIGS)]  # none always first
            roots = {}
            for tags in order:  # cold builds, then the rebuilds (each rebuild deletes the old site)
                root = roots[tags] = top / f"{'-'.join(tags)}-run{run + 1}"
                shutil.copytree(source, root / "claims")
                project_sources(root)
                set_languages(root, tags)
                loads.append(os.getloadavg()[0])
                cold = build(root)
                measured[tags].append({"cold": cold, "site": site_figures(root / "site")})
                progress(tags, run, "cold", cold)
            for tags in order:
                edit(roots[tags] / target)
                loads.append(os.getloadavg()[0])
                measured[tags][-1]["warm"] = warm = build(roots[tags])
                progress(tags, run, "rebuild", warm)
        print_tables({tags: summarise(runs) for tags, runs in measured.items()}, args.runs, loads, args.claims,
                     len(edited))
        print("\nWhat the builds said (the last run): the check, then the rebuild's generation and search index.\n")
        for tags, runs in measured.items():  # the claims must be as valid in each, and the rebuild's work shown
            said = re.findall(r"^checked .*$", runs[-1]["cold"]["log"], re.M)[:1]
            said += re.findall(r"^(?:docs/:|claimpress: search index:) .*$", runs[-1]["warm"]["log"], re.M)
            print(f"- [{', '.join(tags)}]: " + "; ".join(said))
        if args.keep:
            print(f"\nkept the projects in {top}")


if __name__ == "__main__":
    main()
