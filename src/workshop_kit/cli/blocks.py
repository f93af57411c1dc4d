"""Every code block of the site with its page, line, language, project and whether the tests
run it (or the reason they cannot).

Examples:
  workshop blocks
  workshop blocks docs/half-day-lab --status skipped
  workshop blocks --format json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..blocks.collect import SnippetExpander, check
from ..blocks.model import BlockError
from ..checks.bindings import page_blocks
from ..checks.run import find_root
from ..checks.site import SiteConfigError, read_site

HELP = "list every code block: page, line, language, project, run or skipped (and why)"


def arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("path", nargs="?", default=".", type=Path,
                     help="the site folder (with mkdocs.yml), or a page or folder inside docs/ (default: .)")
    sub.add_argument("--status", choices=("all", "run", "skipped", "unbound", "error"), default="all",
                     help="show only blocks with this status (default: all)")
    sub.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")


def list_blocks(path: Path) -> list[dict]:
    root = find_root(path)
    site = read_site(root)
    scope = path.resolve() if path.resolve() != root else site.docs
    expander = SnippetExpander(site.snippets)
    rows = []
    for page in site.pages():
        if not (page == scope or page.is_relative_to(scope)):
            continue
        errors: list[BlockError] = []
        try:
            _, blocks = page_blocks(site, page, page.read_text(encoding="utf-8"), expander, errors)
        except (OSError, UnicodeDecodeError) as err:
            errors, blocks = [BlockError(f"the page cannot be read as UTF-8 text ({err})", site.relative(page), 1)], []
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


def _table(rows: list[dict]) -> list[str]:
    headers = ["page", "line", "language", "project", "status"]
    cells = [[str(r["page"]), str(r["line"]), r["language"], r["project"] or "-",
              r["status"] + (f": {r['reason']}" if r["reason"] else "")] for r in rows]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(headers[:-1])]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers[:-1], widths)) + "  status"]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row[:-1], widths)) + "  " + row[-1] for row in cells]
    return lines


def run(args: argparse.Namespace) -> int:
    try:
        rows = list_blocks(args.path)
    except SiteConfigError as err:
        print(f"workshop blocks: {err}")
        return 2
    if args.status != "all":
        rows = [r for r in rows if r["status"] == args.status]
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for line in _table(rows):
        print(line)
    counts = {s: sum(r["status"] == s for r in rows) for s in ("run", "skipped", "unbound", "error")}
    print(f"{len(rows)} block(s): " + ", ".join(f"{n} {s}" for s, n in counts.items() if n))
    return 0
