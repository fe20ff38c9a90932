"""The fair anchor: claimpress against Hugo + Pagefind doing the same work on the same claims.

    python bench/anchor_bench.py                         # 10,000 claims, one run
    python bench/anchor_bench.py --claims 1000 --runs 3

One synthetic project of N claims (bench/synth.py) is made with this checkout's site sources (the
files git tracks in docs/, templates/, overrides/, locale/). The anchor is built from the same
claims: each claim's front matter and analysis become a Hugo content file (claims/<id>.md), the
front matter as it is plus the taxonomy terms a browse page lists it under (accused and claimant
with their parent parties, as claimpress' facets roll them up; country, category, year, status),
with the three registries (and the countries' names) as Hugo data. Hugo (Debian's `hugo`) renders
it with a minimal layout that shows what a claim page shows (status, title, claim, claimant,
spokesperson, accused, responses, incident date and place, country, coordinates, categories,
casualties, verdict, the analysis, the evidence table with its links, responses, updates, related
claims, dates and authors), the taxonomy pages of claimpress' browse pages (a list of the values,
each value's claims 200 to a page, the same columns), All claims (the same table, paginated), a
home page, a search page, the sitemap and one feed; then Pagefind (the pinned wheel: `python -m
pagefind --site`) indexes Hugo's output, the claim pages only (data-pagefind-body, as claimpress
indexes its claim pages, not its facet lists), with the same filters. Preparing the Hugo content
is not timed, as writing the claims is not.

Each run builds, in new copies of both projects (nothing is deleted until the end: bench/README.md,
"The file system"), alternating the tools, the first tool alternating from run to run:

- a clean build with search: claimpress `build_claims.py build` with no .cache, no site and no
  generated docs; the anchor: `hugo` into a new folder, then Pagefind over it. "Without search":
  for claimpress its generation and MkDocs phases, told apart, as bench/languages_bench.py does,
  by timestamping the lines the build prints as each phase ends; for the anchor Hugo alone;
- one claim edited (its title), then the same commands again: claimpress with its caches, the
  anchor from scratch into the same folder (Hugo keeps no cache of pages between runs, and
  Pagefind none of its index);
- nothing changed: claimpress' `build` once more;
- claimpress `build --no-search` (the pull-request workflow's build), cold, in another new copy;
- the first query of a reader (Chromium, bench/scale_bench.search_download): the bytes the search
  page and its results download, a rare word and two common ones;
- cold `check` (no cache) and a bare single-process parse of the same front matter with PyYAML's
  C loader (scale_bench.BARE_PARSE), in processor time.

Every command runs in its own process, timed from outside: wall time, processor time (user + system
of its whole process tree) and peak memory of all its processes together (scale_bench.tree_memory:
proportional set sizes, sampled). Medians of --runs; peaks the largest. Sizes are those of the
last run's sites (apparent bytes and files, search bundles included).
"""
from __future__ import annotations

import argparse
import contextlib
import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from languages_bench import build, front_matter, project_sources, site_figures  # noqa: E402
from scale_bench import BARE_PARSE, edit_one_claim, measured, search_download  # noqa: E402

SEARCH_QUERIES = ("limoutai", "satellite craters")
from synth import COUNTRIES, REPO, make_project  # noqa: E402

sys.path.insert(0, str(REPO))
from claimpress.check.rules import lineage  # noqa: E402
from claimpress.model import country_name  # noqa: E402

HUGO_CONFIG = """baseURL = "https://anchor.example/"
title = "Anchor"
languageCode = "en"
paginate = 200
[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]
[frontmatter]
date = ["published", "date"]
lastmod = ["updated", "lastmod"]
[taxonomies]
status = "status"
accused = "accused"
claimant = "claimants"
country = "country"
category = "categories"
year = "year"
"""
BROWSE = (("status", "Status"), ("accused", "Accused"), ("claimants", "Claimant"), ("country", "Country"),
          ("categories", "Category"), ("year", "Year"))
