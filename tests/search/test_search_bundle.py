"""Pagefind bundles made byte-reproducible (claimpress/search/bundle.py): real Pagefind runs over a
small site whose pages carry several filters, each with many values, and sorts."""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import cbor2
import pytest
from sitebuild import snapshot

from claimpress.search.bundle import SIGNATURE, make_reproducible

# Values out of order every way: accents, a character beyond U+FFFF, digits, and cases.
COUNTRIES = ["Yemen", "Syria", "Ukraine", "Åland", "Iraq", "Libya", "Sudan", "Mali"]
STATUSES = ["Unverified", "Disputed", "Substantiated", "Single source", "Retracted", "\U0001d400 bold"]
YEARS = ["2019", "2012", "2024", "2016", "2021"]


def filtered_site(root: Path, pages: int = 24, languages: tuple[str, ...] = ("en",)) -> Path:
    """Pages with four filters, two sorts, and each its language from `languages`, in turn."""
    for n in range(pages):
        page = root / f"claim-{n:02d}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(
            f'<html lang="{languages[n % len(languages)]}"><body><main data-pagefind-body>'
            f"<h1>Claim {n}</h1><p>Words of claim {n} about craters and witnesses.</p>"
            f'<span data-pagefind-filter="country">{COUNTRIES[n % len(COUNTRIES)]}</span>'
            f'<span data-pagefind-filter="status">{STATUSES[n % len(STATUSES)]}</span>'
            f'<span data-pagefind-filter="year">{YEARS[n % len(YEARS)]}</span>'
            f'<span data-pagefind-filter="category">category {n % 7}</span>'
            f'<span data-pagefind-sort="weight">{(n * 7) % 11}</span>'
            f'<span data-pagefind-sort="date:{YEARS[n % len(YEARS)]}-01-{n % 28 + 1:02d}"></span>'
            "</main></body></html>", encoding="utf-8")
    return root


def pagefind(site: Path, output: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pagefind", "--silent", "--site", str(site), "--output-path", str(output)],
                   check=True)
    return output


def read(path: Path) -> object:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(SIGNATURE)
    return cbor2.loads(data[len(SIGNATURE):])


def meta_of(bundle: Path, language: str = "en") -> tuple[Path, list]:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    path = bundle / f"pagefind.{entry['languages'][language]['hash']}.pf_meta"
    return path, read(path)


def filters_of(bundle: Path, language: str = "en") -> dict[str, dict[str, list[int]]]:
    """Each filter's values and their pages, as the search would read them from the bundle."""
    _, meta = meta_of(bundle, language)
    found = {}
    for name, file_hash in meta[3]:
        filter_name, values = read(bundle / "filter" / f"{file_hash}.pf_filter")
        assert filter_name == name
        found[name] = {value: pages for value, pages in values}
    return found


def test_bundles_of_the_same_pages_are_byte_identical_once_in_order(tmp_path: Path) -> None:
    site = filtered_site(tmp_path / "site")
    bundles = [pagefind(site, tmp_path / f"bundle-{n}") for n in range(4)]
    as_pagefind_made_them = [filters_of(b) for b in bundles]
    _, pagefinds_description = meta_of(bundles[0])
    for made in bundles:
        assert make_reproducible(str(made))
    assert all(snapshot(b) == snapshot(bundles[0]) for b in bundles[1:])
    # The same filters, values and pages as Pagefind made; now in order, by code point.
    assert filters_of(bundles[0]) == as_pagefind_made_them[0]
    _, meta = meta_of(bundles[0])
    # The rest of the description as Pagefind wrote it: version, pages, index chunks, the sorts
    # (in order now) and the weighted fields.
    assert meta[:3] == pagefinds_description[:3] and meta[5:] == pagefinds_description[5:]
    assert meta[4] == sorted(pagefinds_description[4]) and [name for name, _ in meta[4]] == ["date", "weight"]
    assert [name for name, _ in meta[3]] == ["category", "country", "status", "year"]
    for _, file_hash in meta[3]:
        _, values = read(bundles[0] / "filter" / f"{file_hash}.pf_filter")
        assert [value for value, _ in values] == sorted(value for value, _ in values)
    assert [value for value, _ in read(bundles[0] / "filter" / f"{dict(meta[3])['status']}.pf_filter")[1]] == \
        ["Disputed", "Retracted", "Single source", "Substantiated", "Unverified", "\U0001d400 bold"]
    # Nothing is left of Pagefind's own filter files and description: one of each, named by the new.
    assert len(list((bundles[0] / "filter").iterdir())) == 4
    assert len(list(bundles[0].glob("pagefind.*.pf_meta"))) == 1
    assert not list(bundles[0].rglob("*.new"))


