"""The search page's stylesheet: the theme's rules that the page can use, and no script of the theme.

A reader who opens the search page first downloads it with its stylesheets and scripts: the theme's
are 257 KB (main.css 134, palette.css 12, bundle.js 111), more than Pagefind's index for a query. The
search page (overrides/claimpress/search.html) links instead one stylesheet made here for it: the rules
of the layout's stylesheets (the theme's two and claimpress.css) whose selectors name only classes,
ids, elements, attributes and attribute values that the page or the scripts it runs can hold (the
way PurgeCSS decides, on the page's words), and the theme's custom properties that those rules read.
Nothing the page shows changes: a test compares every element's computed style with the whole
stylesheets'. The theme's script is left out: on that page it would only run the palette's switch,
which palette.js does.

Each search page gets the stylesheet of its own words, named by its digest, so that a browser never
keeps an old one; pages of the same words share it.
"""
from __future__ import annotations

import functools
import glob
import hashlib
import os
import re
from dataclasses import dataclass

import tinycss2
from tinycss2 import ast

from ..files import replace_file

SEARCH_TEMPLATE = "claimpress/search.html"  # overrides/claimpress/search.html
PLACEHOLDER = "assets/claimpress/search-theme.css"  # what the template links; the page gets the made file's name
# The stylesheets the layout links (the theme's two, then claimpress', overrides/main.html), in order
STYLESHEETS = ("assets/stylesheets/main.*.min.css", "assets/stylesheets/palette.*.min.css",
               "assets/claimpress/claimpress.css")
THEME_PROPERTIES = "--md-"  # the custom properties that go when nothing reads them: the theme's (claimpress.css
# sets Pagefind's, which pagefind-ui.css reads)
# What Pagefind 1.5's UI (pagefind-ui.js) puts in the page besides its own classes, which the theme's rules
# never name: its elements and attribute values (tests/mkdocs_plugin/test_search_style.py reads them from
# the built script, so an upgrade that makes others fails there).
PAGEFIND_UI_WORDS = frozenset((
    # elements (and names the script holds as text that are elements' too: kept, harmless)
    "a", "button", "details", "div", "fieldset", "form", "img", "input", "label", "legend", "li", "mark",
    "object", "ol", "p", "select", "slot", "summary", "u", "ul",
    # attributes, and the values of its inputs' type
    "action", "alt", "aria-label", "autocapitalize", "class", "data-pagefind-ui-meta", "enterkeyhint", "for",
    "href", "id", "name", "placeholder", "role", "src", "title", "type", "button", "checkbox", "text",
))
PAGEFIND_UI_CLASSES = "pagefind-ui"  # the prefix of the classes of Pagefind's UI, which claimpress.css styles
_WORD = re.compile(r"[A-Za-z0-9_-]+")
_VAR = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)")


def words_of(text: str) -> set[str]:
    """The words a selector's names could match in `text` (HTML or a script), as PurgeCSS takes them."""
    return set(_WORD.findall(text))


@dataclass(frozen=True)
class _Rule:
    """A rule of a stylesheet: its selectors, each with the names it needs; or an at-rule."""
    selectors: tuple[tuple[str, frozenset[str]], ...]  # (selector as written, names it needs)
    declarations: tuple[tuple[str, str], ...]  # (name, value as written); custom properties included
    at: str = ""  # "@media ..." / "@supports ...": `inner` holds its rules; any other at-rule: `text`
    inner: tuple[_Rule, ...] = ()
    text: str = ""


def _names(selector: list[ast.Node]) -> frozenset[str]:
    """The classes, ids, elements, attributes and attribute values that `selector` needs. What a
    pseudo-class function holds (:not(), :is(), :where(), :has()) is not needed: kept is what may match."""
    needed: set[str] = set()
    after_colon = False
    for node in selector:
        if isinstance(node, ast.LiteralToken) and node.value == ":":
            after_colon = True
            continue
        if after_colon:  # :hover, ::before, :not(...): states and pseudo-elements match nothing of the page's words
            after_colon = False
            continue
        if isinstance(node, ast.IdentToken):
            if not node.value.startswith(PAGEFIND_UI_CLASSES):  # Pagefind's UI makes those, when it runs
                needed.add(node.value)  # an element, or a class after "."
        elif isinstance(node, ast.HashToken):
            needed.add(node.value)
        elif isinstance(node, ast.SquareBracketsBlock):
            parts = [n for n in node.content if not isinstance(n, ast.WhitespaceToken)]
            for part in parts:
                if isinstance(part, ast.IdentToken):
                    needed.add(part.value)  # the attribute, and a value written without quotes
                elif isinstance(part, ast.StringToken):
                    needed.update(_WORD.findall(part.value))
    return frozenset(needed)


def _split(prelude: list[ast.Node]) -> list[list[ast.Node]]:
    """A selector list's selectors (commas inside a function's brackets are its own)."""
    selectors: list[list[ast.Node]] = [[]]
    for node in prelude:
        if isinstance(node, ast.LiteralToken) and node.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(node)
    return selectors


def _rules(nodes: list[ast.Node]) -> tuple[_Rule, ...]:
    rules = []
    for node in nodes:
        if isinstance(node, ast.QualifiedRule):
            selectors = tuple((tinycss2.serialize(s).strip(), _names(s)) for s in _split(node.prelude))
            declarations = tuple(
                (d.name if d.name.startswith("--") else d.lower_name,
                 tinycss2.serialize(d.value).strip() + (" !important" if d.important else ""))
                for d in tinycss2.parse_blocks_contents(node.content, skip_comments=True, skip_whitespace=True)
                if isinstance(d, ast.Declaration))
            rules.append(_Rule(selectors, declarations))
        elif isinstance(node, ast.AtRule):
            head = f"@{node.at_keyword}{tinycss2.serialize(node.prelude).rstrip()}"
            if node.lower_at_keyword == "charset":
                continue  # valid only first in a file: the stylesheet made is read as UTF-8 anyway
            if node.lower_at_keyword in ("media", "supports") and node.content is not None:
                inner = tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True)
                rules.append(_Rule((), (), at=head, inner=_rules(inner)))
            else:
                rules.append(_Rule((), (), at=head, text=tinycss2.serialize([node])))
    return tuple(rules)


