"""Past runs of an agenda: the files the speaker's "Export run" writes, read back and learned from.

A run file (`runs/<workshop>/*.json`) follows `run.schema.json` (version 1): the agenda it was
exported from, the planned rows, the time each row was marked done and the questions holds
(unplanned time). Each file is validated on reading; a bad one raises RunFileError naming the file
and what is wrong. From the valid runs come, per row, the median and 80th percentile of the time
the row took (questions holds taken out), and a proposed agenda that fits the table's `slot` and
`total`.
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ...errors import WorkshopKitError
from .agenda import Agenda, Row
from .durations import format_clock, format_duration

SCHEMA_PATH = Path(__file__).with_name("run.schema.json")
SCHEMA_VERSION = 1
RUNS_DIR = "runs"


class RunFileError(WorkshopKitError):
    """A run file that cannot be used: `str()` is `<file>: <what is wrong>`."""

    def __init__(self, path: Path | str, message: str):
        super().__init__(message, str(path))


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


_TYPES: dict[str, type] = {"object": dict, "array": list, "string": str, "null": type(None)}


def _is(value, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, _TYPES[kind])


def schema_errors(value, rule: dict, path: tuple = ()):
    """What in `value` breaks `rule`: (path, message), for the JSON Schema keywords run.schema.json
    uses (type, const, required, properties, patternProperties, additionalProperties, items,
    pattern, minimum, maximum, minLength, maxLength, minItems, maxItems). A small validator of our
    own: the build reads runs on every page of a workshop, and jsonschema takes a second to import
    (tests/timing/test_runs.py checks both agree on the schema)."""
    kinds = rule.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_is(value, kind) for kind in kinds):
            yield path, f"{json.dumps(value)[:60]} is not of type {', '.join(repr(k) for k in kinds)}"
            return
    if "const" in rule and value != rule["const"]:
        yield path, f"{json.dumps(rule['const'])} was expected"
        return
    if isinstance(value, dict):
        for name in rule.get("required", []):
            if name not in value:
                yield path, f"'{name}' is a required property"
        properties, patterns = rule.get("properties", {}), rule.get("patternProperties", {})
        extra = []
        for name, item in value.items():
            matched = False
            if name in properties:
                matched = True
                yield from schema_errors(item, properties[name], path + (name,))
            for pattern, sub in patterns.items():
                if re.search(pattern, name):
                    matched = True
                    yield from schema_errors(item, sub, path + (name,))
            if not matched:
                extra.append(name)
        if extra and rule.get("additionalProperties") is False:
            yield path, (f"Additional properties are not allowed ({', '.join(repr(e) for e in extra)} "
                         f"{'was' if len(extra) == 1 else 'were'} unexpected)")
    if isinstance(value, list):
        if len(value) < rule.get("minItems", 0):
            yield path, f"should have at least {rule['minItems']} item(s)"
        if "maxItems" in rule and len(value) > rule["maxItems"]:
            yield path, f"has more than {rule['maxItems']} items"
        for n, item in enumerate(value):
            if "items" in rule:
                yield from schema_errors(item, rule["items"], path + (n,))
    if isinstance(value, str):
        if len(value) < rule.get("minLength", 0):
            yield path, f"{json.dumps(value)} is too short"
        if "maxLength" in rule and len(value) > rule["maxLength"]:
            yield path, f"is longer than {rule['maxLength']} characters"
        if "pattern" in rule and not re.search(rule["pattern"], value):
            yield path, f"{json.dumps(value)} does not match {rule['pattern']!r}"
    if _is(value, "integer"):
        if "minimum" in rule and value < rule["minimum"]:
            yield path, f"{value} is less than the minimum of {rule['minimum']}"
        if "maximum" in rule and value > rule["maximum"]:
            yield path, f"{value} is greater than the maximum of {rule['maximum']}"


def validate_run(data, name: Path | str = "<run>") -> dict:
    """The run's data if it follows the schema and holds together; else RunFileError."""
    if isinstance(data, dict) and data.get("format") == "workshop-kit-run" and isinstance(data.get("version"), int) \
            and data["version"] != SCHEMA_VERSION:
        raise RunFileError(name, f"run format version {data['version']} is not supported (this version of "
                                 f"Workshop Kit reads version {SCHEMA_VERSION})")
    for path, message in schema_errors(data, schema()):
        where = f"at '{'/'.join(map(str, path))}'" if path else "at the top level"
        raise RunFileError(name, f"not a run file of version {SCHEMA_VERSION}: {where}: {message}")
    indexes = [row["index"] for row in data["rows"]]
    if indexes != list(range(len(indexes))):
        raise RunFileError(name, "rows must be numbered 0, 1, 2... in order ('index')")
    for row in data["rows"]:
        if row["end"] <= row["start"] or row["planned"] != row["end"] - row["start"]:
            raise RunFileError(name, f"row {row['index']} ('{row['title']}'): 'planned' must be 'end' - 'start', "
                                     "and end after start")
    for key in data["done"]:
        if int(key) >= len(indexes):
            raise RunFileError(name, f"'done' marks row {key}, but the run has {len(indexes)} rows")
    for n, hold in enumerate(data["holds"]):
        if hold["end"] < hold["start"]:
            raise RunFileError(name, f"hold {n} ends before it starts")
    return data


