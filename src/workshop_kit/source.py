"""Where the Markdown being rendered comes from, so messages can name its file and line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SourcePage:
    """Mutable on purpose: one instance is shared by the plugin and the extensions, and the
    plugin points it at each page before that page is rendered."""

    path: str = "<markdown>"
    line_offset: int = 0
    lang: str = "en"
    project: str | None = None  # the page's default example project (front matter `project:`)

    def where(self, line: int | None) -> str:
        if line is None:
            return self.path
        return f"{self.path}:{line + self.line_offset}"


def front_matter_lines(source: str, markdown: str) -> int:
    """Lines MkDocs stripped from the top of `source` (the front matter) to get `markdown`."""
    if markdown and source.endswith(markdown):
        return source[: len(source) - len(markdown)].count("\n")
    return 0
