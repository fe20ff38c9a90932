"""The search page of each site language other than the default: docs/<tag>/search/index.md, its
texts in that language and its `lang` that language, so that Pagefind searches that language's index
first (docs/assets/claimpress/search.js). The default language's is docs/search.md, written by hand."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .. import i18n
from ..config import SiteConfig
from .links import in_language, relative_link
from .text import environment


def search_pages(templates: Path, config: SiteConfig) -> Iterator[tuple[str, str]]:
    """(path under docs/, text) of each language's search page."""
    for tag in i18n.site_languages(config)[1:]:
        path = f"{tag}/search/index.md"
        # the scripts' texts: the messages file render.site writes for a language with a catalogue
        messages = f"data/messages/{tag}.js" if i18n.load(templates.parent, tag).digest else None
        yield path, environment(templates, tag).get_template("search.md.j2").render(
            link=lambda to, here=path, tag=tag: relative_link(here, in_language(to, tag)), page_language=tag,
            messages=messages,
            here=f"{tag}/search/")
