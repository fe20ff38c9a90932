"""Live preview: `mkdocs serve` on docs/, and a watcher that regenerates docs/ when a claim,
a registry or a template is saved.

MkDocs itself watches only docs/ and mkdocs.yml, so the two never loop: a saved claim makes this
process rewrite the few generated pages that changed, and MkDocs reloads the browser for those.
An invalid edit prints what changed among its diagnostics and writes nothing, so the last good site
stays served, with the errors listed on every page (preview_problems.py).
A watch ends with its folder, so the project folder itself is watched too: when claims/ or
templates/ is removed and comes back (`rm -r`, a `git stash`, a move), it is watched again.
"""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from .build import generate
from .cache import Remembered
from .engine import MKDOCS, Engine
from .guard import environment_failure
from .machine import watch_by_polling
from .preview_problems import PROBLEMS_FILE, PreviewProblems
from .signals import ctrl_c_for_children, stop_as_ctrl_c

DEBOUNCE = 0.2  # seconds of quiet after a save before regenerating: editors write in several steps
WATCHED = ("claims", "templates")  # what the pages are made from (MkDocs watches docs/ and mkdocs.yml)


class _Regenerate(FileSystemEventHandler):
    def __init__(self, root: Path, remembered: Remembered, problems: PreviewProblems) -> None:
        self.root = root
        self.remembered = remembered  # what each generation leaves for the next
        self.problems = problems      # what the terminal and the browser were last told
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()
        # One generation at a time: a save during one (they take seconds at 10,000 claims) starts
        # the next when it ends, instead of a second writer racing it over the same files.
        self.generating = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or Path(str(event.src_path)).name.startswith("."):
            return
        self.soon()

    def soon(self) -> None:
        """Regenerate once no change has come for DEBOUNCE seconds."""
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
            self.timer = threading.Timer(DEBOUNCE, self.run)
            self.timer.daemon = True
            self.timer.start()

    def run(self) -> None:
        with self.lock:
            self.timer = None
        with self.generating:
            if not all((self.root / folder).is_dir() for folder in WATCHED):
                return  # removed: _Rewatch has said so, and regenerates when it is back
            print(f"\n[claimpress] change seen at {time.strftime('%H:%M:%S')}; regenerating", file=sys.stderr)
            try:
                generate(self.root, remembered=self.remembered, report=self.problems)
            except Exception as exc:  # the preview goes on: the next save may put it right
                failure = environment_failure(exc)  # a link refused, a full disk: said in one line
                if failure is None and os.environ.get("CLAIMPRESS_DEBUG"):
                    raise
                print(f"[claimpress] not regenerated: {failure[0] if failure else f'internal error: {exc!r}'}; "
                      "the preview keeps the last good site", file=sys.stderr)
            self.problems.publish()  # once the pages are written: the notice goes with the old site


class _Rewatch(FileSystemEventHandler):
    """Watches the project folder (not what is in it) for claims/ and templates/ leaving and coming
    back. A folder's watch ends when it is deleted (inotify's follows the folder if it is moved), and
    a new folder of the same name would go unwatched: each that comes back is watched anew, and
    regenerated."""

    def __init__(self, root: Path, observer: BaseObserver, regenerate: _Regenerate) -> None:
        self.root, self.observer, self.regenerate = root, observer, regenerate
        self.watches: dict[str, ObservedWatch] = {}

    def arm(self, folder: str) -> bool:
        """Watch root/folder from now on, in place of any earlier watch; False if it is not there."""
        old = self.watches.pop(folder, None)
        if old is not None:
            with contextlib.suppress(KeyError):  # unscheduled already
                self.observer.unschedule(old)
        try:
            self.watches[folder] = self.observer.schedule(self.regenerate, str(self.root / folder), recursive=True)
        except OSError as exc:
            if (self.root / folder).is_dir():  # there, but not watchable (inotify's limits reached)
                print(f"[claimpress] cannot watch {folder}/: {exc.strerror or exc}; saves there go unseen until the "
                      "preview is restarted", file=sys.stderr)
            return False
        return True

    def on_any_event(self, event: FileSystemEvent) -> None:
        kind = event.event_type
        gone = [event.src_path] if kind in ("deleted", "moved") else []
        came = [event.src_path] if kind == "created" else [event.dest_path] if kind == "moved" else []
        for folder in filter(None, map(self._ours, gone)):
            print(f"\n[claimpress] {folder}/ was removed; waiting for it to come back", file=sys.stderr)
        for folder in filter(None, map(self._ours, came)):
            if self.arm(folder):
                print(f"\n[claimpress] {folder}/ is back; watching it again", file=sys.stderr)
                self.regenerate.soon()

    def _ours(self, path: bytes | str) -> str | None:
        """'claims' or 'templates' if `path` is that folder of the project, else None."""
        where = Path(os.fsdecode(path))
        return where.name if where.parent == self.root and where.name in WATCHED else None


