"""Diagnostic: one problem found in one file, and the ways to print a list of them.

Every stage reports problems as Diagnostics instead of raising, so a run can
report every problem at once and the CLI alone decides the exit code.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"
# A warning the file acknowledges with a reason (check/acknowledge.py): the reason is its hint.
ACKNOWLEDGED = "acknowledged"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str          # as shown to the user, e.g. "claims/x.md"
    line: int          # 1-based; 0 when the problem concerns the whole file
    column: int        # 1-based; 0 when unknown
    severity: str      # "error" | "warning" | "acknowledged"
    code: str          # stable, kebab-case: "unknown-rating"
    message: str       # starts with the field path where there is one
    hint: str = ""     # a likely fix: "did you mean 'substantiated'?"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def is_acknowledged(self) -> bool:
        return self.severity == ACKNOWLEDGED

    def text(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        hint = f"; {'acknowledged: ' if self.is_acknowledged else ''}{self.hint}" if self.hint else ""
        severity = WARNING if self.is_acknowledged else self.severity
        # One problem, one line (editors, grep and problem matchers read it so): a value quoted in the
        # message may hold a line break, shown as \n.
        line = f"{where}: {severity}: {self.message}{hint} [{self.code}]"
        return line.replace("\r", "\\r").replace("\n", "\\n")

    def github(self) -> str:
        # GitHub Actions workflow command; its property and message escapes are documented at
        # docs.github.com "Workflow commands for GitHub Actions".
        props = [f"file={_gh_prop(self.path)}"]
        if self.line:
            props.append(f"line={self.line}")
            if self.column:
                props.append(f"col={self.column}")
        props.append(f"title={_gh_prop(self.code)}")
        hint = f"; {'acknowledged: ' if self.is_acknowledged else ''}{self.hint}" if self.hint else ""
        level = "notice" if self.is_acknowledged else self.severity  # a level GitHub knows
        return f"::{level} {','.join(props)}::{_gh_data(self.message + hint)}"


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """File order, then position: the order a reader fixes them in, and deterministic."""
    return sorted(set(diagnostics))


def format_diagnostics(diagnostics: list[Diagnostic], fmt: str, acknowledged: bool = False) -> str:
    """The diagnostics in a format; the acknowledged ones only when `acknowledged` is true."""
    if not acknowledged:
        diagnostics = [d for d in diagnostics if not d.is_acknowledged]
    if fmt == "json":
        return json.dumps([asdict(d) for d in diagnostics], indent=2, ensure_ascii=False) + "\n"
    render = Diagnostic.github if fmt == "github" else Diagnostic.text
    return "".join(render(d) + "\n" for d in diagnostics)


def summary(diagnostics: list[Diagnostic], files: int) -> str:
    """The count line, and a second one for the acknowledged warnings, if there are any."""
    errors = sum(d.is_error for d in diagnostics)
    acknowledged = sum(d.is_acknowledged for d in diagnostics)
    warnings = len(diagnostics) - errors - acknowledged
    line = (f"checked {files} file{'s' if files != 1 else ''}: {errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}")
    if acknowledged:
        line += (f"\n{acknowledged} warning{'s' if acknowledged != 1 else ''} acknowledged "
                 "(check --show-acknowledged lists them)")
    return line


def failing(diagnostics: list[Diagnostic], strict: bool) -> bool:
    """Whether a check fails: on errors; with --strict, on warnings that are not acknowledged."""
    return any(d.is_error or (strict and not d.is_acknowledged) for d in diagnostics)
