"""import-claimreview keeps each review's language (issue 26): from the record, else the page's lang,
else the script of its text; a tag that is none is reported, not written; the site's own language
is left out. A draft titled in another script than Latin gets a readable id: its transliteration,
else the publisher and the date. Records: tests/fixtures/claimreview/languages/ (see its README)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, REPO, front_matter, make_project

from claimpress.check.project import check_project

RECORDS = FIXTURES / "claimreview" / "languages"


def run(root: Path, *files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build_claims.py"), "import-claimreview", *map(str, files)],
                          cwd=root, capture_output=True, text=True)


def imported(root: Path, *files: Path) -> tuple[dict[str, dict], str]:
    """The drafts written (by the address of the review they came from), and what import said."""
    done = run(root, *files)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    result = check_project(root)
    assert result.errors == [], "\n".join(d.text() for d in result.errors)
    drafts = {}
    for path in (root / "claims").glob("*.md"):
        data = front_matter(path)
        if data.get("draft"):
            assert path.stem == data["id"]
            drafts[data["evidence"][0]["url"]] = data
    return drafts, done.stderr


def notes_on(stderr: str, cid: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(f"note: claims/{cid}.md ")]


def test_the_record_s_language_comes_first(tmp_path: Path) -> None:
    """inLanguage as a schema.org Language; the Fact Check Tools API's languageCode (a real record)."""
    root = make_project(tmp_path)
    drafts, stderr = imported(root, RECORDS / "arabic-inlanguage.json",
                              FIXTURES / "claimreview" / "factcheck-tools-api-claim.json")
    arabic = drafts["https://factcheck.example/ar/hospital-video"]
    assert arabic["language"] == "ar"
    assert arabic["id"] == "fydyw-ydhhr-qsf-mstshfa-fy-lmdynh-2023"  # its words, transliterated
    assert notes_on(stderr, arabic["id"]) == []  # nothing guessed
    urdu = next(d for url, d in drafts.items() if "vishvasnews" in url)
    assert urdu["language"] == "ur"
    assert urdu["id"] == "knpwr-ke-hylt-sptl-myn-mryd-ky-pti-2019"  # was imported-<hash>


def test_the_page_s_lang_when_the_record_names_none(tmp_path: Path) -> None:
    """<html lang>, or the lang of the element that holds the markup; before the text's script, which
    would take Shahmukhi Punjabi for Urdu; a real page too (Estadão, lang="pt-br")."""
    root = make_project(tmp_path)
    drafts, stderr = imported(root, RECORDS / "urdu-page.html", RECORDS / "urdu-article.html",
                              RECORDS / "punjabi-page.html", FIXTURES / "claimreview" / "estadao.html")
    page = drafts["https://factcheck.example/urdu/lahore-flood-photo"]
    assert page["language"] == "ur" and notes_on(stderr, page["id"]) == []
    assert page["id"] == "lhwr-myn-sylb-ky-tswyr-2022"
    article = drafts["https://factcheck.example/urdu/karachi-rain-video"]
    assert article["language"] == "ur" and notes_on(stderr, article["id"]) == []  # <article lang="ur">
    footer = drafts["https://factcheck.example/en/rain-video"]
    assert "language" not in footer  # <html lang="en"> on an English site
    assert drafts["https://factcheck.example/pa/lahore-flood"]["language"] == "pa-Arab"
    estadao = next(d for url, d in drafts.items() if "estadao" in url)
    assert estadao["language"] == "pt-BR"  # written as languages.py writes the tag


