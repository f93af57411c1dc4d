"""Which item of its source page each checklist item of a translation translates.

A checklist item's id hashes its own words, which a translation changes: the French item of an
English one has another id. So that a tick made in either language lands on the same item, each
translated item carries, from the build, the ids of the source item it translates (its identity).
The pairing is the one parity (parity.py) checks: items paired in order by what a translation keeps
of an item (its section, nesting, marker, inline code, numbers, link targets and acronyms).

Where the pairing is unsure, the item keeps its own ids (a tick made on it is an orphan in the other
language, never a tick on the wrong item): in a section whose items differ, only items whose
signature is unique there on both pages stay paired (see `align`).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
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


def _evidence(signature: tuple) -> set:
    """What of an item's words a translation keeps, its marker aside."""
    return set(signature[3]) - {signature[2]}


def _contradict(ours: tuple, theirs: tuple) -> bool:
    """Two items that each keep something of their own words (code, numbers) and share none of it
    are not one another's translation: the source item moved, the translation did not follow yet."""
    a, b = _evidence(ours), _evidence(theirs)
    return bool(a) and bool(b) and not a & b


def _unique_pairs(pairs: list, source: list, translation: list, s_index: list[int], t_index: list[int],
                  key) -> None:
    """Pairs the items whose `key` is found once among `s_index` and once among `t_index`."""
    s_count = Counter(key(source[i]) for i in s_index)
    t_at: dict = {}
    t_count: Counter = Counter()
    for j in t_index:
        t_count[key(translation[j])] += 1
        t_at[key(translation[j])] = j
    for i in s_index:
        k = key(source[i])
        if s_count[k] == 1 and t_count[k] == 1:
            pairs[t_at[k]] = i


def align(source: list, translation: list, same_headings: bool = True) -> list[int | None]:
    """For each translation position, the source position it translates, or None when unsure.

    Signatures are (section, depth, marker, kept words), as `task_signature` makes them. Section
    by section, items pair in order when parity sees nothing to report (the same nesting and
    markers) and no pair contradicts itself (each keeps code or numbers of its own, none shared).
    Elsewhere an item pairs only with the one item of its section that has the same signature,
    itself unique there: among items alike, a missing or moved one cannot be told apart. When the
    pages' headings differ, sections cannot be matched: only signatures unique on the whole page
    pair (the section left out)."""
    pairs: list[int | None] = [None] * len(translation)
    if not same_headings:
        _unique_pairs(pairs, source, translation, list(range(len(source))), list(range(len(translation))),
                      lambda sig: sig[1:])
        return pairs
    s_sections: dict = {}
    t_sections: dict = {}
    for i, sig in enumerate(source):
        s_sections.setdefault(sig[0], []).append(i)
    for j, sig in enumerate(translation):
        t_sections.setdefault(sig[0], []).append(j)
    for section, t_index in t_sections.items():
        s_index = s_sections.get(section, [])
        structure = lambda sig: sig[:3]  # noqa: E731
        side_by_side = list(zip(s_index, t_index, strict=False))
        if (len(s_index) == len(t_index)
                and all(structure(source[i]) == structure(translation[j]) for i, j in side_by_side)
                and not any(_contradict(source[i], translation[j]) for i, j in side_by_side)):
            for i, j in zip(s_index, t_index, strict=False):
                pairs[j] = i
        else:
            _unique_pairs(pairs, source, translation, s_index, t_index, lambda sig: sig)
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
    same_headings = [h.level for h in ours.outline.headings] == [h.level for h in theirs.outline.headings]
    pairs = align([task_signature(ours.outline, task) for task in s_tasks],
                  [task_signature(theirs.outline, task) for task in t_tasks], same_headings)
    return [identity(s_items[index]) if index is not None else None for index in pairs]
