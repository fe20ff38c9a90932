"""What the preview (`build_claims.py serve`) tells of the claims' problems after each save.

In the terminal, only what changed since the last save: the new problems, and a line for each one
fixed; the first generation prints them all, as `check` does. A problem is the same from one save to
the next when its file, severity, code and message are, wherever it moved in the file (a line added
above it). A file with an error is checked only in part (its rules do not run while its schema
fails), so a problem of it that is no longer reported is not called fixed until the file is whole.

In the browser, the errors of the last check are on every preview page until they are fixed: they are
written as JSON to a file of the preview's own, which MkDocs' process, named it by PROBLEMS_FILE,
watches and shows (claimpress/mkdocs_plugin/problems.py). The file changes only when the errors do,
and after the generation that fixed them has written its pages, so the notice goes with the old site.
"""
from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

from .diagnostics import ERROR, Diagnostic, format_diagnostics, summary

PROBLEMS_FILE = "CLAIMPRESS_PREVIEW_PROBLEMS"  # the variable that names the file to MkDocs' process

Key = tuple[str, str, str, str, str]


def _key(diagnostic: Diagnostic) -> Key:
    """A problem without its position: the same problem after a line was added above it."""
    return diagnostic.path, diagnostic.severity, diagnostic.code, diagnostic.message, diagnostic.hint


class PreviewProblems:
    """The preview's report, kept for the whole preview: what the terminal was last told, and the
    file the browser reads, in `folder` (a private one)."""

    def __init__(self, folder: Path) -> None:
        self.told: Counter[Key] | None = None  # the problems printed, still open; None before the first check
        self.errors: list[Diagnostic] = []     # the last check's, for the browser
        self.folder = folder
        self.path = self.folder / "problems.json"
        self.published: bytes | None = None

    def checked(self, diagnostics: list[Diagnostic], files: int) -> None:
        self.errors = [d for d in diagnostics if d.is_error]
        shown = [d for d in diagnostics if not d.is_acknowledged]  # acknowledged ones are only counted
        if self.told is None:  # as build.FullReport, once
            sys.stderr.write(format_diagnostics(diagnostics, "text") + summary(diagnostics, files) + "\n")
            self.told = Counter(map(_key, shown))
            return
        before = self.told.copy()
        new = []
        for diagnostic in shown:
            key = _key(diagnostic)
            if before[key] > 0:
                before[key] -= 1
            else:
                new.append(diagnostic)
        # A file with an error was checked in part: what it no longer shows may be there still, unless
        # it was an error of a field that now has another (a typo saved as another typo).
        checked_in_part = {d.path for d in self.errors}
        erring = {(d.path, _field(d.message)) for d in self.errors}
        unknown = Counter({key: count for key, count in before.items() if count > 0 and key[0] in checked_in_part
                           and not (key[1] == ERROR and (key[0], _field(key[3])) in erring)})
        fixed = sorted((before - unknown).elements())
        self.told = Counter(map(_key, shown)) + unknown
        lines = [_fixed_line(key) for key in fixed] + [d.text() for d in new]
        again = len(shown) - len(new)
        counts, _, acknowledged = summary(diagnostics, files).partition("\n")
        lines.append(counts + (f" ({again} as before, not repeated)" if again else ""))
        if acknowledged:
            lines.append(acknowledged)
        sys.stderr.write("".join(f"{line}\n" for line in lines))

    def not_generated(self) -> None:
        count = len(self.errors)
        print(f"not generated: fix the {'error' if count == 1 else f'{count} errors'} (every preview page lists "
              f"{'it' if count == 1 else 'them'}); the preview keeps the last good site", file=sys.stderr)

    def publish(self) -> None:
        """Write the errors for the browser, if they changed since the last time (each write rebuilds
        the preview and reloads its pages): by a rename, so MkDocs never reads half a file."""
        payload = json.dumps({"errors": [_for_browser(d) for d in self.errors]}, indent=1).encode()
        if payload == self.published:
            return
        partial = self.folder / ".problems.json.part"
        try:
            partial.write_bytes(payload)
            os.replace(partial, self.path)
        except OSError as exc:  # its folder removed, say: the terminal still tells
            print(f"[claimpress] cannot list the errors on the preview's pages: {exc}", file=sys.stderr)
            return
        self.published = payload


def _field(message: str) -> str:
    """The field a message is about: messages start with its path ("status: ...")."""
    return message.partition(": ")[0]


def _fixed_line(key: Key) -> str:
    path, _, code, message, _ = key
    return f"fixed: {path}: {message} [{code}]".replace("\r", "\\r").replace("\n", "\\n")


def _for_browser(diagnostic: Diagnostic) -> dict[str, str | int]:
    return {"path": diagnostic.path, "line": diagnostic.line, "column": diagnostic.column,
            "message": diagnostic.message, "hint": diagnostic.hint, "code": diagnostic.code}
