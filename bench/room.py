"""A room of simulated participants against one MLflow tracking server, on PostgreSQL (or SQLite).

    python bench/room.py                                   # 100 participants run train.py within 60 s
    python bench/room.py --scripts train train-sync study --cpus 0 0,1 --traces /tmp/traces.json
    python bench/room.py --participants 20 --stores postgresql sqlite --intervals 0.2 1

By default each participant runs what the handout has them run, at its real pace: the project's
scripts (examples/mlflow-optuna) are first run once against a private server and every request
they send is recorded (kind, body, time since the first); then each simulated participant replays
that recording, with the ids its server hands out in place of the recorded ones, starting at its
own moment of a window (`--window`, the minute after "now run train.py"). `--scripts` names the
rooms: `train`, `study` (10 trials), `train-sync` (train.py with asynchronous logging off, as the
scripts logged before), or several joined by `+`, run one after the other. With `--intervals`,
participants instead log `participant_session` of examples/mlflow-optuna/room.py at a fixed pace:
a run with 20 parameters, 100 steps of two metrics, one request a step every INTERVAL seconds, a
small artifact, one model version.

Participants are threads of a few client processes (a process each would spend the cores on
importing MLflow). The server runs `--workers` processes, by default one per core it may use;
`--cpus 0 0,1` pins it (taskset -c) to those cores, one room per value, to see how it scales
with cores; PostgreSQL and the clients are not pinned. Everything listens on 127.0.0.1 only, and
every request and the whole run are bounded in time.

Measured per request, as the participant's client sees it: latency (p50, p99, max), errors (any
answer other than 2xx but a 404 the script itself expects, or no answer; retries are off, so none
is hidden). Then every run, parameter, metric point, artifact and model version the server had
acknowledged is looked for in the store (in its tables and artifact folder for the scripts): what
is missing is lost. Also the CPU time of the server (its workers and helper processes), of
PostgreSQL and of the clients, per request. Figures go to bench/results/room.md and room.json,
with the machine named; `bench_room()` gives bench/run.py's row.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).parents[1]
PROJECT = ROOT / "examples" / "mlflow-optuna"
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
MLFLOW = str(Path(sys.executable).parent / "mlflow")

PARTICIPANTS = 100
CLIENT_PROCESSES = 4
WORKERS = 4
STEPS = 100
INTERVAL = 0.2  # seconds between two steps: an epoch of a small model
RAMP = 10.0  # participants start over this many seconds
DEADLINE = 420.0  # seconds for one store's whole room; clients still running then are stopped
REQUEST_TIMEOUT = 60  # seconds, per request
# The server's own settings, the same for both stores. A worker serves up to 40 requests at once
# (anyio's thread pool); SQLAlchemy's default pool (5 + 10 overflow) makes the rest wait for a
# connection, and fail after 30 s.
SERVER_ENV = {"MLFLOW_SQLALCHEMYSTORE_POOL_SIZE": os.environ.get("ROOM_POOL_SIZE", "20"),
              "MLFLOW_SQLALCHEMYSTORE_MAX_OVERFLOW": os.environ.get("ROOM_MAX_OVERFLOW", "20")}
# Loopback only: no usage report to MLflow's telemetry host from the server or the clients.
os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
os.environ["DO_NOT_TRACK"] = "true"


def project_room():
    """examples/mlflow-optuna/room.py, by path: this module is also called `room`."""
    import importlib.util

    if "mlflow_optuna_room" not in sys.modules:
        sys.path.insert(0, str(PROJECT))  # for its own `import circles`
        spec = importlib.util.spec_from_file_location("mlflow_optuna_room", PROJECT / "room.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["mlflow_optuna_room"] = module
        spec.loader.exec_module(module)
    return sys.modules["mlflow_optuna_room"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
            f"{len(os.sched_getaffinity(0))} cores, {memory:.0f} GiB")


# -- A client process: participants as threads ---------------------------------------------------

def client(tracking_uri: str, first: int, count: int, start_at: float, interval: float, out: Path) -> None:
    """Runs participants first..first+count-1, each starting at its place on the ramp."""
    os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0"  # an error is an error, not a retry
    os.environ["MLFLOW_HTTP_REQUEST_TIMEOUT"] = str(REQUEST_TIMEOUT)
    os.environ["MLFLOW_HTTP_POOL_MAXSIZE"] = str(count + 2)
    import requests
    from mlflow.tracking import MlflowClient

    participant_session = project_room().participant_session

    lock = threading.Lock()
    requests_seen: list[tuple[float, int]] = []  # (seconds, status; 0 when no answer)
    failures: list[str] = []
    original = requests.Session.request

    def timed(self, method, url, *args, **kwargs):
        started = time.perf_counter()
        status = 0
        try:
            response = original(self, method, url, *args, **kwargs)
            status = response.status_code
            return response
        except Exception as error:
            with lock:
                failures.append(f"{method} {url.split('/', 3)[-1][:80]}: {type(error).__name__}: "
                                f"{str(error)[-240:]}")
            raise
        finally:
            with lock:
                requests_seen.append((time.perf_counter() - started, status))

    requests.Session.request = timed
    client = MlflowClient(tracking_uri)
    experiment_id = client.get_experiment_by_name("room").experiment_id
    with lock:
        requests_seen.clear()  # the look-up above is set-up, not load
    sessions: list[dict] = []

    def one(number: int) -> None:
        delay = start_at + RAMP * number / PARTICIPANTS - time.time()
        if delay > 0:
            time.sleep(delay)
        started = time.perf_counter()
        try:
            sent = participant_session(client, experiment_id, f"p{number:03d}", steps=STEPS, interval=interval,
                                       seed=number)
            sent["error"] = None
        except Exception as error:  # noqa: BLE001 - counted, not raised
            sent = {"error": f"{type(error).__name__}: {str(error)[:120]}"}
        sent["number"], sent["seconds"] = number, time.perf_counter() - started
        with lock:
            sessions.append(sent)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(first, first + count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.write_text(json.dumps({"requests": requests_seen, "sessions": sessions, "failures": failures,
                               "cpu_seconds": time.process_time()}))


# -- The room ------------------------------------------------------------------------------------

def wait_for(url: str, server: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def count_in_store(tracking_uri: str, sessions: list[dict]) -> dict:
    """What the store holds of what was acknowledged: runs, params, metric points, artifacts, versions."""
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri)
    versions = {v.run_id: v for v in client.search_model_versions("name = 'room-model'", max_results=10000)}
    found = {"runs": 0, "params": 0, "metric_points": 0, "artifacts": 0, "model_versions": 0}
    for sent in sessions:
        run = client.get_run(sent["run_id"])
        found["runs"] += 1
        found["params"] += len(run.data.params)
        found["metric_points"] += sum(len(client.get_metric_history(sent["run_id"], key))
                                      for key in ("loss", "val_accuracy"))
        found["artifacts"] += len(client.list_artifacts(sent["run_id"], "model"))
        found["model_versions"] += sent["run_id"] in versions
    return found


def cpu_seconds(pids: list[int]) -> float:
    """CPU time used so far by these processes and their children."""
    import psutil

    total = 0.0
    for pid in pids:
        try:
            root = psutil.Process(pid)
            for process in [root, *root.children(recursive=True)]:
                times = process.cpu_times()
                total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def run_room(store: str, uri: str, workdir: Path, participants: int, load: dict, database_pid: int | None = None,
             cpus: str | None = None, workers: int = WORKERS) -> dict:
    """One room against one server: `load` is {"mode": "steps", "interval": seconds} (participant_session
    at a fixed pace) or {"mode": "scripts", "scripts": [...], "window": seconds, "traces": file} (the
    handout's scripts, replayed). `cpus` pins the server (taskset -c) to those cores."""
    port = free_port()
    tag = f"{store}-{len(os.listdir(workdir))}"
    artifacts = workdir / f"artifacts-{tag}"
    command = [MLFLOW, "server", "--backend-store-uri", uri, "--artifacts-destination", str(artifacts),
               "--workers", str(workers), "--host", "127.0.0.1", "--port", str(port)]
    if cpus:
        command = ["taskset", "-c", cpus, *command]
    log = open(workdir / f"server-{tag}.log", "w")
    server = subprocess.Popen(command, cwd=workdir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                              env={**os.environ, **SERVER_ENV})
    tracking = f"http://127.0.0.1:{port}"
    clients: list[subprocess.Popen] = []
    scripts = load["mode"] == "scripts"
    try:
        wait_for(f"{tracking}/health", server, 300)
        from mlflow.tracking import MlflowClient

        setup = MlflowClient(tracking)
        if scripts:  # what the first participant's script would create: the experiment, the model's name
            setup.create_experiment("circles")
            project_room().ensure_registered_model(setup, "circles-classifier")
        else:
            setup.create_experiment("room")
            project_room().ensure_registered_model(setup)
        start_at = time.time() + 3  # the client processes import MLflow meanwhile
        per_process = -(-participants // CLIENT_PROCESSES)
        outputs = []
        for first in range(0, participants, per_process):
            out = workdir / f"client-{tag}-{first}.json"
            outputs.append(out)
            count = min(per_process, participants - first)
            if scripts:
                arguments = ["--script-client", tracking, str(load["traces"]), ",".join(load["scripts"]), str(first),
                             str(count), str(start_at), str(load["window"]), str(out)]
            else:
                arguments = ["--client", tracking, str(first), str(count), str(start_at), str(load["interval"]),
                             str(out)]
            clients.append(subprocess.Popen([PYTHON, __file__, *arguments], cwd=workdir, start_new_session=True,
                                            stdout=log, stderr=subprocess.STDOUT))
        started = time.monotonic()
        load_before = os.getloadavg()[0]
        server_cpu = cpu_seconds([server.pid])
        database_cpu = cpu_seconds([database_pid] if database_pid else [])
        for process in clients:
            try:
                process.wait(timeout=max(1.0, DEADLINE - (time.monotonic() - started)))
            except subprocess.TimeoutExpired:
                stop(process)  # past the deadline: its participants count as failed sessions
        wall = time.monotonic() - started
        server_cpu = cpu_seconds([server.pid]) - server_cpu
        database_cpu = cpu_seconds([database_pid] if database_pid else []) - database_cpu
        load_after = os.getloadavg()[0]
        results = [json.loads(out.read_text()) for out in outputs if out.exists()]
        requests_seen = [tuple(r) for result in results for r in result["requests"]]
        sessions = [s for result in results for s in result["sessions"]]
        done = [s for s in sessions if s["error"] is None]
        if scripts:
            sent, found = count_replayed(uri, artifacts, done)
        else:
            sent = {key: sum(s[key] for s in done) for key in ("params", "metric_points", "artifacts")}
            sent["runs"] = sent["model_versions"] = len(done)
            found = count_in_store(tracking, done)
        latencies = sorted(r[0] for r in requests_seen)
        errors = [r[1] for r in requests_seen if not 200 <= r[1] < 300]
        by_kind: dict[str, list[float]] = {}
        for r in requests_seen[:] if scripts else []:
            by_kind.setdefault(r[2], []).append(r[0])
        kinds = {kind: {"n": len(v), "p50_ms": round(1000 * statistics.median(v)),
                        "p99_ms": round(1000 * sorted(v)[min(len(v) - 1, int(0.99 * len(v)))])}
                 for kind, v in sorted(by_kind.items(), key=lambda item: -len(item[1]))}
        client_cpu = sum(result["cpu_seconds"] for result in results)
        per_request = {name: round(1000 * cpu / max(1, len(requests_seen)), 1)
                       for name, cpu in (("server", server_cpu), ("database", database_cpu), ("clients", client_cpu))}
        return {
            "store": store, **{k: v for k, v in load.items() if k != "traces"}, "participants": participants,
            "server_cpus": cpus or "all", "workers": workers, "sessions_completed": len(done),
            "session_errors": sorted({s["error"] for s in sessions if s["error"]})[:5],
            "request_failures": sorted({f for result in results for f in result["failures"]})[:5],
            "requests": len(requests_seen), "errors": len(errors) + (participants - len(sessions)),
            "error_statuses": {str(s): errors.count(s) for s in sorted(set(errors))},
            "seconds": round(wall, 1), "throughput": round(len(requests_seen) / (wall - 3), 1),
            "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
            "p99_ms": round(1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))], 1)
            if latencies else None,
            "max_ms": round(1000 * latencies[-1], 1) if latencies else None,
            "session_seconds_median": round(statistics.median(s["seconds"] for s in done), 1) if done else None,
            "cpu_ms_per_request": per_request,
            "server_cpu_share": round(server_cpu / (wall - 3) / (len(cpus.split(",")) if cpus else os.cpu_count()), 2),
            "load_average": [round(load_before, 1), round(load_after, 1)],
            "sent": sent, "found": found, "lost": {key: max(0, sent[key] - found[key]) for key in sent},
            # written, though the client gave up waiting for the answer (a timeout): not lost, not acknowledged
            "stored_unacknowledged": {key: max(0, found[key] - sent[key]) for key in sent},
            "by_kind": kinds,
        }
    finally:
        for process in clients:
            stop(process)
        stop(server)
        log.close()


