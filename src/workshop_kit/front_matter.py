"""A page's front matter: read once, the same way by the block runner, the checks and the plugin,
with the line of each key, and the keys the tools read checked for their type. A base module: it
imports nothing of Workshop Kit but its error base."""

from __future__ import annotations

import re

import yaml

from .errors import BlockError

__all__ = ["FRONT_MATTER_TEXT", "FrontMatter", "front_matter_line", "split_front_matter"]


# Front-matter keys the tools read, and what each must be.
FRONT_MATTER_TEXT = {
    "project": "the name of a folder under examples/, e.g. project: pokemon-dvc",
    "setup": "a shell command (or script) as text, e.g. setup: bash ../scripts/clone.sh",
    "translated_from": "a git revision, e.g. translated_from: 1a2b3c4",
}


def _kind(value) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "a mapping",
            type(None): "empty"}.get(type(value), type(value).__name__)


class FrontMatter(dict):
    """A page's front matter, with the line of each top-level key in the page (`lines`)."""

    lines: dict[str, int]


def front_matter_line(lines: list[str], key: str, end: int | None = None, default: int = 2) -> int:
    """The page line (1-based) of front-matter `key` (`lines` are the page's lines)."""
    end = len(lines) if end is None else end
    return next((i + 1 for i in range(1, end) if re.match(rf"\s*['\"]?{re.escape(key)}['\"]?\s*:", lines[i])), default)


def split_front_matter(text: str, name: str = "<page>") -> tuple[dict, list[str], int]:
    """(front matter, body lines, number of lines the front matter took); BlockError if unreadable,
    or when a key the tools read has the wrong type (`project: 123`), at that key's line."""
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            try:
                meta = yaml.safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError as err:
                mark = getattr(err, "problem_mark", None)
                raise BlockError(f"the front matter is not valid YAML ({getattr(err, 'problem', None) or err}); "
                                 "write one 'key: value' per line and quote values holding ':' or brackets",
                                 name, min(mark.line + 2, end) if mark else 1) from None
            except Exception as err:  # PyYAML raises a few other errors on odd input (e.g. recursion)
                raise BlockError(f"the front matter cannot be read ({type(err).__name__}); write one 'key: value' "
                                 "per line", name, 1) from None
            if not isinstance(meta, dict):
                raise BlockError(f"the front matter must be 'key: value' lines; it reads as {_kind(meta)} here",
                                 name, 2 if end > 1 else 1)
            for key, what in FRONT_MATTER_TEXT.items():
                value = meta.get(key)
                if key == "translated_from" and isinstance(value, int) and not isinstance(value, bool):
                    continue  # an all-digit revision
                if key in meta and (not isinstance(value, str) or not value.strip()):
                    line = front_matter_line(lines, key, end)
                    shown = "empty" if isinstance(value, str) else f"{_kind(value)} ({value!r:.40})"
                    raise BlockError(f"front matter '{key}' must be {what}; it reads as {shown} here", name, line)
            found = FrontMatter(meta)
            found.lines = {str(key): front_matter_line(lines, str(key), end) for key in meta}
            return found, lines[end + 1:], end + 1
    found = FrontMatter()
    found.lines = {}
    return found, lines, 0
