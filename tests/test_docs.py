"""Documentation that cannot drift: every field and command is described where contributors look."""
from __future__ import annotations

import re

from pathlib import Path


from claimpress.schema import schema
from conftest import REPO

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
    source = "\n".join(p.read_text() for p in (REPO / "claimpress").glob("*.py"))
    codes = set(re.findall(r'(?:ERROR|WARNING),\s*"([a-z][a-z0-9-]+)"', source))
    codes |= set(re.findall(r'\[([a-z]+(?:-[a-z]+)*)\]"', source))
    table = set(re.findall(r"^\| `([a-z0-9-]+)` \|", REFERENCE, re.MULTILINE))
    assert len(codes) > 10 and codes - table == set()
