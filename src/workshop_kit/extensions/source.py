"""Where the Markdown being rendered comes from, so messages can name its file and line."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SourcePage:
    """Mutable on purpose: one instance is shared by the plugin and the extensions, and the
    plugin points it at each page before that page is rendered."""

    path: str = "<markdown>"
    line_offset: int = 0
    lang: str = "en"
    project: str | None = None  # the page's default example project (front matter `project:`)
    # The page's address relative to the site's root, as MkDocs gives it (`workshop/handout/`);
    # empty outside a build: links to the site's downloads are then made from `path`.
    url: str = ""
    # Lines (in the Markdown, front matter excluded) where each `/// timing` block opens. Earlier
    # preprocessors (snippets, fenced code) shift lines; with these, problems keep their true line.
    timing_lines: list[int] = field(default_factory=list)

    def where(self, line: int | None) -> str:
        if line is None:
            return self.path
        return f"{self.path}:{line + self.line_offset}"


def front_matter_lines(source: str, markdown: str) -> int:
    """Lines MkDocs stripped from the top of `source` (the front matter) to get `markdown`."""
    if markdown and source.endswith(markdown):
        return source[: len(source) - len(markdown)].count("\n")
    return 0
