"""No raw workshop syntax ships: a `/// timing` opening, a closing `///` or a `[ ]` / `[x]` task
marker left as text on the rendered page (outside code) means an extension never saw it: a timing
table inside a blockquote, checklist items inside table cells, a block the parser did not close.

`raw_markers(html)` reads the rendered page's text outside `<code>`, `<pre>`, `<script>` and
`<style>`; `raw_syntax_problems` maps what it finds back to the page's lines (the lines holding
that syntax which the extensions did not take), so `workshop check` and the build (both through
checks/page.py) fail at the same line. The MkDocs plugin can run `raw_markers` on each page's
final HTML too (`on_page_content`) as a second net.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from ..extensions.fenced import outside_fences
from ..extensions.markdown_context import in_indented_code
from ..extensions.timing.extension import timing_openings
from .problem import Problem

_SKIPPED = {"code", "pre", "script", "style", "kbd", "samp", "textarea"}
TIMING = re.compile(r"///[ \t]*timing\b")
CLOSING = re.compile(r"^[ \t>]*///[ \t]*$", re.M)
TASK = re.compile(r"(?<![\w\]`])\[[ xX]\](?![(\[:])")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_BLOCK_OPEN = re.compile(r"^/{3,}[ \t]*[\w-]")
_BLOCK_CLOSE = re.compile(r"^/{3,}[ \t]*$")
_OUTLINE_TASK = re.compile(r"^[ \t]*(?:>[ \t]*)*[-*+][ \t]+\[[ xX]\](?:[ \t]|$)")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self.depth += 1
        elif tag in ("p", "li", "td", "th", "br", "div", "blockquote", "tr", "h1", "h2", "h3", "h4", "h5", "h6"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIPPED and self.depth:
            self.depth -= 1
        elif tag in ("p", "li", "td", "th", "div", "blockquote", "tr"):
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's text as a reader sees it, outside code."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


_CODE_BLOCK = re.compile(r"<pre\b.*?</pre>", re.S | re.I)
_ANY_MARKER = re.compile(r"///|\[[ xX]\]")


def raw_markers(html: str) -> dict[str, int]:
    """How many raw `/// timing` openings, closing `///` and task markers the page shows."""
    if not _ANY_MARKER.search(html):
        return {}
    html = _CODE_BLOCK.sub("", html)  # highlighted code is most of a page, and never checked
    if not _ANY_MARKER.search(html):
        return {}
    text = visible_text(html)
    found = {"timing": len(TIMING.findall(text)), "closing": len(CLOSING.findall(text)),
             "task": len(TASK.findall(text))}
    return {kind: count for kind, count in found.items() if count}


def _prose(line: str) -> str:
    return _INLINE_CODE.sub("", line)


def raw_syntax_problems(path: Path, body: list[str], offset: int, html: str) -> list[Problem]:
    """Problems at the page lines whose syntax reached the rendered page as text.

    `body` is the page's Markdown without its front matter (`offset` lines), as rendered."""
    found = raw_markers(html)
    if not found:
        return []
    lines = [(number, line) for number, line in outside_fences(body)
             if not in_indented_code(body, number - 1)]
    taken = set(timing_openings("\n".join(body)))
    problems: list[Problem] = []

    def add(kind: str, number: int | None, message: str) -> None:
        problems.append(Problem(kind, path, number + offset if number else None, message))

    if "timing" in found:
        written = [number for number, line in lines if TIMING.search(_prose(line))]
        # The ones the extension did not take; else (inside an HTML block with `markdown`, say) all.
        raw: list[int | None] = [number for number in written if number not in taken] or [*written]
        for number in raw or [None]:
            add("timing", number, "this '/// timing' table is not read as one (inside a blockquote, a table, an "
                "HTML block or a paragraph?), so the page would show its raw text: start '/// timing' at the "
                "beginning of a line, after a blank line, at the page's level or inside an admonition, tab or list "
                "item")
    if "closing" in found:
        # Closing lines that close no block the page opened at its level (pymdown's blocks nest).
        depth = 0
        stray: list[int | None] = []
        for number, line in lines:
            if _BLOCK_OPEN.match(line):
                depth += 1
            elif _BLOCK_CLOSE.match(line):
                if depth:
                    depth -= 1
                else:
                    stray.append(number)
            elif CLOSING.match(line):
                stray.append(number)  # indented or quoted: no block parser sees it
        # Every closing matched an opening, yet a '///' shows: an opening the site's extensions do
        # not read (a `/// details` without pymdownx.blocks.details), whose closing shows with it.
        closings: list[int | None] = [number for number, line in lines
                                      if _BLOCK_CLOSE.match(line) or CLOSING.match(line)]
        for number in stray or closings or [None]:
            add("timing", number, "this closing '///' would be shown as text: it closes no '/// ...' block "
                "(its opening is not read as one, or there is none); fix the opening or remove the line")
    if "task" in found:
        raw = [number for number, line in lines if TASK.search(_prose(line)) and not _OUTLINE_TASK.match(line)]
        for number in raw or [None]:
            add("checklist", number, "'[ ]' or '[x]' here is not a checklist item (inside a table cell or a "
                "paragraph?), so the page would show it as text: make it a list item of its own ('- [ ] ...' on "
                "its own line), or put it in backticks if it is meant as text")
    return problems
