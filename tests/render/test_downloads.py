"""The data files as published (claimpress/render/downloads.py): gzipped always, as they are too while
small; read back with gzip, as their users' tools read them, and through the built Downloads page."""
from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from sitebuild import build, fixture_project, parse, set_setting

from claimpress.config import check_config, load_config
from claimpress.render.downloads import packed

DATA_FILES = ("claims.json", "claims.csv", "evidence.csv", "claims.geojson", "claimreview.json")


def test_packed_is_the_text_gzipped_the_same_each_time() -> None:
    pieces = ["{\"claims\":[", "\"é\u2028\"", "]}\n"]
    download, compressed, plain = packed("claims.json", iter(pieces), None)
    assert gzip.decompress(compressed) == "".join(pieces).encode("utf-8")
    assert plain == "".join(pieces).encode("utf-8")
    assert (download.size, download.compressed_size, download.plain) == (
        len("".join(pieces).encode("utf-8")), len(compressed), True)
    assert packed("claims.json", iter(pieces), None)[1] == compressed
    # No time and no name in the header (RFC 1952): MTIME is bytes 4-7, FLG (3) has no FNAME bit.
    assert compressed[4:8] == b"\0\0\0\0" and not compressed[3] & 0x08


def test_a_file_over_the_bound_is_published_compressed_only() -> None:
    pieces = ["a" * 600, "b" * 600]
    assert packed("claims.csv", iter(pieces), 1200)[2] == ("a" * 600 + "b" * 600).encode()  # at the bound: as it is too
    download, compressed, plain = packed("claims.csv", iter(pieces), 1199)
    assert plain is None and not download.plain
    assert gzip.decompress(compressed) == ("a" * 600 + "b" * 600).encode()
    assert packed("claimreview.json", iter(pieces), 0)[2] == ("a" * 600 + "b" * 600).encode()  # aggregators fetch it


def test_the_bound_counts_bytes_across_many_pieces() -> None:
    """Pieces are compressed in batches (downloads.BATCH); the bound is on the file's UTF-8 bytes."""
    pieces = [f"{n:04d}" + "é" * 998 for n in range(600)]  # 2,000 bytes a piece, 1,000 characters
    text = "".join(pieces).encode("utf-8")
    assert len(text) == 1_200_000
    for bound, plain in ((1_200_000, True), (1_199_999, False), (600_000, False), (None, True)):
        download, compressed, kept = packed("evidence.csv", iter(pieces), bound)
        assert gzip.decompress(compressed) == text
        assert (kept == text if plain else kept is None), bound
        assert (download.size, download.plain) == (len(text), plain)


def _downloads_links(site: Path) -> set[str]:
    page = parse(site / "downloads" / "index.html")
    return {e.attrs["href"].removeprefix("../data/") for e in page.iter()
            if e.tag == "a" and e.attrs.get("href", "").startswith("../data/")}


def test_the_site_publishes_each_data_file_as_it_is_and_gzipped(fixture_site: Path) -> None:
    data = fixture_site / "site" / "data"
    for name in DATA_FILES:
        assert gzip.decompress((data / f"{name}.gz").read_bytes()) == (data / name).read_bytes(), name
    assert _downloads_links(fixture_site / "site") == {*DATA_FILES, *(f"{name}.gz" for name in DATA_FILES)}


def test_with_no_plain_files_the_page_links_only_what_is_there(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    set_setting(root, "plain_data_max_mb", 0)
    done = build(root)
    assert done.returncode == 0, done.stderr
    site = root / "site"
    published = {p.name for p in (site / "data").iterdir() if p.name.split(".")[0] != "claims-index"
                 and p.is_file()}
    assert published == {*(f"{name}.gz" for name in DATA_FILES), "claimreview.json"}
    assert not (root / "docs" / "data" / "claims.json").exists()
    assert _downloads_links(site) == published
    text = (site / "downloads" / "index.html").read_text()
    assert "published compressed with gzip (<code>.gz</code>), and only so" in text
    assert " unpacked)" in text  # the size a reader gets once it is unpacked


@pytest.mark.parametrize("value", ["-1", "many", "2.5", "true", "null"])
def test_a_wrong_plain_data_max_mb_is_an_error_naming_the_setting(tmp_path: Path, value: str) -> None:
    (tmp_path / "mkdocs.yml").write_text(f"site_name: x\nextra:\n  claimpress:\n    plain_data_max_mb: {value}\n")
    found = check_config(load_config(tmp_path), needs_claimreview=False)
    assert [d.code for d in found] == ["invalid-config"]
    assert "extra.claimpress.plain_data_max_mb is not a whole number of megabytes" in found[0].message


def test_plain_data_max_mb_has_a_default(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    assert load_config(tmp_path).plain_data_max_mb == 10
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nextra:\n  claimpress:\n    plain_data_max_mb: 0\n")
    assert load_config(tmp_path).plain_data_max_mb == 0
