"""Update mode (`pytest --workshop-update-output`): the expected output of `console` and `pycon`
blocks rewritten from what the commands printed, in the Markdown page itself.

`merge` is the heart of it, a pure function: the author's expected lines and the actual lines
give the new expected lines. Lines that still match stay as the author wrote them (`...` lines,
`...` inside a line, ` (re)` lines and literal lines alike); the others are replaced by the
actual output. Whatever it returns matches the actual output, and merging again changes nothing.

The page is rewritten in place: only the output lines of the steps that changed are replaced,
with the block's own indentation and line endings, so front matter, prose, other blocks and the
page's last newline stay byte for byte. A block whose code comes from a `--8<--` snippet is left
alone (its text lives in another file) and reported instead.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..extensions.fenced import FENCE_OPEN
from .console import EXIT_LINE, Step, StepOutput, parse_steps
from .matching import REGEX_SUFFIX, is_any_lines, line_matches, line_pattern, matches
from .model import Block, Session

UPDATABLE = {"console", "pycon"}

# Edit costs of the alignment: replacing an expected line with the actual one is preferred to
# dropping it (which would let a neighbouring `...` swallow the new line unseen).
_REPLACE, _INSERT, _DROP = 10, 10, 11


class UpdateWarning(UserWarning):
    """A block whose expected output could not be rewritten; says where and why."""


def literal(line: str) -> str:
    """An expected line that matches exactly `line` (an actual output line)."""
    line = line.rstrip()
    if line == "..." or line.endswith(REGEX_SUFFIX):
        return _as_regex(re.escape(line))
    return line


def regex_line(expected: str) -> str:
    """The same expectation as `expected` (one line, not `...`), written as a ` (re)` line that
    cannot be read as a prompt, a continuation, an exit code or a closing fence."""
    expected = expected.rstrip()
    if expected.endswith(REGEX_SUFFIX):
        return _as_regex(expected[: -len(REGEX_SUFFIX)], wrap=True)
    pattern = line_pattern(expected)
    assert pattern is not None  # None only for an invalid ` (re)` line, taken above
    return _as_regex(pattern.pattern)


def _as_regex(pattern: str, wrap: bool = False) -> str:
    if wrap or not (pattern[:1].isalnum() or pattern[:1] == "\\"):
        pattern = f"(?:{pattern})"
    return pattern + REGEX_SUFFIX


def merge(expected: Sequence[str], actual: Sequence[str], literal: Callable[[str], str] = literal) -> list[str]:
    """New expected lines for `actual`: the author's lines that still match, the actual lines elsewhere.

    The author's lines are aligned with the actual ones (fewest lines replaced, inserted or
    dropped; a `...` line covers any run of actual lines for free and is always kept). Expected
    output that already matches is returned unchanged.
    """
    expected, actual = list(expected), list(actual)
    if matches(expected, actual):
        return expected
    n, m = len(expected), len(actual)
    infinite = 1 << 60
    cost = [[infinite] * (m + 1) for _ in range(n + 1)]
    move: list[list[str]] = [[""] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0
    for i in range(n + 1):
        any_lines = i > 0 and is_any_lines(expected[i - 1])
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            options = []
            if i > 0 and any_lines:
                options.append((cost[i - 1][j], "close"))
                if j > 0:
                    options.append((cost[i][j - 1], "absorb"))
            elif i > 0:
                if j > 0:
                    kept = line_matches(expected[i - 1], actual[j - 1])
                    options.append((cost[i - 1][j - 1] + (0 if kept else _REPLACE), "keep" if kept else "replace"))
                options.append((cost[i - 1][j] + _DROP, "drop"))
            if j > 0:
                options.append((cost[i][j - 1] + _INSERT, "insert"))
            best = min(options, key=lambda option: option[0])  # first of equals: the order above
            cost[i][j], move[i][j] = best
    merged: list[str] = []
    i, j = n, m
    while i or j:
        how = move[i][j]
        if how in ("keep", "close"):
            merged.append(expected[i - 1])
        elif how in ("replace", "insert"):
            merged.append(literal(actual[j - 1]))
        i -= how in ("keep", "replace", "close", "drop")
        j -= how in ("keep", "replace", "absorb", "insert")
    merged.reverse()
    return merged


# --- one block ---------------------------------------------------------------------------------

def _misread(lang: str, line: str, first: bool, last: bool) -> bool:
    """Would this output line, written in the block, be read as something else?"""
    if lang == "console":
        if line.startswith("$ ") or line == "$" or (first and line.startswith("> ")):
            return True
        if last and EXIT_LINE.match(line.strip()):
            return True
    elif line.startswith(">>> ") or line == ">>>" or (first and (line.startswith("... ") or line == "...")):
        return True
    stripped = line.strip()
    if len(stripped) >= 3 and set(stripped) in ({"`"}, {"~"}):
        return True  # would close the fence
    return last and not stripped  # trailing blank lines are not part of the output


def _written(lang: str, lines: list[str], exit_line: bool) -> list[str]:
    """`lines` with every line the block would misread turned into an equivalent ` (re)` line."""
    out = []
    for index, line in enumerate(lines):
        if not is_any_lines(line) and _misread(lang, line, index == 0, index == len(lines) - 1 and not exit_line):
            line = regex_line(line)
        out.append(line)
    return out


@dataclass
class Edit:
    """Code lines [start, end) of a block replaced by `lines`."""

    start: int
    end: int
    lines: list[str]


def _replacement(lang: str, step: Step, output: StepOutput, code_lines: list[str], style: str) -> list[str] | None:
    if style == "merge":
        new = merge(step.expected, output.lines)
    elif style == "literal":
        new = [literal(line) for line in output.lines]
    else:  # every line a regular expression: the last resort, always read back as written
        new = [regex_line(literal(line)) for line in output.lines]
    exit_code = output.exit_code if lang == "console" else 0
    if new == step.expected and exit_code == step.exit_code:
        return None
    exit_line = []
    if step.exit_line and exit_code == step.exit_code:
        exit_line = [code_lines[step.output + step.lines - 1]]
    elif exit_code:
        exit_line = [f"[{exit_code}]"]
    return _written(lang, new, bool(exit_line)) + exit_line


def _reads_back(lang: str, code: str, steps: list[Step], outputs: list[StepOutput]) -> bool:
    again = parse_steps(lang, code)
    if [step.source for step in again] != [step.source for step in steps]:
        return False
    return all(matches(step.expected, output.lines) and (lang != "console" or step.exit_code == output.exit_code)
               for step, output in zip(again, outputs, strict=False))


def block_edits(lang: str, code: str, outputs: list[StepOutput]) -> tuple[list[Edit], str | None]:
    """The edits that make a block's expected output match `outputs` (one per step), or why not.

    No edits when every step already matches. The rewritten block is read back and checked: its
    commands unchanged, each step's expected output matching what the step printed.
    """
    steps = parse_steps(lang, code)
    if len(steps) != len(outputs):
        return [], f"the block has {len(steps)} steps but {len(outputs)} ran"
    lines = code.splitlines()
    for style in ("merge", "literal", "regex"):
        edits = []
        for step, output in zip(steps, outputs, strict=False):
            replacement = _replacement(lang, step, output, lines, style)
            if replacement is not None:
                edits.append(Edit(step.output, step.output + step.lines, replacement))
        if not edits:
            return [], None
        if _reads_back(lang, _apply(lines, edits), steps, outputs):
            return edits, None
    return [], "the new output cannot be written so that the block reads it back"


def _apply(lines: list[str], edits: list[Edit]) -> str:
    lines = list(lines)
    for edit in sorted(edits, key=lambda edit: edit.start, reverse=True):
        lines[edit.start:edit.end] = edit.lines
    return "\n".join(lines) + "\n"


def updated_code(lang: str, code: str, outputs: list[StepOutput]) -> str:
    """The block's code with its expected output rewritten (the code itself when nothing changes)."""
    edits, problem = block_edits(lang, code, outputs)
    if problem:
        raise ValueError(problem)
    return _apply(code.splitlines(), edits) if edits else code


