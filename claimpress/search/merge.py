"""Merge the bundles Pagefind made of a site's parts into one bundle: the one that a single run of
Pagefind over all their pages would make, but for the numbering of the pages.

Why: searching parts side by side (Pagefind's mergeIndex) is not searching one index. A part without
a word falls back to near matches (a part lacking "limoutai" gave its pages with "limo"), and each
part ranks its results by how common each word is in the part alone. One bundle holds every page's
words, with the counts over the whole site: its results are one index's, and a query downloads
one word chunk, not one from each part.

How: each language's description (pagefind.<lang>_<hash>.pf_meta) lists its pages (fragment and
word count), the word chunks that hold its index, sorted by word, with the first and last word of
each (shortened: Pagefind 1.5's chunk_meta), its filters and its sorts. The parts' pages are put one
after another; every page number in the words, in their variants (the same word with diacritics)
and in the filters is moved by the pages before its part. The words are merged in order, one chunk
of each part in memory at a time, and cut into chunks of about CHUNK_SIZE locations as Pagefind
cuts them (a word's page numbers are written as differences: they are made whole, moved and
written again). Fragments are linked as they are; two different pages whose fragments have the same
short name in two parts get a longer name. The files are Pagefind's format (bundle.py); a bundle
that is not as this module expects, or that has sorts (data-pagefind-sort: the sort values are not
in the bundle, so the parts' orders cannot be merged), raises MergeError.
"""
from __future__ import annotations

import contextlib
import gzip
import hashlib
import heapq
import json
import os
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from typing import Any

import cbor2

from ..files import replace_file
from .bundle import ENTRY, SIGNATURE, _pack
from .parts import link_or_copy

CHUNK_SIZE = 20_000  # locations (and pages) in a word chunk, from which Pagefind 1.5 starts another
INDEXED = ("index", "fragment", "filter")  # folders of the index; the rest of a bundle is its program


class MergeError(Exception):
    """The parts' bundles cannot be merged: not in the format this module knows, or with sorts."""


def merge_bundles(parts: list[str], target: str) -> None:
    """Write one bundle at `target` holding every page of the bundles in `parts` (folders that
    Pagefind wrote, in order). `target` is replaced whole, in one rename, or left as it was."""
    entries = [_entry(part) for part in parts]
    versions = {entry["version"] for entry in entries}
    if len(versions) != 1:
        raise MergeError(f"the parts were made by different versions of Pagefind: {sorted(versions)}")
    out = tempfile.mkdtemp(prefix=".pagefind-merging-", dir=os.path.dirname(os.path.abspath(target)))
    try:
        for folder in INDEXED:
            os.mkdir(os.path.join(out, folder))
        for part in parts:  # the program (scripts, styles, WebAssembly): the same files in each part
            for name in sorted(os.listdir(part)):
                there = os.path.join(out, name)
                if name not in INDEXED and name != ENTRY and not name.endswith(".pf_meta") \
                        and not os.path.lexists(there) and os.path.isfile(os.path.join(part, name)):
                    link_or_copy(os.path.join(part, name), there)
        merged = dict(entries[0], languages={})
        for language in sorted({key for entry in entries for key in entry["languages"]}):
            having = [(part, entry["languages"][language]) for part, entry in zip(parts, entries)
                      if language in entry["languages"]]
            merged["languages"][language] = _merge_language(language, having, out)
        replace_file(os.path.join(out, ENTRY),
                     json.dumps(merged, ensure_ascii=False, separators=(",", ":")).encode())
        _replace(out, target)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise


def _entry(part: str) -> dict[str, Any]:
    try:
        with open(os.path.join(part, ENTRY), "rb") as file:
            entry = json.load(file)
    except ValueError as error:
        raise MergeError(f"{part}/{ENTRY} is not JSON") from error
    if not (isinstance(entry, dict) and isinstance(entry.get("version"), str)
            and isinstance(entry.get("languages"), dict)
            and all(isinstance(one, dict) and isinstance(one.get("hash"), str) for one in entry["languages"].values())):
        raise MergeError(f"{part}/{ENTRY} is not as Pagefind 1.5 writes it")
    return entry


