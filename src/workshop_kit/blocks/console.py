"""The runner's side of `console` and `pycon` blocks; the reading itself is
`extensions.transcript`, shared with the page's copy button."""

from __future__ import annotations

from dataclasses import dataclass

from ..extensions.transcript import _EXIT, Step, parse_console, parse_pycon, parse_steps

__all__ = ["_EXIT", "Step", "StepOutput", "parse_console", "parse_pycon", "parse_steps"]


@dataclass
class StepOutput:
    """What a step printed when it ran (kept in update mode, to rewrite the page)."""

    lines: list[str]
    exit_code: int
    matched: bool


def executed_text(block) -> str:
    """What the runner gives the shell or the interpreter for `block`, as one text: a `console`
    block's commands (continuations joined as typed), a `pycon` block's statements as pasted at
    Python's prompt (a statement of several lines closed by an empty line), any other block's
    code (for a file the participant writes: the file). The page's copy button must give exactly
    this (tests/browser/test_copy_browser.py)."""
    if block.lang == "console":
        return "\n".join(step.source for step in parse_console(block.code))
    if block.lang == "pycon":
        pasted = []
        for step in parse_pycon(block.code):
            pasted += [step.source, ""] if "\n" in step.source else [step.source]
        return "\n".join(pasted).rstrip()
    return block.code.rstrip()
