"""data/claims-index.js: the all-claims table's data as a script, for a site opened from disk (file://),
where browsers refuse fetch(). It must hold what claims-index.json holds, escaped so that no text can end
the script or a string in it, the same bytes at every build. (The browser side: integration/test_from_disk.py.)"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, REPO, front_matter, make_project

from claimpress.check.project import check_files
from claimpress.model import build_catalog
from claimpress.render.exports import script_safe
from claimpress.render.site import claims_index, claims_index_script

MAKE_SCRIPT = """import sys
from pathlib import Path
from claimpress.check.project import check_files
from claimpress.model import build_catalog
from claimpress.render.site import claims_index, claims_index_script
sys.stdout.buffer.write("".join(claims_index_script(claims_index(build_catalog(check_files(Path(sys.argv[1])))))).encode())
"""
HOSTILE_TITLE = front_matter(FIXTURES / "hostile" / "hostile-everything.md")["title"]


def test_the_data_script_is_the_json_escaped_and_the_same_every_time(tmp_path: Path) -> None:
    """data/claims-index.js, the table's data for a site opened from disk, holds what claims-index.json
    holds, with no character that could end a script or a string, and is the same at every run."""
    root = make_project(tmp_path / "p", *sorted((FIXTURES / "hostile").glob("*.md")))
    script = "".join(claims_index_script(claims_index(build_catalog(check_files(root)))))
    # Another process, its sets and dicts hashed with another seed: the same bytes (run from REPO: `-c`
    # imports this checkout's claimpress, not whichever the venv has installed).
    for seed in ("1", "2"):
        again = subprocess.run([sys.executable, "-c", MAKE_SCRIPT, str(root)], capture_output=True, check=True,
                               cwd=REPO, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        assert again == script.encode("utf-8")
    prefix, suffix = "window.claimpressIndex = ", ";\n"
    assert script.startswith(prefix) and script.endswith(suffix)
    body = script[len(prefix):-len(suffix)]
    assert not set("<>&\n\u2028\u2029") & set(body)
    assert json.loads(body) == json.loads("".join(claims_index(build_catalog(check_files(root)))))
    assert HOSTILE_TITLE in [row[1] for row in json.loads(body)["claims"]]
    # Text that claims cannot hold (check refuses U+2028 and U+2029) is escaped all the same.
    text = 'a </script><!-- \u2028 \u2029 & "b"'
    assert json.loads(script_safe(json.dumps(text, ensure_ascii=False))) == text
    assert not set("<>&\u2028\u2029") & set(script_safe(json.dumps(text, ensure_ascii=False)))


def test_the_built_site_has_the_data_script_beside_the_json(fixture_site: Path) -> None:
    script = (fixture_site / "site" / "data" / "claims-index.js").read_text(encoding="utf-8")
    data = json.loads((fixture_site / "site" / "data" / "claims-index.json").read_text(encoding="utf-8"))
    assert json.loads(script.removeprefix("window.claimpressIndex = ").removesuffix(";\n")) == data