def load_run(path: Path, shown: str | None = None) -> dict:
    shown = shown or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RunFileError(shown, "is not UTF-8 text") from None
    except OSError as err:
        raise RunFileError(shown, f"cannot be read ({err.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise RunFileError(shown, f"is not JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None
    return validate_run(data, shown)


def load_runs(root: Path, workshop: str) -> tuple[list[dict], list[RunFileError]]:
    """Every run of `runs/<workshop>/*.json` under `root`, in file order, and the files refused."""
    runs, problems = [], []
    folder = root / RUNS_DIR / workshop
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        shown = f"{RUNS_DIR}/{workshop}/{path.name}"
        try:
            run = load_run(path, shown)
        except RunFileError as err:
            problems.append(err)
            continue
        if run["workshop"] != workshop:
            problems.append(RunFileError(shown, f"belongs to workshop '{run['workshop']}', not to '{workshop}' "
                                                f"(move it to {RUNS_DIR}/{run['workshop']}/)"))
            continue
        run["_file"] = shown
        runs.append(run)
    return runs, problems


def page_of(src_uri: str) -> str:
    """`ml-tooling-day/agenda.fr.md` or `.../agenda.md` -> `ml-tooling-day/agenda/` (what the browser records)."""
    path = re.sub(r"(\.[a-z]{2,3})?\.md$", "", src_uri.replace("\\", "/"))
    if path == "index":
        return ""
    if path.endswith("/index"):
        return path[: -len("index")]
    return path + "/"


def normal_title(text: str) -> str:
    """Titles as both sides know them: no icon short codes, Markdown marks or extra spaces."""
    text = re.sub(r":[a-z0-9_+-]+:", " ", text)
    text = re.sub(r"[*_`]", "", text)
    return " ".join(text.split()).casefold()


def durations(run: dict) -> dict[int, int]:
    """Row index -> seconds the row took in this run, questions holds inside it taken out.

    A row's time runs from the previous row's done mark (the first row of a day: its planned start,
    shifted on the first day) to its own; a row whose previous row was not marked is left out."""
    rows, done = run["rows"], {int(k): v for k, v in run["done"].items()}
    first_day = rows[0]["day"]
    took = {}
    for row in rows:
        i = row["index"]
        if i not in done:
            continue
        previous = rows[i - 1] if i else None
        if previous is None or previous["day"] != row["day"]:
            start = row["start"]
            if row["day"] == first_day and run.get("shift") is not None and i == 0:
                start = run["shift"]
        elif previous["index"] in done:
            start = done[previous["index"]]
        else:
            continue
        end = done[i]
        held = sum(max(0, min(end, h["end"]) - max(start, h["start"])) for h in run["holds"])
        if end - start - held > 0:
            took[i] = end - start - held
    return took


def held(run: dict) -> int:
    return sum(h["end"] - h["start"] for h in run["holds"])


def percentile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class RowFigures:
    index: int
    title: str
    planned: int
    samples: list[int] = field(default_factory=list)

    @property
    def median(self) -> int | None:
        return round(statistics.median(self.samples)) if self.samples else None

    @property
    def p80(self) -> int | None:
        return round(percentile(self.samples, 0.8)) if self.samples else None


def row_figures(timed: list[tuple], runs: list[dict]) -> list[RowFigures]:
    """`timed`: (index, title, planned seconds[, kind]) of the agenda's timed rows, in order; the
    runs of that agenda. A run's row counts for the agenda's row of the same index and title; for
    the row of the same index when the run has the agenda's rows and kinds in the same order (a
    translation of the page, or titles since reworded); else for the one row of the same title."""
    figures = [RowFigures(item[0], item[1], item[2]) for item in timed]
    kinds = [item[3] if len(item) > 3 else None for item in timed]
    for run in runs:
        took = durations(run)
        by_title: dict[str, list[int]] = {}
        for row in run["rows"]:
            by_title.setdefault(normal_title(row["title"]), []).append(row["index"])
        same_shape = len(run["rows"]) == len(timed) and None not in kinds \
            and [row.get("kind", "") for row in run["rows"]] == kinds
        for figure in figures:
            title = normal_title(figure.title)
            if figure.index < len(run["rows"]) and normal_title(run["rows"][figure.index]["title"]) == title:
                source = figure.index
            elif same_shape:
                source = figure.index
            elif len(by_title.get(title, [])) == 1:
                source = by_title[title][0]
            else:
                continue
            if source in took:
                figure.samples.append(took[source])
    return figures


def runs_of(runs: list[dict], page: str, agenda_id: str) -> list[dict]:
    return [run for run in runs
            if run["agenda"]["id"] == agenda_id and run["agenda"]["page"].strip("/") == page.strip("/")]


# -- the proposed agenda ------------------------------------------------------------------------


def _rounded(seconds: int, planned: int) -> int:
    step = 300 if planned >= 900 else 60
    return max(step, int(round(seconds / step)) * step)


def _shrink(values: dict[int, int], excess: int) -> dict[int, int] | None:
    """Takes `excess` seconds off `values` in whole minutes, in proportion; None if it cannot."""
    if excess <= 0:
        return values
    total = sum(values.values())
    if total - excess < 60 * len(values):
        return None
    out = dict(values)
    taken = 0
    for key, value in values.items():
        cut = (excess * value // total) // 60 * 60
        out[key] = value - cut
        taken += cut
    for key in sorted(out, key=lambda k: (-out[k], k)):  # the rest, a minute at a time, from the longest
        if taken >= excess:
            break
        out[key] -= 60
        taken += 60
    return out


def _grow(values: dict[int, int], extra: int) -> dict[int, int]:
    out = dict(values)
    total = sum(values.values())
    given = 0
    for key, value in values.items():
        add = (extra * value // total) // 60 * 60
        out[key] = value + add
        given += add
    for key in sorted(out, key=lambda k: (-out[k], k)):
        if given >= extra:
            break
        step = min(60, extra - given)
        out[key] += step
        given += step
    return out


@dataclass
class Proposal:
    durations: dict[int, int]  # row position in agenda.rows -> proposed seconds
    notes: list[str]
    problem: str | None = None


def propose(agenda: Agenda, figures: list[RowFigures]) -> Proposal:
    """Each learned row at its median (rounded to 5 min, or to the minute for rows under 15 min);
    then fitted: to the stated `total` exactly, and each day within `slot`, by scaling the learned
    rows in proportion. A function of the runs and the agenda's fixed parts only, so that writing
    it twice changes nothing the second time."""
    timed = agenda.timed_rows
    position = {id(row): n for n, row in enumerate(agenda.rows)}
    by_index = {f.index: f for f in figures}
    proposed: dict[int, int] = {}
    learned: set[int] = set()
    for i, row in enumerate(timed):
        figure = by_index.get(i)
        planned = row.duration.seconds if row.duration else 0
        if figure and figure.median:
            proposed[position[id(row)]] = _rounded(figure.median, planned)
            learned.add(position[id(row)])
        else:
            proposed[position[id(row)]] = planned
    notes: list[str] = []
    if not learned:
        return Proposal(proposed, notes, "no past run has a done mark for any row of this table")
    if agenda.stated_total is not None:
        total = sum(proposed.values())
        fixed = total - sum(proposed[k] for k in learned)
        wanted = agenda.stated_total - fixed
        medians = {k: proposed[k] for k in learned}
        scaled: dict[int, int] | None = medians
        if total > agenda.stated_total:
            scaled = _shrink(medians, total - agenda.stated_total)
        elif total < agenda.stated_total:
            scaled = _grow(medians, agenda.stated_total - total)
        if scaled is None or sum(scaled.values()) != wanted:
            return Proposal(proposed, notes, f"the past runs cannot be fitted to the stated total of "
                                             f"{format_duration(agenda.stated_total)}")
        if total != agenda.stated_total:
            notes.append(f"scaled to the stated total of {format_duration(agenda.stated_total)} "
                         f"(the past runs' medians add up to {format_duration(total)})")
        proposed.update(scaled)
    if agenda.slot is not None:
        for day in sorted({row.day for row in timed}):
            span = _span(agenda, proposed, day)
            if span > agenda.slot:
                mine = {k: proposed[k] for k in learned if agenda.rows[k].day == day}
                scaled = _shrink(mine, span - agenda.slot)
                if scaled is None:
                    return Proposal(proposed, notes, f"day {day} cannot be fitted to the slot of "
                                                     f"{format_duration(agenda.slot)}")
                proposed.update(scaled)
                notes.append(f"day {day} scaled to the slot of {format_duration(agenda.slot)} "
                             f"(the past runs' medians need {format_duration(span)})")
    return Proposal(proposed, notes)


def _gaps(agenda: Agenda) -> dict[int, int]:
    """Row position -> the gap the author left before it (kept as written)."""
    gaps, cursor = {}, None
    for n, row in enumerate(agenda.rows):
        if row.is_day_marker:
            cursor = None
            continue
        gaps[n] = max(0, row.start - cursor) if cursor is not None and row.start is not None else 0
        cursor = row.end if row.end is not None else cursor
    return gaps


def _span(agenda: Agenda, proposed: dict[int, int], day: int) -> int:
    gaps = _gaps(agenda)
    rows = [n for n, row in enumerate(agenda.rows) if not row.is_day_marker and row.day == day]
    return sum(proposed[n] for n in rows) + sum(gaps[n] for n in rows[1:])


def time_cells(agenda: Agenda, proposed: dict[int, int]) -> dict[int, str]:
    """Row position -> its new Time cell: a clock range where the author wrote one, else a duration."""
    from .durations import parse_range

    gaps = _gaps(agenda)
    cells, cursor = {}, agenda.start
    first_of_day = True
    for n, row in enumerate(agenda.rows):
        if row.is_day_marker:
            cursor, first_of_day = None, True
            continue
        span = parse_range(row.time_text)
        start = (row.start if first_of_day or cursor is None else cursor + gaps[n])
        if start is None:  # a row nothing gives a clock time: only in an agenda with errors, which callers refuse
            raise ValueError(f"row {n + 1} of the agenda has no start time; fix the agenda's errors first")
        first_of_day = False
        end = start + proposed[n]
        cursor = end
        if span is not None:
            cells[n] = f"{format_clock(start)} - {format_clock(end)}"
        else:
            cells[n] = format_duration(proposed[n])
    return cells


def row_title(row: Row) -> str:
    return " ".join(re.sub(r":[a-z0-9_+-]+:", " ", row.title).split())


# -- timing blocks of a page, read and rewritten in place ----------------------------------------


@dataclass
class Block:
    """One `/// timing` block of a page: where its table rows are, its options and its agenda."""

    number: int  # 1-based, in page order
    id: str
    title: str
    agenda: Agenda | None
    row_lines: list[int]  # 0-based line numbers of the table's body rows, in order
    indent: str
    error: str | None = None


def read_blocks(text: str) -> list[Block]:
    from .agenda import TimingError, parse_agenda
    from .extension import TIMING_CLOSE, TIMING_OPEN, TimingPreprocessor, timing_openings

    lines = text.splitlines()
    blocks = []
    for number, opening in enumerate(timing_openings(text), start=1):
        i = opening - 1
        match = TIMING_OPEN.match(lines[i])
        assert match is not None  # timing_openings gives the lines TIMING_OPEN matches
        end = next((j for j in range(i + 1, len(lines)) if TIMING_CLOSE.match(lines[j])), None)
        if end is None:
            continue
        indent = match.group("indent")
        body = [line[len(indent):] if line.startswith(indent) else line.lstrip() for line in lines[i + 1:end]]
        options_count = 0
        for line in body:
            if line.startswith("    ") or (options_count and line.startswith("\t")):
                options_count += 1
            else:
                break
        table_at = [i + 1 + options_count + k for k, line in enumerate(body[options_count:]) if line.strip()]
        block = Block(number, f"timing-{number}", match.group("title") or "", None, table_at[2:], indent)
        try:
            options = TimingPreprocessor._options(body[:options_count], i + 2)
            block.id = str(options.get("id") or block.id)
            block.agenda = parse_agenda(body[options_count:], first_line=i + 2 + options_count,
                                        start=options.get("start"), slot=options.get("slot"),
                                        total=options.get("total"))
        except TimingError as err:
            block.error = str(err)
        blocks.append(block)
    return blocks


def _first_cell(line: str) -> tuple[int, int] | None:
    """Where the first cell's text lies in a table line (between the first two unescaped pipes)."""
    start = line.index("|") + 1 if line.lstrip().startswith("|") else len(line) - len(line.lstrip())
    escaped = False
    for k in range(start, len(line)):
        if line[k] == "|" and not escaped:
            return start, k
        escaped = line[k] == "\\" and not escaped
    return None


def rewrite_time_cells(text: str, block: Block, cells: dict[int, str]) -> str:
    """The page with the block's Time cells replaced (row position -> new text), every other byte kept;
    the cell keeps its width when the new text fits in it."""
    lines = text.splitlines(keepends=True)
    for position, new in cells.items():
        number = block.row_lines[position]
        line = lines[number]
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        span = _first_cell(body)
        if span is None:
            continue
        old = body[span[0]:span[1]]
        if old.strip() == new:
            continue
        content = f" {new} "
        if len(content) < len(old):
            content = content.ljust(len(old))
        lines[number] = body[:span[0]] + content + body[span[1]:] + ending
    return "".join(lines)
