"""Run every build-free check over a site, or over the pages under one folder of it.

Each page is checked by `PageChecker` (checks/page.py), the very code the MkDocs plugin runs for
each page it builds; on top, the secrets check reads the site's other files (snippets, example
projects, mkdocs.yml).
"""

from __future__ import annotations

from pathlib import Path

from .page import CHECKS, PageChecker
from .problem import Problem
from .secrets import check_secrets
from .site import read_site


def find_root(path: Path) -> Path:
    """The folder holding mkdocs.yml, at `path` or above it."""
    path = path.resolve()
    for folder in [path, *path.parents] if path.is_dir() else list(path.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return path if path.is_dir() else path.parent


def run_checks(target: Path, only: tuple[str, ...] = CHECKS) -> list[Problem]:
    root = find_root(target)
    site = read_site(root)
    target = target.resolve()
    return check_site(site, target if target != root else site.docs, only)


def check_site(site, scope: Path, only: tuple[str, ...] = CHECKS) -> list[Problem]:
    """Every check of the pages under `scope` (the docs folder: the whole site) of a site already
    read, so that `workshop check -f` can name any config file."""
    pages = [p for p in site.pages() if p == scope or p.is_relative_to(scope)]
    checker = PageChecker(site)
    if "commands" in only:
        checker.prefetch(pages)
    problems: list[Problem] = []
    for page in pages:
        problems += checker.check(page, only)
    if "secrets" in only:
        problems += site_file_problems(site, scope, pages)
    return sorted(set(problems), key=lambda p: (str(p.path), p.line or 0, p.check, p.message))


def site_file_problems(site, scope: Path | None = None, pages: list[Path] | None = None) -> list[Problem]:
    """The secrets check of what is not a page (snippets, example projects, mkdocs.yml, other files
    under docs/): `workshop check` runs it after the pages, the MkDocs plugin after the build."""
    scope = site.docs if scope is None else scope
    pages = site.pages() if pages is None else pages
    folders = [scope] if scope != site.docs else [site.docs, site.root / "snippets", site.examples, site.config_file]
    return check_secrets(site.root, [f for f in folders if f.exists()], exclude=set(pages))
