"""The interface in the reader's language: the project's message catalogues (gettext through Babel),
compiled in memory, and dates and numbers as a language writes them.

A catalogue is `locale/<tag>/LC_MESSAGES/messages.po` (a tag's "-" written "_": pt_BR), made from
`locale/messages.pot` (DEVELOPING.md, "Adding a language"). English, the language of the msgids,
needs none. A pull request can change a catalogue, so it is hostile input: a translation is
HTML-escaped before any page holds it, one whose placeholders differ from its msgid's is not used
(nor a fuzzy one), and a file Babel cannot read is one line of `check`, never a traceback."""
from __future__ import annotations

import datetime
import functools
import gettext
import hashlib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.messages.catalog import Catalog as BabelCatalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal
from markupsafe import escape

from .diagnostics import ERROR, WARNING, Diagnostic
from .languages import direction as direction  # the one rule's, which the renderers take from here
from .languages import language

LOCALE = "locale"  # the project's folder of catalogues
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"  # the language of the msgids: the templates' own texts
MAX_BYTES = 4 << 20  # a catalogue of the whole interface is about 30 KB


def folder_name(tag: str) -> str:
    """The catalogue folder of a language tag, as gettext names them: pt-BR -> pt_BR."""
    return tag.replace("-", "_")


def catalogue_path(root: Path, tag: str) -> Path:
    return root / LOCALE / folder_name(tag) / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.lru_cache(maxsize=256)
def locale_of(tag: str) -> Locale | None:
    """Babel's locale for a BCP 47 tag (ar, pt-BR, zh-Hant), or None when it is no tag that
    languages.language takes (the one rule: en-ZZ and iw are refused, not read as en-US and he)."""
    found = language(tag)
    if found is None:
        return None
    try:
        return Locale.parse(found.tag, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return None


_FORMAT = re.compile(r"%(?:\((\w+)\))?[sd]|%%|%")


def placeholders(text: str) -> frozenset[str] | None:
    """The names of a message's `%(name)s` placeholders; None when it holds a `%` that is none
    (Jinja's newstyle gettext formats every message: a lone % would fail the page)."""
    names = set()
    for match in _FORMAT.finditer(text):
        token = match.group(0)
        if token == "%":
            return None
        if match.group(1):
            names.add(match.group(1))
        elif token != "%%":
            return None  # a positional %s: the templates give names only
    return frozenset(names)


@dataclass(frozen=True)
class Catalogue:
    """A language's usable translations, and what `check` says of its file."""
    language: str
    translations: gettext.NullTranslations
    digest: str = ""  # of the file's bytes; "" without a catalogue
    messages: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)  # msgid -> msgstr (forms)
    diagnostics: tuple[Diagnostic, ...] = ()


class EscapedTranslations:
    """What Jinja's i18n extension (and the theme's `_`) are given: every translation HTML-escaped.
    The newstyle gettext marks what it returns as safe markup, so a `<script>` in a msgstr would
    otherwise reach the page. A msgid comes back as it is: it is the templates' own text."""

    def __init__(self, inner: gettext.NullTranslations) -> None:
        self.inner = inner

    def gettext(self, message: str) -> str:
        found = self.inner.gettext(message)
        return message if found is message else str(escape(found))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = self.inner.ngettext(singular, plural, n)
        return found if found is singular or found is plural else str(escape(found))

    def pgettext(self, context: str, message: str) -> str:
        found = self.inner.pgettext(context, message)
        return message if found is message else str(escape(found))

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        found = self.inner.npgettext(context, singular, plural, n)
        return found if found is singular or found is plural else str(escape(found))


_loaded: dict[str, Catalogue] = {}  # path -> the catalogue as last read: compiled once a process and version


def load(root: Path, tag: str) -> Catalogue:
    """The catalogue of `tag` in the project at `root`: null translations (the msgids, English)
    when there is none or it cannot be read."""
    path = catalogue_path(root, tag)
    shown = path.relative_to(root).as_posix()
    try:
        data = path.read_bytes()
    except OSError:
        return Catalogue(tag, gettext.NullTranslations())
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    known = _loaded.get(str(path))
    if known is None or known.digest != digest:
        known = _loaded[str(path)] = _compile(tag, shown, data, digest)
    return known


