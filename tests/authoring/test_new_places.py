"""new --location suggests coordinates from the gazetteer (issue 25): GeoNames' data in the pinned package, on
disk, no network. --coordinates and --precision are checked with every other flag; --no-gazetteer, or "n"
at a terminal, refuses the suggestion."""
from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, front_matter, make_project

from claimpress.check.project import check_project

BASE = ["--claimant", "example-ngo", "--accused", "example-army", "--incident-date", "2022-02",
        "--category", "barrel-bombs"]


def new(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build_claims.py"), "new", *BASE, *args], cwd=root,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)


def incident(root: Path, done: subprocess.CompletedProcess) -> dict:
    assert done.returncode == 0, done.stderr
    return front_matter(root / done.stdout.strip())["incident"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def test_the_gazetteers_place_is_written_with_where_it_came_from(project: Path) -> None:
    done = new(project, "--title", "A school shelled", "--location", "A school in Okhtyrka", "--country", "Ukraine")
    assert incident(project, done) == {
        "date": "2022-02", "location": "A school in Okhtyrka", "country": "UA", "coordinates": [50.30852, 34.89468],
        "precision": "town",
        "position_source": "GeoNames 713749 (Okhtyrka), the town's position from the gazetteer, not the report's"}
    assert "coordinates [50.30852, 34.89468] and precision town are the gazetteer's for 'A school in Okhtyrka': " \
           "GeoNames 713749 (Okhtyrka, population 47,216)" in done.stderr
    result = check_project(project)
    assert result.errors == []
    assert "no-coordinates" not in {d.code for d in result.diagnostics if d.path == done.stdout.strip()}
    fmt = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "fmt", "--check"], cwd=project,
                         capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_of_several_places_of_one_name_the_most_populous_is_taken_and_the_others_named(project: Path) -> None:
    done = new(project, "--title", "Novoselivka shelled", "--location", "Novoselivka", "--country", "UA")
    assert incident(project, done)["coordinates"] == [46.00243, 29.61461]  # GeoNames 699215, 3,000 people
    assert "the most populous of 17 places named 'novoselivka' in UA was taken; the others: GeoNames 699217 " \
           "(Novoselivka, population 1,647) at 45.67576,29.26511;" in done.stderr
    assert "and 11 more" in done.stderr


def test_the_precision_given_is_kept_with_the_gazetteers_coordinates(project: Path) -> None:
    done = new(project, "--title", "Barrel bombs", "--location", "Villages in southern Idlib", "--country", "SY",
               "--precision", "Province")
    found = incident(project, done)
    assert (found["coordinates"], found["precision"]) == ([35.93062, 36.63393], "province")
    assert found["position_source"].startswith("GeoNames 169389 (Idlib)")


def test_coordinates_given_are_written_as_given_and_the_gazetteer_is_not_asked(project: Path) -> None:
    done = new(project, "--title", "Near Hajin", "--location", "Hajin", "--country", "SY",
               "--coordinates", "34.7, 40.83", "--precision", "district")
    assert incident(project, done) == {"date": "2022-02", "location": "Hajin", "country": "SY",
                                       "coordinates": [34.7, 40.83], "precision": "district"}
    assert "gazetteer" not in done.stderr


def test_no_gazetteer_and_a_place_it_does_not_know_leave_the_coordinates_out(project: Path) -> None:
    done = new(project, "--title", "One", "--location", "Okhtyrka", "--country", "UA", "--no-gazetteer",
               "--precision", "town")
    assert incident(project, done) == {"date": "2022-02", "location": "Okhtyrka", "country": "UA", "precision": "town"}
    done = new(project, "--title", "Two", "--location", "A field outside the village", "--country", "UA")
    assert "coordinates" not in incident(project, done)
    assert "the gazetteer knows no place named in 'A field outside the village' in UA" in done.stderr


def test_bad_coordinates_and_precision_are_told_with_every_other_problem(project: Path) -> None:
    done = new(project, "--title", "T", "--country", "Ukrain", "--location", "Okhtyrka",
               "--coordinates", "34.89468,150.30852e0", "--precision", "townn")
    assert done.returncode == 1
    errors = [line.split("error: ", 1)[1] for line in done.stderr.splitlines() if "error: " in line]
    assert errors == [
        "--country: 'Ukrain' is not a country: did you mean 'UA' (Ukraine)?",
        "--coordinates: '34.89468,150.30852e0' is not a latitude and a longitude in decimal degrees, such as "
        "50.30852,34.89468",
        "--precision: 'townn' is not a precision; did you mean 'town'? one of: exact, neighbourhood, town, district, "
        "province, country"]
    assert "3 problems; nothing was written" in done.stderr
    done = new(project, "--title", "T", "--country", "UA", "--coordinates", "134.9,50.3")
    assert "--coordinates: the latitude 134.9 is not between -90 and 90; did you give the longitude first?" \
        in done.stderr


def _at_a_terminal(root: Path, args: list[str], answers: str) -> tuple[int, str]:
    primary, secondary = pty.openpty()
    try:
        os.write(primary, answers.encode())
        done = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "new", *BASE, *args], cwd=root,
                              stdin=secondary, capture_output=True, text=True, timeout=120)
    finally:
        os.close(secondary)
        os.close(primary)
    return done.returncode, done.stderr + done.stdout


def test_a_person_at_a_terminal_may_refuse_the_suggestion(project: Path) -> None:
    code, out = _at_a_terminal(project, ["--title", "Refused", "--location", "Kharkiv", "--country", "UA"], "n\n")
    assert code == 0 and "Use the gazetteer's coordinates? [Y/n]" in out, out
    assert "coordinates" not in front_matter(project / "claims" / "refused-2022.md")["incident"]
    code, out = _at_a_terminal(project, ["--title", "Taken", "--location", "Kharkiv", "--country", "UA"], "\n")
    assert code == 0, out
    assert front_matter(project / "claims" / "taken-2022.md")["incident"]["coordinates"] == [49.98177, 36.25475]
