"""What `build` and the engine's plugin tell each other of the site's generated pages
(mkdocs_plugin/kept.py): a folder, named by PAGES_RECORD in the engine's environment, in which the
build puts the last site's place and its pages' keys (PREVIOUS) and the plugin puts this build's
keys and the pages it took from the last site (THIS). Plain CBOR; the build keeps it sealed
(cache.SiteStamp), and writes PREVIOUS from that alone. No MkDocs here: the build imports it."""
from __future__ import annotations

import os

import cbor2

PAGES_RECORD = "CLAIMPRESS_PAGES_RECORD"
PREVIOUS, THIS = "previous.cbor", "this.cbor"

Keys = dict[str, bytes]  # page's path in the site -> its key


def give_previous(folder: str, site: str, pages: Keys) -> None:
    with open(os.path.join(folder, PREVIOUS), "wb") as handle:
        cbor2.dump({"site": site, "pages": pages}, handle)


def read_previous(folder: str) -> tuple[str, Keys] | None:
    """The last site's place and its pages' keys; None if the build gave none (or not in this form)."""
    try:
        with open(os.path.join(folder, PREVIOUS), "rb") as handle:
            given = cbor2.load(handle)
    except (OSError, cbor2.CBORError, ValueError):
        return None
    if isinstance(given, dict) and isinstance(given.get("site"), str) and _keys(given.get("pages")):
        return given["site"], given["pages"]
    return None


def give_this(folder: str, pages: Keys, taken: list[str]) -> None:
    """OSError if it cannot be written."""
    with open(os.path.join(folder, THIS), "wb") as handle:
        cbor2.dump({"pages": pages, "taken": taken}, handle)


def read_this(folder: str) -> tuple[Keys, list[str]]:
    """This build's keys and the pages taken; none if the engine gave none (a plugin switched off)."""
    try:
        with open(os.path.join(folder, THIS), "rb") as handle:
            given = cbor2.load(handle)
    except (OSError, cbor2.CBORError, ValueError):
        return {}, []
    if isinstance(given, dict) and _keys(given.get("pages")) and isinstance(given.get("taken"), list) \
            and all(isinstance(path, str) for path in given["taken"]):
        return given["pages"], given["taken"]
    return {}, []


def _keys(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, bytes) for k, v in value.items())
