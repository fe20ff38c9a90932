"""The site's settings, read from mkdocs.yml: MkDocs' own `site_url`, and claimpress's under
`extra: claimpress:` (MkDocs ignores `extra`, so no setting of ours can break its build)."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from yaml_env_tag import construct_env_tag

from .base_map import BaseMap, Problem, read_base_map
from .check.acknowledge import CLAIM_CODES, settle
from .check.suggest import did_you_mean
from .diagnostics import ERROR, WARNING, Diagnostic
from .languages import DEFAULT_LANGUAGE, canonical, is_language, suggest

# The default: about 0.2 GB of memory a run of Pagefind, as many runs at once as there are cores. The
# parts are merged into one bundle (search/merge.py), so their size changes no search: at 10,000
# claims the search step took the same processor time in parts of 1,000 pages as of 5,000 (48.8 s,
# 47.4 s), at a peak of 664 MiB instead of 1,887; parts of 500 took 7% more processor time than of
# 1,000 (46.3 s, 43.0 s) at a peak of 422 MiB instead of 693, which keeps a clean build of 50,000
# claims under 1 GiB, and an edit makes Pagefind index only 500 pages again.
PAGES_PER_SEARCH_INDEX = 500
# The largest data file also published as it is, beside its .gz (render/downloads.py), in megabytes:
# under Cloudflare Pages' 25 MiB a file, and at 50,000 claims every file but ClaimReview's feed over it.
PLAIN_DATA_MAX_MB = 10


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
    pages_per_search_index: int | None = PAGES_PER_SEARCH_INDEX
    engine: str | None = None        # what builds the site: mkdocs or properdocs (claimpress.engine checks it)
    # extra.claimpress.acknowledged as written (check_config checks it), and site_url as the file
    # writes it, without the environment (SITE_URL): what an acknowledgement of placeholder-config speaks of.
    acknowledged: object = None
    written_site_url: str | None = None
    contact: str | None = None       # how readers reach the editors: an email address or an https:// address
    base_map: BaseMap | None = None  # a fork's own base map for the incident map (base_map.py); None: Natural Earth's
    base_map_problems: tuple[Problem, ...] = ()  # what is wrong with extra.claimpress.map (check_config says so)
    # The site's languages (extra.claimpress.languages), the first the default: the tags that are
    # languages, as written, each once; left out, theme.language's (or en). `written_languages` is the
    # setting as written, which check_config checks.
    languages: tuple[str, ...] = (DEFAULT_LANGUAGE,)
    written_languages: object = None
    site_name: str | None = None     # MkDocs' site_name: the heading of a home page in another site language
    # extra.claimpress.plain_data_max_mb; None when it is not a whole number of at least 0 (check_config says so)
    plain_data_max_mb: int | None = PLAIN_DATA_MAX_MB

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def absolute(self, path: str) -> str:
        """The public address of a site path such as "claims/x/"."""
        return (self.site_url or "/") + path


_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: a tenth of `check`'s start-up otherwise


class _Loader(_Base):
    pass


# mkdocs.yml may use MkDocs' own tags. !ENV is read as MkDocs reads it (its own library): the
# published address comes from the environment when the Pages workflow builds. The others
# (!relative, python names) hold nothing of ours.
_Loader.add_constructor("!ENV", construct_env_tag)
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


class _FileLoader(_Loader):
    """mkdocs.yml as written: !ENV gives its default, whatever the environment holds."""


_FileLoader.add_constructor("!ENV", lambda loader, node: loader.construct_object(node.value[-1])
                            if isinstance(node, yaml.SequenceNode) and len(node.value) > 1 else None)


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def load_config(root: Path) -> SiteConfig:
    path = root / "mkdocs.yml"
    try:
        written = path.read_text(encoding="utf-8")
        config = yaml.load(written, Loader=_Loader)
        as_written = yaml.load(written, Loader=_FileLoader) if "!ENV" in written else config
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
    written_url = text(_mapping(as_written).get("site_url"))
    per_index = ours.get("pages_per_search_index", PAGES_PER_SEARCH_INDEX)
    if isinstance(per_index, bool) or not isinstance(per_index, int) or per_index < 1:
        per_index = None
    plain_max = ours.get("plain_data_max_mb", PLAIN_DATA_MAX_MB)
    if isinstance(plain_max, bool) or not isinstance(plain_max, int) or plain_max < 0:
        plain_max = None
    base_map, base_map_problems = read_base_map(root, ours.get("map"))
    languages = languages_of(ours.get("languages"), _mapping(config.get("theme")).get("language"))
    engine = ours.get("engine")  # any value but none at all is kept, to be refused by name if it is no engine
    return SiteConfig(True, site_url, text(ours.get("edit_url")), text(publisher.get("name")),
                      text(publisher.get("url")), text(ours.get("data_licence")), text(ours.get("data_licence_url")),
                      per_index, None if engine is None or engine == "" else str(engine).strip(),
                      ours.get("acknowledged"), written_url,
                      # any value but none at all is kept, to be refused if it is no address
                      None if ours.get("contact") in (None, "") else str(ours.get("contact")).strip(),
                      base_map, base_map_problems,
                      languages, ours.get("languages"), text(config.get("site_name")), plain_max)


def languages_of(written: object, theme: object) -> tuple[str, ...]:
    """The site's languages: those of the setting that are languages, each once, as written; else
    the theme's language (MkDocs' setting, taken as it is: Babel is not even loaded for a site of one
    language), else en. check_config tells what is wrong with the setting."""
    found: dict[str, str] = {}
    for tag in written if isinstance(written, list) else ():
        if is_language(tag):
            found.setdefault(canonical(tag), tag.strip())
    if found:
        return tuple(found.values())
    return (theme.strip(),) if isinstance(theme, str) and theme.strip() else (DEFAULT_LANGUAGE,)


# An email address as readers' mail programs take it in a mailto: link: no spaces, quotes, brackets or
# a second @, and a dot in the domain.
_EMAIL = re.compile(r"[^@\s\"'<>()\[\],;:\\]+@[^@\s\"'<>()\[\],;:\\/?#]+\.[^@\s\"'<>()\[\],;:\\/?#.]+")


def is_contact(contact: str) -> bool:
    """An https:// address, or an email address (which the templates link as mailto:)."""
    parts = urlsplit(contact)
    if parts.scheme == "https" and parts.hostname and not any(c.isspace() or c in "\"'<>" for c in contact):
        return True
    return _EMAIL.fullmatch(contact) is not None


