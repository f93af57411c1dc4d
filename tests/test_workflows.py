"""GitHub Actions workflows: valid against the vendored schema (offline), and wired as documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[1]
WORKFLOWS = sorted(path for pattern in (".github/workflows/*.y*ml", "examples/*/.github/workflows/*.y*ml")
                   for path in ROOT.glob(pattern))
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", str(path)],
                          capture_output=True, text=True)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_workflow_matches_the_github_workflow_schema(workflow):
    result = validate(workflow)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  test:\n    steps:\n      - run: make test\n")  # no runs-on
    assert validate(broken).returncode != 0


def test_the_site_workflow_tests_every_change_and_publishes_main_only():
    workflow = yaml.load((ROOT / ".github/workflows/site.yml").read_text(), Loader=yaml.BaseLoader)
    triggers, jobs = workflow["on"], workflow["jobs"]
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
    assert any(step.get("run") == ".ci/run" for step in jobs["test"]["steps"]), "tests run as CI runs them"
    assert jobs["build"]["needs"] == "test" and "refs/heads/main" in jobs["build"]["if"]
    build = next(step for step in jobs["build"]["steps"] if step.get("run", "").startswith("make site"))
    assert "workshop links site --site-path" in build["run"], "the published build's links are checked"
    assert build["env"]["SITE_URL"].startswith("${{ steps.pages.outputs.base_url }}")
    uses = [step.get("uses", "") for step in jobs["build"]["steps"] + jobs["deploy"]["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["permissions"] == {"contents": "read"}, "least privilege outside the deploy job"
