"""What a reader gets from a built page's code blocks, read in chromium as a person gets it: the
text each copy button puts on the clipboard, and the block as the page displays it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from workshop_kit.blocks.console import executed_text
from workshop_kit.blocks.model import Block

# Clicks every copy button of the page in order (Material's own button and handler) and reads what
# it put on the clipboard; with the text the code element displays and what the page says under it.
# A block is first made visible as a person would: the speaker view switched on for a speaker
# note, a collapsed block opened, its tab chosen.
_READ = """async () => {
  const reveal = (el) => {
    if (el.closest('.speaker') && document.documentElement.dataset.wkView !== 'speaker')
      document.querySelector('.wk-view-toggle').click();
    for (let d = el.closest('details:not([open])'); d; d = el.closest('details:not([open])'))
      d.querySelector(':scope > summary').click();
    for (let block = el.closest('.tabbed-block'); block; block = block.parentElement.closest('.tabbed-block')) {
      const set = block.closest('.tabbed-set');
      const index = Array.from(block.parentElement.children).indexOf(block);
      set.querySelector(':scope > .tabbed-labels').children[index].click();
    }
  };
  const found = [];
  for (const button of document.querySelectorAll('.md-content [data-clipboard-target]')) {
    const code = document.querySelector(button.getAttribute('data-clipboard-target'));
    reveal(code);
    await navigator.clipboard.writeText('\\u0000');
    button.click();
    let copied = '\\u0000';
    for (let i = 0; i < 50 && copied === '\\u0000'; i++) {
      copied = await navigator.clipboard.readText();
      if (copied === '\\u0000') await new Promise(r => setTimeout(r, 20));
    }
    const block = code.closest('.highlight') || code.closest('pre');
    let note = block.nextElementSibling;
    const title = block.querySelector('.filename');
    found.push({copied: copied, shown: code.textContent,
                skipped: !!(note && note.classList.contains('wk-block-origin--skipped')),
                title: title ? title.textContent : ''});
  }
  return found;
}"""


@dataclass
class PageBlock:
    copied: str  # what the copy button gave
    shown: str  # the code element's text, as displayed (prompts and output included)
    skipped: bool
    title: str


def page_url(source: Path, docs: Path) -> str:
    """`docs/x/handout.fr.md` -> `fr/x/handout/`; `docs/x/index.md` -> `x/` (the site's URLs)."""
    relative = PurePosixPath(source.relative_to(docs).as_posix())
    parts = relative.name.split(".")
    lang = parts[1] if len(parts) > 2 else ""
    stem = parts[0]
    folder = relative.parent.as_posix()
    path = "/".join(p for p in (lang, "" if folder == "." else folder, "" if stem == "index" else stem) if p)
    return path + "/" if path else ""


def read_page_blocks(page, url: str) -> list[PageBlock]:
    page.goto(url)
    page.wait_for_function("() => document.querySelectorAll('pre > code').length === 0 || "
                           "document.querySelectorAll('[data-clipboard-target]').length > 0")
    return [PageBlock(**item) for item in page.evaluate(_READ)]


def match_blocks(blocks: list[Block], shown: list[PageBlock]) -> tuple[list[tuple[Block, PageBlock]], list[str]]:
    """Each collected block paired, in page order, with the page block whose copy button gives
    exactly what the runner runs for it (the page may show more blocks: indented code, examples).
    Returns the pairs and a message for every block no copy button gives."""
    pairs, problems, at = [], [], 0
    for block in blocks:
        want = executed_text(block)
        found = next((i for i in range(at, len(shown)) if shown[i].copied.rstrip() == want), None)
        if found is None:
            near = next((shown[i].copied for i in range(at, len(shown))
                         if shown[i].copied.splitlines()[:1] == want.splitlines()[:1]), None)
            problems.append(f"{block.where} ({block.lang}): no copy button gives what the tests run:\n"
                            f"  runner: {want!r}\n  page:   {near!r}")
            continue
        pairs.append((block, shown[found]))
        at = found + 1
    return pairs, problems
