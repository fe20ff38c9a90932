"""new and import-claimreview on hostile input (issue 22): whatever they write passes check, names
lose their invisible and control characters, errors are per record, drafts and the parties they
need are written together or not at all, and nothing is written through a symbolic link."""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO, front_matter, make_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimpress.check.project import check_project
from claimpress.cli import main

ARABIC = FIXTURES / "claimreview" / "hostile" / "arabic-factcheck-tools.json"
NEW_FLAGS = ["--accused", "example-army", "--incident-date", "2020", "--country", "SY", "--category",
             "barrel-bombs"]


def run(root: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build_claims.py"), *args], cwd=root, capture_output=True,
                          text=True, input=stdin)


def invisible(text: str) -> list[str]:
    """The characters check must refuse in a name or text: controls (but line breaks), format,
    private-use, unassigned and surrogate code points, Hangul fillers; ZWNJ and ZWJ only between letters."""
    fillers = "\u115f\u1160\u3164\uffa0"
    letter = lambda c: c not in fillers and unicodedata.category(c).startswith("L")  # noqa: E731
    found = []
    for i, c in enumerate(text):
        if c in "\u200c\u200d" and 0 < i < len(text) - 1 and letter(text[i - 1]) and letter(text[i + 1]):
            continue
        if c != "\n" and (unicodedata.category(c) in {"Cc", "Cf", "Co", "Cn", "Cs"} or c in fillers):
            found.append(f"U+{ord(c):04X}")
    return found


def assert_passes_check(root: Path) -> None:
    result = check_project(root)
    assert result.errors == [], "\n".join(d.text() for d in result.errors)
    for path in (root / "claims").iterdir():
        assert not path.name.startswith("."), f"left behind: {path.name}"
        assert invisible(path.read_text(encoding="utf-8")) == [], path.name
        # and none written as YAML escapes ("\uD800") either: every string as a reader gets it
        data = front_matter(path) if path.suffix == ".md" else yaml.safe_load(path.read_text(encoding="utf-8"))
        assert [c for text in strings(data) for c in invisible(text)] == [], path.name


def strings(data: object) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from strings(key)
            yield from strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from strings(item)


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    with open(os.devnull, "w") as null, contextlib.redirect_stdout(null), contextlib.redirect_stderr(null):
        yield


def claims_state(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "claims").iterdir())}


# --- item 9: names and ids from real-world and hostile input --------------------------------------

