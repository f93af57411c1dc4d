"""Expected output against actual output, tolerant only where the author says so.

- a line that is exactly `...` matches any number of lines (none included);
- `...` inside a line matches any text on that line;
- a line ending in ` (re)` is a regular expression for the whole line;
- everything else is compared literally (trailing spaces ignored), tabs read as the page shows
  them: Python-Markdown expands a page's tabs to spaces (tab stops every 4 columns), so a tool's
  tab (`git remote -v`) and the spaces a reader sees on the page are the same line.
"""

from __future__ import annotations

import difflib
import functools
import re

REGEX_SUFFIX = " (re)"
TAB_LENGTH = 4  # Python-Markdown's tab_length, with which it expands a page's tabs


@functools.lru_cache(maxsize=4096)
def line_pattern(expected: str) -> re.Pattern | None:
    """The pattern of an expected line (already right-stripped); None for an invalid ` (re)` line."""
    if expected.endswith(REGEX_SUFFIX):
        try:
            return re.compile(expected[: -len(REGEX_SUFFIX)])
        except re.error:
            return None
    return re.compile(".*".join(re.escape(part) for part in expected.split("...")))


def is_any_lines(expected: str) -> bool:
    """A line `...`: any number of lines."""
    return expected.rstrip() == "..."


def is_wildcard(expected: str) -> bool:
    """A line the author made tolerant: `...` in it, or a regular expression."""
    expected = expected.rstrip()
    return "..." in expected or expected.endswith(REGEX_SUFFIX)


def line_matches(expected: str, actual: str) -> bool:
    """One expected line (not `...`) against one actual line."""
    expected, actual = expected.rstrip().expandtabs(TAB_LENGTH), actual.rstrip().expandtabs(TAB_LENGTH)
    if expected == actual and not expected.endswith(REGEX_SUFFIX):
        return True
    pattern = line_pattern(expected)
    return pattern is not None and pattern.fullmatch(actual) is not None


def matches(expected: list[str], actual: list[str]) -> bool:
    # Dynamic programming over (expected index, actual index): small inputs, no backtracking blow-up.
    reachable = {(0, 0)}
    for i, want in enumerate(expected):
        following: set[tuple[int, int]] = set()
        for (e, a) in reachable:
            if e != i:
                continue
            if is_any_lines(want):
                following.update((i + 1, k) for k in range(a, len(actual) + 1))
            elif a < len(actual) and line_matches(want, actual[a]):
                following.add((i + 1, a + 1))
        reachable = following
        if not reachable:
            return False
    return (len(expected), len(actual)) in reachable


def visible(text: str) -> str:
    """Control characters a terminal would act on, shown instead: ESC as `␛` (an ANSI colour code
    reads `␛[32m`), a carriage return as `␍`, other C0 controls as `^X`; tabs and newlines kept."""
    return "".join(_VISIBLE.get(char, char) for char in text)


_VISIBLE = {"\x1b": "\u241b", "\r": "\u240d"} | {chr(code): "^" + chr(code + 64) for code in range(32)
                                                if chr(code) not in "\t\n\x1b\r"} | {"\x7f": "^?"}


def explain(expected: list[str], actual: list[str]) -> str:
    """A unified diff, expected first, for the failure report (control characters shown)."""
    diff = "\n".join(difflib.unified_diff([visible(line) for line in expected], [visible(line) for line in actual],
                                          "expected", "actual", lineterm=""))
    if any("\x1b" in line for line in actual):
        diff += "\nnote: the command printed ANSI escape codes (shown as ␛): colours the page does not show"
    broken = [line for line in expected
              if line.rstrip().endswith(REGEX_SUFFIX) and line_pattern(line.rstrip()) is None]
    for line in broken:
        diff += f"\nnote: '{line.rstrip()}' is not a valid regular expression, so it matches nothing"
    return diff
