"""Write the generated files under docs/: only those that changed, stale ones removed, and undoable.

`apply` writes each file by a rename (a reader never sees half a file) and returns a `Changes`
that can put every touched file back as it was, which `build` does when MkDocs then fails.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Changes:
    docs: Path
    written: list[str] = field(default_factory=list)   # created or changed, relative to docs/
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    _before: dict[Path, bytes | None] = field(default_factory=dict, repr=False)  # None: did not exist

    def rollback(self) -> None:
        """Restore every file this change touched to its content before."""
        for path, content in self._before.items():
            if content is None:
                path.unlink(missing_ok=True)
            else:
                _atomic_write(path, content)
        for path in sorted({p.parent for p in self._before}, key=lambda p: len(p.parts), reverse=True):
            _remove_empty_dirs(path, self.docs)

    def summary(self) -> str:
        return f"{len(self.written)} written, {len(self.removed)} removed, {self.unchanged} unchanged"


def _atomic_write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_empty_dirs(path: Path, stop: Path) -> None:
    while path != stop and path.is_dir() and not any(path.iterdir()):
        path.rmdir()
        path = path.parent


def apply(docs: Path, owned: tuple[str, ...], files: dict[str, str]) -> Changes:
    """Make the owned folders and files under `docs` hold exactly `files`; touch only what differs."""
    changes = Changes(docs)
    wanted = {rel: text.encode("utf-8") for rel, text in files.items()}
    existing = {p.relative_to(docs).as_posix(): p for top in owned
                for p in ([docs / top] if (docs / top).is_file() else (docs / top).rglob("*")) if p.is_file()}
    for rel in sorted(wanted):
        path = docs / rel
        old = existing[rel].read_bytes() if rel in existing else None
        if old == wanted[rel]:
            changes.unchanged += 1
            continue
        changes._before[path] = old
        _atomic_write(path, wanted[rel])
        changes.written.append(rel)
    for rel in sorted(set(existing) - set(wanted)):
        path = existing[rel]
        changes._before[path] = path.read_bytes()
        path.unlink()
        changes.removed.append(rel)
        _remove_empty_dirs(path.parent, docs)
    return changes


def append_parties(claims_dir: Path, parties: list[tuple[str, str, str]], added_by: str) -> None:
    """Add (id, name, kind) entries at the end of parties.yml, keeping everything already in it."""
    lines = ["", f"# Added by {added_by}: check the kind, and add country and aliases."]
    for pid, name, kind in parties:
        lines += [f"{pid}:", f"  name: {json.dumps(name, ensure_ascii=False)}", f"  kind: {kind}"]
    with (claims_dir / "parties.yml").open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
