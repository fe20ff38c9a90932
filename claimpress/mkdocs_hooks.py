"""MkDocs hooks (mkdocs.yml `hooks:`): where claimpress changes how MkDocs builds, and why.

1. Generated pages arrive as finished HTML. build_claims.py writes every claim, facet and index
   page as HTML (escaped by Jinja, analyses cleaned by nh3) inside a Markdown file, with
   `claimpress: html` in its front matter. Python-Markdown would only re-parse that HTML to hand
   it back unchanged (half of MkDocs' time), so these pages skip the Markdown step.
2. The theme's sidebar is rendered once per depth for generated pages outside the navigation:
   for them it is the same on every page (no active item, no table of contents), and rendering it
   again for each of 10,000 claims was a third of the theme's time.
3. Search is Pagefind: after the build it indexes the HTML into site/pagefind/, a static index in
   small chunks, so a reader downloads only the part a query needs (the theme's own search index
   is one file that holds every page: 57 MB at 10,000 claims). Runs in `build` and `serve` alike.
"""
from __future__ import annotations

import functools
import subprocess
import sys
from typing import Any

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.structure.toc import get_toc

_IN_NAV: set[str] = set()  # source paths of the pages in the navigation, for this build


def _is_html(page: Any) -> bool:
    return bool(page.meta) and page.meta.get("claimpress") == "html"


def _render_finished_html(page: Any, config: Any, files: Any) -> None:
    """Stands in for Page.render on a generated page: its Markdown source is already the HTML."""
    page.content = page.markdown
    page.toc = get_toc([])
    page.present_anchor_ids = set()


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if _is_html(page):
        page.render = functools.partial(_render_finished_html, page)  # this page only
    return markdown


class Fragments:
    """Pieces of the theme's output, rendered once per build and reused (see site_nav in overrides/main.html)."""

    def __init__(self) -> None:
        self.saved: dict[Any, Markup] = {}

    def key(self, page: Any) -> tuple | None:
        """What the sidebar of `page` depends on, or None when it must be rendered for the page itself."""
        if page is None or not _is_html(page) or page.file.src_uri in _IN_NAV:
            return None
        return (page.url.count("/"), tuple((page.meta.get("hide") or ())))

    def get(self, key: tuple) -> Markup | None:
        return self.saved.get(key)

    def put(self, key: tuple, value: str) -> Markup:
        self.saved[key] = Markup(value)
        return self.saved[key]


def on_nav(nav: Any, **_: Any) -> Any:
    _IN_NAV.clear()
    _IN_NAV.update(page.file.src_uri for page in nav.pages)
    return nav


def on_env(env: Any, **_: Any) -> Any:
    env.globals["cp_fragments"] = Fragments()  # new for every build, so `serve` never shows an old sidebar
    return env


def on_post_build(config: Any, **_: Any) -> None:
    done = subprocess.run([sys.executable, "-m", "pagefind", "--site", config["site_dir"], "--silent"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise PluginError(f"Pagefind could not index the site for search:\n{done.stdout}{done.stderr}")
