"""`_("...")` in the templates looked up once, when Jinja compiles them, not on every page.

The templates' environment is made for one language (text.environment), so a message without
values has one translation for all its pages. Jinja's newstyle gettext looks it up on each call,
marks it safe and formats it (`%%` becomes `%`); at 10,000 claims those calls were a tenth of the
pages' rendering. This extension does the same once: each `_("text")` whose only argument is a
string becomes that string's translation, marked safe as the call's result was, and Jinja's own
constant folding writes it into the compiled template. Calls with values, `{% trans %}` blocks and
a message that would fail to format are left to run as before.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup


class FoldedGettext(Extension):
    """Replaces `_("text")` by `("translation"|safe)` in the token stream; the translation is
    `environment.folded_gettext(text)`, set after the environment is made (text.environment)."""

    def __init__(self, environment: object) -> None:
        super().__init__(environment)  # type: ignore[arg-type]
        environment.extend(folded_gettext=None)  # type: ignore[attr-defined]

    def filter_stream(self, stream: TokenStream) -> Iterable[Token]:
        gettext = self.environment.folded_gettext  # type: ignore[attr-defined]
        if gettext is None:
            return stream
        return _folded(list(stream), gettext)


def _folded(tokens: list[Token], gettext: Callable[[str], str]) -> Iterator[Token]:
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if (token.type == "name" and token.value == "_" and i + 3 < len(tokens)
                and (i == 0 or tokens[i - 1].type != "dot")
                and [t.type for t in tokens[i + 1:i + 4]] == ["lparen", "string", "rparen"]):
            try:  # as the newstyle gettext returns it: the translation, safe, formatted with no values
                text = str(Markup(gettext(tokens[i + 2].value)) % {})
            except (TypeError, ValueError, KeyError):
                text = None
            if text is not None:
                line = token.lineno
                yield from (Token(line, "lparen", "("), Token(line, "string", text), Token(line, "pipe", "|"),
                            Token(line, "name", "safe"), Token(line, "rparen", ")"))
                i += 4
                continue
        yield token
        i += 1
