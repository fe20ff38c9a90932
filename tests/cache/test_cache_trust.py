"""Caches are plain data, sealed with this machine's key: a cache file that a pull request brings
(`git add -f .cache/claimpress/...`, whose names anyone can work out) runs no code when read, puts
nothing on the site, and is not used at all where git tracks it."""
from __future__ import annotations

import json
import marshal
import pickle
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import cbor2
import pytest
from conftest import FIXTURES, REPO, make_project
from markupsafe import Markup
from sitebuild import build, copy_project, fixture_project, set_setting, snapshot

from claimpress import cache
from claimpress.build import generate
from claimpress.cache import CONVERTERS, BuildStamp, CheckCache, Store, code_version, digest, library_versions, trust
from claimpress.check.load import load_claim
from claimpress.check.project import check_project
from claimpress.check.rules import latest_allowed_date
from claimpress.diagnostics import Diagnostic
from claimpress.render.text import analysis_html, cleaning_rules
from claimpress.search.cache import SEARCH_CACHE, SearchCache

SCRIPT = '<script>alert("forged")</script>'


class _Bomb:
    """Unpickled, it creates the file at `path`: what a pickle committed under .cache/ could do."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self) -> tuple:
        return (open, (self.path, "w"))


def forged_seal(payload: bytes) -> bytes:
    """What a forger can write in a sealed file: everything but a MAC made with this machine's key."""
    return trust.MAGIC + bytes(trust.TAG_BYTES) + payload


def forged_row(payload: bytes) -> tuple[bytes, bytes]:
    """A store row's value and MAC, as a forger can write them."""
    return payload, bytes(trust.TAG_BYTES)


def analysis_key(claim: Path) -> str:
    """The store's key of a claim's analysis HTML, as anyone can work it out (render.claim_pages)."""
    doc, _ = load_claim(claim, "x")
    if doc is None:  # a claim that does not load has no analysis
        return "-"
    return digest(library_versions(CONVERTERS).encode() + cleaning_rules(), doc.body.encode("utf-8", "surrogatepass"))


def forged_store(root: Path, rows: dict[str, dict[str, bytes | tuple[bytes, bytes]]]) -> Path:
    """A store file holding `rows` (table -> key -> stored value): in tables of the store's older
    format (key, value), or of today's (key, value, MAC) where the values are pairs."""
    path = root / ".cache" / "claimpress" / f"store-{code_version()}.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    today = any(isinstance(v, tuple) for table in rows.values() for v in table.values())
    with sqlite3.connect(path) as db:
        for table in Store.TABLES:
            columns = cache.keys.COLUMNS if today else "key TEXT PRIMARY KEY, value BLOB"
            db.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
            db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?{', ?' if today else ''})",
                           [(key, *value) if today else (key, value) for key, value in rows.get(table, {}).items()])
    db.close()
    return path


