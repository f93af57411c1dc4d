"""The copy button gives exactly what the tests run, for every block of every page, in both
languages: read from the clipboard after clicking each of Material's copy buttons in chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from page_copy import match_blocks, page_url, read_page_blocks

from workshop_kit.blocks.index import read_site, site_kits, site_settings
from workshop_kit.blocks.model import Block

pytestmark = pytest.mark.browser
ROOT = Path(__file__).parents[2]


def _site_pages() -> dict[Path, list[Block]]:
    docs, snippets = site_settings(ROOT / "mkdocs.yml")
    kits, repo_url = site_kits(ROOT / "mkdocs.yml")
    site = read_site(ROOT, docs, ROOT / "examples", snippets, None, kits, repo_url)
    # Notebook pages (mkdocs-jupyter) have no copy buttons: a participant runs the notebook file of
    # the starter zip in Jupyter, whose cells the notebook tests run as stored.
    return {ROOT / path: page.blocks for path, page in site.pages.items() if page.blocks and path.suffix == ".md"}


PAGES = _site_pages()


@pytest.fixture(scope="module")
def clipboard_page(chromium_browser):
    context = chromium_browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    context.set_default_timeout(90_000)
    yield context.new_page()
    context.close()


def test_every_page_with_blocks_is_read_in_both_languages():
    names = {path.relative_to(ROOT / "docs").as_posix() for path in PAGES}
    assert "notebook-to-pipeline/handout.md" in names and "notebook-to-pipeline/handout.fr.md" in names
    assert sum(len(blocks) for blocks in PAGES.values()) > 200


@pytest.mark.parametrize("source", sorted(PAGES), ids=lambda p: p.relative_to(ROOT / "docs").as_posix())
def test_each_copy_button_gives_what_the_tests_run(site_url, clipboard_page, source):
    shown = read_page_blocks(clipboard_page, site_url + page_url(source, ROOT / "docs"))
    pairs, problems = match_blocks(PAGES[source], shown)
    assert not problems, "\n".join(problems)
    for block, page_block in pairs:
        if block.lang in ("console", "pycon"):
            assert page_block.copied != page_block.shown.rstrip(), f"{block.where}: the copy holds prompts or output"
