"""import-claimreview on the real samples (tests/fixtures/claimreview/, see its README), and a round trip."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import FIXTURES, REPO, SAMPLE, front_matter, make_project
from sitebuild import build, copy_project

from claimpress.check.project import check_project

SAMPLES = sorted((FIXTURES / "claimreview").glob("*.html")) + sorted((FIXTURES / "claimreview").glob("*.json"))


def run(root: Path, *files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build_claims.py"), "import-claimreview", *map(str, files)],
                          cwd=root, capture_output=True, text=True)


def _drafts(root: Path) -> dict[str, dict]:
    out = {}
    for path in (root / "claims").glob("*.md"):
        data = front_matter(path)
        if data.get("draft"):
            out[data["evidence"][0].get("url")] = data
    return out


def test_every_sample_imports_and_passes_check(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    done = run(root, *SAMPLES)
    assert done.returncode == 0, done.stderr
    assert "5 drafts written, 0 skipped, 0 not imported" in done.stderr
    result = check_project(root)
    assert result.errors == [], "\n".join(d.text() for d in result.errors)
    drafts = _drafts(root)
    afp = drafts["https://factcheck.afp.com/cdc-does-not-add-flu-and-pneumonia-deaths-covid-19-toll"]
    assert afp["claimed_on"] == "2020-05-14" and afp["status"] == "unverified" and afp["draft"] is True
    assert "False (1 on a scale of 1 to 5)" in afp["evidence"][0]["note"]  # their verdict, not our status
    assert any(e.get("url", "").startswith("https://www.facebook.com/") for e in afp["evidence"])  # CreativeWork item
    estadao = [d for url, d in drafts.items() if "estadao" in url][0]
    assert estadao["claim"].startswith("Quem lacra não lucra")  # non-ASCII kept as written
    assert estadao["id"].startswith("quem-lacra-nao-lucra")
    feed_item = drafts["https://www.presseportal.de/pm/133833/4381130"]
    assert feed_item["claimed_on"] == "2019-09-07"
    parties = yaml.safe_load((root / "claims" / "parties.yml").read_text())
    assert parties[feed_item["claimant"]] == {"name": "Irmin Suhl", "kind": "individual"}  # a Person
    urdu = [d for url, d in drafts.items() if "vishvasnews" in url][0]
    assert urdu["claim"] == "کانپور کے ہیلٹ اسپتال میں مریض کی پٹائی کرتا ڈاکٹر"
    assert urdu["claimed_on"] == "2019-06-20"  # the date of a date-time
    assert "claimant" not in urdu  # a social-media user, not a party: see test_claim_authors_that_are_no_party...
    africa = [d for url, d in drafts.items() if "africacheck" in url][0]
    assert africa["claim"] == "Interferon alpha-2b a Covid-19 \u2018vaccine\u2019"  # the NewsArticle beside it is not a review


def test_importing_again_changes_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    assert run(root, *SAMPLES).returncode == 0
    before = {p: p.read_bytes() for p in (root / "claims").iterdir()}
    done = run(root, *SAMPLES)
    assert done.returncode == 0 and "0 drafts written, 5 skipped" in done.stderr
    assert {p: p.read_bytes() for p in (root / "claims").iterdir()} == before


def test_unconvertible_records_are_reported_with_a_reason(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (tmp_path / "broken.json").write_text('{"@type": "ClaimReview", "url": "https://example.org/r"}')
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "page.html").write_text('<html><script type="application/ld+json">{"a": </script></html>')
    done = run(root, tmp_path / "broken.json", tmp_path / "bad.json", tmp_path / "page.html")
    assert done.returncode == 1
    assert "broken.json: no claimReviewed" in done.stderr
    assert "bad.json: not valid JSON" in done.stderr
    assert "page.html (JSON-LD block 1): not valid JSON" in done.stderr
    assert "Traceback" not in done.stderr


def test_messy_records(tmp_path: Path) -> None:
    """Numbers as strings, authors as lists, types as lists, a graph inside a list, dates with times."""
    root = make_project(tmp_path)
    record = [{"@context": "https://schema.org", "@graph": [{
        "@type": ["ClaimReview"], "url": "https://example.org/review", "claimReviewed": "  A claim\n in two lines ",
        "datePublished": "2021-03-04T10:00:00+02:00", "author": [{"@type": "Organization", "name": "Checkers"}],
        "reviewRating": {"@type": "Rating", "ratingValue": "2", "bestRating": "5", "worstRating": "1"},
        "itemReviewed": {"@type": "Claim", "author": [{"@type": "Person", "name": "Example Watch"}],
                         "datePublished": "2021-03-01T08:00:00Z"}}]}]
    (tmp_path / "messy.json").write_text(json.dumps(record))
    done = run(root, tmp_path / "messy.json")
    assert done.returncode == 0, done.stderr
    [draft] = _drafts(root).values()
    assert draft["claim"] == "A claim in two lines" and draft["claimed_on"] == "2021-03-01"
    assert draft["claimant"] == "example-ngo"  # matched to the existing party by its name
    assert draft["evidence"][0]["publisher"] == "Checkers" and draft["evidence"][0]["published"] == "2021-03-04"
    assert "2 on a scale of 1 to 5" in draft["evidence"][0]["note"]
    assert check_project(root).errors == []


def test_round_trip_of_the_seed_claims(tmp_path: Path) -> None:
    """Export the sample claims as ClaimReview (their built pages), import them into an empty project:
    claimant, claim text, dates and the review's address come back."""
    site = copy_project(tmp_path / "site", SAMPLE)
    assert build(site).returncode == 0
    root = tmp_path / "empty"
    (root / "claims").mkdir(parents=True)
    for name in ("parties.yml", "categories.yml", "ratings.yml"):
        shutil.copy(SAMPLE / name, root / "claims" / name)
    pages = sorted((site / "site" / "claims").glob("*/index.html"))
    done = run(root, *pages)
    assert done.returncode == 0, done.stderr
    drafts = _drafts(root)
    originals = [front_matter(p) for p in SAMPLE.glob("*.md")]
    assert len(drafts) == len(originals)
    for original in originals:
        draft = drafts[f"https://claimpress.example/claims/{original['id']}/"]
        assert draft["claimant"] == original["claimant"]
        assert draft["claim"] == " ".join(original["claim"].split())
        assert draft["claimed_on"] == str(original["claimed_on"])
        assert draft["evidence"][0]["published"] == str(original["published"])
    assert "added party" not in done.stdout  # every claimant was found by name


