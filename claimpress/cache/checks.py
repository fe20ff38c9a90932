"""The check cache: each claim file's diagnostics, keyed by its content and by everything else they
depend on (registries, the set of claim ids, the date), so that checking again after one change re-checks
one file."""
from __future__ import annotations

import os
import stat
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import cbor2

from ..check.text import MAX_FILE_BYTES
from ..diagnostics import Diagnostic
from . import trust
from .keys import (
    CHECK_FORMAT,
    NO_SIGNATURE,
    RACY_NS,
    UNREADABLE,
    code_version,
    digest,
    encodable,
    purpose,
    signature,
    usable,
)


class CheckCache:
    def __init__(self, root: Path, remembered: tuple[Path, dict] | None = None) -> None:
        # Entries: (file name, content digest, context) -> (diagnostics, (status, draft));
        # ("content", file name) -> (stat signature or None, content digest)
        self.folder = root / ".cache" / "claimpress"
        self.path = self.folder / f"check-{code_version()}.cbor"
        self.entries: dict[Any, Any] = {}
        self.used: dict[Any, Any] = {}
        self.dirty = False
        self.now = time.time_ns()
        self.usable = usable(root)
        if remembered is not None and remembered[0] == self.path:
            self.entries = remembered[1]  # as the preview's last check saved them (reading: 0.8 s at 50,000)
            return
        if self.usable:
            self.entries = self._read()

    # The file: CBOR, sealed (trust.seal), in columns rather than an array an entry, which CBOR
    # encodes at a third of a microsecond each (of 50 ms a save at 10,000 claims, 30 went there):
    # [CHECK_FORMAT, [file name], [4 ints of each one's signature, or NO_SIGNATURE], [content digest],
    #  [[context, [file name], [content digest], [status], [draft], [whether it loaded],
    #    [row, then a Diagnostic's 7 fields, for each Diagnostic]] for each context]]
    def _read(self) -> dict[Any, Any]:
        """The entries of the file, if it was sealed here; else none (start again)."""
        try:
            with self.path.open("rb") as handle:
                payload = trust.unseal(purpose("check"), handle.read())
            if payload is None:
                return {}
            form, names, signatures, contents, groups = cbor2.loads(payload)
            if form != CHECK_FORMAT:
                return {}
            ints = iter(signatures)
            entries: dict[Any, Any] = dict(zip([("content", name) for name in names],
                                               zip([s if s[0] >= 0 else None for s in zip(ints, ints, ints, ints)],
                                                   contents, strict=True)))
            for context, names, contents, statuses, drafts, loaded, flat in groups:
                found: list[list[Diagnostic]] = [[] for _ in names]
                for i in range(0, len(flat), 8):
                    found[flat[i]].append(Diagnostic(*flat[i + 1:i + 8]))
                summaries = [(status, draft) if ok else None for status, draft, ok in zip(statuses, drafts, loaded)]
                entries.update(zip([(name, content, context) for name, content in zip(names, contents)],
                                   zip(found, summaries, strict=True)))
            return entries
        except (OSError, *UNREADABLE):
            return {}

    def key(self, entry: os.DirEntry, status: os.stat_result, context: str, also: Sequence[str] = ()) -> tuple | None:
        """The entry for a file: its content's digest with the context; None for a file not to vouch for.
        As git's index does, a file whose size, inode and modification and change times are unchanged
        is not read again: its content digest is taken from the last run. (The change time cannot be
        set back by a tool, unlike the modification time.) `also`: the paths of the files checked with
        it (a claim's translations), whose content is part of its key."""
        content = self._content(entry.name, entry.path, status)
        for path in also:
            try:
                other = self._content(os.path.basename(path), path, os.stat(path, follow_symlinks=False))
            except OSError:
                return None
            if content is None or other is None:
                return None
            content = digest(content.encode(), os.path.basename(path).encode(), other.encode())
        return (entry.name, content, context) if content is not None else None

    def _content(self, name: str, path: str, status: os.stat_result) -> str | None:
        """The digest of a file's content (from the last run, if its signature is the same)."""
        if stat.S_ISLNK(status.st_mode) or status.st_size > MAX_FILE_BYTES:
            return None
        signed = signature(status)
        if not name.isascii() and not encodable(name):  # not UTF-8 on disk: a name the cache cannot keep
            return None
        known = self.entries.get(("content", name))
        if known is not None and known[0] == signed:
            content = known[1]
        else:
            try:
                with open(path, "rb") as handle:
                    content = digest(handle.read())
            except OSError:
                return None
        settled = self.now - max(status.st_mtime_ns, status.st_ctime_ns) > RACY_NS
        record = (signed if settled else None, content)
        if record != known:
            self.dirty = True
        self.used[("content", name)] = record
        return content

    def get(self, key: tuple) -> Any:
        value = self.entries.get(key)
        if value is not None:
            self.used[key] = value
        return value

    def put(self, key: tuple, value: Any) -> None:
        self.used[key] = value
        self.dirty = True

    def save(self) -> None:
        """Keep only the entries this run used, in a file written by rename; drop older versions' files."""
        if not self.usable or (not self.dirty and len(self.used) == len(self.entries)):
            return
        names: list[str] = []
        signatures: list[int] = []
        contents: list[str] = []
        groups: dict[str, tuple[list, ...]] = {}  # entries of the same context (all of them, most often) together
        for key, value in self.used.items():
            if len(key) == 2:
                names.append(key[1])
                signatures.extend(value[0] or NO_SIGNATURE)
                contents.append(value[1])
                continue
            group = groups.get(key[2]) or groups.setdefault(key[2], ([], [], [], [], [], []))
            row = len(group[0])
            group[0].append(key[0])
            group[1].append(key[1])
            found, summary = value
            group[2].append(summary[0] if summary is not None else None)
            group[3].append(summary[1] if summary is not None else None)
            group[4].append(summary is not None)
            for d in found:
                group[5].extend((row, d.path, d.line, d.column, d.severity, d.code, d.message, d.hint))
        try:
            payload = cbor2.dumps([CHECK_FORMAT, names, signatures, contents,
                                   [[context, *group] for context, group in groups.items()]])
            sealed = trust.seal(purpose("check"), payload)
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n")
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(sealed)
            os.replace(tmp, self.path)
            for old in self.folder.glob("check-*"):  # older versions' (pickles, once: never read)
                if old != self.path:
                    old.unlink(missing_ok=True)
        except (OSError, *UNREADABLE):
            pass  # a read-only checkout still checks, only without a cache
