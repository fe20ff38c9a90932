"""The parts' bundles merged into one (claimpress/search/merge.py) are the index one run of Pagefind
over all their pages makes: the same words, at the same places of the same pages, the same filters,
pages and word counts, the same chunks; only the pages' numbers differ."""
from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import cbor2
import pytest
from sitebuild import snapshot

from claimpress.search import merge
from claimpress.search.bundle import ENTRY, _pack
from claimpress.search.index import index_parts
from claimpress.search.merge import WORDS, MergeError, merge_bundles
from claimpress.search.parts import PAGEFIND_OPTIONS, pagefind_runs, search_parts

VOCABULARY = "limoutai limo limousine café cafe naïve über crème report strike market school".split()


def page(n: int) -> str:
    """A page in English or Ukrainian, with words common to all, rare ones, filters and metadata."""
    lang = "uk" if n % 5 == 4 else "en"
    words = " ".join(VOCABULARY[(n * k) % len(VOCABULARY)] for k in range(1, 8))
    rare = f" word{n}" if n % 3 else ""
    return (f'<html lang="{lang}"><head><title>Page {n}</title></head><body><main data-pagefind-body>'
            f'<h1 data-pagefind-meta="title">Page {n} {words}</h1><p>{words}{rare} {"удар " * (n % 3)}</p>'
            f'<span data-pagefind-filter="status">{["Denied", "Confirmed", "Disputed"][n % 3]}</span>'
            f'<span data-pagefind-filter="year">{2000 + n % 4}</span></main></body></html>')


def make_site(root: Path, count: int, sort: bool = False) -> list[str]:
    names = []
    for n in range(count):
        name = f"claims/c{n:03d}/index.html"
        (root / name).parent.mkdir(parents=True)
        html = page(n)
        if sort:
            html = html.replace("</main>", f'<span data-pagefind-sort="weight">{n}</span></main>')
        (root / name).write_text(html)
        names.append(name)
    return names


def read(path: Path):
    return cbor2.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])


def whole(pages: list) -> list:
    """A word's pages with their numbers whole (Pagefind writes each less the one before)."""
    number, out = 0, []
    for entry in pages:
        number += entry[0]
        out.append([number, *entry[1:]])
    return out


def index_of(bundle: Path) -> dict:
    """Each language's index, its pages named by their address, not their number."""
    entry = json.loads((bundle / ENTRY).read_text())
    found = {}
    for language, about in entry["languages"].items():
        description = read(bundle / f"pagefind.{about['hash']}.pf_meta")
        urls = [json.loads(gzip.decompress((bundle / "fragment" / f"{name}.pf_fragment").read_bytes())[12:])["url"]
                for name, _ in description[1]]

        def named(pages: list, urls: list[str] = urls) -> list:
            return sorted([urls[p[0]], p[1], p[2]] for p in whole(pages))

        words = {}
        for chunk in description[2]:
            for word, pages, variants in read(bundle / "index" / f"{chunk[2]}.pf_index")[0]:
                words[word] = [named(pages), sorted([form, named(forms)] for form, forms in variants)]
        filters = {name: {value: sorted(urls[n] for n in numbers)
                          for value, numbers in read(bundle / "filter" / f"{file}.pf_filter")[1]}
                   for name, file in description[3]}
        found[language] = {"pages": sorted(zip(urls, (count for _, count in description[1]))), "words": words,
                           "filters": filters, "chunks": [chunk[:2] for chunk in description[2]],
                           "fields": description[5], "count": about["page_count"]}
    return found


def parts_and_whole(tmp_path: Path, count: int, per_part: int, sort: bool = False) -> tuple[list[str], Path]:
    """The site's pages indexed in parts (their bundles) and in one run (the bundle)."""
    site = tmp_path / "site"
    names = make_site(site, count, sort)
    parts = search_parts(set(names), per_part)
    (tmp_path / "work").mkdir()
    runs = pagefind_runs(str(site), parts, str(tmp_path / "work"), str(tmp_path / "bundles"))
    index_parts(runs, 2)
    one = tmp_path / "one"
    subprocess.run([sys.executable, "-m", "pagefind", *PAGEFIND_OPTIONS, "--site", str(site),
                    "--output-path", str(one)], check=True)
    return [run.output for run in runs], one