def check_config(config: SiteConfig, needs_claimreview: bool, missing_catalogues: Sequence[str] = (),
                 also: Sequence[Diagnostic] = ()) -> list[Diagnostic]:
    """What the ClaimReview markup and the feeds need: an absolute site URL and a publisher; and the
    site languages, of which `missing_catalogues` (i18n.missing_catalogues) have no interface catalogue.
    `also`: warnings of other files that the site's settings make, which mkdocs.yml may acknowledge
    (the registries' registry-untranslated), given back with the rest."""
    if not config.found:
        return list(also)
    out = list(also)

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
    for message, hint in config.base_map_problems:
        add(ERROR, "invalid-config", message, hint)
    _check_languages(config.written_languages, add)
    for tag in missing_catalogues:
        add(WARNING, "no-catalogue", f"{LANGUAGES_SETTING}: '{tag}' has no interface catalogue "
            f"(locale/{tag.replace('-', '_')}/LC_MESSAGES/messages.po): its pages' headings, labels and "
            "buttons are in English", "make one from locale/messages.pot (DEVELOPING.md, \"Adding a language\")")
    if config.pages_per_search_index is None:
        add(ERROR, "invalid-config", "extra.claimpress.pages_per_search_index is not a whole number above 0",
            f"leave it out for the default, {PAGES_PER_SEARCH_INDEX}")
    if config.plain_data_max_mb is None:
        add(ERROR, "invalid-config", "extra.claimpress.plain_data_max_mb is not a whole number of megabytes "
            "(0 or more)", f"leave it out for the default, {PLAIN_DATA_MAX_MB}; 0 publishes every data file "
            "compressed only")
    if needs_claimreview:
        if not config.site_url:
            add(ERROR, "missing-config", "site_url is not set; ClaimReview markup, feeds and datasets need the "
                "site's public address", "add site_url: https://your.site/ to mkdocs.yml")
        if not config.publisher:
            add(ERROR, "missing-config", "extra.claimpress.publisher.name is not set; ClaimReview names the "
                "organisation that publishes the fact-checks", "add it under extra: claimpress: publisher:")
    if _placeholder(config.site_url):
        add(WARNING, "placeholder-config", f"site_url: '{config.site_url}' is a placeholder address",
            "set the address the site is published at before publishing")
    acknowledged = _acknowledged(config.acknowledged, add)
    # Judged by the file, not the environment: the Pages workflow's SITE_URL does not make stale an
    # acknowledgement that still holds wherever the site is built without it.
    written = [] if not _placeholder(config.written_site_url) else \
        [Diagnostic("mkdocs.yml", 0, 0, WARNING, "placeholder-config", "")]
    return settle(out, acknowledged, CONFIG_CODES, "mkdocs.yml", lambda code: (0, 0), ACKNOWLEDGED_SETTING,
                  also_fired={d.code for d in written})


