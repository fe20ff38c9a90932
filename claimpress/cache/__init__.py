"""The caches under .cache/claimpress/: what repeated runs reuse, plain data (CBOR), each entry sealed
with this machine's key (trust), none read where git tracks it or behind a link.

One layer, around the stages. The stages (check.project.check_claims, model.build_catalog,
render.site.render_site) take data and give data, and know no cache. What runs them (build.generate,
for the build and each generation of the preview; check.project.check_project, for the commands that
only check) opens one session.Session for the run, which wraps the stages at the stated points:

1. Around the per-file check: check.project.check_files takes an `around` callable, given the claim
   files, the registries, the claim ids and the stage; Session.check (or check_diagnostics) gives
   an unchanged file's diagnostics (checks: CheckCache) and checked data (store: Store) as they
   were kept, and runs the stage on the others, keeping what it gives.
2. Around modelling: Session.model runs model.build_catalog given the claims that the preview's
   memory holds modelled (plain data: id -> (source, Claim)), and remembers the new ones (memory).
3. Around rendering: render.site.render_site takes a render.reuse.Reuse of plain data and callables
   (Session.reuse): the claim pages current already (stamps: PageStamps; pages: their keys), a facet
   page's stamp, the analyses' HTML in the store, and, in the preview, each unchanged claim's pieces
   of the data files and facet rows (memory: Remembered.recall). Session.recorded passes
   render_site's output on to the writer, noting the text of each page rendered for its stamp.

keys (what an entry is keyed by: code, libraries, file signatures), checks (each file's diagnostics),
store (checked claims, analyses, page stamps: one SQLite file), stamps (what pages and generations were
made from), pages (the keys of pages and analyses), memory (what the preview keeps between saves),
trust (the key and the MACs), session (the above, for one run).
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
from .stamps import BuildStamp, PageStamps, SiteStamp
from .store import Store

__all__ = ("CHECKING_LIBRARIES", "CONVERTERS", "RENDERING_LIBRARIES", "BuildStamp", "CheckCache", "PageStamps",
           "SiteStamp", "Remembered", "Store", "code_version", "digest", "document_key", "library_versions", "usable")
