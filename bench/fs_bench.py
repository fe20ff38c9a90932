"""How fast this machine's file system creates a site's files, and how much slower just after
deleting many: the noise under every build figure of scale_bench.py.

    python bench/fs_bench.py [--pages 10000] [--folder /tmp] [--pause 400]

Creates --pages folders, each with a 20 KB index.html, as MkDocs writes a site: in a new folder;
again in another new folder; then deletes the first and at once creates a third; then (after
--pause seconds with no deletion) a fourth; and, where /dev/shm exists, once in memory (tmpfs).
ext4 without a journal skips inodes freed in the last minute or more when it allocates one (the
kernel's recently_deleted(), fs/ext4/ialloc.c), so the third can be several times slower; a file
system with a journal, or tmpfs, does not. The first rows are slowed as well by any deletion in
the minutes before the run, an earlier run's own clean-up included: run it on a quiet machine.
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

PAGE = "x" * 20_000


def create(base: Path, pages: int) -> float:
    """Seconds to create `pages` folders under `base`, each with its index.html."""
    start = time.perf_counter()
    for i in range(pages):
        folder = base / "claims" / f"claim-{i:06d}"
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(PAGE)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--folder", default=tempfile.gettempdir(), help="where to create them (its file system)")
    parser.add_argument("--pause", type=float, default=400, help="seconds without deleting before the last run")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(dir=args.folder, prefix="claimpress-fs-") as tmp:
        top = Path(tmp)
        rows.append(("in a new folder", create(top / "a", args.pages)))
        rows.append(("in another new folder", create(top / "b", args.pages)))
        shutil.rmtree(top / "a")
        rows.append((f"just after deleting {args.pages:,} such folders", create(top / "c", args.pages)))
        time.sleep(args.pause)
        rows.append((f"{args.pause:.0f} s after the last deletion", create(top / "d", args.pages)))
        if os.path.isdir("/dev/shm"):
            with tempfile.TemporaryDirectory(dir="/dev/shm", prefix="claimpress-fs-") as shm:
                rows.append(("in memory (tmpfs, /dev/shm)", create(Path(shm), args.pages)))
    print(f"| {args.pages:,} folders with a 20 KB page, in {args.folder} | seconds |")
    print("|---|---:|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
