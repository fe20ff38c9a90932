"""The scale benchmark: check, render and site build for N synthetic claims, beside Hugo.

    python bench/scale_bench.py                        # N = 1,000, 10,000 and 50,000
    python bench/scale_bench.py --sizes 1000 --runs 1

For each N, realistic synthetic claims (bench/synth.py: about 25 fields, 3-6 evidence items, a
300-800 word body) go into a temporary copy of this project's site sources, never into claims/.
Every step runs in its own process, timed from outside, with its peak memory (all its processes
together: forked workers, Pagefind's runs side by side):

- a bare parse of the same front matter with PyYAML's C loader (the floor for any PyYAML-based
  validator), and `check` with no cache: medians of --runs interleaved runs;
- `check` again after one claim changed (the cache is warm);
- the render step (build's generation: check, model, templates, write into docs/) after that
  check (median of --runs cold runs, each after the last one's output is set aside), then again
  with nothing changed, then after one claim changed, with the files written;
- `mkdocs build` and claimpress' steps on the built site (`build_claims.py finish-site`: the
  sitemap split and the search index, which logs how long it took: "search index"; as `build`
  runs them after MkDocs); "Pagefind alone" runs the index again over the built site, in
  the same parts, for its own peak memory; median of --runs first builds, each into a new
  folder with no search index kept from the one before), skipped when the
  10,000 run says it would take over --mkdocs-limit seconds; then, after one more claim changed
  and the render step, again into a new folder: the search index's parts whose pages did not
  change come from the last build (claimpress/search/cache.py);
- Hugo (Debian's `hugo`) building the same generated pages with a minimal layout, when installed
  (median of 3 builds);
- sizes: the largest HTML page, the search index, the largest data file, and what a reader's
  browser downloads to open the search page and run one search, for words in nearly every claim
  and for a rare one (measured in Debian's chromium, when installed).

Prints two Markdown tables: times and memory, then sizes.

The benchmark deletes nothing until the whole run ends but the check's few cache files before
each cold check (each N keeps its own folder; outputs, caches and bundles are moved aside): on a file system that checks for recently freed inodes (ext4
without a journal, as on the machine these figures come from; bench/fs_bench.py), creating files
within a minute or more of deleting many is several times slower, which would charge a step, or
Hugo, for an earlier step's clean-up. What it cannot move aside is the build's own clean-up: a
build with several search parts ends by deleting the folder of its parts' pages, one folder a
page, so the MkDocs builds after the first can be slower (their median is given); Hugo builds
before them. Keeping everything takes room: about 10 GB in the temporary folder for the default
sizes.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import REPO, make_project, print_table  # noqa: E402

sys.path.insert(0, str(REPO))
from claimpress.search.cache import SEARCH_CACHE  # noqa: E402
from claimpress.write import GENERATED  # noqa: E402

BARE_PARSE = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1], "claims").glob("*.md")):
    text = path.read_text(encoding="utf-8")
    end = text.index("\\n---\\n", 4)
    yaml.load(text[4:end], Loader=yaml.CSafeLoader)
"""

