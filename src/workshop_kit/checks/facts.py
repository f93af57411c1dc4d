"""Everything the checks read from one page, computed once per page."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..blocks.collect import SnippetExpander
from ..blocks.model import Block, BlockError
from .bindings import page_blocks
from .outline import Outline, outline
from .render import Rendered, render
from .site import Site


@dataclass
class PageFacts:
    path: Path  # relative to the site root, as messages show it
    text: str
    outline: Outline | None = None  # None for notebooks
    rendered: Rendered | None = None
    blocks: list[Block] = field(default_factory=list)
    blocks_error: BlockError | None = None


def read_facts(site: Site, page: Path, expander: SnippetExpander) -> PageFacts:
    text = page.read_text(encoding="utf-8")
    facts = PageFacts(site.relative(page), text)
    try:
        _, facts.blocks = page_blocks(site, page, text, expander)
    except BlockError as err:
        facts.blocks_error = err
    if page.suffix == ".md" and facts.blocks_error is None:
        # An unreadable front matter is already a blocks error; nothing else can be read then.
        facts.outline = outline(text, site.markers)
        facts.rendered = render(site, page, text)
    return facts
