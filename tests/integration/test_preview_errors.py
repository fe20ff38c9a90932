"""The preview's terminal tells only what changed among the claims' problems since the last save."""
from __future__ import annotations

import re
import time
from pathlib import Path

from sitebuild import fixture_project
from test_serve import _assert_stopped_cleanly, _free_port, _preview, _wait_for

SAVED = "[claimpress] change seen at"


def _saves(log: Path) -> list[str]:
    """The preview's output, in one part for its start and one for each regeneration."""
    return log.read_text().split(SAVED)


def _problems(text: str) -> list[str]:
    """The diagnostics in a part of the output, as check prints them."""
    return re.findall(r"^\S.*: (?:error|warning): .*\[[a-z-]+\]$", text, re.M)


def _after_save(log: Path, seen: int, seconds: float = 40) -> str:
    """The output of the regenerations after the first `seen`, once one has ended."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        saves = _saves(log)[1:]
        if len(saves) > seen and re.search(r"^(docs/:|not generated)", saves[-1], re.M):
            return "".join(saves[seen:])
        time.sleep(0.2)
    raise AssertionError(f"no regeneration ended: {log.read_text()[-3000:]}")


def test_the_terminal_tells_only_what_changed_since_the_last_save(tmp_path: Path) -> None:
    """Each save printed every warning of every claim again around its one new error (13 of them in
    the samples). Now the first generation prints them all, and each save only the new problems and
    a line for each one fixed; a problem that moved (a line added above it) is the same problem."""
    root = fixture_project(tmp_path / "p")
    port = _free_port()
    log_path = tmp_path / "serve.log"
    log = log_path.open("w+")
    temporary = tmp_path / "tmp"
    process = _preview(root, port, temporary, log)
    claim = root / "claims" / "valid-minimal.md"
    original = claim.read_text()

    def save(text: str) -> str:
        seen = len(_saves(log_path)) - 1
        time.sleep(1)
        claim.write_text(text)
        return _after_save(log_path, seen)

    try:
        assert _wait_for(f"http://127.0.0.1:{port}/claims/valid-minimal/", "only the required fields", 60) is not None
        first = _problems(_saves(log_path)[0])
        assert len(first) == 5 and sum("claims/valid-minimal.md:" in line for line in first) == 3, first

        misspelt = save(original.replace("status: unverified", "status: singel-source"))
        assert _problems(misspelt) == ["claims/valid-minimal.md:13:9: error: status: 'singel-source' is not a rating "
                                       "in claims/ratings.yml; did you mean 'single-source'? [unknown-rating]"], misspelt
        assert "checked 7 files: 1 error, 5 warnings (5 as before, not repeated)" in misspelt
        assert "fixed:" not in misspelt

        # A status the schema refuses: the file's rules do not run, and its warnings are not reported,
        # but they are not fixed either. The misspelt status was, by another error in its place.
        refused = save(original.replace("status: unverified", "status: Singel"))
        assert _problems(refused) == ["claims/valid-minimal.md:13:9: error: status: 'Singel' must be lowercase a-z and "
                                      "0-9 in words joined by single hyphens; did you mean 'singel'? [invalid-format]"]
        assert re.findall("^fixed: .*", refused, re.M) == [
            "fixed: claims/valid-minimal.md: status: 'singel-source' is not a rating in claims/ratings.yml "
            "[unknown-rating]"], refused

        # Fixed, with a line added above every warning of the file: nothing to repeat.
        fixed = save(original.replace("---\n", "---\n# reviewed\n", 1))
        assert _problems(fixed) == [], fixed
        assert re.findall("^fixed: .*", fixed, re.M) == [
            "fixed: claims/valid-minimal.md: status: 'Singel' must be lowercase a-z and 0-9 in words joined by single "
            "hyphens [invalid-format]"], fixed
        assert "checked 7 files: 0 errors, 5 warnings (5 as before, not repeated)" in fixed

        # A warning fixed is said too, and the one the fix brings.
        sourced = save(original.replace("  - title: null\n", "  - title: null\n    url: https://example.org/r\n"))
        assert [line.split(": warning: ")[1][-12:] for line in _problems(sourced)] == ["[no-archive]"], sourced
        assert re.findall("^fixed: .*", sourced, re.M) == [
            "fixed: claims/valid-minimal.md: evidence[0]: has no url, so readers cannot follow this source "
            "[no-source-url]"], sourced
    finally:
        process.terminate()
        process.wait(timeout=180)
        log.close()
    _assert_stopped_cleanly(port, temporary)

