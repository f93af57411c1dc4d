"""Merge the JUnit XML reports of the shards into one Markdown table: per workshop, the blocks
found, run, passed, failed, cached (unchanged since they last passed) and skipped; per example
project, its tours (`examples-<project>`); and each shard's wall time. Then what failed, the
blocks that never ran after a failure, and the skip reasons. For `$GITHUB_STEP_SUMMARY`.

Each shard runs `pytest --junitxml=FILE -o junit_suite_name=<workshop>`: the suite name tells the
shard. The sessions, their blocks, and the blocks found and skipped come from the site itself (as
`workshop blocks` reads it), each session's result from the report (and what became of the blocks
of a failed one from the properties the pytest plugin records, wk_*). A session a reporting shard
does not name was deselected as unchanged since it last passed: it counts as cached. A shard
expected from the site that never reported shows as such. Exits 0 once the table is written, 2
when there is no site.

Examples:
  workshop blocks-summary reports/*.xml >> "$GITHUB_STEP_SUMMARY"
  workshop blocks-summary -f mkdocs.yml blocks-gitops-dvc.xml
"""

from __future__ import annotations

import argparse
import ast
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .blocks import REST, TOURS, shards, site_rows, workshop_of
from .site import add_config_option, site_and_scope

HELP = "merge the block shards' JUnit XML reports into one Markdown table (for $GITHUB_STEP_SUMMARY)"
CACHED = "unchanged since it last passed"  # an older plugin skipped (not deselected) such a session
MAX_FAILURES = 30


def arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("reports", nargs="*", type=Path, metavar="JUNIT_XML",
                     help="the shards' reports (pytest --junitxml); a missing file is named in the summary")
    add_config_option(sub)


@dataclass
class Row:
    found: int = 0
    skipped: int = 0
    run: int = 0
    passed: int = 0
    failed: int = 0
    cached: int = 0
    sessions: int = 0  # session items reported
    tests: Counter = field(default_factory=Counter)  # the shard's other tests (example projects): outcome -> n
    wall: float | None = None  # the shard's pytest run, seconds
    never_ran: list[str] = field(default_factory=list)

    @property
    def reported(self) -> bool:
        return self.wall is not None or self.sessions > 0 or sum(self.tests.values()) > 0


@dataclass
class Case:
    page: str  # the page, or the test's node id for other tests
    name: str
    outcome: str  # passed, failed, skipped
    text: str  # the failure's first line, or the skip message
    props: dict[str, str]


def _outcome(case: ET.Element) -> tuple[str, str]:
    for tag in ("failure", "error"):
        node = case.find(tag)
        if node is not None:  # the message: the crash line of a test, the whole report of a session
            lines = (node.get("message") or "").strip().splitlines() or (node.text or "").strip().splitlines()
            return "failed", lines[0] if lines else tag
    node = case.find("skipped")
    if node is not None:
        return "skipped", node.get("message") or ""
    return "passed", ""


def read_report(path: Path) -> list[tuple[str, float, list[Case]]]:
    """(suite name, wall time, cases) for each test suite of a JUnit XML file."""
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    result = []
    for suite in suites:
        cases = []
        for case in suite.iter("testcase"):
            outcome, text = _outcome(case)
            props = {p.get("name") or "": p.get("value") or "" for p in case.findall("properties/property")}
            classname, name = case.get("classname") or "", case.get("name") or ""
            # A collection error has the file as its name and no class name.
            cases.append(Case(classname or name, name if classname else "", outcome, text, props))
        result.append((suite.get("name") or "", float(suite.get("time") or 0), cases))
    return result


