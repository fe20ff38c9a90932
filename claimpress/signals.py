"""How the preview stops: one handler, in the preview's process and in MkDocs' beside it.

`mkdocs serve` builds its site into a temporary folder (2 GB at 50,000 claims) and deletes it when
Ctrl-C stops it; SIGTERM or SIGHUP would kill it first and leave the folder. So SIGTERM and SIGHUP
stop a process as Ctrl-C does (KeyboardInterrupt). A stop heard again within STOP_HEARD_TWICE
seconds is the same stop and would interrupt the clean-up: a service manager signals every process
of the preview at once (systemd's KillMode=control-group), and the preview passes a Ctrl-C on to
MkDocs too. Asked again later, it is interrupted again, as by a second Ctrl-C. Only Python's own
defaults are replaced: a signal ignored on purpose (`nohup`'s SIGHUP, a background job's SIGINT)
stays ignored, and a program that runs MkDocs with handlers of its own keeps them.
"""
from __future__ import annotations

import contextlib
import signal
import time
from collections.abc import Iterator

STOP_HEARD_TWICE = 5.0  # seconds after a stop in which another stop signal is the same stop


def stop_as_ctrl_c() -> None:
    """SIGINT, SIGTERM and SIGHUP raise KeyboardInterrupt in the main thread, once a stop."""
    stopping_since: float | None = None

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping_since
        now = time.monotonic()
        if stopping_since is not None and now - stopping_since < STOP_HEARD_TWICE:
            return
        stopping_since = now
        raise KeyboardInterrupt

    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) in (signal.SIG_DFL, signal.default_int_handler):
            try:
                signal.signal(number, stop)
            except ValueError:  # not the main thread (MkDocs run from another program): leave its signals
                return


@contextlib.contextmanager
def ctrl_c_for_children() -> Iterator[None]:
    """A preview started in the background by a script (`... serve &`) ignores SIGINT, and a
    program it starts would inherit that: MkDocs would ignore the one Ctrl-C the preview sends it
    to stop, be killed two minutes later, and leave its temporary site behind. A program started in
    this block starts with SIGINT handled; this process still ignores it afterwards (a handled signal
    is reset to its default in a new program, an ignored one is not)."""
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        yield
        return
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
