"""A timing table as data: rows laid out on a clock, and every problem found on the way.

Pure logic with no Markdown or MkDocs in it, so the parity check, the CLI and the tests can
read agendas without building a site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from ...errors import WorkshopKitError
from .durations import (
    DAY,
    Duration,
    DurationSyntaxError,
    format_clock,
    format_duration,
    parse_clock,
    parse_duration,
    parse_range,
)

KINDS = ("talk", "hands-on", "break", "lunch", "demo", "day")
_KIND_ALIASES = {
    "handson": "hands-on", "hands on": "hands-on", "lab": "hands-on", "exercise": "hands-on",
    "pause": "break", "coffee": "break", "déjeuner": "lunch", "dejeuner": "lunch",
    "démo": "demo", "présentation": "talk", "presentation": "talk", "jour": "day",
    "pratique": "hands-on",
}


class TimingError(WorkshopKitError):
    """An error in a timing table, with the line it is on (1-based, in the page source): raised when
    there is no table to lay out, recorded on the agenda (and its `row`, an index) otherwise."""

    severity: ClassVar[str] = "error"

    def __init__(self, message: str, line: int | None = None, *, row: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.row = row

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.message}"


@dataclass(frozen=True)
class TimingWarning:
    """What only warns in a timing table (a gap between two rows): recorded on the agenda and its
    row (`row`, an index), never raised; `line` is 1-based in the page source."""

    message: str
    line: int | None = None
    row: int | None = None
    severity: ClassVar[str] = "warning"

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.message}"


# What an agenda records: its errors and its warnings, in the order found.
TimingProblem = TimingError | TimingWarning


@dataclass
class Row:
    """One agenda row. `start`/`end` are seconds after midnight; None when they could not be laid out."""

    line: int
    time_text: str
    title: str
    kind: str
    extra: list[str] = field(default_factory=list)
    start: int | None = None
    end: int | None = None
    duration: Duration | None = None
    elapsed: int | None = None
    day: int = 1
    problems: list[TimingProblem] = field(default_factory=list)

    @property
    def is_day_marker(self) -> bool:
        return self.kind == "day"


@dataclass
class Agenda:
    """A laid-out timing table: its rows, its days' spans and what is wrong with it."""

    rows: list[Row]
    header: list[str]
    start: int | None = None
    slot: int | None = None
    stated_total: int | None = None
    problems: list[TimingProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[TimingError]:
        return [p for p in self.problems if isinstance(p, TimingError)]

    @property
    def warnings(self) -> list[TimingWarning]:
        return [p for p in self.problems if isinstance(p, TimingWarning)]

    @property
    def timed_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.is_day_marker]

    @property
    def total_duration(self) -> int:
        """Sum of the rows' own durations (what a stated total is compared with)."""
        return sum(r.duration.seconds for r in self.timed_rows if r.duration)

    def day_spans(self) -> dict[int, tuple[int, int]]:
        """Day number -> (first start, last end) in seconds."""
        spans: dict[int, tuple[int, int]] = {}
        for row in self.timed_rows:
            if row.start is None or row.end is None:
                continue
            first, last = spans.get(row.day, (row.start, row.end))
            spans[row.day] = (min(first, row.start), max(last, row.end))
        return spans

    @property
    def total_span(self) -> int:
        """Wall-clock time from each day's first start to its last end, added over days."""
        return sum(end - start for start, end in self.day_spans().values())


