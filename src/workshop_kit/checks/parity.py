"""A translation must teach exactly what its source teaches: only the prose changes.

Compared, with the line in both files for every drift: headings (levels, in order), checklist
items (nesting and markers, in order), timing rows (start, duration, kind), code blocks (code
with comments removed, language, project binding, skipped or not), snippet includes, speaker
notes and the front matter's bindings. Checklist ids are not compared: they hash the item's own words, which
are translated. A notebook page and its translation (`x.ipynb`, `x.fr.ipynb`) must have the same
code cells, comments included (the code runs once, for both), the same number of Markdown cells
and the same `workshop` metadata; drift is reported by cell number and by line in the JSON file.
A translation may record the source revision it was made from (`translated_from: <git revision>`
in its front matter); a source changed since then is flagged.
"""

from __future__ import annotations

import difflib
import json
import re
import subprocess
from pathlib import Path

from ..blocks.model import Block
from .alignment import kept_by_translation, task_signature
from .facts import PageFacts
from .problem import Problem

BOUND_META = ("project", "setup")
_COMMENT_LANGS = {"python", "py", "pycon", "bash", "sh", "shell", "console", "yaml", "yml", "toml", "dockerfile",
                  "text", "ini", "cfg", "make", "makefile"}
_INLINE_COMMENT = re.compile(r"\s+#\s.*$")


# A placeholder the reader replaces (`<your Studio token>`, `<votre jeton Studio>`) is written in the
# page's language; the commands checks read it as a placeholder too (checks/commands.py).
_PLACEHOLDER = re.compile(r"<[A-Za-zÀ-ÿ][^<>\n]*?>")


def code_without_comments(block: Block) -> str:
    """Comments and `<placeholders>` may be translated; the code itself may not. A step check's
    box is its id and conditions (its title, and so the box's text, is translated)."""
    if block.step is not None:
        return f"check id={block.step.id} {list(block.step.conditions)!r}"
    if block.lang not in _COMMENT_LANGS:
        return _PLACEHOLDER.sub("<…>", block.code.strip())
    kept = []
    for line in block.code.splitlines():
        stripped = line.lstrip()
        if (stripped.startswith("#") and not stripped.startswith("#!")) or stripped.startswith("$ #"):
            continue
        kept.append(_INLINE_COMMENT.sub("", line).rstrip())
    return _PLACEHOLDER.sub("<…>", "\n".join(kept).strip())


