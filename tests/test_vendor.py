"""docs/assets/vendor/: the front-end files vendored from the npm registry are the ones fetch.sh made.

docs/ is open to pull requests like every file: a vendored library or base map changed by hand would
run or show on every reader's page, so each file must match the sha256 that fetch.sh recorded, and no
file may sit there unrecorded."""
from __future__ import annotations

import hashlib
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "docs" / "assets" / "vendor"
OWN = {"VENDORED", "SHA256SUMS", "fetch.sh"}


def _recorded() -> dict[str, str]:
    sums = {}
    for line in (VENDOR / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        sums[name] = digest
    return sums


def test_every_vendored_file_is_the_one_fetched() -> None:
    recorded = _recorded()
    assert recorded, "SHA256SUMS lists no file"
    for name, digest in recorded.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, f"{name} was changed by hand"


def test_no_file_is_vendored_unrecorded_and_each_package_is_pinned() -> None:
    present = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file()} - OWN
    assert present == set(_recorded())
    packages = {line.split()[0]: line.split() for line in (VENDOR / "VENDORED").read_text().splitlines()
                if line and not line.startswith("#")}
    for name in present:
        parts = name.split("/")
        fields = packages["/".join(parts[:2]) if name.startswith("@") else parts[0]]  # a scope: @scope/package
        assert fields[1][0].isdigit() and fields[2].startswith("sha512-"), fields  # a version, an integrity
