"""The published claims: they pass check, and every quotation in them is in the source articles."""
from __future__ import annotations

import re

from conftest import FIXTURES, REPO

from claimpress.check.project import check_project


def test_repository_claims_have_no_errors() -> None:
    result = check_project(REPO)
    assert result.errors == [], "\n".join(d.text() for d in result.errors)
    assert len(result.claims) >= 5


def _normalise(text: str) -> str:
    text = text.translate(str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-"}))
    return " ".join(text.split())


def test_every_quotation_is_in_a_seed_article() -> None:
    """Quote only what the articles say: each "..." passage (split at [...] elisions) appears verbatim."""
    articles = " ".join(_normalise(p.read_text()) for p in (FIXTURES / "seeds").glob("*.txt"))
    # A quotation inside a quotation changes "..." to '...': compare with one kind of quote mark.
    articles = articles.replace("'", '"')
    quotes = 0
    for path in sorted((REPO / "claims").glob("*.md")):
        # Blockquote markers and line breaks are layout, not words.
        text = _normalise(re.sub(r"^> ?", "", path.read_text(), flags=re.MULTILINE).replace(">-\n", " "))
        for quoted in re.findall(r'"([^"]+)"', text):
            for part in re.split(r"\[\.\.\.\]|\[[a-z ]+\]", quoted):
                part = part.strip(" .,'")
                if len(part) >= 8:
                    quotes += 1
                    assert part.replace("'", '"') in articles, f"{path.name}: not in the sources: {part!r}"
    assert quotes > 20


def test_seed_claims_invent_no_address() -> None:
    """The seed articles give no web address, so no seed claim may carry one."""
    for path in (REPO / "claims").glob("*.md"):
        front = path.read_text().split("\n---\n")[0]
        assert "http" not in front, path.name
