"""GitHub-flavoured Markdown to HTML by cmark-gfm (the cmarkgfm package), without its memory leak.

cmarkgfm's `markdown_to_html_with_extensions` (up to 2025.10.22, the latest) never frees the
document tree that cmark-gfm hands over, nor the HTML buffer it returns: about 6.5 KB stays
allocated for every 550-word analysis converted, for the life of the process. At 50,000 claims
that was 325 MB: each render worker grew by 250 MB, most of the margin to the 1 GiB target, and
the preview, which converts in its own process, kept it all. This module makes the same calls as
cmarkgfm, then frees both with the two C functions its binding leaves out: cmark_node_free, from
cmarkgfm's own library, and the C library's free (cmark-gfm's default allocator is calloc/free).
Where those cannot be loaded, cmarkgfm's own function is used: the same HTML, with the leak.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import cmarkgfm
from cmarkgfm import cmark

_lib = cmark._cmark.lib
_ffi = cmark._cmark.ffi


def _freeing() -> Any:
    try:
        import cffi

        ffi = cffi.FFI()
        ffi.cdef("void cmark_node_free(void *node); void free(void *ptr);")
        own, libc = ffi.dlopen(cmark._cmark.__file__), ffi.dlopen(None)
        # Looked up now, so that a library without them falls back here rather than failing later;
        # the libraries are kept with them (cmark-gfm's is loaded by cmarkgfm anyway).
        return own.cmark_node_free, libc.free, (own, libc)
    except (ImportError, OSError, AttributeError):  # no cffi, a platform without dlopen(NULL), no symbol
        return None


_FREEING = _freeing()


def to_html(text: str, options: int, extensions: Sequence[str]) -> str:
    """What cmarkgfm.markdown_to_html_with_extensions(text, options, extensions) returns."""
    if _FREEING is None:
        return cmarkgfm.markdown_to_html_with_extensions(text, options=options, extensions=list(extensions))
    node_free, free, _ = _FREEING
    cmark.core_extensions_ensure_registered()
    found = [cmark.find_syntax_extension(name) for name in extensions]
    if None in found:
        raise ValueError(f"unknown cmark-gfm extension in {list(extensions)}")
    parser = _lib.cmark_parser_new(options)
    try:
        for extension in found:
            _lib.cmark_parser_attach_syntax_extension(parser, extension)
        encoded = text.encode("utf-8")
        _lib.cmark_parser_feed(parser, encoded, len(encoded))
        root = _lib.cmark_parser_finish(parser)  # the caller owns the tree from here
        try:
            raw = _lib.cmark_render_html(root, options, _lib.cmark_parser_get_syntax_extensions(parser))
            try:
                return _ffi.string(raw).decode("utf-8")
            finally:
                free(raw)
        finally:
            node_free(root)
    finally:
        _lib.cmark_parser_free(parser)


# --- nesting and size ---------------------------------------------------------------------------
# HTML parsers are slow on deep trees: nh3 (html5ever) takes time that grows with the square of the
# depth (16,000 nested block quotes: 0.8 s; 128,000: 133 s), and browsers stop nesting at 512 levels.
# No real analysis nests more than a few levels, so `check` refuses one nested deeper than this; and
# since a character can make 27 bytes of HTML ('>' a block quote), it refuses one whose HTML is larger
# than MAX_HTML (a 1 MiB analysis of prose makes about 1 MiB).
MAX_NESTING = 64
MAX_HTML = 4 << 20
ANALYSIS_OPTIONS = cmarkgfm.Options.CMARK_OPT_UNSAFE  # raw HTML kept, for nh3 to clean (render.analysis_html)
ANALYSIS_EXTENSIONS = ("table", "strikethrough", "autolink")  # GitHub's flavour

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SELF_ENDING = frozenset("p li dt dd tr td th option rp rt".split())  # an open one is ended by the next
_LEAVES = frozenset(["text", "softbreak", "linebreak", "code", "html_inline", "html_block", "code_block",
                     "thematic_break"])  # cmark's iterator enters these and never exits them
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


@dataclass(frozen=True)
class Excess:
    """Where an analysis is too deep or too large: `amount` is levels or bytes; line and column in the body."""

    what: str  # "depth" or "size"
    amount: int
    line: int
    column: int


def analysis_excess(body: str) -> Excess | None:
    """Whether an analysis nests deeper than MAX_NESTING or converts to more than MAX_HTML. Most
    analyses are cleared by a quick bound, with no conversion; the others are converted (cmark-gfm,
    C) and their HTML scanned; only a refused one is walked again to say where."""
    if len(body) * 32 <= MAX_HTML and within_bound(body, MAX_NESTING):
        return None
    html = to_html(body, ANALYSIS_OPTIONS, ANALYSIS_EXTENSIONS)
    if len(html.encode("utf-8")) > MAX_HTML:
        return Excess("size", len(html.encode("utf-8")), 1, 1)
    depth = _open_tags(html, MAX_NESTING)
    if depth <= MAX_NESTING:
        return None
    found = deepest(body, ANALYSIS_OPTIONS, ANALYSIS_EXTENSIONS, MAX_NESTING)
    return Excess("depth", *found) if found else Excess("depth", depth, 1, 1)


def within_bound(text: str, limit: int) -> bool:
    """Whether `text`'s HTML surely nests at most `limit` deep, told without parsing it (a few microseconds
    for an analysis of prose). Containers open only at a line's start, each with at least one character of
    the line's prefix (a list level makes two elements); an inline element needs at least one of * _ ~ [ <;
    tables, paragraphs and code add a few levels."""
    spare = limit - 8 - sum(text.count(c) for c in "*_~[<")
    if spare < 0:
        return False
    first_line, later_line = _long_prefix(spare // 2 + 1)
    return first_line.match(text) is None and later_line.search(text) is None


@cache
def _long_prefix(length: int) -> tuple[re.Pattern, re.Pattern]:
    # A pattern that starts with "\n" lets the engine skip from line break to line break: with "^" and
    # MULTILINE it tries every position, 20 times slower on prose.
    prefix = r"[ \t>*+\-0-9.)]{" + str(length) + "}"
    return re.compile(prefix), re.compile("\n" + prefix)


def _open_tags(html: str, limit: int) -> int:
    """The deepest nesting of `html`'s elements as an HTML parser would build them (void elements, and
    a <p> or <li> ended by the next), or the first depth past `limit`."""
    stack: list[str] = []
    for match in _TAG.finditer(html):
        name = match.group(2).lower()
        if match.group(1):
            if name in stack:  # an end tag closes up to its element; a stray one does nothing
                del stack[len(stack) - 1 - stack[::-1].index(name):]
        elif name not in _VOID and not (name in _SELF_ENDING and stack and stack[-1] == name):
            stack.append(name)
            if len(stack) > limit:
                return len(stack)
    return 0


def _ast_api() -> Any:
    try:
        import cffi

        ffi = cffi.FFI()
        ffi.cdef("""typedef struct cmark_iter cmark_iter; typedef struct cmark_node cmark_node;
            cmark_iter *cmark_iter_new(cmark_node *root); int cmark_iter_next(cmark_iter *iter);
            cmark_node *cmark_iter_get_node(cmark_iter *iter); void cmark_iter_free(cmark_iter *iter);
            int cmark_node_get_start_line(cmark_node *node); int cmark_node_get_start_column(cmark_node *node);
            const char *cmark_node_get_literal(cmark_node *node);
            const char *cmark_node_get_type_string(cmark_node *node);
            void cmark_node_free(cmark_node *node);""")
        lib = ffi.dlopen(cmark._cmark.__file__)
        for name in ("cmark_iter_new", "cmark_node_get_type_string"):  # looked up now: fail here, not later
            getattr(lib, name)
        return ffi, lib
    except (ImportError, OSError, AttributeError):
        return None


_AST = _ast_api()


def deepest(text: str, options: int, extensions: Sequence[str], limit: int) -> tuple[int, int, int] | None:
    """(depth, line, column) where the HTML of `text` first nests deeper than `limit`, else None.

    Walks cmark-gfm's tree (each container one level) and, through it, the tags of raw HTML, which stay
    open across nodes as an HTML parser keeps them. A few microseconds a node: for saying where, once
    the scan of the HTML has found that it is too deep."""
    if _AST is None:
        return None
    ffi, lib = _AST
    cmark.core_extensions_ensure_registered()
    parser = _lib.cmark_parser_new(options)
    try:
        for name in extensions:
            _lib.cmark_parser_attach_syntax_extension(parser, cmark.find_syntax_extension(name))
        encoded = text.encode("utf-8")
        _lib.cmark_parser_feed(parser, encoded, len(encoded))
        root = ffi.cast("cmark_node *", _lib.cmark_parser_finish(parser))
        walker = lib.cmark_iter_new(root)
        try:
            depth, raw = 0, list[str]()  # container levels; names of raw HTML elements still open
            while True:
                event = lib.cmark_iter_next(walker)
                if event == 1:  # CMARK_EVENT_DONE
                    return None
                node = lib.cmark_iter_get_node(walker)
                kind = ffi.string(lib.cmark_node_get_type_string(node)).decode()
                if event == 3:  # CMARK_EVENT_EXIT
                    depth -= 1
                    continue
                if kind == "document":
                    continue
                line, column = lib.cmark_node_get_start_line(node), lib.cmark_node_get_start_column(node)
                if kind not in _LEAVES:
                    depth += 1
                    if depth + len(raw) > limit:
                        return depth + len(raw), line, column
                elif kind in ("html_block", "html_inline"):
                    literal = ffi.string(lib.cmark_node_get_literal(node)).decode("utf-8", "replace")
                    for match in _TAG.finditer(literal):
                        name = match.group(2).lower()
                        if match.group(1):
                            if name in raw:
                                del raw[len(raw) - 1 - raw[::-1].index(name):]
                        elif name not in _VOID and not (name in _SELF_ENDING and raw and raw[-1] == name):
                            raw.append(name)
                            if depth + 1 + len(raw) > limit:  # + 1: the block or paragraph it sits in
                                before = literal[:match.start()]
                                lines = before.count("\n")
                                col = len(before) - before.rfind("\n") if lines else column + len(before)
                                return depth + 1 + len(raw), line + lines, col
        finally:
            lib.cmark_iter_free(walker)
            lib.cmark_node_free(root)
    finally:
        _lib.cmark_parser_free(parser)
