"""Render helpers: links between pages, dates, the analysis sanitiser, meta text; determinism."""
from __future__ import annotations

import posixpath

import pytest

from claimpress.render.links import _url_dir, relative_link
from claimpress.render.text import analysis_html, date_text, meta_text


@pytest.mark.parametrize("page, target", [
    ("claims/a.md", "browse/status/x/index.md"), ("claims/a.md", "index.md"), ("index.md", "claims/a.md"),
    ("claims/index.md", "data/claims-index.json"), ("browse/status/x/page-2.md", "browse/status/x/index.md"),
    ("methodology.md", "methodology.md"), ("index.md", "index.md"), ("browse/index.md", "claims/index.md")])
def test_relative_link_agrees_with_relpath(page: str, target: str) -> None:
    here = _url_dir(page) or "."
    there = (_url_dir(target) or ".") if target.endswith(".md") else target
    expected = posixpath.relpath(there, here)
    link = relative_link(page, target)
    assert posixpath.normpath(posixpath.join(here, link)) == posixpath.normpath(posixpath.join(here, expected))
    if target.endswith(".md"):
        assert link.endswith("/")


def test_date_text() -> None:
    assert date_text("2018-09-08") == "8 September 2018"
    assert date_text("2018-09") == "September 2018"
    assert date_text("2018") == "2018"
    assert date_text(None) == ""


def test_analysis_keeps_the_safe_list_and_drops_the_rest() -> None:
    html = analysis_html('# Top\n\nText <sup>1</sup> <script>alert(1)</script> <a href="javascript:x()">a</a> '
                         '[b](https://example.org) <img src=x onerror=alert(1)> <span onclick="x()">s</span>\n')
    assert "<h2>Top</h2>" in html  # one level under the page's "Analysis" heading
    assert "<sup>1</sup>" in html
    assert "script" not in html and "alert" not in html and "onerror" not in html and "onclick" not in html
    assert "javascript" not in html and "<img" not in html
    assert 'href="https://example.org"' in html and "nofollow" in html
    # A quotation keeps its words; its cite= address is not checked by the sanitiser, so it goes.
    quoted = analysis_html('<q cite="javascript:alert(1)">said</q> <q cite="https://example.org/">too</q>\n')
    assert "<q>said</q>" in quoted and "<q>too</q>" in quoted and "cite" not in quoted


def test_analysis_is_github_flavoured_markdown() -> None:
    """As GitHub previews the claim file: tables, strikethrough and bare addresses as links."""
    html = analysis_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ see www.example.org\n\n- one\n- two\n")
    assert "<table>" in html and "<td>2</td>" in html
    assert "<del>gone</del>" in html
    assert '<a href="http://www.example.org" rel="nofollow noopener noreferrer">www.example.org</a>' in html
    assert "<li>two</li>" in html


def test_meta_text_is_escaped_one_line_json() -> None:
    assert meta_text('a "quoted" <b>&\nline') == '"a &quot;quoted&quot; &lt;b&gt;&amp; line"'
