"""Expected output against actual output, tolerant only where the author says so.

- a line that is exactly `...` matches any number of lines (none included);
- `...` inside a line matches any text on that line;
- a line ending in ` (re)` is a regular expression for the whole line;
- everything else is compared literally (trailing spaces ignored).
"""

from __future__ import annotations

import difflib
import re


def _line_pattern(expected: str) -> re.Pattern:
    if expected.endswith(" (re)"):
        return re.compile(expected[: -len(" (re)")])
    return re.compile(".*".join(re.escape(part) for part in expected.split("...")))


def matches(expected: list[str], actual: list[str]) -> bool:
    expected = [line.rstrip() for line in expected]
    actual = [line.rstrip() for line in actual]
    # Dynamic programming over (expected index, actual index): small inputs, no backtracking blow-up.
    reachable = {(0, 0)}
    for i, want in enumerate(expected):
        following = set()
        for (e, a) in reachable:
            if e != i:
                continue
            if want == "...":
                following.update((i + 1, k) for k in range(a, len(actual) + 1))
            elif a < len(actual) and _line_pattern(want).fullmatch(actual[a]):
                following.add((i + 1, a + 1))
        reachable = following
        if not reachable:
            return False
    return (len(expected), len(actual)) in reachable


def explain(expected: list[str], actual: list[str]) -> str:
    """A unified diff, expected first, for the failure report."""
    return "\n".join(difflib.unified_diff(expected, actual, "expected", "actual", lineterm=""))