def _compile(tag: str, shown: str, data: bytes, digest: str) -> Catalogue:
    null = Catalogue(tag, gettext.NullTranslations(), digest)
    if len(data) > MAX_BYTES:
        return Catalogue(tag, null.translations, digest, diagnostics=(
            Diagnostic(shown, 0, 0, ERROR, "catalogue-syntax", f"the catalogue is over {MAX_BYTES >> 20} MiB"),))
    try:
        text = data.decode("utf-8")
        bad = _malformed_line(text)
        if bad is not None:
            return _broken(null, shown, bad[0], f"not a line of a catalogue: {bad[1].strip()[:80]!r}")
        source = read_po(io.StringIO(text), locale=folder_name(tag) if locale_of(tag) else None,
                         abort_invalid=True)
    except PoFileError as error:
        line = error.lineno + 1  # Babel counts from 0
        what = str(error).rsplit(" on ", 1)[0]
        return _broken(null, shown, line, f"{what}: {error.line.strip()[:80]!r}")
    except UnicodeDecodeError as error:
        return _broken(null, shown, data[:error.start].count(b"\n") + 1, "the catalogue is not UTF-8")
    except Exception as error:  # noqa: BLE001 - Babel raises what it likes on a malformed file; one line
        return _broken(null, shown, 0, f"Babel cannot read the catalogue ({type(error).__name__}: {error})")
    usable = BabelCatalog(locale=source.locale, domain=DOMAIN)
    usable.mime_headers = source.mime_headers
    messages: dict[str, str | tuple[str, ...]] = {}
    problems = []
    for message in source:
        if not message.id or message.fuzzy or not message.string:
            continue
        ids = tuple(str(i) for i in message.id) if isinstance(message.id, (tuple, list)) else (str(message.id),)
        strings = (tuple(str(s) for s in message.string) if isinstance(message.string, (tuple, list))
                   else (str(message.string),))
        if not all(strings):
            continue  # an untranslated plural form: the msgid is used
        wanted = [placeholders(i) for i in ids]
        allowed = frozenset().union(*(w for w in wanted if w is not None))
        found = [placeholders(s) for s in strings]
        # A plural form may leave the number out ("one claim"); a single message names every placeholder.
        fits = all(f is not None and (f <= allowed if len(ids) > 1 else f == allowed) for f in found)
        if not fits:
            problems.append(Diagnostic(
                shown, message.lineno or 0, 0, WARNING, "catalogue-format",
                f"msgstr of {ids[0]!r}: its placeholders differ from the msgid's {sorted(allowed)}",
                "write the msgid's %(name)s placeholders, and %% for a percent sign; the English text is shown"))
            continue
        usable.add(message.id, message.string, context=message.context)
        messages[ids[0] if message.context is None else f"{message.context}\x04{ids[0]}"] = (
            strings if len(ids) > 1 else strings[0])
    compiled = io.BytesIO()
    write_mo(compiled, usable)
    compiled.seek(0)
    try:
        translations = gettext.GNUTranslations(compiled)
    except (ValueError, SyntaxError, RecursionError) as error:  # the header's Plural-Forms, say
        return _broken(null, shown, 1, f"the catalogue's header is not usable ({error})")
    return Catalogue(tag, translations, digest, messages, tuple(problems))


# A line of a .po file: a comment, a keyword and its quoted string, or a quoted string that continues one.
_PO_LINE = re.compile(r'\s*(?:#.*|(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*)?')


def _malformed_line(text: str) -> tuple[int, str] | None:
    """The first line that is no line of a catalogue (Babel reads an unclosed quote without a word)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not _PO_LINE.fullmatch(line):
            return number, line
    return None


def _broken(null: Catalogue, shown: str, line: int, message: str) -> Catalogue:
    return Catalogue(null.language, null.translations, null.digest, diagnostics=(
        Diagnostic(shown, line, 0, ERROR, "catalogue-syntax", message,
                   "compare with locale/messages.pot; `pybabel update` rewrites a catalogue from it"),))


def site_languages(config: object) -> tuple[str, ...]:
    """The site's languages, the default first: extra.claimpress.languages as config.SiteConfig reads
    it, or (English) the templates' own language alone."""
    listed = getattr(config, "languages", None)
    return tuple(listed) if listed else (DEFAULT_LANGUAGE,)