def test_arabic_fact_check_tools_records_import_with_valid_ids_and_clean_names(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    done = run(root, "import-claimreview", str(ARABIC))
    assert done.returncode == 0, done.stderr
    assert "9 drafts written, 0 skipped, 0 not imported" in done.stderr
    assert_passes_check(root)
    parties = yaml.safe_load((root / "claims" / "parties.yml").read_text(encoding="utf-8"))
    assert parties["tnt"]["name"] == "TNT" and parties["x"]["name"] == "X" and "x-2" not in parties
    assert parties["s-e-n-s-o-r"]["name"] == "S-e-n-s-o-r"
    names = {party["name"] for party in parties.values()}
    assert all(len(name) <= 160 for name in names)
    drafts = {d["evidence"][0]["url"]: d for d in map(front_matter, (root / "claims").glob("*.md")) if d.get("draft")}
    # Social media sites, accounts and Telegram channels are no party: the notes name them, cleaned.
    notes = {url.rsplit("/", 1)[1]: d["evidence"][0]["note"] for url, d in drafts.items() if "claimant" not in d}
    assert set(notes) == {"ministry", "voice", "plane", "school"} and not names & {"مواقع التواصل الاجتماعي"}
    # the right-to-left mark and a ZWNJ joining nothing left out
    assert notes["ministry"].endswith("It attributes the claim to: مواقع التواصل الاجتماعي.")
    # the ZWNJ between two letters kept: it is part of the spelling
    assert notes["school"].endswith("It attributes the claim to: کانال\u200cهای تلگرامی.")
    assert notes["plane"].endswith("It names no author of the claim.")  # a name of a Hangul filler only
    assert drafts["https://misbar.com/factcheck/2023/10/22/school"]["claimant"] == "example-ngo"  # behind an override
    assert drafts["https://misbar.com/factcheck/2023/10/18/minister"]["claimant"] == "x"
    assert "claimed_on" not in drafts["https://misbar.com/factcheck/2023/10/17/hospital-photo"]  # ٢٠٢٣-١٠-١٥
    port = drafts["https://misbar.com/factcheck/2023/10/16/port-video"]
    assert port["claim"] == "فيديو يظهر انفجارا في ميناء المدينة"  # without its right-to-left marks


def test_new_cleans_a_claimant_with_escape_and_override_characters(project: Path) -> None:
    done = run(project, "new", "--title", "Shelling of the\x1b market\u202e", "--claimant", "Bad\x1bName\u202e",
               "--add-parties", "--party-kind", "other", *NEW_FLAGS)
    assert done.returncode == 0, done.stderr
    assert "invisible or control characters" in done.stderr and "'BadName'" in done.stderr
    parties = yaml.safe_load((project / "claims" / "parties.yml").read_text(encoding="utf-8"))
    assert parties["badname"] == {"name": "BadName", "kind": "other"}
    assert front_matter(project / "claims" / "shelling-of-the-market-2020.md")["title"] == "Shelling of the market"
    assert_passes_check(project)


def test_new_gives_names_without_latin_letters_an_id_and_asks_again_for_an_invisible_one(project: Path) -> None:
    answers = "\u202e\x1b\n" + "وزارة الدفاع\n\n" + "government\nSY\n"  # nothing visible; a name in Arabic
    # script, Enter: add it; its kind and country
    done = run(project, "new", "--title", "T", "--location", "Hama", *NEW_FLAGS, "--add-parties", stdin=answers)
    assert done.returncode == 0, done.stderr
    claimant = front_matter(project / "claims" / "t-2020.md")["claimant"]
    assert claimant.startswith("party-")
    parties = yaml.safe_load((project / "claims" / "parties.yml").read_text(encoding="utf-8"))
    assert parties[claimant]["name"] == "وزارة الدفاع"
    assert_passes_check(project)


def test_letters_without_a_lower_case_give_lowercase_ids(tmp_path: Path) -> None:
    """"℡" and "𝖠" have no lower case of their own, and decompose into capitals ("TEL", "A")."""
    root = make_project(tmp_path)
    done = run(root, "new", "--title", "℡ lines cut in 𝖧oms", "--claimant", "𝖠𝖡𝖢 News", "--add-parties",
               "--party-kind", "media", *NEW_FLAGS)
    assert done.returncode == 0, done.stderr
    assert front_matter(root / "claims" / "tel-lines-cut-in-homs-2020.md")["claimant"] == "abc-news"
    (tmp_path / "r.json").write_text(json.dumps({"text": "℡ 𝖠", "claimant": "℡",
                                                 "claimReview": [{"url": "https://example.org/tel"}]}))
    done = run(root, "import-claimreview", str(tmp_path / "r.json"))
    assert done.returncode == 0, done.stderr
    assert (root / "claims" / "tel-a.md").is_file()
    assert_passes_check(root)


def test_new_stops_cleanly_after_endless_unusable_answers(project: Path) -> None:
    done = run(project, "new", stdin="\n" * 5000)
    assert done.returncode == 1 and "answers without a usable draft" in done.stderr, done.stderr[-300:]


def test_new_refuses_a_date_in_other_digits(project: Path) -> None:
    """"٢٠٢٠" is a number to Python's \\d and int(), not a date to check, which wants 0-9."""
    done = run(project, "new", "--title", "T", "--claimant", "example-ngo", "--accused", "example-army",
               "--incident-date", "٢٠٢٠", "--country", "SY", "--category", "barrel-bombs")
    assert done.returncode == 1 and "not a date" in done.stderr
    assert sorted(p.name for p in (project / "claims").glob("*.md")) == ["valid-full.md", "valid-minimal.md"]


def test_imported_drafts_that_check_would_refuse_are_not_written(tmp_path: Path) -> None:
    """A claim "Index" without dates (index is reserved for a page), a lone surrogate escaped in the
    JSON, and a claim whose draft would be over 1 MiB (apostrophes, doubled in YAML's quotes)."""
    root = make_project(tmp_path)
    records = [{"text": "Index", "claimant": "Someone", "claimReview": [{"url": "https://example.org/index"}]},
               {"text": "A claim \ud800 with a surrogate", "claimant": "Someone \udfff",
                "claimReview": [{"url": "https://example.org/surrogate"}]},
               {"text": "'" * 600_000, "claimant": "Quoter", "claimReview": [{"url": "https://example.org/long"}]}]
    (tmp_path / "odd.json").write_text(json.dumps(records))  # ASCII: the surrogates as \ud800 escapes
    done = run(root, "import-claimreview", str(tmp_path / "odd.json"))
    assert done.returncode == 1, done.stderr
    assert "internal error" not in done.stderr
    assert "odd.json [2] claimReview[0]: the draft would be" in done.stderr and "1 MiB" in done.stderr
    written = {d["claim"]: d for d in map(front_matter, (root / "claims").glob("*.md")) if d.get("draft")}
    assert set(written) == {"Index", "A claim with a surrogate"}
    assert written["Index"]["id"] != "index"
    parties = yaml.safe_load((root / "claims" / "parties.yml").read_text(encoding="utf-8"))
    assert "quoter" not in parties  # no party for a draft not written
    assert_passes_check(root)


# --- item 8: hostile shapes, errors per record, all or nothing -----------------------------------

def test_deep_json_is_reported_per_file(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (tmp_path / "deep.json").write_text("[" * 100_000)
    nested = '{"a": ' * 150 + "1" + "}" * 150  # parses, but deeper than a document needs
    (tmp_path / "deep.html").write_text(f'<script type="application/ld+json">{nested}</script>')
    (tmp_path / "fine.json").write_text(json.dumps({"text": "A fine claim", "claimant": "Example Watch",
                                                    "claimReview": [{"url": "https://example.org/fine"}]}))
    done = run(root, "import-claimreview", *(str(tmp_path / n) for n in ("deep.json", "deep.html", "fine.json")))
    assert done.returncode == 1, done.stderr
    assert "not imported: deep.json: nested too deeply (limit 100)" in done.stderr
    assert "not imported: deep.html (JSON-LD block 1): nested too deeply (limit 100)" in done.stderr
    assert "1 drafts written, 0 skipped, 2 not imported" in done.stderr
    assert_passes_check(root)


def test_a_failing_file_leaves_no_draft_without_its_party(tmp_path: Path) -> None:
    """One file with a new claimant, then one whose review is a number: before, the first draft was
    written and the run failed (AttributeError) before its claimant reached parties.yml."""
    root = make_project(tmp_path)
    (tmp_path / "a.json").write_text(json.dumps({"text": "A new claim", "claimant": "New Claimant",
                                                 "claimReview": [{"url": "https://example.org/a"}]}))
    (tmp_path / "b.json").write_text(json.dumps([{"claimReview": [5], "text": "t"},
                                                 {"text": "Another claim", "claimant": "Example Watch",
                                                  "claimReview": [{"url": "https://example.org/b"}]}]))
    done = run(root, "import-claimreview", str(tmp_path / "a.json"), str(tmp_path / "b.json"))
    assert done.returncode == 1, done.stderr
    assert "not imported: b.json [0] claimReview[0]: not a review" in done.stderr
    assert "2 drafts written, 0 skipped, 1 not imported" in done.stderr
    assert "new-claimant" in yaml.safe_load((root / "claims" / "parties.yml").read_text(encoding="utf-8"))
    assert_passes_check(root)


def test_a_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture) -> None:
    """The disk fills as parties.yml is replaced, the last step: the drafts moved in are taken out."""
    root = make_project(tmp_path)
    before = claims_state(root)

    replace = os.replace

    def full(source: str, target: str) -> None:
        if Path(target).name != "parties.yml":  # the check cache's files, say
            return replace(source, target)
        raise OSError(28, "No space left on device", str(source), None, str(target))

    monkeypatch.setattr(os, "replace", full)
    assert main(["--root", str(root), "import-claimreview", str(ARABIC)]) == 2
    assert "cannot write claims/parties.yml: No space left on device; nothing was written" in capsys.readouterr().err
    assert claims_state(root) == before


def test_parties_that_would_not_read_back_are_not_added(tmp_path: Path) -> None:
    """A registry in flow style is valid, but keys added after it would not be: nothing is written."""
    root = make_project(tmp_path)
    (root / "claims" / "parties.yml").write_text(
        "{example-state: {name: Example State, kind: government}, example-army: {name: Example Army, "
        "kind: armed-forces}, example-ngo: {name: Example Watch, kind: ngo}, example-times: {name: Example Times, "
        "kind: media}}\n")
    assert check_project(root).errors == []
    before = claims_state(root)
    done = run(root, "import-claimreview", str(ARABIC))
    assert done.returncode == 1
    assert "claims/parties.yml cannot take the new parties" in done.stderr
    assert claims_state(root) == before


# --- item 10: symbolic links ------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["new", "import"])
def test_nothing_is_written_through_a_linked_parties_file(tmp_path: Path, command: str) -> None:
    root = make_project(tmp_path / "project")
    outside = tmp_path / "outside.yml"
    (root / "claims" / "parties.yml").rename(outside)
    (root / "claims" / "parties.yml").symlink_to(outside)
    kept = outside.read_bytes()
    args = ["new", "--title", "T", "--claimant", "Someone New", "--add-parties", "--party-kind", "individual",
            *NEW_FLAGS] if command == "new" \
        else ["import-claimreview", str(ARABIC)]
    done = run(root, *args)
    assert done.returncode == 1
    assert "claims/parties.yml is a symbolic link; nothing was written" in done.stderr
    assert outside.read_bytes() == kept
    assert sorted(p.name for p in (root / "claims").iterdir()) == [
        "categories.yml", "parties.yml", "ratings.yml", "valid-full.md", "valid-minimal.md"]


@pytest.mark.parametrize("command", ["new", "import"])
def test_nothing_is_written_into_a_linked_claims_folder(tmp_path: Path, command: str) -> None:
    root = make_project(tmp_path / "project")
    (root / "claims").rename(tmp_path / "elsewhere")
    (root / "claims").symlink_to(tmp_path / "elsewhere")
    before = claims_state(root)
    args = ["new", "--title", "T", "--claimant", "example-ngo", *NEW_FLAGS] if command == "new" \
        else ["import-claimreview", str(ARABIC)]
    done = run(root, *args)
    assert done.returncode == 1
    assert "claims/ is a symbolic link; nothing was written" in done.stderr
    assert claims_state(root) == before


# --- properties: whatever they write passes check --------------------------------------------------

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_awkward = st.one_of(
    st.characters(),  # any scalar value
    st.characters(categories=["Cc", "Cf", "Co", "Cn", "Cs", "Zs", "Zl", "Zp", "Mn", "Lo"]),
    st.sampled_from(list("\x1b\u202e\u200f\u200e\u200b\ufeff\u200c\u200d\u3164\u115f\u1160\uffa0\u2028\x85\t\r\n"
                         "\ud800\udfff\u0301\u0645\u06cc\u0915\u094d")),
    st.sampled_from(list("aZx0-.!'\"#:&*[]{}|>%@` ")))
names = st.one_of(st.text(_awkward, max_size=30),
                  st.sampled_from(["TNT", "X", "x", "S-e-n-s-o-r", "index", "No", "null", "~", "2020-01-01",
                                   "Example Watch", "example-army", "ا" * 200, "A " * 100, "-x", "!!!"]))


@SETTINGS
@given(title=names.filter(bool), claimant=names.filter(bool), accused=names.filter(bool), location=names)  # "": asked
def test_property_new_writes_only_what_check_accepts(title: str, claimant: str, accused: str, location: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp))
        before = claims_state(root)
        with quiet():
            code = main(["--root", tmp, "new", f"--title={title}", f"--claimant={claimant}", f"--accused={accused}",
                         f"--location={location}", "--add-parties", "--party-kind", "other", "--incident-date", "2020",
                         "--country", "SY",
                         "--category", "barrel-bombs"])
        assert code in (0, 1)  # written, or refused (nothing visible, too long): never an internal error
        if code == 0:
            assert_passes_check(root)
        else:
            assert claims_state(root) == before


