"""The checks of one page: what `workshop check` runs for each page, and what the build runs too.

One implementation, two callers. `workshop check` (checks/run.py) calls `PageChecker.check` for
every page; the MkDocs plugin calls `BuildChecks.page` from `on_page_markdown`, which runs the
same checks on the same file and logs each problem through MkDocs' logger (errors as warnings,
so `--strict` fails; warnings as information). A page that fails one fails the other, with the
same message and the same line, read from the file itself (front matter included, whatever
mkdocs-static-i18n hands the plugin).

Nothing here raises on a page's content: every problem becomes a `Problem` naming the file and a
line in it. What would make the build's own rendering crash (a missing `--8<--` file) is also
neutralised in the Markdown handed back to MkDocs, after being reported.
"""

from __future__ import annotations

import html
import logging
import os
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from .. import paths
from ..blocks.collect import SnippetExpander, block_includes, check, check_meta, scan_notebook
from ..blocks.model import BlockError
from ..front_matter import split_front_matter
from .commands import Verdicts, command_problems, split_commands
from .facts import PageFacts, read_facts
from .outline import outline
from .parity import check_revision, compare
from .problem import Problem
from .raw_syntax import raw_markers, raw_syntax_problems
from .secrets import read_allowlist, scan_text
from .site import Site, read_site
from .snippet_lines import escape_missing_snippets
from .terminology import CHECKED_LANG, check_terminology

CHECKS = ("timing", "checklist", "blocks", "commands", "parity", "secrets", "terminology", "paths")


