"""MkDocs hooks (mkdocs.yml `hooks:`): the two places where claimpress changes how MkDocs builds.

1. Generated pages arrive as finished HTML. build_claims.py writes every claim, facet and index
   page as HTML (escaped by Jinja, analyses cleaned by nh3) inside a Markdown file, with
   `claimpress: html` in its front matter. Python-Markdown would only re-parse that HTML to hand
   it back unchanged, and that parse was half of MkDocs' time, so these pages skip it.
2. Search is Pagefind: after the build it indexes the HTML into site/pagefind/, a static index in
   small chunks, so a reader downloads only the part a query needs (the theme's own search index
   is one file that holds every page: 57 MB at 10,000 claims). Runs in `build` and `serve` alike.
"""
from __future__ import annotations

import subprocess
import sys
from typing import Any

from mkdocs.exceptions import PluginError

_HTML: dict[str, str] = {}  # page source path -> its finished HTML, between the two page events


def _is_html(page: Any) -> bool:
    return page.meta.get("claimpress") == "html"


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if not _is_html(page):
        return markdown
    _HTML[page.file.src_uri] = markdown
    return ""


def on_page_content(html: str, page: Any, **_: Any) -> str:
    if not _is_html(page):
        return html
    return _HTML.pop(page.file.src_uri)


def on_post_build(config: Any, **_: Any) -> None:
    done = subprocess.run([sys.executable, "-m", "pagefind", "--site", config["site_dir"], "--silent"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise PluginError(f"Pagefind could not index the site for search:\n{done.stdout}{done.stderr}")
