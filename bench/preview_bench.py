"""The live preview at scale: how long from saving a claim to the served page showing the change.

    python bench/preview_bench.py                      # N = 1,000 and 10,000
    python bench/preview_bench.py --sizes 50000 --edits 3

For each N, a temporary project of synthetic claims (bench/synth.py) is served with
`build_claims.py serve`; the benchmark waits for the first page, then changes one claim's title
--edits times and polls the claim's page until the new title is served. Prints a Markdown table:
seconds to the first page, the median and worst seconds from a save to the refreshed page, and
(on Linux) the processor time the preview and MkDocs take while nothing changes, once the search
index is made, over IDLE seconds.
After stopping the preview it checks that MkDocs deleted the site it served from a temporary
folder, and says so, with the end of the preview's output, where it did not.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_bench import site_sources  # noqa: E402
from synth import REPO, make_project, print_table  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, text: str, limit: float) -> float:
    """Seconds until `url` serves a page that contains `text`; exits the benchmark after `limit`."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode():
                    return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.05)
    sys.exit(f"{url} did not show {text!r} within {limit:.0f} s")


IDLE = 10.0  # seconds over which the idle preview's processor time is measured


def search_index_made(log: Path, limit: float) -> None:
    """Wait until the preview says that the search index of its last build is made."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        text = log.read_text(errors="replace")
        if text.rfind("indexed beside the preview in") > text.rfind("to index beside the preview"):
            return
        time.sleep(0.5)
    sys.exit(f"the preview's search index was not made within {limit:.0f} s")


def processor_seconds(pid: int) -> float:
    """Processor time (user + system) of `pid` (the preview) and of its children (MkDocs), from
    Linux's /proc. Not their children: Pagefind, which indexes the search beside the preview at the
    lowest priority, may still be running after the saves."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for process in [pid, *map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]:
        stat = Path(f"/proc/{process}/stat").read_text()
        fields = stat[stat.rindex(")") + 2:].split()  # after the command's name, which may hold spaces
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--edits", type=int, default=5, help="saves timed at each size (median and worst)")
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="claimpress-preview-") as tmp:
            root = make_project(Path(tmp), n)
            site_sources(root)
            claim = sorted((root / "claims").glob("*.md"))[n // 2]
            url = f"http://127.0.0.1:{(port := free_port())}/claims/{claim.stem}/"
            log = open(Path(tmp) / "serve.log", "w")
            served = Path(tmp) / "served"  # MkDocs builds its site in a temporary folder here, and deletes it
            served.mkdir()
            start = time.perf_counter()
            server = subprocess.Popen([sys.executable, str(REPO / "build_claims.py"), "--root", str(root), "serve",
                                       "--dev-addr", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT,
                                      env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(served)})
            try:
                wait_for(url, "Allegation", 3600)
                first = time.perf_counter() - start
                time.sleep(2.1)  # the caches trust no file changed in the last two seconds
                saves = []
                for i in range(args.edits):
                    label = f"Preview{i}"
                    text = claim.read_text()
                    claim.write_text(text.replace("title: ", f"title: {label} ", 1))
                    saves.append(wait_for(url, label, 1800))
                    time.sleep(2.1)
                idle = None
                if Path(f"/proc/{server.pid}/task/{server.pid}/children").exists():
                    search_index_made(Path(tmp) / "serve.log", 1800)  # idle: not indexing the search either
                    before = processor_seconds(server.pid)
                    time.sleep(IDLE)
                    idle = (processor_seconds(server.pid) - before) / IDLE
            finally:
                server.terminate()
                server.wait(timeout=180)  # MkDocs deletes its temporary site (GBs at 50,000 claims)
                log.close()
            if any(served.iterdir()):  # the preview's clean-up failed: say so, with what it printed last
                tail = (Path(tmp) / "serve.log").read_text(errors="replace")[-3000:]
                print(f"MkDocs left its temporary site behind at {n:,} claims; the preview's last words:\n{tail}",
                      file=sys.stderr)
            rows.append(f"| {n:,} | {first:.1f} s | {statistics.median(saves):.1f} s | {max(saves):.1f} s | "
                        f"{'-' if idle is None else f'{idle:.0%}'} |")
            print(rows[-1], file=sys.stderr, flush=True)
    print_table(["claims", "first page served", "save to refreshed page: median", "worst",
                 "processor while idle (share of one core)"], rows)


if __name__ == "__main__":
    main()
