"""Benchmarks: figures are written to bench/results/, never asserted by the tests.

    make bench            # all benchmarks
    python bench/run.py build parse
"""

from __future__ import annotations

import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).parents[1]
RESULTS = Path(__file__).parent / "results" / "latest.md"
sys.path.insert(0, str(ROOT / "src"))


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def bench_build() -> tuple[str, str]:
    """The whole site, strictly, as `make site` builds it."""
    from workshop_kit.pytest_plugin import build_site

    with tempfile.TemporaryDirectory() as out:
        def run():
            result = build_site(ROOT / "mkdocs.yml", Path(out))
            if result.returncode:
                raise SystemExit(result.stderr)
        times = timed(run, 3)
    return "strict site build (both languages)", f"median {statistics.median(times):.2f} s over 3 runs"


def bench_parse() -> tuple[str, str]:
    """Timing-table parsing and validation alone, on a 200-row agenda."""
    from workshop_kit.timing import parse_agenda

    lines = ["| Time | Session | Kind |", "| --- | --- | --- |"] + [f"| 5 min | Row {i} | talk |" for i in range(200)]
    times = timed(lambda: parse_agenda(lines, start="00:00"), 50)
    return "parse + validate a 200-row agenda", f"median {statistics.median(times) * 1000:.2f} ms over 50 runs"


def bench_check() -> tuple[str, str]:
    """`workshop check` on the whole site: the issue's target is seconds, so it can run on every save."""
    from workshop_kit.checks import run_checks
    from workshop_kit.checks.site import read_site

    pages = len(read_site(ROOT).pages())
    times = timed(lambda: run_checks(ROOT), 5)
    return "`workshop check`, whole site (all checks)", f"median {statistics.median(times):.2f} s over 5 runs, {pages} pages"


def bench_pokemon_repro() -> tuple[str, str]:
    """examples/pokemon-dvc: `dvc repro` of the four stages from scratch, default data size (300 sprites)."""
    from workshop_kit.example_project import ExampleProject

    times = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as root:
            project = ExampleProject(ROOT / "examples" / "pokemon-dvc", Path(root))
            project.run("bash scripts/as_workshop_clone.sh --with-dvc")
            project.run("python scripts/generate_data.py --output data/external && dvc add -q data/external")
            start = time.perf_counter()
            project.run("dvc repro -q")
            times.append(time.perf_counter() - start)
    return "pokemon-dvc `dvc repro`, four stages from scratch", f"median {statistics.median(times):.1f} s over 3 runs"


def bench_block_sessions() -> tuple[str, str]:
    """Every code block of the site, cold (no pass cache), as CI on a clean clone runs them."""
    import subprocess

    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "docs", "-q", "-n", "auto", "--no-block-cache",
                           "-p", "no:cacheprovider"], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stdout[-3000:])
    return "all block sessions of the site, cold, `-n auto`", f"{time.perf_counter() - start:.0f} s (one run)"


BENCHMARKS = {"build": bench_build, "parse": bench_parse, "check": bench_check, "repro": bench_pokemon_repro,
              "blocks": bench_block_sessions}


def previous_rows() -> dict[str, str]:
    """Figures of the last run, so that running one benchmark keeps the others' figures."""
    if not RESULTS.exists():
        return {}
    rows = [line.strip("|").split(" | ") for line in RESULTS.read_text().splitlines() if line.startswith("| ")]
    return {name.strip(): value.strip() for name, value in rows[1:] if not name.strip().startswith("---")}


def main(names: list[str]) -> None:
    fresh = dict(BENCHMARKS[name]() for name in (names or BENCHMARKS))
    rows = list({**previous_rows(), **fresh}.items())
    machine = f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}, " \
              f"{len(__import__('os').sched_getaffinity(0))} cores"
    lines = ["# Benchmark results", "", f"Last run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {machine}; "
             "figures of benchmarks not run then are kept from earlier runs.", "",
             "| Benchmark | Result |", "| --- | --- |"] + [f"| {name} | {value} |" for name, value in rows]
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
