"""The claimpress plugin for MkDocs (and ProperDocs): `plugins: [claimpress]` in mkdocs.yml.

It does only what must happen inside the engine's build; what works on the built site (the search
index, the sitemap split) is claimpress' own step after it (claimpress/build.py). Each concern is a
module beside this one; the options switch off the optimisations, which give the same site (but
compact_layout, whose pages differ only in the length of their runs of whitespace):

    plugins:
      - claimpress:
          finished_html: true   # generated pages skip Markdown by a shortcut (finished.py)
          shells: true          # the theme's layout rendered once per kind of page (shells.py)
          compact_layout: true  # the theme's templates without their indentation (compact.py)
          lazy_html: true       # in `build`, a generated page's HTML read again to be written (finished.py)
          native_watch: true    # the preview hears of changes in docs/ from the kernel (watch.py)
          idle_collector: true  # the preview collects garbage when idle (preview.py)
          kept_pages: true      # in `build`, pages whose source is unchanged are taken from the last site (kept.py)

In the preview (`mkdocs serve`, which `build_claims.py serve` runs) it also keeps a dirty rebuild
right (preview.py), indexes the site for search in the background, and lists the claims' errors on
every page (problems.py). The plugin object lives as
long as the preview (it has on_startup), so what one rebuild leaves for the next is its state.
"""
from __future__ import annotations

import logging
import os
import posixpath
import re
from typing import Any, Literal

import jinja2
from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority

from ..config import PAGES_PER_SEARCH_INDEX
from ..pages_record import PAGES_RECORD
from ..search.index import BackgroundIndex, index_beside_preview
from ..search.pages import file_digest, search_digest
from ..signals import stop_as_ctrl_c
from ..sitemap import split_sitemap
from . import finished, language, preview, search_style
from .compact import CompactLayout
from .kept import KeptPages, kept_pages
from .nav import home_versions, keep_out_of_nav, navigation, titled_in_nav, versions_in_nav
from .problems import SCRIPT as PROBLEMS_SCRIPT
from .problems import ProblemsNotice
from .shells import SHELL_TEMPLATE, Shells
from .watch import watch_docs_natively

SCRIPT_SOURCE = re.compile(r'<script src="([^"]+)"')  # the theme's and ours, as their templates write them
log = logging.getLogger("mkdocs.claimpress")


class ClaimpressConfig(base.Config):
    finished_html = c.Type(bool, default=True)
    shells = c.Type(bool, default=True)
    compact_layout = c.Type(bool, default=True)
    lazy_html = c.Type(bool, default=True)
    native_watch = c.Type(bool, default=True)
    idle_collector = c.Type(bool, default=True)
    kept_pages = c.Type(bool, default=True)


