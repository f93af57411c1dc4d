"""Every code block runs in an example project or says why it cannot (checked without running it)."""

from __future__ import annotations

from pathlib import Path

from ..blocks.collect import SnippetExpander, check, scan, scan_notebook
from ..blocks.model import Block, BlockError
from .problem import Problem
from .site import Site


def page_blocks(site: Site, page: Path, text: str, expander: SnippetExpander) -> tuple[dict, list[Block]]:
    """Raises BlockError when the page's fences cannot be read at all."""
    relative = site.relative(page)
    if page.suffix == ".ipynb":
        return scan_notebook(relative, text)
    return scan(relative, text, expander, kits=site.kits, page_path=page.relative_to(site.docs).as_posix()
                if page.is_relative_to(site.docs) else str(relative), repo_url=site.repo_url)


def check_bindings(site: Site, page: Path, text: str, expander: SnippetExpander) -> list[Problem]:
    try:
        _, blocks = page_blocks(site, page, text, expander)
    except BlockError as err:
        return [Problem("blocks", Path(str(err.path)), err.line, err.message)]
    problems = []
    for block in blocks:
        try:
            check(block, site.examples)
        except BlockError as err:
            problems.append(Problem("blocks", Path(str(err.path)), err.line, err.message))
    return problems
