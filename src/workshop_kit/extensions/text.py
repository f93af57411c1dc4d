"""Plain text of rendered Markdown, for ids and data attributes."""

from __future__ import annotations

import html
import re
from xml.etree import ElementTree as etree

from markdown import util

_TAG = re.compile(r"<[^>]*>")


def unstash(text: str, stash: list | None) -> str:
    """Replaces Python-Markdown's stashed-HTML placeholders with the text inside that HTML."""

    def replace(match: re.Match) -> str:
        index = int(match.group(1))
        raw = str(stash[index]) if stash is not None and index < len(stash) else ""
        return html.unescape(_TAG.sub("", raw))

    return util.HTML_PLACEHOLDER_RE.sub(replace, text)


def plain_text(element: etree.Element, stash: list | None = None) -> str:
    """All text of an element, placeholders resolved, whitespace collapsed."""
    return " ".join(unstash("".join(element.itertext()), stash).split())
