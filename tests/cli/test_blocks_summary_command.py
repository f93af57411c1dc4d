"""`workshop blocks-summary`: the shards' JUnit reports merged into one Markdown table."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).parents[2]
FIXTURE = ROOT / "tests/fixtures/blocks-site"

# The speaker guide's session is not in the report: deselected, as unchanged since it last passed.
GITOPS = """<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest tests"><testsuite name="gitops-dvc" errors="0" failures="0" skipped="1" tests="3" time="245.5">
<testcase classname="docs.gitops-dvc.handout.md" name="session[pokemon-dvc]" time="200.100"><properties>
  <property name="wk_kind" value="session"/><property name="wk_blocks" value="18"/>
  <property name="wk_workshop" value="gitops-dvc"/></properties></testcase>
<testcase classname="docs.gitops-dvc.handout.md" name="line 40 [bash]" time="0.001"><properties>
  <property name="wk_kind" value="skip"/><property name="wk_reason" value="needs a DVC Studio account"/>
  <property name="wk_workshop" value="gitops-dvc"/></properties>
  <skipped type="pytest.skip" message="Not run in CI: needs a DVC Studio account">...</skipped></testcase>
</testsuite></testsuites>
"""

HALF_DAY = """<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest tests"><testsuite name="half-day-lab" errors="0" failures="1" skipped="0" tests="1" time="61">
<testcase classname="docs.half-day-lab.handout.md" name="session[landuse-lab]" time="50.000"><properties>
  <property name="wk_kind" value="session"/><property name="wk_blocks" value="12"/>
  <property name="wk_workshop" value="half-day-lab"/><property name="wk_passed" value="6"/>
  <property name="wk_failed" value="2"/>
  <property name="wk_never_ran" value="['docs/half-day-lab/handout.md:90', 'docs/half-day-lab/handout.md:99']"/>
  </properties><failure message="docs/half-day-lab/handout.md:80: the output of 'python train.py' is not what the page shows&#10;block (console, line 80):">docs/half-day-lab/handout.md:80: the output of 'python train.py' is not what the page shows
block (console, line 80):</failure></testcase>
</testsuite><testsuite name="examples-landuse-lab" errors="0" failures="1" skipped="0" tests="2" time="11.2">
<testcase classname="examples.landuse-lab.tests.test_landuse_lab" name="test_one" time="5.000"/>
<testcase classname="examples.landuse-lab.tests.test_landuse_lab" name="test_two" time="6.000">
  <failure message="AssertionError: assert 'accuracy' in '' | x">def test_two(): ...</failure></testcase>
</testsuite></testsuites>
"""  # noqa: E501 - a JUnit report as pytest writes it, its failure message on one line


def site_rows() -> list[dict]:
    from workshop_kit.cli.blocks import list_blocks

    return list_blocks(ROOT)


def counts(workshop_name: str) -> tuple[int, int, int]:
    """(found, skipped, run) of a workshop's blocks, as `workshop blocks` lists the real site."""
    rows = [r for r in site_rows() if r["page"].startswith(f"docs/{workshop_name}/")
            or (workshop_name == "rest" and r["page"].count("/") == 1)]
    return len(rows), sum(r["status"] == "skipped" for r in rows), sum(r["status"] == "run" for r in rows)


def run_on(page: str) -> int:
    """The blocks run on a page and on its French twin (one session each here)."""
    twins = {page, page.replace(".md", ".fr.md")}
    return sum(r["status"] == "run" for r in site_rows() if r["page"] in twins)


def table_row(out: str, name: str) -> list[str]:
    [line] = [line for line in out.splitlines() if line.startswith(f"| {name} |")]
    return [cell.strip() for cell in line.strip("|").split(" | ")][1:]


