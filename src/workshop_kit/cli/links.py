"""Check the links of a built site offline: every internal link reaches a file (and its #anchor),
no link is root-absolute (the site must work from a sub-path), and external URLs are well-formed.
External URLs are never fetched; they are listed, with the pages using them, for review.

The site's mkdocs.yml (-f, else ./mkdocs.yml when there is one) gives the defaults: the built
site is its site_dir, and the sub-path the site is served from (for the 404 page, which links
from any address) is the path of its site_url, read as MkDocs reads it (INHERIT, !ENV).

Examples:
  make site && workshop links site
  SITE_URL=https://org.github.io/repo/ workshop links     # checked for the sub-path /repo/
  workshop links site --report external-links.md
"""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ..linkcheck import check_site
from ..site_config import load_config
from .site import UsageError, existing_config

HELP = "check a built site's links offline and list its external URLs"


def arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("site", nargs="?", type=Path,
                     help="the built site (default: site_dir of mkdocs.yml, else site)")
    sub.add_argument("-f", "--config-file", type=Path, metavar="FILE",
                     help="the site's mkdocs.yml, for the defaults of SITE and --site-path "
                          "(default: ./mkdocs.yml when there is one)")
    sub.add_argument("--report", type=Path, help="write the external URLs, with their pages, to this Markdown file")
    sub.add_argument("--site-path",
                     help="the path part of site_url, for the 404 page (default: from site_url of mkdocs.yml, else /)")


def site_path_of(site_url) -> str:
    """'/repo/' for 'https://org.github.io/repo/'; '/' when there is no site_url."""
    if not isinstance(site_url, str) or not site_url.strip():
        return "/"
    return urlsplit(site_url.strip()).path or "/"


def _config(config_file: Path | None) -> tuple[Path | None, dict]:
    if config_file is not None:
        config_file = existing_config(config_file)
    elif Path("mkdocs.yml").is_file():
        config_file = Path("mkdocs.yml").resolve()
    else:
        return None, {}
    try:
        return config_file, load_config(config_file)
    except yaml.YAMLError as err:
        message = " ".join(str(err).split())
        raise UsageError(f"{config_file}: not valid YAML: {message}") from None


def run(args: argparse.Namespace) -> int:
    config_file, config = _config(args.config_file)
    site = args.site
    if site is None:
        site_dir = config.get("site_dir") or "site"
        site = config_file.parent / site_dir if config_file is not None else Path("site")
    site_path = args.site_path if args.site_path is not None else site_path_of(config.get("site_url"))
    if not (site / "index.html").is_file():
        raise UsageError(f"{site} holds no built site (no index.html); run 'make site' first")
    report = check_site(site, site_path)
    for problem in report.problems:
        print(problem)
    if args.report:
        args.report.write_text(report.markdown(), encoding="utf-8")
    print(f"workshop links: {report.checked} links checked (site path {site_path}), {len(report.problems)} "
          f"problem(s), {len(report.external)} external URL(s) listed{f' in {args.report}' if args.report else ''}")
    return 1 if report.problems else 0