def test_impossible_dates_and_invisible_characters_stay_out_of_the_draft(tmp_path: Path) -> None:
    """A record's dates that are no dates, or still to come, are left out (a missing fact stays missing);
    a right-to-left override is dropped: the draft passes check, and reads as the record's words."""
    root = make_project(tmp_path)
    record = {"@context": "https://schema.org", "@type": "ClaimReview", "url": "https://example.org/odd",
              "claimReviewed": "A claim \u202ewith an override", "datePublished": "2099-05-01",
              "author": {"@type": "Organization", "name": "Checkers"},
              "reviewRating": {"@type": "Rating", "alternateName": "False"},
              "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Example Watch"},
                               "datePublished": "2020-13-45"}}
    (tmp_path / "odd.json").write_text(json.dumps(record))
    done = run(root, tmp_path / "odd.json")
    assert done.returncode == 0, done.stderr
    [draft] = _drafts(root).values()
    assert draft["claim"] == "A claim with an override"
    assert "claimed_on" not in draft and draft["evidence"][0]["published"] is None
    assert check_project(root).errors == []


# --- what an imported draft holds (issue 24, item 12) ---------------------------------------------

def _bodies(root: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8").split("\n---\n", 1)[1] for p in (root / "claims").glob("*.md")
            if front_matter(p).get("draft")}


def test_imported_drafts_pass_fmt_check_as_written(tmp_path: Path) -> None:
    """The drafts are in fmt's form from the start (lists indented under their key, long text on one
    line), so that the pre-commit hook does not fail on a contributor's first commit."""
    root = make_project(tmp_path)
    hostile = FIXTURES / "claimreview" / "hostile" / "arabic-factcheck-tools.json"
    long_claim = tmp_path / "long.json"  # a claim long enough for fmt to fold its line
    long_claim.write_text(json.dumps({"text": "A claim that goes on, " * 300, "claimant": "Example Watch",
                                      "claimReview": [{"url": "https://example.org/long", "title": "Long"}]}))
    assert run(root, *SAMPLES, hostile, long_claim).returncode == 0
    done = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "fmt", "--check"], cwd=root,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "would reformat" not in done.stdout
    assert check_project(root).errors == []


