"""Make a Pagefind bundle byte-reproducible: the same pages give the same files.

Pagefind 1.5 writes some lists in the order of a Rust hash map, which is seeded at random in each
run: each filter's values (a file a filter, filter/<lang>_<hash>.pf_filter), the lists of filters
and of sorts in the description of a language's index (pagefind.<lang>_<hash>.pf_meta), and the
languages in pagefind-entry.json. Each file is named by a digest of its bytes, so the same site
gave other filter files, other descriptions and another pagefind-entry.json at every build: the
only files of the site that changed. A deploy re-uploaded them, and two builds could not be
compared. (Order means nothing to the search itself: Pagefind reads these lists into sorted maps.)

`make_reproducible` puts those lists in order, by code point (the order in which the search page
shows filter values: docs/assets/claimpress/pagefind-api/pagefind.js), writes each file anew under
a name made from a digest of its new bytes, and replaces pagefind-entry.json, which names the
descriptions, last, in one rename: until then the bundle is Pagefind's, whole. The files are
Pagefind's format: gzip of "pagefind_dcd" and CBOR. A bundle that is not as expected (another
version of the format, say) is left as Pagefind wrote it: every file to rewrite must decode to
the expected shapes, and encode back to exactly its bytes, before anything is written.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from typing import Any

import cbor2

from ..files import replace_file

SIGNATURE = b"pagefind_dcd"  # what each of Pagefind's files starts with, once unzipped
ENTRY = "pagefind-entry.json"
FILTER_NAME_DIGITS = 7  # hex digits in a name, as Pagefind 1.5 names these files (any length works)
DESCRIPTION_NAME_DIGITS = 10


class UnknownFormat(ValueError):
    """A file of the bundle is not in the format this module knows: the bundle is left alone."""


def make_reproducible(bundle: str) -> bool:
    """Rewrite the bundle in the folder `bundle` so that its bytes depend only on its pages.
    True if it is now in order (rewritten, or already so); False if it is left as it was, its
    format unknown. OSError if a file cannot be read or written: the bundle then still works, as
    Pagefind wrote it (the files already written are removed again)."""
    entry_path = os.path.join(bundle, ENTRY)
    with open(entry_path, "rb") as entry_file:
        entry_bytes = entry_file.read()
    added: list[str] = []  # files written, removed again if the bundle cannot be put in order
    replaced: list[str] = []  # Pagefind's files that the new ones stand for
    try:
        entry = json.loads(entry_bytes)
        if not isinstance(entry, dict) or not isinstance(entry.get("languages"), dict):
            raise UnknownFormat(entry_path)
        languages = dict(sorted(entry["languages"].items()))
        for language in languages.values():
            if not isinstance(language, dict) or not isinstance(language.get("hash"), str):
                raise UnknownFormat(entry_path)
            language["hash"] = _description_in_order(bundle, language["hash"], added, replaced)
        entry["languages"] = languages
        # Pagefind writes it compact, its characters as they are: the same form.
        new_entry = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
        if new_entry != entry_bytes:
            replace_file(entry_path, new_entry)
    except (UnknownFormat, ValueError):  # ValueError: pagefind-entry.json is not JSON
        _remove(added)
        return False
    except BaseException:
        _remove(added)
        raise
    _remove(replaced)
    return True


def _description_in_order(bundle: str, name_hash: str, added: list[str], replaced: list[str]) -> str:
    """Put one language's description and filter files in order; the hash that names the
    description now (the same one if it was in order already)."""
    path = os.path.join(bundle, f"pagefind.{name_hash}.pf_meta")
    description = _read(path)
    # [version, pages, index chunks, filters: [[name, file's hash]], sorts: [[name, [page numbers]]],
    # then what follows (the weighted fields), kept as it is]
    if not (isinstance(description, list) and len(description) >= 5 and isinstance(description[0], str)
            and _named_list(description[3], lambda file_hash: isinstance(file_hash, str))
            and _named_list(description[4], _numbers)):
        raise UnknownFormat(path)
    filters = sorted([name, _filter_in_order(bundle, name, file_hash, added, replaced)]
                     for name, file_hash in description[3])
    sorts = sorted(description[4], key=lambda named: named[0])
    in_order = [*description[:3], filters, sorts, *description[5:]]
    if in_order == description:
        return name_hash
    packed = _pack(in_order)
    new_hash = _name_like(name_hash, packed, DESCRIPTION_NAME_DIGITS)
    _add(os.path.join(bundle, f"pagefind.{new_hash}.pf_meta"), packed, added)
    replaced.append(path)
    return new_hash


def _filter_in_order(bundle: str, name: str, file_hash: str, added: list[str], replaced: list[str]) -> str:
    """Put one filter's values in order; the hash that names its file now."""
    path = os.path.join(bundle, "filter", f"{file_hash}.pf_filter")
    values = _read(path)
    # [filter's name, [[value, [page numbers]]]]
    if not (isinstance(values, list) and len(values) == 2 and values[0] == name and _named_list(values[1], _numbers)):
        raise UnknownFormat(path)
    packed = _pack([name, sorted(values[1], key=lambda named: named[0])])
    new_hash = _name_like(file_hash, packed, FILTER_NAME_DIGITS)
    if new_hash != file_hash:
        _add(os.path.join(bundle, "filter", f"{new_hash}.pf_filter"), packed, added)
        replaced.append(path)
    return new_hash


