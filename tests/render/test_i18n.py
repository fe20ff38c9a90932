"""The interface in another language: the catalogues (claimpress/i18n.py), the templates rendered
through them (render/text.py environment), and what a hostile or broken catalogue can do."""
from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from conftest import REPO, make_project

from claimpress import i18n
from claimpress.cache.pages import page_key_base
from claimpress.check.project import check_files
from claimpress.config import load_config
from claimpress.model import build_catalog
from claimpress.render.claim_pages import ClaimPages
from claimpress.render.site import _enum_descriptions
from claimpress.render.text import analysis_html, environment

HEADER = """\
msgid ""
msgstr ""
"Language: {tag}\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: {plural}\\n"

"""
AR_PLURAL = ("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
             "n%100>=0 && n%100<=2 ? 4 : 5);")


def write_po(root: Path, tag: str, body: str, plural: str = AR_PLURAL) -> Path:
    path = root / "locale" / tag / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER.format(tag=tag, plural=plural) + textwrap.dedent(body), encoding="utf-8")
    return path


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The test project with this repository's templates (and so their msgids)."""
    root = make_project(tmp_path / "project")
    shutil.copytree(REPO / "templates", root / "templates")
    return root


def claim_page(root: Path, language: str | None, claim_id: str = "valid-full") -> str:
    result = check_files(root)
    catalog = build_catalog(result)
    pages = ClaimPages(root / "templates", load_config(root), _enum_descriptions(), language=language)
    pages.catalog = catalog
    claim = catalog.claim(claim_id)
    assert claim is not None
    return pages.render(claim, analysis_html(claim.body))


def test_a_hostile_catalogue_reaches_the_page_as_text(site: Path) -> None:
    write_po(site, "ar", '''\
        msgid "Verdict"
        msgstr "<script>alert(1)</script>"

        msgid "Evidence"
        msgstr "<img src=x onerror=alert(1)>"

        #, python-format
        msgid "What '%(label)s' means"
        msgstr "\\"><script>alert(2)</script>%(label)s"
        ''')
    page = claim_page(site, "ar")
    assert "<script>alert" not in page and "<img" not in page
    assert '<h2 id="verdict">&lt;script&gt;alert(1)&lt;/script&gt;</h2>' in page
    assert '<h2 id="evidence">&lt;img src=x onerror=alert(1)&gt;</h2>' in page
    assert 'title="&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;' in page


def test_arabic_and_ukrainian_pages_take_the_projects_catalogues(site: Path) -> None:
    shutil.copytree(REPO / "locale", site / "locale")
    arabic = claim_page(site, "ar")
    assert '<h2 id="verdict">الحكم</h2>' in arabic and '<h2 id="evidence">الأدلة</h2>' in arabic
    ukrainian = claim_page(site, "uk")
    assert '<h2 id="verdict">Висновок</h2>' in ukrainian and "<dt>Дата інциденту</dt>" in ukrainian
    english = claim_page(site, None)
    assert '<h2 id="verdict">Verdict</h2>' in english and "الحكم" not in english


def test_dates_and_numbers_in_the_language() -> None:
    assert i18n.date_in("2018-09-08", "uk") == "8 вересня 2018\u202fр."
    assert i18n.date_in("2018-09", "uk") == "вересень 2018\u202fр."
    assert i18n.date_in("2018", "uk") == "2018"
    assert i18n.date_in("2018-09-08", "ar") == "8 سبتمبر 2018"
    assert i18n.date_in("2018-09", "ar") == "سبتمبر 2018"
    assert i18n.number_in(12345, "uk") == "12\u00a0345"
    assert i18n.number_in(12345, "ar") == "12,345"


def test_a_page_in_ukrainian_writes_its_dates_so(site: Path) -> None:
    shutil.copytree(REPO / "locale", site / "locale")
    page = claim_page(site, "uk")
    assert "станом на 1 липня 2020\u202fр." in page  # "as of <date>", dates as Ukrainian writes them


@pytest.mark.parametrize("count, text", [(0, "لا ادعاءات."), (1, "ادعاء واحد."), (2, "ادعاءان."), (3, "3 ادعاءات."),
                                         (11, "11 ادعاءً."), (100, "100 ادعاء.")])
def test_arabic_counts_take_the_six_plural_forms(count: int, text: str) -> None:
    env = environment(REPO / "templates", "ar")
    rendered = env.from_string("{% trans count=n %}{{ count }} claim.{% pluralize %}{{ count }} claims.{% endtrans %}")
    assert rendered.render(n=count) == text