DATE = '"2 January 2006"'
LAYOUTS = {
    "_default/baseof.html": """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ block "title" . }}{{ .Title }}{{ end }} - {{ site.Title }}</title>
<link rel="stylesheet" href="{{ "site.css" | relURL }}"></head><body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a> <nav><a href="{{ "claims/" | relURL }}">All claims</a>
""" + "".join(f'<a href="{{{{ "{key}/" | relURL }}}}">{label}</a> ' for key, label in BROWSE) + """
<a href="{{ "search/" | relURL }}">Search</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer>Published with Hugo.</footer></body></html>
""",
    "partials/party.html": """{{ $p := index site.Data.parties .id }}<a href="{{ printf "%s/%s/" .facet .id | relURL }}">{{ $p.name }}</a>""",
    "partials/badge.html": """{{ $r := index site.Data.ratings . }}<a class="badge" style="background:{{ $r.color }}" href="{{ printf "status/%s/" . | relURL }}">{{ $r.label }}</a>""",
    "partials/term-name.html": """{{ $t := .Data.Term }}{{ $k := .Data.Plural }}{{ $name := $t }}
{{ if in (slice "accused" "claimants") $k }}{{ $name = (index site.Data.parties $t).name }}
{{ else if eq $k "categories" }}{{ $name = (index site.Data.categories $t).name }}
{{ else if eq $k "status" }}{{ $name = (index site.Data.ratings $t).label }}
{{ else if eq $k "country" }}{{ $name = index site.Data.countries (upper $t) }}{{ end }}{{ return $name }}""",
    "partials/row.html": """<tr><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ partial "badge.html" .Params.status }}</td>
<td>{{ (index site.Data.parties .Params.claimant).name }}</td><td>{{ range $i, $a := .Params.accused_parties }}{{ if $i }}, {{ end }}{{ (index site.Data.parties $a).name }}{{ end }}</td>
<td>{{ index site.Data.countries .Params.country }}</td><td>{{ time.Format """ + DATE + """ .Params.incident.date }}</td><td>{{ .Lastmod.Format """ + DATE + """ }}</td></tr>""",
    # Each claim's row is made once and kept on its page, as claimpress reuses its rows: Debian's Hugo
    # (0.111) served 2,060 of 86,742 rows from partialCached at 10,000 claims and spent 46 s of
    # processor time, against 28 s with this.
    "partials/table.html": """<table><thead><tr><th>Claim</th><th>Status</th><th>Claimant</th><th>Accused</th><th>Country</th><th>Incident</th><th>Updated</th></tr></thead><tbody>
{{ range . }}{{ $row := .Scratch.Get "row" }}{{ if not $row }}{{ $row = partial "row.html" . }}{{ .Scratch.Set "row" $row }}{{ end }}{{ $row }}
{{ end }}</tbody></table>""",
    "_default/single.html": """{{ define "main" }}{{ $p := .Params }}{{ $i := $p.incident }}
<article data-pagefind-body><p class="status"><span data-pagefind-filter="status">{{ partial "badge.html" $p.status }}</span> as of {{ .Lastmod.Format """ + DATE + """ }}</p>
<h1>{{ .Title }}</h1><p data-pagefind-ignore>The allegation, in the source's words or close to them:</p><p>{{ $p.claim }}</p>
<p>Claimant {{ partial "party.html" (dict "id" $p.claimant "facet" "claimants") }}{{ with $p.spokesperson }} ({{ . }}){{ end }} &rarr; Accused
{{ range $n, $a := $p.accused_parties }}{{ if $n }}, {{ end }}{{ partial "party.html" (dict "id" $a "facet" "accused") }}{{ end }}</p>
{{ with $p.responses }}<p>Response {{ range $n, $r := . }}{{ if $n }}; {{ end }}<a href="#responses">{{ (index site.Data.parties $r.party).name }}: {{ $r.stance }}</a>{{ end }}</p>{{ end }}
<dl><dt>Incident date</dt><dd>{{ time.Format """ + DATE + """ $i.date }}</dd><dt>Alleged on</dt><dd>{{ time.Format """ + DATE + """ $p.claimed_on }}</dd>
<dt>Place</dt><dd>{{ $i.location }}{{ with $i.precision }} (precision: {{ . }}){{ end }}</dd>
<dt>Country</dt><dd><a data-pagefind-filter="country" href="{{ printf "country/%s/" (lower $p.country) | relURL }}">{{ index site.Data.countries $p.country }}</a></dd>
{{ with $i.coordinates }}<dt>Coordinates</dt><dd>{{ index . 0 }}, {{ index . 1 }}</dd>{{ end }}
<dt>Categories</dt><dd>{{ range $n, $c := $p.categories }}{{ if $n }}, {{ end }}<a data-pagefind-filter="category" href="{{ printf "categories/%s/" $c | relURL }}">{{ (index site.Data.categories $c).name }}</a>{{ end }}</dd>
<dt>Killed</dt><dd>{{ with $i.killed }}{{ .min }}{{ with .max }} to {{ . }}{{ else }} or more{{ end }}{{ else }}no figure recorded{{ end }}</dd>
<dt>Injured</dt><dd>{{ with $i.injured }}{{ .min }}{{ with .max }} to {{ . }}{{ else }} or more{{ end }}{{ else }}no figure recorded{{ end }}</dd></dl>
<h2 id="verdict">Verdict</h2><p>{{ $p.verdict }}</p><h2 id="analysis">Analysis</h2><div class="analysis">{{ .Content }}</div>
<h2 id="evidence">Evidence</h2><table><thead><tr><th>Publisher</th><th>Source</th><th>Archived copy</th><th>Kind</th><th>Stance</th><th>Date</th></tr></thead><tbody>
{{ range $p.evidence }}<tr><td>{{ .publisher }}</td><td><a href="{{ .url }}" rel="nofollow noopener noreferrer">{{ .title }}</a>{{ with .note }}<br>{{ . }}{{ end }}</td>
<td>{{ with .archive_url }}<a href="{{ . }}" rel="nofollow noopener noreferrer">Archived copy</a>{{ else }}none{{ end }}</td><td>{{ .kind }}</td><td>{{ .stance }}</td><td>{{ with .published }}{{ time.Format """ + DATE + """ . }}{{ end }}</td></tr>
{{ end }}</tbody></table><h2 id="responses">Responses</h2><ul>{{ range $p.responses }}<li><strong>{{ (index site.Data.parties .party).name }}</strong> {{ .stance }} ({{ time.Format """ + DATE + """ .date }}): {{ .summary }}</li>{{ end }}</ul>
<h2 id="updates">Updates and corrections</h2><ol>{{ range $p.updates }}<li><time datetime="{{ .date }}">{{ time.Format """ + DATE + """ .date }}</time>: {{ .note }}</li>{{ end }}</ol>
{{ with $p.related }}<h2 id="related">Related claims</h2><ul>{{ range . }}{{ with site.GetPage (printf "/claims/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ partial "badge.html" .Params.status }}</li>{{ end }}{{ end }}</ul>{{ end }}
<p>First published {{ .Date.Format """ + DATE + """ }}; last updated {{ .Lastmod.Format """ + DATE + """ }}.{{ with $p.authors }} By {{ delimit . ", " }}.{{ end }} <a href="{{ "claims/" | relURL }}">All claims</a></p></article>{{ end }}
""",
    "_default/list.html": """{{ define "title" }}{{ with .Data.Term }}{{ partial "term-name.html" $ }}{{ else }}{{ .Title }}{{ end }}{{ end }}
{{ define "main" }}{{ $name := .Title }}{{ if .Data.Term }}{{ $name = partial "term-name.html" . }}{{ end }}
{{ with .Data.Plural }}<p><a href="{{ printf "%s/" . | relURL }}">Claims by {{ . }}</a></p>{{ end }}<h1>{{ $name }}</h1>
{{ if in (slice "accused" "claimants") .Data.Plural }}{{ with (index site.Data.parties .Data.Term).parent }}<p>Part of <a href="{{ printf "%s/%s/" $.Data.Plural . | relURL }}">{{ (index site.Data.parties .).name }}</a>.</p>{{ end }}{{ end }}
{{ $pager := .Paginate .Pages }}<p>{{ len .Pages }} claims{{ if gt $pager.TotalPages 1 }}; page {{ $pager.PageNumber }} of {{ $pager.TotalPages }}{{ end }}.</p>
{{ partial "table.html" $pager.Pages }}{{ template "_internal/pagination.html" . }}{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>Claims by {{ .Data.Plural }}</h1><ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ partial "term-name.html" .Page }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
""",
    "_default/search.html": """{{ define "main" }}<h1>Search</h1><link href="{{ "pagefind/pagefind-ui.css" | relURL }}" rel="stylesheet">
<script src="{{ "pagefind/pagefind-ui.js" | relURL }}"></script><div id="search"></div>
<script>window.addEventListener("DOMContentLoaded", () => { const ui = new PagefindUI({ element: "#search" });
const q = new URLSearchParams(location.search).get("q"); if (q) ui.triggerSearch(q); });</script>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ site.Title }}</h1><p>{{ len (where site.RegularPages "Section" "claims") }} claims.</p>
<ul>""" + "".join(f'<li><a href="{{{{ "{key}/" | relURL }}}}">{label}</a></li>'
                                                         for key, label in BROWSE) + """</ul>
<h2>Latest claims</h2>{{ partial "table.html" (first 20 (where site.RegularPages "Section" "claims").ByLastmod.Reverse) }}{{ end }}
""",
}
CSS = "body{font:16px/1.5 sans-serif;max-width:60rem;margin:auto;padding:0 1rem}table{border-collapse:collapse}" \
      "td,th{padding:.2rem .4rem;border-bottom:1px solid #ddd}.badge{color:#fff;padding:0 .3rem}\n"


