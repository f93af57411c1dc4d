"""Which item of its source page each checklist item of a translation translates.

A checklist item's id hashes its own words, which a translation changes: the French item of an
English one has another id. So that a tick made in either language lands on the same item, each
translated item carries, from the build, the ids of the source item it translates (its identity).
The pairing is the one parity (parity.py) checks: items paired in order by what a translation keeps
of an item (its section, nesting, marker, inline code, numbers, link targets and acronyms).

Where the pairing is unsure, the item keeps its own ids (a tick made on it is an orphan in the other
language, never a tick on the wrong item): when the two pages' items differ, only items whose
signature is unique on both pages stay paired.
"""

from __future__ import annotations

import bisect
import difflib
import re
from pathlib import Path

from ..extensions.checklist import item_id
from .outline import Outline

_KEPT = re.compile(r"`[^`]+`|\d+(?:[.,:]\d+)*|\]\([^)]*\)|\b[A-Z]{2,}\b")


def kept_by_translation(text: str) -> tuple:
    """What a translation of a line keeps: inline code, numbers, link targets, acronyms."""
    return tuple(_KEPT.findall(text))


def section_of(headings, line: int) -> int:
    """How many headings stand above `line`."""
    return bisect.bisect_left([heading.line for heading in headings], line)


def task_signature(outline: Outline, task) -> tuple:
    """What a translation keeps of a checklist item; an item of plain prose is told by its section."""
    return (section_of(outline.headings, task.line), task.depth, task.marker, kept_by_translation(task.text))


def align(source: list, translation: list) -> list[int | None]:
    """For each translation position, the source position it translates, or None when unsure.

    Equal signature lists pair in order (parity finds nothing to report). Otherwise the lists are
    aligned as parity aligns them, and in a section where they differ a pair is kept only when its
    signature is unique on both sides: among several items alike, a missing or moved one cannot be
    told apart. (A signature's first element is its section.)"""
    if source == translation:
        return list(range(len(translation)))
    pairs: list[int | None] = [None] * len(translation)
    opcodes = difflib.SequenceMatcher(None, source, translation, autojunk=False).get_opcodes()
    touched = {key[0] for tag, i1, i2, j1, j2 in opcodes if tag != "equal"
               for key in source[i1:i2] + translation[j1:j2]}
    for tag, i1, i2, j1, _ in opcodes:
        if tag != "equal":
            continue
        for offset in range(i2 - i1):
            key = source[i1 + offset]
            if key[0] not in touched or (source.count(key) == 1 and translation.count(key) == 1):
                pairs[j1 + offset] = i1 + offset
    return pairs


def identity(item: dict) -> dict:
    """The keys checklist.js matches a tick with: the id, the text under the nearest heading, the text."""
    return {"id": item["id"], "s": item_id(item["text"], item["path"][-1:]), "t": item_id(item["text"], [])}


def translation_identities(checker, page: Path) -> list[dict | None] | None:
    """None for a page that is no translation; else, per checklist item of the rendered translation,
    the identity of the source item it translates, or None where the pairing is unsure."""
    site = checker.site
    try:
        source = site.source_of(page)
    except Exception:  # noqa: BLE001 - a page outside the site: nothing to pair
        return None
    if source == page or not source.exists() or page.suffix != ".md":
        return None
    ours, theirs = checker.facts_of(source), checker.facts_of(page)
    if ours.rendered is None or theirs.rendered is None or ours.outline is None or theirs.outline is None:
        return None
    s_tasks = [task for task in ours.outline.tasks if task.text.strip()]
    t_tasks = [task for task in theirs.outline.tasks if task.text.strip()]
    s_items, t_items = ours.rendered.items, theirs.rendered.items
    if len(s_tasks) != len(s_items) or len(t_tasks) != len(t_items):
        return [None] * len(t_items)  # items the outline cannot see (a snippet's): nothing is sure
    pairs = align([task_signature(ours.outline, task) for task in s_tasks],
                  [task_signature(theirs.outline, task) for task in t_tasks])
    return [identity(s_items[index]) if index is not None else None for index in pairs]
