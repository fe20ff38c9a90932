"""The scripts' texts in the page's language (claims-data.js t, tn and timeOf), run by Node with the
messages script the build makes of the repository's Arabic and Ukrainian catalogues."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import REPO

from claimpress import i18n

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="needs Node")

# A page's document as far as claims-data.js reads it at load time, then the calls to show.
HARNESS = """
globalThis.window = globalThis;
globalThis.location = {protocol: "https:"};
globalThis.document = {documentElement: {lang: %(lang)s},
                       createElement: function (tag) { return {tag: tag, textContent: ""}; }};
%(messages)s
%(script)s
var d = window.claimpressData, out = {};
out.verdict = d.t("Previous");
out.page = d.t("Page %%(page)s of %%(pages)s", {page: 2, pages: 3});
out.counts = [0, 1, 2, 3, 11, 100, 21].map(function (n) { return d.tn("%%(num)s claim", "%%(num)s claims", n); });
out.dates = ["2018-09-08", "2018-09", "2018"].map(function (iso) { return d.timeOf(iso).textContent; });
out.number = d.number(12345);
console.log(JSON.stringify(out));
"""


def run(lang: str, messages: str) -> dict:
    script = (REPO / "docs" / "assets" / "claimpress" / "claims-data.js").read_text(encoding="utf-8")
    code = HARNESS % {"lang": json.dumps(lang), "messages": messages, "script": script}
    done = subprocess.run([str(NODE), "-e", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_english_needs_no_messages_and_reads_as_before() -> None:
    out = run("en", "")
    assert out["verdict"] == "Previous" and out["page"] == "Page 2 of 3"
    assert out["counts"] == ["0 claims", "1 claim", "2 claims", "3 claims", "11 claims", "100 claims", "21 claims"]
    assert out["dates"] == ["8 September 2018", "September 2018", "2018"] and out["number"] == "12345"


def test_arabic_takes_its_six_plural_forms_and_its_dates() -> None:
    out = run("ar", i18n.messages_script(i18n.load(REPO, "ar")))
    assert out["verdict"] == "السابق" and out["page"] == "الصفحة 2 من 3"
    assert out["counts"] == ["لا ادعاءات", "ادعاء واحد", "ادعاءان", "3 ادعاءات", "11 ادعاءً", "100 ادعاء", "21 ادعاءً"]
    assert out["dates"] == ["8 سبتمبر 2018", "سبتمبر 2018", "2018"]  # digits 0-9, as the pages write them
    assert out["number"] == "12,345"


def test_ukrainian_takes_its_three_plural_forms() -> None:
    out = run("uk", i18n.messages_script(i18n.load(REPO, "uk")))
    assert out["verdict"] == "Назад"
    assert out["counts"] == ["0 тверджень", "1 твердження", "2 твердження", "3 твердження", "11 тверджень",
                             "100 тверджень", "21 твердження"]
    assert "вересня" in out["dates"][0] and out["number"] == "12\u00a0345"
