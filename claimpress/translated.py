"""The model's languages: a claim's translations (ClaimTranslation, from claims/<id>.<tag>.md as the
check gave them) and the registries' translated names, with a fallback to the text as written.
Plain data for the templates, as model.py's."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .languages import canonical
from .languages import direction as direction_of

# A registry entry's translations: canonical tag -> field -> text ({"ar": {"label": "مثبت"}})
Translations = Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class ClaimTranslation:
    """A published translation of a claim. Every text is None where the translation lacks it: the
    page then shows the original's text, marked with the original's language. Lists are matched to
    the original's by position (check holds them to its length)."""
    language: str                            # canonical tag
    title: str | None
    claim: str | None
    spokesperson: str | None
    dates_note: str | None
    verdict: str | None
    location: str | None
    evidence_notes: tuple[str | None, ...]   # one a piece of the original's evidence
    response_summaries: tuple[str | None, ...]
    update_notes: tuple[str | None, ...]
    body: str | None                         # the analysis, Markdown; None where it has none
    translators: tuple[str, ...]
    translated: str                          # YYYY-MM-DD

    @property
    def direction(self) -> str:
        return direction_of(self.language)


def _texts(data: dict[str, Any], key: str, text: str, length: int) -> tuple[str | None, ...]:
    entries: list = data[key] if isinstance(data.get(key), list) else []
    return tuple(entries[i].get(text) if i < len(entries) and isinstance(entries[i], dict) else None
                 for i in range(length))


def claim_translation(tag: str, data: dict[str, Any], body: str, original: dict[str, Any]) -> ClaimTranslation:
    """A translation's checked data and body as the model holds it (`original`: the claim's data)."""
    return ClaimTranslation(
        language=canonical(tag), title=data.get("title"), claim=data.get("claim"),
        spokesperson=data.get("spokesperson"), dates_note=data.get("dates_note"), verdict=data.get("verdict"),
        location=(data.get("incident") or {}).get("location"),
        evidence_notes=_texts(data, "evidence", "note", len(original.get("evidence") or [])),
        response_summaries=_texts(data, "responses", "summary", len(original.get("responses") or [])),
        update_notes=_texts(data, "updates", "note", len(original.get("updates") or [])),
        body=body if body.strip() else None, translators=tuple(data.get("translators") or ()),
        translated=data["translated"])


def claim_translations(packed: Mapping[str, list[Any]], original: dict[str, Any]
                       ) -> dict[str, ClaimTranslation]:
    """tag -> ClaimTranslation, in tag order, of what the check kept (Document.translations)."""
    return {canonical(tag): claim_translation(tag, data, body, original)
            for tag, (data, body) in sorted(packed.items())}


def registry_translations(entry: dict[str, Any]) -> dict[str, dict[str, str]]:
    """A registry entry's `translations`, by canonical tag, in tag order."""
    given = entry.get("translations") or {}
    return {canonical(tag): dict(fields) for tag, fields in sorted(given.items()) if isinstance(fields, dict)}


def text_in(translations: Translations, tag: str | None, field: str, written: str) -> str:
    """A registry entry's `field` in the language `tag`; as written where it has no translation."""
    if tag is None:
        return written
    return translations.get(canonical(tag), {}).get(field) or written
