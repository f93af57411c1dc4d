"""Every code block runs in an example project or says why it cannot (checked without running it)."""

from __future__ import annotations

from pathlib import Path

from ..blocks.collect import SnippetExpander, scan, scan_notebook
from ..blocks.model import Block, BlockError
from .site import Site


def page_blocks(site: Site, page: Path, text: str, expander: SnippetExpander,
                errors: list[BlockError] | None = None) -> tuple[dict, list[Block]]:
    """Raises BlockError when the page's fences cannot be read at all (or, without an `errors`
    list to collect them in, at the first fence or snippet that cannot be read)."""
    relative = site.relative(page)
    if page.suffix == ".ipynb":
        return scan_notebook(relative, text)
    return scan(relative, text, expander, kits=site.kits, page_path=page.relative_to(site.docs).as_posix()
                if page.is_relative_to(site.docs) else str(relative), repo_url=site.repo_url, errors=errors)
