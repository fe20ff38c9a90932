"""The navigation of a page in a site language other than the default (its meta `lang`): the same
items as mkdocs.yml's nav, their titles in that language (the project's catalogue: the nav's titles
are English msgids, extracted by `extract_titles`), each leading to the page's version in that
language where the build made one (render/links.LANGUAGE_PAGES: L/, L/claims/, L/map/), else to the
default's page. mkdocs.yml's nav is left as it is: the theme is handed a copy for these pages."""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..i18n import EscapedTranslations, load
from ..render.links import LANGUAGE_PAGES, in_language


class _Item:
    """A navigation item as the theme reads it (title, url, active, children...), with its title in
    another language and, for a page with a version in it, that version's page in its place."""

    def __init__(self, item: Any, title: Any, children: list[Any] | None = None) -> None:
        self._item = item
        self.title = title
        if children is not None:
            self.children = children

    def __getattr__(self, name: str) -> Any:
        return getattr(self._item, name)

    def __eq__(self, other: object) -> bool:  # the theme asks `nav_item == page`
        return bool(self._item == (other._item if isinstance(other, _Item) else other))

    def __hash__(self) -> int:
        return hash(id(self._item))


class _Section(_Item):
    @property
    def active(self) -> bool:  # a version in another language has no parent in mkdocs.yml's nav
        return any(child.active for child in self.children)


class _Nav:
    """The navigation as the theme reads it: `items` and `homepage`; the real one's for anything else."""

    def __init__(self, nav: Any, items: list[Any], homepage: Any) -> None:
        self._nav = nav
        self.items = items
        self.homepage = homepage

    def __getattr__(self, name: str) -> Any:
        return getattr(self._nav, name)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)


def version_of(files: Any, src_uri: str, tag: str) -> Any:
    """The page of the site page `src_uri`'s version in `tag`, where the build made one; else None."""
    if src_uri not in LANGUAGE_PAGES:
        return None
    found = files.get_file_from_path(in_language(src_uri, tag))
    return getattr(found, "page", None) if found is not None else None


def keep_out_of_nav(files: Any, tags: Sequence[str]) -> None:
    """The versions of the site pages in other languages are in their language's navigation, not
    mkdocs.yml's: no "not included in the nav" line for them (MkDocs 1.6's inclusion levels)."""
    try:
        from mkdocs.structure.files import InclusionLevel
    except ImportError:  # an engine without them: the line is only information
        return
    for tag in tags:
        for path in LANGUAGE_PAGES:
            found = files.get_file_from_path(in_language(path, tag))
            if found is not None and found.inclusion in (InclusionLevel.UNDEFINED, InclusionLevel.INCLUDED):
                found.inclusion = InclusionLevel.NOT_IN_NAV


def versions_in_nav(nav: Any, files: Any, tags: Sequence[str]) -> set[str]:
    """The source paths of the pages that the navigation in some language leads to in its place."""
    return {page.file.src_uri for item in nav.pages for tag in tags
            if (page := version_of(files, item.file.src_uri, tag)) is not None}


def titled_in_nav(nav: Any, files: Any, tags: Sequence[str]) -> set[str]:
    """The source paths of the pages whose title in the navigation is mkdocs.yml's (`- Title: page.md`),
    not their own first heading, and of their versions in the other site languages (navigation():
    the same title, translated)."""
    titled = [page for page in nav.pages if "title" in vars(page)]  # MkDocs' Page sets it only when given
    return {page.file.src_uri for page in titled} | {
        version.file.src_uri for page in titled for tag in tags
        if (version := version_of(files, page.file.src_uri, tag)) is not None}


def navigation(nav: Any, files: Any, tag: str, root: Path) -> _Nav:
    """mkdocs.yml's navigation in the site language `tag` (not the default)."""
    translations = EscapedTranslations(load(root, tag).translations)

    def title(item: Any) -> Any:
        text = item.title
        return translations.gettext(text) if isinstance(text, str) and text else text

    def copy(item: Any) -> Any:
        if getattr(item, "is_section", False):
            return _Section(item, title(item), [copy(child) for child in item.children or ()])
        if getattr(item, "is_page", False):
            version = version_of(files, item.file.src_uri, tag)
            return _Item(version if version is not None else item, title(item))
        return _Item(item, title(item))  # a link

    home = nav.homepage
    version = version_of(files, home.file.src_uri, tag) if home is not None else None
    return _Nav(nav, [copy(item) for item in nav.items], version if version is not None else home)


def home_versions(files: Any, tags: Sequence[str]) -> list[list[str]]:
    """The hand-written home's versions ([hreflang, folder]) for its alternates: the default's, then
    each site language's home that the build made."""
    made = [tag for tag in tags[1:] if version_of(files, "index.md", tag) is not None]
    return [[tags[0], ""], *([tag, f"{tag}/"] for tag in made)] if made else []


def extract_titles(fileobj: Any, keywords: Any, comment_tags: Any, options: Mapping[str, Any]) -> Any:
    """A Babel extractor (babel.cfg) of mkdocs.yml's navigation titles: msgids, as a page in another
    site language shows them. MkDocs' own tags (!ENV) are read as nothing: only the nav matters here."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    data = yaml.load(fileobj, Loader=Loader)  # noqa: S506 - a SafeLoader that reads unknown tags as nothing
    titles: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            for key, child in node.items():
                if isinstance(key, str):
                    titles.append(key)
                walk(child)

    walk(data.get("nav") if isinstance(data, dict) else None)
    for text in dict.fromkeys(titles):
        yield 0, "_", text, ["a title in mkdocs.yml's nav"]
