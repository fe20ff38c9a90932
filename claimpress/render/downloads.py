"""The data files as published: each gzip-compressed always, and as it is too while it is small.

At 50,000 claims the five data files were 370 MB of a 2.2 GB site (GitHub Pages publishes 1 GB),
and claims.json alone 156 MB, over Cloudflare Pages' 25 MiB a file. Compressed they are about a
tenth (records repeat their field names). pandas, R and DuckDB read a `.gz` file as it is, GDAL
through /vsigzip/, and every desktop unpacks one with a double click; a browser that opens a small
file to look at it still finds it as it is. A file over `SiteConfig.plain_data_max_mb` is published
compressed only, but ClaimReview's feed always as it is too: aggregators fetch it by its address.

Deterministic: no name and no time in the gzip header, so the same text gives the same bytes."""
from __future__ import annotations

import gzip
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# The five files of the 10,000-claim benchmark (61 MB) in zlib: level 3 gives 5.2 MB in 0.19 s, gzip's
# default (6) 4.1 MB in 0.44 s, 1 5.7 MB in 0.16 s. They are made again on every build and every save
# in the preview, and downloaded now and then: the faster level, for a few bytes more.
LEVEL = 3
BATCH = 1 << 18  # characters of text handed to zlib at once: one call a claim cost more than the compression
ALWAYS_PLAIN = ("claimreview.json",)


@dataclass(frozen=True)
class Download:
    """A data file as the Downloads page lists it: its name, and its sizes in bytes."""
    name: str
    size: int               # as it is
    compressed_size: int    # gzipped, published as name + ".gz"
    plain: bool             # whether it is published as it is too


def packed(name: str, pieces: Iterable[str], plain_max: int | None) -> tuple[Download, bytes, bytes | None]:
    """The file `name` made of `pieces` (text): gzipped, and as it is (UTF-8) while it is at most
    `plain_max` bytes (None: no bound), else None. Memory: the compressed bytes, and the file as it
    is only while it is under the bound."""
    if name in ALWAYS_PLAIN:
        plain_max = None
    buffer = io.BytesIO()
    chunks: list[bytes] | None = []
    size = 0
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=LEVEL, mtime=0) as out:
        for text in _batches(pieces):
            data = text.encode("utf-8")
            size += out.write(data)
            if chunks is not None:
                chunks.append(data)
                if plain_max is not None and size > plain_max:
                    chunks = None  # over the bound: published compressed only
    compressed = buffer.getvalue()
    return Download(name, size, len(compressed), chunks is not None), compressed, \
        None if chunks is None else b"".join(chunks)


def _batches(pieces: Iterable[str]) -> Iterator[str]:
    """The pieces joined into texts of about BATCH characters, the last maybe empty."""
    batch: list[str] = []
    batched = 0
    for piece in pieces:
        batch.append(piece)
        batched += len(piece)
        if batched >= BATCH:
            yield "".join(batch)
            batch, batched = [], 0
    yield "".join(batch)