# --- the anchor's project --------------------------------------------------------------------------

def hugo_claim(claim: Path, content: Path, parties: dict) -> None:
    """`claim` as a Hugo content file in `content`: its front matter plus the taxonomies' terms."""
    fields, body = front_matter(claim.read_text(encoding="utf-8"))
    fields["accused_parties"] = fields["accused"]  # shown on the page; the taxonomy holds the roll-up
    fields["accused"] = list(dict.fromkeys(p for a in fields["accused_parties"] for p in lineage(a, parties)))
    fields["claimants"] = list(lineage(fields["claimant"], parties))
    fields["country"] = fields["incident"]["country"]
    fields["year"] = str(fields["incident"]["date"])[:4]
    head = yaml.dump(fields, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100)
    (content / claim.name).write_text(f"---\n{head}---\n{body}", encoding="utf-8")


def hugo_project(claims: Path, root: Path) -> Path:
    """A Hugo project in `root` of the claims in `claims`, with the layouts above."""
    data = hugo_data(claims)
    content = root / "content" / "claims"
    content.mkdir(parents=True)
    for claim in sorted(claims.glob("*.md")):
        hugo_claim(claim, content, data["parties"])
    (root / "content" / "claims" / "_index.md").write_text("---\ntitle: All claims\n---\n")
    (root / "content" / "search.md").write_text("---\ntitle: Search\nlayout: search\n---\n")
    (root / "data").mkdir()
    for name, records in data.items():
        (root / "data" / f"{name}.yaml").write_text(yaml.dump(records, Dumper=yaml.CSafeDumper, allow_unicode=True))
    for name, text in LAYOUTS.items():
        (root / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "layouts" / name).write_text(text)
    (root / "static").mkdir()
    (root / "static" / "site.css").write_text(CSS)
    (root / "hugo.toml").write_text(HUGO_CONFIG)
    return root


