"""The site's search: Pagefind over a built site, in parts, cached and made reproducible.

It works on a folder of HTML, whatever engine made it: `build` runs it on the site MkDocs wrote
(claimpress/build.py), the preview beside `mkdocs serve` (claimpress/mkdocs_plugin/). Modules:
pages (which pages are indexed), parts (how they are split and Pagefind run), cache (the bundles of
the last build), bundle (each bundle's files put in order), index (the whole step).
"""
