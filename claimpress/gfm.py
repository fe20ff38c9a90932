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

from collections.abc import Sequence
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
