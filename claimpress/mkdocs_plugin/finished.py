"""Generated pages arrive as finished HTML, and hand-written pages get the generated snippets.

build_claims.py writes every claim, facet and index page as HTML (escaped by Jinja, analyses cleaned
by nh3) inside a Markdown file, with `claimpress: html` in its front matter. Python-Markdown would
only re-parse that HTML to hand it back unchanged (half of MkDocs' time), and its extensions would
read claim text as Markdown. Two ways to skip it, with the same pages:

- the shortcut (the default): the page's `render` is replaced, for that page only, by one that takes
  the HTML as its content; nothing of MkDocs' Markdown step runs;
- with the plugin's `finished_html: false`: MkDocs' own events only; the page's Markdown is made
  empty (Python-Markdown returns at once) and the HTML is put back as its content. A new Markdown
  object for each page (0.8 ms: 8 s at 10,000 claims) is all it costs.

MkDocs reads and renders every page before it writes the first, so all pages' HTML is in memory at
once. In `build` (the plugin's `lazy_html`), a generated page's HTML, which is its file's text after
the front matter, is let go once the page is read (set_aside) and read again when the page is
written (take_back).
"""
from __future__ import annotations

import functools
import os
import re
import zlib
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.toc import get_toc

SNIPPET = re.compile(r"<!-- claimpress:snippet ([a-z]+) -->")  # render.snippet_placeholder


def is_finished(page: Any) -> bool:
    return bool(page.meta) and page.meta.get("claimpress") == "html"


def lastmod(page: Any) -> None:
    """The sitemap's lastmod of a generated page: when what it shows last changed, not the day of the
    build. Taken out of the meta, which keys the shared layouts (Shells): it does not change them."""
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", str(page.meta.get("updated", ""))):
        page.update_date = str(page.meta.pop("updated"))
        page.claimpress_lastmod = True  # not the day of the build (kept.py keeps it only then)


def skip_markdown(page: Any) -> None:
    """The shortcut: this page's render takes its Markdown source, the finished HTML, as it is."""
    page.render = functools.partial(_render_finished_html, page)


def _render_finished_html(page: Any, config: Any, files: Any) -> None:
    page.content = page.markdown
    page.toc = get_toc([])
    page.present_anchor_ids = set()


def set_aside(page: Any, html: str) -> str:
    """What the page's content is until take_back: nothing, if `html` is still the HTML its file holds
    (no other plugin changed it) and the file is on disk; `html` otherwise."""
    if html is not page.markdown or page.file.abs_src_path is None or getattr(page.file, "_content", None) is not None:
        return html
    page.claimpress_aside = (len(html), zlib.crc32(html.encode("utf-8", "surrogatepass")))
    page.markdown = ""
    return ""


def take_back(page: Any) -> None:
    """The HTML set_aside let go, read again from the page's file (as MkDocs reads it), as its content."""
    aside = getattr(page, "claimpress_aside", None)
    if aside is None:
        return
    length, check = aside
    text = page.file.content_string
    html = text[len(text) - length:] if 0 < length <= len(text) else ""
    if len(html) != length or zlib.crc32(html.encode("utf-8", "surrogatepass")) != check:
        raise PluginError(f"{page.file.src_uri} changed while MkDocs built the site (or another plugin gave its "
                          "source); build again, or set the claimpress plugin's lazy_html: false")
    page.markdown = page.content = html


def let_go(page: Any) -> None:
    """Once the page is written, its HTML let go again, if set_aside let it go before (what MkDocs
    does after, the sitemap, reads only pages' addresses and dates)."""
    if getattr(page, "claimpress_aside", None) is not None:
        page.markdown = page.content = ""


def with_snippets(html: str, page: Any, docs_dir: str) -> str:
    """Put each generated snippet's HTML where a hand-written page included its placeholder, after
    Markdown: the generated HTML holds claim and registry text, which must never be read as Markdown
    (a fenced block with attributes in a rating's description gave an attacker ids and classes)."""
    if "claimpress:snippet" not in html:
        return html

    def fragment(match: re.Match) -> str:
        path = os.path.join(docs_dir, "_snippets", f"{match.group(1)}.html")
        try:
            with open(path, encoding="utf-8") as handle:
                return handle.read().rstrip("\n")  # as Markdown left a raw HTML block
        except OSError as exc:
            raise PluginError(f"{page.file.src_uri} includes the snippet '{match.group(1)}', which "
                              f"build_claims.py did not generate ({exc.strerror})") from None

    return SNIPPET.sub(fragment, html)
