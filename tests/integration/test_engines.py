"""Two engines: MkDocs and ProperDocs (its maintained fork) build the same site from one project,
the flag or mkdocs.yml chooses between them, and one that cannot run is refused in one line."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from importlib.metadata import version
from pathlib import Path

import pytest
from conftest import REPO
from sitebuild import fixture_project, set_setting, snapshot

MATERIAL = version("mkdocs-material")
# The one thing the engine writes into the site: the theme's generator tag, in the <head> of each
# page that it renders. ProperDocs gives the theme "ProperDocs <version>" as `mkdocs_version`.
GENERATOR = {
    "mkdocs": f'<meta name="generator" content="mkdocs-{version("mkdocs")}, mkdocs-material-{MATERIAL}">'.encode(),
    "properdocs": f'<meta name="generator" content="mkdocs-ProperDocs {version("properdocs")}, '
                  f'mkdocs-material-{MATERIAL}">'.encode(),
}


def _claimpress(root: Path, *args: str, python: list[str] | None = None,
                timeout: float = 300) -> subprocess.CompletedProcess:
    # A time limit: a `serve` that was not refused would run until stopped.
    return subprocess.run([*(python or [sys.executable]), str(REPO / "build_claims.py"), *args], cwd=root,
                          capture_output=True, text=True, timeout=timeout)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _built_by(site: Path) -> str:
    """Which engine built the site, from the generator tag of its home page."""
    page = (site / "index.html").read_bytes()
    found = [engine for engine, tag in GENERATOR.items() if tag in page]
    assert len(found) == 1, page[:2000]
    return found[0]


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture project built twice, each in a copy of its own: by default, and with --engine properdocs."""
    sites = {}
    for engine, flag in (("mkdocs", ()), ("properdocs", ("--engine", "properdocs"))):
        root = fixture_project(tmp_path_factory.mktemp(engine))
        done = _claimpress(root, "build", *flag)
        assert done.returncode == 0, done.stderr[-3000:]
        sites[engine] = root / "site"
    return sites


def test_both_engines_build_the_same_site_but_for_the_generator_tag(two_sites: dict[str, Path]) -> None:
    made = {engine: snapshot(site) for engine, site in two_sites.items()}
    assert _built_by(two_sites["mkdocs"]) == "mkdocs" and _built_by(two_sites["properdocs"]) == "properdocs"
    mkdocs, properdocs = made["mkdocs"], made["properdocs"]
    assert sorted(mkdocs) == sorted(properdocs)
    differ = {path for path in mkdocs if mkdocs[path] != properdocs[path]}
    # Exactly the pages the theme rendered differ (every page, and 404.html), each by its tag, once;
    # nothing else: not the search index, the sitemap, the feeds, the datasets or the assets.
    rendered = {path for path, data in mkdocs.items() if path.endswith(".html") and b'<meta name="generator"' in data}
    assert differ == rendered
    assert {"index.html", "404.html", "claims/valid-full/index.html", "search/index.html"} <= differ
    for path in sorted(differ):
        assert mkdocs[path].count(GENERATOR["mkdocs"]) == 1, path
        assert mkdocs[path].replace(GENERATOR["mkdocs"], GENERATOR["properdocs"]) == properdocs[path], path
    same = set(mkdocs) - differ
    assert any(p.startswith("pagefind/") for p in same) and "sitemap.xml" in same


