"""The published site, built for real (check, render, MkDocs) in temporary copies; asserts on the HTML."""
from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from conftest import FIXTURES, REPO, SAMPLE, front_matter
from sitebuild import Element, build, copy_project, fixture_project, outside_maps, parse, set_setting, snapshot

from claimpress.cache.keys import RACY_NS


def test_every_seed_claim_has_a_page_with_its_status_and_evidence(sample_site: Path) -> None:
    ratings = {r["id"]: r["label"] for r in yaml.safe_load((SAMPLE / "ratings.yml").read_text())["ratings"]}
    claims = sorted(SAMPLE.glob("*.md"))
    assert claims
    for source in claims:
        data = front_matter(source)
        page = parse(sample_site / "site" / "claims" / data["id"] / "index.html")
        article = page.find_all("article", "cp-claim")[0]
        assert article.find_all("h1")[0].text() == data["title"]
        assert article.find_all("a", "cp-badge")[0].text() == ratings[data["status"]]
        rows = article.find_all("table", "cp-evidence")[0].find_all("tbody")[0].find_all("tr")
        assert len(rows) == len(data["evidence"])
        assert article.find_all("p", "cp-claim-text")[0].text().strip() == " ".join(data["claim"].split())
        # Paraphrase is allowed (the schema says "quoted or closely paraphrased"): never styled as a quotation.
        assert not article.find_all("blockquote", "cp-claim-text")
        facts = dict(zip((dt.text() for dt in article.find_all("dt")), (dd.text() for dd in article.find_all("dd"))))
        assert facts.get("About these dates") == (" ".join(data["dates_note"].split()) if "dates_note" in data else None)


def test_evidence_links_and_archived_copies(fixture_site: Path) -> None:
    data = front_matter(FIXTURES / "project" / "claims" / "valid-full.md")
    article = parse(fixture_site / "site" / "claims" / "valid-full" / "index.html").find_all("article")[0]
    sources = [a.attrs["href"] for a in article.find_all("a", "cp-source")]
    archives = [a.attrs["href"] for a in article.find_all("a", "cp-archive")]
    assert sources == [e["url"] for e in data["evidence"]]
    assert archives == [e["archive_url"] for e in data["evidence"]]
    assert "nofollow" in article.find_all("a", "cp-source")[0].attrs["rel"]


def test_edit_link_only_when_configured(sample_site: Path, fixture_site: Path) -> None:
    edit = parse(fixture_site / "site" / "claims" / "valid-full" / "index.html").find_all("a", "cp-edit")
    assert [a.attrs["href"] for a in edit] == ["https://example.org/edit/main/claims/valid-full.md"]
    some_sample = next((sample_site / "site" / "claims").glob("*/index.html"))
    assert parse(some_sample).find_all("a", "cp-edit") == []


def _expected_facets() -> dict[tuple[str, str], int]:
    """Counts computed here from the claim files and parties.yml, independently of claimpress."""
    parties = yaml.safe_load((SAMPLE / "parties.yml").read_text())
    expected: dict[tuple[str, str], int] = {}
    for source in SAMPLE.glob("*.md"):
        data = front_matter(source)
        rolled = set()
        for pid in data["accused"]:
            while pid:
                rolled.add(pid)
                pid = parties[pid].get("parent")
        keys = [("status", data["status"]), ("country", data["incident"]["country"].lower()),
                ("year", str(data["incident"]["date"])[:4])] + [("accused", p) for p in rolled] + [
                ("category", c) for c in data["categories"]]
        for key in keys:
            expected[key] = expected.get(key, 0) + 1
    return expected


def test_facet_pages_have_the_right_counts(sample_site: Path) -> None:
    expected = _expected_facets()
    assert expected[("accused", "russia")] == 3  # Ghouta (Russia) + Kharkiv and Okhtyrka (its armed forces)
    for (facet, value), count in expected.items():
        page = parse(sample_site / "site" / "browse" / facet / value / "index.html")
        assert page.find_all("span", "cp-total")[0].text() == str(count), (facet, value)
        assert len(page.find_all("table", "cp-table")[0].find_all("tbody")[0].find_all("tr")) == count
    overview = parse(sample_site / "site" / "browse" / "status" / "index.html")
    cells = {row.find_all("a")[0].text(): row.find_all("td")[1].text() for row in overview.find_all("tbody")[0].find_all("tr")}
    assert cells["Single source"] == str(expected[("status", "single-source")])