def split_row(line: str) -> list[str]:
    r"""`| a | b |` -> ['a', 'b'], keeping escaped pipes (`\|`) inside cells."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells, current, escaped = [], "", False
    for char in text:
        if char == "|" and not escaped:
            cells.append(current.strip())
            current = ""
        else:
            current += char
        escaped = char == "\\" and not escaped
    cells.append(current.strip())
    return cells


def _is_separator(cells: list[str]) -> bool:
    return bool(cells) and all(c and set(c) <= set(":- ") and "-" in c for c in cells)


def _translated_kinds() -> dict[str, str]:
    """The kind labels the site itself displays, in every language (« Exposé » for a talk)."""
    from ..i18n import STRINGS

    return {" ".join(table[f"kind.{kind}"].lower().split()): kind
            for table in STRINGS.values() for kind in KINDS if f"kind.{kind}" in table}


def normalise_kind(text: str) -> str:
    """Author's kind cell -> one of KINDS ('' when empty). Raises TimingError for unknown kinds."""
    cleaned = " ".join(text.strip().strip("*_").lower().split())
    if not cleaned:
        return ""
    cleaned = _KIND_ALIASES.get(cleaned) or _translated_kinds().get(cleaned, cleaned)
    if cleaned not in KINDS:
        raise TimingError(f"unknown kind '{text.strip()}'; use one of: {', '.join(KINDS)}")
    return cleaned


def parse_table(lines: list[str], first_line: int = 1) -> tuple[list[str], list[Row], list[TimingError]]:
    """Markdown table lines -> header and rows. Columns: time or duration, title, kind (optional), notes."""
    problems: list[TimingError] = []
    table = [(first_line + i, line) for i, line in enumerate(lines) if line.strip()]
    if len(table) < 2 or not _is_separator(split_row(table[1][1])):
        raise TimingError(
            "a timing table needs a Markdown table: a header row, a separator row (| --- | --- |), then one row "
            "per slot",
            first_line,
        )
    header = split_row(table[0][1])
    if len(header) < 2:
        raise TimingError("a timing table needs at least two columns: time (or duration) and title", table[0][0])
    rows = []
    for number, line in table[2:]:
        cells = split_row(line)
        if len(cells) < 2:
            problems.append(TimingError(f"row '{line.strip()}' has {len(cells)} cell(s); give at least a time and a "
                                        "title", number))
            continue
        cells += [""] * (len(header) - len(cells))
        kind = ""
        if len(header) >= 3:
            try:
                kind = normalise_kind(cells[2])
            except TimingError as err:
                problems.append(TimingError(err.message, number))
        rows.append(Row(line=number, time_text=cells[0].strip("*_ "), title=cells[1], kind=kind, extra=cells[3:]))
    if not rows:
        raise TimingError("a timing table needs at least one row under its header", first_line)
    return header, rows, problems


def _backwards(row) -> str:
    """Why a row's range reads backwards: no time at all, past midnight, or the times swapped."""
    if row.end == row.start:
        return f"{_describe(row)} starts and ends at the same time; give it its real end time"
    if row.start >= 12 * 3600 and row.end + DAY - row.start <= 12 * 3600:
        return (f"{_describe(row)} runs past midnight, which a row cannot do (its end would read as before its "
                "start): end it at 23:59 and go on after a 'day' row, or fix the typo")
    return f"{_describe(row)} ends before it starts; swap the times or fix the typo"


def _describe(row: Row) -> str:
    return f"'{row.title}' ({row.time_text})"


