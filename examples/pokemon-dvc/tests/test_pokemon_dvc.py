"""The Pokémon project end to end: data, notebook, pipeline, experiments, registry, deployment."""

import hashlib
import re

import nbclient
import nbformat
import pytest
import yaml

pytestmark = pytest.mark.example


def digest(folder):
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())).hexdigest()


@pytest.fixture(scope="module")
def pipeline(example_project):
    """One clone, as in the GitOps workshop, with data tracked and the pipeline reproduced once."""
    project = example_project("pokemon-dvc")
    project.run("bash scripts/as_workshop_clone.sh --with-dvc")
    project.run("python scripts/generate_data.py --output data/external")
    project.run("dvc add -q data/external && dvc remote add -q --default storage ../storage")
    project.run("git add data/.gitignore data/external.dvc .dvc/config && git commit -qm 'Track data'")
    project.first_repro = project.run("dvc repro")
    return project


def test_the_generated_data_set_is_deterministic_balanced_and_in_the_workshop_layout(example_project):
    project = example_project("pokemon-dvc")
    project.run("python scripts/generate_data.py --output one --count 80 && "
                "python scripts/generate_data.py --output two --count 80")
    assert digest(project.path / "one") == digest(project.path / "two")
    rows = (project.path / "one/stats/pokemon-gen-1-8.csv").read_text().splitlines()
    assert rows[0] == "pokedex_number,name,type1,type2" and len(rows) == 81
    types = [row.split(",")[2] for row in rows[1:]]
    assert {types.count(t) for t in set(types)} == {10}, "every type equally often"
    assert len(list((project.path / "one/images").glob("*.png"))) == 80


def test_the_notebook_runs_top_to_bottom(example_project):
    project = example_project("pokemon-dvc")
    project.run("python scripts/generate_data.py --output data/external")
    notebook = nbformat.read(project.path / "pokemon_classifier.ipynb", as_version=4)
    nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(project.path)}}).execute(env=project.env)
    printed = "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs)
    assert re.search(r"300 sprites, \d+ of type Water", printed)
    assert float(re.search(r"accuracy: ([\d.]+)", printed).group(1)) > 0.6


def test_the_pipeline_reproduces_and_a_second_run_does_nothing(pipeline):
    assert "Running stage 'train'" in pipeline.first_repro.stdout
    again = pipeline.run("dvc repro").stdout
    assert "Data and pipelines are up to date." in again
    metrics = yaml.safe_load((pipeline.path / "outputs/metrics.yaml").read_text())
    assert set(metrics) == {"accuracy", "precision", "recall", "f1"}
    assert metrics["recall"] > 0.5, "the type's colour is a learnable signal"
    assert "outputs/metrics.yaml" in pipeline.run("dvc metrics show").stdout
    assert "data_load" in pipeline.run("dvc dag").stdout


def test_dvclive_adds_its_metrics_plots_and_the_model_artifact_to_dvc_yaml(pipeline):
    """The project's dvc.yaml declares the stages and the confusion matrix; the run's DVCLive adds
    the rest, which is what the model registry reads."""
    from pathlib import Path

    shipped = yaml.safe_load((Path(__file__).parents[1] / "dvc.yaml").read_text())
    assert "artifacts" not in shipped and "metrics" not in shipped
    after = yaml.safe_load((pipeline.path / "dvc.yaml").read_text())
    assert after["stages"] == shipped["stages"]
    model = after["artifacts"]["pokemon-classifier"]
    assert model["path"] == "outputs/model.keras" and model["type"] == "model"
    assert after["metrics"] == ["outputs/live/metrics.json"]
    assert {"outputs/live/plots/metrics": {"x": "step"}} in after["plots"]


def test_plots_render_to_html(pipeline):
    pipeline.run("dvc plots show -q -o ../plots")
    html = (pipeline.path.parent / "plots/index.html").read_text()
    assert "outputs/live/plots/metrics/train/loss.tsv" in html and "Confusion matrix" in html


