"""The tooling day's hands-on project: tracking, tuning, registry, serving, sharing, cleaning up."""

import json
import re
import subprocess
import time
import urllib.request

import pytest

from servers import free_port, python, start, stop

pytestmark = pytest.mark.example


@pytest.fixture(scope="module")
def studied(example_project):
    project = example_project("mlflow-optuna")
    project.study = project.run("python study.py --trials 10").stdout
    return project


def test_a_training_by_hand_logs_params_metrics_figure_and_model(example_project):
    project = example_project("mlflow-optuna")
    run_id = re.search(r"run (\w+):", project.run("python train.py --epochs 12").stdout).group(1)
    out = python(project, f"""
import mlflow
client = mlflow.tracking.MlflowClient("sqlite:///mlflow.db")
run = client.get_run("{run_id}")
print(run.data.params["hidden"], run.data.tags["status"], run.info.status)
print(len(client.get_metric_history("{run_id}", "val_accuracy")))
print(sorted(a.path for a in client.list_artifacts("{run_id}")))""")
    assert "16 completed FINISHED" in out and "\n12\n" in out and "decision_boundary.png" in out


def test_training_never_waits_on_a_slow_store_and_loses_nothing(example_project):
    """Asynchronous logging: with a store that takes 0.3 s per write, each epoch's `log_metrics`
    still returns at once; the writes happen on MLflow's background threads, merged (at most one
    per epoch), and the run is closed only once every point is stored."""
    project = example_project("mlflow-optuna")
    out = python(project, """
import sys, threading, time
import mlflow
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

writes, calls = [], []
original = SqlAlchemyStore.log_batch
def slow(self, run_id, metrics, params, tags):
    time.sleep(0.3)
    writes.append((threading.current_thread().name, len(metrics)))
    return original(self, run_id, metrics, params, tags)
SqlAlchemyStore.log_batch = slow
log_metrics = mlflow.log_metrics
def timed(*args, **kwargs):
    started = time.perf_counter()
    log_metrics(*args, **kwargs)
    calls.append(time.perf_counter() - started)
mlflow.log_metrics = timed

import train
sys.argv = ["train.py", "--epochs", "12"]
train.main()
run = mlflow.last_active_run()
client = mlflow.tracking.MlflowClient("sqlite:///mlflow.db")
stored = client.get_run(run.info.run_id)
print("calls", len(calls), max(calls) < 0.15)
print("writes", 0 < len(writes) <= 14, {name.split("_")[0] for name, _ in writes}, sum(n for _, n in writes))
print("stored", stored.info.status, len(stored.data.params),
      [len(client.get_metric_history(run.info.run_id, key)) for key in ("loss", "val_accuracy")])""")
    lines = dict(line.split(" ", 1) for line in out.splitlines() if line.startswith(("calls ", "writes ", "stored ")))
    assert lines["calls"] == "12 True", "no epoch waited on the store"
    assert lines["writes"] == "True {'MLflowBatchLoggingWorkerPool'} 24", "written in the background, merged"
    assert lines["stored"] == "FINISHED 4 [12, 12]", "every point stored before the run was closed"


def test_the_study_prunes_tracks_every_trial_and_registers_the_best(studied):
    assert re.search(r"10 trials: \d+ complete, \d+ pruned", studied.study)
    assert "registered as models:/circles-classifier/1" in studied.study
    out = python(studied, """
import mlflow, optuna
study = optuna.load_study(study_name="circles", storage="sqlite:///optuna.db")
client = mlflow.tracking.MlflowClient("sqlite:///mlflow.db")
for trial in study.trials:
    run = client.get_run(trial.user_attrs["mlflow_run_id"])
    assert trial.user_attrs["mlflow_run_url"].endswith("/runs/" + run.info.run_id)
    assert run.data.tags["status"] == {"COMPLETE": "completed", "PRUNED": "pruned"}[trial.state.name], trial
print("checked", len(study.trials), study.best_value)""")
    checked, best = re.search(r"checked (\d+) ([\d.]+)", out).groups()
    assert checked == "10" and float(best) > 0.9, "concentric circles are learnable"


