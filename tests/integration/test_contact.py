"""How readers reach the editors (extra.claimpress.contact), and the footer of every page: the contact,
the data and its licence, the feeds and the source repository; in the built HTML."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, make_project
from sitebuild import Element, build, fixture_project, parse, set_setting
from test_browser import CHROMIUM, browser, serve  # noqa: F401 - the browser fixture is used by name

ADDRESSES = {"corrections@example.org": "mailto:corrections@example.org",
             "https://example.org/contact?from=site&x=1": "https://example.org/contact?from=site&x=1"}


@pytest.fixture(scope="module", params=list(ADDRESSES))
def contact_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = fixture_project(tmp_path_factory.mktemp("contact"))
    config = (root / "mkdocs.yml").read_text().replace("    contact: null\n", "")
    (root / "mkdocs.yml").write_text("repo_url: https://github.com/newsroom/claims\n" + config)
    set_setting(root, "contact", f"'{request.param}'")
    done = build(root)
    assert done.returncode == 0, done.stderr
    return root / "site", request.param


def footer(path: Path) -> Element:
    [found] = parse(path).find_all("ul", "cp-footer")
    assert found.parent.tag == "div" and found.parent.parent.attrs.get("class", "").startswith("md-footer-meta")
    return found


def links(element: Element) -> dict[str, str]:
    return {" ".join(a.text().split()): a.attrs.get("href") or "" for a in element.find_all("a")}


def pages(site: Path) -> list[Path]:
    found = sorted(p for p in site.rglob("*.html") if not p.is_relative_to(site / "pagefind"))
    assert len(found) > 30 and site / "404.html" in found
    return found


def test_every_page_has_the_footer(contact_site: tuple[Path, str]) -> None:
    site, contact = contact_site

    def target(page: Path, href: str) -> Path:  # the 404 page links from the site's root: it is served anywhere
        return (site / href.lstrip("/") if href.startswith("/") else page.parent / href).resolve()

    for path in pages(site):
        shown = links(footer(path))
        assert shown[contact] == ADDRESSES[contact], path
        assert shown["CC BY 4.0"] == "https://creativecommons.org/licenses/by/4.0/", path
        assert target(path, shown["Open data"]) == site / "downloads", path
        for name, feed in (("new and updated claims", "claims.atom"), ("corrections", "corrections.atom")):
            assert target(path, shown[name]) == site / feed, path
        assert shown["GitHub"] == "https://github.com/newsroom/claims", path


def test_methodology_and_about_give_the_contact(contact_site: tuple[Path, str]) -> None:
    site, contact = contact_site
    for page in ("methodology", "about"):
        [paragraph] = parse(site / page / "index.html").find_all("p", "cp-contact")
        assert links(paragraph) == {contact: ADDRESSES[contact]}, page
    methodology = " ".join(parse(site / "methodology" / "index.html").text().split())
    assert "can send its response to the editors" in methodology
    nav = links(parse(site / "index.html").find_all("nav", "md-nav--primary")[0])
    assert nav["About"] == "about/"


def test_without_a_contact_the_pages_say_so(fixture_site: Path) -> None:
    """The repository's own mkdocs.yml sets none: no empty link, but a sentence."""
    site = fixture_site / "site"
    for path in pages(site):
        item = footer(path).find_all("li")[0]
        assert " ".join(item.text().split()) == "Contact: no address published yet", path
        assert item.find_all("a") == []
        assert "Source:" not in footer(path).text()  # no repo_url
    for page in ("methodology", "about"):
        [paragraph] = parse(site / page / "index.html").find_all("p", "cp-contact")
        assert paragraph.text() == "This site has not published a contact address yet." and not paragraph.find_all("a")


@pytest.mark.parametrize("value", ["javascript:alert(1)", "http://example.org/contact", "editors at example.org",
                                   "a@b", "mailto:a@example.org", "<a@example.org>", "[a@example.org]"])
def test_a_contact_that_is_no_address_is_a_config_error(tmp_path: Path, value: str) -> None:
    root = make_project(tmp_path)
    (root / "mkdocs.yml").write_text("site_name: x\nsite_url: https://facts.example.org/\n"
                                     f"extra: {{claimpress: {{publisher: {{name: P}}, contact: {value!r}}}}}\n")
    done = subprocess.run([sys.executable, str(REPO / "build_claims.py"), "check"], cwd=root,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert f"mkdocs.yml: error: extra.claimpress.contact: '{value}' is neither an email address nor an https:// " \
           "address" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (.ci/run installs it)")
def test_a_repository_on_github_asks_github_for_nothing(contact_site: tuple[Path, str], browser) -> None:  # noqa: F811
    """The theme's link to the repository (in the header and the drawer) had its script ask
    api.github.com for stars and forks on every visit; it is a plain link now, as the footer's."""
    served = serve(contact_site[0])
    base = next(served)
    page = browser.new_page()
    elsewhere: list[str] = []
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
               else (elsewhere.append(route.request.url), route.abort()))
    try:
        page.goto(base)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        assert page.is_visible(".cp-footer a[href='https://github.com/newsroom/claims']")
        assert page.is_visible(".md-header a.md-source[href='https://github.com/newsroom/claims']")
    finally:
        page.close()
        next(served, None)  # stops the server
    assert elsewhere == []
