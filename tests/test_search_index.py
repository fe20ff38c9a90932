"""The search index in parts (claimpress/mkdocs_hooks.py): real Pagefind runs over small sites.
The search page's merging of the parts is tested in a browser (test_browser.py)."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from sitebuild import build, fixture_project, set_setting

from claimpress.mkdocs_hooks import (BackgroundIndex, PagefindRun, _remove_unused_bundles,
                                     pages_per_search_index, pagefind_runs, search_parts)

# Names that a glob of paths could not carry (Pagefind refuses "\\!", "(" or ":" in one), and others.
AWKWARD = ["a,b/index.html", "c{d}/index.html", "e[f]/index.html", "faq (old)/index.html", "wow!/index.html",
           "g*h?/index.html", "x:y <z>/index.html", "caf\u00e9 'q' \"q\"/index.html", "plain/index.html"]


def small_site(root: Path, paths: list[str]) -> Path:
    for path in paths:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text('<html lang="en"><body><div data-pagefind-body><p>a page here</p>'
                                 "</div></body></html>")
    return root


def addresses(site: Path, bundle: str) -> list[str]:
    """The address of each page in a bundle, from its fragments (gzip: "pagefind_dcd" and JSON)."""
    return sorted(json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd"):])["url"]
                  for f in (site / bundle / "fragment").iterdir())


def url(path: str) -> str:
    return "/" + path.removesuffix("index.html")


def index_in_parts(site: Path, parts: list[list[str]], work: Path) -> None:
    work.mkdir()
    for run in pagefind_runs(str(site), parts, str(work)):
        run.prepare()
        subprocess.run(run.command, check=True)


def test_each_part_indexes_its_own_pages_whatever_their_names(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site", [*AWKWARD, "left-out/index.html"])
    parts = search_parts(set(AWKWARD), 3)
    assert [len(part) for part in parts] == [3, 3, 3]
    index_in_parts(site, parts, tmp_path / "work")
    # Each page in the part that holds it, at its own address; "left-out" (in no part) nowhere.
    for number, bundle in enumerate(("pagefind", "pagefind-2", "pagefind-3")):
        assert addresses(site, bundle) == sorted(map(url, parts[number])), bundle
    assert sorted(sum(parts, [])) == sorted(AWKWARD)


def test_parts_of_thousands_of_long_names(tmp_path: Path) -> None:
    """6,000 pages of 77-character paths in 2 parts: a glob of one part's paths (230 KB) is more
    than Pagefind takes."""
    names = [f"claims/{'long-name-of-an-allegation-' * 2}{i:05d}/index.html" for i in range(6000)]
    assert len(names[0]) == 77
    site = small_site(tmp_path / "site", names)
    parts = search_parts(set(names), 3000)
    index_in_parts(site, parts, tmp_path / "work")
    assert len(addresses(site, "pagefind")) == len(addresses(site, "pagefind-2")) == 3000
    assert sorted(addresses(site, "pagefind") + addresses(site, "pagefind-2")) == sorted(map(url, names))


def test_one_part_is_the_whole_site_as_pagefind_finds_it(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site", ["one/index.html", "two/index.html"])
    runs = pagefind_runs(str(site), search_parts({"one/index.html"}, 5), None)
    assert len(runs) == 1 and runs[0].pages == [] and "--output-path" not in runs[0].command
    subprocess.run(runs[0].command, check=True)
    assert addresses(site, "pagefind") == ["/one/", "/two/"] and not (site / "pagefind-2").exists()


def test_no_searchable_page_is_one_part() -> None:
    assert search_parts(set(), 10) == [[]]


def test_parts_are_as_few_as_can_be_and_of_even_sizes() -> None:
    pages = {f"p{i:02d}/index.html" for i in range(7)}
    assert search_parts(pages, 3) == [["p00/index.html", "p03/index.html", "p06/index.html"],
                                      ["p01/index.html", "p04/index.html"], ["p02/index.html", "p05/index.html"]]
    assert search_parts(pages, 7) == [sorted(pages)]


def test_a_dirty_build_indexes_the_pages_it_did_not_write(tmp_path: Path) -> None:
    """`mkdocs build --dirty` writes only the pages whose source changed; the parts must still hold
    every searchable page, the others read from their files."""
    root = fixture_project(tmp_path / "p")
    set_setting(root, "pages_per_search_index", 3)
    assert build(root).returncode == 0
    site = root / "site"
    searchable = sorted(url(p.relative_to(site).as_posix()) for p in site.rglob("*.html")
                        if "<div data-pagefind-body>" in p.read_text())
    sources = sorted((root / "docs" / "claims").glob("*.md"))[:4] + [root / "docs" / "methodology.md"]
    assert len(sources) == 5 and len(searchable) >= 8  # more pages written than a part holds, and a part's worth left alone
    before = {p: p.stat().st_mtime_ns for p in site.rglob("index.html") if "pagefind" not in p.parts[-2]}
    time.sleep(0.01)
    for source in sources:
        source.touch()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--dirty"], cwd=root,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    rewritten = [p for p, mtime in before.items() if p.stat().st_mtime_ns != mtime]
    assert 5 <= len(rewritten) < len(before) - 8  # the touched pages (and those in the navigation), not all
    merged = json.loads((site / "pagefind" / "claimpress-parts.json").read_text())["merge"]
    assert len(merged) >= 2
    assert sorted(sum((addresses(site, b) for b in ["pagefind", *(m.strip("./") for m in merged)]), [])) == searchable


@pytest.mark.parametrize("value", [0, -3, "many", 2.5, True, None])
def test_a_wrong_pages_per_search_index_is_an_error_naming_the_setting(value: object) -> None:
    with pytest.raises(PluginError, match=r"extra\.claimpress\.pages_per_search_index: .* whole number above 0"):
        pages_per_search_index({"extra": {"claimpress": {"pages_per_search_index": value}}})


def test_pages_per_search_index_has_a_default() -> None:
    assert pages_per_search_index({"extra": {}}) == 5000
    assert pages_per_search_index({"extra": {"claimpress": {"pages_per_search_index": 7}}}) == 7


def test_bundles_of_parts_the_site_no_longer_has_are_removed(tmp_path: Path) -> None:
    for name in ("pagefind", "pagefind-2", "pagefind-3", "pagefind-10", "pagefinder", "claims"):
        (tmp_path / name).mkdir()
    _remove_unused_bundles(str(tmp_path), 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims", "pagefind", "pagefind-2", "pagefinder"]


def test_the_preview_index_stops_at_once_and_cleans_up(tmp_path: Path) -> None:
    work, done = tmp_path / "work", []
    work.mkdir()
    sleep = [sys.executable, "-c", "import time; time.sleep(60)"]
    index = BackgroundIndex([PagefindRun(sleep, "", [], None)] * 2, str(work), lambda: done.append(1))
    deadline = time.monotonic() + 30
    while index.process is None and time.monotonic() < deadline:
        time.sleep(0.05)
    started = time.monotonic()
    index.stop()
    assert time.monotonic() - started < 10 and not index.thread.is_alive()
    assert index.process is not None and index.process.returncode is not None
    assert done == [] and not work.exists()


def test_the_preview_index_runs_every_part_then_lists_them(tmp_path: Path) -> None:
    work, done = tmp_path / "work", []
    work.mkdir()
    mark = [sys.executable, "-c", f"open({str(tmp_path / 'ran')!r}, 'a').write('x')"]
    index = BackgroundIndex([PagefindRun(mark, "", [], None)] * 2, str(work), lambda: done.append(1))
    index.thread.join(30)
    assert (tmp_path / "ran").read_text() == "xx" and done == [1] and not work.exists()