def hugo_data(claims: Path) -> dict[str, dict]:
    """The registries (and countries' names) as Hugo data: id -> record."""
    def read(name: str) -> dict:
        return yaml.load((claims / name).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return {"parties": read("parties.yml"), "categories": read("categories.yml"),
            "ratings": {r["id"]: {"label": r["label"], "color": r.get("color", "#757575")}
                        for r in read("ratings.yml")["ratings"]},
            "countries": {code: country_name(code) for code in COUNTRIES}}


# --- measuring -------------------------------------------------------------------------------------

def timed(command: list[str], said: list[str] | None = None) -> dict:
    """Wall and processor seconds and peak bytes of `command` (scale_bench.measured)."""
    wall, usage, peak = measured(command, said=said)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak": peak}


def anchor_build(hugo: str, root: Path, public: Path, said: list[str]) -> dict:
    """Hugo into `public`, then Pagefind over it: each timed, and the two together."""
    steps = {"Hugo": timed([hugo, "--quiet", "--source", str(root), "--destination", str(public)], said),
             "Pagefind": timed([sys.executable, "-m", "pagefind", "--silent", "--site", str(public)], said)}
    return {"wall": sum(s["wall"] for s in steps.values()), "cpu": sum(s["cpu"] for s in steps.values()),
            "peak": max(s["peak"] for s in steps.values()), "phases": {k: (s["wall"], s["cpu"]) for k, s in steps.items()},
            "steps": steps}


def site_size(site: Path, claim_id: str) -> dict:
    """Bytes and files of a built site, its search bundles and pages indexed, and one claim page."""
    size = files = 0
    for folder, _, names in os.walk(site):
        files += len(names)
        size += sum(os.stat(os.path.join(folder, name)).st_size for name in names)
    page = (site / "claims" / claim_id / "index.html").read_bytes()
    figures = site_figures(site)
    return {"bytes": size, "files": files, "page": len(page), "page_gz": len(gzip.compress(page, 6)),
            "bundles": figures["bundle_bytes"], "indexed": sum(figures["indexed"].values())}


# --- the tables ------------------------------------------------------------------------------------

def both(wall: float, cpu: float) -> str:
    return f"{wall:.1f} s / {cpu:.1f} s"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


def summed(phases: dict, names: tuple[str, ...]) -> tuple[float, float]:
    return sum(phases[n][0] for n in names), sum(phases[n][1] for n in names)


def size_text(s: dict) -> str:
    return (f"{s['bytes'] / 1e6:,.1f} MB, {s['files']:,} files (search bundles {s['bundles'] / 1e6:,.1f} MB, "
            f"{s['indexed']:,} pages indexed; a claim page {s['page'] / 1024:.1f} KB, {s['page_gz'] / 1024:.1f} KB gzipped)")


def print_tables(runs: list[dict], n: int, loads: list[float]) -> None:
    def med(kind: str, step: str, key: str) -> float:
        return statistics.median(r[kind][step][key] for r in runs)

    def phase(kind: str, step: str, names: tuple[str, ...]) -> tuple[float, float]:
        spent = [summed(r[kind][step]["phases"], names) for r in runs]
        return statistics.median(w for w, _ in spent), statistics.median(c for _, c in spent)

    anchor = runs[0]["anchor"] is not None
    cp = {b: (med("claimpress", b, "wall"), med("claimpress", b, "cpu"))
          for b in ("clean", "edited", "same", "no search")}
    cp_bare = phase("claimpress", "clean", ("generation", "MkDocs"))
    check, bare = (med("check", "check", "wall"), med("check", "check", "cpu")), \
        (med("check", "bare", "wall"), med("check", "bare", "cpu"))
    cp_peak = max(r["claimpress"]["clean"]["peak"] for r in runs)
    print(f"{n:,} claims; wall / processor seconds (user + system of every process of the build); median of "
          f"{len(runs)} run(s), alternating; {len(os.sched_getaffinity(0))} cores; load average (1 min) as each "
          f"build began: {min(loads):.1f} to {max(loads):.1f}.\n")
    print("| figure | claimpress | anchor | ratio (wall / processor) |\n|---|---|---|---|")
    rows = [("clean build with search", cp["clean"], "Hugo + Pagefind", ("anchor", "clean", ("Hugo", "Pagefind"))),
            ("clean build without search (claimpress: generation + MkDocs)", cp_bare, "Hugo",
             ("anchor", "clean", ("Hugo",))),
            ("one claim edited", cp["edited"], "Hugo + Pagefind, from scratch",
             ("anchor", "edited", ("Hugo", "Pagefind")))]
    for label, mine, name, (kind, step, names) in rows:
        theirs = phase(kind, step, names) if anchor else None
        print(f"| {label} | {both(*mine)} | " + (f"{name} {both(*theirs)} | {ratio(mine[0], theirs[0])} / "
                                                 f"{ratio(mine[1], theirs[1])} |" if theirs else "- | - |"))
    print(f"| clean `build --no-search` (the pull-request workflow's) | {both(*cp['no search'])} | claimpress' "
          f"clean build with search {both(*cp['clean'])} | {ratio(cp['no search'][0], cp['clean'][0])} / "
          f"{ratio(cp['no search'][1], cp['clean'][1])} |")
    print(f"| nothing changed | {both(*cp['same'])} | - | - |")
    print(f"| cold `check`, processor time | {check[1]:.1f} s (wall {check[0]:.1f} s) | bare CSafeLoader parse "
          f"{bare[1]:.1f} s (wall {bare[0]:.1f} s) | {ratio(check[1], bare[1])} processor ({ratio(*check)} wall) |")
    if anchor:
        steps = {k: max(r["anchor"]["clean"]["steps"][k]["peak"] for r in runs) for k in ("Hugo", "Pagefind")}
        print(f"| peak memory of the clean build (all processes, PSS) | {cp_peak / 2**20:,.0f} MiB | Hugo + Pagefind "
              f"{max(steps.values()) / 2**20:,.0f} MiB (Hugo {steps['Hugo'] / 2**20:,.0f}, Pagefind "
              f"{steps['Pagefind'] / 2**20:,.0f}) | {ratio(cp_peak, max(steps.values()))} |")
    else:
        print(f"| peak memory of the clean build (all processes, PSS) | {cp_peak / 2**20:,.0f} MiB | - | - |")
    mine_size, their_size = runs[-1]["sizes"]["claimpress"], runs[-1]["sizes"].get("anchor")
    print(f"| site | {size_text(mine_size)} | " + (f"{size_text(their_size)} | {ratio(mine_size['bytes'], their_size['bytes'])} "
                                                  f"bytes, {ratio(mine_size['files'], their_size['files'])} files |"
                                                  if their_size else "- | - |"))
    for query, found in runs[-1]["search"].items():
        print(f"| search, first query \"{query}\": bytes downloaded (raw) | {found['claimpress']} | "
              f"{found.get('anchor', '-')} | - |")
    print("\nWhere the time goes (median wall / processor seconds of each phase):\n")
    print("| build | phases |\n|---|---|")
    builds = [("claimpress", b, label) for b, label in (("clean", "clean"), ("edited", "one claim edited"),
                                                        ("same", "nothing changed"))]
    builds += [("anchor", b, label) for b, label in (("clean", "clean"), ("edited", "one claim edited")) if anchor]
    for kind, build_name, label in builds:
        names = [p for p in runs[-1][kind][build_name]["phases"] if all(p in r[kind][build_name]["phases"] for r in runs)]
        print(f"| {kind}, {label} | " + "; ".join(f"{p} {both(*phase(kind, build_name, (p,)))}" for p in names) + " |")


def progress(what: str, run: int, built: dict) -> None:
    """One build's figures on stderr as it ends: a run cut short still tells what it measured."""
    phases = "; ".join(f"{name} {both(*spent)}" for name, spent in built.get("phases", {}).items())
    print(f"run {run + 1}, {what}: {both(built['wall'], built['cpu'])}, peak {built['peak'] / 2**20:,.0f} MiB "
          f"({phases}); load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)


# --- the run ---------------------------------------------------------------------------------------

def one_run(run: int, top: Path, source: Path, n: int, hugo: str | None, loads: list[float], said: list[str]) -> dict:
    """Both tools' builds in new copies of the projects, alternating; then check and the bare parse."""
    root = top / f"claimpress-run{run + 1}"
    shutil.copytree(source / "claims", root / "claims")
    project_sources(root)
    anchor_root = hugo_project(source / "claims", top / f"hugo-run{run + 1}") if hugo else None
    public = top / f"hugo-run{run + 1}" / "public"
    result: dict = {"claimpress": {}, "anchor": {} if hugo else None, "check": {}}
    tools = ["claimpress", "anchor"] if hugo else ["claimpress"]
    order = tools if run % 2 == 0 else tools[::-1]

    def build_all(step: str) -> None:
        for tool in order:
            loads.append(os.getloadavg()[0])
            built = build(root) if tool == "claimpress" else anchor_build(hugo, anchor_root, public, said)
            result[tool][step] = built
            progress(f"{tool}, {step}", run, built)

    build_all("clean")
    quick = top / f"claimpress-no-search-run{run + 1}"  # the pull-request workflow's build, cold
    shutil.copytree(source / "claims", quick / "claims")
    project_sources(quick)
    loads.append(os.getloadavg()[0])
    result["claimpress"]["no search"] = timed([sys.executable, str(REPO / "build_claims.py"), "--root", str(quick),
                                               "build", "--no-search"])
    progress("claimpress, build --no-search", run, result["claimpress"]["no search"])
    edit_one_claim(root, n, "Edited", 0)  # its title; then waits out the caches' two-second window
    edited = sorted((root / "claims").glob("*.md"))[n // 2]
    if anchor_root:
        hugo_claim(edited, anchor_root / "content" / "claims", hugo_data(source / "claims")["parties"])
    build_all("edited")
    loads.append(os.getloadavg()[0])
    result["claimpress"]["same"] = build(root)
    progress("claimpress, nothing changed", run, result["claimpress"]["same"])
    check = [sys.executable, str(REPO / "build_claims.py"), "--root", str(source), "check"]
    for name in (("bare", "check") if run % 2 == 0 else ("check", "bare")):
        shutil.rmtree(source / ".cache", ignore_errors=True)
        loads.append(os.getloadavg()[0])
        result["check"][name] = timed(check if name == "check" else [sys.executable, "-c", BARE_PARSE, str(source)])
        progress(name, run, result["check"][name])
    claim_id = f"synthetic-claim-{n // 3:06d}"
    result["sizes"] = {"claimpress": site_size(root / "site", claim_id)}
    if hugo:
        result["sizes"]["anchor"] = site_size(public, claim_id)
    # What a reader downloads to open the search page and see a query's results (Chromium), both sites
    # served the same way: a rare word (on a few claims at 10,000) and two common ones.
    result["search"] = {query: {"claimpress": search_download(root / "site", query),
                                **({"anchor": search_download(public, query)} if hugo else {})}
                        for query in SEARCH_QUERIES}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=10000, help="synthetic claims (default 10,000)")
    parser.add_argument("--runs", type=int, default=1, help="runs of every build (median; default 1)")
    parser.add_argument("--keep", type=Path, help="make the projects in this folder and leave them there")
    args = parser.parse_args()
    hugo = shutil.which("hugo")
    if not hugo:
        print("hugo is not installed (Debian: apt-get install hugo): the anchor is skipped, claimpress alone is "
              "measured", file=sys.stderr)
    with contextlib.ExitStack() as stack:
        top = args.keep or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="claimpress-anchor-")))
        top.mkdir(parents=True, exist_ok=True)
        source = make_project(top / "source", args.claims)
        project_sources(source)
        loads: list[float] = []
        said: list[str] = []
        runs = [one_run(run, top, source, args.claims, hugo, loads, said) for run in range(args.runs)]
        print_tables(runs, args.claims, loads)
        print("\nWhat the builds said (the last run):\n")
        logs = runs[-1]["claimpress"]
        lines = re.findall(r"^checked .*$", logs["clean"]["log"], re.M)[:1]
        for step in ("clean", "edited", "same"):
            lines += [f"{step}: {line}" for line in re.findall(r"^(?:docs/:|claimpress: search index:) .*$",
                                                                logs[step]["log"], re.M)]
        lines += [f"Hugo, Pagefind: {text.strip()}" for text in dict.fromkeys(said) if text.strip()]
        print("\n".join(f"- {line}" for line in lines))
        if hugo:
            print(f"- {subprocess.run([hugo, 'version'], capture_output=True, text=True).stdout.strip()}")
        if args.keep:
            print(f"\nkept the projects in {top}")


if __name__ == "__main__":
    main()
