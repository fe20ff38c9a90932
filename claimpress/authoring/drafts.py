"""The drafts and parties that `new` and `import-claimreview` add to claims/: together or not at all,
never through a symbolic link, and only what reads back as check reads it."""
from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..write import STAGING, left_behind, write_new


class WriteError(Exception):
    """Drafts and parties that were not written (none of them), with why. `code` is the exit code:
    1 for what the project holds (a symbolic link), 2 for the machine (a folder not writable)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def refuse_links(claims_dir: Path, names: Iterable[str] = ()) -> None:
    """Raise WriteError if claims/, or any of `names` in it, is a symbolic link: written through, it
    would change a file elsewhere (a link is a file git can hold), and check refuses it anyway."""
    for path in [claims_dir, *(claims_dir / name for name in names)]:
        if path.is_symlink():
            shown = "claims/" if path == claims_dir else f"claims/{path.name}"
            raise WriteError(f"{shown} is a symbolic link; nothing was written. Replace the link with the "
                             "file or folder itself")


def _read_regular(path: Path) -> bytes | None:
    """The bytes of `path`, None if there is none; WriteError if it is anything but a plain file (a
    named pipe would make the read wait for ever)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise WriteError(f"cannot read claims/{path.name}: {error.strerror or error}", 2) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise WriteError(f"claims/{path.name} is not a plain file; nothing was written")
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


NewParty = Sequence[str]  # (id, name, kind) or (id, name, kind, country): country an ISO code


def _entry(party: NewParty) -> dict[str, str]:
    return dict(zip(("name", "kind", "country"), party[1:]))


def parties_text(old: str, parties: list[NewParty], added_by: str) -> str:
    """`old` (parties.yml) with (id, name, kind[, country]) entries added at the end, everything in it kept."""
    lines = ["", f"# Added by {added_by}: check the kind and country, and add aliases."]
    for party in parties:
        lines += [f"{party[0]}:", f"  name: {json.dumps(party[1], ensure_ascii=False)}", f"  kind: {party[2]}"]
        lines += [f"  country: {party[3]}"] if len(party) > 3 else []
    return old + ("" if not old or old.endswith("\n") else "\n") + "\n".join(lines) + "\n"


def _reads_back(text: str, parties: list[NewParty]) -> bool:
    """Whether the new parties.yml reads, as check reads it, with each added party as written."""
    from ..check.load import parse_yaml
    from ..check.text import MAX_FILE_BYTES

    if len(text.encode("utf-8")) > MAX_FILE_BYTES:  # check would refuse the whole file
        return False
    doc = parse_yaml(text.removeprefix("\ufeff").replace("\r\n", "\n"), "claims/parties.yml")
    data = getattr(doc, "data", None)
    return isinstance(data, dict) and all(data.get(party[0]) == _entry(party) for party in parties)


def write_drafts(claims_dir: Path, drafts: dict[str, str], parties: list[NewParty], added_by: str) -> None:
    """Add the new files `drafts` (name in claims/ -> text) and the (id, name, kind[, country]) `parties` to
    parties.yml together, or nothing (WriteError). Every file is first written beside, in a hidden
    folder in claims/ (which check passes over), then moved in by a rename: a draft by a hard link,
    which never replaces a file that is there; parties.yml, rewritten whole, last."""
    if not drafts and not parties:
        return
    refuse_links(claims_dir, [*drafts, *(["parties.yml"] if parties else [])])
    target = claims_dir / "parties.yml"
    placed: list[Path] = []
    try:
        for old in claims_dir.glob(f"{STAGING}*"):
            if left_behind(old):
                shutil.rmtree(old, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING}{os.getpid()}-", dir=claims_dir))
    except OSError as error:
        raise WriteError(f"cannot write in claims/: {error.strerror or error}", 2) from None
    try:
        made = {}
        for name, text in drafts.items():
            made[name] = staging / name
            write_new(made[name], [text.encode("utf-8")])
        if parties:
            before = _read_regular(target)
            try:
                updated = parties_text((before or b"").decode("utf-8"), parties, added_by)
            except UnicodeDecodeError:
                updated = ""
            if not _reads_back(updated, parties):
                raise WriteError("claims/parties.yml cannot take the new parties (over 1 MiB, or not readable: "
                                 "run `build_claims.py check`); nothing was written")
            write_new(staging / "parties.yml", [updated.encode("utf-8")])
            if before is not None:
                shutil.copymode(target, staging / "parties.yml", follow_symlinks=False)
        for name, new in made.items():
            path = claims_dir / name
            try:
                os.link(new, path)  # fails if anything, even a link, has that name now
            except FileExistsError:
                raise WriteError(f"claims/{name} appeared while writing; nothing was written") from None
            except OSError:  # a file system without hard links
                if os.path.lexists(path):
                    raise WriteError(f"claims/{name} appeared while writing; nothing was written") from None
                os.rename(new, path)
            placed.append(path)
        if parties:
            # Last, so that nothing is left to fail after it; only if no one changed it meanwhile.
            refuse_links(claims_dir, ["parties.yml"])
            if _read_regular(target) != before:
                raise WriteError("claims/parties.yml changed while writing; nothing was written, run it again")
            os.replace(staging / "parties.yml", target)
    except BaseException as error:
        for path in placed:
            path.unlink(missing_ok=True)
        if isinstance(error, OSError):  # the name in claims/: files in the staging folder have theirs
            name = error.filename2 or error.filename
            where = f"claims/{Path(name).name}" if isinstance(name, (str, os.PathLike)) else "claims/"
            raise WriteError(f"cannot write {where}: {error.strerror or error}; nothing was written", 2) from None
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
