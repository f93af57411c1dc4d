"""Which lines of a Markdown page are prose, and which are inside fenced code."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

# The one definition of a fence's opening line: its marker alone (FENCE), or with what follows it
# (FENCE_OPEN: indentation, marker, language, options), as the block runner and the checks read it.
FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")
FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*"
                        r"(?P<lang>[\w+.-]*)[ \t]*(?P<options>.*?)[ \t]*$")


def outside_fences(lines: Iterable[str], start: int = 1) -> Iterator[tuple[int, str]]:
    """(line number, line) for every line that is neither in a fence nor one of its delimiters."""
    fence: str | None = None
    for number, line in enumerate(lines, start=start):
        opened = FENCE.match(line)
        if fence:
            marks = opened.group("fence") if opened else ""
            if marks and marks[0] == fence[0] and len(marks) >= len(fence) and not line.strip()[len(marks):].strip():
                fence = None
            continue
        if opened:
            fence = opened.group("fence")
            continue
        yield number, line
