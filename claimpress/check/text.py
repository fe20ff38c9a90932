"""A file as text, or why it cannot be one: a link, more than 1 MiB, not UTF-8, a lone CR, control
characters, directional overrides and characters that cannot be seen (claimpress/check/invisible.py)."""
from __future__ import annotations

import re
from pathlib import Path

from ..diagnostics import ERROR, WARNING, Diagnostic
from . import invisible

Position = tuple  # (line, column), both 1-based

MAX_FILE_BYTES = 1024 * 1024


# C0 controls but tab and newline, DEL, C1 controls; the bidirectional embeddings, overrides and
# isolates that can make text read differently from what it is ("Trojan Source"); non-characters.
# Checked in the file's text, and in double-quoted values, whose escapes (\0, \e, \x80, \u202E)
# can write them without their being in the file.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]")


def describe_char(ch: str) -> str:
    names = {"\x00": "NUL", "\r": "carriage return", "\x1b": "escape", "\x7f": "DEL",
             "\u202a": "LEFT-TO-RIGHT EMBEDDING", "\u202b": "RIGHT-TO-LEFT EMBEDDING",
             "\u202c": "POP DIRECTIONAL FORMATTING", "\u202d": "LEFT-TO-RIGHT OVERRIDE",
             "\u202e": "RIGHT-TO-LEFT OVERRIDE", "\u2066": "LEFT-TO-RIGHT ISOLATE",
             "\u2067": "RIGHT-TO-LEFT ISOLATE", "\u2068": "FIRST STRONG ISOLATE",
             "\u2069": "POP DIRECTIONAL ISOLATE"}
    return f"U+{ord(ch):04X}" + (f" ({names[ch]})" if ch in names else "")


def _line_col(text: str, index: int) -> Position:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def read_text(path: Path, display: str) -> tuple[str | None, list[Diagnostic]]:
    """Read a file as UTF-8 text, refusing links, huge files, bad encodings and hidden characters."""
    def err(code: str, message: str, line: int = 0, col: int = 0, hint: str = "") -> tuple[None, list[Diagnostic]]:
        return None, [Diagnostic(display, line, col, ERROR, code, message, hint)]

    try:
        if path.is_symlink():
            return err("symlink", "is a symbolic link; claim files and registries must be regular files",
                       hint="replace the link with the file itself")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return err("file-too-large", f"is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} (1 MiB)",
                       hint="move long analysis to a linked report")
        raw = path.read_bytes()
    except OSError as exc:
        return err("unreadable", f"cannot be read: {exc.strerror or exc}")
    diagnostics: list[Diagnostic] = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", "replace")  # columns count characters, as editors do, not bytes
        line, col = _line_col(before, len(before))
        return err("encoding", f"is not valid UTF-8 (byte 0x{raw[exc.start]:02X})", line, col,
                   hint="save the file as UTF-8")
    if text.startswith("\ufeff"):
        text = text[1:]
        diagnostics.append(Diagnostic(display, 1, 1, WARNING, "byte-order-mark",
                                      "starts with a UTF-8 byte-order mark", "save as UTF-8 without BOM"))
    text = text.replace("\r\n", "\n")
    if "\r" in text and "\n" not in text.rstrip("\n"):
        # Old Mac line endings: every line break is a lone CR. One message, not one per line.
        return err("line-endings", "ends its lines with a carriage return (CR) alone, so it reads as one line",
                   hint="save the file with LF (Unix) or CRLF (Windows) line endings")
    for match in FORBIDDEN.finditer(text):
        line, col = _line_col(text, match.start())
        diagnostics.append(Diagnostic(display, line, col, ERROR, "forbidden-character",
                                      f"contains the invisible or control character {describe_char(match.group())}",
                                      "delete it; retype the text around it if unsure"))
        if len(diagnostics) >= 20:
            break
    if any(d.is_error for d in diagnostics):
        return None, diagnostics
    return text, diagnostics


def invisible_characters(text: str, display: str, prose_from: int | None = None) -> list[Diagnostic]:
    """An error for each character that cannot be seen and could hide or fake text (claimpress/invisible.py);
    from `prose_from` on (a claim's analysis), the directional marks of mixed-script prose are allowed."""
    out: list[Diagnostic] = []
    front = text if prose_from is None else text[:prose_from]
    found = [(i, ch, False) for i, ch in invisible.find(front)]
    if prose_from is not None:
        found += [(prose_from + i, ch, True) for i, ch in invisible.find(text[prose_from:], prose=True)]
    for index, ch, prose in found[:20]:
        line, col = _line_col(text, index)
        joiner = ch in (invisible.ZWNJ, invisible.ZWJ, invisible.ZWSP)
        out.append(Diagnostic(display, line, col, ERROR, "invisible-character",
                              f"contains {invisible.describe(ch)}, which cannot be seen"
                              + ("" if prose else " and could hide or fake text here"),
                              "delete it" + ("; joiners are allowed only between letters of the scripts that "
                                             "need them (Arabic, Persian, Indic, Thai...)" if joiner else "")))
    return out
