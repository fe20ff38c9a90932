"""The site's own pages in each site language other than the default (design: pages per language):
L/index.md (the home), L/claims/index.md (All claims) and L/map/index.md, from the default pages'
templates in L's environment; and what every version of these pages shares: the context that tells a
template which language it is in, the versions for the switcher and the alternates, and how a claim's
title is shown in a list of that language."""
from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..config import SiteConfig
from ..i18n import direction, site_languages
from ..languages import language as language_of
from ..model import Claim
from .links import LANGUAGE_PAGES, claim_path, in_language
from .versions import Version, translated_languages, translation_of


@dataclass(frozen=True)
class ShownTitle:
    """A claim's title as a list in a language shows it, and the page it leads to."""
    text: str
    path: str               # the claim's page under docs/: in the list's language where it has one
    lang: str | None        # the title's language where it is not the list's (marked lang/dir), else None
    direction: str | None
    here: bool              # the page is in the list's language (L/claims/<id>.md)


def shown_title(claim: Claim, language: str, languages: Sequence[str]) -> ShownTitle:
    """In a list in `language` (a site language): the claim's translation's title, linking to its page
    in that language, where it has one; else its own title, marked with its language when that is
    another, linking to its page in its own language."""
    here = language.lower() in {tag.lower() for tag in translated_languages(claim, languages)}
    title = translation_of(claim, language).title if here else None
    if title:
        return ShownTitle(title, claim_path(claim.id, language), None, None, True)
    path = claim_path(claim.id, language if here else None)
    if claim.language.lower() == language.lower():
        return ShownTitle(claim.title, path, None, None, here)
    return ShownTitle(claim.title, path, claim.language, claim.direction, here)


def site_versions(path: str, config: SiteConfig) -> tuple[Version, ...]:
    """A site page's versions (path: the default's, one of LANGUAGE_PAGES): one a site language, the
    default first; empty for a site of one language."""
    tags = site_languages(config)
    if len(tags) < 2 or path not in LANGUAGE_PAGES:
        return ()
    out = []
    for i, tag in enumerate(tags):
        found = language_of(tag)
        at = in_language(path, tag if i else None)
        url = at[: -len("index.md")]  # the folder MkDocs makes of it: "", "claims/", "ar/map/"
        out.append(Version(tag, found.name if found else tag, at, url, direction(tag), bool(i)))
    return tuple(out)


def page_context(path: str, config: SiteConfig, language: str | None = None) -> dict[str, Any]:
    """What a template of a site page is told of its language (None: the default's), for any version:
    `page_language`, `lpath` (a site page's path in this language where it has one), the `versions`,
    `here`, `in_page` (the badge macro's language), `written` (the registries' own language), and
    `shown` (a claim's title as this page lists it)."""
    tags = site_languages(config)
    default = config.default_language
    return {"page_language": language, "lpath": functools.partial(in_language, language=language),
            "versions": site_versions(path, config), "here": in_language(path, language),
            "in_page": {"language": language} if language else None,
            "written": {"tag": default, "direction": direction(default)},
            "shown": functools.partial(shown_title, language=language or default, languages=tags)}