def test_a_translation_whose_placeholders_differ_is_not_used(tmp_path: Path) -> None:
    path = write_po(tmp_path, "ar", '''\
        #, python-format
        msgid "as of %(date)s"
        msgstr "حتى %(when)s"

        msgid "Verdict"
        msgstr "100% الحكم"

        #, fuzzy
        msgid "Evidence"
        msgstr "الأدلة"

        msgid "Analysis"
        msgstr "التحليل"
        ''')
    catalogue = i18n.load(tmp_path, "ar")
    assert catalogue.translations.gettext("as of %(date)s") == "as of %(date)s"
    assert catalogue.translations.gettext("Verdict") == "Verdict"  # a lone % would break the page
    assert catalogue.translations.gettext("Evidence") == "Evidence"  # fuzzy: not used
    assert catalogue.translations.gettext("Analysis") == "التحليل"
    shown = [d.text() for d in catalogue.diagnostics]
    assert shown == [
        f"locale/ar/LC_MESSAGES/messages.po:{line}: warning: msgstr of {msgid!r}: its placeholders differ from the "
        f"msgid's {names}; write the msgid's %(name)s placeholders, and %% for a percent sign; the English text is "
        "shown [catalogue-format]"
        for line, msgid, names in ((8, "as of %(date)s", ["date"]), (11, "Verdict", []))]
    assert path.exists()


@pytest.mark.parametrize("body, line", [
    ('msgid "Verdict\nmsgstr "x"\n', 7),  # an unclosed quote, which Babel alone reads without a word
    ('msgid "Verdict"\nmsgstr "a"\nbogus line\n', 9),
    ('msgid "Verdict"\n\nmsgid "Evidence"\nmsgstr "b"\n', 7),  # no msgstr
])
def test_a_broken_catalogue_is_one_line_of_check(site: Path, body: str, line: int) -> None:
    write_po(site, "ar", body)
    found = [d for d in check_files(site).diagnostics if d.code == "catalogue-syntax"]
    assert len(found) == 1 and found[0].line == line and found[0].is_error
    text = found[0].text()
    assert text.startswith(f"locale/ar/LC_MESSAGES/messages.po:{line}: error: ") and "\n" not in text and text.endswith("[catalogue-syntax]")
    # The render step does not fail on it: the interface falls back to English.
    assert '<h2 id="verdict">Verdict</h2>' in claim_page(site, "ar")


def test_a_catalogue_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = write_po(tmp_path, "uk", 'msgid "Verdict"\nmsgstr "x"\n')
    path.write_bytes(path.read_bytes() + b'\nmsgid "Evidence"\nmsgstr "\xff"\n')
    (found,) = i18n.load(tmp_path, "uk").diagnostics
    assert found.code == "catalogue-syntax" and found.line == 11 and "UTF-8" in found.message


def test_the_scripts_messages_are_a_script_escaped_for_it(tmp_path: Path) -> None:
    write_po(tmp_path, "ar", '''\
        msgid "Previous"
        msgstr "</script><script>alert(1)</script>"

        #, python-format
        msgid "%(num)s claim"
        msgid_plural "%(num)s claims"
        msgstr[0] "لا ادعاءات"
        msgstr[1] "ادعاء واحد"
        msgstr[2] "ادعاءان"
        msgstr[3] "%(num)s ادعاءات"
        msgstr[4] "%(num)s ادعاء"
        msgstr[5] "%(num)s ادعاءً"
        ''')
    script = i18n.messages_script(i18n.load(tmp_path, "ar"))
    assert script.startswith("window.claimpressMessages = ") and script.endswith(";\n")
    assert "<" not in script and ">" not in script
    messages = json.loads(script[len("window.claimpressMessages = "):-2])
    assert messages["Previous"] == "</script><script>alert(1)</script>"
    # By CLDR category, as Intl.PluralRules names them: many is 11-99, other 100-102 (Babel's order).
    assert messages["%(num)s claim"] == {"zero": "لا ادعاءات", "one": "ادعاء واحد", "two": "ادعاءان",
                                         "few": "%(num)s ادعاءات", "many": "%(num)s ادعاءً", "other": "%(num)s ادعاء"}


def test_editing_a_catalogue_changes_the_render_keys(site: Path) -> None:
    catalog = build_catalog(check_files(site))
    config = SimpleNamespace(languages=("en", "ar"))  # the setting extra.claimpress.languages gives
    write_po(site, "ar", 'msgid "Verdict"\nmsgstr "الحكم"\n')
    before = i18n.catalogues_key(site, config)
    write_po(site, "ar", 'msgid "Verdict"\nmsgstr "القرار"\n')
    assert i18n.catalogues_key(site, config) != before
    # A site in English alone does not depend on any catalogue.
    english = page_key_base(catalog, site / "templates", load_config(site))
    write_po(site, "ar", 'msgid "Verdict"\nmsgstr "الحكم"\n')
    assert page_key_base(catalog, site / "templates", load_config(site)) == english