def _merge_language(language: str, having: list[tuple[str, dict[str, Any]]], out: str) -> dict[str, Any]:
    """Merge one language's index of each part in `having` ((bundle, its entry for the language))
    into `out`; the language's entry in the merged pagefind-entry.json."""
    descriptions = [(part, _description(part, one["hash"])) for part, one in having]
    pages: list[list[Any]] = []
    fragments: dict[str, bytes] = {}  # a fragment's name in the merged bundle -> its bytes
    offsets: list[int] = []
    words: list[Iterator[tuple[str, list[Any], list[Any]]]] = []
    filters: dict[str, dict[str, list[int]]] = {}
    fields: set[str] = set()
    for part, description in descriptions:
        offsets.append(len(pages))
        for name, word_count in description[1]:
            pages.append([_fragment(part, name, language, fragments, out), word_count])
        words.append(_words(part, description[2], offsets[-1]))
        for name, file_hash in description[3]:
            values = _load(os.path.join(part, "filter", f"{file_hash}.pf_filter"))
            if not (isinstance(values, list) and len(values) == 2 and values[0] == name):
                raise MergeError(f"{part}: the filter {name!r} is not as Pagefind 1.5 writes it")
            for value, numbers in values[1]:
                filters.setdefault(name, {}).setdefault(value, []).extend(n + offsets[-1] for n in numbers)
        fields.update(description[5])
    chunks = _write_chunks(_merged_words(words), language, out)
    filter_files = []
    for name in sorted(filters):
        packed = _pack([name, [[value, sorted(numbers)] for value, numbers in sorted(filters[name].items())]])
        filter_files.append([name, _write_named(os.path.join(out, "filter"), language, packed, 7, ".pf_filter")])
    version = descriptions[0][1][0]
    packed = _pack([version, pages, chunks, filter_files, [], sorted(fields)])
    description_hash = _write_named(out, language, packed, 10, ".pf_meta", prefix="pagefind.")
    first = having[0][1]
    return {**first, "hash": description_hash, "page_count": len(pages)}


def _description(part: str, name_hash: str) -> list[Any]:
    path = os.path.join(part, f"pagefind.{name_hash}.pf_meta")
    description = _load(path)
    # [version, pages: [[fragment, word count]], chunks: [[from, to, hash]], filters: [[name, hash]],
    #  sorts: [[name, [page numbers]]], metadata fields]
    if not (isinstance(description, list) and len(description) == 6 and isinstance(description[0], str)
            and all(isinstance(x, list) for x in description[1:])):
        raise MergeError(f"{path} is not as Pagefind 1.5 writes it")
    if description[4]:
        raise MergeError(f"{path} has sorts ({', '.join(str(s[0]) for s in description[4])}: data-pagefind-sort), "
                         f"which the parts of a site cannot be merged with")
    return description


def _fragment(part: str, name: str, language: str, fragments: dict[str, bytes], out: str) -> str:
    """Link a page's fragment into the merged bundle; its name there (another one if a different
    page of another part has this one)."""
    source = os.path.join(part, "fragment", f"{name}.pf_fragment")
    with open(source, "rb") as file:
        data = file.read()
    there = fragments.get(name)
    if there is None or there == data:
        if there is None:
            fragments[name] = data
            link_or_copy(source, os.path.join(out, "fragment", f"{name}.pf_fragment"))
        return name
    digest = hashlib.sha256(data).hexdigest()
    for length in range(8, len(digest) + 1):
        new = f"{language}_{digest[:length]}"
        if fragments.get(new, data) == data:
            break
    if new not in fragments:
        fragments[new] = data
        replace_file(os.path.join(out, "fragment", f"{new}.pf_fragment"), data)
    return new


def _words(part: str, chunks: list[Any], offset: int) -> Iterator[tuple[str, list[Any], list[Any]]]:
    """A part's words in order, one chunk read at a time, their page numbers moved by `offset`:
    (word, pages: [[page, locations, metadata locations]], variants: [[form, pages]])."""
    for chunk in chunks:
        path = os.path.join(part, "index", f"{chunk[2]}.pf_index")
        index = _load(path)
        if not (isinstance(index, list) and len(index) == 1 and isinstance(index[0], list)):
            raise MergeError(f"{path} is not as Pagefind 1.5 writes it")
        for entry in index[0]:
            if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)):
                raise MergeError(f"{path} is not as Pagefind 1.5 writes it")
            word, pages, variants = entry
            yield word, _moved(pages, offset), [[form, _moved(forms, offset)] for form, forms in variants]


