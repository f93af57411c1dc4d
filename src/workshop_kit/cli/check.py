"""Every build-free check of the site in one run: timing tables, checklist items, code-block
bindings and skip reasons, the commands of shell blocks (run or skipped) parsed by their tools'
own parsers, French/English parity, secrets, French terminology (the glossary's terms in French
prose). The strict build runs the same page checks (checks/page.py). Exits 1 when an error is found.

Examples:
  workshop check                      # the whole site
  workshop check docs/gitops-dvc      # the pages of one workshop (and their translations)
  workshop check -f site/mkdocs.yml   # another site, or a config with INHERIT
  workshop check --only parity,timing --format json
  workshop check docs --only terminology   # French pages against the glossary's terms
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from ..checks import CHECKS
from ..checks.run import check_site
from .site import add_config_option, site_and_scope

HELP = "run every build-free check (seconds), with file:line messages"


def _checks(value: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in value.split(",") if name.strip())
    unknown = [name for name in names if name not in CHECKS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown check(s) {', '.join(unknown) or '(none)'}; "
                                         f"choose from: {', '.join(CHECKS)}")
    return names


def arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("path", nargs="?", type=Path,
                     help="the site folder (with mkdocs.yml), or a page or folder inside docs/ (default: .)")
    add_config_option(sub)
    sub.add_argument("--only", type=_checks, default=CHECKS, metavar="CHECKS",
                     help=f"comma-separated checks to run (default: all of {','.join(CHECKS)})")
    sub.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")


def run(args: argparse.Namespace) -> int:
    site, scope = site_and_scope(args.path, args.config_file)
    problems = check_site(site, scope, args.only)
    errors = [p for p in problems if p.severity == "error"]
    if args.format == "json":
        print(json.dumps({"checks": list(args.only), "errors": len(errors),
                          "warnings": len(problems) - len(errors),
                          "problems": [p.as_json() for p in problems]}, indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            print(problem.text)
        by_check = Counter(p.check for p in errors)
        detail = f" ({', '.join(f'{n} {c}' for c, n in sorted(by_check.items()))})" if by_check else ""
        print(f"workshop check: {len(errors)} error(s){detail}, {len(problems) - len(errors)} warning(s); "
              f"checks run: {', '.join(args.only)}")
    return 1 if errors else 0