RENDER = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from claimpress.build import generate
generated = generate(Path(sys.argv[1]))
sys.exit(0 if generated.changes is not None else 1)
"""

HUGO_CONFIG = 'baseURL = "https://hugo.example/"\ntitle = "bench"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n' \
              '[markup.goldmark.renderer]\nunsafe = true\n'
HUGO_LAYOUT = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
               '<link rel="stylesheet" href="/site.css"></head><body><header><a href="/">Home</a> '
               '<a href="/claims/">All claims</a> <a href="/browse/">Browse</a></header>'
               '<main>{{ .Content }}</main><footer>{{ .Date }}</footer></body></html>\n')


@functools.cache
def chromium() -> str | None:
    return shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium") or None


def run(command: list[str], cwd: Path | None = None, said: list[str] | None = None) -> tuple[float, float]:
    """(seconds, peak MiB of all its processes together) of `command`; exits the benchmark if it fails."""
    seconds, _, peak = measured(command, cwd, said)
    return seconds, peak / 2**20


def measured(command: list[str], cwd: Path | None = None,
             said: list[str] | None = None) -> tuple[float, os.struct_rusage, int]:
    """(seconds, resource usage of the process and the children it waited for, peak bytes of
    memory of the process and its descendants together) of `command` in its own process; exits
    the benchmark if it fails. The peak is the largest of the process's own peak resident size
    and of the sums of its tree's proportional set sizes, sampled every 0.1 s: forked workers
    and Pagefind runs side by side count together, and pages that workers share with their
    parent count once. What it wrote to stderr is added to `said`, if given."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    done, peak = threading.Event(), [0]

    def sample() -> None:
        while not done.wait(0.1):
            peak[0] = max(peak[0], tree_memory(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = process.stderr.read() if process.stderr else b""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr.decode(errors='replace')[-3000:]}")
    if said is not None:
        said.append(stderr.decode(errors="replace"))
    return seconds, usage, max(peak[0], usage.ru_maxrss * 1024)


def tree_memory(pid: int) -> int:
    """Bytes of memory that process `pid` and its descendants hold now: the sum of their
    proportional set sizes (Linux's /proc/PID/smaps_rollup), 0 where /proc cannot say."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                with open(f"/proc/{entry.name}/stat", encoding="utf-8", errors="replace") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])  # after the name, which may hold ")"
                children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        with contextlib.suppress(OSError, IndexError, ValueError):
            with open(f"/proc/{current}/smaps_rollup", encoding="ascii") as rollup:
                total += next((int(line.split()[1]) * 1024 for line in rollup if line.startswith("Pss:")), 0)
    return total


def site_sources(root: Path, code: Path = REPO) -> None:
    """The site sources of the checkout in `code` (by default this one) in `root`."""
    shutil.copytree(code / "docs", root / "docs", ignore=lambda d, names: [
        x for x in names if Path(d) == code / "docs" and x in GENERATED])
    for name in ("templates", "overrides"):
        shutil.copytree(code / name, root / name)
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):
        shutil.copy(code / name, root / name)
    (root / "claimpress").symlink_to(code / "claimpress")  # that checkout's package, first on MkDocs' path


def edit_one_claim(root: Path, n: int, label: str, which: int) -> None:
    claim = sorted((root / "claims").glob("*.md"))[n // 2 + which]
    claim.write_text(claim.read_text().replace("title: Allegation", f"title: {label} allegation", 1))
    time.sleep(2.1)  # the caches trust no file changed in the last two seconds (racily clean)


def files_written(root: Path, since: float) -> int:
    return sum(1 for top in GENERATED for p in ((root / "docs" / top).rglob("*") if (root / "docs" / top).is_dir()
                                                else [root / "docs" / top])
               if p.is_file() and p.stat().st_mtime > since)


def render(root: Path) -> tuple[float, float, int]:
    before = time.time()
    seconds, peak = run([sys.executable, "-c", RENDER, str(root), str(REPO)])
    return seconds, peak, files_written(root, before)


def hugo_build(root: Path, runs: int = 3) -> float | None:
    """Seconds for Hugo to build the generated pages (claims, facets, index pages) with a minimal layout:
    the median of `runs` builds, each into a new folder (one build alone varied from 2.3 to 4.3 s
    when the benchmark deleted files before it)."""
    hugo = shutil.which("hugo")
    if not hugo:
        return None
    site = root / "hugo"
    content = site / "content"
    for top in ("claims", "browse"):
        shutil.copytree(root / "docs" / top, content / top)
    for index in content.rglob("index.md"):  # a folder's page: a branch bundle, so page-2.md stays a page
        index.rename(index.with_name("_index.md"))
    shutil.copy(root / "docs" / "index.md", content / "_index.md")
    (site / "layouts" / "_default").mkdir(parents=True)
    for name in ("single.html", "list.html"):
        (site / "layouts" / "_default" / name).write_text(HUGO_LAYOUT)
    (site / "hugo.toml").write_text(HUGO_CONFIG)
    return statistics.median(run([hugo, "--quiet", "--source", str(site), "--destination", str(site / f"public-{i}")])[0]
                             for i in range(runs))


def search_download(site: Path, query: str) -> str:
    """What a reader's browser downloads to open the search page and run one search, until the
    results show (Debian's chromium): "1,234 KB (5 results, 2.1 s)"."""
    if not chromium():
        return "- (no chromium)"
    from playwright.sync_api import Error, sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sizes: dict[str, int] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium(), args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
            page = browser.new_context().new_page()
            page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())) if r.ok else None)
            start = time.perf_counter()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q={query.replace(' ', '+')}")
            try:
                page.wait_for_selector(".pagefind-ui__result-link", timeout=120000)
                page.wait_for_load_state("networkidle")
                outcome = f"{page.locator('.pagefind-ui__result').count()} results, {time.perf_counter() - start:.1f} s"
            except Error:
                outcome = "no result shown within 120 s"
            browser.close()
    finally:
        server.shutdown()
    # By whose the files are: Pagefind's (its scripts and the index), the theme's, the page's and claimpress' own.
    shares = {"Pagefind": 0, "theme": 0, "page and claimpress": 0}
    for address, size in sizes.items():
        path = urlsplit(address).path
        shares["Pagefind" if "/pagefind/" in path else "theme" if "/assets/stylesheets/" in path or
               "/assets/javascripts/" in path else "page and claimpress"] += size
    said = "; ".join(f"{name} {size / 1024:,.0f}" for name, size in shares.items())
    return f"{sum(sizes.values()) / 1024:,.0f} KB ({outcome}; {said})"