# -- The handout's scripts, recorded and replayed ----------------------------------------------

# Name: (command, environment). `train-sync` is train.py with MLflow's asynchronous logging off, as
# the scripts logged before: a request per `log_metrics`, waited for.
SCRIPTS = {"train": (["train.py"], {}), "study": (["study.py", "--trials", "10"], {}),
           "train-sync": (["train.py"], {"MLFLOW_ENABLE_ASYNC_LOGGING": "false"})}
WINDOW = 60.0  # seconds over which the room starts a script: the minute after "now run train.py"
# Sent once per room, by the speaker's set-up, not by each participant: skipped in the replay.
ONCE = ("/experiments/create", "/registered-models/create")
IDS = re.compile(r"m-[0-9a-f]{32}|[0-9a-f]{32}")

# Loaded into the recorded scripts through sitecustomize: every request MLflow's client sends, with
# its start (seconds since the first), body and answer, appended to $ROOM_TRACE.
RECORDER = '''
import json, os, threading, time
import requests

_path, _lock, _first = os.environ["ROOM_TRACE"], threading.Lock(), []
_original = requests.Session.request

def _recorded(self, method, url, *args, **kwargs):
    started = time.time()
    response = _original(self, method, url, *args, **kwargs)
    body = kwargs.get("data")
    size = os.fstat(body.fileno()).st_size if hasattr(body, "fileno") else len(body or b"")
    try:
        answer = response.json() if "json" in response.headers.get("Content-Type", "") else None
    except ValueError:
        answer = None
    with _lock:
        _first[:] = _first or [started]
        with open(_path, "a") as out:
            out.write(json.dumps({"t": round(started - _first[0], 4), "method": method,
                                  "path": "/" + url.split("/", 3)[-1], "params": kwargs.get("params"),
                                  "json": kwargs.get("json"), "size": size, "status": response.status_code,
                                  "answer": answer}) + "\\n")
    return response

requests.Session.request = _recorded
'''


