"""The site's settings, read from mkdocs.yml: MkDocs' own `site_url`, and claimpress's under
`extra: claimpress:` (MkDocs ignores `extra`, so no setting of ours can break its build)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from yaml_env_tag import construct_env_tag

from .diagnostics import ERROR, WARNING, Diagnostic


@dataclass(frozen=True)
class SiteConfig:
    found: bool = False              # whether there is a mkdocs.yml at all
    site_url: str | None = None      # always ends with "/"
    edit_url: str | None = None
    publisher: str | None = None     # the organisation that publishes the fact-checks
    publisher_url: str | None = None
    data_licence: str | None = None
    data_licence_url: str | None = None
    # The search index is made in parts of at most about this many pages (claimpress/search/parts.py);
    # None when mkdocs.yml holds something that is not a whole number above 0 (check_config says so).
    pages_per_search_index: int | None = 5000  # PAGES_PER_SEARCH_INDEX
    engine: str | None = None        # what builds the site: mkdocs or properdocs (claimpress.engine checks it)
    contact: str | None = None       # how readers reach the editors: an email address or an https:// address

    def absolute(self, path: str) -> str:
        """The public address of a site path such as "claims/x/"."""
        return (self.site_url or "/") + path


PAGES_PER_SEARCH_INDEX = 5000  # the default: about 2 GB of memory for Pagefind
_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: a tenth of `check`'s start-up otherwise


class _Loader(_Base):
    pass


# mkdocs.yml may use MkDocs' own tags. !ENV is read as MkDocs reads it (its own library): the
# published address comes from the environment when the Pages workflow builds. The others
# (!relative, python names) hold nothing of ours.
_Loader.add_constructor("!ENV", construct_env_tag)
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def load_config(root: Path) -> SiteConfig:
    path = root / "mkdocs.yml"
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return SiteConfig()
    if not isinstance(config, dict):
        return SiteConfig()
    extra = _mapping(config.get("extra"))
    ours = _mapping(extra.get("claimpress"))
    publisher = _mapping(ours.get("publisher"))

    def text(value: object) -> str | None:
        return value.strip() if isinstance(value, str) and value.strip() else None

    site_url = text(config.get("site_url"))
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    per_index = ours.get("pages_per_search_index", PAGES_PER_SEARCH_INDEX)
    if isinstance(per_index, bool) or not isinstance(per_index, int) or per_index < 1:
        per_index = None
    engine = ours.get("engine")  # any value but none at all is kept, to be refused by name if it is no engine
    return SiteConfig(True, site_url, text(ours.get("edit_url")), text(publisher.get("name")),
                      text(publisher.get("url")), text(ours.get("data_licence")), text(ours.get("data_licence_url")),
                      per_index, None if engine is None or engine == "" else str(engine).strip(),
                      # any value but none at all is kept, to be refused if it is no address
                      None if ours.get("contact") in (None, "") else str(ours.get("contact")).strip())


# An email address as readers' mail programs take it in a mailto: link: no spaces, quotes, brackets or
# a second @, and a dot in the domain.
_EMAIL = re.compile(r"[^@\s\"'<>()\[\],;:\\]+@[^@\s\"'<>()\[\],;:\\/?#]+\.[^@\s\"'<>()\[\],;:\\/?#.]+")


def is_contact(contact: str) -> bool:
    """An https:// address, or an email address (which the templates link as mailto:)."""
    parts = urlsplit(contact)
    if parts.scheme == "https" and parts.hostname and not any(c.isspace() or c in "\"'<>" for c in contact):
        return True
    return _EMAIL.fullmatch(contact) is not None


def check_config(config: SiteConfig, needs_claimreview: bool) -> list[Diagnostic]:
    """What the ClaimReview markup and the feeds need: an absolute site URL and a publisher."""
    if not config.found:
        return []
    out = []

    def add(severity: str, code: str, message: str, hint: str) -> None:
        out.append(Diagnostic("mkdocs.yml", 0, 0, severity, code, message, hint))

    for name, value in (("site_url", config.site_url), ("extra.claimpress.publisher.url", config.publisher_url),
                        ("extra.claimpress.edit_url", config.edit_url),
                        ("extra.claimpress.data_licence_url", config.data_licence_url)):
        if value and urlsplit(value).scheme not in ("http", "https"):
            add(ERROR, "invalid-config", f"{name}: '{value}' must be an http:// or https:// address",
                "write the full address, such as https://factcheck.example.org/")
    if config.contact is not None and not is_contact(config.contact):
        add(ERROR, "invalid-config", f"extra.claimpress.contact: '{config.contact}' is neither an email address "
            "nor an https:// address", "write where readers reach the editors, such as corrections@example.org "
            "or https://example.org/contact; leave it out for none")
    if config.pages_per_search_index is None:
        add(ERROR, "invalid-config", "extra.claimpress.pages_per_search_index is not a whole number above 0",
            f"leave it out for the default, {PAGES_PER_SEARCH_INDEX}")
    if needs_claimreview:
        if not config.site_url:
            add(ERROR, "missing-config", "site_url is not set; ClaimReview markup, feeds and datasets need the "
                "site's public address", "add site_url: https://your.site/ to mkdocs.yml")
        if not config.publisher:
            add(ERROR, "missing-config", "extra.claimpress.publisher.name is not set; ClaimReview names the "
                "organisation that publishes the fact-checks", "add it under extra: claimpress: publisher:")
    if config.site_url and (urlsplit(config.site_url).hostname or "").endswith((".example", ".invalid")):
        add(WARNING, "placeholder-config", f"site_url: '{config.site_url}' is a placeholder address",
            "set the address the site is published at before publishing")
    return out
