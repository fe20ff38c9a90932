"""Make a Pagefind bundle byte-reproducible: the same pages give the same files.

Pagefind 1.5 writes each filter's values (a file a filter, filter/<lang>_<hash>.pf_filter), and
the list of filters in its index's description (pagefind.<lang>_<hash>.pf_meta), in the order of a
Rust hash map, which is seeded at random in each run. So the same site gave other filter files,
other names for them (each is named by a digest of its bytes), another description and another
pagefind-entry.json at every build: the only files of the site that did. A deploy re-uploaded
them, and a check that two builds agree could not be made. Every other file of a bundle is the
same from run to run.

`make_reproducible` puts them in order: values and filters by code point (the order in which the
search page shows them: docs/assets/claimpress/pagefind-api/pagefind.js), each file named anew by
a digest of its new bytes, the description last, then pagefind-entry.json, which names it, is
replaced in one rename. The files are Pagefind's format: gzip of "pagefind_dcd" and CBOR. A bundle
that is not as expected (another version of the format, say) is left as Pagefind wrote it: the
description and every filter file must decode to the expected shapes, and encode back to exactly
their bytes, before anything is written.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"  # what each of Pagefind's files starts with, once unzipped
ENTRY = "pagefind-entry.json"


class NotPagefinds(ValueError):
    """A file is not in the format this module knows: the bundle is left alone."""


def make_reproducible(bundle: str) -> bool:
    """Rewrite the bundle at `bundle` (a folder) so that its bytes depend only on its pages.
    True if it is now in order (rewritten, or already so); False if it is left as it was, its
    format unknown. OSError if a file cannot be read or written: the bundle then still works,
    as Pagefind wrote it or in order, never half-way (pagefind-entry.json is replaced last)."""
    entry_path = os.path.join(bundle, ENTRY)
    with open(entry_path, "rb") as entry_file:
        entry_bytes = entry_file.read()
    try:
        entry = json.loads(entry_bytes)
        languages = entry["languages"]
        hashes = {language: languages[language]["hash"] for language in languages}
    except (ValueError, KeyError, TypeError):
        return False
    written: list[str] = []  # new files, removed again if another cannot be written
    replaced: list[str] = []  # Pagefind's files that the new ones stand for
    try:
        for language, old_hash in hashes.items():
            if not isinstance(old_hash, str):
                raise NotPagefinds(entry_path)
            languages[language]["hash"] = _settle_language(bundle, old_hash, written, replaced)
        if not written:
            return True  # already in order
        # Pagefind writes it compact, its characters as they are: the same form.
        _write_new(entry_path, json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode())
    except NotPagefinds:
        _remove(written)
        return False
    except BaseException:
        _remove(written)
        raise
    _remove(name for name in replaced if name not in written)
    return True


def _settle_language(bundle: str, meta_hash: str, written: list[str], replaced: list[str]) -> str:
    """Put one language's filters in order; the hash naming its new description (or the old one,
    if nothing changed). NotPagefinds if its files are not as expected."""
    meta_path = os.path.join(bundle, f"pagefind.{meta_hash}.pf_meta")
    meta = _read(meta_path)
    # [version, pages, index chunks, filters: [[name, file's hash]], sorts, ...]
    if not (isinstance(meta, list) and len(meta) >= 4 and isinstance(meta[0], str)
            and _pairs_of_text(meta[3]) and (len(meta) < 5 or _pairs_of_text(meta[4]))):
        raise NotPagefinds(meta_path)
    filters = []
    for name, file_hash in meta[3]:
        path = os.path.join(bundle, "filter", f"{file_hash}.pf_filter")
        values = _read(path)
        # [filter's name, [[value, [page numbers]]]]
        if not (isinstance(values, list) and len(values) == 2 and values[0] == name
                and isinstance(values[1], list)
                and all(isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) and isinstance(v[1], list)
                        for v in values[1])):
            raise NotPagefinds(path)
        in_order = [name, sorted(values[1], key=lambda value: value[0])]
        new_hash = _hash_like(file_hash, _pack(in_order), 7)
        if new_hash != file_hash:
            _write_new(os.path.join(bundle, "filter", f"{new_hash}.pf_filter"), _pack(in_order), written)
            replaced.append(path)
        filters.append([name, new_hash])
    new_meta = [*meta[:3], sorted(filters), *([sorted(meta[4])] if len(meta) >= 5 else []), *meta[5:]]
    if new_meta == meta:
        return meta_hash
    new_meta_hash = _hash_like(meta_hash, _pack(new_meta), 10)
    _write_new(os.path.join(bundle, f"pagefind.{new_meta_hash}.pf_meta"), _pack(new_meta), written)
    replaced.append(meta_path)
    return new_meta_hash


def _pairs_of_text(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair) for pair in value)


def _read(path: str) -> Any:
    """A file of Pagefind's, decoded; NotPagefinds unless encoding it again gives its bytes."""
    with open(path, "rb") as packed:
        try:
            data = gzip.decompress(packed.read())
        except (OSError, EOFError) as error:  # not gzip
            raise NotPagefinds(path) from error
    if not data.startswith(SIGNATURE):
        raise NotPagefinds(path)
    try:
        value = cbor2.loads(data[len(SIGNATURE):])
    except (cbor2.CBORDecodeError, ValueError) as error:
        raise NotPagefinds(path) from error
    if cbor2.dumps(value) != data[len(SIGNATURE):]:  # something this module would not write back alike
        raise NotPagefinds(path)
    return value


def _pack(value: Any) -> bytes:
    """A file's bytes: gzip (no time in its header, as Pagefind writes it) of the signature and CBOR."""
    return gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _hash_like(old: str, data: bytes, length: int) -> str:
    """A name in Pagefind's form (<language>_<hex digits>), from a digest of `data`."""
    return f"{old.rsplit('_', 1)[0]}_{hashlib.blake2b(data).hexdigest()[:length]}"


def _write_new(path: str, data: bytes, written: list[str] | None = None) -> None:
    """Write `data` at `path` through a new file (a bundle's files may be hard links that the
    search cache shares): never into a file that is there."""
    if os.path.exists(path):
        with open(path, "rb") as there:
            if there.read() == data:
                return
        if written is not None:
            raise NotPagefinds(f"{path} is there, with other bytes")
    new = f"{path}.{os.getpid()}.new"
    try:
        with open(new, "wb") as out:
            out.write(data)
        os.replace(new, path)
    except BaseException:
        _remove([new])
        raise
    if written is not None:
        written.append(path)


def _remove(paths: Any) -> None:
    for path in paths:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