def catalogues_key(root: Path, config: object) -> bytes:
    """What the render step's keys take from the catalogues: the digest of each site language's."""
    return " ".join(f"{tag}={load(root, tag).digest}" for tag in site_languages(config)[1:]).encode()


def plural_samples(tag: str) -> dict[str, int]:
    """A number of each CLDR plural category of the language (one: 1, few: 3...), the JavaScript's
    Intl.PluralRules names: the catalogue's own Plural-Forms then picks each one's form."""
    locale = locale_of(tag) or Locale("en")
    samples: dict[str, int] = {}
    for n in (*range(0, 200), 1000, 1000000):
        samples.setdefault(locale.plural_form(n), n)
    return samples


def messages_script(catalogue: Catalogue) -> str:
    """The JavaScript's messages of a language (claims-data.js `t`, `tn`): a script that sets
    window.claimpressMessages, msgid -> text, or for a text with a count, plural category -> text.
    A script, not JSON, so that it works from a site opened from disk; escaped as the claims' index
    is (exports.script_safe). The scripts put every text in by textContent: it is not HTML-escaped."""
    import json

    from .render.exports import script_safe

    plural = getattr(catalogue.translations, "plural", None)
    out: dict[str, object] = {}
    for key, value in catalogue.messages.items():
        if isinstance(value, tuple):
            if plural is None:
                continue
            out[key] = {category: value[min(plural(n), len(value) - 1)]
                        for category, n in plural_samples(catalogue.language).items()}
        else:
            out[key] = value
    return f"window.claimpressMessages = {script_safe(json.dumps(out, ensure_ascii=False, sort_keys=True))};\n"


def missing_catalogues(root: Path, languages: Sequence[str]) -> list[str]:
    """The site languages whose interface falls back to English: no catalogue where `load` looks
    for it (English, the msgids' language, needs none)."""
    return [tag for tag in languages if tag.split("-")[0].lower() != DEFAULT_LANGUAGE
            and not catalogue_path(root, tag).is_file()]


def check_catalogues(root: Path) -> list[Diagnostic]:
    """What `check` says of every catalogue in the project's locale/ folder."""
    out: list[Diagnostic] = []
    for path in sorted((root / LOCALE).glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        tag = path.parent.parent.name.replace("_", "-")
        out += load(root, tag).diagnostics
    return out


def date_in(value: str | None, tag: str) -> str:
    """A date of the claim files (2018-09-08, 2018-09 or 2018) as `tag` writes it."""
    if not value:
        return ""
    locale = locale_of(tag) or Locale("en")
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        # "long", not the skeleton yMMMMd: Ukrainian's best match for it abbreviates the month.
        return format_date(datetime.date(*parts), "long", locale=locale)
    if len(parts) == 2:
        return format_skeleton("yMMMM", datetime.date(parts[0], parts[1], 1), locale=locale)
    return format_skeleton("y", datetime.date(parts[0], 1, 1), locale=locale)


def number_in(value: Any, tag: str) -> str:
    """A count as `tag` writes it (12,345; 12 345); anything but a number as it is ("at least 30")."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return format_decimal(value, locale=locale_of(tag) or Locale("en"))


LABELLED = {"evidence_kind", "response_stance", "stance"}  # the enumerations the templates label


def extract_labels(fileobj: Any, keywords: Any, comment_tags: Any, options: Mapping[str, Any]) -> Any:
    """A Babel extractor (babel.cfg) of the JSON Schema's enumerations as the templates show them
    (render.text's `label` and `label_lower` filters: "ngo-report" -> "NGO report", "NGO report"),
    and the positions' precisions: their msgids are made in Python, so no template holds them."""
    import json

    from .geo import PRECISIONS
    from .render.text import _label, _label_lower

    schema = json.load(fileobj)
    values: list[str] = list(PRECISIONS)

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            if key in LABELLED and isinstance(node.get("enum"), list):
                values.extend(v for v in node["enum"] if isinstance(v, str))
            for name, child in node.items():
                walk(child, name)
        elif isinstance(node, list):
            for child in node:
                walk(child, key)

    walk(schema)
    for value in dict.fromkeys(values):
        for text in dict.fromkeys((_label(value), _label_lower(value))):
            yield 0, "_", text, [f"the enumeration value {value!r}"]
