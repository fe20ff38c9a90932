"""The Atom feeds: new and updated claims, and corrections and status changes, a pair for each site
language. The default language's (claims.atom, corrections.atom) hold every claim as written; another
site language L's (L/claims.atom, L/corrections.atom) hold the claims that a reader of L can read: those
with a published translation into L, linked to its page (L/claims/<id>/), and those written in L.

Deterministic: no clock is read (a feed's date is its newest entry's). The feeds' own texts are
gettext msgids (extracted by babel.cfg) in the language's catalogue; every text reaches the XML as
text, escaped by feedgen (lxml), never as markup.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator

from .. import i18n
from ..config import SiteConfig
from ..model import Catalog, Claim
from .exports import claim_url, dataset_date

Gettext = Callable[[str], str]
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _(message: str) -> str:
    """Marks a feed's text for extraction (babel.cfg); it is translated where the feed is made."""
    return message


def feed_files(catalog: Catalog, config: SiteConfig, root: Path) -> Iterator[tuple[str, str]]:
    """(path under docs/, text) of every feed: the default language's at the root, then each other
    site language's under its folder, in its catalogue's words (`root`: the project, holding locale/)."""
    for number, tag in enumerate(i18n.site_languages(config)):
        gettext = i18n.load(root, tag).translations.gettext if number else _
        folder = f"{tag}/" if number else ""
        yield f"{folder}claims.atom", claims_atom(catalog, config, language=tag if number else None, gettext=gettext)
        yield f"{folder}corrections.atom", corrections_atom(catalog, config, language=tag if number else None,
                                                            gettext=gettext)


@dataclass(frozen=True)
class _Version:
    """A claim as a feed in `language` shows it: its texts in that language where it has them."""
    claim: Claim
    language: str | None  # None: as written (the default language's feeds)

    @property
    def translation(self) -> Any:
        return self.claim.translations.get(self.language) if self.language else None

    def url(self, config: SiteConfig) -> str:
        return claim_url(config, self.claim, self.language if self.translation is not None else None)

    def text(self, field: str) -> tuple[str, str | None]:
        """A text field in the feed's language, and the language it is in where that is not the feed's."""
        translated = getattr(self.translation, field, None) if self.translation is not None else None
        if translated is not None or self.language is None or self.claim.language == self.language:
            return translated or getattr(self.claim, field), None
        return getattr(self.claim, field), self.claim.language

    @property
    def changed(self) -> str:
        # A translation made (or brought in line) later than the claim's last change is news in its language.
        translation = self.translation
        return max(self.claim.last_changed, translation.translated) if translation else self.claim.last_changed


def _in(catalog: Catalog, language: str | None) -> list[_Version]:
    if language is None:
        return [_Version(claim, None) for claim in catalog.claims]
    return [_Version(claim, language) for claim in catalog.claims
            if language in claim.translations or claim.language == language]


class _Languages(BaseEntryExtension):
    """An entry's xml:lang, and its title's and summary's where they fall back to the claim's language
    (feedgen sets xml:lang on the feed only)."""

    def __init__(self) -> None:
        self.entry: str | None = None
        self.parts: dict[str, str] = {}

    def extend_atom(self, entry: Any) -> Any:
        if self.entry:
            entry.attrib[_XML_LANG] = self.entry
        for child in entry:
            name = child.tag.rsplit("}", 1)[-1]
            if name in self.parts:
                child.attrib[_XML_LANG] = self.parts[name]
        return entry


def _entry(feed: FeedGenerator, language: str | None, parts: dict[str, str | None]) -> FeedEntry:
    entry = feed.add_entry()
    if language is not None:  # the default language's entries as they always were: the feed's language
        entry.register_extension("claimpress_languages", _Languages, atom=True, rss=False)
        entry.claimpress_languages.entry = language
        entry.claimpress_languages.parts = {k: v for k, v in parts.items() if v}
    return entry


