"""The repository's own claims/, the one place a test reads it.

Every claim there, whoever wrote it, passes check and is canonical; every warning of a sample claim
is fixed or acknowledged, and a fresh copy of the samples passes check --strict. The sample claims the
repository ships were written from two news texts (tests/fixtures/seeds): each one still in claims/
is checked, by id, against its article: it quotes only what the article says, cites it without
adding what the article does not give, records the denials it reports, and dates nothing the
article does not date without saying so. A fork that removed a sample claim skips its checks; claims
a fork adds are not judged against these articles.
"""
from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, SAMPLE, front_matter
from sitebuild import copy_project

from claimpress import places
from claimpress.check.project import check_project

CLAIMS = REPO / "claims"
DAILY_MAIL = FIXTURES / "seeds" / "daily-mail-cluster-bombs-copy.txt"
SYRIA = FIXTURES / "seeds" / "syria-white-phosphorus-report.txt"
# Each sample claim, the article it was written from, and the denials by the accused that the article reports.
SAMPLES: dict[str, tuple[Path, list[tuple[str, str, str]]]] = {
    "russia-cluster-munitions-kharkiv-2022": (DAILY_MAIL, []),
    "russia-cluster-munitions-okhtyrka-school-2022": (DAILY_MAIL, []),
    "russia-incendiary-eastern-ghouta-2018": (SYRIA, [("russia", "denied", "shameless lie")]),
    "syria-barrel-bombs-southern-idlib-2018": (SYRIA, [("syrian-army", "denied", "denied using barrel bombs")]),
    "us-white-phosphorus-hajin-2018": (SYRIA, []),
}


def test_the_sample_fixture_holds_the_sample_claims() -> None:
    assert sorted(p.stem for p in SAMPLE.glob("*.md")) == sorted(SAMPLES)


# --- every claim in claims/ ---------------------------------------------------------------------

def test_repository_claims_have_no_errors() -> None:
    result = check_project(REPO)
    assert result.errors == [], "\n".join(d.text() for d in result.errors)
    assert set(result.claims) == {p.stem for p in CLAIMS.glob("*.md") if "." not in p.stem}  # not translations


def test_repository_claims_are_canonical() -> None:
    done = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "fmt", "--check"], cwd=REPO,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_fresh_copy_of_the_samples_passes_check_strict_and_prints_no_warning(tmp_path: Path) -> None:
    """What a newcomer runs first: every warning of the untouched samples is fixed or acknowledged with
    its reason, so the first warning they see is theirs."""
    root = copy_project(tmp_path / "fresh", SAMPLE)
    done = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "check", "--strict"], cwd=root,
                          capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, ""), done.stdout + done.stderr
    assert "0 errors, 0 warnings" in done.stderr and "warnings acknowledged" in done.stderr


def test_the_sample_claims_have_no_errors(tmp_path: Path) -> None:
    """The fixture copy the site tests count on is itself valid (checked in a copy: check writes a cache)."""
    shutil.copytree(SAMPLE, tmp_path / "claims")
    result = check_project(tmp_path)
    assert result.errors == [], "\n".join(d.text() for d in result.errors)
    assert len(result.claims) >= 5


# --- the sample claims, by id -------------------------------------------------------------------

@pytest.fixture(params=sorted(SAMPLES))
def sample(request: pytest.FixtureRequest) -> Path:
    """The sample claim of this id in claims/; skipped when a fork has removed it."""
    path = CLAIMS / f"{request.param}.md"
    if not path.is_file():
        pytest.skip(f"claims/{path.name} is not in this repository (a fork that removed the sample claims)")
    return path


