"""What a speaker sheet (`<div class="wk-sheet" markdown>`) needs from the build: the workshop's
name for its printed header line, and the other pages of the workshop, from which sheet.js
gathers the speaker notes kept outside the agenda and the guide (handouts, say)."""

from __future__ import annotations

import html
import json

from mkdocs.utils import get_relative_url

from ..extensions.i18n import translate

_OPENING = '<div class="wk-sheet"'
LABELS = ("sheet.notes", "sheet.shifted", "sheet.planned")


def _pages(section, page) -> list:
    found = []
    for child in getattr(section, "children", None) or []:
        if getattr(child, "is_page", False):
            if child is not page and child.file.src_uri.endswith(".md"):
                found.append(child)
        elif getattr(child, "is_section", False):
            found += _pages(child, page)
    return found


def decorate_sheet(output: str, page, lang: str) -> str:
    """Adds data-wk-workshop, data-wk-notes (page URLs relative to the sheet) and data-labels."""
    if _OPENING not in output:
        return output
    section = page.parent
    title = section.title if section is not None else ""
    urls = [get_relative_url(other.url, page.url) for other in _pages(section, page)] if section else []
    attributes = {
        "data-wk-workshop": title or "",
        "data-wk-notes": json.dumps(urls),
        "data-labels": json.dumps({key.split(".", 1)[1]: translate(key, lang) for key in LABELS}, ensure_ascii=False),
    }
    extra = "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in attributes.items())
    return output.replace(_OPENING, _OPENING + extra, 1)
