"""No input of any kind produces a traceback: arbitrary bytes, text and YAML as claims and registries."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, make_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimpress.check.project import check_project
from claimpress.cli import main

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
VALID = (FIXTURES / "project" / "claims" / "valid-full.md").read_text()
FIELDS = ["id", "title", "claim", "claimant", "accused", "claimed_on", "incident", "date", "location", "country",
          "coordinates", "killed", "min", "max", "categories", "status", "verdict", "evidence", "url", "kind",
          "stance", "party", "responses", "updates", "related", "published", "updated", "draft", "name",
          "parent", "ratings", "rating_value", "best_rating", "worst_rating", "requires", "confirmed_by"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
                    st.sampled_from(["example-army", "unverified", "2020-05-01", "2999-01-01", "2020-02-30", "SY",
                                     "NO", "javascript:alert(1)", "valid-full", "substantiated", "supports"]))
data = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), inner, max_size=6)), max_leaves=25)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("property"))


def _check(root: Path, name: str, content: bytes) -> None:
    target = root / "claims" / name
    target.write_bytes(content)
    result = check_project(root)
    for d in result.diagnostics:
        assert d.line >= 0 and d.column >= 0 and d.code and d.message
        d.text(), d.github()


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes_as_a_claim(root: Path, content: bytes) -> None:
    _check(root, "fuzz.md", content)


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_text_as_front_matter(root: Path, text: str) -> None:
    _check(root, "fuzz.md", f"---\n{text}\n---\nbody\n".encode("utf-8", "surrogatepass"))


@SETTINGS
@given(data)
def test_arbitrary_yaml_data_as_a_claim(root: Path, value: object) -> None:
    _check(root, "fuzz.md", ("---\n" + yaml.safe_dump(value, allow_unicode=True) + "---\n").encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 60), st.sampled_from(["delete", "duplicate", "replace", "indent"]),
                          st.text(max_size=15)), min_size=1, max_size=4))
def test_mutations_of_a_valid_claim(root: Path, edits: list) -> None:
    lines = VALID.replace("id: valid-full", "id: fuzz").split("\n")
    for index, action, text in edits:
        i = index % len(lines)
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "replace":
            key = lines[i].split(":")[0]
            lines[i] = f"{key}: {text}"
        else:
            lines[i] = "  " + lines[i]
        if not lines:
            lines = [""]
    _check(root, "fuzz.md", "\n".join(lines).encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.sampled_from(["parties.yml", "categories.yml", "ratings.yml"]), st.one_of(
    st.binary(max_size=200), data.map(lambda v: yaml.safe_dump(v, allow_unicode=True).encode("utf-8", "surrogatepass"))))
def test_arbitrary_registries(root: Path, name: str, content: bytes) -> None:
    original = (FIXTURES / "project" / "claims" / name)
    try:
        _check(root, name, content)
    finally:
        shutil.copy(original, root / "claims" / name)


def test_cli_never_raises_on_hostile_files(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = make_project(tmp_path)
    (root / "claims" / "deep.md").write_text("---\nid: " + "[" * 10000 + "\n---\n")
    (root / "claims" / "laughs.md").write_text("---\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n---\n")
    (root / "claims" / "nul.md").write_bytes(b"---\nid: a\x00b\n---\n")
    (root / "claims" / "python.md").write_text("---\nid: !!python/object/apply:os.system ['true']\n---\n")
    assert main(["--root", str(root), "check"]) == 1
    out = capsys.readouterr().out
    assert "claims/deep.md:" in out and "yaml-too-deep" in out
    assert "yaml-alias" in out and "yaml-anchor" in out and "forbidden-character" in out and "yaml-tag" in out
