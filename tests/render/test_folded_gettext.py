"""render/folded_gettext.py: `_("text")` translated once, when a template is compiled, with the page
the same as Jinja's own newstyle gettext makes it."""
from __future__ import annotations

import gettext
from pathlib import Path

import jinja2
from test_i18n import write_po

from claimpress.render.folded_gettext import FoldedGettext
from claimpress.render.text import environment

TEMPLATE = ('<dt>{{ _("Place") }}</dt> <b title="{{ _("Verdict") }}">{{ _("100%% sure") ~ "!" }}</b> '
            '{{ _("as of %(date)s", date="<1 May>") }} {{ ns._("Place") }} {{ _("Place") | upper }} '
            '{% set x = _("Analysis") %}{{ x }} {{ _("Evidence") if flag else "" }}')


class Counting(gettext.NullTranslations):
    """A catalogue (with a tag and a quote in one msgstr) that counts its lookups."""

    def __init__(self) -> None:
        super().__init__()
        self.looked_up: list[str] = []
        self.found = {"Place": "Lieu", "Verdict": 'Verdict "final" <b>', "100%% sure": "sûr à 100%%",
                      "Analysis": "Analyse & notes", "Evidence": "Preuves"}

    def gettext(self, message: str) -> str:
        self.looked_up.append(message)
        return self.found.get(message, message)


def _env(folded: bool, translations: Counting) -> jinja2.Environment:
    env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"] + ([FoldedGettext] if folded else []))
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    if folded:
        env.folded_gettext = translations.gettext  # type: ignore[attr-defined]
    return env


def test_the_page_is_the_same_and_the_messages_without_values_are_looked_up_once() -> None:
    plain, folded = Counting(), Counting()
    ns = {"_": lambda text: f"[{text}]"}  # an attribute named _ is not the message function
    expected = _env(False, plain).from_string(TEMPLATE)
    template = _env(True, folded).from_string(TEMPLATE)
    compiled = list(folded.looked_up)
    assert sorted(set(compiled)) == ["100%% sure", "Analysis", "Evidence", "Place", "Verdict"]
    for flag in (True, False):
        for _ in range(3):
            folded.looked_up.clear()
            assert template.render(ns=ns, flag=flag) == expected.render(ns=ns, flag=flag)
            assert folded.looked_up == ["as of %(date)s"]  # only the message with a value, at each page
    page = template.render(ns=ns, flag=True)
    assert '<dt>Lieu</dt> <b title="Verdict "final" <b>">sûr à 100%!</b>' in page  # the msgstr as the call gave it


def test_a_lone_percent_sign_fails_the_page_as_before() -> None:
    for folded in (False, True):
        env = _env(folded, Counting())
        try:
            env.from_string('{{ _("50%, no more") }}').render()
        except (TypeError, ValueError):
            continue
        raise AssertionError("a lone % was formatted")


def test_a_catalogue_translation_is_escaped_once_in_the_project_environment(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.md.j2").write_text('<h2>{{ _("Verdict") }}</h2><h2>{{ _("Analysis") }}</h2>\n')
    write_po(tmp_path, "ar", '''\
        msgid "Verdict"
        msgstr "<script>alert(1)</script> & الحكم"
        ''')
    page = environment(tmp_path / "templates", "ar").get_template("t.md.j2").render()
    assert page == "<h2>&lt;script&gt;alert(1)&lt;/script&gt; &amp; الحكم</h2><h2>Analysis</h2>\n"
    english = environment(tmp_path / "templates").get_template("t.md.j2").render()
    assert english == "<h2>Verdict</h2><h2>Analysis</h2>\n"
