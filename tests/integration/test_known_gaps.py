"""What a claim acknowledges it cannot give (acknowledged: {code: reason}) is told to readers on its page,
where it matters, as text: a hostile reason stays inert."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES
from sitebuild import build, copy_project, outside_maps, parse

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "form", "input", "style", "svg", "img", "base", "meta", "link"}
MINIMAL = (FIXTURES / "project" / "claims" / "valid-minimal.md").read_text()
REASONS = {
    "no-source-url": '</li></ul><script>alert("gap")</script> the report survives only as a text copy',
    "no-coordinates": "<img src=x onerror=alert(1)> the report names only the province & {{ 7*7 }}",
    "no-analysis": '"><b>the verdict</b> says all the source allows --8<-- "mkdocs.yml"',
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("gaps"), FIXTURES / "project" / "claims")
    lines = "".join(f"  {code}: {json.dumps(reason)}\n" for code, reason in REASONS.items())
    (root / "claims" / "gaps.md").write_text(MINIMAL.replace("id: valid-minimal", "id: gaps").replace(
        "published: 2020-06-01\n", f"published: 2020-06-01\nacknowledged:\n{lines}"))
    done = build(root)
    assert done.returncode == 0, done.stderr
    assert "warnings acknowledged" in done.stderr and "claims/gaps.md" not in done.stderr
    return root / "site"


def test_the_page_tells_readers_each_known_gap_where_it_matters(site: Path) -> None:
    article = parse(site / "claims" / "gaps" / "index.html").find_all("article")[0]
    [gaps] = article.find_all("div", "cp-known-gaps")
    assert [li.text() for li in gaps.find_all("li")] == [f"No web address: {REASONS['no-source-url']}"]
    [where] = [dd for dd in article.find_all("dd", "cp-known-gap")]
    assert where.text() == f"Not recorded: {REASONS['no-coordinates']}"
    [analysis] = article.find_all("p", "cp-known-gap")
    assert analysis.find_all("strong")[0].text() == "No further analysis:"
    assert "".join(analysis.text_parts).strip() == REASONS["no-analysis"]
    # Beside the evidence, after its table; beside the verdict, where the analysis would be.
    html = (site / "claims" / "gaps" / "index.html").read_text()
    assert html.index('id="evidence"') < html.index('class="cp-known-gaps"') < html.index('id="responses"')
    assert html.index('id="verdict"') < html.index('<p class="cp-known-gap">') < html.index('id="evidence"')


def test_a_hostile_reason_stays_text(site: Path) -> None:
    page = parse(site / "claims" / "gaps" / "index.html")
    for element in outside_maps(page.find_all("article")[0]):  # the map's SVG is checked to be only the map's
        assert element.tag not in DANGEROUS_TAGS | {"b"}, element.tag
        assert not any(name.startswith("on") for name in element.attrs), element.attrs
    html = (site / "claims" / "gaps" / "index.html").read_text()
    assert "site_name" not in html.split("<article", 1)[1]  # no snippet was included
    assert "{{ 7*7 }}" in page.find_all("article")[0].text()  # no template ran it


def test_a_claim_without_acknowledgements_shows_no_gaps(site: Path) -> None:
    article = parse(site / "claims" / "valid-minimal" / "index.html").find_all("article")[0]
    assert not article.find_all("div", "cp-known-gaps") and "Not recorded" not in article.text()
    assert not article.find_all("p", "cp-known-gap")


def test_the_dataset_carries_the_reasons(site: Path) -> None:
    records = {c["id"]: c for c in json.loads((site / "data" / "claims.json").read_text())["claims"]}
    assert records["gaps"]["acknowledged"] == REASONS
    assert records["valid-minimal"]["acknowledged"] == {}
