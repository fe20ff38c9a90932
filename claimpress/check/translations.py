"""Translations of claims (claims/<id>.<tag>.md) and the languages of claims and registries.

A translation holds text: the fields of TEXT, the notes of LISTS and its Markdown body. Every other
field of the claim is a fact that lives in the original: a translation may repeat it (a translator
copies the file and translates the text), and must then not contradict it. Each function returns
diagnostics; none writes."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..diagnostics import ERROR, Diagnostic
from ..languages import canonical, is_language, suggest
from . import schema
from .acknowledge import TRANSLATION_CODES, settle
from .load import Document, load_claim, show_path
from .rules import CLAIM_ID, Checker, Registries, _check_analysis, check_whitespace, date_span
from .suggest import did_you_mean

TEXT = ("title", "claim", "spokesperson", "dates_note", "verdict")  # translated, not compared
LISTS = {"evidence": "note", "responses": "summary", "updates": "note"}  # list -> its entries' text
OWN = ("language", "translated", "translators", "draft")  # the translation's own fields
_ABSENT = object()


def split_name(name: str) -> tuple[str, str] | None:
    """(claim id, tag) of a translation's file name, "x.pt-BR.md" -> ("x", "pt-BR"); None for a
    claim's own (ids hold no dot, so the first dot starts the tag)."""
    stem = name[:-3] if name.endswith(".md") else name
    cid, dot, tag = stem.partition(".")
    return (cid, tag) if dot else None


def check_language(doc: Document) -> list[Diagnostic]:
    """A claim's `language`, if it gives one, is a language tag."""
    tag = doc.data.get("language")
    if tag is None or is_language(tag):
        return []
    checker = Checker(doc)
    checker.error("unknown-language", ("language",), f"'{tag}' is not a language tag that claimpress knows",
                  suggest(tag))
    return checker.out


def check_translations(original: Document | None, stem: str, paths: Sequence[str], registries: Registries,
                       ) -> tuple[dict[str, list[Any]], list[Diagnostic]]:
    """The translations of claims/<stem>.md (`original`: the claim as loaded and checked, None if it
    is not valid): ({canonical tag: [data, body]} of each published one without errors, diagnostics)."""
    published: dict[str, list[Any]] = {}
    out: list[Diagnostic] = []
    seen: dict[str, str] = {}  # canonical tag -> the file that has it
    for path in paths:
        name = Path(path).name
        tag = canonical(split_name(name)[1])  # type: ignore[index]
        doc, found = check_translation(Path(path), f"claims/{name}", original, registries, True)
        if tag in seen:  # x.ar.md and x.AR.md: one language, two files
            found.append(Diagnostic(f"claims/{name}", 0, 0, ERROR, "duplicate-translation",
                                    f"translates claims/{stem}.md into {tag}, as claims/{seen[tag]} does",
                                    "keep one of them"))
        seen.setdefault(tag, name)
        out += found
        if doc is not None and not any(d.is_error for d in found) and doc.data.get("draft") is not True:
            published[tag] = [doc.data, doc.body]
    return published, out