class ClaimpressPlugin(BasePlugin[ClaimpressConfig]):
    def __init__(self) -> None:
        self.command = "build"
        self.dirty = False
        self.in_nav: set[str] = set()          # source paths of the pages in the navigation, this build
        self.shells: Shells | None = None       # this build's
        self.kept: KeptPages | None = None      # this build's, in `build` from build_claims.py (kept.py)
        self.finished: dict[str, str] = {}      # finished_html off: page -> its HTML, until its content
        # The preview's: what the last build wrote; this build's pages (path in the site -> file); a
        # digest of each page's HTML if Pagefind indexes it; bundle -> the key of its part.
        self.built_before: set[str] = set()
        self.pages: dict[str, str] = {}
        self.static_pages: dict[str, str] = {}
        self.searchable: dict[str, str | None] = {}
        self.indexed: dict[str, str] = {}
        self.indexer: BackgroundIndex | None = None
        self.collector = preview.IdleCollector()
        self.notice: ProblemsNotice | None = None  # in build_claims.py serve's preview
        self.languages: language.PageLanguage | None = None  # this build's: which site language a page is in
        self.navs: dict[str, Any] = {}          # site language -> this build's navigation in it (nav.py)
        self.nav: Any = None
        self.files: Any = None

    @property
    def serving(self) -> bool:
        return self.command == "serve"

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # build_claims.py build runs MkDocs --dirty into a new folder, to skip the pages taken (kept.py)
        self.command, self.dirty = command, dirty and not (command == "build" and os.environ.get(PAGES_RECORD))
        if self.serving:
            stop_as_ctrl_c()
            self.notice = ProblemsNotice.of_preview()
        if dirty:  # ProperDocs logs as properdocs.*, MkDocs as mkdocs.*
            for engine in ("mkdocs", "properdocs"):
                logging.getLogger(f"{engine}.commands.build").addFilter(preview.not_the_dirty_warning)

    def on_config(self, config: Any) -> Any:
        if os.environ.get("CLAIMPRESS_FULL_PAGES") == "1":  # the tests' and benchmarks' way to compare
            self.config.shells = False
        shared = self.config.kept_pages and self.config.shells and self.config.finished_html
        self.kept = kept_pages(config, self) if self.command == "build" and shared else None
        return config

    def on_pre_build(self, *, config: Any) -> None:
        self.stop_indexer()  # this build will change the pages it is reading
        if self.serving and self.config.idle_collector:
            self.collector.pause()

    def on_files(self, files: Any, *, config: Any) -> Any:
        if self.serving:
            self.pages = {file.dest_uri: file.abs_dest_path for file in files.documentation_pages()}
            docs = os.path.abspath(config["docs_dir"])
            # A hand-made HTML page among the docs: Pagefind indexes it too (not .htm: its glob).
            self.static_pages = {file.dest_uri: file.abs_dest_path for file in files.static_pages()
                                 if file.dest_uri.endswith(".html") and file.src_dir
                                 and os.path.abspath(file.src_dir) == docs and file.inclusion.is_in_serve()}
            if not self.dirty:
                self.searchable.clear()
        keep_out_of_nav(files, language.site_languages(config)[1:])
        if self.dirty:
            preview.remove_gone_files(files, self.built_before)
            for file in files.documentation_pages():
                preview.decide_once(file)
        return files

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        self.in_nav = {page.file.src_uri for page in nav.pages}
        # The other site languages' versions of the home, All claims and the map stand in the navigation
        # of their language (nav.py): their layout is rendered in full, as the default's is.
        self.in_nav |= versions_in_nav(nav, files, language.site_languages(config)[1:])
        self.nav, self.files, self.navs = nav, files, {}
        if self.kept is not None:
            self.kept.take(files, self.in_nav, titled_in_nav(nav, files, language.site_languages(config)[1:]))
        if self.dirty:
            preview.rebuild_always(files, self.in_nav)
        return nav

    def on_env(self, env: jinja2.Environment, *, config: Any, files: Any) -> jinja2.Environment:
        if self.kept is not None:
            self.kept.date()
        if self.config.compact_layout:
            env.add_extension(CompactLayout)  # now, before MkDocs compiles any of the theme's templates
        shells = self.shells = Shells(env)  # new for every build, so `serve` never shows an old layout

        @jinja2.pass_context
        def cp_shell(context: jinja2.runtime.Context) -> Markup:
            return shells.render(context)

        env.globals["cp_shell"] = cp_shell
        # the page's language: Material's strings, <html lang>, the overrides' texts
        self.languages = language.install(env, config)
        return env

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Any) -> str:
        if not finished.is_finished(page):
            if page.file.src_uri == "index.md" and "versions" not in page.meta:  # the hand-written home's alternates
                versions = home_versions(files, language.site_languages(config))
                if versions:
                    page.meta["versions"] = versions
            return markdown
        finished.lastmod(page)
        if self.config.shells and page.file.src_uri not in self.in_nav and "template" not in page.meta:
            page.meta["template"] = SHELL_TEMPLATE
        if self.config.finished_html:
            finished.skip_markdown(page)
            return markdown
        self.finished[page.file.src_uri] = markdown
        return ""  # nothing for Markdown to read: its content is put back in on_page_content

    def _page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        if page.file.src_uri in self.finished:
            return self.finished.pop(page.file.src_uri)
        if finished.is_finished(page):
            return html
        return finished.with_snippets(html, page, config["docs_dir"])

    @event_priority(-100)  # last: after any other plugin's changes, which keep a page's HTML in memory
    def _page_content_set_aside(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        if self.config.lazy_html and self.command == "build" and not self.dirty and finished.is_finished(page):
            return finished.set_aside(page, html)
        return html

    on_page_content = CombinedEvent(_page_content, _page_content_set_aside)

    @event_priority(100)  # first: the page's HTML back before any plugin or template reads it
    def on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        """A page in a site language other than the default gets the navigation in that language."""
        finished.take_back(page)
        languages = self.languages
        tag = languages.tag(page) if languages is not None and self.nav is not None else None
        if languages is not None and tag is not None:
            if tag not in self.navs:
                self.navs[tag] = navigation(self.nav, self.files, tag, languages.root)
            context["nav"] = self.navs[tag]
        return context

    @event_priority(-100)  # last: the HTML as it is written, after any other plugin's changes
    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        if self.notice is not None:
            output = self.notice.add_to(output, config["site_url"])
        if page.meta.get("template") == search_style.SEARCH_TEMPLATE:
            output = self._search_page_styled(output, page, config)
        if self.serving:
            self.searchable[page.file.dest_uri] = search_digest(output)
        if self.kept is not None and page.meta.get("template") == SHELL_TEMPLATE:
            self.kept.made(page)
        elif self.kept is not None and page.file.src_uri in self.in_nav:
            self.kept.in_navigation(page)
        finished.let_go(page)
        return output

    def _search_page_styled(self, output: str, page: Any, config: Any) -> str:
        """The search page, linking the stylesheet of the rules it can use (search_style.py): those
        its HTML and scripts can match (the site's, Pagefind's UI's; in the preview, the notice's)."""
        folder = posixpath.dirname(page.file.dest_uri)
        site = config["site_dir"]
        sources = {src for src in SCRIPT_SOURCE.findall(output) if "://" not in src and not src.startswith("/")}
        paths = {posixpath.normpath(posixpath.join(folder, src)) for src in sources}
        scripts = sorted(os.path.join(site, path) for path in paths
                         if path.endswith(".js") and not path.startswith(("pagefind/", "../")))
        if self.notice is not None:
            scripts.append(PROBLEMS_SCRIPT)  # not in the site yet: copied there after the build
        try:
            made = search_style.write_search_stylesheet(
                site, output, [str(path) for path in config["extra_css"]],
                [path for path in scripts if os.path.isfile(path)])
        except (OSError, ValueError) as error:
            raise PluginError(f"the search page's stylesheet could not be made: {error}") from error
        placeholder = posixpath.basename(search_style.PLACEHOLDER)
        return output.replace(f'{placeholder}"', f'{posixpath.basename(made)}"', 1)

    def on_post_build(self, *, config: Any) -> None:
        if self.kept is not None:
            log.info(f"claimpress: {len(self.kept.taken)} of {len(self.kept.pages)} generated pages taken from the "
                     f"last site as they were (hard links), {len(self.kept.pages) - len(self.kept.taken)} made")
            try:
                self.kept.save()
            except OSError as error:
                raise PluginError(f"the record of this build's pages could not be written: {error}") from error
        if self.serving and self.config.idle_collector:
            # First, so that a failure later in this function cannot leave the collector off for good
            # (MkDocs calls on_build_error for it too, in 1.6: resume() then runs twice, harmlessly).
            self.collector.resume()
        if self.shells is not None:
            made = [parts for parts in self.shells.shells.values() if parts is not None]
            filled = self.shells.filled
            log.debug(f"claimpress: {filled.total()} pages filled in from {len(made)} shells; "
                      f"{len(self.shells.shells) - len(made)} kinds of page rendered in full; filled in, by folder: "
                      + ", ".join(f"{folder or '/'} {n}" for folder, n in sorted(filled.items())))
        if not self.serving:
            return  # build_claims.py build splits the sitemap and indexes the site after the engine
        site = os.path.abspath(config["site_dir"])
        if self.notice is not None:
            self.notice.publish(site)
        try:
            split_sitemap(site, config["site_url"] or "/")
        except OSError as error:
            raise PluginError(f"the sitemap could not be split: {error}") from error
        per_index = PAGES_PER_SEARCH_INDEX
        ours = config["extra"].get("claimpress")
        if isinstance(ours, dict) and isinstance(ours.get("pages_per_search_index"), int):
            per_index = max(1, ours["pages_per_search_index"])
        project = os.path.dirname(os.path.abspath(config["config_file_path"]))
        self.indexer = index_beside_preview(site, self.searchable_pages(), per_index, self.indexed, project,
                                            log.info, log.error)

    def searchable_pages(self) -> dict[str, str]:
        """This build's pages that Pagefind indexes, each with a digest of its HTML: those MkDocs made
        and the HTML files copied from docs/. A dirty build writes only some pages: the others are as
        this process last saw them (the preview's first build writes all), or as their file says."""
        for path, written in self.pages.items():
            if path not in self.searchable:
                self.searchable[path] = file_digest(written)
        made = {path: digest for path in self.pages if (digest := self.searchable[path]) is not None}
        copied = {path: digest for path, written in self.static_pages.items()
                  if path not in made and (digest := file_digest(written)) is not None}
        return {**made, **copied}

    def on_build_error(self, *, error: Exception) -> None:
        if self.serving and self.config.idle_collector:
            self.collector.resume()

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        if self.config.native_watch:
            watch_docs_natively(server, os.path.abspath(config["docs_dir"]), log.info)
        if self.notice is not None:
            self.notice.watch(server)
        return server

    def on_shutdown(self) -> None:
        if self.serving:
            self.collector.stop()  # first: stopping the indexer may be broken off by a second Ctrl-C
        self.stop_indexer()

    def stop_indexer(self) -> None:
        """Stop the preview's indexing, when a newer build makes it out of date or the preview ends."""
        if self.indexer is not None:
            self.indexer.stop()
