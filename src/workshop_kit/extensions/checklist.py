"""Python-Markdown extension: stable ids and marker badges for task-list items.

pymdownx.tasklist turns `- [ ] text` into checkbox items; this treeprocessor runs after it and
after inline processing, and gives every item an id derived from its own text and the headings
above it, never from its position. Inserting, removing or reordering other items therefore keeps
every other item's saved state in the browser; changing an item's text starts it unticked. Two
fallback keys (the text under its nearest heading, the text alone) let the browser find an item
again after a heading above it was renamed (checklist.js).

A translated page's items carry the keys of the source item each translates (its identity, given
by the `identities` callable: the MkDocs plugin's comes from the parity alignment, checks/
alignment.py), with their own id kept as `data-wk-o`; so a tick made in one language shows in the
other on the same item. An item the callable has no identity for keeps its own keys.

An item that starts with a configured marker (`INTERACTIVE: Set up the token`) loses the raw word
and gains a badge plus a `data-wk-marker` attribute the browser can filter on.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
import unicodedata
from typing import Any
from xml.etree import ElementTree as etree

from markdown import Extension, Markdown, util
from markdown.inlinepatterns import HtmlInlineProcessor
from markdown.treeprocessors import Treeprocessor

from .i18n import STRINGS, translate
from .markdown_context import harmless_inline_html
from .source import SourcePage
from .text import unstash

log = logging.getLogger("workshop_kit.extensions.checklist")

DEFAULT_MARKERS = ["INTERACTIVE", "SPEAKER", "PREP"]
_HEADING = re.compile(r"^h([1-6])$")


def normalise_text(text: str) -> str:
    """Id input: Unicode-normalised, case-folded, whitespace-collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def item_id(text: str, heading_path: list[str]) -> str:
    """Ten hex digits of a hash over the heading path and the item's text."""
    key = "\x1f".join([normalise_text(h) for h in heading_path] + [normalise_text(text)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


def own_text(item: etree.Element, stash: list | None = None) -> str:
    """An item's text without its nested lists or badge; stashed HTML (the checkbox, highlighted
    inline code) is replaced by its text content."""
    parts = [item.text or ""]
    for child in item:
        if child.tag not in ("ul", "ol") and "wk-marker" not in (child.get("class") or ""):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return " ".join(unstash("".join(parts), stash).split())


class ChecklistTreeprocessor(Treeprocessor):
    md: Any  # a Markdown carrying the lists the extension fills (workshop_checklist_items, see extendMarkdown)

    def __init__(self, md: Markdown, ext: ChecklistExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        headings: list[tuple[int, str]] = []
        seen: dict[str, int] = {}
        self.md.workshop_checklist_items = []
        stash = self.md.htmlStash.rawHtmlBlocks
        count = sum(1 for li in root.iter("li") if "task-list-item" in (li.get("class") or "").split())
        identities = self.ext.getConfig("identities")(self.ext.getConfig("page"))
        # Given for other items than these (the page changed since): none of them is sure.
        self.identities = None if identities is None else identities if len(identities) == count else [None] * count
        for element in root.iter():
            match = _HEADING.match(element.tag) if isinstance(element.tag, str) else None
            if match:
                level = int(match.group(1))
                title = " ".join(unstash("".join(element.itertext()), stash).split())
                headings = [h for h in headings if h[0] < level] + [(level, title)]
            elif element.tag == "li" and "task-list-item" in (element.get("class") or "").split():
                self._mark(element, [text for _, text in headings], seen)
        self.md.workshop_typed_html.clear()
        if self.md.workshop_checklist_items:
            self._add_toolbar(root)

    def _add_toolbar(self, root: etree.Element) -> None:
        """An empty, hidden toolbar before the first checklist; the browser script fills it in."""
        lang = self.ext.getConfig("page").lang
        keys = [k for k in STRINGS["en"] if k.startswith("checklist.")]
        toolbar = etree.Element("div", {
            "class": "wk-checklist-toolbar",
            "hidden": "hidden",
            "data-labels": json.dumps({k.split(".", 1)[1]: translate(k, lang) for k in keys}, ensure_ascii=False),
        })
        children = list(root)
        for position, child in enumerate(children):
            if any(li.get("data-wk-id") for li in child.iter("li")):
                # Above the heading that introduces the first checklist, if there is one.
                while (position > 0 and _HEADING.match(str(children[position - 1].tag))
                       and children[position - 1].tag != "h1"):
                    position -= 1
                root.insert(position, toolbar)
                return

    def _mark(self, item: etree.Element, path: list[str], seen: dict[str, int]) -> None:
        self._escape_raw_html(item)
        marker = self._take_marker(item)
        text = own_text(item, self.md.htmlStash.rawHtmlBlocks)
        base = item_id(text, path)
        count = seen.get(base, 0) + 1
        seen[base] = count
        identifier = base if count == 1 else f"{base}-{count}"
        if count > 1:
            page = self.ext.getConfig("page")
            self.ext.getConfig("reporter")(
                f"{page.path}: checklist item '{text}' appears {count} times under "
                f"'{' > '.join(path) or 'the page top'}'; each copy gets its own id, but reword one so a "
                "speaker can tell them apart",
                page,
            )
        item.set("data-wk-id", identifier)
        # Fallback keys the browser matches saved ticks with when the id no longer exists (a
        # heading above was renamed): the text under its nearest heading, and the text alone.
        item.set("data-wk-s", item_id(text, path[-1:]))
        item.set("data-wk-t", item_id(text, []))
        if self.identities is not None:
            # A translation: the keys of the source item it translates, or its own where unsure.
            known = self.identities[len(self.md.workshop_checklist_items)]
            item.set("data-wk-o", identifier)
            if known:
                item.set("data-wk-id", known["id"])
                item.set("data-wk-s", known["s"])
                item.set("data-wk-t", known["t"])
            else:
                item.set("data-wk-unpaired", "")
        if marker:
            item.set("data-wk-marker", marker.lower())
        self.md.workshop_checklist_items.append({"id": identifier, "text": text, "path": path, "marker": marker})

    def _escape_raw_html(self, item: etree.Element) -> None:
        """Raw HTML typed into an item's own text is shown as text, never run.

        Checklist items are what a speaker reads and ticks, often pasted from elsewhere; the only
        markup they get is Markdown's. The checkbox pymdownx.tasklist stashed at the very start
        of the item is left alone.
        """
        stash = self.md.htmlStash.rawHtmlBlocks
        typed = self.md.workshop_typed_html  # stash entries the author typed (not, say, highlighted code)
        own = [item, *[d for child in item if child.tag not in ("ul", "ol") for d in child.iter()]]
        texts = [item.text or ""] + [piece for node in own[1:] for piece in (node.text or "", node.tail or "")]
        texts += [child.tail or "" for child in item if child.tag in ("ul", "ol")]
        for text in texts:
            for match in util.HTML_PLACEHOLDER_RE.finditer(text):
                index = int(match.group(1))
                raw = stash[index]
                if index in typed and isinstance(raw, str) and not harmless_inline_html(raw):
                    stash[index] = html.escape(raw)
                    typed.discard(index)

    def _take_marker(self, item: etree.Element) -> str | None:
        """Removes a leading `MARKER:` from the item's text and puts a badge in its place."""
        markers = self.ext.getConfig("markers")
        if not markers:
            return None
        # pymdownx.tasklist leaves its checkbox as a stashed-HTML placeholder before the text.
        pattern = re.compile(
            r"^(?P<pre>(?:" + util.HTML_PLACEHOLDER_RE.pattern + r")?\s*)"
            r"(?P<marker>" + "|".join(re.escape(m) for m in markers) + r")\s*:\s*"
        )
        match = pattern.match(item.text or "")
        if not match:
            return None
        marker = match.group("marker")
        badge = etree.Element("span", {"class": f"wk-marker wk-marker-{marker.lower()}"})
        badge.text = marker_label(marker, self.ext.getConfig("page").lang)
        badge.tail = " " + (item.text or "")[match.end():]
        item.text = match.group("pre")
        item.insert(0, badge)
        return marker


def marker_label(marker: str, lang: str) -> str:
    """The badge text: translated for the built-in markers, the word itself for custom ones."""
    key = f"marker.{marker}"
    return translate(key, lang) if key in STRINGS["en"] else marker.capitalize()


def log_duplicate(message: str, page: SourcePage) -> None:
    log.warning(message)


class _TypedHtmlProcessor(HtmlInlineProcessor):
    """Python-Markdown's raw inline HTML pattern, noting which stash entries it made."""

    md: Any  # a Markdown carrying workshop_typed_html (see ChecklistExtension.extendMarkdown)

    # Python-Markdown's InlineProcessor changes Pattern's signature; its own stubs ignore that too.
    def handleMatch(self, m, data):  # type: ignore[override]
        placeholder, start, end = super().handleMatch(m, data)
        found = util.HTML_PLACEHOLDER_RE.search(placeholder) if isinstance(placeholder, str) else None
        if found:
            self.md.workshop_typed_html.add(int(found.group(1)))
        return placeholder, start, end


class ChecklistExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "markers": [list(DEFAULT_MARKERS), "Words that, followed by ':', start an item and become a badge"],
            "page": [SourcePage(), "SourcePage the plugin points at the page being rendered"],
            "reporter": [log_duplicate, "Callable(message, page) told about duplicate items"],
            "identities": [lambda page: None, "Callable(page) -> None (not a translation) or, per item, "
                           "None or {id, s, t}: the keys of the source item it translates"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        state: Any = md  # what the page's items are, for the plugin and the Python API (PYTHON_API.md)
        state.workshop_checklist_items = []
        state.workshop_typed_html = set()
        if "html" in md.inlinePatterns:
            patterns: Any = md.inlinePatterns  # a Registry's priorities have no public accessor
            priority = next(item.priority for item in patterns._priority if item.name == "html")
            pattern = md.inlinePatterns["html"].compiled_re.pattern
            md.inlinePatterns.register(_TypedHtmlProcessor(pattern, md), "html", priority)
        # After pymdownx.tasklist (25) and inline processing (20): items are final HTML by then.
        md.treeprocessors.register(ChecklistTreeprocessor(md, self), "workshop_checklist", 6)


def makeExtension(**kwargs) -> ChecklistExtension:  # noqa: N802 - Python-Markdown's entry point name
    return ChecklistExtension(**kwargs)