def _normalise(text: str) -> str:
    text = text.translate(str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-"}))
    return " ".join(text.split())


def _article(path: Path) -> str:
    """The claim's seed article, normalised; a quotation inside a quotation changes "..." to '...':
    compare with one kind of quote mark."""
    return _normalise(SAMPLES[path.stem][0].read_text()).replace("'", '"')


def _quotations(path: Path) -> list[str]:
    """Each "..." passage of the claim file, split at [...] elisions and [our words]."""
    return _quoted(path.read_text())


def _quoted(text: str) -> list[str]:
    # Blockquote markers and line breaks are layout, not words.
    text = _normalise(re.sub(r"^> ?", "", text, flags=re.MULTILINE).replace(">-\n", " "))
    parts = []
    for quoted in re.findall(r'"([^"]+)"', text):
        for part in re.split(r"\[\.\.\.\]|\[[a-z ]+\]", quoted):
            part = part.strip(" .,'")
            if len(part) >= 8:
                parts.append(part.replace("'", '"'))
    return parts


def test_every_quotation_is_in_a_seed_article(sample: Path) -> None:
    """Quote only what the article says: each "..." passage appears in it verbatim."""
    article = _article(sample)
    quotes = _quotations(sample)
    assert quotes, f"{sample.name} quotes nothing from its article"
    for part in quotes:
        assert part in article, f"{sample.name}: not in the source: {part!r}"


def test_the_sample_claims_quote_at_length() -> None:
    """The fixture copy, whatever a fork did to claims/: more than 20 quoted passages, all in the articles."""
    quotes = 0
    for path in sorted(SAMPLE.glob("*.md")):
        article = _article(path)
        for part in _quotations(path):
            quotes += 1
            assert part in article, f"{path.name}: not in the source: {part!r}"
    assert quotes > 20


def test_every_warning_of_a_sample_claim_is_fixed_or_acknowledged(sample: Path) -> None:
    shown = f"claims/{sample.name}"
    found = [d for d in check_project(REPO).diagnostics if d.path == shown]
    assert [d.text() for d in found if not d.is_acknowledged] == []


def test_seed_claims_invent_no_address(sample: Path) -> None:
    """The seed articles give no web address, so no sample claim may carry one."""
    front = sample.read_text().split("\n---\n")[0]
    assert "http" not in front, sample.name


def _printed(value: object, article: str) -> bool:
    """Whether the article prints this date (2018-09-08, 2018-09 or 2018) in a form a reader would see."""
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = datetime.date.fromisoformat(text)
        forms = [day.strftime("%b %d, %Y"), day.strftime("%B %d, %Y"), f"{day.day} {day:%B %Y}"]
    elif re.fullmatch(r"\d{4}-\d{2}", text):
        forms = [datetime.date.fromisoformat(f"{text}-01").strftime("%B %Y")]
    else:
        forms = [text]
    return any(form in article for form in forms)


def test_the_source_is_cited_with_only_what_it_gives(sample: Path) -> None:
    """The article is cited as evidence, a media report without an address; its headline, publisher
    and date are the article's own, or missing (null) where the copy does not give them."""
    data, article = front_matter(sample), _article(sample)
    [cited] = [e for e in data["evidence"] if e["kind"] == "media-report" and "url" not in e]
    for field in ("title", "publisher"):
        assert cited[field] is None or _normalise(cited[field]).replace("'", '"') in article, (sample.name, field)
    assert cited["published"] is None or _printed(cited["published"], article), sample.name


def test_dates_the_article_does_not_print_are_said_to_be_inferred(sample: Path) -> None:
    data, article = front_matter(sample), _article(sample)
    inferred = [d for d in (data["claimed_on"], data["incident"]["date"]) if not _printed(d, article)]
    assert not inferred or data.get("dates_note"), (sample.name, inferred)


def test_the_denials_the_article_reports_are_recorded(sample: Path) -> None:
    """Each denial the article reports is a response of the accused; no response the article lacks."""
    expected = SAMPLES[sample.stem][1]
    recorded = [(r["party"], r["stance"]) for r in front_matter(sample).get("responses") or []]
    assert recorded == [(party, stance) for party, stance, _ in expected], sample.name
    for _, _, words in expected:
        assert words in _article(sample)  # the table above is the article's, not ours


def test_the_sample_claims_are_placed_from_the_gazetteer_and_say_so(sample: Path) -> None:
    """Each sample claim carries the coordinates of the GeoNames place its position_source names (the
    place's, not the report's, which gives none), and its updates log says when they were added."""
    data = front_matter(sample)
    incident = data["incident"]
    named = re.match(r"GeoNames (\d+) \(([^)]+)\), ", incident.get("position_source", ""))
    assert named and "coordinates" in incident, sample.name
    [place] = [p for p in places.places(named[2], incident["country"]) if p.geonameid == int(named[1])]
    assert incident["coordinates"] == [place.latitude, place.longitude], sample.name
    assert incident["precision"] in ("town", "district", "province")
    assert "from the gazetteer" in incident["position_source"]
    assert any("GeoNames gazetteer" in update["note"] for update in data["updates"]), sample.name


# --- the published translations ----------------------------------------------------------------

TRANSLATED = "russia-cluster-munitions-okhtyrka-school-2022"  # its Arabic and Ukrainian translations
DIRECTIONS = {"ar": "rtl", "uk": "ltr"}
# A claim's texts that a translation translates (check/translations.py's TEXT, LISTS and location).
TEXTS = ("title", "claim", "spokesperson", "dates_note", "verdict")
LIST_TEXTS = {"evidence": "note", "responses": "summary", "updates": "note"}


def _translated_sample() -> None:
    """Skips a fork that removed the sample claim; fails when its published translations are gone."""
    if not (CLAIMS / f"{TRANSLATED}.md").is_file():
        pytest.skip(f"claims/{TRANSLATED}.md is not in this repository (a fork that removed the sample claims)")
    for tag in DIRECTIONS:
        assert (CLAIMS / f"{TRANSLATED}.{tag}.md").is_file(), f"claims/{TRANSLATED}.{tag}.md is missing"


@pytest.fixture(scope="module")
def translated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's claims built with its own mkdocs.yml (its languages), in a copy; skipped in a
    fork that removed the sample claim (while it is there, so are its translations and languages)."""
    from sitebuild import built_site

    from claimpress.config import load_config

    _translated_sample()
    assert set(DIRECTIONS) <= set(load_config(REPO).languages), "mkdocs.yml's languages leave out ar or uk"

    root = copy_project(tmp_path_factory.mktemp("translated") / "project", CLAIMS)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")  # with its languages, which copy_project leaves out
    return built_site(root)


def _marked(element, inside: bool = False):
    """(text, whether it is inside an element marked lang="en") for each piece of text of the page
    but scripts, in no particular order."""
    inside = inside or element.attrs.get("lang") == "en"
    if element.tag in ("script", "style"):
        return
    for part in element.text_parts:
        yield part, inside
    for child in element.children:
        yield from _marked(child, inside)


def _shingles(text: str, size: int = 5) -> set[str]:
    words = _normalise(text).split()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def _own_words(path: Path) -> set[str]:
    """Runs of five words of the claim's texts that a translation translates, less its quotations
    ("..."), which stay in English."""
    text = path.read_text(encoding="utf-8")
    data, body = front_matter(path), text[text.index("\n---\n", 4) + 5:]
    texts = [data.get(name) or "" for name in TEXTS] + [(data.get("incident") or {}).get("location") or "", body]
    for key, field in LIST_TEXTS.items():
        texts += [entry.get(field) or "" for entry in data.get(key) or []]
    found: set[str] = set()
    for value in texts:
        # Markdown's marks and quotations out: what is left is our own English prose
        prose = re.sub(r'"[^"]*"|<q[^>]*>.*?</q>', " ", _normalise(re.sub(r"^> ?", "", value, flags=re.M)))
        found |= _shingles(re.sub(r"[*#_`]", "", prose))
    return found


@pytest.mark.parametrize("tag", sorted(DIRECTIONS))
def test_the_translations_are_complete_and_check_clean(tag: str) -> None:
    """No warning (translation-incomplete, translation-outdated...) and no error for a published translation."""
    _translated_sample()
    shown = f"claims/{TRANSLATED}.{tag}.md"
    assert [d.text() for d in check_project(REPO).diagnostics if d.path == shown] == []
    data = front_matter(CLAIMS / f"{TRANSLATED}.{tag}.md")
    assert data.get("draft") is not True


@pytest.mark.parametrize("tag", sorted(DIRECTIONS))
def test_each_translated_page_is_built_in_its_language_with_no_english_left(translated_site: Path, tag: str) -> None:
    """The page in ar and in uk: its language and direction, its translated title, and none of the
    English page's own words but inside an element marked lang="en" (the quotations)."""
    from sitebuild import parse

    tree = parse(translated_site / tag / "claims" / TRANSLATED / "index.html")
    [html] = tree.find_all("html")
    [body] = tree.find_all("body")
    assert (html.attrs["lang"], body.attrs.get("dir")) == (tag, DIRECTIONS[tag])
    [h1] = tree.find_all("h1")
    assert _normalise(h1.text()) == _normalise(front_matter(CLAIMS / f"{TRANSLATED}.{tag}.md")["title"])
    english = _own_words(CLAIMS / f"{TRANSLATED}.md")
    assert len(english) > 100  # the English page's prose, to look for
    left = sorted({s for text, marked in _marked(body) if not marked for s in _shingles(text) & english})
    assert left == [], f"English words of the claim not translated, or not marked lang=en, on the {tag} page"


@pytest.mark.parametrize("tag", sorted(DIRECTIONS))
def test_the_source_articles_quotations_stay_in_english_marked_so(translated_site: Path, tag: str) -> None:
    """Each quotation of the source article that the English page makes (its claim, its analysis) is
    on the translated page verbatim, inside an element marked lang="en"; and each quotation of the
    translated analysis (blockquote, q) is marked lang="en" and is the article's own words."""
    from sitebuild import parse

    tree = parse(translated_site / tag / "claims" / TRANSLATED / "index.html")
    marked = " ".join(_normalise(text).replace("'", '"') for text, inside in _marked(tree) if inside)
    original = (CLAIMS / f"{TRANSLATED}.md").read_text(encoding="utf-8")
    body = original[original.index("\n---\n", 4) + 5:]
    quotes = _quoted(body) + _quoted(f'"{front_matter(CLAIMS / f"{TRANSLATED}.md")["claim"]}"')
    assert len(quotes) >= 4
    for part in quotes:
        assert part in marked, f"{tag}: not kept in English and marked lang=en: {part!r}"
    [analysis] = tree.find_all("div", "cp-analysis")
    quoted = analysis.find_all("blockquote") + analysis.find_all("q")
    assert len(quoted) >= 3
    article = _article(CLAIMS / f"{TRANSLATED}.md")
    for element in quoted:
        assert element.attrs.get("lang") == "en", (tag, element.text())
        words = _normalise(element.text()).replace("'", '"').strip(' .,"')  # as _quoted strips them
        assert words in article, f"{tag}: not the article's words: {words!r}"
