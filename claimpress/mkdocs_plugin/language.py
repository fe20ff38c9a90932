"""The page's language in the theme: which of Material's strings it gets, its `lang` and `dir`, and
the overrides' own texts (`_()` in overrides/) from the project's catalogue of that language.

A page's front matter may say `lang: <tag>`; only a site language (`extra.claimpress.languages`,
by default `[theme.language]`) is taken, any other value gives the default, as a page without it."""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..config import languages_of
from ..i18n import EscapedTranslations, load
from ..languages import TAG_PATTERN, direction, language

THEME_LANGUAGES = "partials/languages/"


def site_languages(config: Any) -> list[str]:
    """extra.claimpress.languages, the first being the default; [theme.language] without it: read
    from MkDocs' config by the rule the generator uses (config.languages_of)."""
    extra: Any = config.get("extra") or {}  # MkDocs' own mapping types, not dicts
    ours: Any = extra.get("claimpress") if hasattr(extra, "get") else None
    listed = ours.get("languages") if hasattr(ours, "get") else None
    return list(languages_of(list(listed) if isinstance(listed, list) else None, config["theme"]["language"]))


class PageLanguage:
    """Answers, for a page, which of the site's languages it is in: None for the default."""

    def __init__(self, env: jinja2.Environment, config: Any) -> None:
        self.languages = site_languages(config)
        self.root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        self.env = env

    @functools.cached_property
    def theme(self) -> dict[str, str]:
        """Material's translations of its own strings, by lower-case name (pt-br -> pt-BR). Listing the
        theme's templates costs 70 ms: only for a site with a page in another language."""
        return {name[len(THEME_LANGUAGES):-5].lower(): name
                for name in self.env.list_templates(filter_func=lambda n: n.startswith(THEME_LANGUAGES))}

    def tag(self, page: Any) -> str | None:
        meta = getattr(page, "meta", None)
        asked = meta.get("lang") if isinstance(meta, dict) else None
        if not isinstance(asked, str):
            return None
        for i, tag in enumerate(self.languages):
            if tag.lower() == asked.strip().lower():
                return tag if i else None
        return None

    def of(self, page: Any) -> dict[str, str] | None:
        """The page's tag, direction and Material's file of its strings; None for the default language."""
        tag = self.tag(page)
        if tag is None:
            return None
        lower = tag.lower()
        theme = self.theme.get(lower) or self.theme.get(lower.split("-")[0]) or self.theme.get("en", "")
        return {"tag": tag, "dir": direction(tag), "theme_file": theme}

    def gettext(self, context: jinja2.runtime.Context, text: str) -> str:
        tag = self.tag(context.get("page"))
        if tag is None:
            return text  # the overrides' own text: MkDocs' templates do not autoescape
        return Markup(EscapedTranslations(load(self.root, tag).translations).gettext(text))


# A claim page's folder, or a site page's (the home: "", All claims, the map), in the default or a site language.
_VERSION_URL = re.compile(rf"(?:{TAG_PATTERN}/)?(?:claims/(?:[a-z0-9][a-z0-9-]*/)?|map/)?")


def page_versions(page: Any) -> list[dict[str, str]]:
    """A page's versions (its meta `versions`, [hreflang, folder from the site's root], written by the
    claim and site pages' templates, or by the plugin for the hand-written home), for <link
    rel=alternate hreflang>: only when every one is a language tag and a claim or site page's folder,
    since a hand-written page's meta could say anything. The first, the original, is also x-default."""
    meta = getattr(page, "meta", None)
    listed = meta.get("versions") if isinstance(meta, dict) else None
    if not isinstance(listed, list) or len(listed) < 2:
        return []
    out = []
    for entry in listed:
        if not (isinstance(entry, list) and len(entry) == 2 and all(isinstance(v, str) for v in entry)):
            return []
        found = language(entry[0])
        if found is None or not _VERSION_URL.fullmatch(entry[1]):
            return []
        out.append({"tag": found.tag, "url": entry[1]})
    return out


def install(env: jinja2.Environment, config: Any) -> PageLanguage:
    languages = PageLanguage(env, config)
    env.globals["cp_page_language"] = languages.of
    env.globals["cp_page_versions"] = page_versions

    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, text: str) -> str:
        return languages.gettext(context, text)

    env.globals["_"] = gettext
    return languages
