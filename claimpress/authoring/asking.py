"""How `new` asks: every flag's value checked first, each problem kept, then, with a person to ask,
the bad values and the missing ones asked for until they can be used (`Asker.fill`)."""
from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .values import Invalid

Ask = Callable[[str], str]
Note = Callable[[str], None]
ASK_LIMIT = 100  # questions in one run: a dozen, and a few asked again


class NewError(Exception):
    """Values that cannot be used, each with what to do instead."""

    def __init__(self, *problems: str) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


def ask_stdin(prompt: str) -> str:
    print(prompt, end="", file=sys.stderr, flush=True)
    line = sys.stdin.readline()
    if not line:
        raise NewError("input ended before every field was given; pass the values as flags (see --help)")
    return line.strip()


def limited(ask: Ask) -> Ask:
    """`ask`, refusing after ASK_LIMIT questions, so that endless unusable input (`yes "" | new`) ends."""
    count = 0

    def ask_once_more(prompt: str) -> str:
        nonlocal count
        count += 1
        if count > ASK_LIMIT:
            raise NewError(f"{ASK_LIMIT} answers without a usable draft; pass the values as flags (see --help)")
        return ask(prompt)
    return ask_once_more


def split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _listed(answer: str) -> str:
    if not split(answer):
        raise Invalid("that lists nothing")
    return answer


def _then(problem: object, prompt: str) -> str:
    text = str(problem)
    return f"{text}{' ' if text.endswith('?') else '. '}{prompt}"


@dataclass
class Field:
    flag: str
    check: Callable[[str], Any]      # a flag's value -> what to write; raises Invalid
    prompt: str                      # the question, when a person is asked for it
    given: list[str]                 # one value, or the values of a repeatable flag
    required: bool = True
    many: bool = False
    offered: bool = False            # not required, but asked for (Enter leaves it) when others are asked
    answer: Callable[[str], Any] | None = None  # an answer -> what to write, where it differs from check
    got: list[Any] = field(default_factory=list)
    bad: list[tuple[int, str]] = field(default_factory=list)  # (index in given, what is wrong)


class Asker:
    """Asks (when `ask` is given), or keeps the problems to tell them all at once."""

    def __init__(self, ask: Ask | None, tty: bool) -> None:
        self.ask, self.tty = ask, tty
        self.problems: list[str] = []
        self.asked = False  # whether a field the flags left out was asked for

    @property
    def may_ask(self) -> bool:
        """Whether to ask now: of a person, always; of piped answers, only while nothing is wrong (the
        answers were written for the questions, and a problem ends the run anyway)."""
        return self.ask is not None and (self.tty or not self.problems)

    def until(self, check: Callable[[str], Any], prompt: str, problem: object = None) -> Any:
        """Ask until `check` takes the answer (an empty answer asks again), telling `problem` first."""
        assert self.ask is not None
        while True:
            answer = self.ask(_then(problem, prompt) if problem else prompt)
            if not answer:
                continue
            try:
                return check(answer)
            except Invalid as error:
                problem = error

    def fill(self, fields: list[Field]) -> None:
        """Check every given value, then (with a person to ask) ask again for the bad ones and for the
        missing; without, every problem is kept in self.problems. A bad flag is asked again only of
        a person at a terminal: piped answers were written for the questions, not for the flags."""
        for f in fields:
            for i, value in enumerate(f.given):
                try:
                    f.got.append(f.check(value))
                except Invalid as problem:
                    f.got.append(None)
                    f.bad.append((i, str(problem)))
        for f in fields:
            for i, problem in f.bad:
                if self.ask is not None and self.tty:
                    f.got[i] = self.until(f.answer or f.check, f.prompt, f"{f.flag}: {problem}")
                else:
                    self.problems.append(f"{f.flag}: {problem}")
        self.asked = any(f.required and not f.given for f in fields)  # a person (or a script) answering
        for f in fields:
            if f.given or not (f.required or f.offered and self.asked):
                continue
            if f.offered:
                if self.may_ask:
                    assert self.ask is not None
                    answer = self.ask(f.prompt)
                    f.got = [self._one(f.answer or f.check, f.prompt, answer)] if answer else []
                continue
            if not self.may_ask:
                self.problems.append(f"{f.flag} is missing" + (f": {f.prompt.rstrip(': ')}" if f.prompt else ""))
                continue
            check = f.answer or f.check
            if f.many:
                f.got = [self._one(check, f.prompt, a) for a in split(self.until(_listed, f.prompt))]
            else:
                f.got = [self.until(check, f.prompt)]

    def _one(self, check: Callable[[str], Any], prompt: str, answer: str) -> Any:
        try:
            return check(answer)
        except Invalid as problem:
            return self.until(check, prompt, problem)