class _Drift:
    def __init__(self, source: PageFacts, translation: PageFacts):
        self.source, self.translation = source, translation
        self.problems: list[Problem] = []

    def add(self, message: str, translation_line: int | None, source_line: int | None) -> None:
        self.problems.append(Problem("parity", self.translation.path, translation_line, message,
                                     other_path=self.source.path, other_line=source_line))

    def sequence(self, what: str, source: list, translation: list, line_of, describe, signature=None) -> None:
        """Reports every place two sequences part ways, each with the line in both files.

        Items are aligned by `signature` (what a translation keeps of an item: its structure, inline
        code, numbers), so that a missing or extra item is reported as such, and the items after it
        are still compared with their own counterparts; on the side without it, the report points
        at the item that stands where it would be (or the last one)."""
        if len(source) == len(translation):
            pairs = zip(source, translation, strict=False)
            for ours, theirs in pairs:
                self._differ(what, ours, theirs, line_of, describe)
            return
        key = signature or describe
        matcher = difflib.SequenceMatcher(None, [key(x) for x in source], [key(x) for x in translation],
                                          autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            paired = min(i2 - i1, j2 - j1) if tag in ("equal", "replace") else 0
            for offset in range(paired):
                self._differ(what, source[i1 + offset], translation[j1 + offset], line_of, describe)
            for index in range(i1 + paired, i2):
                self._extra(what, source, translation, "source", index, j1 + paired, line_of, describe)
            for index in range(j1 + paired, j2):
                self._extra(what, source, translation, "translation", index, i1 + paired, line_of, describe)

    def _differ(self, what, ours, theirs, line_of, describe) -> None:
        if describe(ours) != describe(theirs):
            self.add(f"{what} differ: source has {describe(ours)}, translation has {describe(theirs)}",
                     line_of(theirs), line_of(ours))

    def _extra(self, what, source, translation, side, index, other, line_of, describe) -> None:
        longer, shorter = (source, translation) if side == "source" else (translation, source)
        near = shorter[min(other, len(shorter) - 1)] if shorter else None
        message = (f"{what}: the source has {len(source)}, the translation {len(translation)}; "
                   f"the {side} has an extra one here ({describe(longer[index])}), "
                   f"{'missing from' if side == 'source' else 'not in'} the "
                   f"{'translation' if side == 'source' else 'source'} near the line shown for it")
        near_line = line_of(near) if near is not None else None
        if side == "source":
            self.add(message, near_line, line_of(longer[index]))
        else:
            self.add(message, line_of(longer[index]), near_line)


def compare(source: PageFacts, translation: PageFacts) -> list[Problem]:
    drift = _Drift(source, translation)
    if source.blocks_error or translation.blocks_error or source.block_errors or translation.block_errors:
        return []  # the blocks check reports unreadable fences; comparing them would only repeat it
    if Path(source.path).suffix == ".ipynb" or Path(translation.path).suffix == ".ipynb":
        return compare_notebooks(source, translation)
    drift.sequence("code blocks", source.blocks, translation.blocks, lambda b: b.line, _describe_block)
    if source.outline is None or translation.outline is None:
        return drift.problems
    s, t = source.outline, translation.outline
    for key in BOUND_META:
        if s.meta.get(key) != t.meta.get(key):
            drift.add(f"front matter '{key}' differs: source {s.meta.get(key)!r}, "
                      f"translation {t.meta.get(key)!r}", 1, 1)
    drift.sequence("headings", s.headings, t.headings, lambda h: h.line, lambda h: "#" * h.level + " heading",
                   lambda h: (h.level, kept_by_translation(h.text)))
    # An item's section (how many headings stand above it) aligns items of plain prose too, whose
    # translation keeps no code or number: a missing item is found in its own section. The same
    # signatures give each translated item the identity of its source item (alignment.py).
    signature = {id(item): task_signature(s, item) for item in s.tasks}
    signature.update({id(item): task_signature(t, item) for item in t.tasks})
    drift.sequence("checklist items", s.tasks, t.tasks, lambda i: i.line,
                   lambda i: f"{'nested ' * i.depth}item{' marked ' + i.marker if i.marker else ''}",
                   lambda i: signature[id(i)])
    drift.sequence("snippet includes", s.snippets, t.snippets, lambda x: x[1], lambda x: x[0])
    drift.sequence("speaker notes", s.speaker_notes, t.speaker_notes, lambda line: line, lambda _: "a speaker note")
    _compare_timing(drift, source, translation)
    return drift.problems


NOTEBOOK_META = ("project", "setup", "skip")


def compare_notebooks(source: PageFacts, translation: PageFacts) -> list[Problem]:
    """Same code cells (identical source), same number of Markdown cells, same `workshop` metadata."""
    drift = _Drift(source, translation)
    try:
        s_notebook, t_notebook = json.loads(source.text), json.loads(translation.text)
    except ValueError:
        return []  # the blocks check reports a notebook that is not JSON
    s_cells, t_cells = _cells(s_notebook, source.text), _cells(t_notebook, translation.text)
    s_meta, t_meta = _workshop_meta(s_notebook), _workshop_meta(t_notebook)
    for key in NOTEBOOK_META:
        if s_meta.get(key) != t_meta.get(key):
            drift.add(f"notebook metadata 'workshop.{key}' differs: source {s_meta.get(key)!r}, translation "
                      f"{t_meta.get(key)!r}", None, None)
    s_code = [cell for cell in s_cells if cell[1] == "code"]
    t_code = [cell for cell in t_cells if cell[1] == "code"]
    for (s_number, _, s_source, s_line), (t_number, _, t_source, t_line) in zip(s_code, t_code, strict=False):
        if s_source != t_source:
            drift.add(f"code cells differ: source cell {s_number} has {_first_difference(s_source, t_source)}, "
                      f"translation cell {t_number} has {_first_difference(t_source, s_source)}; a translation "
                      "keeps every code cell as it is, comments included", t_line, s_line)
    if len(s_code) != len(t_code):
        extra, side = (s_code, "source") if len(s_code) > len(t_code) else (t_code, "translation")
        number, _, code, line = extra[min(len(s_code), len(t_code))]
        message = (f"code cells: the source has {len(s_code)}, the translation {len(t_code)}; the {side} has an "
                   f"extra one at cell {number} ({code.strip().splitlines()[0] if code.strip() else ''!r:.60})")
        drift.add(message, None if side == "source" else line, line if side == "source" else None)
    s_text = [cell for cell in s_cells if cell[1] == "markdown"]
    t_text = [cell for cell in t_cells if cell[1] == "markdown"]
    if len(s_text) != len(t_text):
        extra, side = (s_text, "source") if len(s_text) > len(t_text) else (t_text, "translation")
        number, _, _, line = extra[min(len(s_text), len(t_text))]
        message = (f"Markdown cells: the source has {len(s_text)}, the translation {len(t_text)}; "
                   f"the first without a counterpart is the {side}'s cell {number}")
        drift.add(message, None if side == "source" else line, line if side == "source" else None)
    return drift.problems


def _workshop_meta(notebook) -> dict:
    meta = (notebook.get("metadata") or {}).get("workshop") if isinstance(notebook, dict) else None
    return meta if isinstance(meta, dict) else {}


def _cells(notebook, text: str) -> list[tuple[int, str, str, int | None]]:
    """(cell number, type, source, line of the cell in the JSON file) for each cell."""
    cells = notebook.get("cells", []) if isinstance(notebook, dict) else []
    lines = _cell_lines(text, len(cells))
    found = []
    for number, cell in enumerate(cells, start=1):
        source = cell.get("source", "") if isinstance(cell, dict) else ""
        found.append((number, cell.get("cell_type", "") if isinstance(cell, dict) else "",
                      "".join(source) if isinstance(source, list) else str(source), lines[number - 1]))
    return found


def _cell_lines(text: str, count: int) -> list[int | None]:
    """Where each cell starts in a notebook written by nbformat (one-space indent); unknown otherwise."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(' "cells": [')), None)
    found: list[int | None] = []
    if start is not None:
        for i in range(start + 1, len(lines)):
            if lines[i].startswith(" ]"):
                break
            if lines[i] == "  {":
                found.append(i + 1)
    return found if len(found) == count else [None] * count


def _first_difference(ours: str, theirs: str) -> str:
    mine, other = ours.splitlines(), theirs.splitlines()
    for index, line in enumerate(mine):
        if index >= len(other) or line != other[index]:
            return f"line {index + 1} {line!r:.60}"
    return f"{len(mine)} lines (the other has more)" if mine else "no code"


def _describe_block(block: Block) -> str:
    binding = "skipped" if block.skip is not None else f"project={block.project}"
    return f"a {block.lang} block ({binding}) with code {code_without_comments(block)!r:.60}"


def _compare_timing(drift: _Drift, source: PageFacts, translation: PageFacts) -> None:
    if source.rendered is None or translation.rendered is None or source.outline is None \
            or translation.outline is None:
        return  # a page that could not be rendered: its render error is what is reported
    s_agendas, t_agendas = source.rendered.agendas, translation.rendered.agendas
    s_lines, t_lines = source.outline.timing_lines, translation.outline.timing_lines
    if len(s_agendas) != len(t_agendas):
        drift.add(f"timing tables: the source has {len(s_agendas)}, the translation {len(t_agendas)}",
                  t_lines[0] if t_lines else None, s_lines[0] if s_lines else None)
        return
    s_offset, t_offset = source.rendered.offset, translation.rendered.offset
    for ours, theirs in zip(s_agendas, t_agendas, strict=False):
        drift.sequence("timing rows", [(r.line + s_offset, r) for r in ours.rows],
                       [(r.line + t_offset, r) for r in theirs.rows], lambda pair: pair[0],
                       lambda pair: _describe_row(pair[1]))


def _describe_row(row) -> str:
    length = row.duration.seconds // 60 if row.duration else None
    start = f"{row.start // 3600:02d}:{row.start % 3600 // 60:02d}" if row.start is not None else "?"
    return f"a {row.kind} row at {start} lasting {length} min"


def check_revision(root: Path, source: PageFacts, translation: PageFacts) -> list[Problem]:
    """`translated_from: <revision>`: has the source changed since that revision?"""
    if translation.outline is None:
        return []
    revision = translation.outline.meta.get("translated_from")
    if not revision:
        return []
    line = getattr(translation.outline.meta, "lines", {}).get("translated_from", 1)  # the key's own line
    # An author's value reaches git as a revision only: verified first, after --end-of-options, so
    # `translated_from: "--output=x"` is refused instead of read as an option.
    known = subprocess.run(["git", "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"],
                           cwd=root, capture_output=True, text=True)
    if known.returncode != 0 or not known.stdout.strip():
        return [Problem("parity", translation.path, line,
                        f"translated_from: '{revision}' is not a commit git knows; write a commit id such as the "
                        "output of `git rev-parse --short HEAD`")]
    done = subprocess.run(["git", "diff", "--quiet", known.stdout.strip(), "--", str(source.path)], cwd=root,
                          capture_output=True, text=True)
    if done.returncode == 1:
        return [Problem("parity", translation.path, line,
                        f"the source changed since revision {revision}, which this translation was made from; "
                        f"see `git diff {revision} -- {source.path}`, update the translation, then its "
                        "'translated_from'", other_path=source.path)]
    if done.returncode != 0:
        return [Problem("parity", translation.path, line,
                        f"translated_from: '{revision}' is not a revision git knows ({done.stderr.strip()}); "
                        "write a commit id such as the output of `git rev-parse --short HEAD`")]
    return []
