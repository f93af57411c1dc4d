"""Includes that cannot be expanded, escaped (`;--8<-- "file"`) so that rendering a page goes on:
the checks report each one at its line; the build's Markdown never stops on it."""

from __future__ import annotations

import re

from ..blocks.collect import SnippetExpander, block_includes

_SNIPPET_LINE = re.compile(r"^(?P<space>[ \t]*)(?P<marker>-{1,}8<-{1,}[ \t]+(?:\"[^\"]*\"|'[^']*'))")


def escape_missing_snippets(lines: list[str], expander: SnippetExpander) -> list[str]:
    """`;--8<-- "file"` (pymdownx.snippets' escape) for each include that cannot be expanded."""
    lines = list(lines)
    # Block form (`--8<--`, one path a line, `--8<--`): a path that cannot be included is commented
    # out (`;path`, which pymdownx.snippets skips).
    for index, space, path in block_includes(lines):
        try:
            expander.expand(f'--8<-- "{path}"')
        except Exception:  # noqa: BLE001 - reported apart, as for the inline form
            lines[index] = f"{space};{path}"
    for index, line in enumerate(lines):
        match = _SNIPPET_LINE.match(line)
        if match is None:
            continue
        try:
            expander.expand(line)
        except Exception:  # noqa: BLE001 - pymdownx's SnippetMissingError and its like: reported apart
            lines[index] = match.group("space") + ";" + line[len(match.group("space")):]
    return lines
