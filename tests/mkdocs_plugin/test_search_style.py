"""The search page's stylesheet (claimpress/mkdocs_plugin/search_style.py): the theme's rules the page
can use. tests/integration/test_browser.py checks in chromium that the page looks the same with it as
with the theme's whole stylesheets."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from claimpress.mkdocs_plugin.search_style import (
    PAGEFIND_UI_CLASSES,
    PAGEFIND_UI_WORDS,
    layout_stylesheets,
    search_stylesheet,
    trimmed,
)

HTML_ELEMENTS = frozenset(
    "a abbr address area article aside audio b bdi bdo blockquote body br button canvas caption cite code col "
    "colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr i iframe img input ins kbd label legend li main map mark menu meter nav noscript "
    "object ol optgroup option output p picture pre progress q s samp script section select slot small source "
    "span strong sub summary sup table tbody td template textarea tfoot th thead time tr track u ul var video wbr".split())


def kept(css: str, *words: str, also: str = "") -> str:
    return trimmed([css], frozenset(words), also).strip()


def test_a_rule_stays_when_the_page_holds_every_name_its_selector_needs() -> None:
    css = ".md-header{color:red}.md-tabs{color:blue}div.md-header{margin:0}span.md-header{margin:1px}"
    assert kept(css, "md-header", "div") == ".md-header{color:red}div.md-header{margin:0}"


def test_a_selector_list_keeps_only_its_selectors_that_can_match() -> None:
    assert kept(".a,.b .c,#d{color:red}", "a", "d") == ".a,#d{color:red}"
    assert kept(".a,.b{color:red}", "c") == ""


def test_attribute_values_count_and_states_do_not() -> None:
    css = "[data-md-color-scheme=slate]{color-scheme:dark}[dir=rtl] .x{margin:0}a:hover::before{color:red}"
    assert kept(css, "data-md-color-scheme", "slate", "dir", "x", "a") == \
        "[data-md-color-scheme=slate]{color-scheme:dark}a:hover::before{color:red}"
    # what a pseudo-class holds is not needed: such a rule may match, so it stays
    assert kept(".x:not(.y){color:red}", "x") == ".x:not(.y){color:red}"


def test_the_classes_of_pagefinds_interface_are_taken_as_there() -> None:
    """The page holds them once Pagefind's UI has run; claimpress.css styles some."""
    css = ".pagefind-ui__result-excerpt{overflow-wrap:anywhere}.other{color:red}"
    assert kept(css) == ".pagefind-ui__result-excerpt{overflow-wrap:anywhere}"


def test_media_queries_keep_their_rules_that_can_match_and_go_when_none_can() -> None:
    css = "@media screen and (min-width:60em){.a{color:red}.b{color:blue}}@media print{.b{display:none}}"
    assert kept(css, "a") == "@media screen and (min-width:60em){.a{color:red}}"


def test_the_themes_custom_properties_stay_only_where_something_reads_them() -> None:
    css = (":root{--md-used:1px;--md-unused:url(x.svg);--md-chained:var(--md-used);--md-by-html:2px;--md-by-other:3px}"
           ".a{margin:var(--md-chained)}")
    out = kept(css, "a", also='<p style="padding:var(--md-by-html)"></p> .x{margin:var(--md-by-other)}')
    assert out == ":root{--md-used:1px;--md-chained:var(--md-used);--md-by-html:2px;--md-by-other:3px}" \
                  ".a{margin:var(--md-chained)}"
    # others' stay, and what they read: claimpress.css sets Pagefind's, which pagefind-ui.css (not read here) reads
    assert kept(":root{--pagefind-ui-primary:var(--md-x);--md-x:1px;--md-y:2px}", "a") == \
        ":root{--pagefind-ui-primary:var(--md-x);--md-x:1px}"


def test_one_stylesheet_reads_the_custom_properties_of_another() -> None:
    palette = "[data-md-color-scheme=slate]{--md-bg:#000;--md-unread:#fff;color-scheme:dark}"
    main = "body{background:var(--md-bg)}"
    out = trimmed([main, palette], frozenset({"body", "data-md-color-scheme", "slate"}))
    assert out == "body{background:var(--md-bg)}\n[data-md-color-scheme=slate]{--md-bg:#000;color-scheme:dark}\n"


def test_other_at_rules_stay_and_the_charset_goes() -> None:
    css = '@charset "UTF-8";@font-face{font-family:x;src:url(x.woff2)}@keyframes spin{to{transform:rotate(1turn)}}'
    assert kept(css) == "@font-face{font-family:x;src:url(x.woff2)}@keyframes spin{to{transform:rotate(1turn)}}"


def test_important_declarations_stay_important() -> None:
    assert kept(".a{display:none!important}", "a") == ".a{display:none !important}"


