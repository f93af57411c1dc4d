"""Which site a command works on: `-f/--config-file` (as for MkDocs), else the mkdocs.yml in PATH
or the nearest folder above it. PATH then only narrows the command to a page or folder of that site."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..checks.run import find_root
from ..checks.site import Site, SiteConfigError, read_site
from ..errors import WorkshopKitError


class UsageError(WorkshopKitError):
    """The command cannot run: printed as one line on stderr, exit status 2."""


def add_config_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("-f", "--config-file", type=Path, metavar="FILE",
                     help="the site's mkdocs.yml, as for 'mkdocs build -f' (default: the mkdocs.yml in PATH "
                          "or in the nearest folder above it); wins over a site folder given as PATH")


def existing_config(config_file: Path) -> Path:
    """The file -f names, made absolute; a UsageError when there is no such file."""
    if config_file.is_dir():
        raise UsageError(f"-f {config_file}: is a folder; -f/--config-file takes the mkdocs.yml file itself")
    if not config_file.is_file():
        raise UsageError(f"-f {config_file}: no such file; -f/--config-file takes the site's mkdocs.yml")
    return config_file.resolve()


def site_and_scope(path: Path | None, config_file: Path | None) -> tuple[Site, Path]:
    """The site, read from its mkdocs.yml, and the absolute folder or page the command covers
    (the docs folder when PATH is not given, or is the site's own folder)."""
    if config_file is not None:
        config_file = existing_config(config_file)
        root = config_file.parent
    else:
        target = path if path is not None else Path(".")
        if not target.exists():
            raise UsageError(f"{target} does not exist; pass the site folder or a page inside it")
        root = find_root(target)
        config_file = root / "mkdocs.yml"
    try:
        site = read_site(root, config_file)
    except SiteConfigError as err:
        raise UsageError(str(err)) from None
    if path is None or path.resolve() == root:
        return site, site.docs
    if not path.exists():
        raise UsageError(f"{path} does not exist; pass a page or folder of the site of {config_file}")
    if not path.resolve().is_relative_to(root):
        raise UsageError(f"{path} is outside the site of {config_file}; pass a page or folder under {root}")
    return site, path.resolve()
