"""`console` and `pycon` blocks: commands with the output a reader should see beneath them.

One reading serves the page and the tests: the block runner runs each step's `source`, and the
page's copy button gives `copy_text`, the same sources without prompts or output, so what a reader
pastes is what the tests ran.
"""

from __future__ import annotations

import codeop
import re
from dataclasses import dataclass, field

# A transcript's last output line `[N]`: the command exits with status N.
EXIT_LINE = re.compile(r"^\[(\d+)\]$")


@dataclass
class Step:
    source: str
    expected: list[str] = field(default_factory=list)
    exit_code: int = 0
    # Where the step sits in the block's code lines (0-based): its expected output starts at line
    # `output` and takes `lines` lines, the exit-code line included, trailing blank lines not.
    output: int = 0
    lines: int = 0
    exit_line: bool = False


def parse_console(code: str) -> list[Step]:
    """`$ cmd` (continued by `> `) then expected output; a last output line `[2]` is the exit code."""
    steps: list[Step] = []
    for index, line in enumerate(code.splitlines()):
        if line.startswith("$ ") or line == "$":
            steps.append(Step(line[2:], output=index + 1))
        elif line.startswith("> ") and steps and not steps[-1].expected:
            steps[-1].source += "\n" + line[2:]
            steps[-1].output = index + 1
        elif steps:
            steps[-1].expected.append(line)
    return [_exit_code(step) for step in steps]


def _incomplete(source: str) -> bool:
    """Would the interactive interpreter still show `...` after `source` (Python's own codeop)?"""
    try:
        return codeop.compile_command(source, "<pycon>", "single") is None
    except (SyntaxError, ValueError, OverflowError):
        return False  # a broken statement: the run reports it


def parse_pycon(code: str) -> list[Step]:
    """`>>> ` statements continued by `... `, then expected output, read as the interpreter shows
    them: a `...` line is a continuation only while the statement is incomplete, so a `...` line
    right after a complete statement is expected output (doctest's ellipsis), as in a transcript."""
    steps: list[Step] = []
    for index, line in enumerate(code.splitlines()):
        if line.startswith(">>> ") or line == ">>>":
            steps.append(Step(line[4:], output=index + 1))
        elif ((line.startswith("... ") or line == "...") and steps and not steps[-1].expected
              and _incomplete(steps[-1].source)):
            steps[-1].source += "\n" + line[4:]
            steps[-1].output = index + 1
        elif steps:
            steps[-1].expected.append(line)
    for step in steps:
        while step.expected and not step.expected[-1].strip():
            step.expected.pop()
        step.lines = len(step.expected)
    return steps


def parse_steps(lang: str, code: str) -> list[Step]:
    return parse_pycon(code) if lang == "pycon" else parse_console(code)


def _exit_code(step: Step) -> Step:
    while step.expected and not step.expected[-1].strip():
        step.expected.pop()
    if step.expected and (exit_line := EXIT_LINE.match(step.expected[-1].strip())):
        step.expected.pop()
        step.exit_code = int(exit_line.group(1))
        step.exit_line = True
    step.lines = len(step.expected) + step.exit_line
    return step


TRANSCRIPTS = {"console", "pycon"}


def copy_text(lang: str, code: str) -> str | None:
    """What the copy button gives for a transcript block: its commands (`console`: continuation
    lines as typed, without `> `) or its statements (`pycon`), without prompts or output, one per
    line; a statement of several lines (a `for`, a `def`) is followed by an empty line, which ends
    it when pasted at Python's prompt. None for other languages, whose code is copied as it is."""
    if lang not in TRANSCRIPTS:
        return None
    parts = []
    for step in parse_steps(lang, code):
        parts.append(step.source)
        if lang == "pycon" and "\n" in step.source:
            parts.append("")
    return "\n".join(parts).rstrip("\n")