@functools.lru_cache(maxsize=4)
def _parsed(css: str) -> tuple[_Rule, ...]:
    return _rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def _kept(rules: tuple[_Rule, ...], words: frozenset[str]) -> list[_Rule]:
    """The rules of which some selector needs only names in `words`, with only those selectors."""
    kept = []
    for rule in rules:
        if rule.at and rule.inner:
            inner = _kept(rule.inner, words)
            if inner:
                kept.append(_Rule((), (), at=rule.at, inner=tuple(inner)))
        elif rule.at:
            kept.append(rule)
        else:
            selectors = tuple(s for s in rule.selectors if s[1] <= words)
            if selectors:
                kept.append(_Rule(selectors, rule.declarations))
    return kept


def _flat(rules: list[_Rule]) -> list[_Rule]:
    return [r for rule in rules for r in (_flat(list(rule.inner)) if rule.at and rule.inner else [rule])]


def _read(rules: list[_Rule], also: str) -> set[str]:
    """The custom properties that `rules` (and the text `also`) read, through the properties they read."""
    defined: dict[str, list[str]] = {}
    read: set[str] = set(_VAR.findall(also))
    for rule in _flat(rules):
        for name, value in rule.declarations:
            if name.startswith(THEME_PROPERTIES):
                defined.setdefault(name, []).append(value)
            else:  # a property, or a custom property that stays whatever reads it (Pagefind's)
                read.update(_VAR.findall(value))
        read.update(_VAR.findall(rule.text))
    todo = list(read)
    while todo:
        for value in defined.get(todo.pop(), ()):
            for name in _VAR.findall(value):
                if name not in read:
                    read.add(name)
                    todo.append(name)
    return read


def _text(rules: list[_Rule], read: set[str]) -> str:
    out = []
    for rule in rules:
        if rule.at and rule.inner:
            inner = _text(list(rule.inner), read)
            if inner:
                out.append(f"{rule.at}{{{inner}}}")
        elif rule.at:
            out.append(rule.text)
        else:
            body = ";".join(f"{name}:{value}" for name, value in rule.declarations
                            if not name.startswith(THEME_PROPERTIES) or name in read)
            if body:
                out.append(f"{','.join(s for s, _ in rule.selectors)}{{{body}}}")
    return "".join(out)


def trimmed(sheets: list[str], words: frozenset[str], also_reading: str = "") -> str:
    """The rules of the stylesheets `sheets` (in order) that a page of `words` can use, and the
    custom properties that they or `also_reading` (the page's other stylesheets, its HTML) read."""
    kept = [_kept(_parsed(css), words) for css in sheets]
    read = _read([rule for rules in kept for rule in rules], also_reading)  # one sheet's rules read another's
    return "\n".join(_text(rules, read) for rules in kept) + "\n"


def layout_stylesheets(site_dir: str) -> list[str]:
    """The stylesheets of the layout in the built site, in the order it links them."""
    found = []
    for pattern in STYLESHEETS:
        matches = sorted(glob.glob(os.path.join(glob.escape(site_dir), pattern)))
        if len(matches) != 1:
            raise OSError(f"the stylesheet {pattern} is not in {site_dir} once but {len(matches)} times")
        found.append(matches[0])
    return found


def search_stylesheet(site_dir: str, html: str, extra: list[str], scripts: list[str]) -> str:
    """The stylesheet of a search page whose HTML is `html`, in a site whose layout's stylesheets are
    in `site_dir`; `extra`: the page's other stylesheets (mkdocs.yml's extra_css, site paths),
    `scripts`: the files of the scripts it runs."""
    def read(path: str) -> str:
        with open(path, encoding="utf-8", errors="replace") as file:
            return file.read()

    # Those in the site: an address elsewhere, or a file the site lacks, holds no rule this page can read
    others = "".join(read(file) for path in extra if "://" not in path and not path.startswith("/")
                     and os.path.isfile(file := os.path.join(site_dir, path)))
    words = words_of(html) | PAGEFIND_UI_WORDS
    for path in scripts:
        words |= words_of(read(path))
    sheets = layout_stylesheets(site_dir)
    try:
        return trimmed([read(path) for path in sheets], frozenset(words), others + html)
    except RecursionError:  # blocks nested thousands deep: no browser reads that either
        raise ValueError(f"one of {', '.join(os.path.relpath(p, site_dir) for p in sheets)} nests blocks "
                         "too deeply to be read") from None


def write_search_stylesheet(site_dir: str, html: str, extra: list[str], scripts: list[str]) -> str:
    """Write the stylesheet of the search page `html` into the site (unless there already), named
    by its digest; its path in the site."""
    text = search_stylesheet(site_dir, html, extra, scripts).encode("utf-8")
    stem, suffix = os.path.splitext(PLACEHOLDER)
    path = f"{stem}.{hashlib.blake2b(text, digest_size=6).hexdigest()}{suffix}"
    target = os.path.join(site_dir, path)
    if not os.path.exists(target):  # named by its bytes: one there is the same
        os.makedirs(os.path.dirname(target), exist_ok=True)
        replace_file(target, text)
    return path
