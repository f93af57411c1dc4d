"""The half-day lab's four parts, end to end, on a small generated data set."""

import base64
import importlib.util
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.example
PROJECT = Path(__file__).parents[1]


def load(module: str):
    """The project's module under a name of its own: other example projects have modules of the same name."""
    spec = importlib.util.spec_from_file_location(f"landuse_lab_{module}", PROJECT / f"{module}.py")
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


@pytest.fixture(scope="module")
def lab(example_project):
    project = example_project("landuse-lab")
    project.run("python generate_data.py --output data --train 12 --valid 4")
    project.run("python featurize.py --data data --output features --batch-size 8")
    project.tuned = project.run("python tune.py --max-runs 3 --workers 2 --epochs 8").stdout
    return project


def test_generated_tiles_are_deterministic_and_in_the_labs_layout(tmp_path):
    generate_data = load("generate_data")
    generate, CLASSES = generate_data.generate, generate_data.CLASSES

    generate(tmp_path / "a", 2, 1, seed=3)
    generate(tmp_path / "b", 2, 1, seed=3)
    for split, count in (("train", 2), ("valid", 1)):
        for land_use in CLASSES:
            files = sorted((tmp_path / "a" / split / land_use).glob("*.png"))
            assert len(files) == count
            assert all(f.read_bytes() == (tmp_path / "b" / f.relative_to(tmp_path / "a")).read_bytes() for f in files)


def test_images_are_read_in_chunks_never_all_at_once(tmp_path):
    load("generate_data").generate(tmp_path, 5, 0, seed=1)
    featurize = load("featurize")
    paths, labels, classes = featurize.image_paths(tmp_path / "train")
    sizes = [len(chunk) for chunk in featurize.chunks(paths, 7)]
    assert sizes == [7, 7, 7, 7, 2] and len(classes) == 6 and labels[:5] == [0] * 5


def test_features_are_written_for_both_splits(lab):
    train = np.load(lab.path / "features/train.npz")
    assert train["features"].shape == (72, 2048)
    assert list(train["classes"]) == ["Barren", "Cultivated", "Developed", "Forest", "Herbaceous", "Shrub"]


def test_the_grid_search_respects_its_budget_and_registers_the_best_model(lab):
    trials = re.findall(r"^(\d\.\d{3})  \{", lab.tuned, re.M)
    assert len(trials) == 3
    assert "landuse-classifier version 1" in lab.tuned
    again = lab.run("python tune.py --max-runs 2 --workers 1 --epochs 3 --seed 1").stdout
    assert "landuse-classifier version 2" in again, "each search adds a version to the registry"


def test_a_single_training_run_is_tracked(lab):
    out = lab.run("python train.py --units 16 --l1 0.0 --l2 0.01 --epochs 5").stdout
    run_id = re.search(r"run (\w+): validation accuracy", out).group(1)
    check = lab.run(f"python -c \"import mlflow; mlflow.set_tracking_uri('sqlite:///mlflow.db'); "
                    f"r = mlflow.get_run('{run_id}'); print(r.data.params['units'], 'val_accuracy' in r.data.metrics)\"")
    assert check.stdout.strip().endswith("16 True")


def test_no_tensorflow_or_mlflow_noise_on_a_cpu_laptop(lab):
    """What a participant's terminal shows: none of TensorFlow's start-up lines about oneDNN, CUDA
    drivers and cuInit, and no MLflow warning about `tensorflow-cpu` or a missing signature."""
    out = lab.run("env -u TF_CPP_MIN_LOG_LEVEL python train.py --units 16 --epochs 2").stdout
    assert "validation accuracy" in out
    assert not re.search(r"cuInit|oneDNN|cuda drivers|absl|tensorflow-cpu|without a signature|mismatches", out), out


def test_scoring_returns_probabilities_and_mostly_the_right_class(lab):
    script = ("import json, score\nscore.init()\nhits = 0\n"
              "for name in ['Barren', 'Cultivated', 'Developed', 'Forest', 'Herbaceous', 'Shrub']:\n"
              "    for i in range(4):\n"
              "        answer = json.loads(score.run(json.dumps({'image': f'data/valid/{name}/{i:03d}.png'})))\n"
              "        assert abs(sum(answer.values()) - 1) < 0.01, answer\n"
              "        hits += max(answer, key=answer.get) == name\n"
              "print('hits', hits)\n")
    hits = int(lab.run(f"python - <<'EOF'\n{script}EOF").stdout.split("hits")[-1])
    assert hits >= 12, f"only {hits} of 24 validation tiles right: chance is 4"


def test_the_service_answers_over_http(lab):
    server = subprocess.Popen([sys.executable, "serve.py", "--port", "0"], cwd=lab.path, env=lab.env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = ""
        while "serving on" not in line:
            line = server.stdout.readline()
            assert line, "the server stopped before it served"
        url = re.search(r"(http://\S+)/score", line).group(1)
        assert urllib.request.urlopen(f"{url}/health", timeout=30).read() == b"ok\n"
        png = base64.b64encode((lab.path / "data/valid/Forest/001.png").read_bytes()).decode()
        request = urllib.request.Request(f"{url}/score", data=json.dumps({"png": png}).encode(), method="POST")
        answer = json.loads(urllib.request.urlopen(request, timeout=60).read())
        assert set(answer) == {"Barren", "Cultivated", "Developed", "Forest", "Herbaceous", "Shrub"}
        bad = urllib.request.Request(f"{url}/score", data=b'{"nothing": 1}', method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(bad, timeout=30)
        assert refused.value.code == 400 and "needs 'image'" in refused.value.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=30)