def _moment(day: str) -> datetime:
    parts = [int(p) for p in day.split("-")] + [1, 1]
    return datetime(parts[0], parts[1], parts[2], tzinfo=UTC)


def _feed(config: SiteConfig, path: str, title: str, subtitle: str, language: str, updated: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(config.absolute(path))
    feed.title(title)
    feed.subtitle(subtitle)
    feed.link(href=config.absolute(path), rel="self")
    feed.link(href=config.absolute(path.rsplit("/", 1)[0] + "/" if "/" in path else ""), rel="alternate")
    feed.language(language)  # xml:lang on the feed
    feed.author({"name": config.publisher or "claimpress"})
    feed.updated(_moment(updated or "1970-01-01"))  # not the clock: the same claims, the same feed
    return feed


def claims_atom(catalog: Catalog, config: SiteConfig, limit: int = 100, language: str | None = None,
                gettext: Gettext = _) -> str:
    """New and updated claims, newest first, with their status and the claim as a summary; with
    `language` (a site language other than the default), those a reader of it can read, in it."""
    versions = _in(catalog, language)
    path = f"{language}/claims.atom" if language else "claims.atom"
    publisher = config.publisher or "claimpress"
    feed = _feed(config, path, gettext(_("%(publisher)s: new and updated claims")) % {"publisher": publisher},
                 gettext(_("Allegations, the evidence, and where it stands")), language or config.default_language,
                 max((v.changed for v in versions), default="") if language else dataset_date(catalog))
    newest = sorted(versions, key=lambda v: (v.changed, v.claim.id), reverse=True)[:limit]
    for version in reversed(newest):  # feedgen prepends each entry: add the oldest first
        claim, url = version.claim, version.url(config)
        title, title_language = version.text("title")
        said, said_language = version.text("claim")
        label = claim.status.label_in(language)
        entry = _entry(feed, language, {"title": title_language, "summary": said_language})
        entry.id(url)
        entry.title(f"[{label}] {title}")
        entry.link(href=url)
        entry.published(_moment(claim.published))
        entry.updated(_moment(version.changed))
        entry.summary(gettext(_("%(rating)s. Alleged by %(claimant)s: %(claim)s"))
                      % {"rating": label, "claimant": claim.claimant.name_in(language), "claim": said})
        for category in claim.categories:
            entry.category(term=category.id, label=category.name_in(language))
    return feed.atom_str(pretty=True).decode("utf-8")


def corrections_atom(catalog: Catalog, config: SiteConfig, limit: int = 200, language: str | None = None,
                     gettext: Gettext = _) -> str:
    """Every entry of the claims' `updates` logs: status changes and corrections, newest first; with
    `language`, those of the claims a reader of it can read, in it."""
    versions = _in(catalog, language)
    path = f"{language}/corrections.atom" if language else "corrections.atom"
    publisher = config.publisher or "claimpress"
    entries = sorted(((u.date, v.claim.id, i, v, u) for v in versions
                      for i, u in enumerate(v.claim.updates)), reverse=True)[:limit]
    feed = _feed(config, path,
                 gettext(_("%(publisher)s: corrections and status changes")) % {"publisher": publisher},
                 gettext(_("Each change logged on a claim page")), language or config.default_language,
                 max((e[0] for e in entries), default="") if language else dataset_date(catalog))
    for day, _cid, i, version, update in reversed(entries):
        url = version.url(config)
        title, title_language = version.text("title")
        notes = version.translation.update_notes if version.translation is not None else ()
        translated = notes[i] if i < len(notes) else None
        note = translated or update.note
        foreign = language is not None and not translated and version.claim.language != language
        note_language = version.claim.language if foreign else None
        entry = _entry(feed, language, {"title": title_language or note_language, "summary": note_language})
        entry.id(f"{url}#update-{i + 1}")
        entry.title(f"{title}: {note}")
        entry.link(href=f"{url}#updates")
        entry.updated(_moment(day))
        entry.summary(note)
    return feed.atom_str(pretty=True).decode("utf-8")
