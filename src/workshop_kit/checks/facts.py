"""Everything the checks read from one page, computed once per page."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..blocks.collect import SnippetExpander
from ..blocks.model import Block, BlockError
from ..blocks.page_text import read_page
from .bindings import page_blocks
from .outline import Outline, outline
from .problem import Problem
from .render import Rendered, render
from .site import Site


@dataclass
class PageFacts:
    path: Path  # relative to the site root, as messages show it
    text: str
    outline: Outline | None = None  # None for notebooks
    rendered: Rendered | None = None
    blocks: list[Block] = field(default_factory=list)
    blocks_error: BlockError | None = None  # the page's blocks cannot be read at all
    block_errors: list[BlockError] = field(default_factory=list)  # fences or snippets that cannot be read
    render_error: Problem | None = None  # the page could not be rendered at all


def read_facts(site: Site, page: Path, expander: SnippetExpander) -> PageFacts:
    try:
        text = read_page(page, site.relative(page))
    except BlockError as err:
        facts = PageFacts(site.relative(page), "")
        facts.blocks_error = err
        return facts
    facts = PageFacts(site.relative(page), text)
    try:
        _, facts.blocks = page_blocks(site, page, text, expander, facts.block_errors)
    except BlockError as err:
        facts.blocks_error = err
    if page.suffix == ".md" and facts.blocks_error is None:
        # An unreadable front matter is already a blocks error; nothing else can be read then.
        facts.outline = outline(text, site.markers)
        try:
            facts.rendered = render(site, page, text, expander)
        except Exception as err:  # noqa: BLE001 - another extension's error: reported, never raised
            facts.render_error = Problem("blocks", facts.path, 1, f"the page cannot be rendered: "
                                         f"{type(err).__name__}: {err}")
    return facts
