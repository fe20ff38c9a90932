"""The preview's notice of the claims' errors, on every page, until they are fixed.

`build_claims.py serve` writes the errors of its last check to a file (claimpress/preview_problems.py)
and names it to MkDocs' process in PROBLEMS_FILE. The plugin watches that file's folder, so a change
makes MkDocs rebuild and reload the open pages (its livereload); copies the file into the served site
with the script that shows it; and puts that script in every page it builds. The pages never hold the
errors themselves: a dirty rebuild rewrites a few pages, and every page must show the same list. A
build, or a plain `mkdocs serve`, has no such file, and gets none of this.
"""
from __future__ import annotations

import json
import os
import shutil
from typing import Any
from urllib.parse import urlsplit

from markupsafe import escape

from ..preview_problems import PROBLEMS_FILE

FOLDER = "claimpress-preview"  # in the served site
SCRIPT = os.path.join(os.path.dirname(__file__), "problems.js")
NONE = json.dumps({"errors": []}).encode()


class ProblemsNotice:
    def __init__(self, source: str) -> None:
        self.source = source  # the preview's file of errors

    @classmethod
    def of_preview(cls) -> ProblemsNotice | None:
        """The notice, if this MkDocs process serves `build_claims.py serve`'s preview."""
        source = os.environ.get(PROBLEMS_FILE)
        return cls(source) if source else None

    def watch(self, server: Any) -> None:
        """A change of the errors rebuilds the preview, which reloads its pages (a folder, not the file:
        the file is replaced by a rename)."""
        server.watch(os.path.dirname(self.source))

    def add_to(self, html: str, site_url: str) -> str:
        """`html` with the script that shows the errors, at the end of its body, as MkDocs' livereload
        adds its own. The address is from the root the preview is served at (site_url's path)."""
        path = (urlsplit(site_url).path or "/").rstrip("/")
        tag = f'<script src="{escape(path)}/{FOLDER}/problems.js"></script>'
        end = html.rfind("</body>")
        return html + tag if end < 0 else html[:end] + tag + html[end:]

    def publish(self, site_dir: str) -> None:
        """Copy the errors and the script into the served site (after each build)."""
        folder = os.path.join(site_dir, FOLDER)
        os.makedirs(folder, exist_ok=True)
        try:
            with open(self.source, "rb") as handle:
                errors = handle.read()
        except OSError:  # the preview is ending
            errors = NONE
        shutil.copyfile(SCRIPT, os.path.join(folder, "problems.js"))
        with open(os.path.join(folder, "problems.json"), "wb") as handle:
            handle.write(errors)
