"""Where each generated page lives under docs/, and the relative links between them."""
from __future__ import annotations


def claim_path(cid: str, language: str | None = None) -> str:
    """A claim's page; in `language` (a site language other than the default) under its folder."""
    return f"{language}/claims/{cid}.md" if language else f"claims/{cid}.md"


def claim_address(cid: str, language: str | None = None) -> str:
    """The site path of a claim's page (or of its translation into `language`), as its address ends."""
    return f"{language}/claims/{cid}/" if language else f"claims/{cid}/"


def language_folders(config: object) -> tuple[str, ...]:
    """The folders under docs/ that the pages in the site languages other than the default live in
    (write.apply owns them: only these, so that a hand-written docs/<tag>/ page is left alone)."""
    from ..i18n import site_languages

    return tuple(f"{tag}/{part}" for tag in site_languages(config)[1:]
                 for part in ("claims", "claims.atom", "corrections.atom", "search"))


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