def test_home_page_has_counts_chart_and_latest(sample_site: Path) -> None:
    home = parse(sample_site / "site" / "index.html")
    assert home.find_all("svg") and home.find_all("rect"), "no chart"
    latest = home.find_all("ul", "cp-latest")[0].find_all("li")
    assert 1 <= len(latest) <= 10
    assert home.find_all("h1")[0].text().startswith("claimpress")
    # The chart's numbers are in its description too, for screen readers: one entry a year and status.
    ratings = {r["id"]: r["label"] for r in yaml.safe_load((SAMPLE / "ratings.yml").read_text())["ratings"]}
    samples = [front_matter(p) for p in sorted(SAMPLE.glob("*.md"))]
    bars = Counter((str(d["incident"]["date"])[:4], ratings[d["status"]]) for d in samples)
    desc = home.find_all("desc")[0].text()
    assert sorted(desc.rstrip(".").split("; ")) == sorted(f"{year}: {n} {label}" for (year, label), n in bars.items())
    total_row = [r for r in home.find_all("table", "cp-counts")[0].find_all("tr") if "All claims" in r.text()][0]
    assert total_row.find_all("td")[1].text() == str(len(list(SAMPLE.glob("*.md"))))


def test_methodology_renders_the_rating_scale(sample_site: Path) -> None:
    page = parse(sample_site / "site" / "methodology" / "index.html")
    ratings = yaml.safe_load((SAMPLE / "ratings.yml").read_text())["ratings"]
    rows = {e.attrs.get("id"): e for e in page.iter() if e.tag == "tr" and e.attrs.get("id")}
    for rating in ratings:
        row = rows[f"rating-{rating['id']}"]
        assert row.find_all("a", "cp-badge")[0].text() == rating["label"]
        assert " ".join(rating["description"].split()) in " ".join(row.text().split())
    assert "Media report" in page.text() and "Corrections" in page.text()
    assert "NGO report" in page.text() and "UN report" in page.text() and "Ngo" not in page.text()


def test_all_claims_page_and_its_data(sample_site: Path) -> None:
    page = parse(sample_site / "site" / "claims" / "index.html")
    shell = page.find_all("div", "cp-all")[0]
    data_url = shell.attrs["data-src"]
    data = json.loads((sample_site / "site" / "claims" / data_url).read_text())
    assert sorted(row[0] for row in data["claims"]) == sorted(p.stem for p in SAMPLE.glob("*.md"))
    assert {s.attrs.get("name") for s in shell.find_all("select")} == {"status", "accused", "claimant", "country",
                                                                       "category", "year", "sort"}


def test_claim_pages_are_not_in_the_navigation(fixture_site: Path) -> None:
    """Each page would otherwise carry the whole list of claims."""
    html = (fixture_site / "site" / "claims" / "valid-full" / "index.html").read_text()
    assert "Example allegation with only the required fields" not in html.replace(
        'Example allegation with only the required fields</a>', "")  # the related-claims link is the one place


def test_search_index_is_pagefind_and_covers_claims_not_lists(fixture_site: Path) -> None:
    """Pagefind's chunked index replaces the theme's single file; facet and table pages are left
    out of it (they only repeat titles), claim pages and hand-written pages are in."""
    site = fixture_site / "site"
    assert not (site / "search" / "search_index.json").exists()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    # One bundle, whose languages the search page reads.
    assert json.loads((site / "pagefind" / "claimpress-languages.json").read_text())["languages"] == {
        tag: index["page_count"] for tag, index in entry["languages"].items()}
    assert not list(site.glob("pagefind-*"))
    assert entry["languages"]["en"]["page_count"] == len([
        p for p in site.rglob("index.html") if "data-pagefind-body" in p.read_text()])
    claim = (site / "claims" / "hostile-everything" / "index.html").read_text()
    assert "data-pagefind-body" in claim and 'data-pagefind-filter="status"' in claim
    for listing in ("claims/index.html", "browse/index.html", "browse/status/index.html", "search/index.html"):
        assert "data-pagefind-body" not in (site / listing).read_text(), listing
    assert "data-pagefind-body" in (site / "methodology" / "index.html").read_text()
    assert "data-pagefind-body" not in (site / "index.html").read_text()  # the home page lists the latest claims
    titles = [json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd"):])["meta"]["title"]
              for f in (site / "pagefind" / "fragment").iterdir()]
    assert "Methodology" in titles and not [t for t in titles if "\u00b6" in t]  # no permalink sign
    form = parse(site / "index.html").find_all("form", "cp-header-search")[0]
    assert form.attrs["action"] == "search/" and form.find_all("input")[0].attrs["name"] == "q"