class PageChecker:
    """The per-page checks of one site, with each page's facts read once."""

    def __init__(self, site: Site):
        self.site = site
        self.expander = SnippetExpander(site.snippets, site.root)
        self._facts: dict[Path, tuple[tuple, PageFacts]] = {}
        self._allow = read_allowlist(site.root)
        self.verdicts = Verdicts()
        self._prefetched = False

    def prefetch(self, pages: list[Path]) -> None:
        """Asks every tool about every command of `pages` at once (one child process per tool)."""
        self._prefetched = True
        argvs = [argv for page in pages for block in self.facts_of(page).blocks for _, argv in split_commands(block)]
        self.verdicts.fetch(argvs)

    def facts_of(self, page: Path) -> PageFacts:
        """Read once per version of the file (`mkdocs serve` rebuilds with the same plugin)."""
        try:
            stat = page.stat()
            stamp: tuple[int, ...] = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            stamp = ()
        known = self._facts.get(page)
        if known is None or known[0] != stamp:
            known = self._facts[page] = (stamp, read_facts(self.site, page, self.expander))
        return known[1]

    def check(self, page: Path, only: tuple[str, ...] = CHECKS) -> list[Problem]:
        facts = self.facts_of(page)
        problems: list[Problem] = []
        if not paths.inside(page, self.site.root):
            # A page (a notebook page, say) that is a symlink leaving the repository: its target's
            # text would be published.
            problems.append(Problem("blocks", self.site.relative(page), 1, paths.symlink_message(
                page, Path(os.path.realpath(page)), self.site.root, "the build and the checks")))
        if facts.render_error is not None:
            problems.append(facts.render_error)
        if "timing" in only:
            problems += _timing_problems(facts)
        includes = self._includes(facts) if "timing" in only or "checklist" in only else []
        if "checklist" in only:
            problems += _checklist_problems(facts, includes, self.site.markers)
        if facts.rendered is not None and ("timing" in only or "checklist" in only):
            raw = [problem for problem in raw_syntax_problems(facts.path, facts.rendered.body,
                                                              facts.rendered.offset, facts.rendered.html, includes)
                   if problem.check in only]
            # Raw text no line could be found for: reported unless the page's lines already say why
            # (an item without text renders its '[ ]' as text too).
            problems += [problem for problem in raw if problem.line is not None
                         or not any(other.check == problem.check for other in problems)]
        if "blocks" in only:
            problems += self._blocks(page, facts)
        if "commands" in only and facts.blocks_error is None:
            problems += command_problems(facts.blocks, self.verdicts)
        if "parity" in only:
            problems += self._parity(page)
        if "terminology" in only and page.suffix == ".md" and self.site.lang_of(page) == CHECKED_LANG:
            problems += check_terminology(facts.path, facts.text)
        if "secrets" in only:
            problems += scan_text(facts.path, facts.text, self._allow)
        return sorted(set(problems), key=lambda p: (str(p.path), p.line or 0, p.check, p.message))

    def _includes(self, facts: PageFacts) -> list[tuple[int, str, list[str]]]:
        """The page's `--8<--` includes (inline and block form) that can be read, as (page line,
        the file as the site names it, its lines): what they bring in has no page line of its own."""
        if facts.outline is None or facts.rendered is None or "8<" not in facts.text:
            return []
        wanted = [(line, target.strip().strip("\"'")) for target, line in facts.outline.snippets]
        wanted += [(facts.rendered.offset + index + 1, target)
                   for index, _, target in block_includes(facts.rendered.body)]
        found = []
        for line, target in wanted:
            for name in dict.fromkeys((target, target.split(":", 1)[0])):
                try:
                    # pymdownx's own lookup, confined (SnippetExpander): None when missing.
                    located = self.expander._processor.get_snippet_path(name)
                except Exception:  # noqa: BLE001 - refused or missing: the blocks check reports it
                    break
                if located is not None:
                    try:
                        text = Path(located).read_text(encoding="utf-8", errors="replace")
                    except OSError:
                        break
                    found.append((line, str(self.site.relative(Path(located))), text.splitlines()))
                    break
        return found

    def _blocks(self, page: Path, facts: PageFacts) -> list[Problem]:
        if facts.blocks_error is not None:
            err = facts.blocks_error
            return [Problem("blocks", Path(str(err.path)), err.line, err.message)]
        problems = [Problem("blocks", Path(str(err.path)), err.line, err.message) for err in facts.block_errors]
        try:
            if page.suffix == ".ipynb":
                meta = scan_notebook(facts.path, facts.text)[0]
            else:
                meta = split_front_matter(facts.text, str(facts.path))[0]
            check_meta(facts.path, meta, self.site.examples)
        except BlockError as err:
            problems.append(Problem("blocks", Path(str(err.path)), err.line, err.message))
        for block in facts.blocks:
            try:
                check(block, self.site.examples)
            except BlockError as err:
                problems.append(Problem("blocks", Path(str(err.path)), err.line, err.message))
        return problems

    def _parity(self, page: Path) -> list[Problem]:
        site = self.site
        source = site.source_of(page)
        relative = site.relative(page)
        suffix = page.suffixes[-2].lstrip(".") if len(page.suffixes) > 1 else ""
        if suffix and suffix not in site.languages and re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z]{2,4})?", suffix):
            # `x.FR.md`: a translation whose language suffix the site does not read as one.
            lang = next((known for known in site.languages if known.lower() == suffix.lower()), None)
            stem = page.name[: -len("".join(page.suffixes[-2:]))]
            if lang is not None:
                return [Problem("parity", relative, None, f"the language suffix '.{suffix}' must be written "
                                f"'.{lang}': rename this page {stem}.{lang}{page.suffix}")]
            if page.with_name(stem + page.suffix).exists():
                return [Problem("parity", relative, None, f"'.{suffix}' is not one of the site's languages "
                                f"({', '.join(site.languages)}): rename this page "
                                f"{stem}.<language>{page.suffix}, or add the language to the i18n plugin")]
        if source != page:
            if not source.exists():
                return [Problem("parity", relative, None, f"a translation without a source page: "
                                f"{site.relative(source)} does not exist; rename this page or write the source")]
            return []  # compared from the source's side
        problems = []
        for lang in site.languages[1:]:
            translation = site.translation(page, lang)
            if not translation.exists():
                problems.append(Problem("parity", relative, None, f"no '{lang}' translation: write "
                                        f"{site.relative(translation)} (copy this page, translate its prose, keep "
                                        "its code, checklists and timing rows)"))
                continue
            problems += compare(self.facts_of(page), self.facts_of(translation))
            problems += check_revision(site.root, self.facts_of(page), self.facts_of(translation))
        return problems