def test_the_merged_bundle_is_the_index_of_one_run(tmp_path: Path) -> None:
    bundles, one = parts_and_whole(tmp_path, 90, 20)
    assert len(bundles) >= 4
    merge_bundles(bundles, str(tmp_path / "merged"))
    merged, expected = index_of(tmp_path / "merged"), index_of(one)
    assert sorted(merged) == ["en", "uk"] and merged == expected
    # What the comparison covers: rare words in one part only, a word with its diacritic variants,
    # words in the metadata (the title), filters; and no more than one chunk, or it would not test the cut.
    assert merged["en"]["words"]["word1"][0][0][0] == "/claims/c001/"
    assert [form for form, _ in merged["en"]["words"]["cafe"][1]] == ["café"]
    assert any(entry[2] for entry in merged["en"]["words"]["page"][0])
    assert merged["en"]["filters"]["status"].keys() == {"Denied", "Confirmed", "Disputed"}
    # The program (scripts, WebAssembly) is there, and nothing else but the index.
    assert {p.name for p in (tmp_path / "merged").iterdir()} == {p.name for p in one.iterdir()} - {
        p.name for p in one.glob("*.pf_meta")} | {p.name for p in (tmp_path / "merged").glob("*.pf_meta")}


def test_words_are_cut_into_chunks_where_one_run_cuts_them(tmp_path: Path) -> None:
    """Enough pages for several chunks of 20,000 locations: the same chunks, the same first and last
    words (shortened to what tells a chunk from the next), as one run's."""
    bundles, one = parts_and_whole(tmp_path, 1500, 400)
    merge_bundles(bundles, str(tmp_path / "merged"))
    merged, expected = index_of(tmp_path / "merged"), index_of(one)
    assert len(merged["en"]["chunks"]) >= 3 and merged == expected
    assert any(len(chunk[1]) < len(max(merged["en"]["words"], key=len)) for chunk in merged["en"]["chunks"])


def chunk_starts(bundle: str) -> list[str]:
    """The first words of a bundle's chunks after its first (where merge_bundles may cut its ranges)."""
    return [chunk[0] for chunk in read(next(Path(bundle).glob("pagefind.en_*.pf_meta")))[2][1:]]


@pytest.fixture(scope="module")
def two_chunks_a_part(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], Path]:
    """Two parts of 750 pages, each with two chunks of words."""
    bundles, one = parts_and_whole(tmp_path_factory.mktemp("ranges"), 1500, 1000)
    assert len(bundles) == 2 and all(len(chunk_starts(bundle)) == 1 for bundle in bundles)
    return bundles, one


