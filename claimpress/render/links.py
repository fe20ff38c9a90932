"""Where each generated page lives under docs/, and the relative links between them."""
from __future__ import annotations

from pathlib import Path


def claim_path(cid: str, language: str | None = None) -> str:
    """A claim's page; in `language` (a site language other than the default) under its folder."""
    return f"{language}/claims/{cid}.md" if language else f"claims/{cid}.md"


def claim_address(cid: str, language: str | None = None) -> str:
    """The site path of a claim's page (or of its translation into `language`), as its address ends."""
    return f"{language}/claims/{cid}/" if language else f"claims/{cid}/"


# The site's own pages that each site language other than the default has a version of, under its
# folder (render/language_pages.py): the home, All claims and the map.
LANGUAGE_PAGES = ("index.md", "claims/index.md", "map/index.md")


def in_language(path: str, language: str | None) -> str:
    """A site page's path in `language` (a site language other than the default) where it has one
    there (LANGUAGE_PAGES), else the page itself: where a page in that language links to."""
    return f"{language}/{path}" if language and path in LANGUAGE_PAGES else path


def language_folders(config: object, docs: Path | None = None) -> tuple[str, ...]:
    """The folders and files under docs/ that the pages in the site languages other than the default
    live in (write.apply owns them: only these, so that a hand-written docs/<tag>/ page is left alone).
    With `docs`, also those of a language the settings no longer list, known by the home page the
    build wrote there (docs/<tag>/index.md, generated): so that its pages go with it."""
    from ..i18n import site_languages
    from ..languages import language

    tags = list(site_languages(config)[1:])
    if docs is not None and docs.is_dir():
        current = {tag.lower() for tag in site_languages(config)}
        tags += sorted(entry.name for entry in docs.iterdir()
                       if entry.name.lower() not in current and language(entry.name) is not None
                       and entry.is_dir() and not entry.is_symlink() and _generated(entry / "index.md"))
    return tuple(f"{tag}/{part}" for tag in tags
                 for part in ("index.md", "claims", "map", "search", "claims.atom", "corrections.atom"))


GENERATED_MARK = "claimpress: html"  # in the front matter of every page the build writes


def _generated(page: Path) -> bool:
    """Whether a page under docs/ is one the build wrote: its front matter says it holds finished HTML."""
    try:
        with page.open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    end = head.find("\n---", 3)
    return head.startswith("---\n") and end > 0 and any(
        line.split("#", 1)[0].strip() == GENERATED_MARK for line in head[4:end].splitlines())


def facet_path(facet: str, value: str | None = None, page: int = 1) -> str:
    if value is None:
        return f"browse/{facet}/index.md"
    return f"browse/{facet}/{value}/index.md" if page == 1 else f"browse/{facet}/{value}/page-{page}.md"


def _url_dir(path: str) -> str:
    """The folder URL MkDocs gives a page (use_directory_urls): a/b.md -> a/b, a/index.md -> a."""
    stem = path[:-3] if path.endswith(".md") else path
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")].rstrip("/")
    return stem


def relative_link(from_page: str, to: str) -> str:
    """A link from one generated page to another page (.md) or file, as the built site needs it:
    up to the site's root, then down to the target (cheaper than posixpath.relpath, called ~20 times a page)."""
    here = _url_dir(from_page)
    target = (_url_dir(to) + "/" if _url_dir(to) else "") if to.endswith(".md") else to
    up = "../" * (here.count("/") + 1) if here else ""
    return (up + target) or "./"
