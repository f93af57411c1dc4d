"""Add a workshop's section to mkdocs.yml's nav (and its French titles) as text.

Editing the file as text keeps the author's comments, order and `!!python/name` tags intact,
which a YAML round trip would not.
"""

from __future__ import annotations

import re

import yaml

from ..errors import WorkshopKitError

_TOP = re.compile(r"^\S")
_ENTRY = re.compile(r"^(?P<indent>[ ]*)- ")


def _scalar(text: str) -> str:
    """A YAML scalar for a title: bare when it reads back as the same string, quoted otherwise."""
    if re.fullmatch(r"[A-Za-z][\w À-ÿ'’,.()&-]*", text) and yaml.safe_load(text) == text:
        return text
    quoted = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=float("inf"))
    return quoted.removesuffix("\n...\n").strip()


class NavError(WorkshopKitError):
    """mkdocs.yml's nav cannot take the new section; the message says why."""


def add_section(config_text: str, title: str, pages: list[tuple[str | None, str]]) -> str:
    """Inserts `- title: [pages]` after the last section of the top-level nav."""
    lines = config_text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == "nav:"), None)
    if start is None:
        raise NavError("mkdocs.yml has no top-level 'nav:'; add one listing the site's pages, then run again")
    end = next((i for i in range(start + 1, len(lines)) if _TOP.match(lines[i]) and not lines[i].startswith("#")),
               len(lines))
    entries = [i for i in range(start + 1, end) if _ENTRY.match(lines[i])]
    if not entries:
        raise NavError("mkdocs.yml's nav is empty; list at least the home page under 'nav:'")
    indents = {i: len(entry.group("indent")) for i in entries if (entry := _ENTRY.match(lines[i]))}
    indent = min(indents.values())
    top = [i for i in entries if indents[i] == indent]
    sections = [i for i in top if lines[i].rstrip().endswith(":")]
    if sections:
        after = sections[-1]
        following = [i for i in top if i > after]
        insert_at = following[0] if following else end
    else:
        insert_at = end
    while insert_at > start + 1 and not lines[insert_at - 1].strip():
        insert_at -= 1
    pad = " " * indent
    block = [f"{pad}- {_scalar(title)}:\n"]
    for label, path in pages:
        block.append(f"{pad}    - {_scalar(label) + ': ' if label else ''}{path}\n")
    return "".join(lines[:insert_at] + block + lines[insert_at:])


def add_translations(config_text: str, translations: dict[str, str]) -> str:
    """Adds missing `English: French` pairs under the i18n plugin's nav_translations."""
    lines = config_text.splitlines(keepends=True)
    at = next((i for i, line in enumerate(lines) if line.strip() == "nav_translations:"), None)
    if at is None:
        return config_text
    indent = len(lines[at]) - len(lines[at].lstrip()) + 2
    end = at + 1
    while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) >= indent):
        end += 1
    present = {line.split(":", 1)[0].strip().strip("\"'") for line in lines[at + 1:end] if ":" in line}
    added = [f"{' ' * indent}{_scalar(en)}: {_scalar(fr)}\n" for en, fr in translations.items()
             if en not in present and en != fr]
    while end > at + 1 and not lines[end - 1].strip():
        end -= 1
    return "".join(lines[:end] + added + lines[end:])
