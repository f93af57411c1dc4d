"""Python-Markdown extension: speaker notes (`!!! speaker`, `??? speaker`) stay out of the search index.

Material's search plugin skips an element carrying `data-search-exclude`. Its parser tracks skipped
elements by tag name, so the closing tag of a `div` nested in a note (a code block, say) ends the
skip early: every direct child of the note is marked too, which keeps the rest of the note out.

A note's title is text, as a checklist item is: raw HTML written in it (`<script>`, `</div>`, an
`<img onerror>`) is shown as written, never emitted as markup (it could close the speaker-only
container early and show the rest of the note to participants).
"""

from __future__ import annotations

from xml.etree import ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE


def is_speaker_note(element: etree.Element) -> bool:
    classes = (element.get("class") or "").split()
    return "speaker" in classes and ("admonition" in classes or element.tag == "details")


class SpeakerNoteTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if is_speaker_note(element):
                for node in (element, *element):
                    node.set("data-search-exclude", "")
                title = next((child for child in element if child.tag == "summary"
                              or "admonition-title" in (child.get("class") or "").split()), None)
                if title is not None:
                    self._as_text(title)

    def _as_text(self, title: etree.Element) -> None:
        """Raw HTML the title holds (stashed by Python-Markdown) goes back in as text."""
        stash = self.md.htmlStash.rawHtmlBlocks

        def text(found) -> str:
            index = int(found.group(1))
            raw = stash[index] if index < len(stash) else found.group(0)
            return raw if isinstance(raw, str) else etree.tostring(raw, encoding="unicode")

        for node in title.iter():
            if node.text:
                node.text = HTML_PLACEHOLDER_RE.sub(text, node.text)
            if node is not title and node.tail:
                node.tail = HTML_PLACEHOLDER_RE.sub(text, node.tail)


class SpeakerNoteExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.treeprocessors.register(SpeakerNoteTreeprocessor(md), "workshop_speaker_notes", 4)


def makeExtension(**kwargs) -> SpeakerNoteExtension:  # noqa: N802 - Python-Markdown's entry point name
    return SpeakerNoteExtension(**kwargs)