LANGUAGES_SETTING = "extra.claimpress.languages"


def _check_languages(written: object, add: Callable[[str, str, str, str], None]) -> None:
    """The site's languages: a list of language tags, each once, the first the default."""
    if written is None:
        return
    if not isinstance(written, list) or not written:
        add(ERROR, "invalid-config", f"{LANGUAGES_SETTING} must be a list of language tags, the first the "
            "site's default", f"write it as {LANGUAGES_SETTING}: [en, ar, uk]; leave it out for English alone")
        return
    seen: dict[str, str] = {}
    for i, tag in enumerate(written):
        name = f"{LANGUAGES_SETTING}[{i}]"
        if not isinstance(tag, str) or not is_language(tag.strip()):
            add(ERROR, "unknown-language", f"{name}: {tag!r} is not a language tag that claimpress knows",
                suggest(tag) if isinstance(tag, str) else "write a language tag such as en, ar or uk")
        elif canonical(tag.strip()) in seen:
            add(ERROR, "invalid-config", f"{name}: '{tag}' is listed twice (first as '{seen[canonical(tag.strip())]}')",
                "list each language once")
        else:
            seen[canonical(tag.strip())] = tag


# The warnings mkdocs.yml may acknowledge: its own, and those its languages make in the registries.
CONFIG_CODES = ("placeholder-config", "no-catalogue", "registry-untranslated")
ACKNOWLEDGED_SETTING = "extra.claimpress.acknowledged"


def _placeholder(url: str | None) -> bool:
    return url is not None and (urlsplit(url).hostname or "").endswith((".example", ".invalid"))


def _acknowledged(value: object, add: Callable[[str, str, str, str], None]) -> dict[str, str]:
    """The acknowledgements of mkdocs.yml that can be taken (code -> reason); an error for each other."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        add(ERROR, "invalid-config", f"{ACKNOWLEDGED_SETTING} must map warning codes to reasons",
            f"write it as {ACKNOWLEDGED_SETTING}: {{placeholder-config: \"the reason\"}}")
        return {}
    taken = {}
    for code, reason in value.items():
        name = f"{ACKNOWLEDGED_SETTING}.{code}"
        if code not in CONFIG_CODES:
            add(ERROR, "unknown-acknowledgement", f"{name}: '{code}' is not a warning of mkdocs.yml that can be "
                f"acknowledged ({' | '.join(CONFIG_CODES)})", did_you_mean(str(code), CONFIG_CODES)
                or ("acknowledge it in the claim that has it" if code in CLAIM_CODES else
                    "fix what the warning says; only these warnings can be acknowledged"))
        elif not isinstance(reason, str) or not reason.strip() or "\n" in reason.strip():
            add(ERROR, "invalid-config", f"{name}: must give the reason, in words, on one line",
                "the reason says why the warning cannot be fixed")
        else:
            taken[code] = reason.strip()
    return taken
