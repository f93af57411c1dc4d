"""A page's structure with line numbers, read line by line outside fenced code.

The rendered HTML has no line numbers, so what translations must share (headings, checklist
items, snippet includes, timing tables) is located here, in the Markdown source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..extensions.fenced import outside_fences
from ..extensions.timing.extension import timing_openings
from ..front_matter import split_front_matter

_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t#]*$")
_TASK = re.compile(r"^(?P<indent>[ \t]*)[-*+][ \t]+\[[ xX]\](?:[ \t]+(?P<text>.*))?$")
_LIST_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d+[.)])(?:[ \t]|$)")
_MARKER = re.compile(r"^(?P<marker>[A-Z][A-Z_]+)[ \t]*:")
_SNIPPET = re.compile(r"^[ \t]*-{1,}8<-{1,}[ \t]+(?P<target>.*?)[ \t]*$")
_SPEAKER = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+speaker\b")


@dataclass
class Heading:
    level: int
    line: int
    text: str


@dataclass
class Task:
    depth: int  # nesting depth, 0 for a top-level item
    line: int
    text: str
    marker: str | None
    indent: int = 0  # columns before the bullet
    parent_indent: int | None = None  # the same for the list item it sits under, if any


@dataclass
class Outline:
    meta: dict
    headings: list[Heading] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    snippets: list[tuple[str, int]] = field(default_factory=list)  # (target, line)
    timing_lines: list[int] = field(default_factory=list)  # where each `/// timing` opens
    speaker_notes: list[int] = field(default_factory=list)  # where each `!!! speaker` note opens


def outline(text: str, markers: list[str]) -> Outline:
    meta, lines, offset = split_front_matter(text)
    page = Outline(meta)
    for number, line in enumerate(lines, start=offset + 1):
        snippet = _SNIPPET.match(line)
        if snippet:
            page.snippets.append((snippet.group("target"), number))
    # The timing extension's own reading of where tables open, in page lines.
    page.timing_lines = [offset + number for number in timing_openings("\n".join(lines))]
    indents: list[int] = []  # checklist items open above this line
    items: list[int] = []  # any list items (bullets, numbers) open above this line
    for number, line in outside_fences(lines, start=offset + 1):
        heading = _HEADING.match(line)
        if heading:
            page.headings.append(Heading(len(heading.group("hashes")), number, heading.group("text")))
            items = []
            continue
        if _SPEAKER.match(line):
            page.speaker_notes.append(number)
        task = _TASK.match(line)
        item = _LIST_ITEM.match(line)
        if item:
            indent = len(item.group("indent").expandtabs(4))
            parents = [i for i in items if i < indent]
            # Python-Markdown reads an item less than 4 columns deeper than its parent as a sibling.
            items = parents + [parents[-1] if parents and indent - parents[-1] < 4 else indent]
        if task:
            indents = [i for i in indents if i < indent] + [indent]
            marker = _MARKER.match(task.group("text") or "")
            page.tasks.append(Task(len(indents) - 1, number, task.group("text") or "",
                                   marker.group("marker") if marker and marker.group("marker") in markers else None,
                                   indent, parents[-1] if parents else None))
        elif line.strip() and not line.startswith((" ", "\t")):
            indents = []
            if not item:
                items = []
    return page
