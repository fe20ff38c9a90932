"""claimpress/check/rules.py: what the schema cannot say, as functions of plain data."""
from __future__ import annotations

from datetime import date

import pytest

from claimpress.check.rules import Registries, date_span, happened, lineage, rating_shortfalls


@pytest.mark.parametrize("text, span", [
    ("2020", (date(2020, 1, 1), date(2020, 12, 31))),
    ("2020-02", (date(2020, 2, 1), date(2020, 2, 29))),
    ("2021-02", (date(2021, 2, 1), date(2021, 2, 28))),
    ("2020-05-01", (date(2020, 5, 1), date(2020, 5, 1))),
    ("2020-02-30", None), ("2020-13", None), ("20x0", None), ("", None),
])
def test_a_partial_date_is_the_span_it_can_mean(text: str, span: object) -> None:
    assert date_span(text) == span


def test_a_date_has_happened_when_it_has_begun() -> None:
    assert happened("2020") and happened(date.today().isoformat()[:7])
    assert not happened("2999-01-01") and not happened("not a date")


def test_a_lineage_is_nearest_first_and_stops_at_a_repeat() -> None:
    parties = {"unit": {"parent": "army"}, "army": {"parent": "state"}, "state": {},
               "a": {"parent": "b"}, "b": {"parent": "a"}}
    assert lineage("unit", parties) == ("unit", "army", "state")
    assert lineage("a", parties) == ("a", "b")  # a cycle (check reports it) cannot hang this
    assert lineage(None, parties) == ()


def _claim(*evidence: dict, accused: str = "army", claimant: str = "ngo") -> dict:
    return {"claimant": claimant, "accused": [accused], "evidence": list(evidence), "responses": []}


REGISTRIES = Registries(parties={"ngo": {"name": "Watch"}, "army": {"name": "Army", "parent": "state"},
                                 "state": {"name": "State"}, "paper": {"name": "Paper"}, "other": {"name": "Other"}})


def test_independent_supporting_sources_are_counted_by_publisher() -> None:
    requires = {"min_supporting_sources": 2}
    one = {"publisher": "Paper", "stance": "supports", "kind": "media-report"}
    assert rating_shortfalls(_claim(one, dict(one)), requires, REGISTRIES) == [
        "needs 2 independent supporting sources (distinct publishers of 'supports' evidence other than the "
        "claimant); the evidence has 1"]
    two = {"publisher": "Other", "stance": "supports", "kind": "ngo-report"}
    assert rating_shortfalls(_claim(one, two), requires, REGISTRIES) == []
    claimant_own = {"publisher": "Watch", "stance": "supports", "kind": "ngo-report", "party": "ngo"}
    assert rating_shortfalls(_claim(one, claimant_own), requires, REGISTRIES)  # the claimant is not independent


def test_refuting_sources_are_counted_too() -> None:
    requires = {"min_supporting_sources": 1, "min_refuting_sources": 1}
    supports = {"publisher": "Paper", "stance": "supports", "kind": "media-report"}
    assert rating_shortfalls(_claim(supports), requires, REGISTRIES) == [
        "needs 1 refuting source (distinct publishers of 'refutes' evidence); the evidence has 0"]
    refutes = {"publisher": "Other", "stance": "refutes", "kind": "media-report"}
    assert rating_shortfalls(_claim(supports, refutes), requires, REGISTRIES) == []
