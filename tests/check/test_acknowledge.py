"""Acknowledged warnings: a warning the sources do not let a claim fix is acknowledged with its reason;
it is counted, not printed, does not fail --strict, and an acknowledgement cannot outlive its warning."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, make_project

from claimpress.check.project import check_project

MINIMAL = (FIXTURES / "project" / "claims" / "valid-minimal.md").read_text()
# valid-minimal warns of no-coordinates, no-source-url and no-analysis.
REASON = "the report survives only as a text copy"


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build_claims.py"), *args], cwd=root, capture_output=True,
                          text=True, env={**os.environ, **(env or {})})


def project_with(tmp_path: Path, acknowledged: str, body: str = "") -> Path:
    """The test project, its valid-minimal claim acknowledging `acknowledged` (YAML lines under the key)."""
    root = make_project(tmp_path / "p")
    text = MINIMAL.replace("published: 2020-06-01\n", f"published: 2020-06-01\nacknowledged:\n{acknowledged}")
    (root / "claims" / "valid-minimal.md").write_text(text + body)
    return root


def minimal(root: Path) -> list:
    return [d for d in check_project(root).diagnostics if d.path == "claims/valid-minimal.md"]


def test_an_acknowledged_warning_is_counted_not_printed_and_passes_strict(tmp_path: Path) -> None:
    root = project_with(tmp_path, f"  no-source-url: {REASON}\n  no-coordinates: known only as a province\n")
    done = run(root, "check", "--strict")
    assert "no-source-url" not in done.stdout and "no-coordinates" not in done.stdout
    assert "2 warnings acknowledged (check --show-acknowledged lists them)" in done.stderr
    # The one warning left unacknowledged still fails --strict, and says how it could be acknowledged.
    assert done.returncode == 1
    [left] = [line for line in done.stdout.splitlines() if "valid-minimal" in line]
    assert left.endswith('or, where that cannot be done, acknowledge it: acknowledged: {no-analysis: "the reason"} '
                         "[no-analysis]")
    listed = run(root, "check", "--show-acknowledged")
    assert (f"claims/valid-minimal.md:15:5: warning: evidence[0]: has no url, so readers cannot follow this source; "
            f"acknowledged: {REASON} [no-source-url]") in listed.stdout
    (root / "claims" / "valid-minimal.md").write_text((root / "claims" / "valid-minimal.md").read_text()
                                                      + "The analysis.\n")
    done = run(root, "check", "--strict")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""


def test_one_acknowledgement_covers_each_warning_of_its_code(tmp_path: Path) -> None:
    second = "  - title: null\n    publisher: null\n    published: null\n    kind: media-report\n    stance: context\n"
    root = project_with(tmp_path, f"  no-source-url: {REASON}\n")
    path = root / "claims" / "valid-minimal.md"
    path.write_text(path.read_text().replace("    stance: context\n", "    stance: context\n" + second, 1))
    found = [(d.severity, d.hint) for d in minimal(root) if d.code == "no-source-url"]
    assert found == [("acknowledged", REASON)] * 2


def test_an_acknowledgement_of_a_warning_that_no_longer_fires_is_a_warning(tmp_path: Path) -> None:
    root = project_with(tmp_path, f"  no-source-url: {REASON}\n  no-archive: the archive refused the page\n")
    [stale] = [d for d in minimal(root) if d.code == "stale-acknowledgement"]
    assert (stale.severity, stale.line, stale.column) == ("warning", 23, 3)
    assert stale.message == "acknowledged.no-archive: acknowledges a warning that no longer fires"
    assert run(root, "check", "--strict").returncode == 1
    # The address found: the acknowledgement of no-source-url has outlived its reason, and the one of
    # no-archive has one now.
    path = root / "claims" / "valid-minimal.md"
    path.write_text(path.read_text().replace("    stance: context\n", "    stance: context\n"
                                             "    url: https://example.org/report\n", 1))
    found = minimal(root)
    assert [d.message.split(":")[0] for d in found if d.code == "stale-acknowledgement"] == ["acknowledged.no-source-url"]
    assert [d.severity for d in found if d.code == "no-archive"] == ["acknowledged"]  # the url came without a copy


@pytest.mark.parametrize("reason, message", [
    ('""', "acknowledged.no-source-url: '' must give the reason, in words, on one line"),
    ('"   "', "acknowledged.no-source-url: '   ' must give the reason, in words, on one line"),
    ("", "acknowledged.no-source-url: expected text, got nothing (an empty value)"),
    ("|-\n    two\n    lines", "acknowledged.no-source-url: 'two\nlines' must give the reason, in words, on one line"),
    ("[a list]", "acknowledged.no-source-url: expected text, got a list"),
])
def test_the_reason_must_be_text(tmp_path: Path, reason: str, message: str) -> None:
    root = project_with(tmp_path, f"  no-source-url: {reason}\n")
    errors = [d for d in minimal(root) if d.is_error]
    assert [d.message for d in errors] == [message]
    assert errors[0].line == 22


def test_a_code_that_cannot_be_acknowledged_is_an_error_with_the_closest(tmp_path: Path) -> None:
    root = project_with(tmp_path, f"  no-source-urls: {REASON}\n  draft: not yet\n  No-Analysis: none\n")
    errors = {d.message.split(":")[0]: d for d in minimal(root) if d.is_error}
    assert set(errors) == {"acknowledged.no-source-urls", "acknowledged.draft", "acknowledged.No-Analysis"}
    assert all(d.code == "unknown-acknowledgement" for d in errors.values())
    assert errors["acknowledged.no-source-urls"].hint == "did you mean 'no-source-url'?"
    assert errors["acknowledged.No-Analysis"].hint == "did you mean 'no-analysis'?"
    assert errors["acknowledged.draft"].hint.startswith("fix what the warning says")
    assert (errors["acknowledged.draft"].line, errors["acknowledged.draft"].column) == (23, 3)


def test_the_formats_for_machines(tmp_path: Path) -> None:
    root = project_with(tmp_path, f"  no-source-url: {REASON}\n")
    plain = json.loads(run(root, "check", "--format", "json").stdout)
    assert "no-source-url" not in {d["code"] for d in plain}
    listed = json.loads(run(root, "check", "--format", "json", "--show-acknowledged").stdout)
    [acknowledged] = [d for d in listed if d["code"] == "no-source-url"]
    assert (acknowledged["severity"], acknowledged["hint"]) == ("acknowledged", REASON)
    github = run(root, "check", "--format", "github", "--show-acknowledged").stdout
    assert f"::notice file=claims/valid-minimal.md,line=15,col=5,title=no-source-url::evidence[0]: has no url, " \
           f"so readers cannot follow this source; acknowledged: {REASON}" in github


# --- mkdocs.yml: the settings' warning -----------------------------------------------------------

CONFIG = "site_url: !ENV [SITE_URL, \"https://news.example/\"]\nextra:\n  claimpress:\n    publisher: {name: N}\n"


def config_project(tmp_path: Path, acknowledged: str) -> Path:
    root = make_project(tmp_path / "p")
    (root / "mkdocs.yml").write_text(CONFIG + acknowledged)
    return root


def config_codes(done: subprocess.CompletedProcess) -> list[str]:
    return [line.rsplit("[", 1)[-1].rstrip("]") for line in done.stdout.splitlines() if line.startswith("mkdocs.yml")]


def test_the_placeholder_address_can_be_acknowledged_in_mkdocs_yml(tmp_path: Path) -> None:
    root = config_project(tmp_path, "    acknowledged: {placeholder-config: the sample site is not published}\n")
    done = run(root, "check", "--show-acknowledged")
    assert ("mkdocs.yml: warning: site_url: 'https://news.example/' is a placeholder address; acknowledged: the sample "
            "site is not published [placeholder-config]") in done.stdout
    assert config_codes(run(root, "check")) == []
    # Published by the Pages workflow, which sets SITE_URL: no warning, and the acknowledgement, which
    # speaks of the address the file writes, is not stale.
    assert config_codes(run(root, "check", env={"SITE_URL": "https://org.github.io/news/"})) == []
    # The fork writes its own address: the acknowledgement has outlived its reason.
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text().replace("https://news.example/",
                                                                               "https://news.org/"))
    done = run(root, "check")
    assert config_codes(done) == ["stale-acknowledgement"]
    assert "extra.claimpress.acknowledged.placeholder-config: acknowledges a warning that no longer fires" in done.stdout


def test_an_unacknowledged_placeholder_says_how_to_acknowledge_it(tmp_path: Path) -> None:
    done = run(config_project(tmp_path, ""), "check", "--strict")
    assert done.returncode == 1
    assert ('or, where that cannot be done, acknowledge it: extra.claimpress.acknowledged: {placeholder-config: '
            '"the reason"} [placeholder-config]') in done.stdout


@pytest.mark.parametrize("acknowledged, code, text", [
    ("{placeholder-confg: x}", "unknown-acknowledgement", "did you mean 'placeholder-config'?"),
    ("{no-source-url: x}", "unknown-acknowledgement", "acknowledge it in the claim that has it"),
    ("{placeholder-config: ''}", "invalid-config", "must give the reason, in words, on one line"),
    ("{placeholder-config: }", "invalid-config", "must give the reason, in words, on one line"),
    ("[placeholder-config]", "invalid-config", "must map warning codes to reasons"),
])
def test_bad_acknowledgements_in_mkdocs_yml_are_errors(tmp_path: Path, acknowledged: str, code: str,
                                                       text: str) -> None:
    done = run(config_project(tmp_path, f"    acknowledged: {acknowledged}\n"), "check")
    assert done.returncode == 1
    assert code in config_codes(done) and text in done.stdout
