"""The map page at scale: what it downloads, how soon it draws, how smoothly it pans and filters.

    python bench/map_bench.py                                      # 1,000, 10,000 and 50,000 claims, 3 rounds
    python bench/map_bench.py --sizes 10000 --rounds 5
    python bench/map_bench.py --checkout /tmp/other --keep /tmp/map-bench   # another checkout, sites kept

For each N, a project of N synthetic claims placed around --places places (bench/synth.py: a few
places with most claims, mixed precisions, many at identical points; --places 0 scatters them
anywhere) with the site sources of the checkout to measure (--checkout, by default this one), built
with that checkout's `build_claims.py build`. With --keep the projects and their sites stay in that
folder, and a later run uses them again while the claims and the checkout's sources are the same (a
50,000-claim site takes many minutes to build on a loaded machine).

The site is served by a local threaded HTTP server, which is also the browser's proxy, so that a
request for any other host fails at once (there is no network) instead of waiting. Each round
launches Debian's chromium anew (headless, flags as tests/integration/test_browser.py, WebGL by
SwiftShader, which draws in software; a new profile, so every cache is cold; the default viewport of
1280x720) and opens the map page (--page) with bench/map_probe.js injected before the page's own
scripts:

- first frame: from navigation start to the map element (.cp-map) getting data-state="ready",
  performance.now() in the page; and when the last file the page asked for before it had arrived;
- download: every file the server sent until no request had come for a second after the first
  frame, each body compressed as a web server would send it: gzip at level 6, and brotli at
  quality 6 when the `brotli` module is installed (it is not a dependency);
- frames: at rest (2 s: the yardstick), panning (--pan-seconds of mouse drags across the map),
  zooming (the mouse wheel in three steps in, then out) and filtering (in the filter form: a status,
  then a country, then both back to any, 1.5 s after each): the longest interval between frames
  and the 95th percentile, from a requestAnimationFrame loop in the page, and the longest of
  Chromium's long animation frames (PerformanceObserver 'long-animation-frame': frames over 50 ms),
  named with its longest scripts (file, function, caller), as is the longest before the first frame;
- requests to other hosts: every request of the page and its workers (Playwright's) for any
  address but the local server's; those the browser makes for itself (the proxy sees them, the
  page's events do not) are listed apart.

Every site is built before the first round, and each round measures every N in turn, starting
from a different one each time (the machine's speed drifts: the smallest N is a yardstick only
when measured beside the others). Prints Markdown
tables: medians of --rounds per N (with the range of the first frame), the download
by part at each N, and the files of one round's download; then notes.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import http.server
import json
import math
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from map_report import report  # noqa: E402
from scale_bench import chromium, run, site_sources  # noqa: E402
from synth import REPO, make_project  # noqa: E402

PROBE = Path(__file__).resolve().parent / "map_probe.js"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
SOURCES = ("claimpress", "templates", "overrides", "docs", "mkdocs.yml", "build_claims.py")

SETTLE = 1.5  # seconds after each filter change
# When the last file the page itself asked for before its first frame had arrived (ms since navigation).
LAST_RESPONSE = """(before) => Math.max(0, ...performance.getEntriesByType("resource")
    .filter((entry) => entry.startTime < before).map((entry) => entry.responseEnd))"""


class Served:
    """What the local server sent (the path asked for and the file sent) and refused (other hosts)."""

    def __init__(self) -> None:
        self.files: list[tuple[str, str]] = []
        self.foreign: list[str] = []
        self.last = time.monotonic()

    def reset(self) -> None:
        self.files, self.foreign, self.last = [], [], time.monotonic()

    def until_quiet(self, quiet: float = 1.0, limit: float = 60.0) -> None:
        """Wait until no request has come for `quiet` seconds (or `limit` seconds have passed)."""
        start = time.monotonic()
        while time.monotonic() - self.last < quiet and time.monotonic() - start < limit:
            time.sleep(0.1)


@contextlib.contextmanager
def serve(site: Path) -> Iterator[tuple[str, Served]]:
    """(address, record) of a threaded server of `site` that refuses and records proxy requests."""
    served = Served()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def send_head(self) -> Any:
            served.last = time.monotonic()
            if re.match(r"[a-z]+://", self.path):  # as a proxy: a request for another host
                served.foreign.append(self.path)
                self.send_error(403)
                return None
            return super().send_head()

        def do_CONNECT(self) -> None:  # noqa: N802 (the HTTP method's name)
            served.last = time.monotonic()
            served.foreign.append(f"https://{self.path}")
            self.send_error(403)

        def copyfile(self, source: Any, outputfile: Any) -> None:
            served.files.append((self.path, source.name))
            super().copyfile(source, outputfile)

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            if not isinstance(sys.exc_info()[1], ConnectionError):  # the browser closed it: nothing to say
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", served
    finally:
        server.shutdown()
        server.server_close()


def sources_digest(code: Path) -> str:
    """A digest of the checkout's site sources: a kept site is used again only if they are the same."""
    digest = hashlib.sha256()
    for name in SOURCES:
        top = code / name
        for path in sorted([top] if top.is_file() else top.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(code)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def built_site(code: Path, n: int, places: int, seed: int, folder: Path) -> tuple[Path, str]:
    """The site of N synthetic claims built with `code`, in `folder`: (site, what was done)."""
    stamp = {"claims": n, "places": places, "seed": seed, "sources": sources_digest(code)}
    if (folder / "map-bench.json").is_file() and json.loads((folder / "map-bench.json").read_text()) == stamp:
        return folder / "site", "kept from an earlier run"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    site_sources(folder, code)
    make_project(folder, n, seed, places)
    seconds, peak = run([sys.executable, str(code / "build_claims.py"), "build"], cwd=folder)
    (folder / "map-bench.json").write_text(json.dumps(stamp))
    return folder / "site", f"built in {seconds:.0f} s (peak {peak:,.0f} MiB)"


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile (0 for no values)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)] if ordered else 0.0


