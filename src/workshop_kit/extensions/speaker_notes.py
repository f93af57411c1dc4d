"""Python-Markdown extension: speaker notes (`!!! speaker`, `??? speaker`) stay out of the search index.

Material's search plugin skips an element carrying `data-search-exclude`. Its parser tracks skipped
elements by tag name, so the closing tag of a `div` nested in a note (a code block, say) ends the
skip early: every direct child of the note is marked too, which keeps the rest of the note out.
"""

from __future__ import annotations

from xml.etree import ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor


def is_speaker_note(element: etree.Element) -> bool:
    classes = (element.get("class") or "").split()
    return "speaker" in classes and ("admonition" in classes or element.tag == "details")


class SpeakerNoteTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if is_speaker_note(element):
                for node in (element, *element):
                    node.set("data-search-exclude", "")


class SpeakerNoteExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.treeprocessors.register(SpeakerNoteTreeprocessor(md), "workshop_speaker_notes", 4)


def makeExtension(**kwargs) -> SpeakerNoteExtension:  # noqa: N802 - Python-Markdown's entry point name
    return SpeakerNoteExtension(**kwargs)
