"""Check the links of a built site offline: every internal link reaches a file (and its #anchor),
no link is root-absolute (the site must work from a sub-path), and external URLs are well-formed.
External URLs are never fetched; they are listed, with the pages using them, for review.

Examples:
  make site && workshop links site
  workshop links site --report external-links.md
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..linkcheck import check_site

HELP = "check a built site's links offline and list its external URLs"


def arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("site", nargs="?", default=Path("site"), type=Path, help="the built site (default: site)")
    sub.add_argument("--report", type=Path, help="write the external URLs, with their pages, to this Markdown file")
    sub.add_argument("--site-path", default="/", help="the path part of site_url, for the 404 page (default: /)")


def run(args: argparse.Namespace) -> int:
    if not (args.site / "index.html").is_file():
        print(f"workshop links: {args.site} holds no built site (no index.html); run 'make site' first")
        return 2
    report = check_site(args.site, args.site_path)
    for problem in report.problems:
        print(problem)
    if args.report:
        args.report.write_text(report.markdown(), encoding="utf-8")
    print(f"workshop links: {report.checked} links checked, {len(report.problems)} problem(s), "
          f"{len(report.external)} external URL(s) listed{f' in {args.report}' if args.report else ''}")
    return 1 if report.problems else 0