def test_data_goes_to_the_remote_and_comes_back(pipeline):
    pipeline.run("dvc push -q")
    pipeline.run("rm -rf data/external .dvc/cache && dvc pull -q")
    assert len(list((pipeline.path / "data/external/images").glob("*.png"))) == 300
    assert "Data and pipelines are up to date." in pipeline.run("dvc repro").stdout


def test_experiments_run_compare_apply_and_branch(pipeline):
    pipeline.run("git add -A && git commit -qm 'Reproduced'")
    pipeline.run("dvc exp run --name dragon -S 'base.pokemon_type_train=\"Dragon\"'")
    shown = pipeline.run("dvc exp show --no-pager --csv").stdout
    assert "dragon" in shown and "Dragon" in shown
    pipeline.run("git checkout -q -- . && dvc checkout -q")
    pipeline.run("dvc exp apply dragon")
    assert yaml.safe_load((pipeline.path / "params.yaml").read_text())["base"]["pokemon_type_train"] == "Dragon"
    pipeline.run("dvc exp branch dragon best-experiment")
    assert "best-experiment" in pipeline.run("git branch --list best-experiment").stdout
    pipeline.run("git checkout -q -- . && dvc checkout -q")


def test_the_registry_tags_a_version_and_a_stage_that_the_deploy_workflow_reads(pipeline):
    pipeline.run("gto register pokemon-classifier --version v1.0.0")
    pipeline.run("gto assign pokemon-classifier --version v1.0.0 --stage prod")
    assert {"pokemon-classifier@v1.0.0", "pokemon-classifier#prod#1"} <= set(pipeline.run("git tag").stdout.split())
    assert "prod" in pipeline.run("gto check-ref --stage 'pokemon-classifier#prod#1'").stdout
    assert "v1.0.0" in pipeline.run("gto show pokemon-classifier").stdout


def test_the_model_is_fetched_by_dvc_get_and_answers_like_the_endpoint(pipeline):
    pipeline.run("dvc push -q")
    pipeline.run("dvc get . outputs/model.keras -o ../deployed.keras")
    water = pipeline.run("python src/predict.py --model ../deployed.keras tests/sample.png").stdout
    probability = float(water.rsplit(":", 1)[1])
    assert 0.0 <= probability <= 1.0


def yaml_on(data: dict):
    return data.get("on", data.get(True))  # YAML 1.1 reads a bare `on:` key as True


@pytest.mark.parametrize("name", ["train-and-report.yaml", "deploy.yaml"])
def test_the_github_workflows_are_well_formed(name, example_project):
    """Not run here (GitHub Actions, secrets): checked for the structure Actions requires."""
    from pathlib import Path

    data = yaml.safe_load((Path(__file__).parents[1] / ".github/workflows" / name).read_text())
    assert data["name"] and yaml_on(data), "a workflow needs a name and triggers"
    for job_id, job in data["jobs"].items():
        assert re.fullmatch(r"[A-Za-z_][\w-]*", job_id)
        assert job["runs-on"] == "ubuntu-latest"
        for need in [job["needs"]] if isinstance(job.get("needs"), str) else job.get("needs", []):
            assert need in data["jobs"], f"{job_id} needs an unknown job {need}"
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), f"a step of {job_id} needs exactly one of uses/run"
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]
    expressions = re.findall(r"\$\{\{(.*?)\}\}", (Path(__file__).parents[1] / ".github/workflows" / name).read_text())
    assert all(e.strip().split(".")[0] in {"secrets", "steps", "needs", "github"} for e in expressions)


def test_the_data_registry_stand_in_serves_dvc_import(example_project):
    project = example_project("pokemon-dvc")
    project.run("bash scripts/as_workshop_clone.sh --with-dvc")
    registry = project.run("bash scripts/make_data_registry.sh ../registry").stdout.strip()
    project.run(f"dvc import -q {registry} data/external -o data/external")
    assert "repo:" in (project.path / "data/external.dvc").read_text()
    assert len(list((project.path / "data/external/images").glob("*.png"))) == 300
