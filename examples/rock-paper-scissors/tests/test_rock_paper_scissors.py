"""The rock/paper/scissors workshop, locally: data, training job, thresholds, Dockerfile, app."""

import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.example
PROJECT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def trained(example_project):
    project = example_project("rock-paper-scissors")
    project.run("python generate_data.py --output data --scale 0.5")
    project.job = project.run("NB_OF_EPOCHS=5 python train.py").stdout
    return project


def top(output: str) -> tuple[str, float]:
    found = {label: float(p) for label, p in re.findall(r"(rock|paper|scissors): ([\d.]+)", output)}
    best = max(found, key=found.get)
    return best, found[best]


def test_the_data_set_is_deterministic(example_project):
    project = example_project("rock-paper-scissors")
    project.run("python generate_data.py --output a --scale 0.1 && python generate_data.py --output b --scale 0.1")
    project.run("diff -r a b")
    assert sorted(p.name for p in (project.path / "a").iterdir()) == ["test", "train", "valid"]
    assert len(list((project.path / "a/train/paper").glob("*.png"))) == 8


def test_the_job_trains_for_nb_of_epochs_and_exports_the_model(trained):
    curves = (trained.path / "model/curves.csv").read_text().splitlines()
    assert curves[0] == "epoch,loss,val_loss,accuracy,val_accuracy" and len(curves) == 6
    assert (trained.path / "model/model.keras").is_file()
    trained.run("python -c \"import tensorflow as tf; m = tf.saved_model.load('model/export'); "
                "print(m.serve(tf.zeros([1, 64, 64, 3])).shape)\"")
    longer = trained.run("NB_OF_EPOCHS=3 OUTPUT_DIR=short python train.py").stdout
    assert re.search(r"^\s+3\s", longer, re.M) and not re.search(r"^\s+4\s", longer, re.M)


def test_lowering_the_threshold_only_ever_adds_detections(trained):
    for image in ["data/test/scissors/000.png", "data/test/rock/001.png", "data/test/paper/002.png"]:
        strict = trained.run(f"python predict.py {image} --confidence 0.99").stdout
        loose = trained.run(f"python predict.py {image} --confidence 0.05").stdout
        _, score = top(loose)
        assert "detected:" in loose, "the best of three labels always passes a 0.05 threshold"
        assert ("detected:" in strict) == (score >= 0.99), strict


def test_a_threshold_outside_zero_to_one_is_refused(trained):
    refused = trained.run("python predict.py data/test/rock/000.png --confidence 1.5", check=False)
    assert refused.returncode == 2 and "--confidence is a probability" in refused.stdout


def test_the_dockerfile_copies_what_exists_and_runs_the_job():
    """Not built here (no Docker engine): its instructions are checked against the project."""
    lines = [line.strip() for line in (PROJECT / "Dockerfile.train").read_text().splitlines()]
    instructions = [line for line in lines if line and not line.startswith("#")]
    assert instructions[0].startswith("FROM python:3.11")
    for line in instructions:
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (PROJECT / source).is_file(), f"COPY names {source}, which is not in the project"
    assert instructions[-1] == 'CMD ["python", "train.py"]'
    env = " ".join(line for line in lines if "=" in line and not line.startswith("#"))
    documented = set(re.findall(r"^    ([A-Z_]+)\s", (PROJECT / "train.py").read_text(), re.M))
    assert set(re.findall(r"([A-Z_]+)=", env)) == documented


def test_the_app_classifies_an_example_and_respects_the_threshold(trained):
    from streamlit.testing.v1 import AppTest

    script = (
        "import os, sys\n"
        f"os.chdir({str(trained.path)!r}); sys.path.insert(0, {str(trained.path)!r})\n"
        "from streamlit.testing.v1 import AppTest\n"
        "app = AppTest.from_file('app.py', default_timeout=120).run()\n"
        "app.selectbox[0].select('scissors/000.png').run()\n"
        "print('caption', app.caption[0].value)\n"
        "app.slider[0].set_value(0.05).run()\n"
        "print('success', [s.value for s in app.success])\n"
        "app.slider[0].set_value(1.0).run()\n"
        "print('strict', [s.value for s in app.success], [w.value for w in app.warning])\n"
    )
    out = trained.run(f"python - <<'EOF'\n{script}EOF").stdout
    _, score = top(out.split("caption", 1)[1].splitlines()[0])
    assert re.search(r"success \['(rock|paper|scissors) \(\d+%\)'\]", out), out
    if score < 1.0:
        assert "strict [] ['Nothing detected at this threshold" in out
    assert AppTest  # the API the app is tested with


def test_the_app_without_a_model_says_how_to_get_one(example_project):
    project = example_project("rock-paper-scissors")
    out = project.run("python - <<'EOF'\nfrom streamlit.testing.v1 import AppTest\n"
                      "app = AppTest.from_file('app.py', default_timeout=60).run()\n"
                      "print([e.value for e in app.error])\nEOF").stdout
    assert "No model at model/model.keras: run `python train.py` first" in out


def test_the_app_is_served_over_http(trained):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(["streamlit", "run", "app.py", "--server.port", str(port), "--server.headless",
                               "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
                              cwd=trained.path, env=trained.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5).read()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "streamlit did not start"
                time.sleep(0.5)
        assert health == b"ok"
        assert b"<title>Streamlit</title>" in urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read()
    finally:
        server.terminate()
        server.wait(timeout=30)
