"""Documentation that cannot drift: every field and command is described where contributors look."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO

from claimpress.check.schema import schema

REFERENCE = (REPO / "docs" / "claim-format.md").read_text()


def _properties(node: dict) -> set[str]:
    names = set()
    for key, value in node.items():
        if key == "properties":
            names |= set(value)
        if isinstance(value, dict):
            names |= _properties(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    names |= _properties(item)
    return names


def test_the_published_reference_lists_every_schema_field(sample_site: Path) -> None:
    page = (sample_site / "site" / "claim-format" / "index.html").read_text()
    for kind in ("claim", "parties", "categories", "ratings"):
        missing = {name for name in _properties(schema(kind)) if f"{name}</code>" not in page}
        assert not missing, f"{kind}: {sorted(missing)} not in the built reference"
    values = set()
    for kind in ("claim", "parties"):
        values |= set(re.findall(r'"enum": \[([^\]]*)\]', (REPO / "claimpress" / "schema" / f"{kind}.schema.json")
                                 .read_text().replace("\n", " ")))
    for group in values:
        for value in re.findall(r'"([^"]+)"', group):
            assert f"<code>{value}</code>" in page, value


def test_readme_commands_exist() -> None:
    readme = (REPO / "README.md").read_text()
    makefile = (REPO / "Makefile").read_text()
    for target in re.findall(r"^make (\w+)", readme, re.MULTILINE):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target
    ci = (REPO / ".ci" / "run").read_text()
    assert "make test" in ci and "make test" in readme


def test_code_blocks_render_as_code(sample_site: Path) -> None:
    """Fenced code, also inside the worked example's numbered steps, is a code block, not inline text."""
    page = (sample_site / "site" / "contributing" / "index.html").read_text()
    assert page.count("<pre") >= 2 and "```" not in page
    steps = re.search(r"<ol>(.*?)</ol>", page, re.S).group(1)
    assert steps.count("<li>") == 5 and steps.count("<pre") == 3  # one list, with its code inside the steps


def test_the_reference_lists_every_message_code_the_code_can_print() -> None:
    """The codes written beside a severity (Diagnostic(..., ERROR, "code"), add(WARNING, "code")) or
    printed as "[code]" must each have a row in the table of messages."""
    source = "\n".join(p.read_text() for p in (REPO / "claimpress").rglob("*.py"))  # the subpackages too
    codes = set(re.findall(r'(?:ERROR|WARNING),\s*"([a-z][a-z0-9-]+)"', source))
    codes |= set(re.findall(r'\[([a-z]+(?:-[a-z]+)*)\]"', source))
    table = set(re.findall(r"^\| `([a-z0-9-]+)` \|", REFERENCE, re.MULTILINE))
    assert len(codes) > 10 and codes - table == set()


# --- the README stays a front door; history lives in commit messages -----------------------------

README_LIMIT = 13_000  # bytes: set-up and usage, not internals or benchmark notes (issue 23)
# A git revision as one is quoted (7 to 40 hex digits, at least one a letter and one a digit, so
# that neither a number nor a word such as "defaced" counts), and a date written as 2026-12-01.
COMMIT = re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}\b")
DATE = re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b")
YAML_BLOCK = re.compile(r"^```yaml\n.*?^```$", re.MULTILINE | re.DOTALL)  # a claim's own dates are data
FENCE = re.compile(r"^```.*?^```$", re.MULTILINE | re.DOTALL)  # code, where a # line is no heading
DEVELOPER_DOCS = ("README.md", "ARCHITECTURE.md", "DEVELOPING.md", "bench/README.md")


def dated_notes(markdown: str) -> list[str]:
    """The commit hashes and dates in a document, outside its YAML examples."""
    prose = YAML_BLOCK.sub("", markdown)
    return COMMIT.findall(prose) + DATE.findall(prose)


def test_dated_notes_finds_what_the_old_readme_was_full_of() -> None:
    assert dated_notes("at 584bbc1, on 2026-12-01, 0.7 s; since f757069") == ["584bbc1", "f757069", "2026-12-01"]
    assert dated_notes("10,000 claims, 1000000 pages, a defaced page, cbor2, sha256, 4.8 s") == []
    assert dated_notes("```yaml\nclaimed_on: 2018-09-09\n```\n") == []


def test_the_readme_is_short_and_undated() -> None:
    readme = (REPO / "README.md").read_bytes()
    assert len(readme) < README_LIMIT, f"README.md is {len(readme):,} bytes; move details to ARCHITECTURE.md or DEVELOPING.md"
    assert dated_notes(readme.decode()) == []


def test_architecture_is_undated() -> None:
    assert dated_notes((REPO / "ARCHITECTURE.md").read_text()) == []


def test_developer_docs_name_no_commit() -> None:
    for name in DEVELOPER_DOCS:
        assert COMMIT.findall((REPO / name).read_text()) == [], name


def _anchors(markdown: str) -> set[str]:
    """GitHub's anchors for a document's headings: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#+ (.+)$", FENCE.sub("", markdown), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_links_between_the_developer_docs_resolve() -> None:
    """Every relative link of the README and the developer documents names a file that exists and,
    with #anchor, a heading in it: sections moved out of the README must still be found."""
    broken = []
    for name in DEVELOPER_DOCS:
        source = REPO / name
        for target in re.findall(r"\]\(([^)\s]+)\)", source.read_text()):
            if re.match(r"[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            file = (source.parent / path).resolve() if path else source
            if not file.exists() or (anchor and anchor not in _anchors(file.read_text())):
                broken.append(f"{name}: {target}")
    assert broken == []


def test_the_security_section_names_tests_that_exist() -> None:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Security", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"tests/((?:\w+/)?test_\w+\.py)", section))
    assert len(named) >= 8
    assert {n for n in named if not (REPO / "tests" / n).exists()} == set()
