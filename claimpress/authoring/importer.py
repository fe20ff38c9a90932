"""Import published fact-checks as draft claims: ClaimReview JSON-LD (in saved HTML pages or JSON
files, as an object, a list, an @graph, a DataFeed or DataFeedItems) and records of the Google
Fact Check Tools API (`text`, `claimant`, `claimReview[]`).

Each review becomes a draft claim (status `unverified`; the fact-checker's own rating goes into
the evidence note, not into our status) whose evidence points at the review. Existing claims are
never overwritten; a claim author that is not a party yet is added to claims/parties.yml, unless
it only describes where the claim went round ("multiple sources", "Facebook posts": claimants.py):
then the draft has no claimant, and the evidence note says whom the fact-check named. The input may
be hostile: what cannot be read is reported, record by record, and the drafts and the parties
they need are written together or not at all (authoring/drafts.py). A draft keeps the review's
language (authoring/review_language.py), and its id can be read whatever the script (ids.py).
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ..check.rules import CLAIM_ID, Registries, happened
from ..check.schema import schema
from ..check.suggest import name_key
from ..check.text import MAX_FILE_BYTES
from ..languages import DEFAULT_LANGUAGE
from .claimants import is_description
from .clean import clean_text, headline, party_id, shorten
from .drafts import write_drafts
from .emit import front_matter
from .ids import claim_id, readable
from .review_language import choose, given
from .script import SAMPLE

DEPTH_LIMIT = 100  # nesting levels of a JSON document; ClaimReview needs fewer than 10
_PARTIES = schema("parties")["additionalProperties"]["properties"]
NAME_MAX = _PARTIES["name"]["maxLength"]
TITLE_MAX = schema("claim")["properties"]["title"]["maxLength"]
_URL = schema("claim")["definitions"]["url"]


@dataclass
class Review:
    """One fact-check, in the fields claimpress uses, whatever shape it came in."""
    source: str                    # file and position, for messages
    claim: str | None
    claimant: str | None
    claimant_kind: str             # a party kind
    claimed_on: str | None
    url: str | None
    title: str | None
    reviewer: str | None
    reviewed_on: str | None
    rating: str | None             # the fact-checker's verdict, as text
    appearances: list[str] = field(default_factory=list)
    language: str | None = None    # the language the record names, as written
    page_language: str | None = None  # the lang of the page (or element) the record was in
    body: str | None = None        # the review's text, to tell its language by its script


@dataclass
class ImportResult:
    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)     # about drafts written: a language not known
    skipped: list[str] = field(default_factory=list)   # already there
    failed: list[str] = field(default_factory=list)    # could not convert, with the reason
    parties_added: list[str] = field(default_factory=list)


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
         "wbr"}  # elements with no end tag: never open


class _JsonLdScripts(HTMLParser):
    """The JSON-LD blocks of a page, each with the `lang` it is in (its element's or an ancestor's)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self.langs: list[str | None] = []
        self._inside = False
        self._open: list[tuple[str, str | None]] = []  # (tag, lang in force) of each open element

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        lang = values["lang"] if "lang" in values else self._open[-1][1] if self._open else None
        if tag == "script" and (values.get("type") or "").strip().lower() == "application/ld+json":
            self._inside = True
            self.blocks.append("")
            self.langs.append(lang or None)  # lang="": the language is not known
        if tag not in _VOID:
            self._open.append((tag, lang))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False
        # Up to the element it closes: what a page leaves open (<p>, <li>) is closed with its parent.
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                break

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.blocks[-1] += data


def documents(path: Path) -> Iterator[tuple[str, Any, str | None]]:
    """(where, parsed JSON, lang) for each JSON document in a file: the file itself, or each JSON-LD
    block of a page with the lang of the element that holds it."""
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    if text.lstrip().startswith("<"):
        parser = _JsonLdScripts()
        parser.feed(text)
        for i, (block, lang) in enumerate(zip(parser.blocks, parser.langs), start=1):
            yield f"{path.name} (JSON-LD block {i})", _loads(block), lang
    else:
        yield path.name, _loads(text), None


