"""Render one page with Python-Markdown and the workshop extensions, as the build would.

Timing tables and checklists are checked by the very code that renders them, so `workshop check`
and the build can never disagree about what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown

from ..extensions.checklist import ChecklistExtension
from ..extensions.kit_box import KitBoxExtension
from ..extensions.source import SourcePage
from ..extensions.speaker_notes import SpeakerNoteExtension
from ..extensions.timing.agenda import Agenda, TimingProblem
from ..extensions.timing.extension import TimingExtension, timing_openings
from ..front_matter import split_front_matter
from .site import Site

# Extensions whose settings only change the look of code, never what the checks read. Not
# pymdownx.inlinehilite: it stashes inline code as HTML, which the build reads back as text, so an
# item's `<deck address>` reads `<deck address>` there and `&lt;deck address&gt;` without it; the
# item's id (and the identity a translation gets from it, alignment.py) must be the build's.
_LOOK_ONLY = {"pymdownx.emoji", "pymdownx.highlight"}


@dataclass
class Rendered:
    timing_problems: list[tuple[TimingProblem, int | None]] = field(default_factory=list)  # with page line
    agendas: list[Agenda] = field(default_factory=list)
    table_ids: list[str] = field(default_factory=list)  # each table's id (its `id:` option or timing-N)
    items: list[dict] = field(default_factory=list)
    offset: int = 0  # front-matter lines: add to a row's line to get the page line
    html: str = ""  # the page as rendered (raw syntax left in it is checked: checks/raw_syntax.py)
    body: list[str] = field(default_factory=list)  # the Markdown rendered, front matter removed


def _has_unresolved(value) -> bool:
    """Settings that pointed at Python objects (`!!python/name:`) were read as None."""
    if value is None:
        return True
    if isinstance(value, dict):
        return any(_has_unresolved(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_unresolved(v) for v in value)
    return False


def _extensions(site: Site) -> tuple[list[str], dict]:
    names, configs = [], {}
    for entry in site.extensions:
        name, config = (entry, None) if isinstance(entry, str) else next(iter(entry.items()))
        if name in _LOOK_ONLY:
            continue
        names.append(name)
        if name == "pymdownx.snippets":
            configs[name] = site.snippets
        elif config and not _has_unresolved(config):
            configs[name] = config
    return names, configs


def render(site: Site, page: Path, text: str, expander=None) -> Rendered:
    """Raises only what another extension raises; a missing snippet is escaped first (`;--8<--`,
    as the build does: the blocks check reports it)."""
    _, lines, offset = split_front_matter(text)
    if expander is not None:
        from .snippet_lines import escape_missing_snippets

        lines = escape_missing_snippets(lines, expander)
    result = Rendered(offset=offset)
    body = "\n".join(lines)
    source = SourcePage(path=str(site.relative(page)), line_offset=offset, lang=site.lang_of(page),
                        timing_lines=timing_openings(body))

    def on_timing(problem: TimingProblem, _page: SourcePage) -> None:
        result.timing_problems.append((problem, problem.line + offset if problem.line else None))

    names, configs = _extensions(site)
    # The "Get the project" box reads its page's path relative to docs/ (its first folder: the kit).
    boxed = SourcePage(path=page.relative_to(site.docs).as_posix() if page.is_relative_to(site.docs)
                       else str(site.relative(page)), line_offset=offset, lang=site.lang_of(page))
    md = markdown.Markdown(
        extensions=[*names, KitBoxExtension(kits=site.kits, repo_url=site.repo_url, page=boxed,
                                            reporter=lambda *_: None),
                    TimingExtension(page=source, reporter=on_timing),
                    ChecklistExtension(page=source, markers=site.markers, reporter=lambda *_: None),
                    SpeakerNoteExtension()],
        extension_configs=configs,
    )
    result.html = md.convert(body)
    result.body = list(lines)
    found: Any = md  # what the extensions found, on the Markdown instance (PYTHON_API.md)
    result.agendas = [table["agenda"] for table in found.workshop_timing_tables]
    result.table_ids = [table["id"] for table in found.workshop_timing_tables]
    result.items = list(found.workshop_checklist_items)
    return result
