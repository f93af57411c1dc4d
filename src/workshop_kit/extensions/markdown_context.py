"""What ordinary Markdown means by a line, for extensions that must leave ordinary Markdown alone.

- `in_indented_code(lines, index)`: is the line part of an indented code block (a code sample
  showing the `/// timing` syntax), rather than content indented inside an admonition, a content
  tab, a details block or a list item?
- `harmless_inline_html(raw)`: can a piece of raw inline HTML that an author typed (in a checklist
  item, say) be kept as HTML? Comments and formatting tags such as `<kbd>` are harmless; anything
  that can run (scripts, event handlers, `javascript:` URLs, embedded documents) is not.
"""

from __future__ import annotations

import re

from .fenced import FENCE

# Openers whose content is indented by 4 (admonitions, details, content tabs, list items).
_CONTAINER = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?|===)(?:[ \t]|$)|^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\S")
# pymdown's generic blocks (`/// name`): their content is not indented; a bare `///` closes one.
_BLOCK_OPENER = re.compile(r"^[ \t]*/{3,}[ \t]*[\w-]")


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def in_indented_code(lines: list[str], index: int) -> bool:
    """True when `lines[index]` sits in an indented code block: indented by 4 more spaces than the
    content it belongs to (the page, or the admonition, details, content tab or list item above it),
    and not continuing a paragraph (a blank line, or the container's first line, comes before)."""
    line = lines[index]
    depth = _indent(line)
    if depth < 4 or not line.strip():
        return False
    fence_lines = _fence_lines(lines, index)
    if fence_lines is None:
        return False  # inside a fence: SuperFences' business
    blank = False
    for above in range(index - 1, -1, -1):
        text = lines[above]
        if not text.strip():
            blank = True
            continue
        level = _indent(text)
        if level >= depth or above in fence_lines:
            continue  # deeper content, or a fence that closed before this line
        if _CONTAINER.match(text):
            base = level + 4  # the container's content starts here
            return depth >= base + 4 and (blank or above == index - 1)
        if _BLOCK_OPENER.match(text):
            return depth >= level + 4 and (blank or above == index - 1)
        return depth >= level + 4 and blank
    return True


def _fence_lines(lines: list[str], index: int) -> set[int] | None:
    """The indexes of the lines of fences closed before `lines[index]`, or None when that line is
    inside a fence still open."""
    closed: set[int] = set()
    opened: tuple[int, str] | None = None
    for number in range(index):
        match = FENCE.match(lines[number])
        if opened is None:
            if match:
                opened = (number, match.group(1))
        elif match and match.group(1)[0] == opened[1][0] and len(match.group(1)) >= len(opened[1]) \
                and not lines[number].strip().strip(match.group(1)[0]):
            closed.update(range(opened[0], number + 1))
            opened = None
    return None if opened is not None else closed


# Raw HTML that cannot run: comments and formatting-only tags without attributes that do.
_COMMENT = re.compile(r"^<!--.*-->$", re.S)
_TAG = re.compile(r"^</?(?P<name>[A-Za-z][A-Za-z0-9-]*)(?P<attrs>(?:\s[^<>]*)?)/?>$", re.S)
HARMLESS_TAGS = {"kbd", "em", "strong", "b", "i", "u", "s", "code", "sub", "sup", "mark", "small", "abbr", "br",
                 "span", "del", "ins", "q", "cite", "dfn", "var", "samp", "wbr", "time"}
_RISKY_ATTR = re.compile(r"(?i)(?:^|\s)(?:on\w+|style|srcdoc|formaction)\s*=|javascript:|data:|vbscript:")


def harmless_inline_html(raw: str) -> bool:
    raw = raw.strip()
    if _COMMENT.match(raw):
        return "-->" not in raw[4:-3]
    match = _TAG.match(raw)
    if match is None or match.group("name").lower() not in HARMLESS_TAGS:
        return False
    return not _RISKY_ATTR.search(match.group("attrs") or "")