def recorded(page: Any, action: Callable[[Any], None]) -> dict[str, Any]:
    """The frames while `action` runs: the longest interval and the 95th percentile (ms), the
    longest long animation frame (ms, 0 for none, None where Chromium reports none) and the entry
    itself (with its longest scripts), the number of frames."""
    page.evaluate("window.__mapBench.start()")
    action(page)
    frames = page.evaluate("window.__mapBench.stop()")
    intervals, loaf = frames["intervals"], frames["loaf"]
    longest = max(loaf or [], key=lambda entry: entry["duration"], default=None)
    return {"max": max(intervals, default=0.0), "p95": percentile(intervals, 95), "frames": len(intervals),
            "loaf": None if loaf is None else longest["duration"] if longest else 0.0, "longest": longest}


def map_centre(page: Any) -> tuple[float, float, float]:
    """(x, y, a quarter of the smaller side) of the map's visible middle, in the viewport."""
    page.locator(".cp-map").first.scroll_into_view_if_needed()
    box = page.locator(".cp-map").first.bounding_box()
    viewport = page.viewport_size
    top, bottom = max(box["y"], 0), min(box["y"] + box["height"], viewport["height"])
    return box["x"] + box["width"] / 2, (top + bottom) / 2, min(box["width"], bottom - top) / 4


def pan(seconds: float) -> Callable[[Any], None]:
    def action(page: Any) -> None:
        x, y, reach = map_centre(page)
        moves = [(reach, 0), (-reach, 0), (0, reach), (0, -reach), (reach, reach), (-reach, -reach)]
        end, count = time.monotonic() + seconds, 0
        while time.monotonic() < end:
            dx, dy = moves[count % len(moves)]
            page.mouse.move(x, y)
            page.mouse.down()
            page.mouse.move(x + dx, y + dy, steps=12)
            page.mouse.up()
            count += 1
        page.wait_for_timeout(500)  # the map's inertia after the last drag
    return action


def still(page: Any) -> None:
    page.wait_for_timeout(2000)  # nothing to do: the frames the page makes at rest, a yardstick


def zoom(page: Any) -> None:
    x, y, _ = map_centre(page)
    page.mouse.move(x, y)
    for delta in (-300, -300, -300, 300, 300, 300):
        page.mouse.wheel(0, delta)
        page.wait_for_timeout(600)