def test_imported_titles_keep_the_claim_up_to_the_schema_limit(tmp_path: Path) -> None:
    """A title is the whole claim where it fits the schema's 160 characters; a longer claim gives
    its first sentences that fit, or its words cut at a space, and claim: keeps all of it."""
    root = make_project(tmp_path)
    assert run(root, *SAMPLES).returncode == 0
    drafts = _drafts(root)
    for draft in drafts.values():
        assert "..." not in draft["title"] and len(draft["title"]) <= 160
        if len(draft["claim"]) <= 160:
            assert draft["title"] == draft["claim"]
    german = drafts["https://www.presseportal.de/pm/133833/4381130"]
    assert german["title"] == "Im Netz sorgt ein angebliches Zitat von Kölns Oberbürgermeisterin Henriette Reker für " \
        "Aufregung."  # its first sentence, whole
    afp = drafts["https://factcheck.afp.com/cdc-does-not-add-flu-and-pneumonia-deaths-covid-19-toll"]
    assert len(afp["claim"]) == 163 and afp["claim"].endswith("pneumonia and influenza fatalities")
    assert afp["title"] == afp["claim"][:afp["claim"].rindex(" ")] + "…"  # one sentence: cut at a space
    bodies = _bodies(root)
    assert "longer than a title's 160 characters" in bodies[f"{afp['id']}.md"]  # the editor is told
    assert "title" not in next(b for n, b in bodies.items() if n.startswith("quem-lacra"))  # a whole claim


def test_imported_draft_bodies_hold_no_record_locator(tmp_path: Path) -> None:
    """The body said "Imported from afp.html (JSON-LD block 1) [0]": the file and the review's index in
    its @graph list, meaningless to an editor and published with the analysis. Now only the messages
    name them."""
    root = make_project(tmp_path)
    assert run(root, *SAMPLES).returncode == 0
    for name, body in _bodies(root).items():
        assert "[0]" not in body and ".html" not in body and ".json" not in body, (name, body)
        assert body.startswith("Imported from a published fact-check"), body


def test_claim_authors_that_are_no_party_are_not_registered(tmp_path: Path) -> None:
    """"multiple sources" (AFP), "Boatos de redes sociais" (Estadão), "FB User-Harshit Pandey" (Fact
    Check Tools), and a review with no author: no party is made of them. The draft has no claimant
    (check lists it as still needed), and its first evidence note says whom the fact-check named."""
    root = make_project(tmp_path)
    before = yaml.safe_load((root / "claims" / "parties.yml").read_text())
    done = run(root, *SAMPLES)
    assert done.returncode == 0, done.stderr
    parties = yaml.safe_load((root / "claims" / "parties.yml").read_text())
    assert set(parties) - set(before) == {"irmin-suhl"}  # a named Person is a party
    for junk in ("multiple-sources", "fb-user-harshit-pandey", "boatos-de-redes-sociais", "unknown-claimant"):
        assert junk not in parties and junk not in done.stdout
    drafts = _drafts(root)
    named = {url: d["evidence"][0]["note"] for url, d in drafts.items() if "claimant" not in d}
    assert len(named) == 4
    assert "It attributes the claim to: multiple sources." in \
        named["https://factcheck.afp.com/cdc-does-not-add-flu-and-pneumonia-deaths-covid-19-toll"]
    assert any("It attributes the claim to: FB User-Harshit Pandey." in n for n in named.values())
    assert any("It attributes the claim to: Boatos de redes sociais." in n for n in named.values())
    assert any("It names no author of the claim." in n for n in named.values())  # Africa Check's
    result = check_project(root)
    assert result.errors == []
    for draft in drafts.values():
        [warning] = [d for d in result.diagnostics if d.code == "draft" and d.path == f"claims/{draft['id']}.md"]
        assert ("claimant" in warning.message.split("still needs:")[1]) == ("claimant" not in draft)
    # Published without a claimant, it is an error: a draft may leave it out, a claim may not.
    afp = drafts["https://factcheck.afp.com/cdc-does-not-add-flu-and-pneumonia-deaths-covid-19-toll"]
    path = root / "claims" / f"{afp['id']}.md"
    path.write_text(path.read_text().replace("draft: true\n", ""))
    assert "missing required field 'claimant'" in "\n".join(d.message for d in check_project(root).errors)


def test_an_author_already_registered_is_the_claimant_whatever_it_says(tmp_path: Path) -> None:
    """An editor who registered "Social media users" on purpose gets it as the claimant."""
    root = make_project(tmp_path)
    with (root / "claims" / "parties.yml").open("a") as registry:
        registry.write("social-media-users:\n  name: Social media users\n  kind: other\n")
    (tmp_path / "r.json").write_text(json.dumps({"text": "A claim", "claimant": "social media users",
                                                 "claimReview": [{"url": "https://example.org/r"}]}))
    assert run(root, tmp_path / "r.json").returncode == 0
    [draft] = _drafts(root).values()
    assert draft["claimant"] == "social-media-users"
    assert "attributes" not in draft["evidence"][0]["note"]