def serve(root: Path, dev_addr: str = "127.0.0.1:8000", engine: Engine = MKDOCS) -> int:
    # The errors for the browser, in a folder of the preview's own (removed when it ends).
    with tempfile.TemporaryDirectory(prefix="claimpress-preview-") as folder:
        return _serve(root, dev_addr, engine, PreviewProblems(Path(folder)))


def _serve(root: Path, dev_addr: str, engine: Engine, problems: PreviewProblems) -> int:
    remembered = Remembered()
    # Even with errors: MkDocs serves what docs/ holds, and the terminal and every page say what is wrong.
    generate(root, remembered=remembered, report=problems)
    problems.publish()
    # The kernel's notifications; or polling, where edits made from elsewhere send none (a network
    # drive, a Windows drive under WSL2): CLAIMPRESS_POLL=1, which MkDocs' side heeds too (the plugin).
    observer = PollingObserver() if watch_by_polling() else Observer()
    handler = _Regenerate(root, remembered, problems)
    rewatch = _Rewatch(root, observer, handler)
    observer.schedule(rewatch, str(root), recursive=False)
    observer.start()
    for folder in WATCHED:  # once the observer runs: a folder that cannot be watched is reported, not fatal
        if not rewatch.arm(folder) and not (root / folder).is_dir():
            print(f"[claimpress] no {folder}/ folder; waiting for it", file=sys.stderr)
    # Stopped by a service manager, a test or a closed terminal: stop MkDocs too (finally, below).
    # (Not a signal ignored on purpose: under `nohup`, closing the terminal leaves the preview running.)
    stop_as_ctrl_c()
    # --dirty: a save rebuilds the pages whose files changed, not the whole site (seconds, not
    # minutes, at 10,000 claims); claimpress/mkdocs_plugin/ keeps such a rebuild right. In a
    # session of its own, MkDocs hears of a Ctrl-C from this process only, once (_stop_mkdocs).
    with ctrl_c_for_children():
        mkdocs = subprocess.Popen(engine.command("serve", "--dirty", "--dev-addr", dev_addr, "--config-file",
                                                 str(root / "mkdocs.yml")), cwd=root,
                                  env={**engine.environment(), PROBLEMS_FILE: str(problems.path)},
                                  start_new_session=os.name == "posix")
    try:
        return mkdocs.wait()
    except (KeyboardInterrupt, SystemExit):
        return 0
    finally:
        _stop_mkdocs(mkdocs)
        observer.stop()
        observer.join()


def _stop_mkdocs(mkdocs: subprocess.Popen, patience: float = 120) -> None:
    """Stop `mkdocs serve` as Ctrl-C does: SIGINT lets it stop its plugin's search indexing and delete
    the site it built into a temporary folder (a whole site: 2 GB at 50,000 claims). SIGTERM would
    kill it at once and leave that folder behind after every preview a service manager or a test
    stops. MkDocs runs in a session of its own, so a Ctrl-C in the terminal reaches this process
    only, and MkDocs gets one SIGINT, from here. If a service manager signals MkDocs as well, the
    plugin hears the two as one stop (claimpress/signals.py): a second interrupt
    would break off its clean-up. (On Windows there is no SIGINT to send: MkDocs is terminated and
    leaves its folder.)"""
    if mkdocs.poll() is None:
        try:
            mkdocs.send_signal(signal.SIGINT)
        except ValueError:  # Windows
            mkdocs.terminate()
    try:
        mkdocs.wait(timeout=patience)
    except (subprocess.TimeoutExpired, KeyboardInterrupt, SystemExit):  # stuck, or asked again: stop now
        mkdocs.kill()
        mkdocs.wait()