def test_the_built_search_page_links_its_own_stylesheet_and_not_the_themes(sample_site: Path) -> None:
    site = sample_site / "site"
    html = (site / "search" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert not [link for link in links if "assets/stylesheets/" in link or "claimpress.css" in link]
    assert not [script for script in scripts if "assets/javascripts/" in script]
    assert '<script id="__config"' not in html
    made = [link for link in links if re.search(r"assets/claimpress/search-theme\.[0-9a-f]{12}\.css$", link)]
    assert len(made) == 1
    stylesheet = (site / "search" / made[0]).resolve()
    assert stylesheet.is_file()
    # A fraction of the theme's, and the same bytes whenever the page is the same
    theme = sum(len(Path(path).read_bytes()) for path in layout_stylesheets(str(site)))
    assert len(stylesheet.read_bytes()) < theme / 3
    our_scripts = [str((site / "search" / s).resolve()) for s in scripts
                   if "pagefind/" not in s and (site / "search" / s).resolve().is_file()]
    again = search_stylesheet(str(site), html.replace(made[0].rsplit("/", 1)[1], "search-theme.css"),
                              [], our_scripts)
    assert again.encode("utf-8") == stylesheet.read_bytes()


def test_other_pages_keep_the_themes_stylesheets_and_script(sample_site: Path) -> None:
    html = (sample_site / "site" / "methodology" / "index.html").read_text(encoding="utf-8")
    assert "assets/stylesheets/main." in html and "assets/javascripts/bundle." in html and "claimpress.css" in html
    assert "search-theme." not in html


def test_what_pagefinds_interface_puts_in_the_page_is_known(sample_site: Path) -> None:
    """The elements, attributes and input types of Pagefind's UI script as built, which the stylesheet
    keeps the theme's rules for; an upgrade of Pagefind that makes others fails here."""
    script = (sample_site / "site" / "pagefind" / "pagefind-ui.js").read_text(encoding="utf-8")
    elements = set(re.findall(r'"([a-z][a-z0-9]*)"', script)) & HTML_ELEMENTS
    # the minified function that sets an attribute: the one that sets "type"
    setters = set(re.findall(r'(?<![\w$.])([A-Za-z_$][\w$]*)\([A-Za-z_$][\w$]*,"type",', script))
    assert len(setters) == 1
    setter = re.escape(setters.pop())
    attributes = set(re.findall(rf'(?<![\w$.]){setter}\([A-Za-z_$][\w$]*,"([a-z][a-z-]*)",', script))
    types = set(re.findall(rf'(?<![\w$.]){setter}\([A-Za-z_$][\w$]*,"type","([a-z]+)"', script))
    assert {"div", "input", "details", "summary"} <= elements and {"type", "class"} <= attributes and "checkbox" in types
    assert elements | attributes | types <= PAGEFIND_UI_WORDS
    classes = set(re.findall(r'"((?:[\w-]+ )*[\w-]+ svelte-[a-z0-9]+)"', script))
    assert classes and all(name.startswith((PAGEFIND_UI_CLASSES, "svelte-")) for c in classes for name in c.split())


def layout(root: Path, main: str = ".a{color:red}", palette: str = "", ours: str = "") -> Path:
    """A site's folder with the layout's three stylesheets."""
    (root / "assets" / "stylesheets").mkdir(parents=True)
    (root / "assets" / "claimpress").mkdir(parents=True)
    (root / "assets" / "stylesheets" / "main.0123abcd.min.css").write_text(main)
    (root / "assets" / "stylesheets" / "palette.0123abcd.min.css").write_text(palette)
    (root / "assets" / "claimpress" / "claimpress.css").write_text(ours)
    return root


def test_a_stylesheet_nested_too_deeply_is_an_error_that_names_the_files(tmp_path: Path) -> None:
    """claimpress.css is in docs/, which a pull request may change: a clear error, not a traceback."""
    site = layout(tmp_path, ours="@media screen{" * 50_000 + ".a{color:red}" + "}" * 50_000)
    with pytest.raises(ValueError, match=r"assets/claimpress/claimpress\.css nests blocks too deeply"):
        search_stylesheet(str(site), '<p class="a">', [], [])


def test_a_stylesheet_of_a_mebibyte_is_trimmed_in_seconds(tmp_path: Path) -> None:
    site = layout(tmp_path, ours="".join(f".a{n},.b{{color:red;--md-x{n}:1px}}" for n in range(40_000)))
    assert len((site / "assets" / "claimpress" / "claimpress.css").read_bytes()) > 1 << 20
    started = time.process_time()
    out = search_stylesheet(str(site), '<p class="a7 b">', [], [])
    assert time.process_time() - started < 10
    assert out.count("color:red") == 40_001 and "--md-x" not in out


def test_other_stylesheets_elsewhere_or_missing_are_left_alone(tmp_path: Path) -> None:
    """mkdocs.yml's extra_css may name an address on another host, or a file the site does not have."""
    site = layout(tmp_path, main=":root{--md-read:1px;--md-unread:2px}")
    (site / "mine.css").write_text(".x{margin:var(--md-read)}")
    out = search_stylesheet(str(site), "<p>", ["https://cdn.example/x.css", "missing.css", "/abs.css", "mine.css"], [])
    assert out.startswith(":root{--md-read:1px}")
