"""The build-free checks and the timing parser alone."""

from __future__ import annotations

from common import ROOT, median, timed


def bench_parse() -> tuple[str, str]:
    """Timing-table parsing and validation alone, on a 200-row agenda."""
    from workshop_kit.extensions.timing import parse_agenda

    lines = ["| Time | Session | Kind |", "| --- | --- | --- |"] + [f"| 5 min | Row {i} | talk |" for i in range(200)]
    times = timed(lambda: parse_agenda(lines, start="00:00"), 50)
    return "parse + validate a 200-row agenda", f"median {median(times) * 1000:.2f} ms over 50 runs"


def bench_check() -> tuple[str, str]:
    """`workshop check` on the whole site: the issue's target is seconds, so it can run on every save."""
    from workshop_kit.checks import run_checks
    from workshop_kit.checks.site import read_site

    pages = len(read_site(ROOT).pages())
    times = timed(lambda: run_checks(ROOT), 5)
    return "`workshop check`, whole site (all checks)", f"median {median(times):.2f} s over 5 runs, {pages} pages"
