"""`check` on the interface's catalogues (locale/<tag>/LC_MESSAGES/messages.po): a file Babel cannot
read is one error line, as a problem of mkdocs.yml is; a translation that cannot be used, a warning."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO


def check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build_claims.py"), "check"], cwd=root,
                          capture_output=True, text=True)


def catalogue(root: Path, tag: str, text: str) -> None:
    path = root / "locale" / tag / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    path.write_text('msgid ""\nmsgstr ""\n"Language: ar\\n"\n\n' + text, encoding="utf-8")


def test_a_broken_catalogue_fails_check_in_one_line(project: Path) -> None:
    catalogue(project, "ar", 'msgid "Verdict"\nmsgstr "الحكم\n')
    done = check(project)
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if "messages.po" in line]
    assert lines == ["locale/ar/LC_MESSAGES/messages.po:6: error: not a line of a catalogue: 'msgstr \"الحكم'; "
                     "compare with locale/messages.pot; `pybabel update` rewrites a catalogue from it "
                     "[catalogue-syntax]"]


def test_a_translation_with_other_placeholders_is_a_warning(project: Path) -> None:
    catalogue(project, "uk", '#, python-format\nmsgid "as of %(date)s"\nmsgstr "станом на %(data)s"\n')
    done = check(project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert ("locale/uk/LC_MESSAGES/messages.po:6: warning: msgstr of 'as of %(date)s': its placeholders differ "
            "from the msgid's ['date']") in done.stdout
    assert "[catalogue-format]" in done.stdout


def test_the_projects_own_catalogues_are_clean() -> None:
    from claimpress.i18n import check_catalogues

    assert check_catalogues(REPO) == []


def test_a_linked_catalogue_is_refused(project: Path, tmp_path: Path) -> None:
    """A catalogue's translations reach the pages: a link to a file elsewhere would publish its text."""
    from claimpress.guard import Refused, refuse_links_in_sources
    from claimpress.write import GENERATED

    secret = tmp_path / "secret.po"
    secret.write_text('msgid "Verdict"\nmsgstr "a secret"\n', encoding="utf-8")
    (project / "locale" / "ar" / "LC_MESSAGES").mkdir(parents=True)
    (project / "locale" / "ar" / "LC_MESSAGES" / "messages.po").symlink_to(secret)
    with pytest.raises(Refused, match="locale/ar/LC_MESSAGES/messages.po is a symbolic link"):
        refuse_links_in_sources(project, GENERATED)


def _languages(root: Path, tags: str, acknowledged: str = "") -> None:
    (root / "mkdocs.yml").write_text(f"site_name: x\nsite_url: https://news.example.org/\nextra:\n  claimpress:\n"
                                     f"    publisher: {{name: X}}\n    languages: {tags}\n{acknowledged}", encoding="utf-8")


def test_a_site_language_without_a_catalogue_is_a_warning(project: Path) -> None:
    """Its interface falls back to English: said once for each such language, of mkdocs.yml; English
    (the msgids') and a language with its catalogue need none."""
    catalogue(project, "ar", "")
    _languages(project, "[en, ar, fr, pt-BR, en-GB]")
    done = check(project)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if "[no-catalogue]" in line]
    assert lines == [
        "mkdocs.yml: warning: extra.claimpress.languages: 'fr' has no interface catalogue "
        "(locale/fr/LC_MESSAGES/messages.po): its pages' headings, labels and buttons are in English; make one "
        "from locale/messages.pot (DEVELOPING.md, \"Adding a language\"); or, where that cannot be done, "
        "acknowledge it: extra.claimpress.acknowledged: {no-catalogue: \"the reason\"} [no-catalogue]",
        "mkdocs.yml: warning: extra.claimpress.languages: 'pt-BR' has no interface catalogue "
        "(locale/pt_BR/LC_MESSAGES/messages.po): its pages' headings, labels and buttons are in English; make one "
        "from locale/messages.pot (DEVELOPING.md, \"Adding a language\"); or, where that cannot be done, "
        "acknowledge it: extra.claimpress.acknowledged: {no-catalogue: \"the reason\"} [no-catalogue]"]


def test_a_missing_catalogue_can_be_acknowledged(project: Path) -> None:
    """As the other warnings of mkdocs.yml: counted, not printed, listed with its reason on request."""
    _languages(project, "[fr]", "    acknowledged:\n      no-catalogue: the French catalogue is being written\n")
    done = check(project)
    assert done.returncode == 0 and "no-catalogue" not in done.stdout, done.stdout + done.stderr
    assert "1 warning acknowledged" in done.stderr
    done = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "check", "--show-acknowledged"],
                          cwd=project, capture_output=True, text=True)
    assert ("mkdocs.yml: warning: extra.claimpress.languages: 'fr' has no interface catalogue (locale/fr/LC_MESSAGES/"
            "messages.po): its pages' headings, labels and buttons are in English; acknowledged: the French "
            "catalogue is being written [no-catalogue]") in done.stdout