# A field may hold any JSON value, a name or a date mostly.
fields = st.one_of(names, st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), names),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(
        st.sampled_from(["name", "@value", "url", "@id", "@type", "site"]), inner, max_size=3)), max_leaves=8))


def _review(draw: st.DrawFn, i: int) -> dict:
    text, claimant, title = draw(fields), draw(fields), draw(fields)
    url = draw(st.one_of(st.just(f"https://example.org/{i}"), st.builds(lambda s: f"https://{s}", names)))
    date = draw(st.one_of(st.none(), st.sampled_from(["2020-05-01T10:00:00Z", "٢٠٢٠-٠٥-٠١", "2020-13-45", "2999-01-01",
                                                      "0000-00-00"]), fields))
    if draw(st.booleans()):
        return {"text": text, "claimant": claimant, "claimDate": date,
                "claimReview": draw(st.one_of(st.just([{"url": url, "title": title, "textualRating": draw(fields),
                                                        "publisher": {"name": draw(fields)}, "reviewDate": date}]),
                                              st.lists(st.one_of(st.integers(), fields, st.none()), max_size=2)))}
    return {"@type": "ClaimReview", "url": url, "claimReviewed": text, "headline": title, "datePublished": date,
            "author": {"@type": "Organization", "name": draw(fields)},
            "reviewRating": {"alternateName": draw(fields), "ratingValue": draw(st.one_of(st.integers(), fields))},
            "itemReviewed": {"@type": draw(st.sampled_from(["Claim", "CreativeWork", ["Claim"], 5])),
                             "author": draw(st.one_of(st.builds(lambda n: {"@type": "Person", "name": n}, fields),
                                                      fields, st.lists(fields, max_size=2))),
                             "datePublished": date, "appearance": draw(st.one_of(fields, st.lists(fields)))}}


@st.composite
def _records(draw: st.DrawFn) -> list:
    return [_review(draw, i) for i in range(draw(st.integers(1, 4)))]


@SETTINGS
@given(records=_records())
def test_property_import_writes_only_what_check_accepts(records: list) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp) / "project")
        source = Path(tmp) / "records.json"
        source.write_text(json.dumps(records))  # ASCII: surrogates as escapes, as a hostile file may hold them
        with quiet():
            code = main(["--root", str(root), "import-claimreview", str(source)])
        assert code in (0, 1)
        assert_passes_check(root)