@pytest.mark.parametrize("fork", [True, False], ids=["forked workers", "one process"])
def test_words_merged_in_ranges_give_the_bundle_of_one_range(tmp_path: Path, two_chunks_a_part, fork: bool,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The words cut into ranges, merged by forked workers at once or one after the other here: the
    same bytes as merged in one range, and one run's index, wherever the ranges are cut."""
    bundles, one = two_chunks_a_part
    if fork and not merge.can_fork():
        pytest.skip("this process may not fork (one core, or another thread): the case below covers the ranges")
    merge_bundles(bundles, str(tmp_path / "one-range"), ranges=1)
    words = sorted(index_of(one)["en"]["words"])
    if not fork:
        monkeypatch.setattr(merge, "can_fork", lambda: False)
    cuts = {"where chunks start": None,  # the parts' second chunks start at one word: a cut between chunks
            "at words inside chunks": [words[len(words) // 3], words[2 * len(words) // 3]]}
    for name, at in cuts.items():
        if at:
            monkeypatch.setattr(merge, "_splits", lambda sources, count, at=at: at)
        merge_bundles(bundles, str(tmp_path / name), ranges=3)
        assert snapshot(tmp_path / name) == snapshot(tmp_path / "one-range"), name
        assert index_of(tmp_path / name) == index_of(one)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["at words inside chunks", "one-range",
                                                                "where chunks start"]  # no range's file left


def test_a_range_a_worker_cannot_merge_is_an_error_and_leaves_nothing(tmp_path: Path, two_chunks_a_part) -> None:
    """A part's word list that does not fit its second chunk, which the second range's worker reads:
    MergeError in the build's process, no bundle, no range's file left."""
    if not merge.can_fork():
        pytest.skip("this process may not fork (one core, or another thread)")
    bundles = [Path(shutil.copytree(bundle, tmp_path / f"part{n}")) for n, bundle in enumerate(two_chunks_a_part[0])]
    second = read(next(bundles[0].glob("pagefind.en_*.pf_meta")))[2][1][2]
    listed = json.loads((bundles[0] / WORDS).read_text())
    listed["languages"]["en"][second] = "not a list"
    (bundles[0] / WORDS).write_text(json.dumps(listed))
    with pytest.raises(MergeError, match="does not fit its index"):
        merge_bundles([str(bundle) for bundle in bundles], str(tmp_path / "merged"), ranges=2)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["part0", "part1"]


def test_the_same_parts_give_the_same_bytes(tmp_path: Path) -> None:
    bundles, _ = parts_and_whole(tmp_path, 40, 10)
    merge_bundles(bundles, str(tmp_path / "a"))
    merge_bundles(list(bundles), str(tmp_path / "b"))
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_two_pages_whose_fragments_share_a_name_keep_their_own(tmp_path: Path) -> None:
    """Fragments are named by 7 hex digits of a digest: at 50,000 pages, two parts hold different
    pages of the same name about 5 times. Each keeps its own fragment, under a longer name."""
    bundles, one = parts_and_whole(tmp_path, 20, 10)
    first, second = Path(bundles[0]), Path(bundles[1])
    entry = json.loads((second / ENTRY).read_text())
    description_file = second / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    description = read(description_file)
    taken = read(first / f"pagefind.{json.loads((first / ENTRY).read_text())['languages']['en']['hash']}.pf_meta")[1][0][0]
    (second / "fragment" / f"{description[1][0][0]}.pf_fragment").rename(second / "fragment" / f"{taken}.pf_fragment")
    description[1][0][0] = taken
    description_file.write_bytes(_pack(description))
    merge_bundles(bundles, str(tmp_path / "merged"))
    assert index_of(tmp_path / "merged") == index_of(one)


def test_parts_with_sorts_are_an_error_and_the_bundle_stays_as_it_was(tmp_path: Path) -> None:
    """data-pagefind-sort: a part's order by the sort's values is in its bundle, the values are not:
    the orders of two parts cannot be merged."""
    bundles, _ = parts_and_whole(tmp_path, 20, 10, sort=True)
    target = tmp_path / "site-bundle"
    target.mkdir()
    (target / "old").write_text("the last build's")
    with pytest.raises(MergeError, match=r"has sorts \(weight: data-pagefind-sort\)"):
        merge_bundles(bundles, str(target))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".pagefind")] == []
    assert (target / "old").read_text() == "the last build's"


@pytest.mark.parametrize("damage", ["entry", "description", "chunk", "filter"])
def test_a_bundle_not_as_pagefind_writes_it_is_an_error(tmp_path: Path, damage: str) -> None:
    bundles, _ = parts_and_whole(tmp_path, 20, 10)
    second = Path(bundles[1])
    if damage == "entry":
        (second / ENTRY).write_text('{"version": "1.5.2", "languages": ["en"]}')
    elif damage == "description":
        next(second.glob("*.pf_meta")).write_bytes(_pack(["1.5.2", [], []]))
    elif damage == "chunk":
        next((second / "index").iterdir()).write_bytes(b"not gzip")
    else:  # a filter's values not [value, pages] pairs
        for path in (second / "filter").iterdir():
            path.write_bytes(_pack([read(path)[0], [["only a value"]]]))
    with pytest.raises(MergeError):
        merge_bundles(bundles, str(tmp_path / "merged"))
    assert not (tmp_path / "merged").exists() and not list(tmp_path.glob(".pagefind*"))


def test_a_merged_bundle_replaces_the_last_builds(tmp_path: Path) -> None:
    bundles, one = parts_and_whole(tmp_path, 20, 10)
    target = tmp_path / "merged"
    shutil.copytree(one, target)
    (target / "stale.txt").write_text("x")
    merge_bundles(bundles, str(target))
    assert not (target / "stale.txt").exists() and index_of(target) == index_of(one)


def test_a_part_without_its_word_list_is_merged_alike_and_a_list_that_does_not_fit_is_an_error(tmp_path: Path) -> None:
    """Each part's bundle keeps the list of its words' entries (made with the part, kept with it in
    the search cache), so that a merge reads only their bytes; without it they are read anew."""
    bundles, one = parts_and_whole(tmp_path, 40, 10)
    assert all((Path(b) / WORDS).exists() for b in bundles)
    for bundle in bundles[1:]:
        (Path(bundle) / WORDS).unlink()
    merge_bundles(bundles, str(tmp_path / "merged"))
    assert index_of(tmp_path / "merged") == index_of(one) and not (tmp_path / "merged" / WORDS).exists()
    listed = json.loads((Path(bundles[0]) / WORDS).read_text())
    for chunks in listed["languages"].values():
        for name, text in chunks.items():  # each chunk's entries a JSON text of their own
            entries = json.loads(text)
            entries[0][2] = 10**9  # past the chunk's end
            chunks[name] = json.dumps(entries)
    (Path(bundles[0]) / WORDS).write_text(json.dumps(listed))
    with pytest.raises(MergeError, match="does not fit"):
        merge_bundles(bundles, str(tmp_path / "again"))
    for chunks in listed["languages"].values():
        for name in chunks:
            chunks[name] = "[[not, json"
    (Path(bundles[0]) / WORDS).write_text(json.dumps(listed))
    with pytest.raises(MergeError, match="does not fit"):
        merge_bundles(bundles, str(tmp_path / "again"))


def test_two_files_whose_digests_begin_alike_keep_their_own_names(tmp_path: Path) -> None:
    """Files are named by 7 hex digits of a digest of their bytes, as Pagefind names them: two chunks
    of 50,000 claims share them about one build in 70. The one written second takes a longer name;
    the merge writes its chunks in the bundle's order, in one thread, so each build names them alike."""
    import hashlib

    from claimpress.search.merge import _write_named

    one, two = b"chunk 499", b"chunk 816"  # their blake2b digests begin with the same 7 hex digits
    digests = [hashlib.blake2b(data).hexdigest() for data in (one, two)]
    assert digests[0][:7] == digests[1][:7] and digests[0][:8] != digests[1][:8]
    for first, second in ((one, two), (two, one)):
        folder = tmp_path / hashlib.blake2b(first).hexdigest()[:8]
        folder.mkdir()
        names = [_write_named(str(folder), "en", data, 7, ".pf_index") for data in (first, second)]
        assert names == ["en_" + hashlib.blake2b(first).hexdigest()[:7], "en_" + hashlib.blake2b(second).hexdigest()[:8]]
        assert _write_named(str(folder), "en", second, 7, ".pf_index") == names[1]  # the same bytes: the same name
        assert sorted(path.name for path in folder.iterdir()) == sorted(f"{name}.pf_index" for name in names)
        assert [(folder / f"{name}.pf_index").read_bytes() for name in names] == [first, second]