PAGEFIND = """
import json, os, sys, tempfile
sys.path.insert(0, sys.argv[3])
from claimpress.machine import memory_available, usable_cores
from claimpress.search.index import finish_index, index_parts
from claimpress.search.parts import pagefind_runs, search_index_jobs
site, parts = sys.argv[1], json.loads(open(sys.argv[2], encoding="utf-8").read())
work = tempfile.mkdtemp(dir=sys.argv[4])  # the parts' pages, hard-linked (the same file system), and bundles; kept
runs = pagefind_runs(site, parts, work, os.path.join(work, "bundles"))
index_parts(runs, search_index_jobs(parts, usable_cores(), memory_available()))
finish_index(site, [run.output for run in runs])  # as the build does: the parts merged into the site's bundle
"""


def pagefind_in_parts(site: Path, aside: Path) -> tuple[float, os.struct_rusage, int]:
    """measured() of Pagefind over the built site, run as the build runs it: in parts of the
    default number of pages, as many at once as the build would run. The bundles already there
    are moved into `aside` first, not deleted (see the module's docstring); the folder of the
    parts' pages is made and kept there too."""
    sys.path.insert(0, str(REPO))
    from claimpress.config import SiteConfig
    from claimpress.search.pages import searchable_pages
    from claimpress.search.parts import search_parts
    aside.mkdir(parents=True, exist_ok=True)
    for bundle in site.glob("pagefind*"):
        bundle.rename(aside / bundle.name)
    parts = search_parts(searchable_pages(str(site)), SiteConfig.pages_per_search_index)
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as listed:
        json.dump(parts, listed)
        listed.flush()
        return measured([sys.executable, "-c", PAGEFIND, str(site), listed.name, str(REPO), str(aside)])


def pagefind_again(site: Path, aside: Path) -> tuple[float, float]:
    """Seconds and peak memory (MiB) of Pagefind over the built site, in the build's parts, its
    bundles moved into `aside` first."""
    seconds, _, peak = pagefind_in_parts(site, aside)
    return seconds, peak / 2**20


def keep_check_state(root: Path, kept: Path) -> Path:
    """A copy of the caches as `check` left them (its store also keeps each claim's checked data,
    which a cold render step reads), for set_aside to put back."""
    kept.mkdir(parents=True)
    for cache in (root / ".cache" / "claimpress").glob("*"):
        if cache.is_file():
            shutil.copy2(cache, kept / cache.name)
    return kept


def set_aside(root: Path, aside: Path, after_check: Path) -> None:
    """Move what the render step made (the generated files in docs/, the caches) into `aside`, and
    put back the caches as `check` left them (keep_check_state), so that the next render step is
    cold, as the first was: moved, not deleted (see the module's docstring)."""
    aside.mkdir(parents=True)
    for name in GENERATED:
        if (root / "docs" / name).exists():
            (root / "docs" / name).rename(aside / name)
    caches = root / ".cache" / "claimpress"
    for made in caches.glob("*"):
        if made.is_file():
            made.rename(aside / made.name)
    for kept in after_check.iterdir():
        shutil.copy2(kept, caches / kept.name)


def search_index_seconds(log: str) -> float | None:
    """How long the search index took in a build, from its log line."""
    said = re.search(r"claimpress: search index: .* in ([0-9.]+) s", log)
    return float(said.group(1)) if said else None


