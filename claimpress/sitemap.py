"""The sitemap within the protocol's limits: one sitemap file may list at most 50,000 addresses in at
most 50 MB (sitemaps.org), and search engines refuse a larger one, but MkDocs writes a single
sitemap.xml of every page. Past either limit it is split into sitemap-1.xml, sitemap-2.xml, ..., and
sitemap.xml (and sitemap.xml.gz) becomes their index, so search engines still find it at the usual
address; a smaller site keeps the engine's own file. Works on any built site that has a sitemap.xml.
"""
from __future__ import annotations

import gzip
import os
import posixpath
import re
from xml.sax.saxutils import escape

from .files import replace_if_changed

SITEMAP_URLS = 50_000  # the protocol's limits for one sitemap file (sitemaps.org/protocol.html)
SITEMAP_BYTES = 50 * 1024 * 1024
_SITEMAP_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'


def split_sitemap(site: str, site_url: str, max_urls: int = SITEMAP_URLS, max_bytes: int = SITEMAP_BYTES) -> int:
    """Split the sitemap.xml that MkDocs wrote in `site` into files within the protocol's limits,
    and make sitemap.xml (and its .gz) their index, with addresses under `site_url`. Returns how
    many files it wrote: 0 when the sitemap is within the limits, and is left as MkDocs wrote it.
    Files of an earlier, larger split (a dirty build's) are removed."""
    path = os.path.join(site, "sitemap.xml")
    try:
        with open(path, encoding="utf-8") as sitemap:
            text = sitemap.read()
    except FileNotFoundError:  # a theme without one
        return 0
    urls = re.findall(r"<url>.*?</url>", text, re.S)  # MkDocs' template: one <url> element an address
    parts: list[list[str]] = [] if len(urls) <= max_urls and len(text.encode()) <= max_bytes else [[]]
    room = max_bytes - len(_SITEMAP_HEAD) - len("\n</urlset>\n")
    size = 0
    for url in urls if parts else []:
        weight = len(url.encode()) + 1
        if len(parts[-1]) == max_urls or (parts[-1] and size + weight > room):
            parts.append([])
            size = 0
        parts[-1].append(url)
        size += weight
    for number, part in enumerate(parts, 1):
        _write_if_changed(os.path.join(site, f"sitemap-{number}.xml"),
                          _SITEMAP_HEAD + "".join("\n" + url for url in part) + "\n</urlset>\n")
    for name in os.listdir(site):
        old = re.fullmatch(r"sitemap-([0-9]+)\.xml", name)
        if old and int(old[1]) > len(parts):
            os.remove(os.path.join(site, name))
    if parts:
        index = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                 + "".join(f"<sitemap><loc>{escape(posixpath.join(site_url, f'sitemap-{n}.xml'))}</loc></sitemap>\n"
                           for n in range(1, len(parts) + 1))
                 + "</sitemapindex>\n")
        _write_if_changed(path, index)
        packed = gzip.compress(index.encode(), mtime=_gzip_mtime(path + ".gz"))  # MkDocs' time: the pages'
        with open(path + ".gz", "wb") as copy:  # MkDocs' copy of sitemap.xml
            copy.write(packed)
    return len(parts)


def _gzip_mtime(path: str) -> int:
    """The time in a gzip file's header (0 if there is no file): MkDocs sets it from the pages."""
    try:
        with open(path, "rb") as packed:
            return int.from_bytes(packed.read(8)[4:8], "little")
    except OSError:
        return 0


def _write_if_changed(path: str, text: str) -> None:
    replace_if_changed(path, text.encode("utf-8"))