def check_translation(path: Path, shown: str, original: Document | None, registries: Registries,
                      has_original: bool, claim_ids: Sequence[str] = ()) -> tuple[Document | None, list[Diagnostic]]:
    """One translation, loaded and checked against its original (when it has one that loaded)."""
    cid, tag = split_name(path.name) or (path.stem, "")
    out: list[Diagnostic] = []
    if not is_language(tag):
        out.append(Diagnostic(shown, 0, 0, ERROR, "unknown-language",
                              f"'{path.name}': '{tag}' is not a language tag that claimpress knows; a translation "
                              "is named <id>.<tag>.md", suggest(tag)))
    if not has_original:
        hint = did_you_mean(cid, claim_ids) if CLAIM_ID.match(cid) else ""
        out.append(Diagnostic(shown, 0, 0, ERROR, "translation-without-original",
                              f"translates claims/{cid}.md, which does not exist",
                              hint or "name the file after the claim it translates (claims/<id>.<tag>.md), or write "
                              f"claims/{cid}.md first"))
    doc, found = load_claim(path, shown, "copy the original claim's file and translate its text")
    out += found
    if doc is None:
        return None, out
    out += schema.check(doc, "translation") + check_whitespace(doc)
    checker = Checker(doc, registries.latest_date)
    data = doc.data
    _check_analysis(checker, doc)
    written = data.get("language")
    if written is not None and not is_language(written):
        checker.error("unknown-language", ("language",), f"'{written}' is not a language tag that claimpress knows",
                      suggest(written))
    elif written is not None and is_language(tag) and canonical(written) != canonical(tag):
        checker.error("language-mismatch", ("language",), f"'{written}' is not the language of the file name "
                      f"('{tag}')", f"rename the file to {cid}.{written}.md, or set language: {tag}")
    translated = checker.real_date(("translated",), data.get("translated"))
    if "id" in data and data["id"] != cid:
        checker.error("id-mismatch", ("id",), f"'{data['id']}' is not the id of the claim it translates ('{cid}')",
                      f"set id: {cid}, or leave it out")
    if original is not None and isinstance(original.data, dict):
        _against(checker, doc, original, tag, registries, translated)
        # Judged only against an original: without one, its warnings cannot fire.
        return doc, out + settle(checker.out, _own_acknowledgements(data), TRANSLATION_CODES, shown,
                                 lambda code: doc.position(("acknowledged", code), key=True))
    return doc, out + checker.out


def _own_acknowledgements(data: dict) -> dict[str, str]:
    """The translation's acknowledgements of its own warnings (the rest are the original's, facts)."""
    given = data.get("acknowledged")
    return {code: reason for code, reason in given.items() if code in TRANSLATION_CODES and isinstance(reason, str)
            } if isinstance(given, dict) else {}


def _against(checker: Checker, doc: Document, original: Document, tag: str, registries: Registries,
             translated: tuple | None) -> None:
    """What a translation must be to its original: a published claim's, in another language, with
    the same facts; and what it should be: complete, and made after the original's last change."""
    data, theirs = doc.data, original.data
    if theirs.get("draft") is True and data.get("draft") is not True:
        checker.error("translation-of-draft", (), f"translates {original.path}, which is a draft and not published",
                      "publish the original first, or mark the translation draft: true as well")
    own = theirs.get("language") or registries.languages[0]
    if is_language(tag) and is_language(own) and canonical(own) == canonical(tag):
        checker.error("translation-same-language", (), f"translates {original.path} into its own language ({own})",
                      f"name the file after the language it is in, or set language: in {original.path}")
    _facts(checker, data, theirs, original.path)
    _completeness(checker, doc, original)
    changed = max([theirs.get("updated") or ""] + [u.get("date") or "" for u in theirs.get("updates") or []
                                                   if isinstance(u, dict)])
    span = date_span(changed) if changed else None
    if translated and span and span[0] > translated[0]:
        checker.warning("translation-outdated", ("translated",),
                        f"'{data['translated']}' is before the last change of {original.path} ({changed})",
                        "bring the translation in line with the original, then set translated: to that day")


def _facts(checker: Checker, data: dict, theirs: dict, where: str) -> None:
    for key, value in data.items():
        if key in OWN or key in TEXT or value is None:
            continue
        if key == "acknowledged" and isinstance(value, dict):  # the original's, and the translation's own
            repeated = {code: reason for code, reason in value.items() if code not in TRANSLATION_CODES}
            if repeated:
                _same(checker, (key,), repeated, theirs.get(key, _ABSENT), where)
        elif key == "incident" and isinstance(value, dict) and isinstance(theirs.get(key), dict):
            for sub, item in value.items():
                if sub != "location":
                    _same(checker, (key, sub), item, theirs[key].get(sub, _ABSENT), where)
        elif key in LISTS and isinstance(value, list) and isinstance(theirs.get(key), list):
            if len(value) != len(theirs[key]):
                entries = "1 entry" if len(value) == 1 else f"{len(value)} entries"
                checker.error("translation-contradicts", (key,), f"has {entries} here but {len(theirs[key])} in "
                              f"{where}", f"give the original's entries in its order, or leave {key} out")
                continue
            for i, (entry, other) in enumerate(zip(value, theirs[key])):
                if isinstance(entry, dict) and isinstance(other, dict):
                    for sub, item in entry.items():
                        if sub != LISTS[key]:
                            _same(checker, (key, i, sub), item, other.get(sub, _ABSENT), where)
        else:
            _same(checker, (key,), value, theirs.get(key, _ABSENT), where)