def record_scripts(workdir: Path, scripts: list[str]) -> dict:
    """Runs the handout's scripts, as a participant does, against a private server (SQLite, on
    127.0.0.1) and records what they send: {script: [request, ...]}."""
    folder = workdir / "recording"
    shutil.copytree(PROJECT, folder / "project", ignore=shutil.ignore_patterns("tests", "__pycache__"))
    (folder / "hook").mkdir()
    (folder / "hook" / "sitecustomize.py").write_text(RECORDER)
    port = free_port()
    log = open(folder / "server.log", "w")
    server = subprocess.Popen([MLFLOW, "server", "--backend-store-uri", f"sqlite:///{folder / 'mlflow.db'}",
                               "--artifacts-destination", str(folder / "artifacts"), "--workers", "1",
                               "--host", "127.0.0.1", "--port", str(port)],
                              cwd=folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    traces = {}
    try:
        wait_for(f"http://127.0.0.1:{port}/health", server, 180)
        for name in scripts:
            trace = folder / f"{name}.jsonl"
            started = time.monotonic()
            command, env = SCRIPTS[name]
            subprocess.run([PYTHON, *command], cwd=folder / "project", check=True, timeout=600,
                           stdout=subprocess.DEVNULL, stderr=log,
                           env={**os.environ, **env, "MLFLOW_TRACKING_URI": f"http://127.0.0.1:{port}",
                                "ROOM_TRACE": str(trace), "PYTHONPATH": str(folder / "hook")})
            requests_sent = [json.loads(line) for line in trace.read_text().splitlines()]
            traces[name] = {"command": " ".join([*(f"{k}={v}" for k, v in env.items()), "python", *command]),
                            "requests": requests_sent,
                            "script_seconds": round(time.monotonic() - started, 1)}
    finally:
        stop(server)
        log.close()
    return traces


def kind_of(method: str, path: str) -> str:
    return method + " " + re.sub(r"/(m-)?[0-9a-f]{32}.*|/artifacts/.*", "/…",
                                 path.replace("/api/2.0/mlflow", "").replace("/api/2.0", ""))


def trace_summary(trace: dict) -> dict:
    """What one run of a script sends: requests by kind, log_batch requests and their pacing."""
    kinds: dict[str, int] = {}
    for request in trace["requests"]:
        kind = kind_of(request["method"], request["path"])
        kinds[kind] = kinds.get(kind, 0) + 1
    batches = [r for r in trace["requests"] if r["path"].endswith("/runs/log-batch")]
    gaps = sorted(b["t"] - a["t"] for a, b in zip(batches, batches[1:], strict=False))
    return {"command": trace["command"], "requests": len(trace["requests"]), "log_batch": len(batches),
            "metric_points": sum(len((r["json"] or {}).get("metrics", [])) for r in batches),
            "seconds_sending": round(trace["requests"][-1]["t"], 1) if trace["requests"] else 0,
            "script_seconds": trace["script_seconds"],
            "log_batch_gap_median_s": round(statistics.median(gaps), 2) if gaps else None,
            "kinds": dict(sorted(kinds.items(), key=lambda item: -item[1]))}


def _map_ids(recorded, answered, ids: dict) -> None:
    """Pairs the ids of a recorded answer with those of the replayed one, at the same places."""
    if isinstance(recorded, dict) and isinstance(answered, dict):
        for key, value in recorded.items():
            if key in answered:
                _map_ids(value, answered[key], ids)
    elif isinstance(recorded, list) and isinstance(answered, list):
        for old, new in zip(recorded, answered, strict=False):
            _map_ids(old, new, ids)
    elif isinstance(recorded, str) and isinstance(answered, str):
        for old, new in zip(IDS.findall(recorded), IDS.findall(answered), strict=False):
            ids.setdefault(old, new)


def _substitute(value, ids: dict):
    if value is None or not ids:
        return value
    text = json.dumps(value)
    text = IDS.sub(lambda match: ids.get(match.group(0), match.group(0)), text)
    return json.loads(text)


def replay(session, tracking: str, trace: list[dict], start_at: float, record) -> dict:
    """One participant's run of a script: the recorded requests, at their recorded offsets, with the
    ids this server hands out in place of the recorded ones. Returns what the server acknowledged."""
    ids: dict[str, str] = {}
    sent = {"runs": [], "params": 0, "metric_points": 0, "artifacts": [], "model_versions": 0}
    for request in trace:
        if request["path"].endswith(ONCE):
            continue
        delay = start_at + request["t"] - time.time()
        if delay > 0:
            time.sleep(delay)
        path = _substitute(request["path"], ids)
        body = _substitute(request["json"], ids)
        data = os.urandom(request["size"]) if request["method"] == "PUT" else None
        started = time.perf_counter()
        status, answer = 0, None
        try:
            response = session.request(request["method"], tracking + path, params=_substitute(request["params"], ids),
                                       json=body, data=data, timeout=REQUEST_TIMEOUT)
            status = response.status_code
            if request["answer"] is not None and "json" in response.headers.get("Content-Type", ""):
                answer = response.json()
        except Exception as error:  # noqa: BLE001 - counted, not raised
            record(time.perf_counter() - started, 0, f"{request['method']} {path[:60]}: {type(error).__name__}: "
                                                      f"{str(error)[-200:]}", kind_of(request["method"], path))
            continue
        ok = 200 <= status < 300 or status == request["status"]  # a 404 the script expects (a look-up)
        record(time.perf_counter() - started, status if ok or status >= 300 else 0,
               None if ok else f"{request['method']} {path[:60]}: {status} {response.text[:200]}",
               kind_of(request["method"], path))
        if answer is not None:
            _map_ids(request["answer"], answer, ids)
        if not 200 <= status < 300:
            continue
        if path.endswith("/runs/create"):
            sent["runs"].append(answer["run"]["info"]["run_id"])
        elif path.endswith("/runs/log-batch"):
            sent["params"] += len(body.get("params", []))
            sent["metric_points"] += len(body.get("metrics", []))
        elif request["method"] == "PUT":
            sent["artifacts"].append(path.split("/mlflow-artifacts/artifacts/", 1)[-1])
        elif path.endswith("/model-versions/create"):
            sent["model_versions"] += 1
    return sent


def script_client(tracking: str, traces_file: Path, scripts: list[str], first: int, count: int, start_at: float,
                  window: float, out: Path) -> None:
    """Participants first..first+count-1, as threads: each starts at its own moment of the window
    and replays the scripts one after the other."""
    import requests

    traces = json.loads(traces_file.read_text())
    lock = threading.Lock()
    requests_seen: list[tuple[float, int, str]] = []
    failures: list[str] = []
    sessions: list[dict] = []

    def record(seconds: float, status: int, failure: str | None, kind: str) -> None:
        with lock:
            requests_seen.append((seconds, 200 if status == 404 and not failure else status, kind))
            if failure:
                failures.append(failure)

    def one(number: int) -> None:
        moment = start_at + window * ((number * 0.618034) % 1.0)  # spread evenly, not in order
        session = requests.Session()
        session.mount("http://", requests.adapters.HTTPAdapter(max_retries=0))
        done = {"number": number, "runs": [], "params": 0, "metric_points": 0, "artifacts": [],
                "model_versions": 0, "error": None}
        started = time.perf_counter()
        for name in scripts:
            sent = replay(session, tracking, traces[name]["requests"], moment, record)
            for key, value in sent.items():
                done[key] += value
            moment = time.time()
        done["seconds"] = time.perf_counter() - started
        with lock:
            sessions.append(done)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(first, first + count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.write_text(json.dumps({"requests": requests_seen, "sessions": sessions, "failures": failures,
                               "cpu_seconds": time.process_time()}))


def count_replayed(uri: str, artifacts: Path, sessions: list[dict]) -> tuple[dict, dict]:
    """What was acknowledged against what the store holds, read from the database and the
    artifact folder directly."""
    import sqlalchemy

    sent = {"runs": 0, "params": 0, "metric_points": 0, "artifacts": 0, "model_versions": 0}
    found = dict(sent)
    run_ids = [run for s in sessions for run in s["runs"]]
    for s in sessions:
        for key in sent:
            sent[key] += len(s[key]) if isinstance(s[key], list) else s[key]
    engine = sqlalchemy.create_engine(uri)
    try:
        with engine.connect() as connection:
            for key, sql in (("runs", "SELECT count(*) FROM runs WHERE run_uuid IN :ids"),
                             ("params", "SELECT count(*) FROM params WHERE run_uuid IN :ids"),
                             ("metric_points", "SELECT count(*) FROM metrics WHERE run_uuid IN :ids"),
                             ("model_versions", "SELECT count(*) FROM model_versions WHERE run_id IN :ids")):
                statement = sqlalchemy.text(sql).bindparams(sqlalchemy.bindparam("ids", expanding=True))
                found[key] = connection.execute(statement, {"ids": run_ids or [""]}).scalar()
    finally:
        engine.dispose()
    found["artifacts"] = sum((artifacts / path).is_file() for s in sessions for path in s["artifacts"])
    return sent, found


def bench(participants: int, stores: list[str], loads: list[dict], cpu_sets: list[str | None],
          workers: int | None = None, traces_file: Path | None = None) -> tuple[dict, dict]:
    """Every load on every store, for every set of server cores. Returns the rooms' results and the
    summary of the recorded scripts."""
    room_tools = project_room()
    workdir = Path(tempfile.mkdtemp(prefix="bench-room-"))
    data = workdir / "room-db"
    results, recorded = {}, {}
    try:
        scripts = sorted({name for load in loads if load["mode"] == "scripts" for name in load["scripts"]})
        if scripts:
            traces = json.loads(traces_file.read_text()) if traces_file and traces_file.exists() else {}
            missing = [name for name in scripts if name not in traces]
            if missing:
                print(f"recording {', '.join(missing)}...", file=sys.stderr, flush=True)
                traces.update(record_scripts(workdir, missing))
                if traces_file:
                    traces_file.write_text(json.dumps(traces))
            traces = {name: traces[name] for name in scripts}
            (workdir / "traces.json").write_text(json.dumps(traces))
            recorded = {name: trace_summary(trace) for name, trace in traces.items()}
        for load in loads:
            load = {**load, "traces": workdir / "traces.json"} if load["mode"] == "scripts" else load
            what = (f"{' + '.join(load['scripts'])} within {load['window']:.0f} s" if load["mode"] == "scripts"
                    else f"a step every {load['interval']} s")
            for cpus in cpu_sets:
                count = workers or (len(cpus.split(",")) if cpus else len(os.sched_getaffinity(0)))
                where = f"server on core{'s' if not cpus or ',' in cpus else ''} {cpus or 'all'}, {count} workers"
                print(f"room: {what}, {where}...", file=sys.stderr, flush=True)
                if "postgresql" in stores:
                    db_port = free_port()
                    room_tools.start(data, db_port)
                    postmaster = int((data / "cluster" / "postmaster.pid").read_text().split()[0])
                    results[f"postgresql, {what}, {where}"] = run_room(
                        "postgresql", room_tools.url(db_port, "mlflow"), workdir, participants, load, postmaster,
                        cpus, count)
                    room_tools.remove(data)
                if "sqlite" in stores:
                    results[f"sqlite, {what}, {where}"] = run_room(
                        "sqlite", f"sqlite:///{workdir / f'mlflow-{len(results)}.db'}", workdir, participants, load,
                        None, cpus, count)
    finally:
        if data.exists():
            room_tools.remove(data)
        shutil.rmtree(workdir, ignore_errors=True)
    return results, recorded


def describe(label: str, result: dict) -> str:
    lost = sum(result["lost"].values())
    return (f"{label}: {result['sessions_completed']}/{result['participants']} participants, {result['requests']} "
            f"requests, {result['throughput']} req/s, p50 {1e-3 * result['p50_ms']:.2f} s, "
            f"p99 {1e-3 * result['p99_ms']:.2f} s, max {1e-3 * result['max_ms']:.2f} s, {result['errors']} errors, "
            f"{lost} lost, server {result['cpu_ms_per_request']['server']} ms CPU per request")


def write(results: dict, recorded: dict, participants: int, command: str, append: bool = False) -> None:
    day = f"{datetime.now(UTC):%Y-%m-%d}"
    RESULTS.mkdir(exist_ok=True)
    if append and (RESULTS / "room.json").exists():  # the rooms of an earlier command, same machine
        earlier = json.loads((RESULTS / "room.json").read_text())
        results = {**earlier["results"], **results}
        recorded = {**earlier.get("scripts", {}), **recorded}
        command = f"{earlier['command']}`, then `{command}"
    record = {"machine": machine(), "measured": day, "command": command, "participants": participants,
              "client_processes": CLIENT_PROCESSES, "server_env": SERVER_ENV, "scripts": recorded,
              "results": results}
    (RESULTS / "room.json").write_text(json.dumps(record, indent=2) + "\n")
    lines = ["# Room benchmark", "",
             f"Figures from {machine()}; measured {day} with `{command}`.", ""]
    if recorded:
        lines += ["## What a participant's scripts send", "",
                  "Recorded from the handout's own scripts (examples/mlflow-optuna, asynchronous logging on unless "
                  "the command turns it off), run once against a private server (SQLite, 1 worker) on this "
                  "machine:", "",
                  "| Script | Requests | of which log_batch (metric points) | Sending for | Script ran | "
                  "log_batch every (median) | Requests by kind |", "| --- | --- | --- | --- | --- | --- | --- |"]
        for summary in recorded.values():
            kinds = ", ".join(f"{kind} {n}" for kind, n in summary["kinds"].items())
            lines.append(f"| `{summary['command']}` | {summary['requests']} | {summary['log_batch']} "
                         f"({summary['metric_points']}) | {summary['seconds_sending']} s | "
                         f"{summary['script_seconds']} s | {summary['log_batch_gap_median_s']} s | {kinds} |")
        lines += ["", "Each participant replays them at their recorded pace (the ids the server hands out in "
                  "place of the recorded ones), starting at its own moment of the window: the room runs the "
                  "script within that time. The experiment and the registered model's name are created once, "
                  "before the room starts.", ""]
    lines += ["## The room", "",
              f"{participants} simulated participants (threads of {CLIENT_PROCESSES} client processes), one "
              "`mlflow server` with proxied artifacts and " + ", ".join(f"`{k}={v}`" for k, v in SERVER_ENV.items())
              + "; PostgreSQL and the client processes are not pinned: they share the machine's cores with the "
              "server (the load average, before and after, shows what else ran). Retries off: every non-2xx "
              "answer (but a 404 the script itself expects), or none, counts as an error. Lost: acknowledged by "
              "the server, missing from the store.", "",
              "| Store, load, server | Requests | Throughput | p50 | p99 | max | Errors | Lost records "
              "| CPU ms per request: server, database, clients | Server's share of its cores | Load average |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for label, r in results.items():
        cpu = r["cpu_ms_per_request"]
        lines.append(f"| {label} | {r['requests']} | {r['throughput']} req/s | {r['p50_ms']:.0f} ms | "
                     f"{r['p99_ms']:.0f} ms | {r['max_ms']:.0f} ms | {r['errors']} {r['error_statuses'] or ''} | "
                     f"{sum(r['lost'].values())} of {sum(r['sent'].values())} | {cpu['server']}, {cpu['database']}, "
                     f"{cpu['clients']} | {r['server_cpu_share']:.0%} | {r['load_average'][0]} → "
                     f"{r['load_average'][1]} |")
    kinds_shown = [(label, r) for label, r in results.items() if r.get("by_kind")]
    if kinds_shown:
        lines += ["", "Latency by kind of request (p50 / p99, ms; count):", "",
                  "| Room | Requests by kind |", "| --- | --- |"]
        for label, r in kinds_shown:
            lines.append(f"| {label} | " + ", ".join(f"{kind}: {v['p50_ms']} / {v['p99_ms']} ({v['n']})"
                                                     for kind, v in r["by_kind"].items()) + " |")
    for label, r in results.items():
        for kind in ("session_errors", "request_failures"):
            if r[kind]:
                lines += ["", f"{label}, {kind.replace('_', ' ')}:", ""]
                lines += [f"- `{text}`" for text in r[kind]]
    (RESULTS / "room.md").write_text("\n".join(lines) + "\n")


def bench_room() -> tuple[str, str]:
    """bench/run.py's row: the room running the handout's train.py, on PostgreSQL."""
    results, recorded = bench(PARTICIPANTS, ["postgresql"], [{"mode": "scripts", "scripts": ["train"],
                                                              "window": WINDOW}], [None])
    write(results, recorded, PARTICIPANTS, "python bench/run.py room")
    return (f"room: {PARTICIPANTS} participants running train.py within {WINDOW:.0f} s, one MLflow server",
            "; ".join(describe(label, r) for label, r in results.items()))


def main() -> None:
    if sys.argv[1:2] == ["--client"]:
        tracking, first, count, start_at, interval, out = sys.argv[2:8]
        client(tracking, int(first), int(count), float(start_at), float(interval), Path(out))
        return
    if sys.argv[1:2] == ["--script-client"]:
        tracking, traces, scripts, first, count, start_at, window, out = sys.argv[2:10]
        script_client(tracking, Path(traces), scripts.split(","), int(first), int(count), float(start_at),
                      float(window), Path(out))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=PARTICIPANTS)
    parser.add_argument("--stores", nargs="+", default=["postgresql"], choices=["postgresql", "sqlite"])
    parser.add_argument("--scripts", nargs="+", default=["train"], metavar="NAME[+NAME]",
                        help="one room per value: the handout's script each participant runs, or several joined "
                             f"by + run one after the other; names: {', '.join(SCRIPTS)} (default: train)")
    parser.add_argument("--window", type=float, nargs="+", default=[WINDOW],
                        help="seconds within which the room starts the scripts; one room per value")
    parser.add_argument("--intervals", nargs="+", type=float, default=[],
                        help="instead of the scripts: participant_session's fixed pace, a step every INTERVAL s")
    parser.add_argument("--cpus", nargs="+", default=[None],
                        help="cores the server is pinned to (taskset -c), one room per value, e.g. 0 0,1")
    parser.add_argument("--workers", type=int, help="server processes (default: one per core it runs on)")
    parser.add_argument("--append", action="store_true",
                        help="add these rooms to those of bench/results/room.json instead of replacing them")
    parser.add_argument("--traces", type=Path, help="JSON file of recorded scripts: read if it exists, else "
                                                     "recorded and written there (default: recorded each time)")
    args = parser.parse_args()
    loads = ([{"mode": "steps", "interval": interval} for interval in args.intervals] if args.intervals else
             [{"mode": "scripts", "scripts": spec.split("+"), "window": window}
              for spec in args.scripts for window in args.window])
    unknown = {name for load in loads for name in load.get("scripts", []) if name not in SCRIPTS}
    if unknown:
        parser.error(f"unknown script {', '.join(sorted(unknown))}: choose among {', '.join(SCRIPTS)}")
    results, recorded = bench(args.participants, args.stores, loads, args.cpus, args.workers, args.traces)
    write(results, recorded, args.participants, "python bench/room.py " + " ".join(sys.argv[1:]), args.append)
    for summary in recorded.values():
        print(f"{summary['command']}: {summary['requests']} requests, {summary['log_batch']} log_batch, "
              f"sent over {summary['seconds_sending']} s")
    for label, result in results.items():
        print(describe(label, result))
    print(f"written to {RESULTS / 'room.md'}")


if __name__ == "__main__":
    main()