def largest(folder: Path, pattern: str) -> tuple[int, str]:
    sizes = [(p.stat().st_size, p.relative_to(folder).as_posix()) for p in folder.rglob(pattern)]
    return max(sizes) if sizes else (0, "-")


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def mib(n: float) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--runs", type=int, default=3,
                        help="runs of the bare parse, the cold check, the cold render and the first MkDocs build (median)")
    parser.add_argument("--mkdocs-limit", type=float, default=600, help="skip MkDocs when projected over this")
    parser.add_argument("--keep", help="build each project in this folder and leave it there, to look at")
    args = parser.parse_args()
    times: list[str] = []
    sizes: list[str] = []
    notes: list[str] = []
    with contextlib.ExitStack() as stack:
        top = Path(args.keep) if args.keep else Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="claimpress-scale-")))
        run_sizes(args, top, times, sizes, notes)
    print(f"Times (2-core machine; bare parse, cold check, check after one change, cold render step and first "
          f"MkDocs build: median of {args.runs} runs at N <= 10,000, one run above; Hugo: median of 3; every other "
          "figure one run), peak memory of each step with all its processes (the largest of the runs):\n")
    print_table(["claims", "bare C parse", "check, cold (ratio to parse)", "check peak", "check, one changed",
                 "render step", "render peak", "render, nothing changed", "render, one changed", "MkDocs build",
                 "MkDocs peak", "MkDocs per page", "render / MkDocs", "Hugo, same pages", "render + MkDocs / Hugo",
                 "MkDocs, one claim changed since", "render + MkDocs / Hugo, one claim changed"],
                times)
    print("\nSizes:\n")
    print_table(["claims", "largest HTML page", "search index (Pagefind)",
                 "search for 'satellite craters' (words in nearly every claim): download",
                 "search for one claim's number (in a few claims): download", "largest data file"], sizes)
    for note in notes:
        print(f"\n{note}")


