"""bench/ci_time.py sorts a run's JUnit XML into kinds of tests and adds them up."""

import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import ci_time  # noqa: E402 - bench/ is not a package

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
<testcase classname="docs.gitops-dvc.handout.md" name="gitops-dvc session" time="200.5"/>
<testcase classname="examples.pokemon-dvc.tests.test_tour" name="test_repro" time="100"/>
<testcase classname="tests.test_platform_resolution" name="test_requirements_resolve[a]" time="50"/>
<testcase classname="tests.browser.test_replay_en_browser" name="test_a_participant" time="30"/>
<testcase classname="tests.browser.test_copy_browser" name="test_copy" time="20"><skipped/></testcase>
<testcase classname="tests.test_fences" name="test_x" time="1"><failure message="no"/></testcase>
</testsuite></testsuites>
"""


def test_the_report_sorts_items_into_kinds_and_adds_them_up(tmp_path):
    path = tmp_path / "run.xml"
    path.write_text(JUNIT)
    cases = ci_time.read(path)
    assert [outcome for *_, outcome in cases] == ["passed"] * 4 + ["skipped", "failed"]
    text = ci_time.report(cases, 1800, "a test")
    assert "| block sessions (docs/ pages) | 1 | 200 | 50 % |" in text  # 200.5 of 401.5
    assert "| example projects' own tests | 1 | 100 | 25 % |" in text
    assert "| platform resolution (network) | 1 | 50 |" in text
    assert "| participant replay (browser) | 1 | 30 |" in text and "| other browser tests | 1 | 20 |" in text
    assert "| everything else | 1 | 1 |" in text
    assert "4 passed, 1 failed, 1 skipped" in text and "30.0 min" in text
    assert text.index("gitops-dvc session") < text.index("test_repro")  # longest first
