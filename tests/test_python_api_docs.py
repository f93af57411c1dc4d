"""PYTHON_API.md's examples are run by pytest-markdown-docs, and a broken example fails.

The workshop pages belong to the block runner; the project's own Python API documentation
(PYTHON_API.md, outside docs/) belongs to pytest-markdown-docs, run here in a pytest of its own
so that its collection of Markdown files (`--markdown-docs`) covers that file alone.
"""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).parents[1]
PAGE = REPO / "PYTHON_API.md"
FENCE = re.compile(r"^```python\b", re.MULTILINE)


def markdown_docs(path: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, list]:
    report = tmp_path / f"{path.stem}.xml"
    command = [sys.executable, "-m", "pytest", "--markdown-docs", "-p", "no:cacheprovider", "-n", "0", "-q",
               "-c", str(REPO / "pyproject.toml"), "--rootdir", str(REPO), f"--junitxml={report}", str(path)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    cases = ET.parse(report).getroot().iter("testcase") if report.is_file() else []
    return done, list(cases)


def test_every_python_example_of_the_api_page_is_collected_and_passes(tmp_path):
    done, cases = markdown_docs(PAGE, tmp_path)
    assert done.returncode == 0, done.stdout[-3000:]
    fences = len(FENCE.findall(PAGE.read_text()))
    assert fences >= 8
    assert len(cases) == fences, f"{len(cases)} collected for {fences} python fences"
    assert all(case.find("failure") is None and case.find("skipped") is None for case in cases)
    # Both of its features the page uses: `continuation` and a fixture of our pytest plugin.
    assert "```python continuation" in PAGE.read_text() and "```python fixture:example_project" in PAGE.read_text()


def test_a_broken_example_fails_at_its_line(tmp_path):
    text = PAGE.read_text()
    broken = text.replace('assert format_duration(4500) == "1 h 15"', 'assert format_duration(4500) == "1 h 16"')
    assert broken != text
    page = tmp_path / "PYTHON_API.md"
    page.write_text(broken)
    done, cases = markdown_docs(page, tmp_path)
    assert done.returncode == 1
    failed = [case for case in cases if case.find("failure") is not None]
    line = next(number for number, content in enumerate(broken.splitlines(), 1) if '"1 h 16"' in content)
    assert len(failed) == 1 and f'line {line}, in <module>' in failed[0].find("failure").text


def test_a_continuation_runs_in_the_namespace_of_the_block_before(tmp_path):
    page = tmp_path / "continuation.md"
    page.write_text("```python\nvalue = 41\n```\n\n```python continuation\nassert value + 1 == 42\n```\n\n"
                    "```python\nassert 'value' not in globals()\n```\n")
    done, cases = markdown_docs(page, tmp_path)
    assert done.returncode == 0 and len(cases) == 3, done.stdout[-2000:]
