"""Helpers to build real sites in temporary copies of the project, and to read the built HTML."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from conftest import FIXTURES, REPO, SAMPLE

from claimpress.config import load_config
from claimpress.render.links import language_folders
from claimpress.write import GENERATED


def copy_project(root: Path, claims: Path = SAMPLE, extra_claims: tuple[Path, ...] = ()) -> Path:
    """A copy of this repository's site sources with the claims of `claims`, a fixture folder (by
    default the sample claims), never the repository's own claims/, which a fork changes; in the
    default language alone (its mkdocs.yml without `languages`)."""
    root.mkdir(parents=True, exist_ok=True)
    # What a build of the repository wrote under docs/, in its default language and its others.
    generated = {REPO / "docs" / name for name in GENERATED} | {
        REPO / "docs" / folder for folder in language_folders(load_config(REPO))}
    shutil.copytree(REPO / "docs", root / "docs", ignore=lambda d, names: [
        n for n in names if Path(d) / n in generated])
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copytree(REPO / "locale", root / "locale")  # the interface's catalogues
    # The repository's own languages are its claims' and registries' (translated for them): a test
    # project is in the default language alone unless the test sets languages (set_setting).
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(re.sub(r"(?m)^    languages: .*\n", "", config), encoding="utf-8")
    (root / "claimpress").symlink_to(REPO / "claimpress")  # mkdocs.yml's hooks live in the package
    shutil.copy(REPO / "CONTRIBUTING.md", root / "CONTRIBUTING.md")
    shutil.copytree(claims, root / "claims")
    for path in extra_claims:
        shutil.copy(path, root / "claims" / path.name)
    return root


def fixture_project(root: Path) -> Path:
    return copy_project(root, FIXTURES / "project" / "claims", tuple(sorted((FIXTURES / "hostile").glob("*.md"))))


def reader_project(root: Path) -> Path:
    """The fixture project (hostile claims included) with a contact, an edit link and a source repository
    set, so that every part a reader can meet is on some page."""
    root = fixture_project(root)
    config = (root / "mkdocs.yml").read_text().replace("edit_url: null", "edit_url: https://example.org/edit/main/")
    (root / "mkdocs.yml").write_text("repo_url: https://example.org/claimpress\n" + config.replace("    contact: null\n", ""))
    set_setting(root, "contact", "corrections@example.org")
    return root


def set_setting(root: Path, name: str, value: object) -> None:
    """Adds `name: value` under `extra: claimpress:` in the project's mkdocs.yml."""
    config = (root / "mkdocs.yml").read_text()
    assert f"    {name}:" not in config
    (root / "mkdocs.yml").write_text(config.replace("  claimpress:\n", f"  claimpress:\n    {name}: {value}\n", 1))


def build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build_claims.py"), "build"], cwd=root,
                          capture_output=True, text=True)


def built_site(root: Path) -> Path:
    """The project built, or the test failed with the build's errors: its site/."""
    done = build(root)
    assert done.returncode == 0, done.stderr
    return root / "site"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Element | None) -> None:
        self.tag, self.attrs, self.parent, self.children, self.text_parts = tag, attrs, parent, [], []

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def text(self) -> str:
        return "".join(self.text_parts) + "".join(c.text() for c in self.children)

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Element]:
        return [e for e in self.iter() if (tag is None or e.tag == tag)
                and (cls is None or cls in (e.attrs.get("class") or "").split())]


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Element(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.text_parts.append(data)


def parse(path: Path) -> Element:
    """The page as an element tree, parsed the way a browser tokenises it (stdlib html.parser)."""
    tree = _Tree()
    tree.feed(path.read_text(encoding="utf-8"))
    return tree.root


# A claim page's map (templates/_static_map.j2): an SVG drawn at build time from numbers, with the
# claim's place only as escaped text in its <title>, and a link to Natural Earth.
MAP_TAGS = {"figure", "svg", "title", "rect", "path", "circle", "figcaption", "span", "a"}
MAP_ATTRIBUTES = {"class", "data-pagefind-ignore", "xmlns", "viewbox", "width", "height", "role", "aria-labelledby",
                  "id", "d", "cx", "cy", "r", "href"}


def outside_maps(element: Element):
    """The elements under `element`, but those of the claim page's map, which are checked here to be
    only the map's own: its tags and attributes, path data of numbers, the one link."""
    if element.tag == "figure" and "cp-placemap" in (element.attrs.get("class") or "").split():
        for part in element.iter():
            assert part.tag in MAP_TAGS, part.tag
            assert set(part.attrs) <= MAP_ATTRIBUTES, part.attrs
            assert part.tag == "a" or "href" not in part.attrs
            assert part.tag != "a" or part.attrs["href"] == "https://www.naturalearthdata.com/"
            assert part.tag != "path" or re.fullmatch(r"[Mlaz0-9 .-]*", part.attrs["d"] or ""), part.attrs["d"]
        return
    yield element
    for child in element.children:
        yield from outside_maps(child)
