"""What the pages were made from: a page whose inputs did not change is not rendered again
(PageStamps), and a generation whose inputs did not change is not run again (BuildStamp)."""
from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import cbor2

from ..config import load_config
from ..pages_record import NavViews, Pages, Previous
from ..render.topojson import SHAPES
from ..write import files_below
from . import trust
from .keys import (
    CHECKING_LIBRARIES,
    RACY_NS,
    RENDERING_LIBRARIES,
    UNREADABLE,
    code_version,
    digest,
    file_signature,
    library_versions,
    purpose,
    signature,
    tree,
    usable,
)
from .store import Store


class PageStamps:
    """Claim and facet pages that are already what their inputs make, so that the render step skips them.

    A page's key is a digest of everything it is made from (pages.claim_page_keys,
    pages.facet_page_key): for a claim page, the claim's checked data and that of the claims it
    links to; for a facet page, the keys of the claims it lists; for both, the registries, the
    settings, the templates, and the code and libraries that render them. Once a page is written,
    its key is kept with the digest of its text and the file's signature. A page whose key is the
    same, and whose file is untouched since, is current: it is not rendered again. As in the check
    cache, a signature is trusted only once the file is a few seconds old (git's "racily clean"); a
    younger file is read and compared by digest instead, which is still a tenth of rendering it."""

    TABLE = "pages"
    settle_ns = RACY_NS

    def __init__(self, store: Store, docs: Path) -> None:
        self.store = store
        self.docs = f"{docs}{os.sep}"
        self.keys: dict[str, str] = {}   # path under docs/ -> key, for pages to record this run
        self.texts: dict[str, str] = {}  # path -> digest of the text, for pages rendered this run
        self.skipped: Counter[str] = Counter()  # top folder under docs/ (claims, browse) -> pages skipped
        # The table (value and MAC by path), read at the first question: one query, not one a page.
        self.stored: dict[str, tuple[bytes, bytes]] | None = None

    def current(self, rel: str, key: str) -> bool:
        """Whether the page is what `key` makes; if not, it is to be rendered, and `made` told."""
        if self.stored is None:
            self.stored = self.store.rows(self.TABLE)
        row = self.stored.pop(rel, None)
        stored = self.store.opened(self.TABLE, rel, row) if row is not None else None
        if stored is not None:
            self.store.keep(self.TABLE, rel)
        if stored is not None and stored[0] == key:
            _, signature, text = stored
            if signature is not None and tuple(signature) == file_signature(self.docs + rel):
                self.skipped[rel.split("/", 1)[0]] += 1
                return True
            try:
                with open(self.docs + rel, "rb") as handle:
                    same = digest(handle.read()) == text
            except OSError:
                same = False
            if same:
                self.skipped[rel.split("/", 1)[0]] += 1
                self.keys[rel], self.texts[rel] = key, text  # recorded again: its signature may be settled now
                return True
        self.keys[rel] = key
        return False

    def made(self, rel: str, text: str) -> None:
        self.texts[rel] = digest(text.encode("utf-8"))

    def record(self) -> None:
        """After the pages are written: keep key, text digest and file signature of the pages seen."""
        now = time.time_ns()
        for rel, key in self.keys.items():
            signature = file_signature(self.docs + rel)
            settled = signature is not None and now - max(signature[1], signature[2]) > self.settle_ns
            if rel in self.texts:
                self.store.put(self.TABLE, rel, [key, signature if settled else None, self.texts[rel]])
        self.keys.clear()
        self.texts.clear()