def _timing_problems(facts: PageFacts) -> list[Problem]:
    if facts.rendered is None:
        return []
    problems = [Problem("timing", facts.path, line, problem.message,
                        severity="error" if problem.severity == "error" else "warning")
                for problem, line in facts.rendered.timing_problems]
    # Two tables with one id would share their live clock and saved state in the browser.
    ids, openings = facts.rendered.table_ids, facts.outline.timing_lines if facts.outline else []
    for index, table_id in enumerate(ids):
        if table_id in ids[:index]:
            line = openings[index] if len(openings) == len(ids) else None
            problems.append(Problem("timing", facts.path, line, f"a second timing table with id '{table_id}' on "
                                    "this page; give each table its own 'id:' option"))
    return problems


def _checklist_problems(facts: PageFacts, includes: Sequence[tuple[int, str, list[str]]] = (),
                        markers: list[str] | None = None) -> list[Problem]:
    """Duplicate items under one heading (the build would give them the same id twice), items
    without text or that render empty, and items nested by fewer than 4 spaces (Python-Markdown
    renders them flat, silently), each at its line; items of an included file at the include's
    line, naming the file and its line."""
    if facts.rendered is None or facts.outline is None:
        return []
    problems = [Problem("checklist", facts.path, task.line, "a checklist item without text: write what to do "
                        "after '[ ]', or remove the line") for task in facts.outline.tasks if not task.text.strip()]
    problems += [Problem("checklist", facts.path, task.line, _INVISIBLE.format(_invisible_names(task.text)))
                 for task in facts.outline.tasks if task.text.strip() and not visible(task.text)]
    written = [task for task in facts.outline.tasks if task.text.strip()]
    if len(written) == len(facts.rendered.items):
        # Judged on the text the item renders: `**\u200b**` or `<span>\u200b</span>` show nothing
        # either, unless the item shows an image.
        problems += [Problem("checklist", facts.path, task.line, _INVISIBLE.format(
                             _invisible_names(item["text"]) or "only markup"))
                     for task, item in zip(written, facts.rendered.items, strict=True)
                     if visible(task.text) and not visible(item["text"]) and not _IMAGE.search(task.text)]
    for at, shown, lines in includes:
        for task in outline("\n".join(lines), markers or []).tasks:
            if not task.text.strip():
                problems.append(Problem("checklist", facts.path, at, f"{shown}:{task.line}, included here: a "
                                        "checklist item without text: write what to do after '[ ]', or remove "
                                        "the line"))
            elif not visible(task.text):
                problems.append(Problem("checklist", facts.path, at, f"{shown}:{task.line}, included here: "
                                        + _INVISIBLE.format(_invisible_names(task.text))))
    problems += [Problem("checklist", facts.path, task.line, f"this checklist item is indented "
                         f"{task.indent - task.parent_indent} space(s) further than the list item above it; "
                         "Python-Markdown nests list items by 4 spaces, so it would render flat, beside its "
                         f"parent: indent it by {task.parent_indent + 4} spaces")
                 for task in facts.outline.tasks
                 if task.parent_indent is not None and 0 < task.indent - task.parent_indent < 4]
    tasks = [task for task in facts.outline.tasks if task.text.strip()]
    items = facts.rendered.items
    for index, item in enumerate(items):
        if "-" in item["id"]:
            line = tasks[index].line if len(tasks) == len(items) else None
            where = " > ".join(item["path"]) or "the page top"
            problems.append(Problem("checklist", facts.path, line, f"checklist item '{item['text']}' is repeated "
                                    f"under '{where}'; reword one copy so a speaker can tell them apart"))
    return problems


def visible(text: str) -> bool:
    """Does the text show anything? Zero-width spaces, joiners, word joiners, soft hyphens,
    variation selectors and other format or blank characters (also written as entities) do not."""
    shown = html.unescape(re.sub(r"<!--.*?-->", "", text))
    return any(not char.isspace() and unicodedata.category(char) not in ("Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me")
               for char in shown)


_INVISIBLE = ("this checklist item holds only what a reader cannot see ({}), so it would render as a blank "
              "checkbox: write what to do after '[ ]', or remove the line")
_IMAGE = re.compile(r"!\[|<(?:img|svg|picture|video|object|embed|iframe|canvas)\b", re.I)