def filters(page: Any) -> None:
    for name, index in (("status", 1), ("country", 1), ("status", 0), ("country", 0)):
        page.locator(f'select[name="{name}"]').first.select_option(index=index)
        page.wait_for_timeout(SETTLE * 1000)


def one_round(playwright: Any, server: str, path: str, served: Served, pan_seconds: float) -> dict[str, Any]:
    """Open the map page in a new browser and measure it (see the module's docstring)."""
    browser = playwright.chromium.launch(executable_path=chromium(), args=[*FLAGS, f"--proxy-server={server}"])
    try:
        context = browser.new_context()
        context.add_init_script(path=str(PROBE))
        foreign: list[str] = []  # the page's and its workers' requests (the browser's own are not in these)
        context.on("request", lambda request: foreign.append(request.url) if not request.url.startswith(
            (f"{server}/", "data:", "blob:")) else None)
        page = context.new_page()
        errors: list[str] = []
        page.on("websocket", lambda socket: foreign.append(socket.url))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        served.reset()
        page.goto(f"{server}/{path}", wait_until="commit")
        page.wait_for_function("window.__mapBench && window.__mapBench.state !== null", polling=50, timeout=300000)
        state, first_frame = page.evaluate("[window.__mapBench.state, window.__mapBench.stateAt]")
        served.until_quiet()
        done = {"state": state, "first frame": first_frame, "download": list(served.files)}
        done["downloads done"] = page.evaluate(LAST_RESPONSE, first_frame)
        loading = page.evaluate("(before) => (window.__mapBench.loaf || []).filter((entry) => entry.start < before)",
                                first_frame)
        done["loading"] = {"blocking": sum(entry["blocking"] for entry in loading),
                           "longest": max(loading, key=lambda entry: entry["duration"], default=None)}
        if state == "ready":
            for phase, action in (("still", still), ("panning", pan(pan_seconds)), ("zooming", zoom),
                                  ("filtering", filters)):
                if phase != "filtering" or page.locator('select[name="status"]').count():  # else: no form
                    done[phase] = recorded(page, action)
        served.until_quiet()
        done.update(later=served.files[len(done["download"]):], foreign=foreign, errors=errors,
                    browser=sorted({host(url) for url in served.foreign} - {host(url) for url in foreign}))
        return done
    finally:
        browser.close()


def host(url: str) -> str:
    return urlsplit(url).hostname or url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000],
                        help="numbers of claims (1,000: what the map costs with few, a yardstick of the machine)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--places", type=int, default=300, help="places the claims gather around (0: anywhere)")
    parser.add_argument("--seed", type=int, default=1, help="of the synthetic claims")
    parser.add_argument("--checkout", type=Path, default=REPO, help="the claimpress checkout to measure")
    parser.add_argument("--page", default="map/", help="the map page's path in the site")
    parser.add_argument("--pan-seconds", type=float, default=4.0)
    parser.add_argument("--keep", type=Path, help="build the sites here, and use them again while they are current")
    args = parser.parse_args()
    if not chromium():
        sys.exit("the map benchmark needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    top = args.keep or Path(tempfile.mkdtemp(prefix="map-bench-"))
    results: dict[int, list[dict[str, Any]]] = {n: [] for n in args.sizes}
    notes: list[str] = []
    try:
        sites = {}
        for n in args.sizes:  # all built first, so that no build loads the machine while the browser runs
            sites[n], how = built_site(args.checkout.resolve(), n, args.places, args.seed,
                                       top / f"n{n}-places{args.places}-seed{args.seed}")
            notes.append(f"{n:,} claims: site {how}")
        with contextlib.ExitStack() as servers, sync_playwright() as playwright:
            served = {n: servers.enter_context(serve(site)) for n, site in sites.items()}
            loads = []
            for number in range(args.rounds):  # each round goes through every size: the machine drifts
                order = list(served)[number % len(served):] + list(served)[:number % len(served)]  # none always first
                for n in order:
                    url, record = served[n]
                    loads.append(os.getloadavg()[0])
                    results[n].append(one_round(playwright, url, args.page, record, args.pan_seconds))
        notes.append(f"the machine's load average (1 minute) as each round began: {min(loads):.1f} to "
                     f"{max(loads):.1f}, median {statistics.median(loads):.1f}, on {os.cpu_count()} cores")
        report(results, notes)
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