def test_a_build_without_search_has_the_same_pages_and_keeps_the_search_cache(tmp_path: Path) -> None:
    """`build --no-search`, the pull-request workflow's: every page as a full build makes it, no search
    index, and the search index's parts of the last full build kept for the next."""
    root = fixture_project(tmp_path / "p")
    assert build(root).returncode == 0
    full, cache = snapshot(root / "site"), snapshot(root / ".cache" / "claimpress" / "search")
    assert any(path.startswith("pagefind/") for path in full) and cache
    done = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "build", "--no-search"], cwd=root,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "search index: not made (--no-search)" in done.stderr
    assert snapshot(root / "site") == {path: data for path, data in full.items() if not path.startswith("pagefind")}
    assert snapshot(root / ".cache" / "claimpress" / "search") == cache


def test_generated_pages_reach_the_site_without_a_markdown_pass(fixture_site: Path) -> None:
    """The claim page's HTML, as generated, is in the built page byte for byte (the hook hands it to
    the theme); hand-written pages still go through Markdown (their headings get permalinks)."""
    generated = (fixture_site / "docs" / "claims" / "valid-full.md").read_text()
    body = generated.split("\n---\n", 1)[1]
    assert "claimpress: html" in generated.split("\n---\n", 1)[0]
    assert body.strip() in (fixture_site / "site" / "claims" / "valid-full" / "index.html").read_text()
    assert 'class="headerlink"' in (fixture_site / "site" / "methodology" / "index.html").read_text()


def test_every_internal_link_resolves(sample_site: Path, fixture_site: Path) -> None:
    for site in (sample_site / "site", fixture_site / "site"):
        for page in site.rglob("*.html"):
            if page.name == "404.html":  # served at any address, so its links are absolute
                continue
            for element in parse(page).iter():
                for attr in ("href", "src"):
                    url = element.attrs.get(attr)
                    if not url or url.startswith(("http://", "https://", "mailto:", "#", "data:")) or \
                            (element.tag == "link" and "alternate" in (element.attrs.get("rel") or "").split()):
                        continue
                    target = (page.parent / unquote(urlsplit(url).path)).resolve()
                    if target.is_dir():
                        target = target / "index.html"
                    assert target.exists(), f"{page.relative_to(site)}: broken link {url}"


# --- safety: nothing from a claim becomes active HTML ------------------------------------------

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "form", "input", "style", "svg", "img", "base", "meta",
                  "link"}


def test_hostile_claim_is_inert(fixture_site: Path) -> None:
    path = fixture_site / "site" / "claims" / "hostile-everything" / "index.html"
    page = parse(path)
    article = page.find_all("article")[0]
    for element in outside_maps(article):  # the map's SVG is checked to be only the map's
        assert element.tag not in DANGEROUS_TAGS, element.tag
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (element.tag, name)
            if name in ("href", "src", "action", "formaction") and value:
                assert not re.match(r"\s*(javascript|vbscript|data):", value, re.I), value
    # Outside the article too: no script, handler or link anywhere carries the payloads.
    for element in page.iter():
        if element.tag == "script":
            assert "alert(" not in element.text()
        for name, value in element.attrs.items():
            assert not (name.startswith("on") and "alert" in (value or ""))
    data = front_matter(FIXTURES / "hostile" / "hostile-everything.md")
    # The text shows literally, as written.
    assert article.find_all("h1")[0].text() == data["title"]
    assert article.find_all("p", "cp-claim-text")[0].text().strip() == data["claim"]
    assert page.find_all("title")[0].text().startswith(data["title"])
    assert data["incident"]["location"] in article.text()
    assert "kept" in article.text() and article.find_all("sup") and article.find_all("abbr")
    assert "--8<--" in article.text() and "site_name" not in article.text()  # no snippet was included


def test_hostile_text_in_tables_and_data_stays_text(fixture_site: Path) -> None:
    data = front_matter(FIXTURES / "hostile" / "hostile-everything.md")
    for facet_page in [fixture_site / "site" / "browse" / "status" / "unverified" / "index.html",
                       fixture_site / "site" / "index.html"]:
        content = parse(facet_page).find_all("div", "md-content")[0]  # the page, without the theme's frame
        links = [a.text() for a in content.find_all("a")]
        assert data["title"] in links, facet_page
        for element in content.iter():
            assert element.tag not in {"iframe", "object", "embed", "form", "script"}
    rows = json.loads((fixture_site / "site" / "data" / "claims-index.json").read_text())["claims"]
    assert data["title"] in [row[1] for row in rows]


