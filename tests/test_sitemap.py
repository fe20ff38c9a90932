"""Sitemaps within the protocol's limits (claimpress/sitemap.py), tried on the
sitemap that MkDocs really writes for the test site, with small limits in place of 50,000 and 50 MB."""
from __future__ import annotations

import gzip
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from claimpress.sitemap import SITEMAP_BYTES, SITEMAP_URLS, split_sitemap

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def site(fixture_site: Path, tmp_path: Path) -> Path:
    """A copy of the built test site's sitemap files, to split."""
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        shutil.copy(fixture_site / "site" / name, tmp_path / name)
    return tmp_path


def locs(path: Path, element: str = "url") -> list[str]:
    root = ET.parse(path).getroot()  # well-formed XML, or this raises
    return [node.find(f"{NS}loc").text for node in root.iter(f"{NS}{element}")]


def test_the_built_site_has_one_sitemap_of_its_pages(fixture_site: Path) -> None:
    site = fixture_site / "site"
    listed = locs(site / "sitemap.xml")
    assert len(listed) > 10 and "https://claimpress.example/claims/valid-full/" in listed
    assert not list(site.glob("sitemap-*.xml"))
    assert len(listed) < SITEMAP_URLS and SITEMAP_BYTES == 52_428_800  # the protocol's figures


def test_within_the_limits_the_sitemap_is_left_as_mkdocs_wrote_it(site: Path) -> None:
    before = {p.name: p.read_bytes() for p in site.iterdir()}
    assert split_sitemap(str(site), "https://news.example/") == 0
    assert {p.name: p.read_bytes() for p in site.iterdir()} == before


def test_past_the_count_it_becomes_an_index_of_parts_with_every_address_once(site: Path) -> None:
    listed = locs(site / "sitemap.xml")
    lastmods = (site / "sitemap.xml").read_text().count("<lastmod>")
    stamp = (site / "sitemap.xml.gz").read_bytes()[4:8]  # MkDocs' time for it, from the pages
    per_part = 4
    written = split_sitemap(str(site), "https://news.example/fact-checks/", max_urls=per_part)
    assert written == -(-len(listed) // per_part) >= 3
    index = locs(site / "sitemap.xml", "sitemap")
    assert index == [f"https://news.example/fact-checks/sitemap-{n}.xml" for n in range(1, written + 1)]
    parts = [locs(site / f"sitemap-{n}.xml") for n in range(1, written + 1)]
    assert all(0 < len(part) <= per_part for part in parts)
    assert [url for part in parts for url in part] == listed  # all of them, once, in MkDocs' order
    assert sum((site / f"sitemap-{n}.xml").read_text().count("<lastmod>") for n in range(1, written + 1)) == lastmods
    packed = (site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(packed) == (site / "sitemap.xml").read_bytes() and packed[4:8] == stamp


def test_past_the_size_it_splits_by_bytes(site: Path) -> None:
    listed = locs(site / "sitemap.xml")
    limit = 1200
    written = split_sitemap(str(site), "https://news.example/", max_bytes=limit)
    assert written >= 2
    parts = [site / f"sitemap-{n}.xml" for n in range(1, written + 1)]
    assert all(len(part.read_bytes()) <= limit for part in parts)
    assert [url for part in parts for url in locs(part)] == listed


def test_a_smaller_site_removes_the_parts_of_a_larger_one(site: Path, fixture_site: Path) -> None:
    """A dirty rebuild writes over the same folder: parts it no longer needs must go."""
    assert split_sitemap(str(site), "https://news.example/", max_urls=3) >= 3
    shutil.copy(fixture_site / "site" / "sitemap.xml", site / "sitemap.xml")  # the next build's
    assert split_sitemap(str(site), "https://news.example/", max_urls=len(locs(site / "sitemap.xml")) - 1) == 2
    assert sorted(p.name for p in site.glob("sitemap-*.xml")) == ["sitemap-1.xml", "sitemap-2.xml"]


def test_the_same_sitemap_splits_into_the_same_bytes(site: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    other = tmp_path_factory.mktemp("again")
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        shutil.copy(site / name, other / name)
    for folder in (site, other):
        split_sitemap(str(folder), "https://news.example/", max_urls=5)
    assert {p.name: p.read_bytes() for p in site.iterdir()} == {p.name: p.read_bytes() for p in other.iterdir()}
