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
from collections.abc import Sequence
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


def raw_syntax_problems(path: Path, body: list[str], offset: int, html: str,
                        includes: Sequence[tuple[int, str, list[str]]] = ()) -> list[Problem]:
    """Problems at the page lines whose syntax reached the rendered page as text.

    `body` is the page's Markdown without its front matter (`offset` lines), as rendered.
    `includes`: the page's `--8<--` includes as (page line, file shown, the file's lines); raw
    syntax no page line holds is looked for in them and reported at the include's line, naming
    the included file and its line."""
    found = raw_markers(html)
    if not found:
        return []
    problems: list[Problem] = []
    for kind, numbers in raw_lines(body, set(found)).items():
        check = "checklist" if kind == "task" else "timing"
        if numbers:
            problems += [Problem(check, path, number + offset, MESSAGES[kind]) for number in numbers]
            continue
        included = [Problem(check, path, at, f"{shown}:{number}, included here: {MESSAGES[kind]}")
                    for at, shown, lines in includes for number in raw_lines(lines, {kind})[kind]]
        problems += included or [Problem(check, path, None, MESSAGES[kind])]
    return problems


MESSAGES = {
    "timing": "this '/// timing' table is not read as one (inside a blockquote, a table, an HTML block or a "
              "paragraph?), so the page would show its raw text: start '/// timing' at the beginning of a line, "
              "after a blank line, at the page's level or inside an admonition, tab or list item",
    "closing": "this closing '///' would be shown as text: it closes no '/// ...' block (its opening is not read "
               "as one, or there is none); fix the opening or remove the line",
    "task": "'[ ]' or '[x]' here is not a checklist item (inside a table cell or a paragraph?), so the page would "
            "show it as text: make it a list item of its own ('- [ ] ...' on its own line), or put it in backticks "
            "if it is meant as text",
}


def raw_lines(body: list[str], kinds: set[str]) -> dict[str, list[int]]:
    """For each kind of raw syntax found on the rendered page ("timing", "closing", "task"), the
    lines of `body` (1-based, outside code) that hold it and that the extensions did not take;
    an empty list when no line of `body` can be blamed (the text came from elsewhere: an include)."""
    lines = [(number, line) for number, line in outside_fences(body)
             if not in_indented_code(body, number - 1)]
    found: dict[str, list[int]] = {}
    if "timing" in kinds:
        taken = set(timing_openings("\n".join(body)))
        written = [number for number, line in lines if TIMING.search(_prose(line))]
        # The ones the extension did not take; else (inside an HTML block with `markdown`, say) all.
        found["timing"] = [number for number in written if number not in taken] or written
    if "closing" in kinds:
        # Closing lines that close no block the page opened at its level (pymdown's blocks nest).
        depth = 0
        stray: list[int] = []
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
        found["closing"] = stray or [number for number, line in lines
                                     if _BLOCK_CLOSE.match(line) or CLOSING.match(line)]
    if "task" in kinds:
        found["task"] = [number for number, line in lines
                         if TASK.search(_prose(line)) and not _OUTLINE_TASK.match(line)]
    return found
