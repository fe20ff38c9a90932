"""The files under .github/ and the pre-commit hooks: lint the workflows, check the structure of the rest.

actionlint is the binary shipped by a PyPI package in requirements-dev.txt; it lands next to the
venv's Python. Without it the lint tests are skipped locally but fail in CI (CI=true).
No test here uses the network.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
GITHUB = REPO / ".github"
WORKFLOWS = GITHUB / "workflows"
ISSUE_TEMPLATES = GITHUB / "ISSUE_TEMPLATE"
CLAIM_FILES = r"^claims/.*\.(md|yml)$"

WORKFLOW_FILES = sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


# --- actionlint ---------------------------------------------------------------------------------


def find_actionlint() -> str | None:
    beside_python = Path(sys.executable).parent / "actionlint"
    if beside_python.is_file() and os.access(beside_python, os.X_OK):
        return str(beside_python)
    return shutil.which("actionlint")


@pytest.fixture(scope="module")
def actionlint() -> str:
    binary = find_actionlint()
    if binary is None:
        message = "actionlint not found next to the Python interpreter or on PATH: pip install -r requirements-dev.txt"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return binary


def run_actionlint(binary: str, *paths: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [binary, "-no-color", *(str(p.relative_to(cwd)) for p in paths)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_expected_workflows_exist() -> None:
    names = {p.name for p in WORKFLOW_FILES}
    assert {"check.yml", "pull-request.yml", "pages.yml"} <= names, names


@pytest.mark.parametrize("workflow", WORKFLOW_FILES, ids=lambda p: p.name)
def test_actionlint_reports_nothing(actionlint: str, workflow: Path) -> None:
    result = run_actionlint(actionlint, workflow, cwd=REPO)
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 0 and not output, f"actionlint on {workflow.name}:\n{output}"


def test_actionlint_catches_a_broken_workflow(actionlint: str, tmp_path: Path) -> None:
    """The lint test can fail: a workflow with an unknown event and a bad expression is reported."""
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    bad = workflows / "bad.yml"
    bad.write_text(
        "on: pull_requests\n"
        "jobs:\n"
        "  a:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: echo ${{ github.no_such_context }}\n",
        encoding="utf-8",
    )
    result = run_actionlint(actionlint, bad, cwd=tmp_path)
    assert result.returncode != 0
    assert "bad.yml" in result.stdout


# --- the workflows' own content -----------------------------------------------------------------


def load_workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def runs(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


@pytest.mark.parametrize("name", ["pull-request.yml", "pages.yml"])
def test_actions_are_pinned_by_major_version(name: str) -> None:
    uses = [step["uses"] for step in steps(load_workflow(name)) if "uses" in step]
    assert uses
    for use in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", use), f"{name}: {use} is not pinned to a major version tag"


def test_pull_request_workflow() -> None:
    workflow = load_workflow("pull-request.yml")
    assert "pull_request" in workflow["on"]
    all_steps = steps(workflow)
    checkout = next(s for s in all_steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    setup = next(s for s in all_steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"] == {"python-version": "3.11", "cache": "pip", "cache-dependency-path": "requirements.txt"}
    commands = runs(workflow)
    assert "pip install -r requirements.txt" in commands
    assert re.search(r"python build_claims\.py check --changed \S*origin/\S+ --format github", commands)
    env = {k: v for s in all_steps for k, v in s.get("env", {}).items()}
    assert "github.base_ref" in commands + str(env)
    # The strict build comes after the check; it proves the site builds, without the search index.
    assert commands.index("build_claims.py check") < commands.index("python build_claims.py build --no-search")


def test_pages_workflow() -> None:
    workflow = load_workflow("pages.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"]
    assert workflow["concurrency"]["cancel-in-progress"] is False
    all_steps = steps(workflow)
    uses = [s.get("uses", "").split("@")[0] for s in all_steps]
    for action in ["actions/checkout", "actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"]:
        assert action in uses, action
    upload = next(s for s in all_steps if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert "python build_claims.py build" in runs(workflow)
    # The published address comes from the Pages settings, never the placeholder in mkdocs.yml.
    pages = next(s for s in all_steps if s.get("uses", "").startswith("actions/configure-pages@"))
    build_step = next(s for s in all_steps if "python build_claims.py build" in s.get("run", ""))
    assert build_step["env"]["SITE_URL"] == "${{ steps." + pages["id"] + ".outputs.base_url }}/"
    assert all_steps.index(pages) < all_steps.index(build_step)
    # The last build's caches come back, the search index's parts and the rendered pages (keyed by
    # run, so each build saves its own), and the build publishes the search index.
    assert "--no-search" not in runs(workflow)
    cache = next(s for s in all_steps if s.get("uses", "").startswith("actions/cache@"))
    # With the machine's cache key, without which the entries' MACs would not verify (claimpress/trust.py).
    assert cache["with"]["path"].split() == [".cache/claimpress", "~/.cache/claimpress/cache-key"]
    assert "github.run_id" in cache["with"]["key"]
    assert cache["with"]["key"].startswith(cache["with"]["restore-keys"])
    assert all_steps.index(cache) < all_steps.index(build_step)
    size = next(s for s in all_steps if "du -sb site" in s.get("run", ""))
    assert all_steps.index(build_step) < all_steps.index(size) < all_steps.index(upload)
    assert "1073741824" in size["run"] and "::warning::" in size["run"]
    config = (REPO / "mkdocs.yml").read_text()
    assert re.search(r"^site_url: !ENV \[SITE_URL, ", config, re.MULTILINE)
    deploy_job = next(j for j in workflow["jobs"].values() if any("deploy-pages" in s.get("uses", "") for s in j["steps"]))
    assert deploy_job["environment"]["name"] == "github-pages"
    assert deploy_job["needs"]


# --- issue forms ----------------------------------------------------------------------------------

FIELD_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}


def load_form(name: str) -> dict:
    return yaml.safe_load((ISSUE_TEMPLATES / name).read_text(encoding="utf-8"))


def form_fields(form: dict) -> dict[str, dict]:
    return {item["id"]: item for item in form["body"] if item["type"] != "markdown"}


@pytest.mark.parametrize("name", ["submit-allegation.yml", "report-error.yml"])
def test_issue_form_structure(name: str) -> None:
    form = load_form(name)
    assert isinstance(form, dict)
    assert isinstance(form.get("name"), str) and form["name"].strip()
    assert isinstance(form.get("description"), str) and form["description"].strip()
    body = form.get("body")
    assert isinstance(body, list) and body
    ids, labels = [], []
    for item in body:
        assert isinstance(item, dict)
        assert item.get("type") in FIELD_TYPES, item
        attributes = item.get("attributes")
        assert isinstance(attributes, dict), item
        if item["type"] == "markdown":
            assert isinstance(attributes.get("value"), str) and attributes["value"].strip()
            continue
        assert isinstance(item.get("id"), str) and re.fullmatch(r"[A-Za-z0-9_-]+", item["id"]), item
        assert isinstance(attributes.get("label"), str) and attributes["label"].strip(), item
        if item["type"] == "dropdown":
            assert attributes.get("options"), item
        required = item.get("validations", {}).get("required", False)
        assert isinstance(required, bool), item
        ids.append(item["id"])
        labels.append(attributes["label"])
    assert ids, "an issue form needs at least one field that is not markdown"
    assert len(ids) == len(set(ids)), f"duplicate ids in {name}"
    assert len(labels) == len(set(labels)), f"duplicate labels in {name}"


def test_submit_allegation_form() -> None:
    form = load_form("submit-allegation.yml")
    assert form["name"] == "Submit an allegation"
    fields = form_fields(form)
    assert set(fields) == {"claimant", "accused", "allegation", "when-where", "sources", "archives", "response", "other"}
    assert fields["sources"]["validations"]["required"] is True


def test_report_error_form() -> None:
    form = load_form("report-error.yml")
    assert form["name"] == "Report an error"
    fields = form_fields(form)
    assert set(fields) == {"claim", "error", "correction", "contact"}
    assert fields["claim"]["validations"]["required"] is True
    assert fields["contact"].get("validations", {}).get("required", False) is False


def test_issue_template_config() -> None:
    config = yaml.safe_load((ISSUE_TEMPLATES / "config.yml").read_text(encoding="utf-8"))
    assert config["blank_issues_enabled"] is True


# --- pre-commit -----------------------------------------------------------------------------------

HOOKS = {
    "claimpress-check": ("build_claims.py check", False),
    "claimpress-fmt": ("build_claims.py fmt --check", True),
}


def check_hooks(hooks: list, python: str) -> None:
    assert isinstance(hooks, list)
    by_id = {hook["id"]: hook for hook in hooks}
    assert set(by_id) == set(HOOKS)
    for hook_id, (command, pass_filenames) in HOOKS.items():
        hook = by_id[hook_id]
        assert hook["entry"] == f"{python} {command}", hook
        assert hook["language"] == "system", hook
        assert hook["files"] == CLAIM_FILES, hook
        assert hook["pass_filenames"] is pass_filenames, hook
        assert isinstance(hook.get("name"), str) and hook["name"].strip(), hook


def test_pre_commit_hooks_offered() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    check_hooks(hooks, "python")


def test_pre_commit_config() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    local = [repo for repo in config["repos"] if repo["repo"] == "local"]
    assert len(local) == 1
    check_hooks(local[0]["hooks"], ".venv/bin/python")


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        ("claims/us-white-phosphorus-hajin-2018.md", True),
        ("claims/parties.yml", True),
        ("docs/index.md", False),
        ("claims/notes.txt", False),
        ("tests/fixtures/project/claims/a.md", False),
    ],
)
def test_hook_files_pattern(path: str, matches: bool) -> None:
    assert bool(re.search(CLAIM_FILES, path)) is matches


# --- pull-request template ------------------------------------------------------------------------


def test_pull_request_template() -> None:
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    lowered = text.lower()
    for word in ["archive_url", "responses", "verdict", "methodology", "word for word", "inferred", "null", "updates"]:
        assert word in lowered, word
    assert "python build_claims.py check" in text
    assert text.count("- [ ]") >= 8


def test_pages_workflow_warns_about_a_site_larger_than_pages_publishes(tmp_path: Path) -> None:
    """The size step, run as the workflow runs it (bash), over a site just under and just over 1 GiB
    (sparse files: du -b counts their length, and they take no disk)."""
    workflow = load_workflow("pages.yml")
    script = next(s for s in steps(workflow) if "du -sb site" in s.get("run", ""))["run"]
    site = tmp_path / "site"
    site.mkdir()
    big = site / "claims.json"
    for length, warned in ((1_000_000_000, False), (1_200_000_000, True)):
        with big.open("wb") as handle:
            handle.truncate(length)
        done = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert ("::warning::site/ is 1144 MiB" in done.stdout) is warned, done.stdout