def test_mkdocs_yml_chooses_the_engine_and_the_flag_wins(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    set_setting(root, "engine", "properdocs")
    done = _claimpress(root, "build")
    assert done.returncode == 0, done.stderr[-3000:]
    assert _built_by(root / "site") == "properdocs"
    done = _claimpress(root, "build", "--engine", "mkdocs")
    assert done.returncode == 0, done.stderr[-3000:]
    assert _built_by(root / "site") == "mkdocs"


# Runs the command line with `engine` missing from the Python that runs it, as in an environment
# where it was never installed (import finds nothing by that name).
WITHOUT = "import os, runpy, sys; sys.modules[sys.argv.pop(1)] = None; sys.argv.pop(0); " \
          "sys.path.insert(0, os.path.dirname(sys.argv[0])); runpy.run_path(sys.argv[0], run_name='__main__')"


@pytest.mark.parametrize("engine, name", [("properdocs", "ProperDocs"), ("mkdocs", "MkDocs")])
@pytest.mark.parametrize("chosen_by", ["flag", "mkdocs.yml"])
def test_an_engine_that_is_not_installed_is_refused_in_one_line(tmp_path: Path, engine: str, name: str,
                                                                 chosen_by: str) -> None:
    root = fixture_project(tmp_path / "p")
    if chosen_by == "mkdocs.yml":
        set_setting(root, "engine", engine)
    flag = ("--engine", engine) if chosen_by == "flag" else ()
    done = _claimpress(root, "build", *flag, python=[sys.executable, "-c", WITHOUT, engine])
    assert done.returncode == 2, done.stderr[-3000:]
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith(f"build_claims.py build: error: {name} is not installed in "), done.stderr
    assert "pip install -r requirements.txt" in done.stderr
    # Refused before anything was made: no page generated, no site.
    assert not (root / "docs" / "claims").exists() and not (root / "site").exists()


def test_an_engine_that_is_not_installed_is_refused_by_serve_too(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    done = _claimpress(root, "serve", "--engine", "properdocs", "--dev-addr", f"127.0.0.1:{_free_port()}",
                       python=[sys.executable, "-c", WITHOUT, "properdocs"], timeout=60)
    assert done.returncode == 2, done.stderr[-3000:]
    assert done.stderr == f"build_claims.py serve: error: ProperDocs is not installed in {sys.executable}; install " \
                          "the pinned requirements (pip install -r requirements.txt), which include it\n"


def test_an_engine_claimpress_does_not_run_is_refused_by_name(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    set_setting(root, "engine", "zensical")
    done = _claimpress(root, "build")
    assert done.returncode == 2
    assert done.stderr == "build_claims.py build: error: mkdocs.yml: extra.claimpress.engine: 'zensical' is not an " \
                          "engine claimpress runs; write one of: mkdocs, properdocs\n"
    assert not (root / "docs" / "claims").exists()
    done = _claimpress(root, "build", "--engine", "zensical")  # the flag is argparse's: its own usage error
    assert done.returncode == 2 and "invalid choice: 'zensical'" in done.stderr


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode()
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in (_get(url) or ""):
            return True
        time.sleep(0.1)
    return False


def test_serve_with_properdocs_refreshes_after_a_save_and_stops_cleanly(tmp_path: Path) -> None:
    """The preview's dirty rebuilds under ProperDocs: its warning that a build is dirty must not
    fail them (the site is `strict`), as it must not under MkDocs (mkdocs_hooks.on_startup)."""
    root = fixture_project(tmp_path / "p")
    port = _free_port()
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, str(REPO / "build_claims.py"), "serve", "--engine", "properdocs",
                                    "--dev-addr", f"127.0.0.1:{port}"], cwd=root, stdout=output,
                                   stderr=subprocess.STDOUT, env={**os.environ, "TMPDIR": str(temporary)})
    try:
        url = f"http://127.0.0.1:{port}/claims/valid-minimal/"
        assert _wait_for(url, "only the required fields", 60), log.read_text()
        assert GENERATOR["properdocs"].decode() in (_get(url) or "")
        claim = root / "claims" / "valid-minimal.md"
        time.sleep(1)
        claim.write_text(claim.read_text().replace("only the required fields", "a title saved while serving"))
        assert _wait_for(url, "a title saved while serving", 30), log.read_text()
        assert "Aborted" not in log.read_text()
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert not list(temporary.iterdir()), log.read_text()  # ProperDocs deleted the site it served
