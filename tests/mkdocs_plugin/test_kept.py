"""Pages kept from the last site (claimpress/mkdocs_plugin/kept.py, pages_record.py): after an edit,
`build` takes the generated pages that come out as before from the last site, and its site is still
byte for byte what a clean build makes; a last site that is not as the last build left it, or a
changed layout, gives nothing to take."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO
from sitebuild import fixture_project, snapshot

from claimpress.cache.keys import RACY_NS
from claimpress.pages_record import Previous, give_previous, give_this, read_previous, read_this

TAKEN = re.compile(r"claimpress: (\d+) of (\d+) generated pages taken from the last site")
EDITED = "Example allegation, corrected"


def _build(root: Path, **env: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "build"], cwd=root, capture_output=True,
                          text=True, env={**{k: v for k, v in os.environ.items() if k != "CLAIMPRESS_FULL_PAGES"}, **env})
    assert done.returncode == 0, done.stderr
    return done


def _taken(done: subprocess.CompletedProcess) -> tuple[int, int]:
    found = TAKEN.search(done.stderr)
    assert found, done.stderr
    return int(found.group(1)), int(found.group(2))


def _edit(root: Path) -> Path:
    claim = root / "claims" / "valid-minimal.md"
    claim.write_text(claim.read_text().replace("Example allegation with only the required fields", EDITED))
    return claim


def _clean_build_of(root: Path, tmp_path: Path, **env: str) -> dict[str, bytes]:
    """A clean build of a new project with `root`'s claims, mkdocs.yml and templates."""
    clean = fixture_project(tmp_path / "clean")
    for claim in (root / "claims").glob("*.md"):
        shutil.copy(claim, clean / "claims" / claim.name)
    shutil.copy(root / "mkdocs.yml", clean / "mkdocs.yml")
    shutil.rmtree(clean / "templates")
    shutil.copytree(root / "templates", clean / "templates")
    _build(clean, **env)
    return snapshot(clean / "site")


def _new_claim(root: Path) -> None:
    copy = root / "claims" / "valid-copy.md"
    shutil.copy(root / "claims" / "valid-minimal.md", copy)
    copy.write_text(copy.read_text().replace("id: valid-minimal", "id: valid-copy"))


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = fixture_project(tmp_path / "p")
    time.sleep(RACY_NS / 1e9)  # inputs changed in the seconds before a build are not trusted: no stamp
    assert _taken(_build(root))[0] == 0  # a first build has no last site
    return root


def test_an_edit_takes_the_other_pages_from_the_last_site_and_makes_a_clean_builds_site(built: Path,
                                                                                        tmp_path: Path) -> None:
    _edit(built)
    taken, pages = _taken(_build(built))
    assert 0 < taken < pages  # the edited claim's page, and the lists that show its title, are written
    site = built / "site"
    assert snapshot(site) == _clean_build_of(built, tmp_path)
    assert EDITED in (site / "claims" / "valid-minimal" / "index.html").read_text()
    # The last site's copies are gone before the build ends: the new site's files are its own, so
    # its stamp holds, and the next build knows it is as it left it.
    assert {p.stat().st_nlink for p in site.rglob("index.html")} == {1}
    assert "is up to date" in _build(built).stderr


def test_a_page_taken_a_day_later_has_the_sitemap_date_a_clean_build_gives(built: Path, tmp_path: Path) -> None:
    """A claim page's sitemap date is its last change; a list's is the day of the build (MkDocs'),
    which a page taken from the last site must not carry over."""
    _edit(built)
    later = {"SOURCE_DATE_EPOCH": str(int(time.time()) + 3 * 86400)}
    assert _taken(_build(built, **later))[0] > 0
    assert snapshot(built / "site") == _clean_build_of(built, tmp_path, **later)


def test_a_page_changed_in_the_last_site_is_not_taken(built: Path, tmp_path: Path) -> None:
    page = built / "site" / "claims" / "valid-full" / "index.html"
    page.write_text(page.read_text().replace("</body>", "<script>alert(1)</script></body>"))
    _edit(built)
    assert _taken(_build(built))[0] == 0
    assert snapshot(built / "site") == _clean_build_of(built, tmp_path)


def test_a_new_claim_takes_the_pages_it_does_not_change(built: Path, tmp_path: Path) -> None:
    """A new claim changes All claims (its count), a page of the navigation, which the navigation
    shows as before (its title is mkdocs.yml's): the other claims' pages are taken."""
    _new_claim(built)
    taken, pages = _taken(_build(built))
    assert 0 < taken < pages
    assert snapshot(built / "site") == _clean_build_of(built, tmp_path)
    assert (built / "site" / "claims" / "valid-copy" / "index.html").is_file()


