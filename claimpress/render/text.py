"""Presentation decisions that need Python: the analysis as clean HTML, dates and labels as readers
read them, text for MkDocs' meta, and the Jinja environment that offers them to the templates."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import nh3
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import gfm
from ..i18n import DEFAULT_LANGUAGE, EscapedTranslations, date_in, load, number_in
from ..languages import language
from .folded_gettext import FoldedGettext
from .links import claim_path, facet_path

ALLOWED_TAGS = {"p", "span", "br", "h2", "h3", "h4", "h5", "h6", "em", "strong", "b", "i", "a", "ul", "ol", "li",
                "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "abbr",
                "hr", "del", "ins", "q", "cite", "small"}


ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"},
                      "ol": {"start"},  # no "cite" on <q>: nh3 does not check its address
                      # a quotation's language (quotations keep theirs): values checked by _attribute
                      **{tag: {"lang", "dir"} for tag in ("blockquote", "q", "p", "span")}}

DIRECTIONS = {"ltr", "rtl", "auto"}


def _attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's attribute_filter: `lang` only a language tag, `dir` only a direction; others as allowed."""
    if name == "lang":
        found = language(value)
        return found.tag if found is not None else None
    if name == "dir":
        return value.lower() if value.lower() in DIRECTIONS else None
    return value


def cleaning_rules() -> bytes:
    """What the analyses' cleaning keeps, for their cache key (cache.pages.analysis_key): a changed
    list must not leave an analysis cleaned by the old one in the store."""
    return repr((sorted(ALLOWED_TAGS), sorted((t, sorted(a)) for t, a in ALLOWED_ATTRIBUTES.items()),
                 sorted(DIRECTIONS), "lang: languages.language")).encode()


def analysis_html(body: str) -> Markup:
    """The analysis Markdown as HTML, cleaned to the safe list. The page puts it under an "Analysis"
    heading (h2), so its own headings move one level down: ## becomes h3."""
    # GitHub-flavoured Markdown, as GitHub previews the claim file in a pull request, by cmark-gfm (C:
    # about 30x faster than Python-Markdown). Raw HTML passes through it (CMARK_OPT_UNSAFE, and no
    # "tagfilter", which would show a <script> as text) only to be cleaned by nh3 below, which keeps the
    # documented safe list (<sup>, <abbr>...) and removes scripts and styles with their content.
    converted = gfm.to_html(body, gfm.ANALYSIS_OPTIONS, gfm.ANALYSIS_EXTENSIONS)
    converted = re.sub(r"<(/?)h([1-6])>", lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}>", converted)
    clean = nh3.clean(converted, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, attribute_filter=_attribute,
                      url_schemes={"http", "https", "mailto"}, link_rel="nofollow noopener noreferrer")
    return Markup(clean)


def meta_text(text: str) -> Markup:
    """Text for a MkDocs page's meta title/description: the theme inserts those unescaped, so escape here.
    JSON is valid YAML, and keeps it on one line whatever the text holds."""
    # ensure_ascii: MkDocs' YAML reader rejects some characters JSON leaves raw (U+0080-U+009F), and
    # MkDocs then silently renders the whole front matter as Markdown, outside the escaped HTML.
    return Markup(json.dumps(html.escape(" ".join(text.split()), quote=True), ensure_ascii=True))


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def date_text(value: str | None) -> str:
    """2018-09-08 -> 8 September 2018; 2018-09 -> September 2018; 2018 -> 2018."""
    if not value:
        return ""
    parts = value.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


_ACRONYMS = {"un": "UN", "ngo": "NGO"}  # in the schema's enumerations: "un-report" reads "UN report"


def _label_lower(value: str) -> str:
    """An enumeration's value as words in running text: "ngo-report" -> "NGO report"."""
    return " ".join(_ACRONYMS.get(word, word) for word in value.split("-"))


def _label(value: str) -> str:
    """The same, as a label: "media-report" -> "Media report"."""
    text = _label_lower(value)
    return text[:1].upper() + text[1:]


def language_name(tag: str, in_tag: str | None) -> str:
    """A language's name as `in_tag` writes it in running text ("English" in Arabic: الإنجليزية)."""
    from babel import Locale

    from ..i18n import locale_of

    found, reader = locale_of(tag), locale_of(in_tag or DEFAULT_LANGUAGE) or Locale("en")
    if found is None:
        return tag
    return found.get_display_name(reader) or tag


def country_in(code: str, name: str, tag: str) -> str:
    """A country's name as `tag` writes it (Babel's territories), else `name` (pycountry's English)."""
    from ..i18n import locale_of

    found = locale_of(tag)
    return (found.territories.get(code.upper()) if found is not None else None) or name


def file_size(size: int, language: str = DEFAULT_LANGUAGE) -> str:
    """A file's size for a reader: "612 KB", "31.4 MB" (decimal units, as hosts state their limits)."""
    kilobytes = max(1, -(-size // 1000))
    if kilobytes < 1000:
        return f"{number_in(kilobytes, language)} KB"
    return f"{number_in(round(size / 1_000_000, 1), language)} MB"


def environment(templates: Path, language: str | None = None) -> Environment:
    """The templates' environment, in English (the templates' own texts) or in `language`, whose
    catalogue is the project's locale/<tag>/LC_MESSAGES/messages.po (i18n.load: escaped, checked)."""
    env = Environment(loader=FileSystemLoader(str(templates)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      extensions=["jinja2.ext.i18n", FoldedGettext])
    # front_matter: a translated text as a page's meta title (English: as the templates write it).
    env.filters.update(date_text=date_text, label=_label, label_lower=_label_lower, meta=meta_text, number=str,
                       file_size=file_size, front_matter=lambda text: text, country=lambda code, name: name)
    env.globals.update(facet_path=facet_path, claim_path=claim_path, language=DEFAULT_LANGUAGE)
    # A site page in the default language, unless its context says otherwise (render/language_pages.py).
    env.globals.update(page_language=None, versions=(), lpath=lambda path: path,
                       index_file="data/claims-index.json")
    if language is None or language.lower() == DEFAULT_LANGUAGE:
        env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
        env.folded_gettext = lambda message: message  # type: ignore[attr-defined]
        return env
    raw = load(templates.parent, language).translations
    escaped = EscapedTranslations(raw)
    env.install_gettext_translations(escaped, newstyle=True)  # type: ignore[attr-defined]
    env.folded_gettext = escaped.gettext  # type: ignore[attr-defined]

    # Filters return plain text, which autoescape escapes (the labels' msgids: i18n.extract_labels).
    def label(value: str) -> str:
        return raw.gettext(_label(value))

    def label_lower(value: str) -> str:
        return raw.gettext(_label_lower(value))

    env.filters.update(date_text=lambda value: date_in(value, language), label=label, label_lower=label_lower,
                       number=lambda value: number_in(value, language),
                       file_size=lambda size: file_size(size, language),
                       front_matter=lambda text: meta_text(Markup(text).unescape()),
                       country=lambda code, name: country_in(code, name, language))
    env.globals.update(language=language)
    return env
