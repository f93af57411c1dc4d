"""Create a workshop: overview, speaker guide (a checklist), agenda (a timing table) and
participant handout in every language of the site, an example project under examples/<slug>/
with a passing test, and the nav entries. The site still builds strictly afterwards.

Examples:
  workshop new feature-store --title "Feature stores" --tools feast,dvc --duration "3 h"
  workshop new atelier-dvc --title "DVC in practice" --title-fr "DVC en pratique" --duration "90 min"
  workshop new quick --title "Quick" -f ../other-site/mkdocs.yml
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..checks.site import SiteConfigError
from ..scaffold import ScaffoldError, Workshop, create_workshop
from .site import UsageError, existing_config

HELP = "scaffold a new workshop: pages in every language, an example project, nav entries"


def arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("slug", help="folder name for docs/<slug>/ and examples/<slug>/, e.g. feature-store")
    sub.add_argument("--title", required=True, help="the workshop's title, as the nav and pages show it")
    sub.add_argument("--title-fr", help="the French title (default: the same as --title)")
    sub.add_argument("--tools", default="", help="comma-separated tools the workshop teaches, e.g. dvc,mlflow")
    sub.add_argument("--duration", default="3 h", help="total length, e.g. '4 h', '90 min', '2h30' (default: 3 h)")
    sub.add_argument("--start", default="09:00", help="start time of the agenda, HH:MM (default: 09:00)")
    sub.add_argument("--root", type=Path, default=Path("."), help="the site folder holding mkdocs.yml (default: .)")
    sub.add_argument("-f", "--config-file", type=Path, metavar="FILE",
                     help="the site's mkdocs.yml, which gets the nav entries (wins over --root; a file with "
                          "another name is refused: the scaffold reads the mkdocs.yml of its folder)")


def run(args: argparse.Namespace) -> int:
    workshop = Workshop(slug=args.slug, title=args.title, title_fr=args.title_fr, duration=args.duration,
                        tools=[t.strip() for t in args.tools.split(",") if t.strip()], start=args.start)
    root = args.root.resolve()
    if args.config_file is not None:
        config_file = existing_config(args.config_file)
        if config_file.name != "mkdocs.yml":
            raise UsageError(f"-f {args.config_file}: the scaffold adds its nav entries to the site's mkdocs.yml "
                             "and reads no other config file; pass that mkdocs.yml, or its folder with --root")
        root = config_file.parent
    try:
        written = create_workshop(root, workshop)
    except (ScaffoldError, SiteConfigError) as err:
        raise UsageError(str(err)) from None
    for path in written:
        print(f"wrote {path}")
    print(f"\nNext: 'make serve' to see it, 'workshop check' for the build-free checks, and\n"
          f"'python -m pytest examples/{args.slug} docs/{args.slug}' to run its example and blocks.")
    return 0
