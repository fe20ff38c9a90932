"""claimpress.gfm: the same HTML as cmarkgfm's own function, without keeping memory per conversion."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import cmarkgfm
import pytest

from claimpress import gfm

OPTIONS = cmarkgfm.Options.CMARK_OPT_UNSAFE
EXTENSIONS = ("table", "strikethrough", "autolink")

SAMPLES = [
    "",
    "Plain words.",
    "## A heading\n\nA paragraph with *emphasis*, `code` and a [link](https://example.org/a?b=c&d).",
    "| Date | Source |\n|---|:---:|\n| 2017-03-22 | HRW |\n| 2017-04-04 | *Reuters* |\n",
    "~~retracted~~ and www.example.org and https://example.org/x, bare.",
    "<script>alert(1)</script>\n\n<sup>1</sup> <abbr title='x'>HRW</abbr>",
    "> quoted\n\n1. one\n2. two\n   - nested\n\n```\ncode block\n```\n",
    "Ghouta \u2014 \u00ab\u0627\u0644\u063a\u0648\u0637\u0629\u00bb, \u0425\u0430\u0440\u043a\u0456\u0432 \U0001F4A5",
    "[^1] footnote-like and a hard  \nbreak",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_same_html_as_cmarkgfm(text: str) -> None:
    expected = cmarkgfm.markdown_to_html_with_extensions(text, options=OPTIONS, extensions=list(EXTENSIONS))
    assert gfm.to_html(text, OPTIONS, EXTENSIONS) == expected


def test_frees_what_it_converts() -> None:
    """The resident memory of a process that converts 3,000 analyses grows by megabytes with
    cmarkgfm's function (its leak: the measurement can see it), and not with gfm.to_html."""
    probe = textwrap.dedent("""
        import sys
        import cmarkgfm
        from claimpress import gfm
        def rss():
            with open("/proc/self/status") as status:
                return int(status.read().split("VmRSS:")[1].split()[0]) / 1024
        text = "## Analysis\\n\\n" + " ".join(f"word{i % 97} [link](https://example.org/{i})" for i in range(400))
        convert = {
            "gfm": lambda: gfm.to_html(text, cmarkgfm.Options.CMARK_OPT_UNSAFE, ("table", "strikethrough", "autolink")),
            "cmarkgfm": lambda: cmarkgfm.markdown_to_html_with_extensions(
                text, options=cmarkgfm.Options.CMARK_OPT_UNSAFE, extensions=["table", "strikethrough", "autolink"]),
        }[sys.argv[1]]
        for _ in range(50):
            convert()
        before = rss()
        for _ in range(3000):
            convert()
        print(rss() - before)
    """)

    def growth(which: str) -> float:
        done = subprocess.run([sys.executable, "-c", probe, which], capture_output=True, text=True, check=True)
        return float(done.stdout)

    if not os.path.exists("/proc/self/status"):
        pytest.skip("reads resident memory from /proc (Linux)")
    leaked = growth("cmarkgfm")
    assert leaked > 20, f"cmarkgfm kept only {leaked:.1f} MiB over 3,000 conversions: if it no longer leaks, " \
                        "claimpress/gfm.py can go"
    assert growth("gfm") < 4


def test_without_the_c_functions_it_falls_back_to_cmarkgfm(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    import cffi

    monkeypatch.setattr(cffi.FFI, "dlopen", lambda self, name: types.SimpleNamespace())  # no such symbols
    assert gfm._freeing() is None
    monkeypatch.setattr(gfm, "_FREEING", None)
    assert gfm.to_html(SAMPLES[3], OPTIONS, EXTENSIONS) == \
        cmarkgfm.markdown_to_html_with_extensions(SAMPLES[3], options=OPTIONS, extensions=list(EXTENSIONS))


def test_unknown_extension_is_an_error() -> None:
    with pytest.raises(ValueError):
        gfm.to_html("x", OPTIONS, ("tables",))
