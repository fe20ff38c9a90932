"""One rule for the id of a claim that `new` or the importer writes: the first eight words of its title
or claim, at most 70 characters, then its year; -2, -3... when taken. Imported drafts have had these
ids since the importer was written: an id, once published, is an address, so the rule stays."""
from __future__ import annotations

from collections.abc import Container

from ..check.project import RESERVED_IDS
from ..check.suggest import slug

ID_MAX = 80  # the schema's limit for ids


def claim_id(text: str, year: str, taken: Container[str], fallback: str,
             next_n: dict[str, int] | None = None) -> str:
    """An id for a new claim about `text` in `year` (may be ""), not in `taken` nor reserved; `fallback`
    where the text has no Latin letters or digits. `next_n` (kept by the caller across many ids)
    remembers the suffix to try next for each start, so that 30,000 records of the same words take
    no quadratic time."""
    words = slug(text or "").split("-")[:8]
    base = "-".join(w for w in words if w)[:70].strip("-") or fallback
    base = f"{base}-{year}" if year and not base.endswith(year) else base
    next_n = {} if next_n is None else next_n
    cid, n = base, next_n.get(base, 2)
    while cid in taken or cid in RESERVED_IDS:
        suffix = f"-{n}"
        cid, n = base[:ID_MAX - len(suffix)].rstrip("-") + suffix, n + 1
    next_n[base] = n
    return cid
