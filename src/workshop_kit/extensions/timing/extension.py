"""Python-Markdown extension: `/// timing` blocks become validated agenda tables.

Syntax (documented in the README and on the site's authoring page):

    /// timing | Day one
        start: "09:00"
        slot: 8 h

    | Time          | Session          | Kind     |
    | ------------- | ---------------- | -------- |
    | 09:00 - 09:10 | Good morning     | talk     |
    | 45 min        | Guided build     | hands-on |
    ///

A preprocessor reads the raw lines (so problems carry line numbers), lays the agenda out and
rewrites it as an ordinary Markdown table with computed columns; a treeprocessor then decorates
the rendered table with the data the live clock needs. Cells keep their inline Markdown.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Callable
from xml.etree import ElementTree as etree

import yaml
from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from ..fenced import outside_fences
from ..i18n import STRINGS, translate
from ..markdown_context import in_indented_code
from ..source import SourcePage
from ..text import plain_text
from .agenda import Agenda, TimingError, TimingProblem, parse_agenda
from .durations import format_clock, format_duration

log = logging.getLogger("workshop_kit.extensions.timing")

TIMING_OPEN = re.compile(r"^(?P<indent>[ \t]*)///[ \t]*timing[ \t]*(?:\|[ \t]*(?P<title>.*?))?[ \t]*$")
TIMING_CLOSE = re.compile(r"^[ \t]*///[ \t]*$")
_MARKER = "wk-timing-marker-{}"
_OPTIONS = {"start", "slot", "total", "id", "clock"}

Reporter = Callable[[TimingProblem, SourcePage], None]


def timing_openings(markdown: str) -> list[int]:
    """Where each `/// timing` block opens in a page's own Markdown (1-based), fenced examples aside."""
    lines = markdown.splitlines()
    return [number for number, line in outside_fences(lines) if TIMING_OPEN.match(line)
            and not in_indented_code(lines, number - 1)]


def log_problem(problem: TimingProblem, page: SourcePage) -> None:
    """Default reporter: errors as warnings (so MkDocs' --strict fails), gaps as information."""
    level = logging.WARNING if problem.severity == "error" else logging.INFO
    log.log(level, "%s: timing table: %s", page.where(problem.line), problem.message)


def _tables(md: Markdown) -> list[dict]:
    """The tables laid out on this Markdown instance so far: Python-Markdown keeps an extension's
    state on the instance, as `md.workshop_timing_tables` (which checks/render.py reads too)."""
    tables: list[dict] = vars(md).setdefault("workshop_timing_tables", [])
    return tables


