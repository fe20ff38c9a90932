"""A claim's versions: its original page and a page for each published translation into a site
language other than the default (docs/<tag>/claims/<id>.md), for the alternates and the switcher,
and a translated analysis' quotations marked with the original's language."""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ..languages import language
from ..model import Claim
from ..translated import ClaimTranslation
from .links import claim_path


@dataclass(frozen=True)
class Version:
    tag: str      # the hreflang: the claim's language for the original, the site language for a translation
    name: str     # the language's own name ("العربية"), the switcher's label
    path: str     # the page under docs/ (claims/x.md, ar/claims/x.md)
    url: str      # its folder from the site's root, as MkDocs makes it (claims/x/, ar/claims/x/)
    direction: str
    translated: bool


def translated_languages(claim: Claim, site_languages: Sequence[str]) -> list[str]:
    """The site languages, as the settings write them, other than the default, that the claim has a
    published translation into: each one gets a page."""
    have = {tag.lower() for tag in claim.translations}
    return [tag for tag in site_languages[1:] if tag.lower() in have and tag.lower() != claim.language.lower()]


def translation_of(claim: Claim, tag: str) -> ClaimTranslation:
    """The claim's ClaimTranslation into the site language `tag` (any case)."""
    return next(t for key, t in claim.translations.items() if key.lower() == tag.lower())


def versions(claim: Claim, site_languages: Sequence[str]) -> tuple[Version, ...]:
    """The original, then each translation with a page; empty when the claim has none."""
    tags = translated_languages(claim, site_languages)
    if not tags:
        return ()
    out = []
    for tag, path in ((claim.language, claim_path(claim.id)),
                      *((tag, claim_path(claim.id, tag)) for tag in tags)):
        found = language(tag)
        out.append(Version(tag, found.name if found else tag, path, path[:-3] + "/",
                           found.direction if found else "ltr", path != claim_path(claim.id)))
    return tuple(out)


_BLOCKQUOTE = re.compile(r"<blockquote>(.*?)</blockquote>", re.S)
_TAG = re.compile(r"<[^>]*>")


def _script(text: str) -> str | None:
    """The script most of the letters of an HTML text are in (LATIN, ARABIC, CYRILLIC...), or None."""
    counts: Counter[str] = Counter()
    for ch, n in Counter(_TAG.sub(" ", text)).items():  # each letter's name once, not once a letter
        if ch.isalpha():
            counts[_script_of(ch)] += n
    return counts.most_common(1)[0][0] if counts else None


@functools.lru_cache(maxsize=4096)
def _script_of(letter: str) -> str:
    return unicodedata.name(letter, "?").split(" ", 1)[0]


def mark_quotations(analysis: Markup, original: str, direction: str) -> Markup:
    """A translated analysis' blockquotes whose script is not the analysis' own are quotations left in
    the original's language (design: quotations keep their language): marked with its lang and dir.
    A blockquote the author marked (<blockquote lang=...>) is as written."""
    if "<blockquote>" not in analysis:
        return analysis
    own = _script(_BLOCKQUOTE.sub(" ", analysis))

    def mark(match: re.Match[str]) -> str:
        script = _script(match.group(1))
        if own is None or script is None or script == own:
            return match.group(0)
        return f'<blockquote lang="{original}" dir="{direction}">{match.group(1)}</blockquote>'

    return Markup(_BLOCKQUOTE.sub(mark, str(analysis)))
