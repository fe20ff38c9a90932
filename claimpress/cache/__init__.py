"""The caches under .cache/claimpress/: what repeated runs reuse, plain data (CBOR), each entry sealed
with this machine's key (trust), none read where git tracks it or behind a link.

keys (what an entry is keyed by: code, libraries, file signatures), checks (each file's diagnostics),
store (checked claims, analyses, page stamps: one SQLite file), stamps (what pages and generations were
made from), memory (what the preview keeps between saves), trust (the key and the MACs).
"""
from .checks import CheckCache
from .keys import (
                   CHECKING_LIBRARIES,
                   CONVERTERS,
                   RENDERING_LIBRARIES,
                   code_version,
                   digest,
                   document_key,
                   library_versions,
                   usable,
)
from .memory import Remembered
from .stamps import BuildStamp, PageStamps
from .store import Store

__all__ = ("CHECKING_LIBRARIES", "CONVERTERS", "RENDERING_LIBRARIES", "BuildStamp", "CheckCache", "PageStamps",
           "Remembered", "Store", "code_version", "digest", "document_key", "library_versions", "usable")
