"""The suite's xdist settings keep an example tour whole and in order.

An example module is a tour: its tests share one copy of the project and build on each other's
steps. `--dist loadfile` (in pyproject's addopts) sends a file's tests to one worker; the
`loadgroup` mode cannot be used for this, as pytest-xdist 3.8 renames node ids in a way
pytest 9.2 ignores.
"""

import tomllib
from pathlib import Path

TOUR = """
import pytest

pytestmark = pytest.mark.example
steps = []


@pytest.mark.parametrize("step", range(8))
def test_step(step):
    steps.append(step)
    assert steps == list(range(step + 1)), "a step ran without the ones before it"
"""
ADDOPTS = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"][
    "addopts"]


def test_an_example_tour_runs_whole_and_in_order_under_xdist(pytester):
    pytester.makeini(f"[pytest]\nmarkers =\n    example: an example tour\naddopts = {ADDOPTS}\n")
    pytester.makepyfile(test_tour=TOUR)
    result = pytester.runpytest_subprocess("-n", "2")
    result.assert_outcomes(passed=8)


def test_separate_files_still_spread_over_workers(pytester):
    pytester.makeini(f"[pytest]\naddopts = {ADDOPTS}\n")
    for name in "abcd":
        pytester.makepyfile(**{f"test_{name}": "def test_one():\n    pass\n\ndef test_two():\n    pass\n"})
    result = pytester.runpytest_subprocess("-n", "2", "-v")
    result.assert_outcomes(passed=8)
    assert "[gw0]" in result.stdout.str() and "[gw1]" in result.stdout.str()
