"""The language of an imported review's draft, from the first of: the record (ClaimReview's
`inLanguage`, a tag or a schema.org Language; the Fact Check Tools API's `languageCode`), the `lang`
of the page it was in (of the element holding the markup, else `<html>`), the script of its text
(script.py). Every tag is written as claimpress/languages.py has it; one that is no language is
reported and not written. A draft in the site's default language names none, as a claim does."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..languages import canonical, language, named, suggest
from .clean import clean_text, shorten
from .script import detect

TAG_MAX = 35  # the schema's longest language tag


def given(value: Any) -> str | None:
    """The language a record names, as written: a tag, or a Language's alternateName (its code)
    or name ("ar", or "Arabic"); a list, its first."""
    value = value[0] if isinstance(value, list) and value else value
    if isinstance(value, dict):
        names = [value.get(k) for k in ("alternateName", "name", "@value")]
        known = [n for n in names if isinstance(n, str) and (language(n) or named(n))]
        value = known[0] if known else next((n for n in names if isinstance(n, str)), None)
    return (value.strip() or None) if isinstance(value, str) else None


@dataclass(frozen=True)
class Chosen:
    tag: str | None         # the draft's `language:`, canonical; None: the site's default, or not known
    notes: tuple[str, ...]  # what the summary says about it (a tag that is none; a language not known)


def _shown(tag: str) -> str:
    return repr(shorten(clean_text(tag), 40))  # from the input: no control character reaches a terminal


def _tag(written: str) -> str | None:
    found = language(written)
    by_name = None if found else named(written)
    found = found or (language(by_name) if by_name else None)
    return found.tag if found else None


def _unless_default(tag: str, default: str) -> str | None:
    return None if tag == canonical(default) else tag


def choose(record: str | None, page: str | None, sample: str, default: str) -> Chosen:
    """The language of a draft (`record`: what the record names; `page`: the lang of its page;
    `sample`: its texts), and the notes on it; `default`, the site's language, when nothing tells."""
    notes = []
    for what, written in (("the record's language", record), ("the page's lang", page)):
        if not written:
            continue
        tag = _tag(written)
        if tag:
            return Chosen(_unless_default(tag, default), tuple(notes))
        hint = suggest(written) if len(written) <= TAG_MAX else suggest("")  # (no did-you-mean on a page of text)
        notes.append(f"{what} {_shown(written)} is no language tag, so it is not written: {hint}")
    tag, script = detect(sample)
    if tag:  # a guess, if a good one: the editor is told, to confirm it
        notes.append(f"language {tag}, told by the text's script ({script}): check it")
        return Chosen(_unless_default(tag, default), tuple(notes))
    notes.append(f"no language: none named, and the text's script does not tell it ({script}); the draft takes "
                 f"the site's ({default}): set `language:` if it is in another")
    return Chosen(None, tuple(notes))