def run_sizes(args: argparse.Namespace, top: Path, times: list[str], sizes: list[str], notes: list[str]) -> None:
    """One row of each table an N, each N's project in its own folder of `top`, all kept until the end."""
    per_page: dict[int, float] = {}
    for n in args.sizes:
        root = make_project(top / f"n{n}", n)
        site_sources(root)
        check = [sys.executable, str(REPO / "build_claims.py"), "--root", str(root), "check"]
        bare = [sys.executable, "-c", BARE_PARSE, str(root)]
        runs = args.runs if n <= 10000 else 1
        measured: dict[str, list[tuple[float, float]]] = {"bare": [], "check": []}
        for _ in range(runs):  # interleaved, so that machine noise hits both alike
            for name, command in (("bare", bare), ("check", check)):
                shutil.rmtree(root / ".cache", ignore_errors=True)
                measured[name].append(run(command))
        bare_s = statistics.median(s for s, _ in measured["bare"])
        check_s = statistics.median(s for s, _ in measured["check"])
        check_peak = max(p for _, p in measured["check"])
        changed = []
        for i in range(runs):
            edit_one_claim(root, n, "Edited", 10 + i)
            changed.append(run(check)[0])
        changed_s = statistics.median(changed)
        time.sleep(2.1)

        cold = []
        after_check = keep_check_state(root, root / "aside" / "after-check")
        for i in range(runs):  # cold renders: each after the last one's output is set aside
            if i:
                set_aside(root, root / "aside" / f"render-{i}", after_check)
                time.sleep(2.1)
            cold.append(render(root))
        render_s = statistics.median(s for s, _, _ in cold)
        render_peak, render_files = max(p for _, p, _ in cold), cold[-1][2]
        time.sleep(2.1)
        same_s, same_peak, same_files = render(root)
        edit_one_claim(root, n, "Edited", 1)
        one_s, one_peak, one_files = render(root)
        render_peak = max(render_peak, same_peak, one_peak)

        pages = sum(1 for _ in (root / "docs").rglob("*.md"))
        projected = per_page.get(10000, per_page.get(1000, 0)) * pages * 1.1
        def mkdocs(site: Path) -> list[str]:
            """The site build as `build_claims.py build` runs it after the render step: MkDocs, then
            claimpress' steps on the site (the sitemap split, the search index: finish-site)."""
            py, folder = shlex.quote(sys.executable), shlex.quote(str(site))
            return ["sh", "-c", f"{py} -m mkdocs build --strict --site-dir {folder} && {py} "
                                f"{shlex.quote(str(REPO / 'build_claims.py'))} finish-site --site-dir {folder}"]

        # Hugo first: a build with several search parts ends by deleting the folder of its parts'
        # pages (a folder a page), which would slow Hugo's file creation just after it.
        hugo_s = hugo_build(root) if projected <= args.mkdocs_limit else None
        if projected > args.mkdocs_limit:
            notes.append(f"N={n:,}: MkDocs skipped, projected at {projected / 60:.0f} min from the per-page "
                         f"cost measured at a smaller N")
            mkdocs_s = mkdocs_peak = indexing_s = None
        else:
            said: list[str] = []
            builds = []
            for i in range(runs):  # first builds, each into a new folder, the last into site/
                if i and (root / SEARCH_CACHE).exists():  # no search index kept from the build before
                    (root / "aside" / f"search-{i}").mkdir(parents=True)
                    (root / SEARCH_CACHE).rename(root / "aside" / f"search-{i}" / "search")
                builds.append(run(mkdocs(root / ("site" if i == runs - 1 else f"site-{i}")), cwd=root, said=said))
            mkdocs_s = statistics.median(s for s, _ in builds)
            mkdocs_peak = max(p for _, p in builds)
            indexing = [search_index_seconds(log) for log in said]
            indexing_s = None if None in indexing else statistics.median(indexing)
            per_page[n] = mkdocs_s / pages
        again_s = again_render_s = None
        if mkdocs_s is not None:
            # A correction: one claim changed since that build, which built again into a new
            # folder, as the first did (creating files just after deleting many is slow here).
            edit_one_claim(root, n, "Corrected", 2)
            again_render_s = render(root)[0]
            again_s = run(mkdocs(root / "site-again"), cwd=root)[0]
        pagefind_s = pagefind_peak = None
        if mkdocs_s is not None:  # Pagefind alone, again over the same site and in the same parts, to say its share
            pagefind_s, pagefind_peak = pagefind_again(root / "site", root / "bundles-of-the-build")
        whole = render_s + mkdocs_s if mkdocs_s is not None else None

        def s(v: float | None, digits: int = 1) -> str:
            return "-" if v is None else f"{v:.{digits}f} s"

        times.append(" | ".join([
            f"| {n:,}", s(bare_s), f"{s(check_s)} ({check_s / bare_s:.2f}x)", f"{check_peak:.0f} MiB",
            s(changed_s, 2), f"{s(render_s)} ({render_files:,} files)", f"{render_peak:.0f} MiB",
            f"{s(same_s, 2)} ({same_files} written)", f"{s(one_s)} ({one_files} written)",
            "-" if mkdocs_s is None else f"{s(mkdocs_s, 0)} (search index {s(indexing_s, 0)}; Pagefind alone {s(pagefind_s, 0)})",
            "-" if mkdocs_peak is None else f"{mkdocs_peak:.0f} MiB (Pagefind {pagefind_peak:.0f} MiB)",
            "-" if mkdocs_s is None else f"{1000 * mkdocs_s / pages:.1f} ms",
            "-" if mkdocs_s is None else f"{render_s / mkdocs_s:.0%}",
            s(hugo_s), "-" if hugo_s is None or whole is None else f"{whole / hugo_s:.1f}x",
            s(again_s, 0), "-" if hugo_s is None or again_s is None or again_render_s is None
            else f"{(again_render_s + again_s) / hugo_s:.1f}x |"]))
        if mkdocs_s is None:
            html_size, html_page = largest(root / "docs", "*.md")
            sizes.append(f"| {n:,} | {html_size / 1024:.0f} KB (docs/{html_page}, before MkDocs) | - | - | - | "
                         f"{mib(largest(root / 'docs' / 'data', '*')[0])} ({largest(root / 'docs' / 'data', '*')[1]}) |")
        else:
            site = root / "site"
            html_size, html_page = largest(site, "*.html")
            data_size, data_name = largest(site / "data", "*")
            bundles = sorted(site.glob("pagefind*"))
            sizes.append(f"| {n:,} | {html_size / 1024:.0f} KB ({html_page}) | "
                         f"{mib(sum(folder_size(b) for b in bundles))} in {len(bundles)} part(s), "
                         f"{sum(1 for b in bundles for _ in b.rglob('*')):,} files | "
                         f"{search_download(site, 'satellite craters')} | {search_download(site, str(n // 3))} | "
                         f"{mib(data_size)} ({data_name}) |")
        print(f"N={n:,} done\n{times[-1]}\n{sizes[-1]}", file=sys.stderr, flush=True)  # in case a later N fails


if __name__ == "__main__":
    main()
