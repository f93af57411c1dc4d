"""What a speaker sheet (`<div class="wk-sheet" markdown>`) needs from the build: the workshop's
name for its printed header line, and the other pages of the workshop, from which sheet.js
gathers the speaker notes kept outside the agenda and the guide (handouts, say).

A speaker sheet is a speaker page: the links to it in the navigation (side, tabs, footer) and in
the pages' text are marked `wk-speaker-page-link`, which workshop.css shows in the speaker view
only; so is a list item that opens with such a link (`wk-speaker-page-item`: "- [Speaker sheet](...):
what it holds", a line about a page participants do not see)."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urljoin, urlsplit

from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from ..extensions.i18n import translate

_OPENING = '<div class="wk-sheet"'
LABELS = ("sheet.notes", "sheet.shifted", "sheet.planned", "sheet.speaker_only")
_NAV_LINK_CLASSES = {"md-nav__link", "md-footer__link", "md-tabs__link"}
_TAG = re.compile(r"<a\s[^>]*>")
_CLASS = re.compile(r'\sclass="([^"]*)"')
_HREF = re.compile(r'\shref="([^"]*)"')
_ARTICLE = re.compile(r"(<article\b[^>]*>)(.*?)(</article>)", re.S)  # the page's text (Material)
_ITEM_LINK = re.compile(r"<li\b([^>]*)>(\s*)(<a\s[^>]*>)")


def is_sheet(output: str) -> bool:
    return _OPENING in output


def _site_path(url: str) -> str:
    path = urlsplit(url).path.lstrip("/")
    return path[: -len("index.html")] if path.endswith("index.html") else path


def _with_class(tag: str, name: str) -> str:
    """An opening tag with one more class."""
    classes = _CLASS.search(tag)
    if classes:
        return tag.replace(classes.group(0), f' class="{classes.group(1)} {name}"', 1)
    return tag[:-1] + f' class="{name}">'


def mark_speaker_links(output: str, page_url: str, speaker_urls: set[str]) -> str:
    """Adds `wk-speaker-page-link` to the links that lead to one of `speaker_urls` (page URLs
    inside the site, as MkDocs writes `page.url`): the navigation's (not the table of contents'
    anchors) and those in the page's text, whose list item, where the link opens it, gets
    `wk-speaker-page-item`."""
    if not speaker_urls:
        return output
    wanted = {_site_path(url) for url in speaker_urls}

    def leads_to_speaker_page(tag: str) -> bool:
        href = _HREF.search(tag)
        if not href:
            return False
        target = html.unescape(href.group(1))
        if target.startswith("#") or urlsplit(target).scheme:
            return False
        return _site_path(urljoin("/" + page_url, target)) in wanted

    def mark_nav(match: re.Match) -> str:
        tag = match.group(0)
        classes = _CLASS.search(tag)
        if not classes or not _NAV_LINK_CLASSES & set(classes.group(1).split()):
            return tag
        return _with_class(tag, "wk-speaker-page-link") if leads_to_speaker_page(tag) else tag

    def mark_item(match: re.Match) -> str:
        if not leads_to_speaker_page(match.group(3)):
            return match.group(0)
        return _with_class(f"<li{match.group(1)}>", "wk-speaker-page-item") + match.group(2) + match.group(3)

    def mark_text_link(match: re.Match) -> str:
        tag = match.group(0)
        if "wk-speaker-page-link" in tag or not leads_to_speaker_page(tag):
            return tag
        return _with_class(tag, "wk-speaker-page-link")

    def mark_text(match: re.Match) -> str:
        text = _TAG.sub(mark_text_link, _ITEM_LINK.sub(mark_item, match.group(2)))
        return match.group(1) + text + match.group(3)

    output = _TAG.sub(mark_nav, output)
    return _ARTICLE.sub(mark_text, output, count=1)


def _pages(section: Section | None, page: Page) -> list[Page]:
    found: list[Page] = []
    for child in getattr(section, "children", None) or []:
        if getattr(child, "is_page", False):
            if child is not page and child.file.src_uri.endswith(".md"):
                found.append(child)
        elif getattr(child, "is_section", False):
            found += _pages(child, page)
    return found


def decorate_sheet(output: str, page: Page, lang: str) -> str:
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
