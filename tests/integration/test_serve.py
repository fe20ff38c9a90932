"""`serve`: a live preview that refreshes after a save, and keeps the last good site on a bad one."""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from sitebuild import fixture_project, set_setting


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode()
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        body = _get(url)
        if body and text in body:
            return time.monotonic() - start
        time.sleep(0.1)
    return None


def _logged(log: Path, text: str, seconds: float) -> bool:
    """Whether `text` is in the log file within `seconds`."""
    deadline = time.monotonic() + seconds
    while text not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    return text in log.read_text()


def _searchable_pages(home: str) -> int:
    """How many pages the served site has that Pagefind indexes, from its sitemap."""
    sitemap = _get(f"{home}sitemap.xml") or ""
    pages = [_get(home + url.split("/", 3)[3]) for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    return sum(1 for page in pages if page and "<div data-pagefind-body>" in page)


def _indexed_pages(home: str) -> int | None:
    """How many pages the preview's search index holds (its parts merged); None while it is being made."""
    try:
        json.loads(_get(f"{home}pagefind/claimpress-languages.json") or "")  # written once the bundle is whole
        entry = json.loads(_get(f"{home}pagefind/pagefind-entry.json") or "")
    except ValueError:
        return None
    return entry["languages"]["en"]["page_count"]


def _preview(root: Path, port: int, temporary: Path, output: Any, env: dict[str, str] | None = None,
             **popen: Any) -> subprocess.Popen:
    """`serve` on `port`, with MkDocs building its site into `temporary` (TMPDIR), and `env` added
    to the environment."""
    temporary.mkdir()
    return subprocess.Popen([sys.executable, str(REPO / "build_claims.py"), "serve", "--dev-addr",
                             f"127.0.0.1:{port}"], cwd=root, stdout=output, stderr=subprocess.STDOUT,
                            env={**os.environ, "TMPDIR": str(temporary), **(env or {})}, **popen)


def _assert_stopped_cleanly(port: int, temporary: Path) -> None:
    """Stopping the preview stopped MkDocs with it: nothing is left listening, and MkDocs deleted
    the site it built into a temporary folder (2 GB at 50,000 claims)."""
    assert not list(temporary.iterdir())
    deadline = time.monotonic() + 10
    while _get(f"http://127.0.0.1:{port}/") is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _get(f"http://127.0.0.1:{port}/") is None


def test_serve_refreshes_after_a_save_and_survives_a_bad_edit(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    # The search index in parts of 3 pages, as a large site's: a dirty rebuild must still index
    # the pages it did not rebuild.
    set_setting(root, "pages_per_search_index", 3)
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+")
    temporary = tmp_path / "tmp"
    process = _preview(root, port, temporary, log)
    try:
        url = f"http://127.0.0.1:{port}/claims/valid-minimal/"
        assert _wait_for(url, "only the required fields", 60) is not None, (tmp_path / "serve.log").read_text()
        claim = root / "claims" / "valid-minimal.md"
        original = claim.read_text()
        time.sleep(1)
        claim.write_text(original.replace("only the required fields", "a title saved while serving"))
        took = _wait_for(url, "a title saved while serving", 20)
        assert took is not None, (tmp_path / "serve.log").read_text()
        print(f"refreshed {took:.2f} s after the save")
        # The preview rebuilds only what changed (mkdocs serve --dirty); the home page, which
        # includes the generated list of latest claims, is rebuilt too.
        home = f"http://127.0.0.1:{port}/"
        assert _wait_for(home, "a title saved while serving", 20) is not None, (tmp_path / "serve.log").read_text()
        # The search index is made beside the preview, and is served once Pagefind is done. The
        # first build indexes every part; the save, only the parts that hold the pages it changed.
        assert _wait_for(f"{home}pagefind/pagefind-entry.json", '"languages"', 60) is not None
        indexing = [(int(a), int(b)) for a, b in re.findall(r"search index: (\d+) of (\d+) part\(s\) to index",
                                                            (tmp_path / "serve.log").read_text())]
        assert len(indexing) >= 2 and indexing[0][0] == indexing[0][1] >= 3, indexing
        assert 1 <= indexing[-1][0] < indexing[-1][1], indexing
        # A claim deleted while serving leaves the preview: its page, and its place in the lists.
        gone = next(p for p in sorted((root / "claims").glob("*.md")) if p.name != "valid-minimal.md")
        gone_url = f"http://127.0.0.1:{port}/claims/{gone.stem}/"
        assert _get(gone_url) is not None and f"claims/{gone.stem}/" in (_get(home) or "")
        gone.unlink()
        deadline = time.monotonic() + 20
        while _get(gone_url) is not None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _get(gone_url) is None, (tmp_path / "serve.log").read_text()
        assert f"claims/{gone.stem}/" not in (_get(home) or "")
        searchable = _searchable_pages(home)
        assert searchable >= 6  # the claims left and the hand-written pages
        deadline = time.monotonic() + 60
        while _indexed_pages(home) != searchable and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _indexed_pages(home) == searchable, (tmp_path / "serve.log").read_text()
        deadline = time.monotonic() + 10
        while "part(s) indexed beside the preview in" not in (tmp_path / "serve.log").read_text() \
                and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "part(s) indexed beside the preview in" in (tmp_path / "serve.log").read_text()
        # An invalid edit: diagnostics in the terminal, the last good page still served.
        claim.write_text(original.replace("status: unverified", "status: unverifed"))
        deadline = time.monotonic() + 20
        while "unknown-rating" not in (tmp_path / "serve.log").read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "did you mean 'unverified'?" in (tmp_path / "serve.log").read_text()
        time.sleep(2)
        assert "a title saved while serving" in (_get(url) or "")
        assert any(temporary.iterdir())  # the served site, built there
    finally:
        process.terminate()
        process.wait(timeout=180)  # longer than the preview waits for MkDocs
        log.close()
    _assert_stopped_cleanly(port, temporary)  # stopped as a service manager stops it: SIGTERM


@pytest.mark.parametrize("poll", [False, True], ids=["inotify", "CLAIMPRESS_POLL"])
def test_the_preview_watches_claims_again_after_it_is_removed_and_comes_back(tmp_path: Path, poll: bool) -> None:
    """claims/ deleted and made again (`rm -r`, a `git stash`): the preview's watch ended with the
    folder, and it regenerated nothing more and said nothing. Now it says the folder is gone, and
    when it is back, watches it again and regenerates."""
    root = fixture_project(tmp_path / "p")
    port = _free_port()
    log_path = tmp_path / "serve.log"
    log = log_path.open("w+")
    temporary = tmp_path / "tmp"
    process = _preview(root, port, temporary, log, env={"CLAIMPRESS_POLL": "1"} if poll else None)
    try:
        url = f"http://127.0.0.1:{port}/claims/valid-minimal/"
        assert _wait_for(url, "only the required fields", 60) is not None, log_path.read_text()
        saved = tmp_path / "saved"
        shutil.copytree(root / "claims", saved)
        claim = saved / "valid-minimal.md"
        claim.write_text(claim.read_text().replace("only the required fields", "a title after claims came back"))
        shutil.rmtree(root / "claims")
        assert _logged(log_path, "claims/ was removed; waiting for it to come back", 20)
        shutil.copytree(saved, root / "claims")
        assert _wait_for(url, "a title after claims came back", 30) is not None, log_path.read_text()[-3000:]
        # (Polled, the new folder's files may be seen before the folder is: the message can come later.)
        assert _logged(log_path, "claims/ is back; watching it again", 20), log_path.read_text()[-3000:]
        # And it is watched again: a save there still refreshes the page.
        claim = root / "claims" / "valid-minimal.md"
        time.sleep(1)
        claim.write_text(claim.read_text().replace("a title after claims came back", "a save in the new folder"))
        assert _wait_for(url, "a save in the new folder", 30) is not None, log_path.read_text()[-3000:]
    finally:
        process.terminate()
        process.wait(timeout=180)
        log.close()
    _assert_stopped_cleanly(port, temporary)


def test_saves_during_a_generation_wait_for_it(tmp_path: Path, capsys) -> None:
    """The preview's watcher regenerates after each save; a save while it is generating must not
    start a second generation beside the first (two writers over the same files)."""
    import threading

    from claimpress.cache import Remembered
    from claimpress.preview_problems import PreviewProblems
    from claimpress.serve import _Regenerate

    root = fixture_project(tmp_path / "p")
    handler = _Regenerate(root, Remembered(), PreviewProblems(tmp_path))
    runs = [threading.Thread(target=handler.run) for _ in range(3)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    lines = [line for line in capsys.readouterr().err.splitlines()
             if line.startswith("[claimpress] change seen") or line.startswith("docs/:")]
    assert [line.startswith("docs/:") for line in lines] == [False, True] * 3, lines


def test_the_preview_indexes_search_at_the_lowest_priority() -> None:
    """Pagefind runs beside the preview after each rebuild; it must yield the cores to the next
    save's generation (claimpress/search/parts.py low_priority)."""
    from claimpress.search.parts import low_priority

    if not shutil.which("nice"):
        pytest.skip("no nice command on this system")
    done = subprocess.run(low_priority([sys.executable, "-c", "import os; print(os.nice(0))"]),
                          capture_output=True, text=True, check=True)
    assert int(done.stdout) == 19


SAVE_DURING_BUILD = '''
import os


def on_env(env, config, files):
    """Between MkDocs' reading of the pages and its writing of them: a save, as when claimpress
    regenerates docs/ while the preview rebuilds."""
    page = os.path.join(config["docs_dir"], "claims", "valid-full.md")
    with open(page, encoding="utf-8") as handle:
        text = handle.read()
    with open(page, "w", encoding="utf-8") as handle:
        handle.write(text)
    return env
'''


def test_a_page_saved_during_a_dirty_rebuild_waits_for_the_next(tmp_path: Path) -> None:
    """A dirty build decides twice whether a page changed; a page saved between the two was not read
    but would be written with no content, and the rebuild (the preview) would fail."""
    from sitebuild import build

    root = fixture_project(tmp_path / "p")
    assert build(root).returncode == 0
    (root / "save_during_build.py").write_text(SAVE_DURING_BUILD)
    config = root / "mkdocs.yml"
    assert "\nhooks:" not in config.read_text()
    config.write_text(config.read_text() + "hooks:\n  - save_during_build.py\n")  # MkDocs' own hooks, beside the plugin
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--dirty", "--site-dir", str(root / "site")],
                          cwd=root, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    again = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--dirty", "--site-dir", str(root / "site")],
                           cwd=root, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert again.returncode == 0, again.stderr[-3000:]  # the next rebuild takes the saved page
    page = root / "site" / "claims" / "valid-full" / "index.html"
    assert "Example allegation that uses every field" in page.read_text()


def test_interrupting_the_preview_stops_mkdocs_and_leaves_no_site_behind(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the preview alone, as an editor's stop button sends it): MkDocs stops
    too, and deletes the site it built in a temporary folder."""
    import signal

    root = fixture_project(tmp_path / "p")
    port = _free_port()
    temporary = tmp_path / "tmp"
    process = _preview(root, port, temporary, subprocess.DEVNULL)
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/claims/valid-minimal/", "only the required fields", 60) is not None
        assert any(temporary.iterdir())
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=180) == 0
    finally:
        _kill_if_running(process, [])
    _assert_stopped_cleanly(port, temporary)


def _children(pid: int) -> list[int]:
    with contextlib.suppress(OSError):
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return []


def _mkdocs_of(preview: subprocess.Popen) -> list[int]:
    found = []
    for pid in _children(preview.pid):
        with contextlib.suppress(OSError):  # gone meanwhile
            if b"mkdocs" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
    return found


def _kill_if_running(preview: subprocess.Popen, mkdocs: list[int]) -> None:
    """After a test that failed to stop the preview: kill it, and MkDocs, which runs in a session
    of its own and would outlive it."""
    import signal

    if preview.poll() is None:
        mkdocs = mkdocs or _mkdocs_of(preview)
        preview.kill()
        for pid in mkdocs:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists(),
                    reason="Linux: finds MkDocs' process in /proc")
def test_a_service_manager_stopping_every_process_leaves_no_site_behind(tmp_path: Path) -> None:
    """systemd's default stop (KillMode=control-group) sends SIGTERM to the preview and to MkDocs
    at once, and the preview then passes a Ctrl-C on: MkDocs still deletes its temporary site."""
    import signal

    root = fixture_project(tmp_path / "p")
    port = _free_port()
    temporary = tmp_path / "tmp"
    process = _preview(root, port, temporary, subprocess.DEVNULL)
    mkdocs: list[int] = []
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/claims/valid-minimal/", "only the required fields", 60) is not None
        assert any(temporary.iterdir())
        mkdocs = _mkdocs_of(process)
        assert len(mkdocs) == 1
        os.kill(mkdocs[0], signal.SIGTERM)
        process.send_signal(signal.SIGTERM)
        # Both signals heard as one stop: a second interrupt in MkDocs' clean-up hangs it until
        # the preview kills it (after 120 s).
        assert process.wait(timeout=60) == 0
    finally:
        _kill_if_running(process, mkdocs)
    _assert_stopped_cleanly(port, temporary)


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGHUP"), reason="POSIX signals")
def test_plain_mkdocs_serve_stops_cleanly_on_sigterm_and_keeps_an_ignored_sighup(tmp_path: Path) -> None:
    """`mkdocs serve` of a claimpress project, run by hand or by a service: SIGTERM stops it as
    Ctrl-C does (its temporary site deleted); under `nohup`, SIGHUP stays ignored."""
    import signal

    from claimpress.build import generate

    root = fixture_project(tmp_path / "p")
    assert generate(root).changes is not None
    port = _free_port()
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                               env={**os.environ, "TMPDIR": str(temporary), "NO_MKDOCS_2_WARNING": "1"},
                               preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))  # as nohup does
    try:
        url = f"http://127.0.0.1:{port}/claims/valid-minimal/"
        assert _wait_for(url, "only the required fields", 60) is not None
        assert any(temporary.iterdir())
        process.send_signal(signal.SIGHUP)
        time.sleep(3)
        assert process.poll() is None and _get(url) is not None
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    _assert_stopped_cleanly(port, temporary)


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGHUP"), reason="POSIX signals")
def test_a_preview_started_in_the_background_still_stops_mkdocs_cleanly(tmp_path: Path) -> None:
    """A shell script's `build_claims.py serve &` starts the preview with SIGINT ignored (and
    `nohup`, SIGHUP): MkDocs must not inherit the first, or it would ignore the Ctrl-C the preview
    sends it, be killed after 120 s and leave its temporary site. SIGHUP stays ignored."""
    import signal

    def as_a_background_job() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    root = fixture_project(tmp_path / "p")
    port = _free_port()
    temporary = tmp_path / "tmp"
    process = _preview(root, port, temporary, subprocess.DEVNULL, preexec_fn=as_a_background_job)
    mkdocs: list[int] = []
    try:
        url = f"http://127.0.0.1:{port}/claims/valid-minimal/"
        assert _wait_for(url, "only the required fields", 60) is not None
        mkdocs = _mkdocs_of(process)
        process.send_signal(signal.SIGHUP)
        time.sleep(2)
        assert process.poll() is None and _get(url) is not None
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        _kill_if_running(process, mkdocs)
    _assert_stopped_cleanly(port, temporary)


def _inotify_watched_inodes(pid: int) -> set[int]:
    """The inodes that process `pid` watches by inotify, from /proc (Linux)."""
    inodes: set[int] = set()
    for info in Path(f"/proc/{pid}/fdinfo").iterdir():
        with contextlib.suppress(OSError):
            inodes.update(int(ino, 16) for ino in re.findall(r"^inotify wd:\S+ ino:([0-9a-f]+)", info.read_text(), re.M))
    return inodes


@pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="reads inotify watches from Linux's /proc")
def test_mkdocs_serve_hears_of_docs_changes_from_the_kernel_and_not_of_reads(tmp_path: Path) -> None:
    """`mkdocs serve` polls every watched file twice a second: half a core, all the time, with
    50,000 claim pages in docs/. The plugin gives docs/ to inotify (on_serve). A write must still
    rebuild the page; reading the pages (as a build does) must not start a rebuild, or the preview
    would rebuild for ever; and mkdocs.yml stays watched (by polling)."""
    from claimpress.build import generate

    root = fixture_project(tmp_path / "p")
    assert generate(root).changes is not None
    port = _free_port()
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    log_path = tmp_path / "mkdocs.log"
    with log_path.open("w") as log:
        process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr",
                                    f"127.0.0.1:{port}"], cwd=root, stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, "TMPDIR": str(temporary), "NO_MKDOCS_2_WARNING": "1"})
    try:
        url = f"http://127.0.0.1:{port}/claims/valid-minimal/"
        assert _wait_for(url, "only the required fields", 60) is not None, log_path.read_text()

        watched = _inotify_watched_inodes(process.pid)
        assert (root / "docs").stat().st_ino in watched
        assert (root / "docs" / "claims").stat().st_ino in watched
        def changes_seen() -> int:
            return log_path.read_text().count("Detected file changes")

        time.sleep(1)
        before = changes_seen()
        for page in sorted((root / "docs").rglob("*")):
            if page.is_file():
                page.read_bytes()
        time.sleep(2)
        assert changes_seen() == before, log_path.read_text()[-3000:]
        page = root / "docs" / "claims" / "valid-minimal.md"
        page.write_text(page.read_text().replace("only the required fields", "a page written while serving"))
        assert _wait_for(url, "a page written while serving", 20) is not None, log_path.read_text()[-3000:]
        time.sleep(1)
        before = changes_seen()
        config = root / "mkdocs.yml"
        config.write_text(config.read_text() + "\n")  # still polled: a change to it rebuilds too
        deadline = time.monotonic() + 20
        while changes_seen() == before and time.monotonic() < deadline:
            time.sleep(0.2)
        assert changes_seen() > before, log_path.read_text()[-3000:]
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    _assert_stopped_cleanly(port, temporary)


def _served(tmp_path: Path) -> tuple[Any, Path, Path]:
    """A LiveReloadServer as `mkdocs serve` makes it, watching a docs folder and a config file."""
    from mkdocs.livereload import LiveReloadServer

    docs, config = tmp_path / "docs", tmp_path / "mkdocs.yml"
    docs.mkdir()
    config.write_text("site_name: x\n")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=_free_port(), root=str(tmp_path))
    server.watch(str(docs))
    server.watch(str(config))
    return server, docs, config


def _polled(server: Any) -> list[str]:
    from watchdog.observers.polling import PollingObserver

    polling = server.observer if isinstance(server.observer, PollingObserver) else server.observer.polling
    return sorted(emitter.watch.path for emitter in polling.emitters)


@pytest.mark.skipif(sys.platform != "linux", reason="inotify is Linux's")
def test_on_serve_gives_docs_to_inotify_and_keeps_polling_the_rest(tmp_path: Path) -> None:
    from claimpress.mkdocs_plugin.watch import watch_docs_natively

    server, docs, config = _served(tmp_path)
    polled = _polled(server)
    assert str(docs) in polled and len(polled) == 2
    watch_docs_natively(server, str(docs), print)
    try:
        assert _polled(server) == [p for p in polled if p != str(docs)]  # the config file's watch
        assert [emitter.watch.path for emitter in server.observer.native.emitters] == [str(docs)]
        server.unwatch(str(docs))  # as a plugin may: from the observer that has it
        assert not server.observer.native.emitters and len(_polled(server)) == 1
    finally:
        server.observer.stop()
        server.server_close()


@pytest.mark.parametrize("how", ["the folder gone before it starts", "no inotify instance left", "CLAIMPRESS_POLL"])
def test_docs_stay_polled_when_the_kernel_cannot_watch_them(tmp_path: Path, monkeypatch, how: str) -> None:
    """If inotify cannot start (its limits reached), or CLAIMPRESS_POLL says not to use it (a
    network drive), the preview keeps MkDocs' polling rather than failing."""
    import errno

    from watchdog.observers.polling import PollingObserver

    from claimpress.mkdocs_plugin.watch import watch_docs_natively

    server, docs, config = _served(tmp_path)
    polling = server.observer
    polled = _polled(server)
    if how == "the folder gone before it starts":
        docs.rmdir()
    elif how == "no inotify instance left":
        import watchdog.observers.inotify as inotify

        def no_instance(self, **_: Any) -> None:
            raise OSError(errno.EMFILE, "inotify instance limit reached")

        monkeypatch.setattr(inotify.InotifyObserver, "__init__", no_instance)
    else:
        monkeypatch.setenv("CLAIMPRESS_POLL", "1")
    watch_docs_natively(server, str(docs), print)
    assert server.observer is polling and isinstance(polling, PollingObserver)
    assert _polled(server) == polled and str(docs) in polled
    server.server_close()


@pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="reads inotify watches from Linux's /proc")
def test_claimpress_poll_makes_the_whole_preview_poll(tmp_path: Path) -> None:
    """Where edits made from elsewhere send no notification (a network drive, a Windows drive
    under WSL2), CLAIMPRESS_POLL=1 makes the preview and MkDocs poll: no inotify watch, and a save
    still refreshes the page."""
    root = fixture_project(tmp_path / "p")
    port = _free_port()
    temporary = tmp_path / "tmp"
    process = _preview(root, port, temporary, subprocess.DEVNULL, env={"CLAIMPRESS_POLL": "1"})
    mkdocs: list[int] = []
    try:
        url = f"http://127.0.0.1:{port}/claims/valid-minimal/"
        assert _wait_for(url, "only the required fields", 60) is not None
        mkdocs = _mkdocs_of(process)
        assert mkdocs and not _inotify_watched_inodes(process.pid)
        assert not any(_inotify_watched_inodes(pid) for pid in mkdocs)
        claim = root / "claims" / "valid-minimal.md"
        time.sleep(1)
        claim.write_text(claim.read_text().replace("only the required fields", "a title saved while polling"))
        assert _wait_for(url, "a title saved while polling", 30) is not None
    finally:
        process.terminate()
        process.wait(timeout=180)
        _kill_if_running(process, mkdocs)
    _assert_stopped_cleanly(port, temporary)


class _Cycle:
    """Garbage that only the cycle collector frees: an object that refers to itself."""

    def __init__(self) -> None:
        self.me = self


def _cycle_that_is_garbage() -> Any:
    import weakref

    return weakref.ref(_Cycle())


def test_the_idle_collector_is_off_during_a_build_and_collects_once_idle() -> None:
    """IdleCollector (claimpress/mkdocs_plugin/preview.py): no collection during a preview's rebuild; what
    the build left is collected once, `delay` seconds after it, or at the start of the next build."""
    import gc

    from claimpress.mkdocs_plugin.preview import IdleCollector

    collector = IdleCollector(delay=0.5)
    try:
        collector.pause()
        assert not gc.isenabled()
        during = _cycle_that_is_garbage()
        kept = [[] for _ in range(10_000)]  # allocations that would set off the collector if it were on
        assert during() is not None
        collector.resume()
        # Not yet, nor the moment allocations follow (the rest of the build's last step): the
        # browser is fetching its page.
        kept += [[] for _ in range(10_000)]
        assert not gc.isenabled() and during() is not None
        deadline = time.monotonic() + 10
        while (during() is not None or not gc.isenabled()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert during() is None and gc.isenabled()  # collected once idle, and on again
        # A build that starts before the idle collection collects first, then pauses; the timer,
        # cancelled or late, turns nothing on.
        collector.resume()
        collector.resume()  # as a strict build that fails after its last step calls it
        left = _cycle_that_is_garbage()
        collector.pause()
        assert left() is None and not gc.isenabled()
        time.sleep(1)
        assert not gc.isenabled()
        collector.resume()
        collector.stop()  # the preview ends before the idle collection
        assert gc.isenabled()
        time.sleep(1)
        assert gc.isenabled()
    finally:
        if collector.timer is not None:
            collector.timer.cancel()
        gc.enable()


GC_DURING_BUILD = '''
import gc


def on_nav(nav, config, files):
    with open(config["docs_dir"] + "/../gc-during-build.txt", "a") as record:
        record.write(f"{gc.isenabled()}\\n")
    return nav
'''


def test_the_collector_is_off_while_the_preview_builds_and_not_in_a_build(tmp_path: Path) -> None:
    from claimpress.build import generate

    root = fixture_project(tmp_path / "p")
    assert generate(root).changes is not None
    (root / "gc_during_build.py").write_text(GC_DURING_BUILD)
    config = root / "mkdocs.yml"
    assert "\nhooks:" not in config.read_text()
    config.write_text(config.read_text() + "hooks:\n  - gc_during_build.py\n")  # MkDocs' own hooks, beside the plugin
    record = root / "gc-during-build.txt"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "site")], cwd=root,
                   capture_output=True, check=True, env=env)
    assert record.read_text() == "True\n"
    record.unlink()
    port = _free_port()
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
                               cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                               env={**env, "TMPDIR": str(temporary)})
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/claims/valid-minimal/", "only the required fields", 60) is not None
        assert record.read_text() == "False\n"
        process.terminate()  # the plugin takes it as a Ctrl-C: MkDocs deletes its temporary site
        assert process.wait(timeout=60) == 0
    finally:
        _kill_if_running(process, [])
    _assert_stopped_cleanly(port, temporary)


def test_a_regeneration_the_build_refuses_is_told_in_one_line_and_the_preview_goes_on(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A link put where the generation writes (docs/data) is refused; in the preview that was a
    traceback from its watcher thread. It is one line, and the next good save regenerates."""
    from sitebuild import fixture_project

    from claimpress.cache import Remembered
    from claimpress.preview_problems import PreviewProblems
    from claimpress.serve import _Regenerate

    root = fixture_project(tmp_path / "p")
    regenerate = _Regenerate(root, Remembered(), PreviewProblems(tmp_path))
    regenerate.run()
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(root / "docs" / "data")
    (root / "docs" / "data").symlink_to(outside)
    (root / "claims" / "valid-minimal.md").write_text(
        (root / "claims" / "valid-minimal.md").read_text().replace("only the required fields", "a new title"))
    capsys.readouterr()
    regenerate.run()
    err = capsys.readouterr().err
    assert "[claimpress] not regenerated: docs/data is a symbolic link" in err and "Traceback" not in err
    assert list(outside.iterdir()) == []
    (root / "docs" / "data").unlink()
    regenerate.run()
    assert "a new title" in (root / "docs" / "claims" / "valid-minimal.md").read_text()