def test_a_changed_page_of_the_navigation_that_names_itself_takes_no_page(built: Path, tmp_path: Path) -> None:
    """A page listed in the navigation without a title there is named by its own: a change of its
    title changes every page's navigation, so nothing is taken."""
    config = built / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - All claims: claims/index.md\n", "  - claims/index.md\n"))
    time.sleep(RACY_NS / 1e9)
    assert _taken(_build(built))[0] == 0  # a changed mkdocs.yml: nothing is taken
    template = built / "templates" / "all-claims.md.j2"
    template.write_text(template.read_text().replace('title: {{ _("All claims") | front_matter }}', "title: Every claim"))
    _edit(built)
    assert _taken(_build(built))[0] == 0
    site = snapshot(built / "site")
    assert b"Every claim" in site["claims/valid-full/index.html"]
    assert site == _clean_build_of(built, tmp_path)


def test_a_page_of_the_navigation_that_shows_otherwise_takes_no_page(built: Path, tmp_path: Path) -> None:
    """A front matter key that the navigation shows (a subtitle) added to a page of it: every page
    shows it, so nothing is taken."""
    template = built / "templates" / "all-claims.md.j2"
    text = template.read_text()
    assert text.startswith("---\n")
    template.write_text("---\nsubtitle: Every allegation\n" + text[len("---\n"):])
    _edit(built)
    assert _taken(_build(built))[0] == 0
    site = snapshot(built / "site")
    assert b"Every allegation</small>" in site["claims/valid-full/index.html"].replace(b"\n", b"")
    assert site == _clean_build_of(built, tmp_path)


def test_a_changed_layout_takes_no_page(built: Path) -> None:
    override = built / "overrides" / "partials" / "copyright.html"
    override.write_text(override.read_text() + "<!-- changed override -->")
    _edit(built)
    assert _taken(_build(built))[0] == 0
    assert "<!-- changed override -->" in (built / "site" / "claims" / "valid-full" / "index.html").read_text()


def test_no_page_is_taken_where_another_plugin_changes_pages_once_rendered(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Another plugin taking part in a page's making (here `post_page`, which could change it once
    rendered) may make it from more than its source and the shared layout: nothing is taken."""
    from mkdocs.config import load_config

    from claimpress.mkdocs_plugin.kept import kept_pages

    root = fixture_project(tmp_path / "p")
    config = load_config(str(root / "mkdocs.yml"))
    plugin = config["plugins"]["claimpress"]
    monkeypatch.setenv("CLAIMPRESS_PAGES_RECORD", str(tmp_path))
    assert kept_pages(config, plugin) is not None

    class Minifier:
        def on_post_page(self, output: str, **_: object) -> str:
            return output.replace("  ", " ")

    config["plugins"].events["post_page"].append(Minifier().on_post_page)
    assert kept_pages(config, plugin) is None
    monkeypatch.delenv("CLAIMPRESS_PAGES_RECORD")
    config["plugins"].events["post_page"].pop()
    assert kept_pages(config, plugin) is None  # not asked by build_claims.py build: a plain `mkdocs build`


def test_the_record_reads_back_and_anything_else_is_no_record(tmp_path: Path) -> None:
    pages = {"claims/a/index.html": ["claims/a.md", "2024-01-01"], "claims/b/index.html": ["claims/b.md", None]}
    nav = {"claims/index.md": "{}", "map/index.md": '{"subtitle": "x"}'}
    give_previous(str(tmp_path), Previous("/site", pages, frozenset({"claims/c.md"}), nav))
    assert read_previous(str(tmp_path)) == Previous("/site", pages, frozenset({"claims/c.md"}), nav)
    give_this(str(tmp_path), pages, ["claims/a/index.html"], nav)
    assert read_this(str(tmp_path)) == (pages, ["claims/a/index.html"], nav)
    for garbage in (b"", b"\xff\x00", b"\xa1dsite\x01"):
        (tmp_path / "previous.cbor").write_bytes(garbage)
        (tmp_path / "this.cbor").write_bytes(garbage)
        assert read_previous(str(tmp_path)) is None
        assert read_this(str(tmp_path)) == ({}, [], {})
    give_previous(str(tmp_path), Previous("/site", {"claims/a/index.html": ["claims/a.md", 7]}, frozenset()))
    assert read_previous(str(tmp_path)) is None
