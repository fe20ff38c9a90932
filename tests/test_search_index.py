"""The search index in parts (claimpress/mkdocs_hooks.py): real Pagefind runs over small sites.
The search page's merging of the parts is tested in a browser (test_browser.py)."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from sitebuild import build, fixture_project, set_setting

from claimpress.mkdocs_hooks import (BackgroundIndex, _remove_unused_bundles, pages_per_search_index,
                                     pagefind_runs, search_parts)

AWKWARD = ["a,b/index.html", "c{d}/index.html", "e[f]/index.html", "g*h?/index.html", "plain/index.html"]


def small_site(root: Path, paths: list[str]) -> Path:
    for path in paths:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        word = path.split("/")[0]
        (root / path).write_text(f'<html lang="en"><body><div data-pagefind-body><p>page {word} here</p>'
                                 f"</div></body></html>")
    return root


def indexed(site: Path, bundle: str) -> int:
    return json.loads((site / bundle / "pagefind-entry.json").read_text())["languages"]["en"]["page_count"]


def test_each_part_indexes_its_own_pages_even_with_glob_characters_in_their_names(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site", [*AWKWARD, "left-out/index.html"])
    parts = search_parts(set(AWKWARD), 2)
    assert parts == [AWKWARD[:2], AWKWARD[2:4], AWKWARD[4:]]
    (tmp_path / "work").mkdir()
    for command, cwd in pagefind_runs(str(site), parts, str(tmp_path / "work")):
        subprocess.run(command, cwd=cwd, check=True)
    # 2 + 2 + 1: each page in the part that lists it, and "left-out" (listed in none) nowhere.
    assert [indexed(site, b) for b in ("pagefind", "pagefind-2", "pagefind-3")] == [2, 2, 1]


def test_one_part_is_the_whole_site_as_pagefind_finds_it(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site", ["one/index.html", "two/index.html"])
    runs = pagefind_runs(str(site), search_parts({"one/index.html"}, 5), str(tmp_path))
    assert len(runs) == 1 and runs[0][1] is None and "--output-subdir" not in runs[0][0]
    subprocess.run(runs[0][0], check=True)
    assert indexed(site, "pagefind") == 2 and not (site / "pagefind-2").exists()


def test_no_searchable_page_is_one_part() -> None:
    assert search_parts(set(), 10) == [[]]


def test_parts_are_as_few_as_can_be_and_of_even_sizes() -> None:
    pages = {f"p{i:02d}/index.html" for i in range(7)}
    assert [len(part) for part in search_parts(pages, 3)] == [3, 2, 2]
    assert [len(part) for part in search_parts(pages, 7)] == [7]
    assert sum(search_parts(pages, 3), []) == sorted(pages)


def test_a_dirty_build_indexes_the_pages_it_did_not_write(tmp_path: Path) -> None:
    """`mkdocs build --dirty` writes only the pages whose source changed; the parts must still hold
    every searchable page, the others read from their files."""
    root = fixture_project(tmp_path / "p")
    set_setting(root, "pages_per_search_index", 3)
    assert build(root).returncode == 0
    site = root / "site"
    searchable = sum(1 for p in site.rglob("*.html") if "<div data-pagefind-body>" in p.read_text())
    sources = sorted((root / "docs" / "claims").glob("*.md"))[:4] + [root / "docs" / "methodology.md"]
    assert len(sources) == 5 and searchable > 8  # more pages written than a part holds, and more left alone
    time.sleep(0.01)
    for source in sources:
        source.touch()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--dirty"], cwd=root,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    merged = json.loads((site / "pagefind" / "claimpress-parts.json").read_text())["merge"]
    assert sum(indexed(site, bundle) for bundle in ["pagefind", *(m.strip("./") for m in merged)]) == searchable


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
    index = BackgroundIndex([(sleep, None), (sleep, None)], str(work), lambda: done.append(1))
    time.sleep(0.5)
    started = time.monotonic()
    index.stop()
    assert time.monotonic() - started < 10 and not index.thread.is_alive()
    assert index.process is not None and index.process.returncode is not None
    assert done == [] and not work.exists()


def test_the_preview_index_runs_every_part_then_lists_them(tmp_path: Path) -> None:
    work, done = tmp_path / "work", []
    work.mkdir()
    mark = [sys.executable, "-c", f"open({str(tmp_path / 'ran')!r}, 'a').write('x')"]
    index = BackgroundIndex([(mark, None), (mark, None)], str(work), lambda: done.append(1))
    index.thread.join(30)
    assert (tmp_path / "ran").read_text() == "xx" and done == [1] and not work.exists()