def lay_out(header: list[str], rows: list[Row], *, start: int | None = None, slot: int | None = None,
            stated_total: int | None = None, problems: list[TimingError] | None = None) -> Agenda:
    """Give every row a start and an end, and collect overlaps, gaps and totals that do not fit."""
    agenda = Agenda(rows=rows, header=header, start=start, slot=slot, stated_total=stated_total,
                    problems=list(problems or []))

    def problem(row: Row, message: str, severity: str = "error") -> None:
        index = rows.index(row)
        found: TimingProblem = (TimingWarning(message, row.line, index) if severity == "warning"
                                else TimingError(message, row.line, row=index))
        row.problems.append(found)
        agenda.problems.append(found)

    cursor, day, day_start, previous = start, 1, start, None
    for row in rows:
        if row.is_day_marker:
            if previous is not None or row is not rows[0]:
                day += 1
            row.day = day
            try:
                cursor = day_start = parse_clock(row.time_text)
            except DurationSyntaxError as err:
                problem(row, f"a day row gives the day's start time: {err}")
                cursor = day_start = None
            previous = None
            continue
        row.day = day
        try:
            span = parse_range(row.time_text)
            if span is not None:
                row.start, row.end = span
                if row.end <= row.start:
                    problem(row, _backwards(row))
                    row.end = None
                    continue
                row.duration = Duration(row.end - row.start)
            else:
                row.duration = parse_duration(row.time_text)
                if cursor is None:
                    problem(row, f"{_describe(row)} gives a duration but nothing before it gives a clock time; "
                                 "add 'start: \"09:00\"' to the table's options or start with a clock range")
                    continue
                row.start, row.end = cursor, cursor + row.duration.seconds
        except DurationSyntaxError as err:
            problem(row, str(err))
            continue
        if day_start is None:
            day_start = row.start
        if cursor is not None and previous is not None:
            if row.start < cursor:
                problem(row, f"{_describe(row)} overlaps {_describe(previous)}, which ends at "
                             f"{format_clock(cursor)}; start it at {format_clock(cursor)} or later")
            elif row.start > cursor:
                problem(row, f"gap of {format_duration(row.start - cursor)} before {_describe(row)} "
                             f"(previous row ends at {format_clock(cursor)})", severity="warning")
        if cursor is None or row.end >= cursor or previous is None:
            cursor = row.end
        row.elapsed = row.end - day_start if day_start is not None else None
        previous = row
    _check_totals(agenda, problem)
    return agenda


def _check_totals(agenda: Agenda, problem) -> None:
    last = agenda.timed_rows[-1] if agenda.timed_rows else agenda.rows[-1]
    if agenda.slot is not None:
        for day, (first, end) in agenda.day_spans().items():
            if end - first > agenda.slot:
                problem(last, f"day {day} runs {format_duration(end - first)}, more than the declared slot of "
                              f"{format_duration(agenda.slot)}; shorten rows or raise 'slot'")
    if agenda.stated_total is not None and not agenda.errors:
        total = agenda.total_duration
        if total != agenda.stated_total:
            problem(last, f"the rows add up to {format_duration(total)}, not the stated total of "
                          f"{format_duration(agenda.stated_total)}; fix a row or the 'total' option")
    for row in agenda.rows:
        if row.end is not None and row.end > DAY:
            problem(row, f"{_describe(row)} runs past midnight; split the agenda into days with a 'day' row")


def parse_agenda(lines: list[str], *, first_line: int = 1, start: str | None = None,
                 slot: str | None = None, total: str | None = None,
                 option_lines: dict[str, int] | None = None) -> Agenda:
    """Table lines and the table's options -> a laid-out, validated Agenda.

    Raises TimingError only when there is no table to lay out; every other problem is recorded
    on the agenda and its rows so a page can still be rendered with the problems flagged.
    """
    header, rows, problems = parse_table(lines, first_line)

    def option(name: str, value: str | None, parse):
        if value is None:
            return None
        # The option's own line; without it, the line above the table (an option line), not the table.
        line = (option_lines or {}).get(name, max(first_line - 1, 1))
        try:
            seconds = parse(str(value))
        except DurationSyntaxError as err:
            if "is zero" in str(err):
                raise TimingError(f"option '{name}': '{str(value).strip()}' is zero; give a duration longer than "
                                  "zero, such as '1 h'", line) from None
            raise TimingError(f"option '{name}': {err}", line) from None
        return seconds

    start_s = option("start", start, parse_clock)
    slot_s = option("slot", slot, lambda v: parse_duration(v).seconds)
    total_s = option("total", total, lambda v: parse_duration(v).seconds)
    return lay_out(header, rows, start=start_s, slot=slot_s, stated_total=total_s, problems=problems)
