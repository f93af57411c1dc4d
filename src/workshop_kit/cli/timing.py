"""Agendas that learn from past runs. `workshop timing learn` reads the runs the speaker exported
("Export run" on an agenda) and committed under runs/<workshop>/*.json, and prints, per row of
each agenda they belong to, the planned duration against the median and 80th percentile of the
past runs (questions holds taken out), and the proposed duration. With --write, the agenda's
timing table (and its translations') is rewritten in place with the proposal: only the Time cells
change, the result passes the timing validation and fits the table's slot and total, and writing
again changes nothing. A run file that does not follow the run schema (version 1) is refused,
naming the file: exit 1.

Examples:
  workshop timing learn                          # every workshop with runs
  workshop timing learn --workshop ml-tooling-day
  workshop timing learn --workshop ml-tooling-day --write
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from pathlib import Path

from ..extensions.timing.durations import format_duration
from ..extensions.timing.runs import (
    RUNS_DIR,
    held,
    load_runs,
    page_of,
    propose,
    read_blocks,
    rewrite_time_cells,
    row_figures,
    row_title,
    runs_of,
    time_cells,
)
from .site import UsageError, add_config_option, site_and_scope

HELP = "learn agenda durations from past runs (runs/<workshop>/*.json), and propose them"

_TRANSLATION = re.compile(r"\.[a-z]{2,3}\.md$")


def arguments(sub: argparse.ArgumentParser) -> None:
    actions = sub.add_subparsers(dest="action", metavar="<action>", required=True)
    learn = actions.add_parser("learn", help="past runs against the plan, per row; --write proposes the durations",
                               description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    learn.add_argument("--workshop", metavar="W", help="one workshop (its folder under docs/); default: every "
                                                       f"workshop with a folder under {RUNS_DIR}/")
    learn.add_argument("--write", action="store_true",
                       help="rewrite the agendas' timing tables in place with the proposed durations")
    add_config_option(learn)


def _minutes(seconds: float | None) -> str:
    return "-" if seconds is None else format_duration(int(round(seconds / 60)) * 60)


def _fail(message: str) -> None:
    print(f"workshop timing: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    site, _ = site_and_scope(None, args.config_file)
    root = site.root
    if args.workshop:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", args.workshop):
            raise UsageError(f"--workshop {args.workshop}: give a workshop's folder name under docs/")
        if not (site.docs / args.workshop).is_dir():
            raise UsageError(f"--workshop {args.workshop}: there is no {site.docs.name}/{args.workshop}/")
        workshops = [args.workshop]
    else:
        folder = root / RUNS_DIR
        workshops = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    status = 0
    if not workshops:
        print(f"No past runs: export a run from an agenda and put it in {RUNS_DIR}/<workshop>/.")
    for workshop in workshops:
        runs, problems = load_runs(root, workshop)
        if problems:
            for problem in problems:
                _fail(f"{problem} (file refused)")
            return 1
        if not runs:
            print(f"{workshop}: no past runs in {RUNS_DIR}/{workshop}/")
            continue
        used: set[str] = set()
        for page in sorted((site.docs / workshop).rglob("*.md")):
            if _TRANSLATION.search(page.name):
                continue
            relative = page.relative_to(site.docs).as_posix()
            text = page.read_text(encoding="utf-8")
            for block in read_blocks(text):
                mine = runs_of(runs, page_of(relative), block.id)
                if not mine:
                    continue
                used.update(run["_file"] for run in mine)
                status = max(status, _learn(site, page, relative, text, block, mine, args.write))
        for run in runs:
            if run["_file"] not in used:
                print(f"{run['_file']}: matches no timing table of {site.docs.name}/{workshop}/ "
                      f"(agenda '{run['agenda']['id']}' on '{run['agenda']['page']}'); not used", file=sys.stderr)
    return status


def _learn(site, page: Path, relative: str, text: str, block, runs: list[dict], write: bool) -> int:
    shown = f"{site.docs.name}/{relative}"
    if block.error or block.agenda is None or block.agenda.errors:
        _fail(f"{shown}: timing table '{block.id}' has errors; fix them first ('workshop check --only timing')")
        return 1
    agenda = block.agenda
    timed = [(i, row_title(row), row.duration.seconds, row.kind) for i, row in enumerate(agenda.timed_rows)]
    figures = row_figures(timed, runs)
    proposal = propose(agenda, figures)
    positions = [n for n, row in enumerate(agenda.rows) if not row.is_day_marker]
    dates = ", ".join(sorted(run["date"] for run in runs))
    print(f"{shown} · {block.title or block.id} ({block.id}) · {len(runs)} run(s): {dates}")
    width = max([len("Session")] + [len(f.title) for f in figures])
    print(f"  {'Session'.ljust(width)}  {'Planned':>8}  {'Median':>8}  {'p80':>8}  {'Runs':>4}  {'Proposed':>8}")
    for figure, position in zip(figures, positions, strict=False):
        print(f"  {figure.title.ljust(width)}  {_minutes(figure.planned):>8}  {_minutes(figure.median):>8}  "
              f"{_minutes(figure.p80):>8}  {len(figure.samples):>4}  {_minutes(proposal.durations[position]):>8}")
    questions = sorted(held(run) for run in runs)
    if any(questions):
        print(f"  Questions (unplanned): {_minutes(statistics.median(questions))} per run (median), "
              f"at most {_minutes(questions[-1])}")
    for note in proposal.notes:
        print(f"  Note: {note}")
    if not write:
        return 0
    if proposal.problem:
        _fail(f"{shown}: timing table '{block.id}' not rewritten: {proposal.problem}")
        return 1
    cells = time_cells(agenda, proposal.durations)
    targets = [page] + sorted(page.parent.glob(page.name[:-3] + ".*.md"))
    rewritten: dict[Path, str] = {}
    for target in targets:
        if target != page and not _TRANSLATION.search(target.name):
            continue
        source = target.read_text(encoding="utf-8") if target != page else text
        twin = next((b for b in read_blocks(source) if b.number == block.number), None)
        name = f"{site.docs.name}/{target.relative_to(site.docs).as_posix()}"
        if twin is None or twin.agenda is None or len(twin.row_lines) != len(block.row_lines):
            _fail(f"{name}: its timing table {block.number} does not have the rows of {shown}'s; not rewritten")
            return 1
        new = rewrite_time_cells(source, twin, cells)
        check = next(b for b in read_blocks(new) if b.number == block.number)
        if check.error or check.agenda is None or check.agenda.errors:
            problems = check.error or "; ".join(str(p) for p in (check.agenda.errors if check.agenda else []))
            _fail(f"{name}: the proposal would not pass the timing validation ({problems}); not rewritten")
            return 1
        rewritten[target] = new
    for target, new in rewritten.items():
        name = f"{site.docs.name}/{target.relative_to(site.docs).as_posix()}"
        if new == target.read_text(encoding="utf-8"):
            print(f"  {name}: unchanged (already the proposal)")
            continue
        target.write_text(new, encoding="utf-8")
        print(f"  {name}: timing table rewritten with the proposal")
    return 0