# --- the build: incremental, deterministic, all or nothing -------------------------------------

def test_second_build_rewrites_nothing(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    assert build(root).returncode == 0
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (root / "docs").rglob("*") if p.is_file()}
    done = build(root)
    assert done.returncode == 0 and "0 written, 0 removed" in done.stderr
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (root / "docs").rglob("*") if p.is_file()}
    assert after == before
    # Same claims elsewhere: byte-identical generated files, and site, search index included
    # (claimpress/search/bundle.py: Pagefind alone writes its filters in a random order; with the
    # few filter values here that order is sometimes the same by chance: tests/search/test_search_bundle.py
    # has the sites that always tell).
    other = fixture_project(tmp_path / "q")
    assert build(other).returncode == 0
    assert snapshot(other / "docs") == snapshot(root / "docs")
    assert snapshot(other / "site") == snapshot(root / "site")


def _signatures(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def _build(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "build", *args], cwd=root,
                          capture_output=True, text=True, env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    return done


def test_a_build_with_nothing_changed_leaves_the_site_as_it_is(tmp_path: Path) -> None:
    """The same inputs make the same site: when none changed and site/ is as the last build left it,
    `build` says so and stops (issue 27: under a second at 10,000 claims, not 8 s of MkDocs). Any
    change to what the engine reads, to how it is run, or to site/ itself, builds again."""
    root = fixture_project(tmp_path / "p")
    time.sleep(RACY_NS / 1e9)  # an input changed in the seconds before the build is not trusted (stamps.py)
    _build(root)
    site = root / "site"
    before, folder = _signatures(site), site.stat().st_ino
    assert "is up to date" in _build(root).stderr
    assert _signatures(site) == before and site.stat().st_ino == folder  # not one file written again
    built = snapshot(site)

    def changed(edit, *args: str, **env: str) -> None:  # noqa: ANN001
        edit()
        time.sleep(RACY_NS / 1e9)
        done = _build(root, *args, **env)
        assert "is up to date" not in done.stderr, edit
        assert "is up to date" in _build(root, *args, **env).stderr, edit

    changed(lambda: (site / "stray.html").write_text("<script>alert(1)</script>"))
    assert snapshot(site) == built  # the file put into site/ is gone
    changed(lambda: (site / "index.html").write_bytes(b"changed"))
    assert snapshot(site) == built
    methodology = root / "docs" / "methodology.md"  # a hand-written page
    changed(lambda: methodology.write_text(methodology.read_text() + "\nA sentence added by hand.\n"))
    assert "A sentence added by hand." in (site / "methodology" / "index.html").read_text()
    header = root / "overrides" / "partials" / "copyright.html"  # the theme's overrides
    changed(lambda: header.write_text(header.read_text() + "<!-- changed override -->"))
    assert "<!-- changed override -->" in (site / "index.html").read_text()
    contributing = root / "CONTRIBUTING.md"  # outside docs/, included by a page (snippets)
    changed(lambda: contributing.write_text(contributing.read_text() + "\nAn added line of the guide.\n"))
    assert list(site.rglob("*.html")) and any("An added line of the guide." in p.read_text() for p in site.rglob("*.html"))
    changed(lambda: None, SITE_URL="https://elsewhere.example/")  # the address, from the environment
    assert "https://elsewhere.example/claims/valid-full/" in (site / "claims" / "valid-full" / "index.html").read_text()
    changed(lambda: None, "--no-search")
    assert not (site / "pagefind").exists()


def test_a_build_after_one_edit_is_the_site_a_clean_build_makes(tmp_path: Path) -> None:
    """Issue 27: the build after one claim is edited reuses what it can (pages, search parts), and
    its site is byte for byte the site a clean build of the same claims makes."""
    root = fixture_project(tmp_path / "p")
    _build(root)
    claim = root / "claims" / "valid-minimal.md"
    claim.write_text(claim.read_text().replace("Example allegation with only the required fields",
                                               "Example allegation, corrected"))
    done = _build(root)
    assert "0 of 1 part(s) indexed" not in done.stderr  # the edited claim's part was indexed again
    clean = fixture_project(tmp_path / "q")
    shutil.copy(claim, clean / "claims" / claim.name)
    _build(clean)
    assert snapshot(root / "site") == snapshot(clean / "site")
    assert "Example allegation, corrected" in (root / "site" / "claims" / "valid-minimal" / "index.html").read_text()


def test_changing_one_claim_rewrites_only_what_shows_it(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    assert build(root).returncode == 0
    claim = root / "claims" / "valid-minimal.md"
    claim.write_text(claim.read_text().replace("only the required fields", "the required fields only"))
    done = build(root)
    assert done.returncode == 0
    written = re.search(r"docs/: (\d+) written", done.stderr).group(1)
    assert 0 < int(written) < len(list((root / "docs" / "browse").rglob("*.md")))
    assert "the required fields only" in (root / "site" / "claims" / "valid-minimal" / "index.html").read_text()


def test_deleting_a_claim_removes_its_pages(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    assert build(root).returncode == 0
    assert (root / "site" / "claims" / "hostile-everything" / "index.html").exists()
    (root / "claims" / "hostile-everything.md").unlink()
    done = build(root)
    assert done.returncode == 0, done.stderr
    assert not (root / "docs" / "claims" / "hostile-everything.md").exists()
    assert not (root / "site" / "claims" / "hostile-everything").exists()
    status = (root / "site" / "browse" / "status" / "unverified" / "index.html").read_text()
    assert "hostile-everything" not in status


@pytest.mark.parametrize("failure", ["bad-claim", "bad-template", "mkdocs-error"])
def test_failed_build_leaves_docs_and_site_as_they_were(tmp_path: Path, failure: str) -> None:
    root = fixture_project(tmp_path / "p")
    assert build(root).returncode == 0
    docs, site = snapshot(root / "docs"), snapshot(root / "site")
    # A real change to a claim, so that the generated pages would change if anything were written.
    claim = root / "claims" / "valid-minimal.md"
    claim.write_text(claim.read_text().replace("only the required fields", "a new title"))
    if failure == "bad-claim":
        shutil.copy(FIXTURES / "claims" / "unknown-rating.md", root / "claims")
    elif failure == "bad-template":
        template = root / "templates" / "claim.md.j2"
        template.write_text(template.read_text().replace("{% endif %}", "{% endfi %}", 1))
    else:
        (root / "docs" / "broken.md").write_text("[a link to nowhere](missing.md)\n")
    done = build(root)
    assert done.returncode == 1
    if failure == "bad-template":
        assert re.search(r"templates/claim\.md\.j2:\d+: error:", done.stderr), done.stderr
    if failure == "mkdocs-error":
        (root / "docs" / "broken.md").unlink()
    assert snapshot(root / "docs") == docs
    assert snapshot(root / "site") == site


def test_nothing_is_fetched_from_other_hosts(sample_site: Path) -> None:
    """No web fonts, scripts or styles from elsewhere: every page works offline."""
    for page in (sample_site / "site").rglob("*.html"):
        for element in parse(page).iter():
            fetched = element.tag in ("script", "img", "iframe") or (element.tag == "link" and element.attrs.get(
                "rel") in ("stylesheet", "preload", "modulepreload", "icon", "manifest"))  # not canonical, alternate
            if fetched:
                url = element.attrs.get("src") or element.attrs.get("href") or ""
                assert not url.startswith(("http://", "https://", "//")), f"{page.name}: {url}"


def test_every_generated_page_has_front_matter_mkdocs_can_read(fixture_site: Path) -> None:
    """MkDocs silently renders unreadable front matter as Markdown, outside the escaped HTML."""
    for page in (fixture_site / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            meta = yaml.safe_load(text[4:text.index("\n---\n", 4)])
            assert isinstance(meta, dict), page
            assert all(ord(c) < 128 for c in str(meta.get("title", ""))), page


def test_unchanged_inputs_skip_generation_and_any_change_undoes_that(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    time.sleep(2.1)  # inputs changed in the last two seconds are never trusted (racily clean)
    assert build(root).returncode == 0
    done = build(root)
    assert done.returncode == 0 and "nothing changed since the last build" in done.stderr
    assert "claims/valid-minimal.md" in done.stderr  # the last run's warnings are shown again
    # A generated file touched by hand: generated again, and put back.
    page = root / "docs" / "claims" / "valid-full.md"
    original = page.read_bytes()
    page.write_text("edited by hand")
    done = build(root)
    assert "nothing changed" not in done.stderr and "1 written" in done.stderr
    assert page.read_bytes() == original
    # An edited claim: generated again.
    time.sleep(2.1)
    assert "nothing changed" in build(root).stderr
    claim = root / "claims" / "valid-minimal.md"
    claim.write_text(claim.read_text().replace("only the required fields", "the fields required"))
    done = build(root)
    assert "nothing changed" not in done.stderr
    assert "the fields required" in (root / "site" / "claims" / "valid-minimal" / "index.html").read_text()


# --- the theme's layout, rendered once per kind of generated page ------------------------------

def _mkdocs(root: Path, site: Path, **env: str) -> str:
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--verbose", "--site-dir", str(site)],
                          cwd=root, capture_output=True, text=True, env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_pages_filled_in_from_shells_are_the_pages_the_theme_renders(fixture_site: Path, tmp_path: Path) -> None:
    """Claim and facet pages are the theme's layout rendered once and filled in (claimpress/mkdocs_plugin/shells.py):
    byte for byte what rendering each page in full gives, hostile titles and descriptions included."""
    log = _mkdocs(fixture_site, tmp_path / "shells")
    filled = int(re.search(r"claimpress: (\d+) pages filled in from (\d+) shells", log).group(1))
    claims = len(list((fixture_site / "docs" / "claims").glob("*.md")))
    assert filled >= claims - 1  # the first page of each kind is rendered in full
    _mkdocs(fixture_site, tmp_path / "full", CLAIMPRESS_FULL_PAGES="1")
    shells = {k: v for k, v in snapshot(tmp_path / "shells").items() if k.endswith(".html")}
    full = {k: v for k, v in snapshot(tmp_path / "full").items() if k.endswith(".html")}
    assert shells.keys() == full.keys() and len(shells) > claims
    assert [page for page in shells if shells[page] != full[page]] == []


def test_claims_changed_on_different_days_still_share_the_layout(tmp_path: Path) -> None:
    """Each claim page carries its last change (for the sitemap); that date must not split the pages
    into one layout each, rendered in full (at 1,500 claims: 451 layouts instead of 10, 6 s not 4 s)."""
    root = fixture_project(tmp_path / "p")
    template = (FIXTURES / "project" / "claims" / "valid-minimal.md").read_text()
    count = 12
    for i in range(count):
        (root / "claims" / f"dated-{i:02d}.md").write_text(template.replace("id: valid-minimal", f"id: dated-{i:02d}")
                                                            .replace("published: 2020-06-01", f"published: 2020-06-{i + 2:02d}"))
    assert build(root).returncode == 0
    log = _mkdocs(root, tmp_path / "site")
    filled = int(re.search(r"claimpress: (\d+) pages filled in from (\d+) shells", log).group(1))
    facet_pages = len(list((root / "docs" / "browse").rglob("*.md")))
    # Were the claim pages rendered in full, only facet pages could have been filled in.
    assert filled > facet_pages and filled >= count
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text()
    assert "<loc>https://claimpress.example/claims/dated-07/</loc>\n         <lastmod>2020-06-09</lastmod>" in sitemap


@pytest.mark.parametrize("address", ["https://claimpress.example/", ""])
def test_claim_pages_in_several_languages_share_the_layout(tmp_path: Path, address: str) -> None:
    """A claim page in several languages names its versions, whose addresses end in the claim's id:
    that must not make each page a layout of its own, rendered in full (at 10,000 claims in three
    languages, MkDocs took eight times as long a page), and what is filled in must be what the theme
    renders, with and without a site address (the versions' links absolute, or relative)."""
    source = FIXTURES / "languages" / "claims"
    root = copy_project(tmp_path / "p", source)
    set_setting(root, "languages", "[en, ar, uk]")
    count = 4
    for i in range(count):
        for name in ("valid-full.md", "valid-full.ar.md", "valid-full.uk.md"):
            text = (source / name).read_text(encoding="utf-8").replace("id: valid-full", f"id: copy-{i}")
            (root / "claims" / name.replace("valid-full", f"copy-{i}")).write_text(text, encoding="utf-8")
    assert build(root).returncode == 0
    config = root / "mkdocs.yml"  # claimpress needs the address; MkDocs alone does without (as `serve`)
    config.write_text(re.sub(r"(?m)^site_url: .*$", f"site_url: '{address}'", config.read_text()))
    log = _mkdocs(root, tmp_path / "shells")
    by_folder = dict(re.findall(r"(\S+) (\d+)", re.search(r"filled in, by folder: (.*)", log).group(1)))
    for folder in ("claims", "ar/claims", "uk/claims"):  # all but the first of each language's pages
        assert int(by_folder.get(folder, 0)) >= count, (folder, by_folder)
    _mkdocs(root, tmp_path / "full", CLAIMPRESS_FULL_PAGES="1")
    shells = {k: v for k, v in snapshot(tmp_path / "shells").items() if k.endswith(".html")}
    full = {k: v for k, v in snapshot(tmp_path / "full").items() if k.endswith(".html")}
    assert shells.keys() == full.keys() and "ar/claims/copy-3/index.html" in shells
    assert [page for page in shells if shells[page] != full[page]] == []
    links = re.findall(r'hreflang="ar" href="([^"]*)"', full["uk/claims/copy-2/index.html"].decode())
    assert links == [f"{address}ar/claims/copy-2/" if address else "../../../ar/claims/copy-2/"]


def test_navigation_links_lead_to_the_same_pages_from_every_page(fixture_site: Path) -> None:
    """The sidebar's relative links are right for each page's own folder (a facet page in
    browse/year/ must not carry links made for browse/accused/). A page outside the navigation (a
    claim, a page of a browse list) shows each section as one link to the section's first page
    (overrides/partials/nav.html); a page in it, every section's pages."""
    site = fixture_site / "site"

    def sidebar(page: Path) -> Element:
        return [d for d in parse(page).find_all("div", "md-sidebar--primary")][0]

    def targets(page: Path, within: Element | None = None) -> list[tuple[str, str]]:
        return [(" ".join(a.text().split()), (page.parent / unquote(a.attrs["href"])).resolve().as_posix())
                for a in (within or sidebar(page)).find_all("a") if a.attrs.get("href") and "#" not in a.attrs["href"]]

    home = targets(site / "index.html")
    assert len(home) > 5
    # What a page outside the navigation should show, read from the home page's: each top-level
    # item, a section as its title and the target of its first page.
    top = [li for li in sidebar(site / "index.html").find_all("ul", "md-nav__list")[0].children if li.tag == "li"]
    expected = [link for link in home if not link[0]]  # the logo's
    for li in top:
        if "md-nav__item--nested" in li.attrs.get("class", ""):
            title = " ".join(li.find_all("label", "md-nav__link")[0].text().split())
            expected.append((title, targets(site / "index.html", li)[0][1]))
        else:
            expected += targets(site / "index.html", li)
    assert len(expected) < len(home)  # the fixture's navigation has sections
    pages = [p for p in site.rglob("index.html") if "pagefind" not in p.parts]
    assert any("year" in p.parts for p in pages) and any("accused" in p.parts for p in pages)
    outside = {p.relative_to(site).as_posix() for p in pages if targets(p) == expected}
    assert "claims/valid-full/index.html" in outside and "browse/year/index.html" not in outside
    for page in pages:
        shown = targets(page)
        assert shown == (expected if page.relative_to(site).as_posix() in outside else home), page.relative_to(site)
    claim_pages = {f"claims/{p.stem}/index.html" for p in (FIXTURES / "project" / "claims").glob("*.md")
                   if (site / "claims" / p.stem / "index.html").exists()}
    assert claim_pages and claim_pages <= outside
    assert outside.isdisjoint({"index.html", "claims/index.html", "map/index.html", "browse/index.html"})


def test_an_empty_facet_page_says_so_and_dates_read_as_on_claim_pages(sample_site: Path) -> None:
    statuses = {p.parent.name: p for p in (sample_site / "site" / "browse" / "status").glob("*/index.html")}
    empty = parse(statuses["confirmed"])  # no sample claim is confirmed
    assert not empty.find_all("table") and "No claim is listed here yet." in empty.text()
    listed = parse(statuses["single-source"])
    times = listed.find_all("time")
    assert times and {t.attrs["datetime"] for t in times} >= {"2018-09-08", "2022-02"}
    assert "8 September 2018" in listed.text() and "February 2022" in listed.text() and "2018-09-08" not in listed.text()


def test_downloads_say_how_many_claims_the_map_file_holds(sample_site: Path) -> None:
    """No sample claim has coordinates, so claims.geojson is empty: the links say so instead of promising all."""
    geojson = json.loads((sample_site / "site" / "data" / "claims.geojson").read_text())
    total = len(list(SAMPLE.glob("*.md")))
    mapped = len(geojson["features"])
    downloads = parse(sample_site / "site" / "downloads" / "index.html")
    assert f"{mapped} of {total} claims so far" in " ".join(downloads.text().split())
    assert [h.text().strip() for h in downloads.find_all("h2")][-2:] == ["claims.csv", "evidence.csv"]
    assert not downloads.find_all("h3")  # no heading level skipped under the page's h1
    assert mapped == 0 and "(empty until a claim has coordinates)" in parse(
        sample_site / "site" / "claims" / "index.html").text()


def test_the_published_address_can_come_from_the_environment(tmp_path: Path) -> None:
    """mkdocs.yml says site_url: !ENV [SITE_URL, ...]: the Pages workflow sets SITE_URL, and MkDocs and
    claimpress must both take it, or pages and data would name different addresses."""
    root = fixture_project(tmp_path / "p")
    address = "https://factchecks.example.org/desk/"
    done = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "build"], cwd=root, capture_output=True,
                          text=True, env={**os.environ, "SITE_URL": address})
    assert done.returncode == 0, done.stderr
    assert "placeholder" not in done.stderr
    page = parse(root / "site" / "claims" / "valid-full" / "index.html")
    canonical = [e for e in page.find_all("link") if e.attrs.get("rel") == "canonical"]
    assert canonical and canonical[0].attrs["href"] == f"{address}claims/valid-full/"  # MkDocs' reading
    data = json.loads((root / "site" / "data" / "claims.json").read_text())
    assert {c["url"] for c in data["claims"]} >= {f"{address}claims/valid-full/"}  # claimpress' reading
    assert f"<loc>{address}claims/valid-full/</loc>" in (root / "site" / "sitemap.xml").read_text()


def test_the_sitemap_dates_a_claim_by_its_last_change_not_by_the_build(fixture_site: Path) -> None:
    """Search engines recrawl by lastmod: a correction must show as a change, an untouched claim must not."""
    sitemap = (fixture_site / "site" / "sitemap.xml").read_text()
    lastmod = dict(re.findall(r"<loc>([^<]+)</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap))
    for path in (FIXTURES / "project" / "claims").glob("*.md"):
        data = front_matter(path)
        changed = max([str(data["published"]), str(data.get("updated") or ""),
                       *(str(u["date"]) for u in data.get("updates") or [])])
        assert lastmod[f"https://claimpress.example/claims/{data['id']}/"] == changed, data["id"]
    facet = next(url for url in lastmod if "/browse/status/substantiated/" in url)
    assert lastmod[facet] == lastmod["https://claimpress.example/claims/valid-full/"]  # the one claim it lists


def test_a_denial_shows_at_the_top_of_the_claim_page(fixture_site: Path) -> None:
    """What the accused answered is part of where a claim stands: it is shown beside the parties, not
    only in the Responses section far below."""
    article = parse(fixture_site / "site" / "claims" / "valid-full" / "index.html").find_all("article")[0]
    [glance] = article.find_all("p", "cp-glance-responses")
    assert [a.text() for a in glance.find_all("a")] == ["Example Army: denied"]
    assert glance.find_all("a")[0].attrs["href"] == "#responses"
    minimal = parse(fixture_site / "site" / "claims" / "valid-minimal" / "index.html")
    assert not minimal.find_all("p", "cp-glance-responses")  # no response recorded: nothing claimed


def test_pages_describe_themselves_when_shared(sample_site: Path) -> None:
    """Search results and link previews show a page's description: each page has its own, not the site's."""
    site_default = yaml.safe_load((REPO / "mkdocs.yml").read_text().split("\nsite_url:")[0])["site_description"]

    def described(path: str) -> str:
        metas = [m for m in parse(sample_site / "site" / path).find_all("meta")
                 if m.attrs.get("property") == "og:description"]
        return metas[0].attrs["content"]
    for path in ("methodology/index.html", "downloads/index.html", "claim-format/index.html",
                 "contributing/index.html", "browse/status/index.html", "browse/status/single-source/index.html"):
        assert described(path) and described(path) != site_default, path
    single = sum(front_matter(p)["status"] == "single-source" for p in SAMPLE.glob("*.md"))
    assert described("browse/status/single-source/index.html") == f"{single} claims by status: Single source."
