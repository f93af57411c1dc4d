"""`workshop blocks --format matrix`: the CI shards, one per workshop and one per example
project's tours, from the site itself. The real site's matrix against the workflow is in
tests/test_workflows.py."""

from __future__ import annotations

import json
import shutil


def matrix(workshop, site) -> list[dict]:
    code, out, err = workshop("blocks", "-f", str(site / "mkdocs.yml"), "--format", "matrix")
    assert code == 0 and err == "" and len(out.splitlines()) == 1, "one line, for $GITHUB_OUTPUT"
    return json.loads(out)["include"]


def test_a_shard_per_workshop_then_one_per_example_project(site_copy, workshop):
    entries = matrix(workshop, site_copy)
    workshops = [e for e in entries if not e["workshop"].startswith("examples-")]
    names = sorted(e["workshop"] for e in workshops)
    assert workshops == [{"workshop": name, "paths": f"docs/{name}"} for name in names]
    assert {"gitops-dvc", "half-day-lab", "ml-tooling-day", "notebook-to-pipeline", "rock-paper-scissors"} <= \
        {e["workshop"] for e in workshops}
    tours = entries[len(workshops):]
    assert {"workshop": "examples-pokemon-dvc", "paths": "examples/pokemon-dvc/tests"} in tours
    assert all(e["workshop"] == "examples-" + e["paths"].split("/")[1] for e in tours)
    assert "rest" not in [e["workshop"] for e in entries], "the pages right in docs/ run no session: no shard"


def test_the_matrix_ignores_path_and_status(site_copy, workshop):
    whole = matrix(workshop, site_copy)
    code, out, _ = workshop("blocks", str(site_copy / "docs/gitops-dvc"), "--status", "skipped", "--format", "matrix")
    assert code == 0 and json.loads(out)["include"] == whole


def test_pages_outside_a_workshop_go_to_the_rest_shard_and_every_project_s_tests_to_theirs(site_copy, workshop):
    page = site_copy / "docs/authoring.md"
    page.write_text(page.read_text() + '\n```bash project="pokemon-dvc"\necho from the authoring page\n```\n')
    unused = site_copy / "examples/unused/tests"
    unused.mkdir(parents=True)
    (unused / "test_unused.py").write_text("def test_nothing():\n    pass\n")
    entries = matrix(workshop, site_copy)
    names = [e["workshop"] for e in entries]
    assert {"workshop": "rest", "paths": "docs/authoring.md"} in entries
    assert names.index("rest") == names.index("examples-dvc-prefect") - 1, "after the workshops, before the tours"
    assert {"workshop": "examples-unused", "paths": "examples/unused/tests"} in entries, "used by no page: still run"


def test_a_workshop_without_sessions_has_no_shard(site_copy, workshop):
    shutil.rmtree(site_copy / "docs/rock-paper-scissors")
    names = [entry["workshop"] for entry in matrix(workshop, site_copy)]
    assert "rock-paper-scissors" not in names and "rest" not in names
    assert "examples-rock-paper-scissors" in names
