"""Benchmarks: figures are written to bench/results/latest.md and into the README, never asserted.

make bench                    # all benchmarks (about 30 minutes: the blocks cold then warm, the room)
python bench/run.py build check weight
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
from datetime import UTC, datetime

import examples
import site_build
import weight
import yolo
from common import ROOT

import blocks
import checks
import room

RESULTS = ROOT / "bench" / "results" / "latest.md"
STORE = ROOT / "bench" / "results" / "latest.json"
README = ROOT / "README.md"
BENCHMARKS = {
    "build": site_build.bench_build, "overhead": site_build.bench_overhead, "scaling": site_build.bench_scaling,
    "parse": checks.bench_parse, "check": checks.bench_check, "weight": weight.bench_weight,
    "blocks": blocks.bench_blocks, "xdist": blocks.bench_xdist, "repro": examples.bench_pokemon_repro,
    "room": room.bench_room, "yolo": yolo.bench_yolo,
}
_README_BLOCK = re.compile(r"(<!-- bench:start -->\n).*?(<!-- bench:end -->)", re.S)


def previous_results() -> dict[str, list[str]]:
    """Figures of earlier runs by benchmark, so that running one benchmark keeps the others'."""
    return json.loads(STORE.read_text()) if STORE.exists() else {}


def main(names: list[str]) -> None:
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        raise SystemExit(f"unknown benchmark(s) {', '.join(unknown)}; choose from: {', '.join(BENCHMARKS)}")
    results = previous_results()
    machine = (f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
               f"{len(os.sched_getaffinity(0))} cores, "
               f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB")
    for name in names or BENCHMARKS:
        label, value = BENCHMARKS[name]()
        results[name] = [label, value, f"{datetime.now(UTC):%Y-%m-%d}"]
    STORE.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    table = [f"Figures from {machine}; each row says the day it was measured.", "",
             "| Benchmark | Result | Measured |", "| --- | --- | --- |"]
    table += [f"| {results[name][0]} | {results[name][1]} | {results[name][2]} |"
              for name in BENCHMARKS if name in results]
    RESULTS.write_text("# Benchmark results\n\n" + "\n".join(table) + "\n")
    readme = README.read_text()
    if _README_BLOCK.search(readme):
        README.write_text(_README_BLOCK.sub(lambda m: m.group(1) + "\n".join(table) + "\n" + m.group(2), readme))
    print("\n".join(table))


if __name__ == "__main__":
    main(sys.argv[1:])
