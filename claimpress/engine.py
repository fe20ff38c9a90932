"""The engine that turns docs/ into the site: MkDocs 1.6, or ProperDocs, its maintained fork.

Both read mkdocs.yml and run the Material theme and the claimpress plugin unchanged, and they make
the same site but for the generator tag in each page's <head> (tests/test_engines.py). `build`
and `serve` take `--engine`; without it, `extra: claimpress: engine:` in mkdocs.yml; else mkdocs.
Each runs in a process of its own, `python -m <engine>`, with the Python that runs claimpress.
"""
from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .config import load_config

ENGINES = {"mkdocs": "MkDocs", "properdocs": "ProperDocs"}  # module -> name shown to people
DEFAULT = "mkdocs"


class EngineError(Exception):
    """An engine that cannot be run: the message is one line, for the command line."""


@dataclass(frozen=True)
class Engine:
    module: str  # what `python -m` runs: mkdocs or properdocs
    name: str    # MkDocs or ProperDocs

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", self.module, *args]

    def environment(self) -> dict[str, str]:
        # Material 9.x prints a notice about its own end of life when run by `mkdocs`: about the
        # theme's future, not about this site. (ProperDocs prints none: Material checks argv[0].)
        return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


MKDOCS = Engine(DEFAULT, ENGINES[DEFAULT])


def choose_engine(root: Path, flag: str | None = None) -> Engine:
    """The engine that `flag` (--engine) names, else mkdocs.yml's extra.claimpress.engine, else
    MkDocs. Raises EngineError when it is not one claimpress runs, or is not installed."""
    chosen = flag or load_config(root).engine or DEFAULT
    if chosen not in ENGINES:
        where = "--engine" if flag else "mkdocs.yml: extra.claimpress.engine"
        raise EngineError(f"{where}: '{chosen}' is not an engine claimpress runs; write one of: {', '.join(ENGINES)}")
    if importlib.util.find_spec(chosen) is None:
        raise EngineError(f"{ENGINES[chosen]} is not installed in {sys.executable}; install the pinned requirements "
                          "(pip install -r requirements.txt), which include it")
    return Engine(chosen, ENGINES[chosen])
