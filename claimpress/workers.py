"""Work spread over forked workers, one a core this process may use: the one pool that the cold check
and the claim pages share.

A worker gets what the parent set up (the registries, the catalog) by the fork itself, not by pickling:
the parent names it with `forked(shared)`, and the task functions, run in the workers, read it with
`shared()`. Forking is only done where it is safe (can_fork).
"""
from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from .machine import usable_cores

_SHARED: Any = None  # set in the parent just before its workers fork; each worker inherits its copy


def can_fork() -> bool:
    """Whether work may go to forked workers: several cores, and no other thread in this process
    (forking beside the live preview's watcher thread is not safe)."""
    return usable_cores() > 1 and threading.current_thread() is threading.main_thread() \
        and threading.active_count() == 1


@contextlib.contextmanager
def forked(shared: Any, tasks_per_worker: int | None = None) -> Iterator[Any]:
    """A pool of forked workers that see `shared`; with `tasks_per_worker`, a worker is replaced by a
    fresh fork after that many tasks (what it touched of the parent's memory becomes its own)."""
    global _SHARED
    import multiprocessing  # here: 25 ms of start-up that a check of a few files does not need

    _SHARED = shared
    try:
        with multiprocessing.get_context("fork").Pool(usable_cores(), maxtasksperchild=tasks_per_worker) as pool:
            yield pool
    finally:
        _SHARED = None


def shared() -> Any:
    """In a worker: what the parent gave `forked`."""
    return _SHARED