@pytest.fixture
def key_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A key folder of the test's own; the machine's key is read from it afresh."""
    folder = tmp_path / "key"
    monkeypatch.setenv(trust.KEY_DIR_ENV, str(folder))
    trust.machine_key.cache_clear()
    yield folder
    trust.machine_key.cache_clear()


# --- (a) no cache runs code when read ----------------------------------------------------------------

def test_a_pickle_at_any_cache_name_runs_nothing_in_check_and_build(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    sentinel = tmp_path / "pwned"
    bomb = pickle.dumps(_Bomb(sentinel))
    folder = root / ".cache" / "claimpress"
    folder.mkdir(parents=True)
    version = code_version()
    for name in (f"check-{version}.pickle", f"check-{version}.cbor", f"generated-{version}.pickle",
                 f"generated-{version}.cbor", f"analysis-{version}.pickle"):
        (folder / name).write_bytes(bomb)
    # The store, with a pickle under every key the check and the build look up.
    claims = sorted((root / "claims").glob("*.md"))
    documents = {cache.document_key(c.name, digest(c.read_bytes())): bomb for c in claims}
    analyses = {analysis_key(c): bomb for c in claims}
    pages = {f"claims/{c.stem}.md": bomb for c in claims}
    forged_store(root, {"documents": documents, "analyses": analyses, "pages": pages})
    # And a bundle of the search cache whose manifest, by either name, is one.
    bundle = root / SEARCH_CACHE / ("0" * 32)
    bundle.mkdir(parents=True)
    for name in ("claimpress-manifest.json", SearchCache.MANIFEST):
        (bundle / name).write_bytes(bomb)

    checked = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "check"], cwd=root,
                             capture_output=True, text=True)
    assert checked.returncode in (0, 1) and "internal error" not in checked.stderr, checked.stderr
    assert not sentinel.exists()
    built = build(root)
    assert built.returncode == 0, built.stderr
    assert not sentinel.exists()
    assert not list(folder.glob("*.pickle"))  # never read; the files of older versions are removed


def test_a_validator_in_the_cache_folder_runs_only_if_made_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The schema validators are kept compiled, as bytecode, in the user's cache folder, which
    XDG_CACHE_HOME may put inside the project: bytecode planted there under the name the check
    looks for is not run."""
    from claimpress.check import schema

    root = make_project(tmp_path / "p")
    sentinel = tmp_path / "pwned"
    cache_home = root / ".cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    planted = compile(f"open({str(sentinel)!r}, 'w').close()\ndef validate(data):\n    return data\n", "x", "exec")
    (cache_home / "claimpress").mkdir(parents=True)
    for kind in schema.KINDS:
        name = f"validator-{kind}-{code_version()}-{schema.fastjsonschema.VERSION}-{sys.implementation.cache_tag}.bin"
        (cache_home / "claimpress" / name).write_bytes(marshal.dumps(planted))
    schema._fast.cache_clear()
    try:
        assert not any(d.is_error for d in check_project(root, documents=False).diagnostics)
    finally:
        schema._fast.cache_clear()
    assert not sentinel.exists()


# --- (b) a forged analysis does not reach the site -----------------------------------------------------

@pytest.mark.parametrize("form", ["pickle", "sealed"])
def test_a_forged_analysis_is_not_published(tmp_path: Path, form: str) -> None:
    """A store row keyed by the digest of a claim's analysis, holding raw HTML: the page shows the
    analysis as analysis_html makes it (nh3), never the row. "pickle" is how the store kept rows
    before; "sealed" is today's format, with any MAC but this machine's."""
    root = copy_project(tmp_path / "p", FIXTURES / "project" / "claims")
    claim = root / "claims" / "valid-full.md"
    value = pickle.dumps(Markup(SCRIPT)) if form == "pickle" else forged_row(cbor2.dumps(SCRIPT))
    forged_store(root, {"analyses": {analysis_key(claim): value}})
    assert generate(root).changes is not None
    page = (root / "docs" / "claims" / "valid-full.md").read_text()
    assert "<script>alert" not in page
    doc, _ = load_claim(claim, "x")
    assert str(analysis_html(doc.body)) in page and "Two reports from independent publishers" in page


def test_an_analysis_sealed_here_is_what_the_page_shows(tmp_path: Path) -> None:
    """The control for the test above: the same row, sealed with this machine's key, is used (so the
    forged rows were looked up under the right key, and refused for their MAC)."""
    root = copy_project(tmp_path / "p", FIXTURES / "project" / "claims")
    store = Store(root)
    store.put("analyses", analysis_key(root / "claims" / "valid-full.md"), "<p>KEPT-ANALYSIS</p>")
    store.close()
    assert generate(root).changes is not None
    assert "<p>KEPT-ANALYSIS</p>" in (root / "docs" / "claims" / "valid-full.md").read_text()


