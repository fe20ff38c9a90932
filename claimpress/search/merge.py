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
cuts them. A word's page numbers are written as differences, each less the one before: only the
first page of each part's list changes, and an entry's other bytes are kept as Pagefind wrote them
(decoding and encoding every location took 42 s of processor time at 10,000 claims; this, with
each part's word list (list_words), 3 s). Fragments are linked
as they are; two different pages whose fragments have the same short name in two parts get a
longer name. The files are Pagefind's format (bundle.py); a bundle that is not as this module
expects, or that has sorts (data-pagefind-sort: the sort values are not in the bundle, so the
parts' orders cannot be merged), raises MergeError.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import hashlib
import heapq
import io
import itertools
import json
import multiprocessing
import os
import re
import shutil
import signal
import struct
import tempfile
from collections.abc import Generator, Iterator
from operator import itemgetter
from typing import Any

import cbor2

from ..files import replace_file
from ..machine import usable_cores
from ..workers import can_fork
from .bundle import ENTRY, UnknownFormat, packed, unpacked
from .parts import link_or_copy

CHUNK_SIZE = 20_000  # locations (and pages) in a word chunk, from which Pagefind 1.5 starts another
INDEXED = ("index", "fragment", "filter")  # folders of the index
PROGRAM = re.compile(r"pagefind[\w.-]*\.(?:js|css)|wasm\.[\w-]+\.pagefind")  # the bundle's other files Pagefind writes
UNSIGNED, TEXT, ARRAY = 0, 3, 4  # CBOR's major types that the index's entries are read and written with
_NUMBER, _LOCATIONS, _META_LOCATIONS = itemgetter(0), itemgetter(1), itemgetter(2)  # of a page in a word's entry
WORDS = "claimpress-words.json"  # in a part's bundle: its word entries (list_words); not in the merged one
WORDS_VERSION = 3  # 2: each chunk's entries a JSON text of their own; 3: with where the first page's number is


class MergeError(Exception):
    """The parts' bundles cannot be merged: not in the format this module knows, or with sorts."""


def merge_bundles(parts: list[str], target: str, ranges: int | None = None) -> None:
    """Write one bundle at `target` holding every page of the bundles in `parts` (folders that
    Pagefind wrote, in order). `target` is replaced whole, in one rename, or left as it was. The
    words are merged in `ranges` ranges at once (_merged_in_ranges), by default one a core."""
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
                if PROGRAM.fullmatch(name) and not os.path.lexists(there) and os.path.isfile(os.path.join(part, name)):
                    link_or_copy(os.path.join(part, name), there)
        merged = dict(entries[0], languages={})
        for language in sorted({key for entry in entries for key in entry["languages"]}):
            having = [(part, entry["languages"][language]) for part, entry in zip(parts, entries)
                      if language in entry["languages"]]
            try:
                merged["languages"][language] = _merge_language(language, having, out, ranges)
            except (TypeError, ValueError, KeyError, IndexError, AttributeError) as error:  # a shape not checked
                raise MergeError(f"the index of {language!r} is not as Pagefind 1.5 writes it ({error!r})") from error
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


def _merge_language(language: str, having: list[tuple[str, dict[str, Any]]], out: str,
                    ranges: int | None = None) -> dict[str, Any]:
    """Merge one language's index of each part in `having` ((bundle, its entry for the language))
    into `out`; the language's entry in the merged pagefind-entry.json."""
    descriptions = [(part, _description(part, one["hash"])) for part, one in having]
    pages: list[list[Any]] = []
    fragments: dict[str, str] = {}  # a fragment's name in the merged bundle -> its file
    offsets: list[int] = []
    sources: list[_Source] = []
    filters: dict[str, dict[str, list[int]]] = {}
    fields: set[str] = set()
    for part, description in descriptions:
        offsets.append(len(pages))
        for name, word_count in description[1]:
            pages.append([_fragment(part, name, language, fragments, out), word_count])
        sources.append((part, description[2], offsets[-1]))
        for name, file_hash in description[3]:
            values = _load(os.path.join(part, "filter", f"{file_hash}.pf_filter"))
            if not (isinstance(values, list) and len(values) == 2 and values[0] == name):
                raise MergeError(f"{part}: the filter {name!r} is not as Pagefind 1.5 writes it")
            for value, numbers in values[1]:
                filters.setdefault(name, {}).setdefault(value, []).extend(n + offsets[-1] for n in numbers)
        fields.update(description[5])
    # Closed on a failure too, so that its workers stop before the new bundle's folder is removed.
    with contextlib.closing(_merged_in_ranges(sources, language, out, ranges)) as words:
        chunks = _write_chunks(words, language, out)
    filter_files = []
    for name in sorted(filters):
        values = cbor2.dumps([name, [[value, sorted(numbers)] for value, numbers in sorted(filters[name].items())]])
        filter_files.append([name, _write_named(os.path.join(out, "filter"), language, packed(values), 7,
                                                ".pf_filter")])
    version = descriptions[0][1][0]
    described = packed(cbor2.dumps([version, pages, chunks, filter_files, [], sorted(fields)]))
    description_hash = _write_named(out, language, described, 10, ".pf_meta", prefix="pagefind.")
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


def _fragment(part: str, name: str, language: str, fragments: dict[str, str], out: str) -> str:
    """Link a page's fragment into the merged bundle; its name there (another one if a different
    page of another part has this one). `fragments`: each name in the merged bundle -> its file."""
    source = os.path.join(part, "fragment", f"{name}.pf_fragment")
    there = fragments.get(name)
    if there is None:
        fragments[name] = source
        link_or_copy(source, os.path.join(out, "fragment", f"{name}.pf_fragment"))
        return name
    data = _bytes(source)
    if _bytes(there) == data:  # the same page in two parts (Pagefind names a fragment by its bytes)
        return name
    digest = hashlib.sha256(data).hexdigest()
    for length in range(8, len(digest) + 1):
        new = f"{language}_{digest[:length]}"
        if new not in fragments or _bytes(fragments[new]) == data:
            break
    if new not in fragments:
        fragments[new] = source
        link_or_copy(source, os.path.join(out, "fragment", f"{new}.pf_fragment"))
    return new


def _bytes(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


# A word's entry in one part's index, as the merge reads it: a tuple, so that the merge orders the
# entries by word, then part, as tuples compare (at 10,000 claims 561,000 entries; as objects, with a
# key to order them by, the merge took a third longer).
_Entry = tuple[str, int, int, bytes, int, int, int, int, int, int, bool, int]
# word; its part's place in order; the pages before its part; the chunk's CBOR, in which its entry
# is data[start:end], [word, pages: [[page, locations, metadata locations]], variants: [[form, pages]]]
# and the first page's number ends at `after`; then as WORDS lists them: how many pages, the last
# one's number in the part (the sum of its numbers, each written less the one before), its size as
# Pagefind counts a chunk's (pages and locations), whether it has variants (the same word with
# diacritics), and the first page's number.
_WORD, _SIZE, _VARIANTS = itemgetter(0), itemgetter(9), itemgetter(10)
_Source = tuple[str, list[Any], int]  # a part's bundle, its language's chunks ([from, to, hash]), the pages before it


def list_words(bundle: str) -> None:
    """Write WORDS into `bundle` (a part's, as Pagefind made it): each language's word entries, chunk
    by chunk, with what merging needs of each. Made once, when Pagefind makes the part: a part taken
    from the search cache has it, and a merge after an edit reads only its bytes (at 10,000 claims in
    12 parts, decoding every entry took 5 s of the merge's 12). Each chunk's entries are a JSON text
    within it, read only when the merge reaches the chunk: a merge starts every part's words at
    once, and all their entries as lists were 620 MiB at 50,000 claims in 100 parts."""
    listed: dict[str, dict[str, str]] = {}
    for language, one in _entry(bundle)["languages"].items():
        listed[language] = {}
        for chunk in _description(bundle, one["hash"])[2]:
            path = os.path.join(bundle, "index", f"{chunk[2]}.pf_index")
            listed[language][chunk[2]] = json.dumps(_listed_chunk(path, _unpacked(path)), ensure_ascii=False,
                                                    separators=(",", ":"))
    replace_file(os.path.join(bundle, WORDS), json.dumps({"version": WORDS_VERSION, "languages": listed},
                                                         ensure_ascii=False, separators=(",", ":")).encode())


def _listed_chunk(path: str, data: bytes) -> list[list[Any]]:
    """The word entries of the chunk at `path`, whose CBOR is `data`: [word, start, end, pages, last
    page, size, has variants, first page, where the first page's number ends] (_Entry)."""
    listed = []
    try:  # [[entry, ...]]: each entry decoded alone, to know its bytes
        if data[:1] != b"\x81":
            raise MergeError(f"{path} is not as Pagefind 1.5 writes it")
        count, at = _header(data, 1, ARRAY)
        stream = io.BytesIO(data)
        stream.seek(at)
        decoder = cbor2.CBORDecoder(stream)
        for _ in range(count):
            start = stream.tell()
            word, pages, variants = entry = decoder.decode()
            if not (isinstance(entry, list) and len(entry) == 3 and isinstance(word, str)
                    and isinstance(pages, list) and isinstance(variants, list)):
                raise MergeError(f"{path} is not as Pagefind 1.5 writes it")
            size = len(pages) + sum(map(len, map(_LOCATIONS, pages))) + sum(map(len, map(_META_LOCATIONS, pages)))
            length, at = _header(data, start + 1, TEXT)  # after [ (0x83): the word, then its pages
            count, at = _header(data, at + length, ARRAY)
            if pages and (data[at] != 0x83 or count != len(pages)):
                raise MergeError(f"{path}: a page of {word!r} is not as Pagefind 1.5 writes it")
            first, after = _header(data, at + 1, UNSIGNED) if pages else (0, at)
            listed.append([word, start, stream.tell(), len(pages), sum(map(_NUMBER, pages)), size, bool(variants),
                           first, after])
    except (cbor2.CBORDecodeError, ValueError, IndexError, TypeError) as error:
        raise MergeError(f"{path} cannot be read: {error}") from error
    if stream.tell() != len(data):
        raise MergeError(f"{path} is not as Pagefind 1.5 writes it")
    return listed


def _listed_words(part: str) -> dict[str, Any] | None:
    """The part's WORDS, if it has it and it is of this version; else None (it is made anew)."""
    try:
        with open(os.path.join(part, WORDS), "rb") as file:
            listed = json.load(file)
    except (OSError, ValueError):
        return None
    return listed["languages"] if isinstance(listed, dict) and listed.get("version") == WORDS_VERSION \
        and isinstance(listed.get("languages"), dict) else None


def _words(source: _Source, number: int, language: str, low: str | None, high: str | None) -> Iterator[_Entry]:
    """A part's words from `low` up to `high` (None: from the first, to the last) in order, one chunk
    read at a time; `number`: the part's place in order."""
    part, chunks, offset = source
    # A chunk's words are from its first word up to the next chunk's (each shortened to a prefix).
    wanted = [(chunk, following) for chunk, following in zip(chunks, [*(c[0] for c in chunks[1:]), None])
              if not ((high is not None and chunk[0] >= high) or (low is not None and following is not None
                                                                 and following <= low))]
    listed = (_listed_words(part) or {}).get(language, {})
    listed = {chunk[2]: listed.get(chunk[2]) for chunk, _ in wanted}  # those of the range's chunks only
    for chunk, following in wanted:
        path = os.path.join(part, "index", f"{chunk[2]}.pf_index")
        data = _unpacked(path)
        text = listed.pop(chunk[2], None)  # read once: let go when read
        entries = _read_listed(part, text) if isinstance(text, str) else _listed_chunk(path, data)  # not listed: anew
        if entries and not (isinstance(entries[0][0], str) and isinstance(entries[-1][0], str)
                            and entries[0][0] >= chunk[0] and (following is None or entries[-1][0] < following)):
            raise MergeError(f"{path} holds words outside those its description gives it")
        for word, start, end, pages, last, size, variants, first, after in entries:
            if not (isinstance(word, str) and 0 <= start < after < end <= len(data) and data[start] == 0x83):
                raise MergeError(f"{part}/{WORDS} does not fit {path}")
            if low is not None and word < low:
                continue
            if high is not None and word >= high:
                return
            yield word, number, offset, data, start, after, end, pages, last, size, variants, first


def _read_listed(part: str, text: str) -> list[Any]:
    try:
        entries = json.loads(text)
    except ValueError:
        entries = None
    if not (isinstance(entries, list) and all(isinstance(entry, list) and len(entry) == 9 for entry in entries)):
        raise MergeError(f"{part}/{WORDS} does not fit its index")
    return entries


def _merged_in_ranges(sources: list[_Source], language: str, out: str,
                      ranges: int | None = None) -> Generator[tuple[str, bytes, int], None, None]:
    """The words of the parts in `sources` merged, in order: (word, its merged entry, its size).

    Merging is a Python loop over every part's entry of every word (561,000 at 10,000 claims: 3 s), and
    it runs alone. So the words are cut into `ranges` ranges (by default one a core) at words where
    chunks of the parts start: this process merges the first while forked workers merge the others,
    each into a file of its own that is read, in order, once this one is done. The entries are the
    same whatever the ranges: the chunks are then cut from them in this process (_write_chunks)."""
    forking = can_fork()
    bounds: list[str | None] = [None, *_splits(sources, ranges or (usable_cores() if forking else 1)), None]
    if len(bounds) == 2 or not forking:
        for low, high in zip(bounds, bounds[1:]):
            yield from _merged_range(sources, language, low, high)
        return
    folder = tempfile.mkdtemp(prefix=".words-", dir=out)  # in the new bundle: removed with it on a failure
    # A pool of its own, not workers.forked's: a worker that dies (killed for memory, say) makes the
    # result an error (BrokenProcessPool), where multiprocessing.Pool would wait for it for ever.
    pool = concurrent.futures.ProcessPoolExecutor(len(bounds) - 2, mp_context=multiprocessing.get_context("fork"),
                                                  initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN))
    try:
        files = [os.path.join(folder, str(n)) for n in range(1, len(bounds) - 1)]
        pending = [pool.submit(_merge_range_into, sources, language, low, high, path)
                   for low, high, path in zip(bounds[1:], bounds[2:], files)]
        yield from _merged_range(sources, language, bounds[0], bounds[1])
        for done, path in zip(pending, files):
            try:
                done.result()  # its MergeError, if it had one
            except concurrent.futures.process.BrokenProcessPool as error:
                raise MergeError(f"a process merging the words stopped: {error}") from error
            yield from _read_merged(path)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # the workers, at Ctrl-C (which they ignore) too
        shutil.rmtree(folder, ignore_errors=True)


def _splits(sources: list[_Source], count: int) -> list[str]:
    """Where to cut the words into `count` ranges of about as many entries: among the words where the
    parts' chunks start (a chunk holds about as many locations as the next)."""
    starts = sorted(chunk[0] for _, chunks, _ in sources for chunk in chunks[1:] if isinstance(chunk[0], str))
    return sorted({starts[len(starts) * n // count] for n in range(1, count)}) if starts else []


def _merged_range(sources: list[_Source], language: str, low: str | None,
                  high: str | None) -> Iterator[tuple[str, bytes, int]]:
    """The parts' words from `low` up to `high` merged, in order: (word, its merged entry, its size)."""
    parts = [_words(source, number, language, low, high) for number, source in enumerate(sources)]
    for entries in _merged_words(parts):
        data, size = _merged_entry(entries)
        yield entries[0][0], data, size


_RECORD = struct.Struct("<III")  # in a range's file: the lengths of the word and of its entry, its size


def _merge_range_into(sources: list[_Source], language: str, low: str | None, high: str | None, path: str) -> None:
    """In a worker: the parts' words from `low` up to `high` merged into the file at `path`."""
    with open(path, "wb") as file:
        for word, data, size in _merged_range(sources, language, low, high):
            encoded = word.encode("utf-8", "surrogatepass")
            try:
                file.write(_RECORD.pack(len(encoded), len(data), size))
            except struct.error as error:  # a size that a word list made elsewhere gives
                raise MergeError(f"a word's size ({size!r}) is not one Pagefind writes") from error
            file.write(encoded)
            file.write(data)


def _read_merged(path: str) -> Iterator[tuple[str, bytes, int]]:
    """The merged words that a worker wrote into the file at `path` (_merge_range_into)."""
    with open(path, "rb") as file:
        while head := file.read(_RECORD.size):
            length, data_length, size = _RECORD.unpack(head)
            yield file.read(length).decode("utf-8", "surrogatepass"), file.read(data_length), size


def _merged_words(parts: list[Iterator[_Entry]]) -> Iterator[list[_Entry]]:
    """The parts' words in order, each once: its entries in every part that has it, in order."""
    for _, same in itertools.groupby(heapq.merge(*parts), key=_WORD):  # (word, part, ...): unique, in order
        yield list(same)


def _merged_entry(entries: list[_Entry]) -> tuple[bytes, int]:
    """A word's entry in the merged index, from its entries in the parts; and its size, as Pagefind
    counts a chunk's: its pages and their locations (not its variants').

    A word's page numbers are each written less the one before: only the first page of each part
    changes, to its number in the merged index less the last of the parts before. Its bytes are
    rewritten, the rest of each entry's bytes kept as they are, unless the word has variants (the
    same word with diacritics, rare): then the whole entry is encoded again."""
    size = sum(map(_SIZE, entries))
    word, _, offset, data, start, _, end, *_ = entries[0]
    if len(entries) == 1 and offset == 0:
        return data[start:end], size
    if any(map(_VARIANTS, entries)) or any(entry[3][entry[6] - 1] != 0x80 or not entry[7] for entry in entries):
        return _encoded_again(entries), size
    pieces: list[bytes] = []
    last = total = 0
    for _, _, offset, data, _, after, end, pages, part_last, _, _, first in entries:
        pieces += (b"\x83", _unsigned(offset + first - last), data[after:end - 1])
        last = offset + part_last
        total += pages
    encoded = word.encode()
    return b"".join([b"\x83", _encoded_header(TEXT, len(encoded)), encoded, _encoded_header(ARRAY, total),
                     *pieces, b"\x80"]), size


def _encoded_again(entries: list[_Entry]) -> bytes:
    """A word's merged entry encoded from its parts' entries, decoded: their page numbers made whole,
    moved by their part's offset, and written again less the one before."""
    pages: list[Any] = []
    variants: dict[str, list[Any]] = {}
    for entry in entries:
        _, own, forms = cbor2.loads(entry[3][entry[4]:entry[6]])
        pages += _moved(own, entry[2])
        for form, theirs in forms:
            variants.setdefault(form, []).extend(_moved(theirs, entry[2]))
    return cbor2.dumps([entries[0][0], _differences(pages),
                        [[form, _differences(forms)] for form, forms in variants.items()]])


def _moved(pages: list[Any], offset: int) -> list[Any]:
    """Copies of `pages` with their numbers made whole and moved by `offset`."""
    number, moved = offset, []
    for page in pages:
        number += page[0]
        moved.append([number, *page[1:]])
    return moved


def _differences(pages: list[Any]) -> list[Any]:
    """`pages` with each number written as Pagefind writes it, less the one before."""
    before = 0
    for page in pages:
        page[0], before = page[0] - before, page[0]
    return pages


def _write_chunks(words: Iterator[tuple[str, bytes, int]], language: str, out: str) -> list[list[str]]:
    """Cut the merged words (in order: word, entry, size) into chunks as Pagefind does, write each;
    the chunks' [from, to, hash].
    Chunks are compressed by threads (zlib lets go of the interpreter's lock) while the next are made,
    a few at a time, so that no more than those are held; each is named and written here, in order,
    so that two whose digests begin alike get the same names in every build (_write_named)."""
    chunks: list[list[Any]] = []
    chunk: list[bytes] = []
    first = ""
    size = 0
    written = 0  # the chunks named and written so far
    workers = max(1, usable_cores())
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        def write_next() -> None:
            nonlocal written
            compressed = chunks[written][2].result()
            chunks[written][2] = _write_named(os.path.join(out, "index"), language, compressed, 7, ".pf_index")
            written += 1

        def close(last: str) -> None:
            if len(chunks) - written >= 2 * workers:
                write_next()  # the oldest, once it is compressed
            chunks.append([first, last, pool.submit(_packed_chunk, chunk)])

        for word, data, weight in words:
            if not chunk:
                first = word
            chunk.append(data)
            size += weight
            if size >= CHUNK_SIZE:
                close(word)
                chunk, size = [], 0
        if chunk:
            close(word)
        while written < len(chunks):
            write_next()
    for before, after in zip(chunks, chunks[1:]):  # the shortest prefixes that tell them apart
        common = len(os.path.commonprefix([before[1], after[0]]))
        before[1], after[0] = before[1][:common + 1], after[0][:common + 1]
    return chunks


def _packed_chunk(entries: list[bytes]) -> bytes:
    """A chunk of the index, [[entry, ...]], compressed as Pagefind's files are."""
    data = b"".join([b"\x81", _encoded_header(ARRAY, len(entries)), *entries])
    # Level 4, not bundle.packed's 9: at 10,000 claims (47 MB of chunks) 0.8 s of processor time, not
    # 3.4 s at level 6 nor about 20 s at 9, for 18.3 MB against 17.3 at 6 (a query loads one chunk).
    return packed(data, level=4)


def _header(data: bytes, at: int, major: int) -> tuple[int, int]:
    """The number in the CBOR head at `at` (a length, or an unsigned value), which must be of the
    major type `major`, and where what follows it starts."""
    if data[at] >> 5 != major:
        raise MergeError(f"a CBOR item of type {data[at] >> 5}, not {major}, where Pagefind 1.5 writes one")
    low = data[at] & 0x1F
    if low < 24:
        return low, at + 1
    if low > 27:
        raise MergeError("a CBOR item of indefinite length, which Pagefind 1.5 does not write")
    size = 1 << (low - 24)
    return int.from_bytes(data[at + 1:at + 1 + size], "big"), at + 1 + size


@functools.lru_cache(maxsize=1 << 16)
def _unsigned(number: int) -> bytes:
    """An unsigned number in CBOR (a merged entry's first page of a part: one of a few thousand)."""
    return _encoded_header(UNSIGNED, number)


def _encoded_header(major: int, number: int) -> bytes:
    """A CBOR head of the major type `major` with `number`, in its shortest form (as Pagefind writes it)."""
    if number < 24:
        return bytes([major << 5 | number])
    for low in (24, 25, 26, 27):
        size = 1 << (low - 24)
        if number < 1 << (8 * size):
            return bytes([major << 5 | low]) + number.to_bytes(size, "big")
    raise MergeError(f"{number} is too large for CBOR")


def _write_named(folder: str, language: str, packed: bytes, digits: int, suffix: str, prefix: str = "") -> str:
    """Write `packed` into `folder`, named (as Pagefind names its files) by a digest of its bytes;
    the name without its prefix and suffix (<language>_<hex digits>). Two files whose digests begin
    alike (7 hex digits: at 50,000 claims, about one build in 70 has two such chunks): the one
    written later takes a longer name, so files are written in one thread, in the bundle's order."""
    digest = hashlib.blake2b(packed).hexdigest()
    for length in range(digits, len(digest) + 1):
        name = f"{language}_{digest[:length]}"
        path = os.path.join(folder, f"{prefix}{name}{suffix}")
        if not os.path.exists(path):
            replace_file(path, packed)
            return name
        if _bytes(path) == packed:
            return name
    raise MergeError(f"{folder}: no free name for a file")  # a digest's every prefix taken: never


def _unpacked(path: str) -> bytes:
    """The CBOR of a file of Pagefind's (bundle.unpacked); MergeError if it is not one."""
    try:
        return unpacked(path)
    except UnknownFormat as error:
        raise MergeError(f"{path} is not a file of Pagefind's, or is damaged") from error


def _load(path: str) -> Any:
    """A file of Pagefind's, decoded."""
    try:
        return cbor2.loads(_unpacked(path))
    except (cbor2.CBORDecodeError, ValueError) as error:
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