def _escape_cell(text: str) -> str:
    """Cells are author text, rendered with inline Markdown but never as raw HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class TimingPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, ext: TimingExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        seen = 0
        while i < len(lines):
            match = TIMING_OPEN.match(lines[i])
            if not match or in_indented_code(lines, i):  # a code sample showing the syntax
                out.append(lines[i])
                i += 1
                continue
            end = next((j for j in range(i + 1, len(lines)) if TIMING_CLOSE.match(lines[j])), None)
            page = self.ext.getConfig("page")
            opening = page.timing_lines[seen] if seen < len(page.timing_lines) else i + 1
            seen += 1
            if end is None:
                self.ext.report(TimingError("'/// timing' is never closed; end the table with a line holding only "
                                            "'///'", opening), page)
                out.append(lines[i])
                i += 1
                continue
            indent = match.group("indent")
            body = [line[len(indent):] if line.startswith(indent) else line.lstrip() for line in lines[i + 1:end]]
            rendered = self._render(match.group("title") or "", body, opening + 1)
            out.extend(indent + line if line else "" for line in rendered)
            i = end + 1
        return out

    def _render(self, title: str, body: list[str], first_line: int) -> list[str]:
        page = self.ext.getConfig("page")
        option_lines: list[str] = []
        for line in body:
            if line.startswith("    ") or (option_lines and line.startswith("\t")):
                option_lines.append(line)
            else:
                break
        table = body[len(option_lines):]
        option_at = {line.split(":", 1)[0].strip(): first_line + n for n, line in enumerate(option_lines)}
        try:
            options = self._options(option_lines, first_line)
            agenda = parse_agenda(table, first_line=first_line + len(option_lines), option_lines=option_at,
                                  start=options.get("start"), slot=options.get("slot"), total=options.get("total"))
        except TimingError as err:
            self.ext.report(err, page)
            # The same file:line as the build log (the Markdown's own line would ignore front matter).
            shown = f"{page.where(err.line)}: {err.message}"
            return ["", f'<p class="wk-timing-invalid"><strong>{html.escape(shown)}</strong></p>', ""] + table
        for problem in agenda.problems:
            self.ext.report(problem, page)
        index = len(_tables(self.md))
        clock = options.get("clock") or ("24h" if page.lang != "en" else self.ext.getConfig("clock"))
        _tables(self.md).append(
            {"agenda": agenda, "title": title, "id": str(options.get("id") or f"timing-{index + 1}"), "clock": clock}
        )
        return ["", _MARKER.format(index), ""] + self._table_lines(agenda, clock, page.lang) + [""]

    @staticmethod
    def _options(lines: list[str], first_line: int) -> dict:
        if not lines:
            return {}
        try:
            options = yaml.safe_load("\n".join(line.strip() for line in lines)) or {}
        except yaml.YAMLError as err:
            why = getattr(err, "problem", None) or err
            raise TimingError(f"options are not valid YAML ({why}); write one 'name: value' per line",
                              first_line) from None
        if not isinstance(options, dict):
            raise TimingError("options must be 'name: value' lines, indented by four spaces", first_line)
        unknown = set(options) - _OPTIONS
        if unknown:
            at = next((first_line + n for n, line in enumerate(lines)
                       if line.split(":", 1)[0].strip() in map(str, unknown)),
                      first_line)
            raise TimingError(f"unknown option(s) {', '.join(sorted(map(str, unknown)))}; "
                              f"known: {', '.join(sorted(_OPTIONS))}", at)
        if options.get("clock") not in (None, "24h", "12h"):
            raise TimingError("option 'clock' is '24h' or '12h'", first_line)
        if isinstance(options.get("start"), int):
            # YAML reads an unquoted 09:00 as a sexagesimal number of minutes.
            minutes = options["start"]
            options["start"] = f"{minutes // 60:02d}:{minutes % 60:02d}"
        return options

    @staticmethod
    def _table_lines(agenda: Agenda, clock: str, lang: str) -> list[str]:
        has_kind = len(agenda.header) >= 3
        header = [translate(k, lang) for k in ("timing.start", "timing.end", "timing.duration", "timing.elapsed")]
        header.append(_escape_cell(agenda.header[1]))
        if has_kind:
            header.append(_escape_cell(agenda.header[2]))
        header += [_escape_cell(h) for h in agenda.header[3:]]
        lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
        for row in agenda.rows:
            if row.is_day_marker:
                cells = [_escape_cell(row.title)] + [""] * (len(header) - 1)
            else:
                cells = [
                    format_clock(row.start, clock) if row.start is not None else "?",
                    format_clock(row.end, clock) if row.end is not None else "?",
                    _escape_cell(str(row.duration) if row.duration else row.time_text),
                    format_duration(row.elapsed) if row.elapsed is not None else "",
                    _escape_cell(row.title),
                ]
                if has_kind:
                    cells.append(translate(f"kind.{row.kind}", lang) if row.kind else "")
                cells += [_escape_cell(c) for c in row.extra]
            lines.append("| " + " | ".join(c.replace("|", "\\|") if c else " " for c in cells) + " |")
        return lines


class TimingTreeprocessor(Treeprocessor):
    """Adds classes, data attributes, day headings, the total row and the problem list."""

    def __init__(self, md: Markdown, ext: TimingExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        if not _tables(self.md):
            return
        markers = {_MARKER.format(i): info for i, info in enumerate(_tables(self.md))}
        for parent in list(root.iter()):
            children = list(parent)
            for position, child in enumerate(children):
                info = markers.get((child.text or "").strip()) if child.tag == "p" else None
                if info is None:
                    continue
                table = children[position + 1] if position + 1 < len(children) else None
                parent.remove(child)
                if table is not None and table.tag == "table":
                    wrapper = self._decorate(table, info)
                    parent.insert(list(parent).index(table), wrapper)
                    parent.remove(table)

    def _decorate(self, table: etree.Element, info: dict) -> etree.Element:
        agenda: Agenda = info["agenda"]
        lang = self.ext.getConfig("page").lang
        wrapper = etree.Element("div", {"class": "wk-timing", "data-wk-timing": info["id"],
                                         "data-clock": info["clock"]})
        if info["title"]:
            caption = etree.Element("caption")
            caption.text = info["title"]
            table.insert(0, caption)
        tbody = table.find("tbody")
        head = table.find("thead/tr")
        width = len(head) if head is not None else 5
        for row, tr in zip(agenda.rows, tbody.findall("tr") if tbody is not None else [], strict=False):
            classes = ["wk-timing-row"]
            if row.is_day_marker:
                cells = list(tr)
                for td in cells:
                    tr.remove(td)
                th = etree.SubElement(tr, "th", {"colspan": str(width), "scope": "rowgroup"})
                if cells:  # the day's title, rendered, is in the first cell
                    th.text = cells[0].text
                    th.extend(list(cells[0]))
                classes = ["wk-timing-day"]
                tr.set("data-day", str(row.day))
            else:
                if row.kind:
                    classes.append(f"wk-kind-{row.kind}")
                    tr.set("data-kind", row.kind)
                if row.start is not None and row.end is not None:
                    tr.set("data-start", str(row.start))
                    tr.set("data-end", str(row.end))
                tr.set("data-day", str(row.day))
                cells = list(tr)
                if len(cells) > 4:
                    tr.set("data-title", plain_text(cells[4], self.md.htmlStash.rawHtmlBlocks))
            if any(p.severity == "error" for p in row.problems):
                classes.append("wk-timing-error")
            elif row.problems:
                classes.append("wk-timing-warning")
            if any(p.severity == "error" for p in row.problems):
                # Errors fail --strict. Gaps are the speaker's business: they stay in the build log
                # and the speaker-only problem box, never in a tooltip a participant sees.
                tr.set("title", "; ".join(p.message for p in row.problems))
            tr.set("class", " ".join(classes))
        self._total_row(table, agenda, width, lang)
        wrapper.append(table)
        if agenda.problems:
            self._problem_list(wrapper, agenda, lang, self.ext.getConfig("page"))
        wrapper.set("data-labels", json.dumps(
            {k.split(".", 1)[1]: translate(k, lang) for k in STRINGS["en"] if k.startswith("clock.")},
            ensure_ascii=False))
        return wrapper

    @staticmethod
    def _total_row(table: etree.Element, agenda: Agenda, width: int, lang: str) -> None:
        tfoot = etree.SubElement(table, "tfoot")
        tr = etree.SubElement(tfoot, "tr", {"class": "wk-timing-total"})
        label = etree.SubElement(tr, "th", {"colspan": "2", "scope": "row"})
        label.text = translate("timing.total", lang)
        duration = etree.SubElement(tr, "td")
        duration.text = format_duration(agenda.total_duration)
        span = etree.SubElement(tr, "td")
        span.text = format_duration(agenda.total_span)
        etree.SubElement(tr, "td", {"colspan": str(max(width - 4, 1))})

    @staticmethod
    def _problem_list(wrapper: etree.Element, agenda: Agenda, lang: str, page: SourcePage) -> None:
        severity = "failure" if agenda.errors else "warning"
        # Gaps alone (warnings) are for the speaker view, without the source path; errors fail --strict.
        speaker = "" if agenda.errors else " speaker"
        box = etree.SubElement(wrapper, "div", {"class": f"admonition {severity} wk-timing-problems{speaker}"})
        title = etree.SubElement(box, "p", {"class": "admonition-title"})
        title.text = translate("timing.problems", lang)
        items = etree.SubElement(box, "ul")
        for problem in agenda.problems:
            item = etree.SubElement(items, "li", {"class": f"wk-timing-{problem.severity}"})
            item.text = f"{page.where(problem.line)}: {problem.message}" if agenda.errors else problem.message


class TimingExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "page": [SourcePage(), "SourcePage the plugin points at the page being rendered"],
            "clock": ["24h", "Clock style for English pages: '24h' or '12h' (other languages use 24h)"],
            "reporter": [log_problem, "Callable(problem, page) told about every problem found"],
        }
        super().__init__(**kwargs)

    def report(self, problem: TimingProblem, page: SourcePage) -> None:
        self.getConfig("reporter")(problem, page)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        self.md = md
        vars(md)["workshop_timing_tables"] = []
        # After snippets (32) and superfences (25), so included text is seen and fenced examples are not.
        md.preprocessors.register(TimingPreprocessor(md, self), "workshop_timing", 20)
        # After inline processing (20), so the cells are already rendered.
        md.treeprocessors.register(TimingTreeprocessor(md, self), "workshop_timing", 5)

    def reset(self) -> None:
        if hasattr(self, "md"):
            vars(self.md)["workshop_timing_tables"] = []


def makeExtension(**kwargs) -> TimingExtension:  # noqa: N802 - Python-Markdown's entry point name
    return TimingExtension(**kwargs)