def test_the_registered_model_loads_by_name_and_version(studied):
    out = python(studied, """
import mlflow
mlflow.set_tracking_uri("sqlite:///mlflow.db")
model = mlflow.pyfunc.load_model("models:/circles-classifier/1")
print([int(v) for v in model.predict([[0.0, 0.0], [1.2, 0.0], [0.0, -1.1]])])""")
    assert out.strip().splitlines()[-1] == "[1, 0, 0]", "the inner circle is class 1"


def test_mlflow_models_serve_answers_a_prediction_request(studied):
    port = free_port()
    server = start(studied, f"mlflow models serve -m models:/circles-classifier/1 --port {port} "
                            "--env-manager local", f"http://127.0.0.1:{port}/ping")
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/invocations", method="POST",
                                         data=json.dumps({"inputs": [[0.0, 0.1], [1.3, 0.2]]}).encode(),
                                         headers={"Content-Type": "application/json"})
        assert json.loads(urllib.request.urlopen(request, timeout=60).read()) == {"predictions": [1, 0]}
    finally:
        stop(server)


def test_a_shared_server_loses_nothing_from_a_room_of_twenty_participants(example_project):
    project = example_project("mlflow-optuna")
    port = free_port()
    server = start(project, f"mlflow server --backend-store-uri sqlite:///server.db --host 127.0.0.1 --port {port}",
                   f"http://127.0.0.1:{port}/health")
    try:
        out = python(project, f"""
from concurrent.futures import ThreadPoolExecutor
import mlflow
from mlflow.tracking import MlflowClient
client = MlflowClient("http://127.0.0.1:{port}")
experiment = client.create_experiment("room")

def participant(number):
    run = client.create_run(experiment, run_name=f"participant {{number}}")
    client.log_param(run.info.run_id, "participant", number)
    for step in range(15):
        client.log_metric(run.info.run_id, "val_accuracy", step / 15, step=step)
    client.set_terminated(run.info.run_id)
    return run.info.run_id

with ThreadPoolExecutor(20) as room:
    ids = list(room.map(participant, range(20)))
runs = client.search_runs([experiment], max_results=100)
histories = [len(client.get_metric_history(i, "val_accuracy")) for i in ids]
print(len(set(ids)), len(runs), sorted(set(histories)), sorted(r.data.params["participant"] for r in runs) ==
      sorted(str(n) for n in range(20)))""")
        assert out.strip().splitlines()[-1] == "20 20 [15] True"
    finally:
        stop(server)


def test_workers_share_one_study_through_a_journal_file(example_project):
    project = example_project("mlflow-optuna")
    # On a new store: the workers also race to create MLflow's tables, and must not break them.
    project.run("pids=(); for i in 1 2 3; do python study.py --storage journal:optuna.log --study-name shared "
                "--trials 4 --epochs 10 --no-register --seed $i & pids+=($!); done; "
                "for pid in ${pids[@]}; do wait $pid; done")
    out = python(project, """
import optuna
from study import storage
trials = optuna.load_study(study_name="shared", storage=storage("journal:optuna.log")).trials
print(len(trials), len({t.number for t in trials}), len({t.user_attrs["pid"] for t in trials}))""")
    total, unique, workers = map(int, out.split()[-3:])
    assert total == unique == 12 and workers == 3


