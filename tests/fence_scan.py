"""A line-based scan of the fenced blocks in a Markdown page, with their line numbers.

Enough for the content tests; the collector that runs blocks lives in the package.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import yaml

OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<lang>[\w+-]*)[ \t]*(?P<options>.*)$")


@dataclass
class Fence:
    path: Path
    line: int
    lang: str
    options: dict
    code: str


def front_matter(text: str) -> dict:
    if text.startswith("---\n"):
        end = text.index("\n---", 4)
        return yaml.safe_load(text[4:end]) or {}
    return {}


def scan(path: Path) -> list[Fence]:
    lines = path.read_text().splitlines()
    fences, i = [], 0
    while i < len(lines):
        match = OPEN.match(lines[i])
        if not match:
            i += 1
            continue
        fence, indent = match.group("fence"), match.group("indent")
        options = dict(part.split("=", 1) for part in shlex.split(match.group("options")) if "=" in part)
        end = next(j for j in range(i + 1, len(lines))
                   if lines[j].strip().startswith(fence) and set(lines[j].strip()) == {fence[0]})
        code = "\n".join(line[len(indent):] for line in lines[i + 1:end])
        fences.append(Fence(path, i + 1, match.group("lang"), options, code))
        i = end + 1
    return fences
