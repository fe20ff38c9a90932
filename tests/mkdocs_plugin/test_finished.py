"""finished.py's lazy_html: a generated page's HTML let go once MkDocs has read the page, read again
from its file when it is written, with MkDocs' own Page and File."""
from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from claimpress.mkdocs_plugin import finished

HTML = '<article class="cp-claim">\r\n<h1>Caf\u00e9 &amp; \u0627\u0644\u062d\u0643\u0645</h1>\n<p>\U0001f4a5</p>\n</article>\n'


def _page(tmp_path: Path, text: str) -> Page:
    docs = tmp_path / "docs"
    (docs / "claims").mkdir(parents=True)
    (docs / "claims" / "x.md").write_bytes(text.encode("utf-8"))
    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(docs), "site_dir": str(tmp_path / "site")})
    config.validate()
    page = Page(None, File("claims/x.md", str(docs), str(tmp_path / "site"), True), config)
    page.read_source(config)
    finished.skip_markdown(page)
    page.render(config, None)
    return page


def test_the_html_is_let_go_and_read_back_the_same(tmp_path: Path) -> None:
    page = _page(tmp_path, "\ufeff---\ntitle: A title\nclaimpress: html\n---\n\n" + HTML)
    content = page.content
    assert content == HTML.replace("\r\n", "\n") and finished.is_finished(page)
    assert finished.set_aside(page, content) == "" and page.markdown == ""
    page.content = ""
    assert page.title == "A title"
    finished.take_back(page)
    assert page.content == content and page.markdown == content
    finished.let_go(page)
    assert page.content == "" and page.markdown == ""
    finished.take_back(page)  # as often as MkDocs builds the page (the preview's rebuilds)
    assert page.content == content


def test_html_another_plugin_changed_is_kept(tmp_path: Path) -> None:
    page = _page(tmp_path, "---\nclaimpress: html\n---\n" + HTML)
    changed = page.content.replace("Caf", "Kaf")
    assert finished.set_aside(page, changed) is changed
    finished.take_back(page)
    finished.let_go(page)
    assert page.content == HTML.replace("\r\n", "\n")  # never set aside: not let go either


def test_a_file_changed_before_its_page_is_written_fails_the_build(tmp_path: Path) -> None:
    page = _page(tmp_path, "---\nclaimpress: html\n---\n" + HTML)
    finished.set_aside(page, page.content)
    source = tmp_path / "docs" / "claims" / "x.md"
    source.write_text(source.read_text().replace("Caf", "Kaf"))
    with pytest.raises(PluginError, match="claims/x.md changed while MkDocs built the site"):
        finished.take_back(page)
    source.write_text("---\nclaimpress: html\n---\n")
    with pytest.raises(PluginError):
        finished.take_back(page)
