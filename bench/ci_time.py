"""Where a full test run's time goes, from its JUnit XML: seconds per kind of test, summed over
xdist's workers, and the longest items.

    PYTEST_ADDOPTS="--junitxml=/tmp/ci.xml" CI=true bash .ci/run   # in a clean clone
    python bench/ci_time.py /tmp/ci.xml --wall 1834 --note "clean clone, alone on the machine"

Writes bench/results/ci-time.md. The sums are worker-seconds: with 2 workers the wall time of the
pytest run is about half their total, plus the imbalance at the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "ci-time.md"

# First match wins: (kind, pattern over "classname::name" as JUnit writes it).
KINDS = [
    ("block sessions (docs/ pages)", re.compile(r"^docs[./]")),
    ("example projects' own tests", re.compile(r"^examples[./]")),
    ("platform resolution (network)", re.compile(r"test_platform_resolution")),
    ("participant replay (browser)", re.compile(r"test_replay_")),
    ("fresh machine (make serve / make site)", re.compile(r"test_fresh_machine")),
    ("other browser tests", re.compile(r"tests[./]browser")),
    ("site builds and gates", re.compile(r"tests[./](gates|test_site_build|test_plugin_build|test_generators)")),
    ("block runner and pytest plugin", re.compile(r"tests[./]blocks")),
    ("security corpus", re.compile(r"tests[./]security")),
    ("everything else", re.compile(r"")),
]


def kind_of(test_id: str) -> str:
    return next(kind for kind, pattern in KINDS if pattern.search(test_id))


def read(path: Path) -> list[tuple[str, float, str]]:
    """(test id, seconds, outcome) per test case."""
    cases = []
    for case in ET.parse(path).getroot().iter("testcase"):
        test_id = f"{case.get('classname', '')}::{case.get('name', '')}"
        outcome = "failed" if case.find("failure") is not None or case.find("error") is not None else (
            "skipped" if case.find("skipped") is not None else "passed")
        cases.append((test_id, float(case.get("time") or 0), outcome))
    return cases


def report(cases: list[tuple[str, float, str]], wall: float | None, note: str) -> str:
    by_kind: dict[str, list[float]] = defaultdict(list)
    for test_id, seconds, _ in cases:
        by_kind[kind_of(test_id)].append(seconds)
    total = sum(seconds for _, seconds, _ in cases)
    outcomes = defaultdict(int)
    for _, _, outcome in cases:
        outcomes[outcome] += 1
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    lines = [
        "# Where the test suite's time goes",
        "",
        f"Measured {date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores ({cpu}), "
        f"CPython {platform.python_version()}; {note}.",
        "",
        f"{len(cases)} test items: {outcomes['passed']} passed, {outcomes['failed']} failed, "
        f"{outcomes['skipped']} skipped. Worker-seconds in all: {total:.0f} s"
        + (f"; the `.ci/run` wall time: {wall / 60:.1f} min." if wall else "."),
        "",
        "| Kind | Items | Worker-seconds | Share |",
        "| --- | ---: | ---: | ---: |",
    ]
    for kind, _ in KINDS:
        times = by_kind.get(kind, [])
        if times:
            lines.append(f"| {kind} | {len(times)} | {sum(times):.0f} | {100 * sum(times) / total:.0f} % |")
    lines += ["", "The 15 longest items:", "", "| Item | Seconds |", "| --- | ---: |"]
    for test_id, seconds, _ in sorted(cases, key=lambda case: -case[1])[:15]:
        lines.append(f"| `{test_id}` | {seconds:.0f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("junit", type=Path)
    parser.add_argument("--wall", type=float, help="the whole run's wall time in seconds")
    parser.add_argument("--note", default="a full run", help="how it was run (clean clone, what else ran)")
    args = parser.parse_args()
    RESULTS.write_text(report(read(args.junit), args.wall, args.note))
    print(RESULTS.read_text())


if __name__ == "__main__":
    main()