def test_a_site_in_several_languages_gives_byte_identical_bundles(tmp_path: Path) -> None:
    """pagefind-entry.json lists the languages in a random order too."""
    site = filtered_site(tmp_path / "site", languages=("en", "fr", "pt-br"))
    bundles = [pagefind(site, tmp_path / f"bundle-{n}") for n in range(4)]
    made = {language: filters_of(bundles[0], language) for language in ("en", "fr", "pt-br")}
    for bundle in bundles:
        assert make_reproducible(str(bundle))
    assert all(snapshot(b) == snapshot(bundles[0]) for b in bundles[1:])
    assert list(json.loads((bundles[0] / "pagefind-entry.json").read_text())["languages"]) == ["en", "fr", "pt-br"]
    assert {language: filters_of(bundles[0], language) for language in made} == made


def test_pagefind_run_again_into_a_bundle_in_order_gives_that_bundle(tmp_path: Path) -> None:
    """The preview's Pagefind writes over the bundle it made before: the new files of Pagefind's
    own order are replaced by the ones in order, already there, and removed."""
    site = filtered_site(tmp_path / "site")
    fresh = pagefind(site, tmp_path / "fresh")
    assert make_reproducible(str(fresh))
    again = pagefind(site, tmp_path / "again")
    assert make_reproducible(str(again))
    pagefind(site, again)
    assert make_reproducible(str(again))
    assert snapshot(again) == snapshot(fresh)


def test_a_bundle_in_order_is_not_written_again(tmp_path: Path) -> None:
    bundle = pagefind(filtered_site(tmp_path / "site"), tmp_path / "bundle")
    assert make_reproducible(str(bundle))
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in bundle.rglob("*")}
    assert make_reproducible(str(bundle))
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in bundle.rglob("*")} == before


def damage_meta(bundle: Path) -> None:
    """The description in another shape: its filters as a map, not a list of pairs."""
    path, meta = meta_of(bundle)
    meta[3] = dict(meta[3])
    path.write_bytes(gzip.compress(SIGNATURE + cbor2.dumps(meta), mtime=0))


def damage_filter_encoding(bundle: Path) -> None:
    """A filter file in CBOR that decodes to the expected shape but would not encode back alike."""
    _, meta = meta_of(bundle)
    path = bundle / "filter" / f"{meta[3][0][1]}.pf_filter"
    name, values = read(path)
    # An array of indefinite length (0x9f ... 0xff): valid CBOR, not what Pagefind writes.
    body = b"\x82" + cbor2.dumps(name) + b"\x9f" + b"".join(cbor2.dumps(v) for v in values) + b"\xff"
    path.write_bytes(gzip.compress(SIGNATURE + body, mtime=0))


def damage_filter_gzip(bundle: Path) -> None:
    _, meta = meta_of(bundle)
    (bundle / "filter" / f"{meta[3][-1][1]}.pf_filter").write_bytes(b"not gzip")


def damage_filter_deflate(bundle: Path) -> None:
    """A gzip header, then a damaged stream (zlib.error, not OSError)."""
    _, meta = meta_of(bundle)
    path = bundle / "filter" / f"{meta[3][1][1]}.pf_filter"
    packed = path.read_bytes()
    path.write_bytes(packed[:10] + b"\xff" * 8 + packed[18:])


def damage_entry(bundle: Path) -> None:
    (bundle / "pagefind-entry.json").write_text('{"version": "9", "languages": ["en"]}')


@pytest.mark.parametrize("damage", [damage_meta, damage_filter_encoding, damage_filter_gzip, damage_filter_deflate,
                                    damage_entry])
def test_a_bundle_in_a_format_it_does_not_know_is_left_as_it_is(tmp_path: Path, damage) -> None:
    bundle = pagefind(filtered_site(tmp_path / "site"), tmp_path / "bundle")
    damage(bundle)
    before = snapshot(bundle)
    assert not make_reproducible(str(bundle))
    assert snapshot(bundle) == before


def test_a_write_that_fails_leaves_pagefinds_bundle_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pagefind-entry.json, which names the description, is the last file written: if it cannot
    be, the bundle is Pagefind's, with none of the new files beside it."""
    bundle = pagefind(filtered_site(tmp_path / "site"), tmp_path / "bundle")
    before = snapshot(bundle)
    real_replace = os.replace

    def full_disk(source: str, target: str) -> None:
        if target.endswith("pagefind-entry.json"):
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        make_reproducible(str(bundle))
    assert snapshot(bundle) == before
