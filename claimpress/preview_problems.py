"""What the preview (`build_claims.py serve`) tells of the claims' problems after each save: only
what changed since the last save, the new problems and a line for each one fixed; the first
generation prints them all, as `check` does. A problem is the same from one save to the next when
its file, severity, code and message are, wherever it moved in the file (a line added above it).
A file with an error is checked only in part (its rules do not run while its schema fails), so a
problem of it that is no longer reported is not called fixed until the file is whole.
"""
from __future__ import annotations

import sys
from collections import Counter

from .diagnostics import ERROR, Diagnostic, format_diagnostics, summary

Key = tuple[str, str, str, str, str]


def _key(diagnostic: Diagnostic) -> Key:
    """A problem without its position: the same problem after a line was added above it."""
    return diagnostic.path, diagnostic.severity, diagnostic.code, diagnostic.message, diagnostic.hint


class PreviewProblems:
    """The preview's report, kept for the whole preview: what the terminal was last told."""

    def __init__(self) -> None:
        self.told: Counter[Key] | None = None  # the problems printed, still open; None before the first check
        self.errors: list[Diagnostic] = []     # the last check's

    def checked(self, diagnostics: list[Diagnostic], files: int) -> None:
        self.errors = [d for d in diagnostics if d.is_error]
        if self.told is None:  # as build.FullReport, once
            sys.stderr.write(format_diagnostics(diagnostics, "text") + summary(diagnostics, files) + "\n")
            self.told = Counter(map(_key, diagnostics))
            return
        before = self.told.copy()
        new = []
        for diagnostic in diagnostics:
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
        self.told = Counter(map(_key, diagnostics)) + unknown
        lines = [_fixed_line(key) for key in fixed] + [d.text() for d in new]
        again = len(diagnostics) - len(new)
        said = f" ({again} as before, not repeated)" if again else ""
        sys.stderr.write("".join(f"{line}\n" for line in lines) + summary(diagnostics, files) + said + "\n")

    def not_generated(self) -> None:
        count = len(self.errors)
        print(f"not generated: fix the {'error' if count == 1 else f'{count} errors'}; the preview keeps the last "
              "good site", file=sys.stderr)


def _field(message: str) -> str:
    """The field a message is about: messages start with its path ("status: ...")."""
    return message.partition(": ")[0]


def _fixed_line(key: Key) -> str:
    path, _, code, message, _ = key
    return f"fixed: {path}: {message} [{code}]".replace("\r", "\\r").replace("\n", "\\n")

