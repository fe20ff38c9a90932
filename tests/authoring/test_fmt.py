"""`fmt` on hostile files: it runs as a pre-commit hook on contributors' files, so it must refuse
what `check` refuses, quickly, and never rewrite a file into something else."""
from __future__ import annotations

import re
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, make_project

from claimpress.check.load import load_claim, load_registry

MiB = 1024 * 1024


def run_fmt(root: Path, *args: str, limit_file_size: int | None = None) -> tuple[subprocess.CompletedProcess, float]:
    """`fmt` in a process of its own, and the processor time it took (not the wall time, which a
    busy machine stretches). `limit_file_size`: no file it writes may grow beyond that many bytes."""
    def limit() -> None:
        if limit_file_size is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "fmt", *args], cwd=root, capture_output=True,
                          text=True, timeout=120, preexec_fn=limit)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return done, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _fill(head: str, line: str, tail: str = "") -> str:
    """`head`, then `line` as many times as fit in 1 MiB with `tail`."""
    return head + line * ((MiB - len(head) - len(tail)) // len(line)) + tail


def _deep_block_mapping() -> str:
    lines, depth = ["---", "id: hostile"], 0
    while sum(len(x) + 1 for x in lines) + depth + 10 < MiB - 4:
        lines.append(" " * depth + f"k{depth}:")
        depth += 1
    return "\n".join(lines) + "\n---\n"


ALIAS_CHAIN = "---\nid: hostile\na0: &a0 [x, x]\n" + "".join(
    f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n" for i in range(1, 26)) + "---\nBody\n"

# name: (file, its text (a function of nothing: some are 1 MiB), the first error fmt prints)
HOSTILE: dict[str, tuple[str, Callable[[], str | bytes], str]] = {
    "alias chain (25 levels)": ("hostile.md", lambda: ALIAS_CHAIN,
                                "claims/hostile.md:3:5: error: anchor '&a0' is not allowed"),
    "billion laughs (1 MiB of aliases)": ("hostile.md", lambda: _fill("---\nid: hostile\na: &a [x]\nb:\n", "- *a\n", "---\n"),
                                          "claims/hostile.md:3:4: error: anchor '&a' is not allowed"),
    "[ x 5,000": ("hostile.md", lambda: "---\nid: hostile\nt: " + "[" * 5000 + "\n---\n",
                  "claims/hostile.md:3:35: error: nests deeper than 32 levels"),
    "[ x 1 MiB": ("hostile.md", lambda: _fill("---\nid: hostile\nt: ", "[", "\n---\n"),
                  "claims/hostile.md:3:35: error: nests deeper than 32 levels"),
    "{a: x 1 MiB": ("hostile.md", lambda: _fill("---\nid: hostile\nt: ", "{a: ", "\n---\n"),
                    "claims/hostile.md:3:128: error: nests deeper than 32 levels"),
    "deep block mappings": ("hostile.md", _deep_block_mapping, "claims/hostile.md:35:33: error: nests deeper than 32 levels"),
    "deep block sequences": ("hostile.md", lambda: "---\nid: hostile\nt:\n" + "- " * 5000 + "x\n---\n",
                             "claims/hostile.md:4:63: error: nests deeper than 32 levels"),
    "a 1 MiB line": ("hostile.md", lambda: _fill("---\nid: hostile\ntitle: ", "a", "\n---\n"),
                     "claims/hostile.md:2:1: error: holds 3 values in 1,048,568 characters of YAML; fmt formats at most "
                     "5,000 values and 100,000 characters, so it left it as it is; format this file by hand [fmt-too-large]"),
    "1 MiB of values": ("hostile.md", lambda: _fill("---\nid: hostile\naccused: [a", ",a", "]\n---\n"),
                        "claims/hostile.md:2:1: error: holds 524,275 values in 1,048,567 characters"),
    "1 MiB of comments": ("hostile.md", lambda: _fill("---\nid: hostile\n", "#\n", "---\n"),
                          "claims/hostile.md:2:1: error: holds 2 values in 1,048,568 characters"),
    "a tag": ("hostile.md", lambda: "---\nid: hostile\ntitle: !!binary aGk=\n---\n",
              "claims/hostile.md:3:8: error: tag 'tag:yaml.org,2002:binary' is not allowed; remove the tag [yaml-tag]"),
    "a duplicate key": ("hostile.md", lambda: "---\nid: hostile\ntitle: a\ntitle: b\n---\n",
                        "claims/hostile.md:4:1: error: title: duplicate key 'title' (first at line 3)"),
    "not UTF-8": ("hostile.md", lambda: b"---\nid: hostile\ntitle: caf\xe9\n---\n",
                  "claims/hostile.md:3:11: error: is not valid UTF-8 (byte 0xE9); save the file as UTF-8 [encoding]"),
    "carriage returns alone": ("hostile.md", lambda: "---\rid: hostile\r---\rBody\r",
                               "claims/hostile.md: error: ends its lines with a carriage return (CR) alone"),
    "a NUL": ("hostile.md", lambda: "---\nid: hostile\ntitle: a\0b\n---\n",
              "claims/hostile.md:3:9: error: contains the invisible or control character U+0000 (NUL)"),
    "no front matter": ("hostile.md", lambda: "id: hostile\n",
                        "claims/hostile.md:1:1: error: does not start with a '---' line"),
    "front matter never closed": ("hostile.md", lambda: "---\nid: hostile\n",
                                  "claims/hostile.md:1:1: error: front matter opened on line 1 is never closed"),
    "an alias in a registry": ("parties.yml", lambda: "a: &a {name: A, kind: state}\nb: *a\n",
                               "claims/parties.yml:1:4: error: anchor '&a' is not allowed"),
}


@pytest.mark.parametrize("shape", HOSTILE)
def test_fmt_refuses_what_check_refuses_in_seconds(tmp_path: Path, shape: str) -> None:
    """fmt ran for over a minute on a 4 KB alias chain, and failed with a RecursionError (exit 3)
    on deep nesting: the strict loader now reads each file first, and fmt prints its errors and
    leaves the file as it is, as it does a file too large to format in seconds."""
    name, make, first_error = HOSTILE[shape]
    root = make_project(tmp_path)
    path = root / "claims" / name
    text = make()
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    assert path.stat().st_size <= MiB
    before = path.read_bytes()
    done, took = run_fmt(root, f"claims/{name}")
    too_large = " holds " in first_error  # left as it is with a warning: fmt --check passes (a big registry)
    assert done.returncode == (0 if too_large else 1), done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    severity = "warning" if too_large else "error"
    errors = [line for line in done.stderr.splitlines() if f": {severity}: " in line]
    first_error = first_error.replace(": error: ", f": {severity}: ")
    assert errors[0].startswith(first_error), errors[:3]
    assert all(re.match(rf"claims/{re.escape(name)}(:\d+:\d+)?: {severity}: .+ \[[a-z-]+\]$", line) for line in errors)
    assert len(errors) <= 21  # the first 20, and how many more: check lists them all
    assert path.read_bytes() == before
    assert took < 5, f"fmt took {took:.1f} s of processor time"
    if "fmt-too-large" not in done.stderr:  # what fmt refuses, the loader `check` uses refuses too
        load = load_claim if name.endswith(".md") else load_registry
        doc, found = load(path, f"claims/{name}")
        assert doc is None and found[0].text() == errors[0]


# Files the strict loader accepts but ruamel.yaml would write back otherwise: a number's written
# form, a YAML 1.1 document (where NO is false), a comment inside a flow list, a '~' key; or
# cannot read: two keys that are one to it.
CHANGED = {
    "+1": ("changed.md", "---\nid: changed\ntitle: +1\n---\nBody\n",
           "claims/changed.md:3:8: error: title: fmt would change this value (written +1); "
           "put the value in quotes, or leave this file as it is [fmt-would-change]"),
    "%YAML 1.1": ("categories.yml", "%YAML 1.1\n---\nbarrel-bombs:\n  name: NO\n",
                  "claims/categories.yml:4:9: error: barrel-bombs.name: fmt would change this value"),
    "comment in a flow list": ("changed.md", "---\nid: changed\naccused: [example-army,  # the army\n"
                                             "  example-state]\n---\nBody\n",
                               "claims/changed.md:3:26: error: fmt would drop the comment '# the army'"),
    "~ as a key": ("changed.md", "---\nid: changed\n~: x\n---\nBody\n",
                   "claims/changed.md:3:4: error: ~: fmt would change this value"),
    "true and True": ("changed.md", "---\nid: changed\ntrue: a\nTrue: b\n---\nBody\n",
                      "claims/changed.md:4:1: error: ruamel.yaml cannot read it: found duplicate key"),
}


@pytest.mark.parametrize("case", CHANGED)
def test_fmt_never_changes_a_value_or_drops_a_comment(tmp_path: Path, case: str) -> None:
    """ruamel.yaml would write these back with another value (than the strict loader reads, and
    the site shows) or without a comment: fmt reads its result back, and leaves such a file as it is."""
    name, text, first_error = CHANGED[case]
    root = make_project(tmp_path)
    path = root / "claims" / name
    path.write_text(text)
    done, _ = run_fmt(root, f"claims/{name}")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(first_error), done.stderr
    assert path.read_text() == text


def test_fmt_does_not_write_through_a_link(tmp_path: Path) -> None:
    """A claim that is a symbolic link (`git add` keeps links) to a file outside claims/: fmt wrote
    the file it points to. It refuses it as check does, and still formats the other claims."""
    root = make_project(tmp_path / "p")
    outside = tmp_path / "outside.md"
    messy = "---\ntitle: A claim out of order\nid: linked\n---\nBody\n"
    outside.write_text(messy)
    (root / "claims" / "linked.md").symlink_to(outside)
    other = root / "claims" / "other.md"
    other.write_text(messy.replace("linked", "other"))
    done, _ = run_fmt(root)  # every file in claims/, as `fmt` with no path does
    assert done.returncode == 1
    assert done.stderr.startswith("claims/linked.md: error: is a symbolic link"), done.stderr
    assert outside.read_text() == messy and (root / "claims" / "linked.md").is_symlink()
    assert other.read_text() == "---\nid: other\ntitle: A claim out of order\n---\nBody\n"
    assert f"reformatted {root / 'claims' / 'other.md'}" in done.stdout


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="limits the size of files written (POSIX)")
def test_a_failed_write_leaves_the_claim_whole(tmp_path: Path) -> None:
    """A disk that fills up while fmt writes (here: a limit on the size of files it may write): fmt
    emptied the claim, then stopped with an internal error. It writes a new file beside it and
    renames it over the claim only once it is whole."""
    root = make_project(tmp_path)
    path = root / "claims" / "messy.md"
    messy = "---\ntitle: A claim out of order\nid: messy\n---\n" + "The analysis. " * 40 + "\n"
    path.write_text(messy)
    path.chmod(0o640)
    done, _ = run_fmt(root, "claims/messy.md", limit_file_size=100)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("claims/messy.md: error: cannot be written: File too large"), done.stderr
    assert path.read_text() == messy
    assert sorted(p.name for p in (root / "claims").iterdir()) == sorted(
        ["messy.md", *(p.name for p in (REPO / "tests" / "fixtures" / "project" / "claims").iterdir())])
    done, _ = run_fmt(root, "claims/messy.md")
    assert done.returncode == 0 and path.read_text().startswith("---\nid: messy\ntitle: A claim out of order\n---\n")
    assert path.stat().st_mode & 0o777 == 0o640  # the new file has the old one's permissions


def test_fmt_puts_a_translation_in_the_translation_schema_order(tmp_path: Path) -> None:
    """claims/<id>.<tag>.md is formatted as a translation: its own fields (translated, translators)
    take their place, and its body is kept."""
    root = make_project(tmp_path)
    path = root / "claims" / "valid-full.uk.md"
    path.write_text("---\ntitle: Приклад звинувачення  # переклад\nstatus: substantiated\n"
                    "translators: [Редакція]\ntranslated: 2020-07-02\n---\nАналіз.\n")
    done, _ = run_fmt(root, "claims/valid-full.uk.md")
    assert done.returncode == 0, done.stderr
    assert path.read_text() == ("---\ntranslated: 2020-07-02\ntranslators: [Редакція]\n"
                                "title: Приклад звинувачення  # переклад\nstatus: substantiated\n---\nАналіз.\n")
    assert run_fmt(root, "--check", "claims/valid-full.uk.md")[0].returncode == 0