# --- one page ----------------------------------------------------------------------------------

def _split(raw_line: str) -> tuple[str, str]:
    """(content, line ending) of a line from str.splitlines(keepends=True)."""
    content = raw_line.splitlines()[0] if raw_line else ""
    return content, raw_line[len(content):]


def _snippet_note(block: Block, new_code: str) -> str:
    shown = new_code.splitlines()
    if len(shown) > 40:
        shown = shown[:40] + [f"... ({len(shown) - 40} more lines)"]
    return (f"{block.where}: the {block.lang} block's code comes from a --8<-- snippet, so its expected output is "
            "not rewritten here; update the included file by hand. With this run's output it reads:\n"
            + "\n".join("    " + line for line in shown))


def _locate(raw: list[str], block: Block) -> tuple[int, str, str] | str:
    """(index of the block's first code line, its indentation, line ending), or why it is not in the page."""
    index = block.line - 1
    opener = _split(raw[index])[0] if 0 <= index < len(raw) else ""
    if "--8<--" in opener:
        return "snippet"
    found = FENCE_OPEN.match(opener)
    if not found or found.group("lang").lower() != block.lang:
        return f"{block.where}: the block does not start on this line of the page (it comes from an included file)"
    fence, indent = found.group("fence"), found.group("indent")
    contents = [_split(line)[0] for line in raw]
    end = next((j for j in range(index + 1, len(contents))
                if contents[j].strip() and set(contents[j].strip()) == {fence[0]}
                and len(contents[j].strip()) >= len(fence)
                and len(contents[j]) - len(contents[j].lstrip()) <= len(indent)), None)
    body = contents[index + 1:end]
    if any("--8<--" in line for line in body):
        return "snippet"
    code = "\n".join(line[len(indent):] if line.startswith(indent) else line.lstrip() for line in body) + "\n"
    if end is None or code != block.code:
        return f"{block.where}: the block's code in the page is not the code that ran (it comes from an included file)"
    return index + 1, indent, _split(raw[index])[1] or "\n"


