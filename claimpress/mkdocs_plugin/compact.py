"""The theme's layout without its indentation: every page a few kilobytes lighter, for nothing.

Material's templates are indented for their authors, and the indentation and the blank lines of
its `{% if %}` lines were an eighth of a claim page (3.9 KB of 33 KB). A browser lays out a run of
spaces and newlines between words or tags as one space, so each such run in the templates' own
text becomes one newline before Jinja compiles them: the pages render the same, and no run of
whitespace disappears, so no two words or tags are joined. Only the templates' text changes, once,
when they are compiled; the pages' own content (a claim's analysis, a code block) is untouched.
A template with <pre> or <textarea>, whose whitespace shows, or with {% raw %}, is kept whole.
"""
from __future__ import annotations

import re

from jinja2.ext import Extension

# Jinja's tags, comments and expressions, left as they are; the text between them is the template's own
_JINJA = re.compile(r"({%.*?%}|{{.*?}}|{#.*?#})", re.S)
_RUN = re.compile(r"[ \t\r\f]*\n[ \t\r\n\f]*")  # a run of whitespace with a newline in it
_KEEP = re.compile(r"<pre\b|<textarea\b|{%-?\s*raw\b", re.I)  # whitespace that shows, or text Jinja keeps


def compact_template(source: str) -> str:
    """A template's source with each run of whitespace in its own text that holds a newline made one
    newline; tags and expressions as they are. A template with <pre>, <textarea> or {% raw %} is kept whole."""
    if _KEEP.search(source):
        return source
    parts = _JINJA.split(source)
    parts[0::2] = [_RUN.sub("\n", text) for text in parts[0::2]]
    return "".join(parts)


class CompactLayout(Extension):
    """Compacts the theme's HTML templates (compact_template) as Jinja reads them."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if name is None or not name.endswith(".html"):
            return source
        return compact_template(source)