def test_the_script_tells_the_language_when_nothing_else_does(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    drafts, stderr = imported(root, RECORDS / "detected.json", RECORDS / "cyrillic.json")
    arabic = drafts["https://factcheck.example/ar/tanks-photo"]
    assert arabic["language"] == "ar" and arabic["id"] == "swrh-tdhhr-dbbt-fy-shwr-lmdynh-2023"
    assert ["told by the text's script (Arabic script): check it" in n for n in notes_on(stderr, arabic["id"])] \
        == [True]
    assert drafts["https://factcheck.example/fa/school-photo"]["language"] == "fa"
    too_short = drafts["https://factcheck.example/ar/no"]  # "لا": two letters, no id
    assert too_short["id"] == "misbar-2023-10-16" and too_short["language"] == "ar"
    ukrainian = drafts["https://factcheck.example/uk/kharkiv-hospital"]
    assert ukrainian["language"] == "uk"
    assert ukrainian["id"] == "na-video-zobrazheno-udar-po-likarni-v-kharkovi-2022"
    russian = drafts["https://factcheck.example/ru/kharkiv-hospital"]
    assert russian["language"] == "ru" and russian["id"].startswith("na-video-pokazany-posledstviya-udara")
    bulgarian = drafts["https://factcheck.example/bg/hospital"]
    assert "language" not in bulgarian  # neither Ukrainian's nor Russian's letters: not guessed
    [note] = notes_on(stderr, bulgarian["id"])
    assert "no language" in note and "the draft takes the site's (en)" in note


def test_a_tag_that_is_no_language_is_reported_and_not_written(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    drafts, stderr = imported(root, RECORDS / "unknown-tags.json")
    ukrainian = drafts["https://factcheck.example/ua/kyiv-bridge"]
    assert ukrainian["language"] == "uk"  # not "ua": told by the script, and the record's tag reported
    assert any("the record's language 'ua' is no language tag, so it is not written: did you mean 'uk'?" in n
               for n in notes_on(stderr, ukrainian["id"]))
    latin = drafts["https://factcheck.example/en/destroyed-bridge"]
    assert "language" not in latin and "zz" not in (root / "claims" / f"{latin['id']}.md").read_text()
    notes = notes_on(stderr, latin["id"])
    assert any("'zz' is no language tag" in n for n in notes)
    assert any("Latin script" in n and "set `language:`" in n for n in notes)
    assert "drafts written, 0 skipped, 0 not imported" in stderr  # imported all the same


def test_the_site_s_own_language_is_left_out(tmp_path: Path) -> None:
    """An English review on an English site is written as before (no language:); on a site whose
    language is Arabic, it says it is English, and an Arabic review says nothing."""
    english_site = make_project(tmp_path / "en")
    drafts, stderr = imported(english_site, RECORDS / "english.json")
    [draft] = drafts.values()
    text = (english_site / "claims" / f"{draft['id']}.md").read_text(encoding="utf-8")
    assert text.startswith("---\nid: a-photo-shows-the-bridge-destroyed-last-week-2022\ntitle: A photo shows")
    assert "language" not in text and "note:" not in stderr
    arabic_site = make_project(tmp_path / "ar")
    (arabic_site / "mkdocs.yml").write_text("site_name: x\nsite_url: https://checks.example/\nextra:\n  claimpress:\n"
                                            "    publisher: {name: Example Checks}\n    languages: [ar, en]\n")
    drafts, _ = imported(arabic_site, RECORDS / "english.json", RECORDS / "arabic-inlanguage.json")
    assert drafts["https://factcheck.example/en/bridge-photo"]["language"] == "en"
    assert "language" not in drafts["https://factcheck.example/ar/hospital-video"]


def test_new_gives_a_claim_titled_in_arabic_a_readable_id(tmp_path: Path) -> None:
    """new and import share the rule (ids.py): new's id was claim-<year> for any title in Arabic."""
    root = make_project(tmp_path)
    done = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "new", "--title",
                           "قصف مستشفى في المدينة", "--claimant", "example-ngo", "--accused", "example-army", "--incident-date", "2020",
                           "--country", "SY", "--category", "barrel-bombs"],
                          cwd=root, capture_output=True, text=True, input="")
    assert done.returncode == 0, done.stderr
    assert (root / "claims" / "qsf-mstshfa-fy-lmdynh-2020.md").is_file(), done.stdout
