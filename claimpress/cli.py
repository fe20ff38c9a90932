"""Command line: `python build_claims.py <command>`. Turns results into output and exit codes.

Exit codes: 0 success, 1 the claims have errors (or the site failed to build), 2 usage error,
3 an internal error (a bug in claimpress).
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .diagnostics import failing, format_diagnostics, summary
from .engine import ENGINES, EngineError, choose_engine
from .guard import environment_failure

EXAMPLES = {
    "check": "example:\n  python build_claims.py check\n  python build_claims.py check "
             "claims/us-white-phosphorus-hajin-2018.md --format github\n"
             "  python build_claims.py check --changed origin/main\n"
             "  python build_claims.py check --strict --show-acknowledged",
    "new": "example:\n  python build_claims.py new   (asks for each field)\n  python build_claims.py new "
           "--title \"Russia accused of cluster munitions in Kharkiv\" --claimant daily-mail \\\n"
           "    --accused russian-armed-forces --incident-date 2022-02-28 --country Ukraine "
           "--category cluster-munitions \\\n"
           "    --claimed-on 2022-02-28 --source-title \"Kharkiv blasted with rockets\" --source-publisher "
           "\"Daily Mail\" \\\n    --source-url https://www.dailymail.co.uk/... --source-date 2022-02-28 "
           "--source-kind media-report\n"
           "  python build_claims.py new --title \"...\" --claimant \"Human Rights Watch\" --add-parties "
           "--party-kind ngo \\\n    --party-country US ...   (a party not in claims/parties.yml yet)\n"
           "  python build_claims.py new --title \"...\" --claimant \"New Militia\" --accused \"Other Army\" "
           "--add-parties \\\n    --party-kind \"New Militia=armed-group\" --party-kind \"Other Army=armed-forces\" "
           "...\n"
           "  python build_claims.py new ... --location \"A school in Okhtyrka\" --country UA   (coordinates from the "
           "gazetteer)\n"
           "  python build_claims.py new ... --location \"Near Hajin\" --country SY --coordinates 34.7,40.83 "
           "--precision district\n\n"
           "Parties are matched by id, name, alias (any case) or initials (HRW), countries by code or name.\n"
           "Every problem with the values is told in one run; at a terminal, new asks again for each.",
    "fmt": "example:\n  python build_claims.py fmt\n  python build_claims.py fmt --check claims/x.md",
    "build": "example:\n  python build_claims.py build\n  python build_claims.py build --site-dir /tmp/site"
             "\n  python build_claims.py build --no-search"
             "\n  python build_claims.py build --engine properdocs",
    "import-claimreview": "example:\n  python build_claims.py import-claimreview saved-page.html feed.json",
    "serve": "example:\n  python build_claims.py serve\n  python build_claims.py serve --dev-addr 127.0.0.1:8001",
    "finish-site": "example:\n  zensical build && python build_claims.py finish-site --site-dir site",
}


ENGINE_HELP = "what builds the site from docs/: mkdocs or properdocs (default: extra.claimpress.engine in " \
              "mkdocs.yml, else mkdocs)"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on usage errors; keep its message short
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="build_claims.py", description="Validate claims and build the claimpress site.")
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="the project folder, which holds claims/ (default: the current folder)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = commands.add_parser("check", help="validate every claim and registry",
                                description="Validate every claim and registry and report every problem found.",
                                epilog=EXAMPLES["check"], formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("paths", nargs="*", type=Path, help="report only these files or folders")
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="text (default), json, or GitHub Actions annotations")
    check.add_argument("--strict", action="store_true", help="fail on warnings too (but acknowledged ones)")
    check.add_argument("--show-acknowledged", action="store_true",
                       help="list the warnings that claims (or mkdocs.yml) acknowledge, with their reasons")
    check.add_argument("--changed", nargs="?", const="", metavar="REF",
                       help="report only what changed since git REF (default: the merge base with the main "
                            "branch), and the problems the change causes elsewhere")

    build = commands.add_parser("build", help="check, then build the site into site/",
                                description="Check the claims, then build the site with MkDocs (or ProperDocs: "
                                            "--engine) --strict.",
                                epilog=EXAMPLES["build"], formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("--site-dir", type=Path, help="where to write the site (default: site/)")
    build.add_argument("--engine", choices=list(ENGINES), help=ENGINE_HELP)
    build.add_argument("--no-search", dest="search", action="store_false",
                       help="skip the search index: proves the site builds (a pull request's check) in half the "
                            "time, but its search does not work; never publish such a site")

    finish = commands.add_parser("finish-site", help="split the sitemap and index a built site for search",
                                 description="claimpress' own steps on a site that an engine built from docs/ "
                                             "(build runs them after MkDocs): the sitemap split to the protocol's "
                                             "limits, and the search index (Pagefind).",
                                 epilog=EXAMPLES["finish-site"], formatter_class=argparse.RawDescriptionHelpFormatter)
    finish.add_argument("--site-dir", type=Path, default=Path("site"), help="the built site (default: site/)")

    serve = commands.add_parser("serve", help="live preview that refreshes when a claim or template is saved",
                                description="Generate the pages, serve the site with MkDocs, and regenerate "
                                            "whenever a file in claims/ or templates/ changes. If saves go "
                                            "unnoticed (a network drive, a Windows drive under WSL2), set "
                                            "CLAIMPRESS_POLL=1 to poll for them instead.",
                                epilog=EXAMPLES["serve"], formatter_class=argparse.RawDescriptionHelpFormatter)
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    serve.add_argument("--engine", choices=list(ENGINES), help=ENGINE_HELP)

    new = commands.add_parser("new", help="scaffold a draft claim, asking for what the flags do not give",
                              description="Write a draft claim (draft: true) in claims/, from flags or by asking. "
                                          "Party and category names are matched to their ids.",
                              epilog=EXAMPLES["new"], formatter_class=argparse.RawDescriptionHelpFormatter)
    new.add_argument("--title", metavar="TEXT", help="a neutral headline, at most 160 characters")
    new.add_argument("--claimant", metavar="PARTY", help="who made the allegation: a party id, name, alias or initials")
    new.add_argument("--accused", action="append", default=[], metavar="PARTY", help="who is accused (repeatable)")
    new.add_argument("--incident-date", metavar="DATE", help="when it happened: YYYY-MM-DD, YYYY-MM or YYYY")
    new.add_argument("--country", metavar="COUNTRY", help="where: ISO 3166-1 code (SY) or name (Syria)")
    new.add_argument("--category", action="append", default=[], metavar="CATEGORY",
                     help="a category id or name (repeatable)")
    new.add_argument("--location", metavar="TEXT", help="where it happened, as the sources name it (optional); the "
                     "gazetteer suggests the coordinates and precision of the place it names, said on stderr")
    new.add_argument("--coordinates", metavar="LAT,LON", help="where it happened in decimal degrees, latitude first "
                     "(instead of the gazetteer's)")
    new.add_argument("--precision", metavar="PRECISION", help="how exact the place is: exact, neighbourhood, town, "
                     "district, province or country (default: the gazetteer's, town)")
    new.add_argument("--no-gazetteer", dest="gazetteer", action="store_false",
                     help="suggest no coordinates for the location")
    new.add_argument("--claim", metavar="TEXT",
                     help="the allegation as the claimant made it, quoted or closely paraphrased")
    new.add_argument("--claimed-on", metavar="DATE",
                     help="when the allegation was made public: YYYY-MM-DD, YYYY-MM or YYYY")
    new.add_argument("--status", metavar="RATING",
                     help="a rating id or label from claims/ratings.yml (default: unverified)")
    new.add_argument("--verdict", metavar="TEXT", help="why the claim has its status")
    source = new.add_argument_group("the first source (evidence), written when any of these is given")
    source.add_argument("--source-title", metavar="TEXT", help="the source's own headline")
    source.add_argument("--source-publisher", metavar="NAME", help="who published it, as the source names itself")
    source.add_argument("--source-url", metavar="URL", help="where it can be read: http:// or https://")
    source.add_argument("--source-date", metavar="DATE", help="when it was published: YYYY-MM-DD, YYYY-MM or YYYY")
    source.add_argument("--source-kind", metavar="KIND",
                        help="what sort of source it is (needed with a source): media-report, ngo-report, "
                             "official-statement, un-report, investigation, ...")
    source.add_argument("--source-stance", metavar="STANCE", help="supports, refutes or context (default: context)")
    parties = new.add_argument_group("new parties")
    parties.add_argument("--add-parties", action="store_true",
                         help="add a claimant or accused not yet in parties.yml")
    parties.add_argument("--party-kind", action="append", default=[], metavar="[NAME=]KIND",
                         help="a new party's kind: government, armed-forces, armed-group, ngo, international-body, "
                              "media, civilians, individual or other; NAME= for one of several (repeatable)")
    parties.add_argument("--party-country", action="append", default=[], metavar="[NAME=]CODE",
                         help="a new party's country, if it has one: code or name (repeatable)")

    fmt = commands.add_parser("fmt", help="rewrite front matter in the canonical key order, keeping comments",
                              description="Rewrite claims and registries in the canonical key order and indentation; "
                                          "comments, quoting and the body stay as written.",
                              epilog=EXAMPLES["fmt"], formatter_class=argparse.RawDescriptionHelpFormatter)
    fmt.add_argument("paths", nargs="*", type=Path, help="files or folders (default: claims/)")
    fmt.add_argument("--check", action="store_true", help="change nothing; fail if a file is not canonical")

    importer = commands.add_parser(
        "import-claimreview", help="turn published fact-checks (ClaimReview) into draft claims",
        description="Read ClaimReview JSON-LD (saved HTML pages, JSON files, DataFeeds) and Google Fact Check "
                    "Tools API records, and write a draft claim for each review. Never overwrites a claim.",
        epilog=EXAMPLES["import-claimreview"], formatter_class=argparse.RawDescriptionHelpFormatter)
    importer.add_argument("files", nargs="+", type=Path, help="HTML pages or JSON files")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    root: Path = args.root.resolve()
    if not (root / "claims").is_dir():
        print(f"build_claims.py: error: no claims/ folder in {root}; run from the project folder or pass --root",
              file=sys.stderr)
        return 2
    commands = {"check": _check, "import-claimreview": _import, "new": _new, "fmt": _fmt, "serve": _serve,
                "finish-site": _finish_site, "build": _build}
    try:
        return commands[args.command](root, args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug, never the input's fault: say so in one line, not a traceback
        failure = environment_failure(exc)  # ...unless the machine failed (a full disk) or the build refused
        if failure is not None:
            print(f"build_claims.py {args.command}: error: {failure[0]}", file=sys.stderr)
            return failure[1]
        if os.environ.get("CLAIMPRESS_DEBUG"):
            raise
        print(f"build_claims.py: internal error: {type(exc).__name__}: {exc}. This is a bug in claimpress; "
              "run again with CLAIMPRESS_DEBUG=1 for the details, and please report it.", file=sys.stderr)
        return 3


def _check(root: Path, args: argparse.Namespace) -> int:
    # Paths as written, links not followed: a link inside claims/ is in claims/ (check reports it).
    claims = Path(os.path.abspath(root / "claims"))
    for path in args.paths:
        if not path.exists() and not path.is_symlink():
            print(f"build_claims.py check: error: no such file or folder: {path}", file=sys.stderr)
            return 2
        # Only claims/ is checked: a draft elsewhere would be "reported" with nothing to report. A
        # folder that holds claims/ (the project, ".") means all of it.
        where = Path(os.path.abspath(path))
        if where != claims and claims not in where.parents and where not in claims.parents \
                and where != claims.parent / "mkdocs.yml":
            print(f"build_claims.py check: error: {path} is not in claims/, the only folder that is checked; "
                  f"move it there (claims/<id>.md) and check it again", file=sys.stderr)
            return 2
    if args.changed is not None:
        from .check.changed import GitError, check_changed

        try:
            result, base, changed = check_changed(root, args.changed or None)
        except GitError as exc:
            print(f"build_claims.py check --changed: error: {exc}", file=sys.stderr)
            return 2
        print(f"checking the change since {base[:12]}: {len(changed)} file{'s' if len(changed) != 1 else ''} "
              "changed", file=sys.stderr)
    else:
        from .check.project import check_project  # here: a build with nothing to do must not import it

        result = check_project(root, only=args.paths or None, documents=False)
    sys.stdout.write(format_diagnostics(result.diagnostics, args.format, args.show_acknowledged))
    if args.format != "json":
        print(summary(result.diagnostics, result.files), file=sys.stderr)
    return 1 if failing(result.diagnostics, args.strict) else 0


def _new(root: Path, args: argparse.Namespace) -> int:
    from .authoring.asking import NewError, ask_stdin
    from .authoring.drafts import WriteError
    from .authoring.new import NewClaim, create

    source = {key: getattr(args, f"source_{key}") for key in ("title", "publisher", "url", "date", "kind", "stance")}
    wanted = NewClaim(title=args.title, claimant=args.claimant, accused=args.accused, incident_date=args.incident_date,
                      country=args.country, categories=args.category, location=args.location,
                      coordinates=args.coordinates, precision=args.precision, gazetteer=args.gazetteer,
                      add_parties=args.add_parties, claim=args.claim, claimed_on=args.claimed_on, status=args.status,
                      verdict=args.verdict, source=source, party_kinds=args.party_kind,
                      party_countries=args.party_country)
    complete = all([args.title, args.claimant, args.accused, args.incident_date, args.country, args.category])
    tty = sys.stdin.isatty()  # a person, who can be asked again; a script is told every problem at once
    from .check.project import check_project

    try:
        path, added = create(root, wanted, check_project(root, documents=False).registries,
                             None if complete and not tty else ask_stdin, tty=tty,
                             note=lambda message: print(f"build_claims.py new: note: {message}", file=sys.stderr))
    except NewError as exc:
        for problem in exc.problems:
            print(f"build_claims.py new: error: {problem}", file=sys.stderr)
        if len(exc.problems) > 1:
            print(f"build_claims.py new: {len(exc.problems)} problems; nothing was written", file=sys.stderr)
        return 1
    except WriteError as exc:
        print(f"build_claims.py new: error: {exc}", file=sys.stderr)
        return exc.code
    for pid in added:
        print(f"added party '{pid}' to claims/parties.yml", file=sys.stderr)
    print(path.relative_to(root).as_posix())
    return 0


def _fmt(root: Path, args: argparse.Namespace) -> int:
    from .authoring.fmt import format_files

    paths: list[tuple[Path, str]] = []
    for given in args.paths or [root / "claims"]:
        if not given.exists() and not given.is_symlink():
            print(f"build_claims.py fmt: error: no such file or folder: {given}", file=sys.stderr)
            return 2
        # Links are not followed (the loader refuses them): fmt must not write through one.
        found = sorted(p for p in given.iterdir() if p.is_file() or p.is_symlink()) if given.is_dir() else [given]
        paths += [(path, _shown(root, path)) for path in found]
    changed, problems = format_files(paths, check_only=args.check)
    sys.stderr.write(format_diagnostics(problems, "text"))
    errors = [d for d in problems if d.is_error]  # fmt-too-large is a warning: the file is left as it is
    if errors:
        files = len({d.path for d in errors})
        print(f"build_claims.py fmt: {files} file{'s' if files != 1 else ''} not formatted; fix the errors above, "
              "then run fmt again", file=sys.stderr)
    for path in changed:
        print(f"{'would reformat' if args.check else 'reformatted'} {path}")
    return 1 if errors or (args.check and changed) else 0


def _shown(root: Path, path: Path) -> str:
    """A path as check shows it (claims/x.md) when it is in the project, else as given."""
    where = Path(os.path.abspath(path))
    return where.relative_to(root).as_posix() if where.is_relative_to(root) else str(path)


def _import(root: Path, args: argparse.Namespace) -> int:
    from .authoring.drafts import WriteError
    from .authoring.importer import import_files

    missing = [str(p) for p in args.files if not p.is_file()]
    if missing:
        print(f"build_claims.py import-claimreview: error: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    from .check.project import check_project

    checked = check_project(root)
    known = {e["url"]: cid for cid, doc in checked.claims.items() for e in doc.data.get("evidence") or []
             if isinstance(e, dict) and e.get("url")}
    try:
        result = import_files(root, args.files, checked.registries, known)
    except WriteError as exc:
        print(f"build_claims.py import-claimreview: error: {exc}", file=sys.stderr)
        return exc.code
    for path in result.written:
        print(f"wrote {path.relative_to(root).as_posix()}")
    for pid in result.parties_added:
        print(f"added party '{pid}' to claims/parties.yml")
    for line in result.notes:
        print(f"note: {line}", file=sys.stderr)
    for line in result.skipped:
        print(f"skipped {line}", file=sys.stderr)
    for line in result.failed:
        print(f"not imported: {line}", file=sys.stderr)
    print(f"{len(result.written)} drafts written, {len(result.skipped)} skipped, {len(result.failed)} not imported; "
          "run `python build_claims.py check` to see what each draft still needs", file=sys.stderr)
    return 1 if result.failed else 0


def _finish_site(root: Path, args: argparse.Namespace) -> int:
    from .build import finish_site
    from .search.index import SearchError

    site = args.site_dir if args.site_dir.is_absolute() else root / args.site_dir
    if not site.is_dir():
        print(f"build_claims.py finish-site: error: {site} is not a folder; build the site first", file=sys.stderr)
        return 2
    try:
        finish_site(root, site)
    except SearchError as error:
        print(f"build_claims.py finish-site: error: {error}", file=sys.stderr)
        return 1
    return 0


def _build(root: Path, args: argparse.Namespace) -> int:
    from .build import build_site

    try:  # before anything is generated: a build that cannot end in a site does not begin
        engine = choose_engine(root, args.engine)
    except EngineError as exc:
        print(f"build_claims.py build: error: {exc}", file=sys.stderr)
        return 2
    return build_site(root, site_dir=args.site_dir, engine=engine, search=args.search)


def _serve(root: Path, args: argparse.Namespace) -> int:
    from .serve import serve

    try:
        engine = choose_engine(root, args.engine)
    except EngineError as exc:
        print(f"build_claims.py serve: error: {exc}", file=sys.stderr)
        return 2
    return serve(root, args.dev_addr, engine)