def test_reports_of_two_shards_make_one_table(workshop, tmp_path):
    (tmp_path / "gitops.xml").write_text(GITOPS)
    (tmp_path / "half.xml").write_text(HALF_DAY)
    code, out, err = workshop("blocks-summary", "-f", str(ROOT / "mkdocs.yml"), str(tmp_path / "gitops.xml"),
                              str(tmp_path / "half.xml"))
    assert code == 0 and err == ""
    assert out.startswith("## Code blocks of the site\n\n| workshop | found | run | passed | failed | cached | skipped "
                          "| example tests | shard time |\n")
    found, skipped, run = counts("gitops-dvc")
    handout = run_on("docs/gitops-dvc/handout.md")
    assert 0 < handout < run
    assert table_row(out, "gitops-dvc") == [str(found), str(handout), str(handout), "0", str(run - handout),
                                            str(skipped), "-", "4 min 06 s"]
    found, skipped, run = counts("half-day-lab")
    cached = run - run_on("docs/half-day-lab/handout.md")  # the notebooks' sessions
    assert table_row(out, "half-day-lab") == [str(found), "8", "6", "2", str(cached), str(skipped), "-", "1 min 01 s"]
    assert table_row(out, "examples-landuse-lab") == ["-"] * 6 + ["1 passed, 1 failed", "11 s"]
    for name in ("ml-tooling-day", "notebook-to-pipeline", "rock-paper-scissors"):
        assert table_row(out, name)[1:5] == ["0"] * 4
        assert table_row(out, name)[-1] == "**no report** (the shard did not finish)"
    for name in ("examples-dvc-prefect", "examples-mlflow-optuna", "examples-pokemon-dvc"):
        assert table_row(out, name) == ["-"] * 7 + ["**no report** (the shard did not finish)"]
    names = [line.split(" | ")[0][2:] for line in out.splitlines() if line.startswith("| ") and " --- " not in line]
    assert names[1:] == ["gitops-dvc", "half-day-lab", "ml-tooling-day", "notebook-to-pipeline", "rock-paper-scissors",
                         "rest", "examples-dvc-prefect", "examples-landuse-lab", "examples-mlflow-optuna",
                         "examples-pokemon-dvc", "examples-rock-paper-scissors", "**total**"]
    found, skipped, _ = counts("rest")
    assert table_row(out, "rest") == [str(found), "0", "0", "0", "0", str(skipped), "-", "-"], "no shard, no report due"
    assert table_row(out, "**total**")[1:4] == [str(handout + 8), str(handout + 6), "2"]
    assert table_row(out, "**total**")[-1] == "longest 4 min 06 s"
    failed = out.split("### Failed (2)\n\n")[1].split("\n\n")[0].splitlines()
    assert failed == [
        "- **half-day-lab**: docs/half-day-lab/handout.md:80: "
        "the output of 'python train.py' is not what the page shows",
        "- **examples-landuse-lab**: examples.landuse-lab.tests.test_landuse_lab::test_two: AssertionError: assert "
        "'accuracy' in '' \\| x",
    ]
    assert "### Never ran, after a failed block of their session (2)\n\n- docs/half-day-lab/handout.md:90\n" in out
    reasons = Counter(r["reason"] for r in site_rows() if r["status"] == "skipped")
    assert f"<details><summary>Not run in CI, with the pages' reasons ({sum(reasons.values())} blocks)</summary>" in out
    assert f"- {reasons['needs a DVC Studio account']} × needs a DVC Studio account\n" in out


def test_a_report_without_suite_names_is_attributed_by_path(workshop, tmp_path):
    """One unsharded run (`pytest --junitxml` without -o junit_suite_name): sessions go to their
    workshop, tours to their project's shard."""
    (tmp_path / "all.xml").write_text(GITOPS.replace('name="gitops-dvc"', 'name="pytest"').replace(
        "</testsuite>", '<testcase classname="examples.pokemon-dvc.tests.test_pokemon_dvc" name="test_repro" '
                        'time="45.000"/></testsuite>'))
    code, out, _ = workshop("blocks-summary", "-f", str(ROOT / "mkdocs.yml"), str(tmp_path / "all.xml"))
    handout = run_on("docs/gitops-dvc/handout.md")
    assert code == 0 and table_row(out, "gitops-dvc")[1:3] == [str(handout)] * 2
    assert table_row(out, "examples-pokemon-dvc") == ["-"] * 6 + ["1 passed", "-"]
    assert "(no shard)" not in out


def test_missing_and_unreadable_reports_are_named_not_fatal(workshop, tmp_path):
    (tmp_path / "broken.xml").write_text("<testsuite name='gitops-dvc'>")
    code, out, err = workshop("blocks-summary", "-f", str(ROOT / "mkdocs.yml"), str(tmp_path / "broken.xml"),
                              str(tmp_path / "gone.xml"))
    assert code == 0 and err == ""
    assert f"### Reports that could not be read\n\n- {tmp_path / 'broken.xml'}: not a JUnit XML report" in out
    assert f"### Report files not found\n\n- {tmp_path / 'gone.xml'}" in out
    assert table_row(out, "gitops-dvc")[-1].startswith("**no report**")


def test_no_report_at_all_still_lists_every_shard(workshop, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, _ = workshop("blocks-summary")
    assert code == 0
    assert sum("**no report**" in line for line in out.splitlines()) == 10, "5 workshops, 5 example projects"


def pytest_run(site: Path, report: str, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", f"--junitxml={report}", "-o", "junit_suite_name=demo",
                           *args, "docs/demo"], cwd=site, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_the_plugin_s_own_junit_reports_make_the_table(workshop, tmp_path):
    """End to end: real pytest runs of a one-workshop site, cold on two workers then warm."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site)
    (site / "docs/demo").mkdir()
    (site / "docs/index.md").rename(site / "docs/demo/index.md")
    (site / "pytest.ini").write_text("[pytest]\ntestpaths = docs\n")
    code, out, _ = workshop("blocks", "-f", str(site / "mkdocs.yml"), "--format", "matrix")
    assert json.loads(out) == {"include": [{"workshop": "demo", "paths": "docs/demo"}]}
    pytest_run(site, "cold.xml", "-n", "2")
    pytest_run(site, "warm.xml")
    code, out, err = workshop("blocks-summary", "-f", str(site / "mkdocs.yml"), str(site / "cold.xml"))
    assert code == 0 and err == ""
    row = table_row(out, "demo")
    assert row[:7] == ["9", "8", "8", "0", "0", "1", "-"] and re.fullmatch(r"\d+ s|\d+ min \d\d s", row[7]), out
    # Warm: the session is deselected as unchanged, the report names only the skipped block.
    code, out, _ = workshop("blocks-summary", "-f", str(site / "mkdocs.yml"), str(site / "warm.xml"))
    assert table_row(out, "demo")[:6] == ["9", "0", "0", "0", "8", "1"], out