@pytest.mark.parametrize("form", ["pickle", "sealed"])
def test_a_forged_page_stamp_does_not_keep_a_page_checked_out_by_git(tmp_path: Path, form: str) -> None:
    """A page under docs/claims/ that git checks out, with a store row saying it is current (its key,
    the digest of its text, its signature): it is made again, not published as it came."""
    root = copy_project(tmp_path / "p", FIXTURES / "project" / "claims")
    assert generate(root).changes is not None  # only to learn the page's key, as a forger can
    store = Store(root)
    key = store.get("pages", "claims/valid-full.md")[0]
    store.close()
    shutil.rmtree(root / ".cache")
    page = root / "docs" / "claims" / "valid-full.md"
    page.write_text(f"{SCRIPT}\n")
    st = page.stat()
    signature = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    text = digest(page.read_bytes())
    value = (pickle.dumps((key, signature, text)) if form == "pickle"
             else forged_row(cbor2.dumps([key, signature, text])))
    forged_store(root, {"pages": {"claims/valid-full.md": value}})
    assert generate(root).changes is not None
    assert "<script>" not in page.read_text() and "Two reports from independent publishers" in page.read_text()


def test_a_store_file_with_more_than_the_stores_tables_is_replaced(tmp_path: Path) -> None:
    """A store file whose schema has a trigger (or a view, or anything else the store does not
    make) is not used: SQLite would run the trigger at each row the check writes."""
    root = make_project(tmp_path / "p")
    Store(root).close()  # the store's own tables...
    [path] = (root / ".cache" / "claimpress").glob("store-*.sqlite")
    with sqlite3.connect(path) as db:  # ...and triggers
        db.execute("CREATE TABLE marks (n INTEGER)")
        for table in Store.TABLES:
            db.execute(f"CREATE TRIGGER mark_{table} AFTER INSERT ON {table} BEGIN INSERT INTO marks VALUES (1); END")
    db.close()
    check_project(root, documents=False)
    with sqlite3.connect(path) as db:
        names = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        assert db.execute("SELECT count(*) FROM documents").fetchone()[0] > 0  # the check wrote its rows
    db.close()
    assert "marks" not in names and not any(name.startswith("mark_") for name in names)


# --- (c) a forged search bundle is not linked into the site ---------------------------------------------

