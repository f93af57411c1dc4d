"""The runner's side of `console` and `pycon` blocks; the reading itself is
`extensions.transcript`, shared with the page's copy button."""

from __future__ import annotations

from dataclasses import dataclass

from ..extensions.transcript import EXIT_LINE, Step, copy_text, parse_console, parse_pycon, parse_steps

__all__ = ["EXIT_LINE", "Step", "StepOutput", "parse_console", "parse_pycon", "parse_steps"]


@dataclass
class StepOutput:
    """What a step printed when it ran (kept in update mode, to rewrite the page)."""

    lines: list[str]
    exit_code: int
    matched: bool


def executed_text(block) -> str:
    """What the runner gives the shell or the interpreter for `block`, as one text: a transcript's
    steps as `transcript.copy_text` joins them (the same reading the runner runs step by step),
    any other block's code (for a file the participant writes: the file). The page's copy button
    must give exactly this (tests/browser/test_copy_browser.py checks it through the built page)."""
    copied = copy_text(block.lang, block.code)
    return copied if copied is not None else block.code.rstrip()