class BuildStamp:
    """What the last generation read and wrote, by file signatures: when nothing it read has changed
    and nothing it wrote was touched since, generating again would write nothing, so it is skipped."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / ".cache" / "claimpress" / f"generated-{code_version()}.cbor"
        self.usable = usable(root)

    def inputs(self, today: str) -> tuple:
        root = self.root
        # The settings as read, not only mkdocs.yml's signature: site_url may come from the environment.
        return (today, tree(root / "claims"), tree(root / "templates"), file_signature(root / "mkdocs.yml"),
                sys.version, library_versions((*RENDERING_LIBRARIES, *CHECKING_LIBRARIES)),
                dataclasses.astuple(load_config(root)), file_signature(root / "docs" / SHAPES),  # the maps' shapes
                tree(root / "locale"))  # the interface's catalogues

    def unchanged(self, inputs: tuple) -> str | None:
        """The report of the last run (as save() was given it), if it is still valid; None when generation must run."""
        if not self.usable:
            return None
        try:
            payload = _read_sealed(self.path, "generated")
            if payload is None:
                return None
            saved_inputs, outputs, report = cbor2.loads(payload)
            if saved_inputs != _inputs_digest(inputs) or not isinstance(report, str):
                return None
            written = {rel: tuple(signature) for rel, signature in outputs if signature is not None}
        except (OSError, *UNREADABLE):
            return None
        # Every file in the folders and files the generation owns is one it wrote, untouched since: a
        # file added among them (a page that git checked out, say) is not published unless a
        # generation removes it.
        docs = self.root / "docs"
        found = 0
        for top in {rel.partition("/")[0] for rel in written}:
            if top in written:  # a file: claims.atom
                found += 1
                if file_signature(docs / top) != written[top]:
                    return None
                continue
            for rel, entry in files_below(str(docs / top), f"{top}/"):
                found += 1
                st = entry.stat()
                if written.get(rel) != signature(st):
                    return None
        return report if found == len(written) else None

    def save(self, inputs: tuple, generated: list[str], report: str) -> None:
        """Record a generation; not when an input changed in the last seconds (racily clean): it may
        change again without its signature changing."""
        docs = f"{self.root / 'docs'}{os.sep}"  # as unchanged() reads them; no Path a file: 52,000 at 50,000 claims
        if not self.usable:
            return
        outputs = [(rel, file_signature(docs + rel)) for rel in generated]
        signatures = [s for tree in (inputs[1], inputs[2], inputs[8]) for _, s in tree if s] + [inputs[3], inputs[7]]
        newest = max([max(s[1], s[2]) for s in signatures if s] + [0])
        try:
            for old in self.path.parent.glob("generated-*"):  # older versions' (pickles, once: never read)
                if old != self.path:
                    old.unlink()
            if time.time_ns() - newest < RACY_NS:
                self.path.unlink(missing_ok=True)
                return
            _write_sealed(self.path, "generated", cbor2.dumps([_inputs_digest(inputs), outputs, report]))
        except (OSError, *UNREADABLE):
            pass


def _inputs_digest(inputs: tuple | list | dict) -> str:
    """A digest of BuildStamp.inputs: a file name not in UTF-8 raises ValueError."""
    return digest(cbor2.dumps(inputs))


# What makes the site from docs/ besides claimpress' own code: a new version of one may change it.
SITE_LIBRARIES = ("mkdocs", "properdocs", "mkdocs-material", "pymdown-extensions", "Markdown", "Pygments",
                  "Jinja2", "MarkupSafe", "babel", "pagefind", "pagefind_bin")
_SNIPPET = re.compile(r'^\s*-{1,}8<-{1,}\s+"([^"]+)"', re.M)  # pymdownx.snippets: --8<-- "file"


class SiteStamp:
    """What the last `build` made site/ from, and every file of site/ as it left it. The same
    inputs give the same site (the build is deterministic), so when none changed and site/ is as it
    was, the build stops there. Its inputs: docs/ (generated pages and hand-written ones), the theme's
    overrides, the catalogues, the project's top-level files (mkdocs.yml, CONTRIBUTING.md, which a
    page includes) and any other file a hand-written page includes by a snippet, the settings as
    read (SITE_URL from the environment), the engine and its switches, and the code and libraries."""

    def __init__(self, root: Path, site: Path, how: str) -> None:
        self.root, self.site, self.how = root, site, how
        self.path = root / ".cache" / "claimpress" / f"site-{code_version()}.cbor"
        self.pages_path = self.path.with_name(f"site-pages-{code_version()}.cbor")  # for kept_pages
        self.usable = usable(root)
        self.taken = 0  # when the inputs were read
        self._record: list | None = None  # the last build's, once read (_saved)

    def inputs(self, generated: tuple[str, ...]) -> dict:
        """Taken after the generation, before the engine reads them; `generated`: docs/' folders and
        files that the generation writes (only it changes them)."""
        root, owned = self.root, _owned_by(generated)
        self.taken = time.time_ns()
        top = sorted((entry.name, signature(entry.stat())) for entry in os.scandir(root) if entry.is_file())
        docs = tree(root / "docs")
        included = {name for rel, _ in docs if rel.endswith(".md") and not owned(rel)
                    for name in _snippets(root / "docs" / rel)}
        included |= {name for name, _ in top if name.endswith(".md") for name in _snippets(root / name)}
        return {"how": self.how, "site": str(self.site), "python": sys.version,
                "libraries": library_versions(SITE_LIBRARIES), "settings": dataclasses.astuple(load_config(root)),
                "top": top, "docs": docs,
                "overrides": tree(root / "overrides"), "locale": tree(root / "locale"),
                "included": sorted((name, file_signature(root / name), file_signature(root / "docs" / name))
                                   for name in included)}

    def _saved(self) -> list | None:
        """The last build's record, read once: [inputs' digest, site's digest, the shared inputs' digest]."""
        if self._record is None:
            self._record = []
            try:
                payload = _read_sealed(self.path, "site") if self.usable else None
                saved = cbor2.loads(payload) if payload is not None else None
                if isinstance(saved, list) and len(saved) == 3:
                    self._record = saved
            except (OSError, *UNREADABLE):
                pass
        return self._record or None

    def unchanged(self, inputs: dict) -> bool:
        saved = self._saved()
        try:
            return saved is not None and saved[0] == _inputs_digest(inputs) \
                and saved[1] == _inputs_digest(tree(self.site))
        except (OSError, *UNREADABLE):
            return False

    def kept_pages(self, inputs: dict, generated: tuple[str, ...]) -> Previous | None:
        """What the engine may take from site/ as it is (mkdocs_plugin/kept.py): the last build's
        pages, and the files of docs/ changed since, when site/ is as that build left it and nothing
        but the generation's files in docs/ changed (so what every page shares is the same). None
        otherwise. They are kept in a file of their own (1.5 MB at 10,000 claims), which a build with
        nothing changed does not read."""
        saved = self._saved()
        try:
            if saved is None or saved[2] != _frame_digest(inputs, generated):
                return None
            site = _inputs_digest(tree(self.site))
            payload = _read_sealed(self.pages_path, "site pages")
            if site != saved[1] or payload is None:
                return None
            of_site, pages, docs, nav = cbor2.loads(payload)
            if of_site != site or not isinstance(pages, dict) or not isinstance(nav, dict):
                return None
            before = {rel: tuple(signature) for rel, signature in docs}  # CBOR gives the tuples back as lists
            now = dict(inputs["docs"])
            changed = {rel for rel in before.keys() | now.keys() if before.get(rel) != now.get(rel)}
            return Previous(str(self.site), pages, frozenset(changed), nav)
        except (OSError, ValueError, *UNREADABLE):
            return None

    def save(self, inputs: dict, generated: tuple[str, ...], pages: Pages | None = None,
             nav: NavViews | None = None) -> None:
        """Record the site just built from `inputs`, with its pages that a later build may take
        (`pages`, from the engine's plugin: kept_pages) and what its navigation showed of its pages'
        front matter (`nav`); not when an input other than the generation's
        pages had changed in the seconds before they were read (racily clean): it may have changed
        again since, its signature the same."""
        if not self.usable:
            return
        recent, owned = self.taken - RACY_NS, _owned_by(generated)
        signatures = [s for rel, s in inputs["docs"] if not owned(rel)]
        signatures += [s for name in ("top", "overrides", "locale") for _, s in inputs[name]]
        for name, at_top, in_docs in inputs["included"]:  # a generated snippet (docs/_snippets/) is the generation's
            signatures += [at_top] if owned(name) else [at_top, in_docs]
        if any(s is not None and max(s[1], s[2]) > recent for s in signatures):
            self.forget()
            return
        try:
            site = _inputs_digest(tree(self.site))
            _write_sealed(self.pages_path, "site pages", cbor2.dumps([site, pages or {}, inputs["docs"], nav or {}]))
            _write_sealed(self.path, "site", cbor2.dumps([_inputs_digest(inputs), site,
                                                          _frame_digest(inputs, generated)]))
        except (OSError, *UNREADABLE):
            pass

    def forget(self) -> None:
        """Before a build replaces site/: until it has ended, site/ is not what any stamp says."""
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
        for old in self.path.parent.glob("site-*.cbor"):  # older versions' stamps, and the pages
            with contextlib.suppress(OSError):
                old.unlink()


def _frame_digest(inputs: dict, generated: tuple[str, ...]) -> str:
    """A digest of what a site is built from but the generation's files in docs/."""
    owned = _owned_by(generated)
    return _inputs_digest({**inputs, "docs": [entry for entry in inputs["docs"] if not owned(entry[0])]})


def _owned_by(generated: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether a path under docs/ is among the generation's files, which `generated` lists (files and folders)."""
    folders = tuple(f"{name}/" for name in generated)
    return lambda rel: rel in generated or rel.startswith(folders)


def _snippets(page: Path) -> list[str]:
    try:
        return _SNIPPET.findall(page.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return []


def _read_sealed(path: Path, what: str) -> bytes | None:
    """The payload of a stamp sealed for `what` (trust.seal), or None if it was not sealed here.
    OSError if it cannot be read."""
    with path.open("rb") as handle:
        return trust.unseal(purpose(what), handle.read())


def _write_sealed(path: Path, what: str, payload: bytes) -> None:
    """Seal `payload` for `what` and put it at `path` whole, in one rename. OSError if it cannot."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(trust.seal(purpose(what), payload))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
