"""The theme's layout, rendered once for each kind of generated page and filled in for each page.

Around 10,000 claim pages the theme's page is the same but for a few values (title, description,
address, content), and rendering it for each page was nine tenths of MkDocs' time. The plugin's
`shells: false` (or CLAIMPRESS_FULL_PAGES=1) renders every page in full; the tests compare the two.
"""
from __future__ import annotations

import collections
import logging
import re
import secrets
from typing import Any

import jinja2
from markupsafe import Markup

log = logging.getLogger("mkdocs.plugins.claimpress")
_FOLDER_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")  # a claim's id: what a page's versions may name (language.py)
SHELL_TEMPLATE = "claimpress/shell.html"  # overrides/claimpress/shell.html: {{ cp_shell() }}


class _PageWith:
    """A page that answers with other values for some attributes and meta keys; the real page otherwise."""

    def __init__(self, page: Any, values: dict[str, Any], meta: dict[str, Any]) -> None:
        self.__dict__.update(values)
        self.meta = meta
        self._page = page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)


class Shells:
    """The theme's page, rendered once per kind of generated page with holes for the page's own values.

    A generated page outside the navigation has no table of contents, no neighbours and no active
    navigation item; what the theme makes of it depends only on its folder (relative links), its
    front matter and a few values that the templates print as they are: title, description,
    address, canonical address, edit address and content. So the layout is rendered once with a
    unique word in place of each value (a shell), and each page is the shell with its values put
    in. A page in several languages lists its versions (meta `versions`), whose addresses end in
    the page's own folder name, the claim's id: that name is a value too ("slug"), or each claim
    page would be a kind of its own. Before a shell is used it is checked: a page with awkward
    values (quotes, ampersands, tags, "edit"/"blob" in addresses) is rendered in full and must
    come out the same as the filled shell; if a template transforms or tests a value (a theme
    upgrade might), that kind of page is rendered in full every time.
    """

    ATTRIBUTES = ("title", "content", "url", "canonical_url", "edit_url")
    META = ("title", "description")

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.nonce = secrets.token_hex(6)  # a word no page contains
        self.shells: dict[tuple, list[str] | None] = {}  # None: this kind of page is rendered in full
        self.seen: set[tuple] = set()
        self.filled: collections.Counter[str] = collections.Counter()  # pages filled in, by folder

    def render(self, context: jinja2.runtime.Context) -> Markup:
        page = context["page"]
        meta = {k: v for k, v in page.meta.items() if k != "template"}
        template = self.env.get_template("main.html")
        holes = self._holes(page, meta)
        if holes is not None:
            key, values = holes
            if key not in self.shells and key in self.seen:  # a shell costs two renders: made for the second page
                self.shells[key] = self._make(template, context, page, meta, values)
            self.seen.add(key)
            parts = self.shells.get(key)
            if parts:
                self.filled[key[0]] += 1
                return Markup(self._fill(parts, values))
        return Markup(template.render({**context.get_all(), "page": _PageWith(page, {}, meta)}))

    def _holes(self, page: Any, meta: dict[str, Any]) -> tuple[tuple, dict[str, str]] | None:
        """The key of the page's shell and the values that go in its holes; None when it has no shell."""
        if "/" not in page.url.rstrip("/") or len(page.toc) or page.previous_page or page.next_page:
            return None
        values, fixed = {}, []
        for name in self.ATTRIBUTES:
            value = getattr(page, name)
            if isinstance(value, str) and value:
                values[name] = value
            else:
                fixed.append((name, repr(value)))
        for name in self.META:
            value = meta.get(name)
            if isinstance(value, str) and value:
                values["meta." + name] = value
            else:
                fixed.append(("meta." + name, repr(value)))
        folder, _, name = page.url.rstrip("/").rpartition("/")
        versions = meta.get("versions")
        if (page.url.endswith("/") and _FOLDER_NAME.fullmatch(name) and isinstance(versions, list)
                and _swap(versions, name, "") != versions):
            values["slug"] = name  # the versions' addresses as a value, the rest of them in the key
            meta = {**meta, "versions": _swap(versions, name, "")}
        others = tuple(sorted((k, repr(v)) for k, v in meta.items() if k not in self.META))
        h1 = "<h1" in values.get("content", "")
        return (folder, page.url.endswith("/"), h1, tuple(fixed), others), values

    def _stand_in(self, values: dict[str, str], word: str) -> dict[str, str]:
        """Values of the same shape as the page's (same folder, an <h1> if it has one) made of `word`."""
        stand_in = {name: f"{word}{name.replace('.', '')}{word}" for name in values}
        if "slug" in values:  # the page's own folder is named as in its versions' addresses
            stand_in["slug"] = _FOLDER_NAME.fullmatch(word) and stand_in["slug"] or "awkward-0-slug"
            stand_in["url"] = f"{values['url'][:-len(values['slug']) - 1]}{stand_in['slug']}/"
        elif "url" in values:
            folder = values["url"].rstrip("/").rpartition("/")[0]
            stand_in["url"] = f"{folder}/{stand_in['url']}" + ("/" if values["url"].endswith("/") else ".html")
        if "<h1" in values.get("content", ""):
            stand_in["content"] = "<h1 " + stand_in["content"]
        return stand_in

    def _make(self, template: jinja2.Template, context: jinja2.runtime.Context, page: Any,
              meta: dict[str, Any], values: dict[str, str]) -> list[str] | None:
        def render(with_values: dict[str, str]) -> str:
            attributes = {k: v for k, v in with_values.items() if not k.startswith("meta.")}
            page_meta = {**meta, **{k[5:]: v for k, v in with_values.items() if k.startswith("meta.")}}
            if "slug" in with_values:
                page_meta["versions"] = _swap(meta["versions"], values["slug"], with_values["slug"])
            return template.render({**context.get_all(), "page": _PageWith(page, attributes, page_meta)})

        holes = self._stand_in(values, "cp" + self.nonce)
        by_text = {text: name for name, text in holes.items()}
        pattern = "|".join(re.escape(text) for text in sorted(by_text, key=len, reverse=True))
        # Even places: the layout's own text; odd places: the name of the value that goes there.
        parts = re.split(f"({pattern})", render(holes))
        parts[1::2] = [by_text[text] for text in parts[1::2]]
        awkward = self._stand_in(values, " A &amp; B \"q\" 'q' <b>x</b> &lt;i&gt; edit/blob/raw ?x=1#y ")
        if "url" in values and "slug" not in values:  # a slash in the address would change its folder
            awkward["url"] = self._stand_in(values, "awkward-&amp;\"q\"")["url"]
        if render(awkward) != self._fill(parts, awkward):
            log.debug("claimpress: the theme's layout for %s depends on the page's own values; "
                      "those pages are rendered in full", page.url)
            return None
        return parts

    @staticmethod
    def _fill(parts: list[str], values: dict[str, str]) -> str:
        return "".join(values[part] if i % 2 else part for i, part in enumerate(parts))


def _swap(versions: list, name: str, new: str) -> list:
    """`versions` ([tag, address] pairs) with `name`, where it is an address's last folder, made `new`."""
    out = []
    for entry in versions:
        if isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], str):
            before, _, last = entry[1].rstrip("/").rpartition("/")
            if last == name and entry[1].endswith("/"):
                entry = [entry[0], f"{before}/{new}/" if before else f"{new}/"]
        out.append(entry)
    return out