def _named_list(value: Any, valid: Any) -> bool:
    """Whether `value` is a list of [text, x] pairs with valid(x), their names all different."""
    return (isinstance(value, list)
            and all(isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str) and valid(pair[1])
                    for pair in value)
            and len({pair[0] for pair in value}) == len(value))


def _numbers(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(n, int) for n in value)


def unpacked(path: str) -> bytes:
    """The CBOR in a file of Pagefind's (gzip of its signature and CBOR); UnknownFormat if it is not
    gzip, is damaged or lacks the signature. OSError if it cannot be opened."""
    with open(path, "rb") as packed:
        try:
            data = gzip.decompress(packed.read())
        except (OSError, EOFError, zlib.error) as error:  # not gzip, or damaged
            raise UnknownFormat(path) from error
    if not data.startswith(SIGNATURE):
        raise UnknownFormat(path)
    return data[len(SIGNATURE):]


def packed(data: bytes, level: int = 9) -> bytes:
    """A file's bytes from its CBOR `data`: gzip (no time in its header, as Pagefind writes it) of
    the signature and the CBOR."""
    return gzip.compress(SIGNATURE + data, compresslevel=level, mtime=0)


def _read(path: str) -> Any:
    """A file of Pagefind's, decoded; UnknownFormat unless encoding it again gives its bytes."""
    data = unpacked(path)
    try:
        value = cbor2.loads(data)
    except (cbor2.CBORDecodeError, ValueError) as error:
        raise UnknownFormat(path) from error
    if cbor2.dumps(value) != data:  # something this module would not write back alike
        raise UnknownFormat(path)
    return value


def _pack(value: Any) -> bytes:
    """A file's bytes: `value` in CBOR, packed."""
    return packed(cbor2.dumps(value))


def _name_like(old: str, data: bytes, digits: int) -> str:
    """A name in Pagefind's form (<language>_<hex digits>), from a digest of `data`."""
    return f"{old.rsplit('_', 1)[0]}_{hashlib.blake2b(data).hexdigest()[:digits]}"


def _add(path: str, data: bytes, added: list[str]) -> None:
    """Write a file named by a digest of `data`. There already (Pagefind ran again into a bundle
    in order: the preview's), it is kept, its bytes being the same; other bytes under that name
    would be a clash of digests: UnknownFormat."""
    if os.path.exists(path):
        with open(path, "rb") as there:
            if there.read() == data:
                return
        raise UnknownFormat(f"{path} is there, with other bytes")
    replace_file(path, data)
    added.append(path)


def _remove(paths: list[str]) -> None:
    for path in paths:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
