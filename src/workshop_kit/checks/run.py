"""Run every build-free check over a site, or over the pages under one folder of it.

Each page is checked by `PageChecker` (checks/page.py), the very code the MkDocs plugin runs for
each page it builds; on top, the secrets check reads the site's other files (snippets, example
projects, mkdocs.yml).
"""

from __future__ import annotations

import os
from collections.abc import Set as AbstractSet
from pathlib import Path

from .. import paths
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
    if "secrets" in only or "paths" in only:
        problems += site_file_problems(site, scope, pages, only)
    return sorted(set(problems), key=lambda p: (str(p.path), p.line or 0, p.check, p.message))


def site_file_problems(site, scope: Path | None = None, pages: list[Path] | None = None,
                       only: tuple[str, ...] = CHECKS) -> list[Problem]:
    """The checks of what is not a page (snippets, example projects, mkdocs.yml, other files under
    docs/): secrets, and paths (symlinks leaving the repository, kits' paths): `workshop check`
    runs them after the pages, the MkDocs plugin after the build."""
    scope = site.docs if scope is None else scope
    pages = site.pages() if pages is None else pages
    folders = [scope] if scope != site.docs else [site.docs, site.root / "snippets", site.examples, site.config_file]
    problems = []
    if "secrets" in only:
        problems += check_secrets(site.root, [f for f in folders if f.exists()], exclude=set(pages))
    if "paths" in only and scope == site.docs:
        problems += site_path_problems(site, set(pages))
    return problems


def site_path_problems(site, pages: AbstractSet[Path] = frozenset()) -> list[Problem]:
    """What the site publishes or runs from outside its roots: a symlink under docs/, a snippet
    base or examples/ whose target leaves the repository (the build would copy or include its
    target, a zip would ship it), a snippet base or `auto_append` file outside the repository,
    and kits whose project, `writes` or `omits` leave their root after symlinks."""
    root = site.root
    config = site.relative(site.config_file)
    problems: list[Problem] = []
    for folder, what in ((site.docs, "docs_dir"), (site.examples, "the example projects' folder (examples_dir)")):
        if folder.exists() and not paths.inside(folder, root):
            problems.append(Problem("paths", config, None, f"{what} {folder} lies outside the repository "
                                    f"({os.path.realpath(folder)}): keep it inside the folder of mkdocs.yml"))
    bases = [Path(base) for base in site.snippets.get("base_path", [])]
    for base in bases:
        if base.exists() and not paths.inside(base, root):
            problems.append(Problem("paths", config, None, f"pymdownx.snippets' base_path {base} lies outside the "
                                    "repository: includes must come from folders of the repository"))
    for name in site.snippets.get("auto_append") or []:
        found = next((base / name for base in bases if (base / name).exists()), None)
        if found is not None and not paths.inside(found, root):
            problems.append(Problem("paths", config, None, paths.symlink_message(
                found, Path(os.path.realpath(found)), root, "includes (auto_append)")))
    folders = [site.docs, *[base for base in bases if paths.inside(base, root)], site.examples]
    seen: set[Path] = set()
    for folder in folders:
        for link, target in paths.escaping_symlinks(folder, root):
            if link in seen or link in pages:
                continue  # a page is reported by the page checks, at its own name
            seen.add(link)
            role = {site.docs: "the build"}.get(folder, "includes, the tests and the kits' zips")
            problems.append(Problem("paths", site.relative(link), None,
                                    paths.symlink_message(link, target, root, role)))
    for kit in site.kits.values():
        where = f"workshop.kits.{kit.workshop}"
        try:
            folder = paths.project_folder(site.examples, kit.project, base=root)
        except paths.PathRefused as err:
            problems.append(Problem("paths", config, _config_line(site, kit.workshop, "project"), f"{where}: {err}"))
            continue
        for key, names in (("writes", kit.writes), ("omits", kit.omits)):
            for name in names:
                try:
                    paths.confine(folder, name, f"{where}.{key}: '{name}'", base=root,
                                  fix="name a file or folder of the project")
                except paths.PathRefused as err:
                    problems.append(Problem("paths", config, _config_line(site, kit.workshop, key), str(err)))
    return problems


def _config_line(site, workshop: str, key: str) -> int | None:
    """The line of `key` under the kit `workshop` in mkdocs.yml (None when it cannot be found)."""
    try:
        lines = site.config_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    start = next((i for i, line in enumerate(lines) if line.strip() == "kits:"), None)
    if start is None:
        return None
    kit = next((i for i in range(start + 1, len(lines)) if lines[i].strip().startswith(f"{workshop}:")), None)
    if kit is None:
        return None
    return next((i + 1 for i in range(kit + 1, len(lines)) if lines[i].strip().startswith(f"{key}:")), kit + 1)
