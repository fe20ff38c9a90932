"""A fork's own base map for the incident map (map/): a PMTiles file on its own site, named in mkdocs.yml
under `extra: claimpress: map:` with its credit. Left out, the map draws Natural Earth's countries, which
ship with claimpress.

mkdocs.yml is open to pull requests like every file, so the setting is held to what cannot make the page
ask another host for anything or show markup: a path to a file inside docs/ (which the site serves
itself), and a credit shown as text. Whether the tiles are vector or raster is read from the file's
header, so that it cannot disagree with the file."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from .check.suggest import did_you_mean
from .write import GENERATED

SETTING = "extra.claimpress.map"
KEYS = ("pmtiles", "attribution")
# PMTiles version 3's header: 127 bytes, "PMTiles" and the version (3), then at byte 99 the tiles' type.
HEADER, MAGIC, TYPE_AT = 127, b"PMTiles\x03", 99
TILES = {1: "vector", 2: "raster", 3: "raster", 4: "raster", 5: "raster"}  # MVT, PNG, JPEG, WebP, AVIF
_PATH = re.compile(r"[A-Za-z0-9._/-]+")  # no character that an address would have to escape
MAX_ATTRIBUTION = 300


@dataclass(frozen=True)
class BaseMap:
    path: str          # the file's path under docs/, as mkdocs.yml writes it
    attribution: str   # its credit, shown as text under the map
    tiles: str         # "vector" (drawn with the Protomaps basemap's layers) or "raster"


Problem = tuple[str, str]  # (message, likely fix): check_config makes each an invalid-config error


def read_base_map(root: Path, value: object) -> tuple[BaseMap | None, tuple[Problem, ...]]:
    """The setting `value` (extra.claimpress.map as mkdocs.yml holds it) of the project at `root`: the base
    map, or None with what is wrong with it (nothing, when it is left out)."""
    if value is None:
        return None, ()
    if not isinstance(value, dict):
        return None, ((f"{SETTING} must hold pmtiles: and attribution:",
                       f"write it as {SETTING}: {{pmtiles: assets/basemap.pmtiles, attribution: \"its credit\"}}"),)
    problems = [(f"{SETTING}.{key}: is not a setting of the base map ({' | '.join(KEYS)})",
                 did_you_mean(str(key), KEYS) or "leave it out") for key in value if key not in KEYS]
    path, where = _path(root, value.get("pmtiles"), problems)
    attribution = _attribution(value.get("attribution"), problems)
    tiles = _tiles(root / "docs" / path, where, problems) if path and not problems else None
    if problems or path is None or attribution is None or tiles is None:
        return None, tuple(problems)
    return BaseMap(path, attribution, tiles), ()


def _path(root: Path, value: object, problems: list[Problem]) -> tuple[str | None, str]:
    name = f"{SETTING}.pmtiles"
    keep = f"leave {SETTING} out for the Natural Earth base map"
    if value is None or value == "":
        problems.append((f"{name} is not set: the path of the PMTiles file in docs/", f"set it, or {keep}"))
        return None, ""
    text = str(value).strip()
    parts = urlsplit(text)
    if parts.scheme or parts.netloc or text.startswith("//"):
        problems.append((f"{name}: '{text}' is an address: the map fetches nothing from another host",
                         "put the file in docs/ and write its path there, such as assets/basemap.pmtiles"))
    elif text.startswith("/"):
        problems.append((f"{name}: '{text}' must be a path relative to docs/", "such as assets/basemap.pmtiles"))
    elif ".." in PurePosixPath(text).parts:
        problems.append((f"{name}: '{text}' leaves docs/", "put the file in docs/ and write its path from there"))
    elif not _PATH.fullmatch(text):
        problems.append((f"{name}: '{text}' may hold only letters, digits, '-', '_', '.' and '/'",
                         "rename the file"))
    elif not text.endswith(".pmtiles"):
        problems.append((f"{name}: '{text}' is not a .pmtiles file", "name the PMTiles file, ending in .pmtiles"))
    elif PurePosixPath(text).parts[0] in GENERATED:
        problems.append((f"{name}: '{text}' is in docs/{PurePosixPath(text).parts[0]}/, which build writes",
                         "put the file elsewhere in docs/, such as assets/basemap.pmtiles"))
    else:
        docs = (root / "docs").resolve()
        file = root / "docs" / text
        if not file.is_file():
            problems.append((f"{name}: docs/{text} does not exist", f"put the PMTiles file there, or {keep}"))
        elif not file.resolve().is_relative_to(docs):
            problems.append((f"{name}: docs/{text} is a link out of docs/", "put the file itself in docs/"))
        else:
            return text, f"docs/{text}"
    return None, ""


def _attribution(value: object, problems: list[Problem]) -> str | None:
    name = f"{SETTING}.attribution"
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        problems.append((f"{name} is not set: the base map's credit, shown under the map (its data's licence "
                         "asks for it)", "such as attribution: \"© OpenStreetMap contributors, Protomaps\""))
    elif any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text) or len(text) > MAX_ATTRIBUTION:
        problems.append((f"{name}: must be one line of text of at most {MAX_ATTRIBUTION} characters",
                         "write the credit as plain text; it is shown as written, never as HTML"))
    else:
        return text
    return None


def _tiles(file: Path, where: str, problems: list[Problem]) -> str | None:
    try:
        with file.open("rb") as handle:
            header = handle.read(HEADER)
    except OSError as error:
        problems.append((f"{SETTING}.pmtiles: {where} cannot be read ({error.strerror})", "check the file"))
        return None
    if len(header) < HEADER or not header.startswith(MAGIC):
        problems.append((f"{SETTING}.pmtiles: {where} is not a PMTiles file of version 3",
                         "convert it with the pmtiles tool (pmtiles convert), or extract one from a PMTiles build"))
        return None
    tiles = TILES.get(header[TYPE_AT])
    if tiles is None:
        problems.append((f"{SETTING}.pmtiles: {where} holds tiles of a type the map cannot draw "
                         f"({header[TYPE_AT]})", "use vector tiles (MVT) or raster tiles (PNG, JPEG, WebP)"))
    return tiles