def extracted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`make messages`' extraction, in this process (its extractor of the schema's labels is this checkout's)."""
    out = tmp_path / "messages.pot"
    monkeypatch.chdir(REPO)
    CommandLineInterface().run(["pybabel", "--quiet", "extract", "-F", "babel.cfg", "--no-location", "--sort-output",
                                "--omit-header", "--add-comments=Translators:", "-o", str(out), "."])
    return out


def msgids(path: Path) -> set[object]:
    with path.open(encoding="utf-8") as handle:
        return {m.id for m in read_po(handle) if m.id}


def test_the_committed_template_holds_every_text_of_the_templates_and_scripts(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Fails when a template or script gains a text outside _()/{% trans %}/t(), or the .pot is stale:
    `make messages` brings it in line."""
    assert msgids(extracted(tmp_path, monkeypatch)) == msgids(REPO / "locale" / "messages.pot")


def test_no_text_node_of_the_templates_escapes_the_catalogue() -> None:
    """Every English word between tags in the templates is inside a gettext call or a trans block."""
    import re

    untranslated = []
    for path in sorted((REPO / "templates").glob("*.j2")):
        text = re.sub(r"&\w+;|\{#.*?#\}|\{%-? *trans\b.*?endtrans *-?%\}|\{\{.*?\}\}|\{%.*?%\}", "",
                      path.read_text(encoding="utf-8"), flags=re.S)
        body = text.split("\n---\n", 1)[-1]  # after a page's front matter
        untranslated += [f"{path.name}: {m.strip()}" for m in re.findall(r">([^<>]*[A-Za-z]{3,}[^<>]*)<", body)
                         if m.strip() not in {"GeoJSON", "CSV", "JSON", "claims.json", "claims.csv", "evidence.csv",
                                              "claims.geojson", "claimreview.json", "claim.schema.json",
                                              "translation.schema.json", "claims.atom", "corrections.atom", "Natural Earth",
                                              "python3 -m http.server -d site", "http://127.0.0.1:8000/"}]
    assert untranslated == []


@pytest.mark.parametrize("tag", ["ar", "uk"])
def test_every_msgid_has_a_translation(tag: str) -> None:
    with (REPO / "locale" / tag / "LC_MESSAGES" / "messages.po").open(encoding="utf-8") as handle:
        catalogue = read_po(handle)
    wanted = msgids(REPO / "locale" / "messages.pot")
    done = {m.id for m in catalogue if m.id and not m.fuzzy
            and all(m.string if isinstance(m.string, tuple) else (m.string,))}
    assert wanted - done == set()
    assert len(catalogue.plural_forms) and catalogue.num_plurals == {"ar": 6, "uk": 3}[tag]
    loaded = i18n.load(REPO, tag)
    assert loaded.diagnostics == () and set(loaded.messages) >= {m if isinstance(m, str) else m[0] for m in wanted}


def test_counts_are_written_as_the_language_writes_numbers() -> None:
    page = environment(REPO / "templates", "uk").get_template("all-claims.md.j2").render(
        total=12345, mapped=2, link=lambda to: to)
    assert "<p>12\u00a0345 тверджень. Завантажити всі:" in page
    assert "(2 твердження з координатами)" in page
    english = environment(REPO / "templates").get_template("all-claims.md.j2").render(
        total=12345, mapped=2, link=lambda to: to)
    assert "<p>12345 claims. Download them all:" in english and "(the 2 claims with coordinates)" in english


def test_the_build_writes_the_scripts_messages_of_each_site_language(site: Path) -> None:
    from dataclasses import dataclass

    from claimpress.config import SiteConfig
    from claimpress.render.site import render_site

    @dataclass(frozen=True)
    class WithLanguages(SiteConfig):  # extra.claimpress.languages: [en, ar, uk], as config.py reads it
        languages: tuple[str, ...] = ("en", "ar", "uk")

    shutil.copytree(REPO / "locale", site / "locale")
    shutil.rmtree(site / "locale" / "uk")  # a site language without a catalogue: the scripts stay in English
    catalog = build_catalog(check_files(site))
    made = dict(render_site(catalog, site / "templates", WithLanguages(found=True)))
    assert made["data/messages/ar.js"] == i18n.messages_script(i18n.load(site, "ar"))
    assert not any(path.startswith("data/messages/") for path in made if path != "data/messages/ar.js")
    english = dict(render_site(catalog, site / "templates", load_config(site)))
    assert not any(path.startswith("data/messages/") for path in english)