def kill_mid_trial(project, *arguments: str) -> int:
    """Starts study.py, kills it once its first trial is running (no clean-up code runs), returns its pid."""
    worker = subprocess.Popen(["python", "study.py", "--trials", "2", "--epoch-delay", "1", "--no-register", *arguments],
                              cwd=project.path, env=project.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    storage = dict(zip(arguments[::2], arguments[1::2])).get("--storage", "sqlite:///optuna.db")
    probe = ("import optuna\nfrom study import storage\ntry:\n"
             f"    s = optuna.load_study(study_name='circles', storage=storage('{storage}'))\n"
             "    print(sum(t.state.name == 'RUNNING' and 'mlflow_run_id' in t.user_attrs for t in s.trials))\n"
             "except KeyError:\n    print(0)")
    deadline = time.monotonic() + 120
    while True:
        time.sleep(1)
        out = python(project, probe).strip().splitlines()
        if out and out[-1] == "1":
            break
        assert time.monotonic() < deadline and worker.poll() is None, "the worker never started a trial"
    worker.kill()
    worker.wait()
    return worker.pid


STATES = """
import mlflow, optuna
from study import storage
study = optuna.load_study(study_name="circles", storage=storage("{storage}"))
first, retry = study.trials[0], study.trials[1]
run = mlflow.tracking.MlflowClient("sqlite:///mlflow.db").get_run(first.user_attrs["mlflow_run_id"])
print(first.state.name, run.info.status, run.data.tags["status"], retry.state.name,
      retry.system_attrs.get("failed_trial"), retry.params == first.params)"""


def test_cleanup_fails_and_requeues_the_trial_of_a_killed_worker_by_its_heartbeat(example_project):
    project = example_project("mlflow-optuna")
    kill_mid_trial(project, "--heartbeat", "1")
    assert "study circles: 1 running trials" in project.run("python cleanup.py --dry-run").stdout
    time.sleep(3)  # past the grace period
    cleaned = project.run("python cleanup.py --grace 2").stdout
    assert "Optuna trial 0 of circles: heartbeat stopped, marked FAIL and queued again" in cleaned
    assert "1 dangling runs and trials closed" in cleaned
    assert "0 dangling runs and trials closed" in project.run("python cleanup.py --grace 2").stdout
    states = python(project, STATES.format(storage="sqlite:///optuna.db"))
    assert states.strip().splitlines()[-1] == "FAIL FAILED failed WAITING 0 True"
    # The next run of the study starts with the queued retry.
    project.run("python study.py --trials 1 --epochs 8 --no-register")
    retried = python(project, "import optuna\n"
                              "print(optuna.load_study(study_name='circles', storage='sqlite:///optuna.db').trials[1].state.name)")
    assert retried.strip().splitlines()[-1] in ("COMPLETE", "PRUNED")


def test_cleanup_closes_what_a_killed_journal_worker_left_after_a_silence(example_project):
    """A journal file (or the gRPC proxy) records no heartbeat: the silence of the MLflow run decides."""
    project = example_project("mlflow-optuna")
    kill_mid_trial(project, "--storage", "journal:optuna.log")
    assert "0 dangling runs and trials closed" in project.run(
        "python cleanup.py --storage journal:optuna.log --stale-after 5").stdout, "still fresh: left alone"
    cleaned = project.run("python cleanup.py --storage journal:optuna.log --stale-after 0").stdout
    assert "Optuna trial 0 of circles: marked FAIL and queued again" in cleaned
    states = python(project, STATES.format(storage="journal:optuna.log"))
    assert states.strip().splitlines()[-1] == "FAIL FAILED failed WAITING 0 True"


POSIX_ONLY = re.compile(r"^\s*(import|from) (fcntl|pwd|grp|termios|resource)\b|/proc/|os\.(fork|killpg|setsid|getpgid)\("
                        r"|signal\.SIG(KILL|HUP|USR1|USR2|ALRM)\b", re.M)


def test_the_example_calls_nothing_posix_only(example_project):
    """Participants run the project on Windows too: no POSIX-only module or call outside the tests
    (room.py's `nobody` account is for root, on POSIX, and checks `os.name` first)."""
    project = example_project("mlflow-optuna")
    found = [f"{path.name}: {match.group(0).strip()}" for path in sorted(project.path.glob("*.py"))
             for match in POSIX_ONLY.finditer(path.read_text())]
    assert found == []
    room = (project.path / "room.py").read_text()
    assert room.count("os.geteuid()") == 1 and 'if os.name == "posix":\n        return os.geteuid() == 0' in room