def _invisible_names(text: str) -> str:
    """The characters that make the text look empty, named (`U+00A0 no-break space`)."""
    names = ["an HTML comment"] if "<!--" in text else []
    for char in html.unescape(re.sub(r"<!--.*?-->", "", text)):
        if char not in " \t\r\n":
            name = f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed').lower()}"
            if name not in names:
                names.append(name)
    return ", ".join(names[:3])


# --- The build's side -----------------------------------------------------------------------



def front_matter_offset(path: Path | str) -> int:
    """Lines MkDocs strips from the top of the page file before handing its Markdown to plugins
    (front matter and the blank lines after it), read with MkDocs' own reader: add it to a line of
    that Markdown to get the line in the file, whatever mkdocs-static-i18n hands the plugin."""
    from mkdocs.utils.meta import get_data

    try:
        text = Path(path).read_text(encoding="utf-8-sig", errors="replace")
        markdown, _ = get_data(text)
    except Exception:  # noqa: BLE001 - unreadable: the page checks report it
        return 0
    return text[: len(text) - len(markdown)].count("\n") if text.endswith(markdown) else 0


class BuildChecks:
    """What the MkDocs plugin runs for each page: `PageChecker.check`, logged through MkDocs.

    In the plugin (`on_config`): `self.checks = BuildChecks(config.config_file_path)`; in
    `on_page_markdown`: `markdown = self.checks.page(page.file.abs_src_path, markdown, log)`.
    """

    def __init__(self, config_file: Path | str, only: tuple[str, ...] = CHECKS):
        config_file = Path(config_file).resolve()
        self.checker = PageChecker(read_site(config_file.parent, config_file))
        self.only = only
        self.reported: set[Problem] = set()  # mkdocs-static-i18n may hand a page over more than once

    def problems(self, source: Path | str) -> list[Problem]:
        page = Path(source)
        docs = self.checker.site.docs
        if not page.is_relative_to(docs):
            page, docs = page.resolve(), docs.resolve()
        if not page.is_relative_to(docs) or page.suffix not in (".md", ".ipynb"):
            return []
        if "commands" in self.only and not self.checker._prefetched:
            self.checker.prefetch(self.checker.site.pages())
        return self.checker.check(page, self.only)

    def report(self, source: Path | str, logger: logging.Logger | logging.LoggerAdapter) -> None:
        """Logs the page's problems, each once per build: errors as warnings (`--strict` fails on
        them), warnings as information."""
        for problem in self.problems(source):
            if problem not in self.reported:
                self.reported.add(problem)
                logger.log(logging.WARNING if problem.severity == "error" else logging.INFO, problem.text)

    def page(self, source: Path | str, markdown: str, logger: logging.Logger | logging.LoggerAdapter) -> str:
        """`report`, then `markdown` made safe to render: a `--8<--` line whose file is missing is
        escaped (`;--8<--`, pymdownx.snippets' own escape), its problem being reported already,
        instead of stopping the build with a traceback."""
        self.report(source, logger)
        return self.safe_markdown(markdown)

    def published(self, source: Path | str, html: str, logger: logging.Logger | logging.LoggerAdapter) -> None:
        """A second net over the page as the build rendered it (the plugin's `on_page_content`):
        raw workshop syntax left in its text that the page checks did not already report (they
        render the page as the build does, so this fires only when the two renderings differ)."""
        found = raw_markers(html)
        if not found:
            return
        problems = self.problems(source)
        if any(problem.severity == "error" for problem in problems):
            # Already reported at its line, or the page fails for another reason at a line (its front
            # matter, say, which keeps the checks from rendering it): that is the error to fix first.
            return
        page = Path(source)
        relative = self.checker.site.relative(page.resolve() if not page.is_relative_to(self.checker.site.root)
                                              else page)
        what = {"timing": "a raw '/// timing'", "closing": "a raw closing '///'", "task": "a raw '[ ]' or '[x]'"}
        for kind in found:
            problem = Problem("checklist" if kind == "task" else "timing", relative, None,
                              f"the published page shows {what[kind]} as text: an extension did not read it; "
                              "find it on the page and make it a table or list item the build reads")
            if problem not in self.reported:
                self.reported.add(problem)
                logger.warning(problem.text)

    def safe_markdown(self, markdown: str) -> str:
        if "8<" not in markdown:
            return markdown
        return "\n".join(escape_missing_snippets(markdown.split("\n"), self.checker.expander))
