"""The search index in parts (claimpress/search/): real Pagefind runs over small sites.
The search page's merging of the parts is tested in a browser (test_browser.py)."""
from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitebuild import build, fixture_project, set_setting, snapshot

from claimpress.config import SiteConfig, check_config, load_config
from claimpress.search.cache import SEARCH_CACHE, index_context, part_keys
from claimpress.search.index import BackgroundIndex, SearchError, finish_index, index_parts
from claimpress.search.pages import file_digest, is_searchable
from claimpress.search.parts import (
    BYTES_PER_INDEXED_PAGE,
    PagefindRun,
    pagefind_runs,
    search_index_jobs,
    search_parts,
)

# Names that a glob of paths could not carry (Pagefind refuses "\\!", "(" or ":" in one), and others.
AWKWARD = ["a,b/index.html", "c{d}/index.html", "e[f]/index.html", "faq (old)/index.html", "wow!/index.html",
           "g*h?/index.html", "x:y <z>/index.html", "caf\u00e9 'q' \"q\"/index.html", "plain/index.html"]


def small_site(root: Path, paths: list[str]) -> Path:
    for path in paths:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text('<html lang="en"><body><div data-pagefind-body><p>a page here</p>'
                                 "</div></body></html>")
    return root


def fragments(site: Path, bundle: str) -> list[dict]:
    """What a bundle holds of each page: its fragment (gzip: "pagefind_dcd" and JSON)."""
    return [json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd"):]) for f in (site / bundle / "fragment").iterdir()]


def addresses(site: Path, bundle: str) -> list[str]:
    """The address of each page in a bundle, from its fragments."""
    return sorted(fragment["url"] for fragment in fragments(site, bundle))


def url(path: str) -> str:
    return "/" + path.removesuffix("index.html")


def index_in_parts(site: Path, parts: list[list[str]], work: Path, jobs: int = 2) -> Path:
    """Index each part into its bundle, work/bundles/<n>; that folder."""
    work.mkdir()
    index_parts(pagefind_runs(str(site), parts, str(work), str(work / "bundles")), jobs)
    return work / "bundles"


def test_each_part_indexes_its_own_pages_whatever_their_names(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site", [*AWKWARD, "left-out/index.html"])
    parts = search_parts(set(AWKWARD), 3)
    assert len(parts) >= 2 and sorted(sum(parts, [])) == sorted(AWKWARD)
    bundles = index_in_parts(site, parts, tmp_path / "work")
    # Each page in the part that holds it, at its own address; "left-out" (in no part) nowhere.
    for number, part in enumerate(parts):
        assert addresses(bundles, str(number)) == sorted(map(url, part)), number


def test_parts_indexed_at_once_give_the_bundles_of_parts_indexed_in_turn(tmp_path: Path) -> None:
    """Pagefind runs over several parts at the same time: each bundle is the one a run alone makes."""
    names = [f"p{i:02d}/index.html" for i in range(12)]
    parts = search_parts(set(names), 3)
    one_at_a_time, together = small_site(tmp_path / "a", names), small_site(tmp_path / "b", names)
    alone = index_in_parts(one_at_a_time, parts, tmp_path / "work-a", jobs=1)
    at_once = index_in_parts(together, parts, tmp_path / "work-b", jobs=4)
    bundles = [str(n) for n in range(len(parts))]
    assert len(bundles) >= 3
    assert [addresses(at_once, b) for b in bundles] == [addresses(alone, b) for b in bundles]
    assert [addresses(at_once, b) for b in bundles] == [sorted(map(url, part)) for part in parts]


def recorder(log: Path, name: str, seconds: float = 0.0, code: int = 0) -> list[str]:
    """A command that appends when it starts and ends to `log`, sleeping in between."""
    return [sys.executable, "-c", f"import time, sys; log = open({str(log)!r}, 'a'); "
            f"log.write(f'{name} start {{time.time()}}\\n'); log.flush(); time.sleep({seconds}); "
            f"log.write(f'{name} end {{time.time()}}\\n'); print('{name} says no'); sys.exit({code})"]


def spans(log: Path) -> dict[str, tuple[float, float]]:
    times: dict[str, dict[str, float]] = {}
    for line in log.read_text().splitlines():
        name, what, when = line.split()
        times.setdefault(name, {})[what] = float(when)
    return {name: (t["start"], t["end"]) for name, t in times.items()}


@pytest.mark.parametrize("jobs", [1, 2])
def test_parts_run_as_many_at_once_as_jobs(tmp_path: Path, jobs: int) -> None:
    log = tmp_path / "log"
    index_parts([PagefindRun(recorder(log, name, 1.0), "", [], None) for name in "abc"], jobs)
    ran = spans(log)
    assert sorted(ran) == ["a", "b", "c"]
    # At the start of each run, how many runs were going (itself included): never more than `jobs`.
    at_once = [sum(1 for start, end in ran.values() if start <= begun < end) for begun, _ in ran.values()]
    assert max(at_once) == jobs
    assert ran["c"][0] >= min(ran["a"][1], ran["b"][1])  # c waits for a free place


def test_a_part_that_fails_stops_the_build_with_pagefinds_words_and_starts_no_other(tmp_path: Path) -> None:
    log = tmp_path / "log"
    runs = [PagefindRun(recorder(log, "a", 0.5, code=3), "", [], None),
            *(PagefindRun(recorder(log, name), "", [], None) for name in "bcd")]
    with pytest.raises(SearchError, match=r"Pagefind could not index the site for search:\na says no"):
        index_parts(runs, 1)
    assert list(spans(log)) == ["a"]


def test_a_part_whose_pages_cannot_be_linked_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "folder").write_text("a file where the part's folder should be")
    run = PagefindRun(["true"], str(tmp_path), ["p/index.html"], str(tmp_path / "folder"))
    with pytest.raises(SearchError, match="the search index could not be made: "):
        index_parts([run], 2)


@pytest.mark.parametrize("cores, parts, available, jobs", [
    (2, 3, 64 * 2**30, 2),     # one run a core
    (8, 3, 64 * 2**30, 3),     # no more runs than parts
    (2, 1, 64 * 2**30, 1),     # one part: one run
    (4, 4, 2 * 5000 * BYTES_PER_INDEXED_PAGE + 1, 2),  # only two fit in memory
    (4, 4, 1000, 1),           # not even one fits: one, as before there were several
    (4, 4, None, 1),           # memory unknown: one at a time
])
def test_how_many_parts_are_indexed_at_once(cores: int, parts: int, available: int | None, jobs: int) -> None:
    assert search_index_jobs([["p"] * 5000] * parts, cores, available) == jobs


def test_parts_of_thousands_of_long_names(tmp_path: Path) -> None:
    """6,000 pages of 77-character paths in 2 parts: a glob of one part's paths (230 KB) is more
    than Pagefind takes."""
    names = [f"claims/{'long-name-of-an-allegation-' * 2}{i:05d}/index.html" for i in range(6000)]
    assert len(names[0]) == 77
    site = small_site(tmp_path / "site", names)
    parts = search_parts(set(names), 3000)
    assert len(parts) == 2 and all(2800 < len(part) < 3200 for part in parts)
    bundles = index_in_parts(site, parts, tmp_path / "work")
    assert sorted(addresses(bundles, "0") + addresses(bundles, "1")) == sorted(map(url, names))


def test_one_part_is_the_whole_site_as_pagefind_finds_it(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site", ["one/index.html", "two/index.html"])
    runs = pagefind_runs(str(site), search_parts({"one/index.html"}, 5), None, None)
    assert len(runs) == 1 and runs[0].pages == [] and "--output-path" not in runs[0].command
    subprocess.run(runs[0].command, check=True)
    assert addresses(site, "pagefind") == ["/one/", "/two/"] and not (site / "pagefind-2").exists()


def test_no_searchable_page_is_one_part() -> None:
    assert search_parts(set(), 10) == [[]]


def test_parts_are_as_few_as_can_be_of_about_even_sizes_and_each_page_in_one() -> None:
    pages = {f"claims/allegation-{i:04d}/index.html" for i in range(1000)}
    parts = search_parts(pages, 300)
    assert len(parts) == 4 and all(200 < len(part) < 300 for part in parts)  # 250 each, give or take
    assert sorted(sum(parts, [])) == sorted(pages) and all(part == sorted(part) for part in parts)
    assert search_parts(pages, 1000) == [sorted(pages)]
    assert search_parts(pages, 999)[0] != sorted(pages)[::2]  # dealt by the path's digest, not in turn
    # An even number of parts, so that two at a time on two cores leave no part to run alone.
    assert [len(search_parts(pages, per)) for per in (1000, 999, 400, 334, 333, 200)] == [1, 2, 4, 4, 4, 6]


def test_a_page_stays_in_its_part_when_pages_are_added_or_removed() -> None:
    """So that the parts whose pages did not change keep their index (SearchCache)."""
    pages = {f"claims/allegation-{i:04d}/index.html" for i in range(1000)}
    before = search_parts(pages, 300)
    after = search_parts((pages - {"claims/allegation-0500/index.html"}) | {f"claims/new-{i}/index.html" for i in range(50)},
                         300)
    assert len(after) == len(before) == 4
    for old, new in zip(before, after):
        assert set(old) - {"claims/allegation-0500/index.html"} <= set(new)


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
    assert addresses(site, "pagefind") == searchable and not list(site.glob("pagefind-*"))


@pytest.mark.parametrize("html, searchable", [
    ('<html><body><div data-pagefind-body><p>x</p></div>', True),
    ('<div class="a" data-pagefind-body="">', True),
    ('<article\n  data-pagefind-body>', True),
    ('<p>the words data-pagefind-body in a sentence</p>', False),
    ('<p>first data-pagefind-body in text</p><main data-pagefind-body>', True),
    ('<div data-pagefind-bodyx>', False),
    ('<div title="' + "x" * 20000 + '" data-pagefind-body>', True),  # far from the tag's start
    ('<p>data-pagefind-body></p>', False),
    ('<div\u00a0data-pagefind-body>', False),  # no-break space: not HTML's whitespace between attributes
    ("", False),
])
def test_a_page_is_searchable_when_a_tag_has_the_attribute(tmp_path: Path, html: str, searchable: bool) -> None:
    assert is_searchable(html) is searchable
    (tmp_path / "page.html").write_text(html, encoding="utf-8")  # the build reads the file's bytes: alike
    assert (file_digest(str(tmp_path / "page.html")) is not None) is searchable


def parts_indexed(stderr: str) -> tuple[int, int]:
    """(parts indexed, parts in all), as the build says them."""
    found = re.search(r"search index: ([0-9]+) of ([0-9]+) part\(s\) indexed", stderr)
    assert found, stderr
    return int(found[1]), int(found[2])


def test_a_rebuild_indexes_again_only_the_parts_whose_pages_changed(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    set_setting(root, "pages_per_search_index", 3)
    first = build(root)
    assert first.returncode == 0, first.stderr
    site, cache = root / "site", root / SEARCH_CACHE
    count = parts_indexed(first.stderr)[1]
    assert count >= 3 and parts_indexed(first.stderr) == (count, count)
    assert sorted(b.name for b in site.glob("pagefind*")) == ["pagefind"]  # the parts merged into one bundle
    first_keys = sorted(p.name for p in cache.iterdir())
    assert len(first_keys) == count
    cached = {key: snapshot(cache / key) for key in first_keys}
    before = snapshot(site / "pagefind")

    # Nothing changed, but the site is gone (else the build stops early: site/ is up to date): every
    # part comes from the cache, and the merged bundle is as it was.
    shutil.rmtree(site)
    again = build(root)
    assert again.returncode == 0 and parts_indexed(again.stderr) == (0, count), again.stderr
    assert snapshot(site / "pagefind") == before

    claim = root / "claims" / "valid-full.md"
    claim.write_text(claim.read_text().replace("Example allegation that uses every field",
                                               "Example allegation whose title was corrected"))
    third = build(root)
    assert third.returncode == 0, third.stderr
    changed = parts_indexed(third.stderr)[0]
    assert 1 <= changed < count and parts_indexed(third.stderr)[1] == count
    # The new title is in the index, the old one nowhere; the index still holds every searchable page.
    titles = [f["meta"]["title"] for f in fragments(site, "pagefind")]
    assert "Example allegation whose title was corrected" in titles
    assert "Example allegation that uses every field" not in titles
    searchable = sorted(url(p.relative_to(site).as_posix()) for p in site.rglob("*.html")
                        if "<div data-pagefind-body>" in p.read_text())
    assert addresses(site, "pagefind") == searchable
    # The cache holds this build's bundles only; those it kept were not changed by the builds.
    keys = sorted(p.name for p in cache.iterdir())
    assert len(keys) == count and len(set(keys) - set(first_keys)) == changed
    assert all(snapshot(cache / key) == cached[key] for key in set(keys) & set(first_keys))


def test_a_damaged_bundle_in_the_cache_is_not_used(tmp_path: Path) -> None:
    """A cache restored in part (by CI, say) must not put half an index on the site."""
    root = fixture_project(tmp_path / "p")
    set_setting(root, "pages_per_search_index", 3)
    first = build(root)
    assert first.returncode == 0
    site, cache = root / "site", root / SEARCH_CACHE
    before = snapshot(site / "pagefind")
    damaged = sorted(cache.iterdir())[0]
    fragment = next((damaged / "fragment").iterdir())
    fragment.unlink()
    shutil.rmtree(site)  # else the build stops early: site/ is up to date
    again = build(root)
    assert again.returncode == 0 and parts_indexed(again.stderr) == (1, parts_indexed(first.stderr)[1])
    # The site's bundle is whole, as before: the damaged part was indexed again, whole.
    assert snapshot(site / "pagefind") == before


def test_the_search_cache_key_covers_the_pages_their_html_and_pagefind() -> None:
    pages, both = {"a/index.html": "1", "b/index.html": "2"}, ["a/index.html", "b/index.html"]
    context = index_context(".")
    [key] = part_keys(pages, [both], context)
    assert key is not None and [key] == part_keys(dict(pages), [both], index_context("."))
    assert [key] != part_keys({**pages, "b/index.html": "3"}, [both], context)
    assert [key] != part_keys(pages, [["a/index.html"]], context)
    assert [key] != part_keys(pages, [both], "another Pagefind, or other settings")
    assert part_keys(pages, [[]], context) == [None]  # no page with data-pagefind-body: Pagefind indexes every page
    assert part_keys(pages, [both], None) == [None]  # no Pagefind


@pytest.mark.parametrize("value", ["0", "-3", "many", "2.5", "true", "null"])
def test_a_wrong_pages_per_search_index_is_an_error_naming_the_setting(tmp_path: Path, value: str) -> None:
    (tmp_path / "mkdocs.yml").write_text(f"site_name: x\nextra:\n  claimpress:\n    pages_per_search_index: {value}\n")
    found = check_config(load_config(tmp_path), needs_claimreview=False)
    assert [d.code for d in found] == ["invalid-config"]
    assert "extra.claimpress.pages_per_search_index is not a whole number above 0" in found[0].message


def test_pages_per_search_index_has_a_default(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    assert load_config(tmp_path).pages_per_search_index == SiteConfig.pages_per_search_index == 500
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nextra:\n  claimpress:\n    pages_per_search_index: 7\n")
    assert load_config(tmp_path).pages_per_search_index == 7


def test_the_parts_bundles_are_merged_into_the_sites_and_its_languages_listed(tmp_path: Path) -> None:
    """finish_index merges the parts' bundles into the site's pagefind/ (test_search_merge.py has how)
    and lists its languages for the search page, each named in its own language."""
    site = tmp_path / "site"
    names = [f"p{i}/index.html" for i in range(6)]
    for n, name in enumerate(names):
        (site / name).parent.mkdir(parents=True)
        (site / name).write_text(f'<html lang="{"en" if n % 2 else "uk"}"><body><main data-pagefind-body>'
                                 f"<p>page {n}</p></main></body></html>")
    parts = search_parts(set(names), 2)
    bundles = index_in_parts(site, parts, tmp_path / "work")
    finish_index(str(site), [str(bundles / str(n)) for n in range(len(parts))])
    assert len(parts) >= 2 and addresses(site, "pagefind") == sorted(map(url, names))
    assert json.loads((site / "pagefind" / "claimpress-languages.json").read_text()) == {
        "languages": {"en": 3, "uk": 3},
        "names": {"en": {"dir": "ltr", "name": "English", "tag": "en"},
                  "uk": {"dir": "ltr", "name": "українська", "tag": "uk"}}}


def test_the_preview_index_stops_at_once_and_cleans_up(tmp_path: Path) -> None:
    work, done = tmp_path / "work", []
    work.mkdir()
    sleep = [sys.executable, "-c", "import time; time.sleep(60)"]
    index = BackgroundIndex([PagefindRun(sleep, "", [], None)] * 2, str(work), lambda: done.append(1), [None] * 2, {},
                            print, print)
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
    index = BackgroundIndex([PagefindRun(mark, "", [], None)] * 2, str(work), lambda: done.append(1), [None] * 2, {},
                            print, print)
    index.thread.join(30)
    assert (tmp_path / "ran").read_text() == "xx" and done == [1] and not work.exists()


STATIC_PAGE = ('<!doctype html><html lang="en"><head><title>Explainer</title></head><body>'
               "<main data-pagefind-body><h1>Explainer</h1><p>{word} is explained here.</p></main></body></html>")


@pytest.mark.parametrize("per_part", [None, 3], ids=["one part", "parts of 3 pages"])
def test_a_static_html_page_among_the_docs_is_searchable_and_its_changes_reindexed(tmp_path: Path,
                                                                                     per_part: int | None) -> None:
    """An HTML page copied as it is from docs/ (a hand-made explainer) is indexed when it has
    data-pagefind-body, in one part or in several, and a change to it alone makes its part's
    bundle be made again, not taken from the cache."""
    root = fixture_project(tmp_path / "p")
    if per_part:
        set_setting(root, "pages_per_search_index", per_part)
    page = root / "docs" / "explainer.html"
    page.write_text(STATIC_PAGE.format(word="Zanzibarite"))
    first = build(root)
    assert first.returncode == 0, first.stderr
    site = root / "site"

    def indexed() -> list[str]:
        return [f["content"] for b in sorted(site.glob("pagefind*")) for f in fragments(site, b.name)
                if f["url"] == "/explainer.html"]

    assert len(indexed()) == 1 and "Zanzibarite" in indexed()[0]
    page.write_text(STATIC_PAGE.format(word="Quetzalcoatlite"))
    again = build(root)
    assert again.returncode == 0, again.stderr
    assert len(indexed()) == 1 and "Quetzalcoatlite" in indexed()[0], again.stderr
    assert re.search(r"search index: 1 of \d+ part\(s\) indexed", again.stderr), again.stderr  # its part only


def test_stopping_the_preview_index_again_after_an_interrupted_stop_waits_for_its_clean_up(tmp_path: Path) -> None:
    """The preview stopped (Ctrl-C) while a rebuild was stopping the last index: the stop is
    interrupted, and the one at MkDocs' shutdown must still wait until the index's folder of links
    is gone, since MkDocs then deletes the site that holds it (a CPython 3.11 join would not wait)."""
    import signal

    work = tmp_path / "work"
    for folder in range(20):  # enough files that removing them takes a while
        (work / f"{folder}").mkdir(parents=True)
        for page in range(250):
            (work / f"{folder}" / f"{page}.html").touch()
    sleep = [sys.executable, "-c", "import time; time.sleep(60)"]
    index = BackgroundIndex([PagefindRun(sleep, "", [], None)], str(work), lambda: None, [None], {}, print, print)
    deadline = time.monotonic() + 30
    while index.process is None and time.monotonic() < deadline:
        time.sleep(0.05)

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.01)
        with pytest.raises(KeyboardInterrupt):
            index.stop()
            time.sleep(5)  # the stop returned before the interrupt came: let it come here
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    index.stop()
    assert not work.exists()