def _count(row: Row, case: Case) -> None:
    blocks = int(case.props.get("wk_blocks") or 0)
    row.sessions += 1
    if case.outcome == "passed":
        row.run += blocks
        row.passed += blocks
    elif case.outcome == "skipped" and (case.props.get("wk_cached") or CACHED in case.text):
        row.cached += blocks
    elif case.outcome == "failed" and "wk_failed" in case.props:
        passed, failed = int(case.props.get("wk_passed") or 0), int(case.props["wk_failed"])
        row.run += passed + failed
        row.passed += passed
        row.failed += failed
        try:
            row.never_ran += list(ast.literal_eval(case.props.get("wk_never_ran") or "[]"))
        except (ValueError, SyntaxError):
            pass
    elif case.outcome == "failed":  # failed before its first block (its setup, the project's copy)
        row.failed += 1


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def _cell(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def _tests(counts: Counter) -> str:
    return ", ".join(f"{counts[o]} {o}" for o in ("passed", "failed", "skipped") if counts[o]) or "-"


def _sessions(site) -> dict[tuple[str, str], tuple[str, int]]:
    """(JUnit class name of the page, item name) -> (workshop, blocks) of every session of the
    site, under the page it runs on (the first that shows it); blocks count every page showing it."""
    from ..blocks.index import read_site

    blocks = read_site(site.root, site.docs, site.examples, site.snippets, None, site.kits, site.repo_url)
    sessions: dict[tuple[str, str], tuple[str, int]] = {}
    for entry in blocks.entries.values():
        page = entry.pages[0]
        key = (str(page).replace("/", "."), f"session[{entry.session.project}]")
        workshop, count = sessions.get(key, (workshop_of(site, page), 0))
        sessions[key] = (workshop, count + len(entry.session.blocks) * len(entry.pages))
    return sessions


def summary(site, scope, reports: list[Path]) -> list[str]:
    rows_of_site = site_rows(site, scope)
    entries = shards(site, rows_of_site)
    expected = {entry["workshop"] for entry in entries}
    prefixes = [(entry["workshop"], path.replace("/", ".")) for entry in entries for path in entry["paths"].split()]

    def shard_of(dotted: str) -> str | None:
        """The shard whose paths hold a test file (a JUnit class name), for a report without suite name."""
        return next((name for name, prefix in prefixes if dotted == prefix or dotted.startswith(prefix + ".")), None)

    by_class = {str(page.relative_to(site.root)).replace("/", "."): page.relative_to(site.root).as_posix()
                for page in site.pages()}
    sessions = _sessions(site)
    rows: dict[str, Row] = {}
    for block in rows_of_site:
        row = rows.setdefault(workshop_of(site, block["page"]), Row())
        row.found += 1
        row.skipped += block["status"] == "skipped"
    for name in expected:
        rows.setdefault(name, Row())
    problems: list[str] = []
    failures: list[str] = []
    seen: set[tuple[str, str]] = set()  # the sessions the reports name
    broken: set[str] = set()  # workshops with a page that could not be collected
    covered: set[str] = set()  # workshops whose shard reported: their missing sessions were deselected
    for path in reports:
        try:
            suites = read_report(path)
        except (OSError, ET.ParseError) as err:
            problems.append(f"{path}: not a JUnit XML report ({' '.join(str(err).split())})")
            continue
        for suite_name, wall, cases in suites:
            shard = suite_name if suite_name in expected else None
            if shard is not None:
                covered.add(shard)
                rows[shard].wall = (rows[shard].wall or 0) + wall
            for case in cases:
                page = by_class.get(case.page)
                if case.props.get("wk_kind") == "skip":
                    continue  # counted from the site itself, reported shard or not
                key = (case.page, case.name)
                if key in sessions or (case.props.get("wk_kind") == "session" and page is not None):
                    if key in sessions:
                        workshop = sessions[key][0]
                        case.props["wk_blocks"] = str(sessions[key][1])
                    else:
                        assert page is not None  # the condition above
                        workshop = workshop_of(site, page)
                    seen.add(key)
                    covered.add(workshop)
                    _count(rows.setdefault(workshop, Row()), case)
                    where = page or case.page
                else:
                    workshop = shard or shard_of(case.page) or (workshop_of(site, page) if page else "(no shard)")
                    if page is not None and not case.name:  # the page could not be collected
                        broken.add(workshop)
                    rows.setdefault(workshop, Row()).tests[case.outcome] += 1
                    where = page or "::".join(part for part in (case.page, case.name) if part)
                if case.outcome == "failed":
                    text = case.text if case.text.startswith(where) else f"{where}: {case.text}"
                    failures.append(f"- **{_cell(workshop)}**: {_cell(text)}")
    # A session a reporting shard does not name was deselected: unchanged since it last passed.
    for key, (workshop, blocks) in sessions.items():
        if key not in seen and workshop in covered and workshop not in broken:
            rows[workshop].cached += blocks
            rows[workshop].sessions += 1

    header = "| workshop | found | run | passed | failed | cached | skipped | example tests | shard time |"
    lines = ["## Code blocks of the site", "", header, "|" + " --- |" * 9]
    total = Row()
    for name in sorted(rows, key=lambda n: (n.startswith(TOURS), n == REST, n == "(no shard)", n)):
        row = rows[name]
        if name in expected and not row.reported:
            time = "**no report** (the shard did not finish)"
        elif row.wall is not None:
            time = _duration(row.wall)
        else:
            time = "-"
        counts = [row.found, row.run, row.passed, row.failed, row.cached, row.skipped]
        cells = ["-"] * 6 if name.startswith(TOURS) and not any(counts) else [str(n) for n in counts]
        lines.append(f"| {_cell(name)} | {' | '.join(cells)} | {_tests(row.tests)} | {time} |")
        for attr in ("found", "run", "passed", "failed", "cached", "skipped"):
            setattr(total, attr, getattr(total, attr) + getattr(row, attr))
        total.tests.update(row.tests)
        total.never_ran += row.never_ran
    walls = [row.wall for row in rows.values() if row.wall is not None]
    longest = f"longest {_duration(max(walls))}" if walls else "-"
    lines.append(f"| **total** | {total.found} | {total.run} | {total.passed} | {total.failed} | {total.cached} | "
                 f"{total.skipped} | {_tests(total.tests)} | {longest} |")
    lines += ["", "Blocks on a French page and its English twin run once; 'found' counts both pages. "
              "'cached': unchanged since they last passed, not run again."]
    if problems:
        lines += ["", "### Reports that could not be read", ""] + [f"- {_cell(p)}" for p in problems]
    if failures:
        lines += ["", f"### Failed ({len(failures)})", ""] + failures[:MAX_FAILURES]
        if len(failures) > MAX_FAILURES:
            lines.append(f"- ... and {len(failures) - MAX_FAILURES} more: see the shards' logs")
    never = sorted(set(total.never_ran))
    if never:
        lines += ["", f"### Never ran, after a failed block of their session ({len(never)})", ""]
        lines += [f"- {_cell(where)}" for where in never]
    reasons = Counter(block["reason"] for block in rows_of_site if block["status"] == "skipped")
    if reasons:
        lines += ["", f"<details><summary>Not run in CI, with the pages' reasons ({sum(reasons.values())} blocks)"
                      "</summary>", ""]
        lines += [f"- {count} × {_cell(reason)}" for reason, count in reasons.most_common()]
        lines += ["", "</details>"]
    return lines


def run(args: argparse.Namespace) -> int:
    site, _ = site_and_scope(None, args.config_file)
    missing = [path for path in args.reports if not path.is_file()]
    lines = summary(site, site.docs, [path for path in args.reports if path.is_file()])
    if missing:
        lines += ["", "### Report files not found", ""] + [f"- {_cell(str(path))}" for path in missing]
    print("\n".join(lines))
    return 0