def test_a_forged_search_bundle_is_not_published(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    set_setting(root, "pages_per_search_index", 3)
    assert build(root).returncode == 0
    site, search = root / "site", root / SEARCH_CACHE
    before = {b.name: sorted(snapshot(b)) for b in site.glob("pagefind*")}
    parts = len(list(search.iterdir()))
    assert parts >= 2 and list(before) == ["pagefind"]
    # Each cached bundle, as a pull request could bring it: a script added to Pagefind's, and the list
    # of files and digests made again: in the manifest of older versions, then in today's, whose MAC
    # it cannot make.
    for manifest in ("claimpress-manifest.json", SearchCache.MANIFEST):
        for bundle in search.iterdir():
            for old in bundle.glob("claimpress-manifest*"):
                old.unlink()
            script = next(bundle.glob("*.js"))
            script.write_bytes(script.read_bytes() + b"\nalert('forged');\n")
            listed = json.dumps({p.relative_to(bundle).as_posix(): [p.stat().st_size, digest_file(p)]
                                 for p in sorted(bundle.rglob("*")) if p.is_file()}).encode()
            (bundle / manifest).write_bytes(listed if manifest.endswith(".json") else forged_seal(listed))
        shutil.rmtree(site)  # else the build stops early (site/ is up to date) and reads no cache
        again = build(root)
        assert again.returncode == 0, again.stderr
        assert f"{parts} of {parts} part(s) indexed" in again.stderr, manifest  # none from the cache
        after = {b.name: snapshot(b) for b in site.glob("pagefind*")}
        assert {name: sorted(files) for name, files in after.items()} == before
        assert not any(b"forged" in data for files in after.values() for data in files.values()), manifest


def digest_file(path: Path) -> str:
    import hashlib

    with open(path, "rb") as data:
        return hashlib.file_digest(data, "blake2b").hexdigest()


# --- a forged or stale "nothing changed" stamp does not skip the generation ------------------------------

@pytest.mark.parametrize("form", ["pickle", "sealed"])
def test_a_forged_build_stamp_does_not_skip_the_generation(tmp_path: Path, form: str) -> None:
    """A stamp saying nothing changed since a generation that wrote a page git checked out: the
    generation runs, and removes the page."""
    root = copy_project(tmp_path / "p", FIXTURES / "project" / "claims")
    planted = root / "docs" / "claims" / "planted.md"
    planted.parent.mkdir(parents=True)
    planted.write_text(f"{SCRIPT}\n")
    stamp = BuildStamp(root)
    inputs = stamp.inputs(latest_allowed_date().isoformat())
    outputs = [("claims/planted.md", cache.keys.file_signature(planted))]
    stamp.path.parent.mkdir(parents=True, exist_ok=True)
    if form == "pickle":
        stamp.path.with_suffix(".pickle").write_bytes(pickle.dumps((inputs, outputs, "")))
    else:
        stamp.path.write_bytes(forged_seal(cbor2.dumps([cache.stamps._inputs_digest(inputs), outputs, ""])))
    generated = generate(root)
    assert generated.check is not None and generated.changes is not None  # not skipped
    assert not planted.exists()


def test_a_page_added_since_the_last_generation_is_removed_even_when_nothing_else_changed(tmp_path: Path) -> None:
    """The stamp of a real generation covers only the files it wrote: a page added since among
    them (checking out a branch that forces one into git, say) makes the build generate again."""
    root = copy_project(tmp_path / "p", FIXTURES / "project" / "claims")
    time.sleep(2.1)  # files changed in the last two seconds are never trusted (racily clean)
    assert generate(root).changes is not None
    assert generate(root).check is None  # nothing changed: skipped
    planted = root / "docs" / "claims" / "planted.md"
    planted.write_text(f"{SCRIPT}\n")
    again = generate(root)
    assert again.check is not None and not planted.exists()


# --- (d) a MAC that does not verify is a miss; one that does, a hit -----------------------------------------

def test_a_store_row_is_used_only_with_its_mac(tmp_path: Path, key_dir: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "p"
    store = Store(root)
    store.put("analyses", "k1", "<p>one</p>")
    store.put("analyses", "k2", "<p>two</p>")
    store.close()
    store = Store(root)
    assert store.get("analyses", "k1") == "<p>one</p>"  # a hit
    assert store.get_packed("analyses", "k1") == cbor2.dumps("<p>one</p>")
    store.close()
    with sqlite3.connect(next((root / ".cache" / "claimpress").glob("store-*.sqlite"))) as db:
        value, mac = db.execute("SELECT value, tag FROM analyses WHERE key = 'k1'").fetchone()
        flipped = bytearray(value)
        flipped[-3] ^= 1  # one bit of the HTML
        db.execute("UPDATE analyses SET value = ? WHERE key = 'k1'", (bytes(flipped),))
        db.execute("INSERT INTO analyses VALUES ('k3', ?, ?)", (value, mac))  # a row made for another key
        db.execute("INSERT INTO documents SELECT * FROM analyses WHERE key = 'k2'")  # and another table
        db.execute("INSERT INTO pages VALUES ('p', ?, ?)", ("text, not bytes", mac))
    db.close()
    store = Store(root)
    assert store.get("analyses", "k1") is None and store.get("analyses", "k3") is None
    assert store.get("documents", "k2") is None  # nor in another table
    assert store.get("pages", "p") is None
    assert store.get("analyses", "k2") == "<p>two</p>"
    store.close()
    # Another machine (another key): nothing it wrote is valid here.
    monkeypatch.setenv(trust.KEY_DIR_ENV, str(key_dir.parent / "other-key"))
    trust.machine_key.cache_clear()
    store = Store(root)
    assert store.get("analyses", "k2") is None
    store.close()


def test_the_check_cache_is_used_only_with_its_mac(tmp_path: Path, key_dir: Path) -> None:
    root = make_project(tmp_path / "p", FIXTURES / "claims" / "unknown-rating.md")
    first = check_project(root, documents=False).diagnostics
    [path] = (root / ".cache" / "claimpress").glob("check-*.cbor")
    assert CheckCache(root).entries  # a hit...
    sealed = path.read_bytes()
    path.write_bytes(sealed[:-1] + bytes([sealed[-1] ^ 1]))
    assert CheckCache(root).entries == {}  # ...and, one bit changed, a miss
    assert check_project(root, documents=False).diagnostics == first


def test_the_key_is_made_once_private_and_kept(tmp_path: Path, key_dir: Path) -> None:
    key = trust.machine_key()
    path = key_dir / trust.KEY_FILE
    assert path.read_bytes() == key and len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    trust.machine_key.cache_clear()
    assert trust.machine_key() == key  # read back, not made again
    path.chmod(0o666)  # a key that others could have written is not trusted: a new one
    trust.machine_key.cache_clear()
    assert trust.machine_key() != key and stat.S_IMODE(path.stat().st_mode) == 0o600


# --- a cache that git tracks is not used ------------------------------------------------------------------

def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root,
                   check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("how", ["files", "link"])
def test_caches_that_git_tracks_are_not_used(tmp_path: Path, how: str) -> None:
    """Even entries sealed on this machine (committed by mistake, then checked out again) are not
    read where git tracks them, or tracks .cache as a link to them; the check says so, once."""
    root = make_project(tmp_path / "p")
    check_project(root, documents=False)
    saved = CheckCache(root)
    marked = Diagnostic("claims/valid-full.md", 1, 1, "warning", "marked", "MARKED")
    saved.used = {key: ([*value[0], marked], value[1]) if key[0] == "valid-full.md" else value
                  for key, value in saved.entries.items()}
    saved.dirty = True
    saved.save()
    git(root, "init", "-q")
    if how == "link":
        (root / ".cache").rename(tmp_path / "elsewhere")
        (root / ".cache").symlink_to(tmp_path / "elsewhere")
        git(root, "add", "-f", ".cache")
    else:
        git(root, "add", "-f", ".cache/claimpress")
    git(root, "commit", "-q", "-m", "caches")
    tracked = {p: p.read_bytes() for p in (root / ".cache" / "claimpress").iterdir()}
    done = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "check"], cwd=root,
                          capture_output=True, text=True)
    assert done.returncode == 0 and "MARKED" not in done.stdout + done.stderr
    assert done.stderr.count("git tracks files under .cache/claimpress/") == 1
    assert {p: p.read_bytes() for p in (root / ".cache" / "claimpress").iterdir()} == tracked  # nor written


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_key_that_git_tracks_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """$CLAIMPRESS_CACHE_KEY_DIR or $XDG_CACHE_HOME may name a folder of a repository: a key that a
    commit brings is known to whoever wrote it."""
    repo = tmp_path / "repo"
    (repo / "keys").mkdir(parents=True)
    known = bytes(range(32))
    (repo / "keys" / trust.KEY_FILE).write_bytes(known)
    (repo / "keys" / trust.KEY_FILE).chmod(0o600)
    git(repo, "init", "-q")
    git(repo, "add", "-f", "keys")
    git(repo, "commit", "-q", "-m", "key")
    monkeypatch.setenv(trust.KEY_DIR_ENV, str(repo / "keys"))
    trust.machine_key.cache_clear()
    try:
        assert trust.machine_key() != known
    finally:
        trust.machine_key.cache_clear()
    assert "is tracked by git" in capsys.readouterr().err
    assert (repo / "keys" / trust.KEY_FILE).read_bytes() == known  # left as it is


def test_check_writes_no_cache_through_a_linked_cache_folder(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """git stores links: a .cache linked elsewhere had check write its caches where it pointed."""
    from claimpress.cache import trust
    from claimpress.cli import main

    trust._warned.clear()  # said once a process: this test must see it said
    root = make_project(tmp_path / "p")
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / ".cache").symlink_to(outside)
    assert main(["--root", str(root), "check"]) == 0
    assert list(outside.iterdir()) == []
    assert capsys.readouterr().err.count(".cache is a symbolic link, so its caches are not used") == 1