@dataclass
class Target:
    """A block of the page (by its index among the page's blocks), the block that ran in its
    place (the same code) and what each of its steps printed."""

    index: int
    ran: Block
    outputs: list[StepOutput]


@dataclass
class PageUpdate:
    text: str
    codes: dict[int, str] = field(default_factory=dict)  # new code of each rewritten block, by index
    notes: list[str] = field(default_factory=list)


def rewrite_text(text: str, blocks: list[Block], targets: list[Target]) -> PageUpdate:
    """The page `text` (whose blocks, as collected, are `blocks`) with the targets' expected output
    rewritten; every byte outside the replaced output lines is kept."""
    raw = text.splitlines(keepends=True)
    replacements: list[tuple[int, int, list[str]]] = []
    update = PageUpdate(text)
    for target in targets:
        block = blocks[target.index] if target.index < len(blocks) else None
        if block is None or block.lang != target.ran.lang or block.code != target.ran.code:
            update.notes.append(f"{target.ran.where}: the page changed while its session ran; output not updated")
            continue
        if block.lang not in UPDATABLE:
            continue
        edits, problem = block_edits(block.lang, block.code, target.outputs)
        if problem:
            update.notes.append(f"{block.where}: output not updated: {problem}")
            continue
        if not edits:
            continue
        new_code = _apply(block.code.splitlines(), edits)
        located = _locate(raw, block)
        if located == "snippet":
            update.notes.append(_snippet_note(block, new_code))
            continue
        if isinstance(located, str):
            update.notes.append(located + "; output not updated")
            continue
        first, indent, eol = located
        for edit in edits:
            lines = [indent + line + eol if line else eol for line in edit.lines]
            replacements.append((first + edit.start, first + edit.end, lines))
        update.codes[target.index] = new_code
    for start, end, lines in sorted(replacements, key=lambda item: item[0], reverse=True):
        raw[start:end] = lines
    update.text = "".join(raw)
    return update


Reader = Callable[[Path, str], tuple[list[Block], list[Session]]]


def update_page(file: Path, relative: Path, project: str, ran: list[Block], outputs: dict[int, list[StepOutput]],
                read: Reader) -> tuple[bool, list[str]]:
    """Rewrites the expected output of one page's blocks of `project` (the session's blocks `ran`,
    by position; `outputs` by position too). Returns whether the file changed, and notes.

    The page is read again under a lock (xdist workers running the page's other sessions may
    write it too) and collected again, so the blocks are found where they are now; the new text
    is collected once more before it is written, and must give the same blocks.
    """
    import fcntl

    with open(file, "rb+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        text = handle.read().decode("utf-8")
        try:
            blocks, sessions = read(relative, text)
        except ValueError as err:
            return False, [f"{relative}: output not updated: the page cannot be read ({err})"]
        session = next((s for s in sessions if s.project == project), None)
        if session is None or len(session.blocks) != len(ran):
            return False, [f"{relative}: output not updated: the page's blocks of '{project}' changed while they ran"]
        indices = {id(block): index for index, block in enumerate(blocks)}
        targets = [Target(indices[id(session.blocks[position])], ran[position], steps)
                   for position, steps in sorted(outputs.items())]
        update = rewrite_text(text, blocks, targets)
        if update.text == text:
            return False, update.notes
        again, _ = read(relative, update.text)
        expected = [update.codes.get(index, block.code) for index, block in enumerate(blocks)]
        if [block.code for block in again] != expected:
            return False, update.notes + [f"{relative}: output not updated: the rewritten page would not read back "
                                          "as the same blocks"]
        handle.seek(0)
        handle.write(update.text.encode("utf-8"))
        handle.truncate()
    return True, update.notes


def warn(notes: list[str]) -> None:
    """Each note as a warning; the note says which page and line (pytest would otherwise show a
    line of the page as it was read, which the rewrite may have moved)."""
    for note in notes:
        warnings.warn_explicit(UpdateWarning(note), UpdateWarning, "--workshop-update-output", 0)
