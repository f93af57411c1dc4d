"""Every code block of the site with its page, line, language, project and whether the tests
run it (or the reason they cannot).

`--format matrix` prints, on one line, the GitHub Actions matrix that shards the slow tests: one
entry per workshop (the first folder under docs/) with the workshop's docs folder, whose block
sessions it runs; one entry per example project with tests, `examples-<project>`, with
`examples/<project>/tests` (the project's tours, which run the same ML stack and are as slow); and
"rest" with the pages right in docs/ that run a session, if any. Each entry is `{"workshop": NAME,
"paths": "PATH ..."}`. The tours are not put with the workshops that use them: measured
(bench/results/shards.md), ml-tooling-day's sessions and the tours of its two projects come to
more than 40 % of the whole on one shard's 2 cores; apart, the longest shard is one page's sessions.

Examples:
  workshop blocks
  workshop blocks docs/half-day-lab --status skipped
  workshop blocks --format json
  workshop blocks --format matrix     # {"include": [{"workshop": "gitops-dvc", "paths": "..."}, ...]}
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..blocks.collect import SnippetExpander, check, check_meta
from ..blocks.model import BlockError
from ..blocks.page_text import read_page
from ..checks.bindings import page_blocks
from ..checks.site import Site
from .site import add_config_option, site_and_scope

HELP = "list every code block: page, line, language, project, run or skipped (and why); or the CI matrix"
REST = "rest"  # the shard of the pages outside a workshop folder
TOURS = "examples-"  # the shards of the example projects' tests: examples-<project>


def arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("path", nargs="?", type=Path,
                     help="the site folder (with mkdocs.yml), or a page or folder inside docs/ (default: .)")
    add_config_option(sub)
    sub.add_argument("--status", choices=("all", "run", "skipped", "unbound", "error"), default="all",
                     help="show only blocks with this status (default: all)")
    sub.add_argument("--format", choices=("table", "json", "matrix"), default="table",
                     help="output format (default: table); matrix: the GitHub Actions matrix of the test shards, "
                          "one per workshop and one per example project's tests, as one line of JSON (the whole "
                          "site; PATH and --status do not apply)")


def site_rows(site: Site, scope: Path) -> list[dict]:
    """One row per block of the pages under `scope` (a page or folder of the site)."""
    expander = SnippetExpander(site.snippets, site.root)
    rows = []
    for page in site.pages():
        if not (page == scope or page.is_relative_to(scope)):
            continue
        errors: list[BlockError] = []
        try:
            meta, blocks = page_blocks(site, page, read_page(page, site.relative(page)), expander, errors)
            check_meta(site.relative(page), meta, site.examples)
        except BlockError as err:
            errors, blocks = [err], []
        rows += [{"page": str(err.path), "line": err.line, "language": "", "project": None, "status": "error",
                  "reason": err.message} for err in errors]
        for block in blocks:
            status = "skipped" if block.skip is not None else ("run" if block.project else "unbound")
            reason = block.skip if status == "skipped" else None
            if status != "unbound":
                try:  # what collection (and `workshop check`) refuses is not run, whatever it says
                    check(block, site.examples)
                except BlockError as err:
                    status, reason = "error", err.message
            rows.append({"page": str(block.path), "line": block.line, "language": block.lang or "",
                         "project": block.project if status == "run" else None, "status": status,
                         "reason": reason})
    return sorted(rows, key=lambda row: (row["page"], row["line"]))


def list_blocks(path: Path | None = None, config_file: Path | None = None) -> list[dict]:
    return site_rows(*site_and_scope(path, config_file))


def workshop_of(site: Site, page: str | Path) -> str:
    """The shard of a page (a path relative to the site's folder): the first folder under docs/,
    or "rest" for a page right in docs/."""
    parts = (site.root / page).relative_to(site.docs).parts
    return parts[0] if len(parts) > 1 else REST


def _posix(site: Site, path: Path) -> str:
    return path.relative_to(site.root).as_posix()


def shards(site: Site, rows: list[dict]) -> list[dict]:
    """The test shards of the site, from the rows of `site_rows` over the whole site: every page
    that runs a block falls in exactly one shard, and so does every `examples/<project>/tests`."""
    pages: dict[str, set[str]] = {}  # shard -> pages that run a block
    for row in rows:
        if row["status"] == "run":
            pages.setdefault(workshop_of(site, row["page"]), set()).add(row["page"])
    entries = [{"workshop": name, "paths": _posix(site, site.docs / name)} for name in sorted(pages) if name != REST]
    if REST in pages:
        entries.append({"workshop": REST, "paths": " ".join(sorted(pages[REST]))})
    for folder in sorted(site.examples.glob("*/tests")):
        if folder.is_dir():
            entries.append({"workshop": TOURS + folder.parent.name, "paths": _posix(site, folder)})
    return entries


def _table(rows: list[dict]) -> list[str]:
    headers = ["page", "line", "language", "project", "status"]
    cells = [[str(r["page"]), str(r["line"]), r["language"], r["project"] or "-",
              r["status"] + (f": {r['reason']}" if r["reason"] else "")] for r in rows]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(headers[:-1])]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers[:-1], widths, strict=False)) + "  status"]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row[:-1], widths, strict=False)) + "  " + row[-1] for row in cells]
    return lines


def run(args: argparse.Namespace) -> int:
    site, scope = site_and_scope(args.path, args.config_file)
    if args.format == "matrix":
        # The whole site whatever PATH says: a shard list that missed pages would not test them.
        print(json.dumps({"include": shards(site, site_rows(site, site.docs))}, ensure_ascii=False))
        return 0
    rows = site_rows(site, scope)
    if args.status != "all":
        rows = [r for r in rows if r["status"] == args.status]
    # A block that cannot be run (an error) or says neither where it runs nor why not (unbound)
    # fails the listing, as it fails `workshop check`: exit status 1.
    failed = 1 if any(r["status"] in ("error", "unbound") for r in rows) else 0
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return failed
    for line in _table(rows):
        print(line)
    counts = {s: sum(r["status"] == s for r in rows) for s in ("run", "skipped", "unbound", "error")}
    print(f"{len(rows)} block(s): " + ", ".join(f"{n} {s}" for s, n in counts.items() if n))
    return failed