def _same(checker: Checker, path: tuple, value: Any, theirs: Any, where: str) -> None:
    if value is None or value == theirs:
        return
    field = show_path(path)
    if theirs is _ABSENT:
        message = f"is {_shown(value)} here but {where} has no {field}"
    else:
        message = f"is {_shown(value)} here but {_shown(theirs)} in {where}"
    checker.error("translation-contradicts", path, message,
                  f"a translation holds only text; facts live in {where}: remove {field} here, or make it the "
                  "original's")


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return f"'{text}'" if len(text) <= 60 else f"'{text[:57]}...'"


MAX_LISTED = 10  # fields named in one translation-incomplete warning


def _completeness(checker: Checker, doc: Document, original: Document) -> None:
    data, theirs = doc.data, original.data
    missing = [name for name in TEXT if theirs.get(name) and not data.get(name)]
    if (theirs.get("incident") or {}).get("location") and not (data.get("incident") or {}).get("location"):
        missing.append("incident.location")
    for key, text in LISTS.items():
        ours = data.get(key) if isinstance(data.get(key), list) else []
        for i, entry in enumerate(theirs.get(key) or []):
            if isinstance(entry, dict) and entry.get(text) and not (
                    i < len(ours) and isinstance(ours[i], dict) and ours[i].get(text)):
                missing.append(f"{key}[{i}].{text}")
    if original.body.strip() and not doc.body.strip():
        missing.append("the analysis (the Markdown below the front matter)")
    if missing:
        listed = ", ".join(missing[:MAX_LISTED]) + (f" and {len(missing) - MAX_LISTED} more"
                                                   if len(missing) > MAX_LISTED else "")
        checker.warning("translation-incomplete", (), f"lacks the translation of {listed}",
                        "translate them; until then the page shows the original's text, marked with its language")


# --- the registries' translations ------------------------------------------------------------------

_TRANSLATED = {"ratings": ("label", "description"), "categories": ("name", "description"), "parties": ("name",)}


def check_registry_translations(doc: Document, kind: str, languages: Sequence[str]) -> list[Diagnostic]:
    """Each registry entry's `translations`: keyed by language tags; and, for ratings and categories,
    a warning for each site language besides the default that an entry lacks (registry-untranslated)."""
    checker = Checker(doc)
    data = doc.data
    entries: list[tuple[tuple, Any, dict]]
    if kind == "ratings":
        entries = [(("ratings", i), r.get("id", f"#{i + 1}"), r) for i, r in enumerate(data.get("ratings") or [])
                   if isinstance(r, dict)]
    else:
        entries = [((eid,), eid, e) for eid, e in data.items() if isinstance(e, dict)]
    wanted = [tag for tag in languages[1:] if is_language(tag)]
    for path, eid, entry in entries:
        given: dict = entry["translations"] if isinstance(entry.get("translations"), dict) else {}
        known = {}
        for tag, fields in given.items():
            if not is_language(tag):
                checker.error("unknown-language", (*path, "translations", tag),
                              f"'{tag}' is not a language tag that claimpress knows", suggest(tag), key=True)
            elif isinstance(fields, dict):
                known[canonical(tag)] = fields
        if kind == "parties":
            continue  # a name often stays as written: never warned of
        for tag in wanted:
            lacking = [f for f in _TRANSLATED[kind] if not (known.get(canonical(tag)) or {}).get(f)]
            if lacking:
                named = f"'{eid}' " if kind == "ratings" else ""  # a category's path is its id already
                checker.warning("registry-untranslated", path, f"{named}has no {' or '.join(lacking)} in {tag}, "
                                "a language of the site", f"add translations: {{{tag}: {{{lacking[0]}: ...}}}}; "
                                "until then the site shows it as written", key=kind != "ratings")
    return checker.out