def _loads(text: str) -> Any:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return _Unreadable(f"not valid JSON ({exc.msg} at line {exc.lineno})")
    except ValueError as exc:  # a number of over 4,300 digits
        return _Unreadable(f"not valid JSON ({exc})")
    except RecursionError:
        return _Unreadable(f"nested too deeply (limit {DEPTH_LIMIT})")
    # Deeper than the limit, but not deep enough for the json module: walked without recursion, so
    # that `reviews`, which recurses, only ever sees a shallow document.
    level: list[tuple[Any, int]] = [(data, 1)]
    while level:
        node, depth = level.pop()
        if isinstance(node, (list, dict)):
            if depth > DEPTH_LIMIT:
                return _Unreadable(f"nested too deeply (limit {DEPTH_LIMIT})")
            level.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return data


@dataclass
class _Unreadable:
    reason: str


def _types(node: dict) -> set[str]:
    kind = node.get("@type", [])
    return {str(t).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for t in (kind if isinstance(kind, list) else [kind])}


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _text(value: Any) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if value is None or isinstance(value, (dict, list)):
        return None
    # The invisible and control characters that check refuses (a right-to-left override, say) are
    # dropped: they are no part of the words, and could make the draft read otherwise than it is.
    return clean_text(str(value)) or None


def _day(value: Any) -> str | None:
    """The date part of an ISO date or date-time ("2019-06-20T12:12:40Z" -> "2019-06-20")."""
    text = _text(value)
    match = re.match(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", text or "")  # not \d: "٢٠١٩" too
    if not match:
        return None
    day = "-".join(p for p in match.groups() if p)
    # Not a real date (2020-13-45), or one still to come: left out, as a missing fact stays missing.
    return day if happened(day) else None


def _url(value: Any) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id")
    text = _text(value)
    return text if text and len(text) <= _URL["maxLength"] and re.search(_URL["pattern"], text) else None


def reviews(where: str, node: Any) -> Iterator[Review | str]:
    """Every review found in a JSON document (a Review), or a reason why a part cannot be read (a str)."""
    if isinstance(node, _Unreadable):
        yield f"{where}: {node.reason}"
        return
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from reviews(f"{where} [{i}]", item)
        return
    if not isinstance(node, dict):
        return
    if "@graph" in node:
        yield from reviews(where, node["@graph"])
    types = _types(node)
    if "DataFeed" in types:
        yield from reviews(where, node.get("dataFeedElement", []))
    elif "DataFeedItem" in types:
        yield from reviews(where, node.get("item", []))
    elif "ClaimReview" in types:
        yield _from_claimreview(where, node)
    elif "claimReview" in node and "text" in node:  # Google Fact Check Tools API, claims:search
        for i, review in enumerate(_as_list(node["claimReview"])):
            if isinstance(review, dict):
                yield _from_factcheck_api(f"{where} claimReview[{i}]", node, review)
            else:
                yield f"{where} claimReview[{i}]: not a review (an object with url, title, textualRating)"
    elif "claims" in node and isinstance(node["claims"], list):
        yield from reviews(where, node["claims"])


def _from_claimreview(where: str, node: dict) -> Review:
    item = _first(node.get("itemReviewed")) or {}
    item = item if isinstance(item, dict) else {}
    author = _first(item.get("author")) or {}
    rating = _first(node.get("reviewRating")) or {}
    rating = rating if isinstance(rating, dict) else {}
    verdict = _text(rating.get("alternateName"))
    value, best, worst = (_text(rating.get(k)) for k in ("ratingValue", "bestRating", "worstRating"))
    if value:
        verdict = f"{verdict} ({value} on a scale of {worst or '?'} to {best or '?'})" if verdict else \
            f"{value} on a scale of {worst or '?'} to {best or '?'}"
    seen_at = _as_list(item.get("appearance")) + _as_list(item.get("firstAppearance"))
    appearances = [u for u in (_url(a) for a in seen_at) if u]
    if "CreativeWork" in _types(item) and _url(item):  # an item reviewed that is itself the post
        appearances.append(_url(item))
    return Review(
        source=where, claim=_text(node.get("claimReviewed")), claimant=_text(author),
        claimant_kind="individual" if isinstance(author, dict) and "Person" in _types(author) else "other",
        claimed_on=_day(item.get("datePublished")), url=_url(node.get("url")),
        title=_text(node.get("headline")) or _text(node.get("name")), reviewer=_text(node.get("author")),
        reviewed_on=_day(node.get("datePublished")), rating=verdict, appearances=list(dict.fromkeys(appearances)),
        language=given(node.get("inLanguage")), body=_text(node.get("reviewBody")))


def _from_factcheck_api(where: str, record: dict, review: dict) -> Review:
    publisher = review.get("publisher") if isinstance(review.get("publisher"), dict) else {}
    return Review(
        source=where, claim=_text(record.get("text")), claimant=_text(record.get("claimant")),
        claimant_kind="other", claimed_on=_day(record.get("claimDate")), url=_url(review.get("url")),
        title=_text(review.get("title")), reviewer=_text(publisher.get("name")) or _text(publisher.get("site")),
        reviewed_on=_day(review.get("reviewDate")), rating=_text(review.get("textualRating")),
        language=given(review.get("languageCode")))


def _on_page(review: Review | str, lang: str | None) -> Review | str:
    if isinstance(review, Review):
        review.page_language = lang
    return review


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


# --- writing drafts -----------------------------------------------------------------------------

def _title(review: Review) -> str:
    return headline(review.claim or "", TITLE_MAX)


def _claim_id(review: Review, taken: set[str], next_n: dict[str, int]) -> str:
    """The id of a review's draft: its claim's first words (transliterated) and year (authoring/ids.py);
    where they give too little, the publisher and the date of the review; with neither, a stable id
    from the review's address."""
    publisher = readable(review.reviewer or "")[:40].strip("-")
    day = review.reviewed_on or review.claimed_on
    fallback = f"{publisher}-{day}" if publisher and day else \
        "imported-" + hashlib.sha1((review.url or review.claim or "").encode()).hexdigest()[:10]
    return claim_id(review.claim or "", (review.claimed_on or review.reviewed_on or "")[:4], taken, fallback, next_n)


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", "…", "。", "؟")) else f"{text}."


def _draft(review: Review, cid: str, language: str | None, claimant: str | None, today: str) -> str:
    """The draft's text. `language`: its tag, None for the site's; `claimant`: the party id, or None
    when the claim's author names no party."""
    note = "The fact-check this draft was imported from (ClaimReview)."
    if review.rating:
        note += f" It rated the claim: {_sentence(review.rating)}"
    if claimant is None:  # whom the fact-check named, kept where it is a fact about the source
        note += f" It attributes the claim to: {_sentence(review.claimant)}" if review.claimant else \
            " It names no author of the claim."
    evidence = [{
        "title": review.title, "publisher": review.reviewer, "url": review.url,
        "published": review.reviewed_on, "kind": "other", "stance": "context", "note": note,
    }]
    evidence += [{"title": None, "publisher": None, "url": url, "published": None, "kind": "other",
                  "stance": "context", "note": "Where the claim appeared, according to the fact-check."}
                 for url in review.appearances if url != review.url]
    for item in evidence:
        if item["url"] is None:
            del item["url"]
    title = _title(review)
    data: dict[str, Any] = {"id": cid, **({"language": language} if language else {}), "title": title,
                            "claim": review.claim}
    if claimant is not None:
        data["claimant"] = claimant
    if review.claimed_on:
        data["claimed_on"] = review.claimed_on
    data.update(status="unverified", evidence=evidence,
                updates=[{"date": today, "note": "Imported from a published fact-check."}], published=today,
                draft=True)
    # The body holds no text of the record (where it came from is in the evidence): nothing in it
    # can be read as Markdown or HTML.
    todo = ["Imported from a published fact-check, the first source in the evidence. Still to do: who is "
            "accused, the incident, categories, and our own reading of the evidence."]
    if claimant is None:
        todo.append("Who made the claim: the fact-check names no party (see the first source's note); set "
                    "claimant to the party that made it, adding it to claims/parties.yml if need be.")
    if title != review.claim:
        todo.append(f"The title is the start of the claim, which is longer than a title's {TITLE_MAX} "
                    "characters (claim holds it whole): make it a neutral headline.")
    return f"---\n{front_matter(data)}---\n" + "\n\n".join(todo) + "\n"


def import_files(root: Path, files: list[Path], registries: Registries, known_urls: dict[str, str] | None = None,
                 today: str | None = None) -> ImportResult:
    """Write a draft claim for each review in `files`; never overwrite; add missing claimants as parties.
    `known_urls` maps the evidence addresses of existing claims to their ids: a review already cited
    by a claim is not imported again. What cannot be imported is in `failed`, record by record; the
    drafts and parties are written together at the end, or none of them (drafts.WriteError)."""
    today = today or date.today().isoformat()
    claims = root / "claims"
    result = ImportResult()
    taken = {p.stem for p in claims.glob("*.md")}
    seen_urls: dict[str, str] = dict(known_urls or {})
    by_name = dict(registries.party_by_name)
    party_ids = set(registries.parties or {})
    new_parties: dict[str, tuple[str, str]] = {}
    drafts: dict[str, str] = {}
    next_n: dict[str, int] = {}
    default = registries.languages[0] if registries.languages else DEFAULT_LANGUAGE
    notes: list[str] = []
    for path in files:
        try:
            found = [_on_page(r, lang) for where, doc, lang in documents(path) for r in reviews(where, doc)]
        except OSError as exc:
            result.failed.append(f"{path}: cannot be read ({exc.strerror or exc})")
            continue
        if not found:
            result.failed.append(f"{path}: no ClaimReview or Fact Check Tools record found")
        for review in found:
            if isinstance(review, str):
                result.failed.append(review)
                continue
            if not review.claim:
                result.failed.append(f"{review.source}: no claimReviewed (or text): nothing to record as the claim")
                continue
            if review.url and review.url in seen_urls:
                result.skipped.append(f"{review.source}: already recorded in claims/{seen_urls[review.url]}.md")
                continue
            cid = _claim_id(review, taken, next_n)
            assert CLAIM_ID.match(cid), cid  # it names a file: never a path
            name = shorten(review.claimant or "", NAME_MAX)
            claimant = by_name.get(name_key(name)) if name else None  # a party already, whatever its name
            added = party_id(name, party_ids, prefix="claimant") \
                if claimant is None and name and not is_description(name) else None
            claimant = claimant or added
            chosen = choose(review.language, review.page_language,
                            " ".join(t[:SAMPLE] for t in (review.claim, review.title, review.body) if t), default)
            text = _draft(review, cid, chosen.tag, claimant, today)
            size = len(text.encode("utf-8"))
            if size > MAX_FILE_BYTES:
                result.failed.append(f"{review.source}: the draft would be {size:,} bytes; check takes claims of "
                                     f"at most {MAX_FILE_BYTES:,} (1 MiB)")
                continue
            if added:  # only for a draft that is written: no party without a claim
                new_parties[added] = (name, review.claimant_kind)
                party_ids.add(added)
                by_name[name_key(name)] = added
            drafts[f"{cid}.md"] = text
            notes += [f"claims/{cid}.md ({review.source}): {note}" for note in chosen.notes]
            taken.add(cid)
            if review.url:
                seen_urls[review.url] = cid
    write_drafts(claims, drafts, [(pid, name, kind) for pid, (name, kind) in sorted(new_parties.items())],
                 "import-claimreview")
    result.written = [claims / name for name in drafts]
    result.notes = notes
    result.parties_added = sorted(new_parties)
    return result
