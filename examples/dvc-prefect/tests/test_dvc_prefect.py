"""The tooling day's DVC + Prefect tour: the pipeline built with `dvc stage add`, and two flows."""

import json
import shutil
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.example
STAGES = [
    "dvc stage add -q -n prepare -p prepare -d src/prepare.py -o data/prepared python src/prepare.py",
    "dvc stage add -q -n train -p train -d src/train.py -d data/prepared -o models/model.pkl python src/train.py",
    "dvc stage add -q -n evaluate -d src/evaluate.py -d data/prepared -d models/model.pkl -M metrics.json "
    "python src/evaluate.py",
]


@pytest.fixture(scope="module")
def tour(example_project):
    project = example_project("dvc-prefect")
    shipped = yaml.safe_load((project.path / "dvc.yaml").read_text())
    project.run("rm dvc.yaml && git init -q && dvc init -q && " + " && ".join(STAGES))
    project.built = yaml.safe_load((project.path / "dvc.yaml").read_text())
    project.shipped = shipped
    project.run("git add -A && git commit -qm 'The pipeline'")
    return project


def test_dvc_stage_add_builds_the_shipped_pipeline(tour):
    assert tour.built == tour.shipped


def test_repro_runs_then_skips_unchanged_stages(tour):
    first = tour.run("dvc repro").stdout
    assert "Running stage 'evaluate'" in first
    metrics = json.loads((tour.path / "metrics.json").read_text())
    assert metrics["accuracy"] > 0.85 and set(metrics) == {"accuracy", "f1_macro"}
    assert "Data and pipelines are up to date." in tour.run("dvc repro").stdout
    tour.run("sed -i 's/max_depth: 3/max_depth: 1/' params.yaml")
    changed = tour.run("dvc repro").stdout
    assert "Stage 'prepare' didn't change, skipping" in changed and "Running stage 'train'" in changed
    tour.run("git checkout -- params.yaml && dvc repro -q")


def test_outputs_go_to_a_local_remote_and_come_back(tour):
    tour.run("dvc remote add -q -f --default storage ../storage && dvc push -q")
    tour.run("rm -rf data/prepared models/model.pkl .dvc/cache && dvc pull -q")
    assert (tour.path / "models/model.pkl").is_file()


def test_the_flow_runs_dvc_repro_as_a_task_without_a_prefect_server(tour):
    out = tour.run("python flows.py dvc-pipeline").stdout
    assert "Data and pipelines are up to date." in out
    assert "Finished in state Completed()" in out


def test_the_repro_task_is_retried_once(tour):
    """A `dvc` that fails on its first call, then hands over to the real one."""
    fake = tour.path.parent / "flaky-bin"
    fake.mkdir(exist_ok=True)
    real = shutil.which("dvc", path=tour.env["PATH"])
    (fake / "dvc").write_text(f"#!/bin/sh\nif [ ! -f {fake}/failed ]; then touch {fake}/failed; "
                              f"echo 'remote unreachable' >&2; exit 1; fi\nexec {real} \"$@\"\n")
    (fake / "dvc").chmod(0o755)
    out = tour.run("python flows.py dvc-pipeline", env={"PATH": f"{fake}:{tour.env['PATH']}"}).stdout
    assert "Retry 1/1 will start" in out and "Finished in state Completed()" in out


def test_prefect_can_own_the_stage_dag_instead(tour):
    (tour.path / "metrics.json").unlink()
    out = tour.run("python flows.py stage-dag").stdout
    for stage in ("prepare_task", "train_task", "evaluate_task"):
        assert f"Task run '{stage}" in out or stage in out
    assert json.loads((tour.path / "metrics.json").read_text())["accuracy"] > 0.85


def test_prefect_sends_no_usage_reports_from_the_project_folder(tour):
    """Offline, Prefect would print "Failed to send telemetry": the project switches its reports off
    (read here without running a flow, with the suite's own opt-outs removed)."""
    check = ("env -u DO_NOT_TRACK -u PREFECT_SERVER_ANALYTICS_ENABLED python -c \"import os, flows; "
             "from prefect.settings import get_current_settings as s; "
             "print(s().server.analytics_enabled, os.environ['DO_NOT_TRACK'])\"")
    assert tour.run(check).stdout.strip().splitlines()[-1] == "False 1"