def _moved(pages: list[Any], offset: int) -> list[Any]:
    """`pages` with their numbers made whole and moved by `offset`: Pagefind writes each number as
    its difference from the one before (a word's pages in order, small numbers in CBOR)."""
    number = offset
    for page in pages:
        number += page[0]
        page[0] = number
    return pages


def _differences(pages: list[Any]) -> list[Any]:
    """`pages` with each number written as Pagefind writes it, less the one before."""
    before = 0
    for page in pages:
        page[0], before = page[0] - before, page[0]
    return pages


def _merged_words(parts: list[Iterator[tuple[str, list[Any], list[Any]]]]) -> Iterator[list[Any]]:
    """The parts' words in order, each once: its pages in every part, and its variants' likewise."""
    current: list[Any] | None = None
    for word, pages, variants in heapq.merge(*parts, key=lambda entry: entry[0]):
        if current is not None and current[0] == word:
            current[1].extend(pages)
            known = {form: forms for form, forms in current[2]}
            for form, forms in variants:
                if form in known:
                    known[form].extend(forms)
                else:
                    current[2].append([form, forms])
            continue
        if current is not None:
            yield current
        current = [word, pages, variants]
    if current is not None:
        yield current


def _write_chunks(words: Iterator[list[Any]], language: str, out: str) -> list[list[str]]:
    """Cut the words (in order) into chunks as Pagefind does, write each; the chunks' [from, to, hash]."""
    chunks: list[list[str]] = []
    chunk: list[Any] = []
    size = 0

    def close() -> None:
        for word in chunk:
            _differences(word[1])
            for _, forms in word[2]:
                _differences(forms)
        name = _write_named(os.path.join(out, "index"), language, _pack([chunk]), 7, ".pf_index")
        chunks.append([chunk[0][0], chunk[-1][0], name])

    for word in words:
        chunk.append(word)
        size += sum(len(page[1]) + len(page[2]) + 1 for page in word[1])  # not its variants': as Pagefind counts
        if size >= CHUNK_SIZE:
            close()
            chunk, size = [], 0
    if chunk:
        close()
    for before, after in zip(chunks, chunks[1:]):  # the shortest prefixes that tell them apart
        common = len(os.path.commonprefix([before[1], after[0]]))
        before[1], after[0] = before[1][:common + 1], after[0][:common + 1]
    return chunks


def _write_named(folder: str, language: str, packed: bytes, digits: int, suffix: str, prefix: str = "") -> str:
    """Write `packed` into `folder`, named (as Pagefind names its files) by a digest of its bytes;
    the name without its prefix and suffix (<language>_<hex digits>)."""
    digest = hashlib.blake2b(packed).hexdigest()
    for length in range(digits, len(digest) + 1):
        name = f"{language}_{digest[:length]}"
        path = os.path.join(folder, f"{prefix}{name}{suffix}")
        if not os.path.exists(path):
            replace_file(path, packed)
            return name
        with open(path, "rb") as there:
            if there.read() == packed:
                return name
    raise MergeError(f"{folder}: no free name for a file")  # a digest's every prefix taken: never


def _load(path: str) -> Any:
    """A file of Pagefind's (gzip of its signature and CBOR), decoded."""
    try:
        with open(path, "rb") as packed:
            data = gzip.decompress(packed.read())
        if not data.startswith(SIGNATURE):
            raise MergeError(f"{path} is not a file of Pagefind's")
        return cbor2.loads(data[len(SIGNATURE):])
    except (EOFError, zlib.error, gzip.BadGzipFile, cbor2.CBORDecodeError, ValueError) as error:
        raise MergeError(f"{path} cannot be read: {error}") from error


def _replace(new: str, target: str) -> None:
    """Put the folder `new` at `target`, the old one (if any) out of the way first and then deleted."""
    old = None
    if os.path.lexists(target):
        old = tempfile.mkdtemp(prefix=".pagefind-old-", dir=os.path.dirname(os.path.abspath(target)))
        os.rename(target, os.path.join(old, "bundle"))
    try:
        os.rename(new, target)
    except OSError:
        if old is not None:
            with contextlib.suppress(OSError):
                os.rename(os.path.join(old, "bundle"), target)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
