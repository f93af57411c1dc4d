"""A room of simulated participants against one MLflow tracking server, on PostgreSQL and on SQLite.

    python bench/room.py                     # 100 participants, both stores (about 7 minutes)
    python bench/room.py --participants 20 --stores postgresql --intervals 0.2 1

Each participant logs what a session of the tooling day sends (examples/mlflow-optuna/room.py's
`participant_session`): a run with 20 parameters, 100 steps of two metrics (200 points) paced like
epochs, a small artifact through the server's artifact proxy, one version of a registered model.
Participants are threads of a few client processes (a process each would spend the 2 cores on
importing MLflow); they start over a ramp, as a room does not press Enter at the same millisecond.
Both stores get the same server command (`--workers`, proxied artifacts) and the same load, on
127.0.0.1 only, and every request and the whole run are bounded in time.

Measured per request, as the participant sees it: latency (p50, p99), errors (any answer other
than 2xx, or no answer; the MLflow client's retries are off, so none is hidden). Then every run,
parameter, metric point, artifact and model version a participant had sent and the server had
acknowledged is looked for in the store: what is missing is lost. Figures go to
bench/results/room.md and room.json, with the machine named; `bench_room()` gives bench/run.py's row.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
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
from datetime import datetime, timezone
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


def run_room(store: str, uri: str, workdir: Path, participants: int, interval: float,
             database_pid: int | None = None) -> dict:
    port = free_port()
    artifacts = workdir / f"artifacts-{store}-{interval}"
    command = [MLFLOW, "server", "--backend-store-uri", uri, "--artifacts-destination", str(artifacts),
               "--workers", str(WORKERS), "--host", "127.0.0.1", "--port", str(port)]
    log = open(workdir / f"server-{store}-{interval}.log", "w")
    server = subprocess.Popen(command, cwd=workdir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                              env={**os.environ, **SERVER_ENV})
    tracking = f"http://127.0.0.1:{port}"
    clients: list[subprocess.Popen] = []
    try:
        wait_for(f"{tracking}/health", server, 180)
        from mlflow.tracking import MlflowClient

        setup = MlflowClient(tracking)
        setup.create_experiment("room")
        project_room().ensure_registered_model(setup)
        start_at = time.time() + 3  # the client processes import MLflow meanwhile
        per_process = -(-participants // CLIENT_PROCESSES)
        outputs = []
        for first in range(0, participants, per_process):
            out = workdir / f"client-{store}-{interval}-{first}.json"
            outputs.append(out)
            count = min(per_process, participants - first)
            clients.append(subprocess.Popen(
                [PYTHON, __file__, "--client", tracking, str(first), str(count), str(start_at), str(interval),
                 str(out)], cwd=workdir, start_new_session=True, stdout=log, stderr=subprocess.STDOUT))
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
        sent = {key: sum(s[key] for s in done) for key in ("params", "metric_points", "artifacts")}
        sent["runs"] = sent["model_versions"] = len(done)
        found = count_in_store(tracking, done)
        latencies = sorted(seconds for seconds, _ in requests_seen)
        errors = [status for _, status in requests_seen if not 200 <= status < 300]
        client_cpu = sum(result["cpu_seconds"] for result in results)
        per_request = {name: round(1000 * cpu / max(1, len(requests_seen)), 1)
                       for name, cpu in (("server", server_cpu), ("database", database_cpu), ("clients", client_cpu))}
        return {
            "store": store, "interval": interval, "participants": participants, "sessions_completed": len(done),
            "session_errors": sorted({s["error"] for s in sessions if s["error"]})[:5],
            "request_failures": sorted({f for result in results for f in result["failures"]})[:5],
            "requests": len(requests_seen), "errors": len(errors) + (participants - len(sessions)),
            "error_statuses": {str(s): errors.count(s) for s in sorted(set(errors))},
            "seconds": round(wall, 1), "throughput": round(len(requests_seen) / (wall - 3), 1),
            "offered_req_per_s": round(participants / interval),
            "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
            "p99_ms": round(1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))], 1)
            if latencies else None,
            "max_ms": round(1000 * latencies[-1], 1) if latencies else None,
            "session_seconds_median": round(statistics.median(s["seconds"] for s in done), 1) if done else None,
            "cpu_ms_per_request": per_request,
            "cpu_bound_req_per_s": round(2000 / max(0.1, sum(per_request.values())), 0),
            "load_average": [round(load_before, 1), round(load_after, 1)],
            "sent": sent, "found": found, "lost": {key: sent[key] - found[key] for key in sent},
        }
    finally:
        for process in clients:
            stop(process)
        stop(server)
        log.close()


def bench(participants: int, stores: list[str], intervals: list[float]) -> dict:
    room_tools = project_room()
    workdir = Path(tempfile.mkdtemp(prefix="bench-room-"))
    data = workdir / "room-db"
    results = {}
    try:
        for interval in intervals:
            if "postgresql" in stores:
                db_port = free_port()
                room_tools.start(data, db_port)
                postmaster = int((data / "cluster" / "postmaster.pid").read_text().split()[0])
                results[f"postgresql, {interval} s"] = run_room(
                    "postgresql", room_tools.url(db_port, "mlflow"), workdir, participants, interval, postmaster)
                room_tools.remove(data)
            if "sqlite" in stores:
                results[f"sqlite, {interval} s"] = run_room(
                    "sqlite", f"sqlite:///{workdir / f'mlflow-{interval}.db'}", workdir, participants, interval)
    finally:
        if data.exists():
            room_tools.remove(data)
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def describe(label: str, result: dict) -> str:
    lost = sum(result["lost"].values())
    return (f"{label}: {result['sessions_completed']}/{result['participants']} sessions, "
            f"{result['throughput']} req/s, p50 {1e-3 * result['p50_ms']:.2f} s, p99 {1e-3 * result['p99_ms']:.2f} s, "
            f"{result['errors']} errors, {lost} lost")


def write(results: dict, participants: int) -> None:
    day = f"{datetime.now(timezone.utc):%Y-%m-%d}"
    RESULTS.mkdir(exist_ok=True)
    record = {"machine": machine(), "measured": day, "participants": participants, "workers": WORKERS,
              "client_processes": CLIENT_PROCESSES, "steps": STEPS, "ramp": RAMP, "server_env": SERVER_ENV,
              "results": results}
    (RESULTS / "room.json").write_text(json.dumps(record, indent=2) + "\n")
    lines = ["# Room benchmark", "",
             f"Figures from {machine()}; measured {day} with `python bench/room.py`.", "",
             f"{participants} simulated participants (threads of {CLIENT_PROCESSES} client processes, started over "
             f"{RAMP:.0f} s), each: a run, 20 parameters, {STEPS} steps of 2 metrics, one request a step, every "
             f"*interval* seconds ({2 * STEPS} points), an artifact through the artifact proxy, a model version. One "
             f"`mlflow server --workers {WORKERS}` with proxied artifacts and "
             + ", ".join(f"`{k}={v}`" for k, v in SERVER_ENV.items()) + " for both stores; server, PostgreSQL and "
             "clients share the machine's 2 cores (the load average, before and after, shows what else ran). "
             "Retries off: every non-2xx answer, or none, counts as an error. Lost: acknowledged by the server, "
             "missing from the store.", "",
             "| Store, interval | Sessions done | Requests (offered rate) | Throughput | p50 | p99 | max | Errors "
             "| Lost records | CPU ms per request: server, database, clients | Load average |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for label, r in results.items():
        cpu = r["cpu_ms_per_request"]
        lines.append(f"| {label} | {r['sessions_completed']}/{r['participants']} | {r['requests']} "
                     f"({r['offered_req_per_s']} req/s) | {r['throughput']} req/s | {r['p50_ms']:.0f} ms | "
                     f"{r['p99_ms']:.0f} ms | {r['max_ms']:.0f} ms | {r['errors']} {r['error_statuses'] or ''} | "
                     f"{sum(r['lost'].values())} of {sum(r['sent'].values())} | {cpu['server']}, {cpu['database']}, "
                     f"{cpu['clients']} | {r['load_average'][0]} → {r['load_average'][1]} |")
    for label, r in results.items():
        for kind in ("session_errors", "request_failures"):
            if r[kind]:
                lines += ["", f"{label}, {kind.replace('_', ' ')}:", ""]
                lines += [f"- `{text}`" for text in r[kind]]
    (RESULTS / "room.md").write_text("\n".join(lines) + "\n")


def bench_room() -> tuple[str, str]:
    """bench/run.py's row: the default room, both stores."""
    results = bench(PARTICIPANTS, ["postgresql", "sqlite"], [INTERVAL])
    write(results, PARTICIPANTS)
    return (f"room: {PARTICIPANTS} participants, one MLflow server ({WORKERS} workers)",
            "; ".join(describe(label, r) for label, r in results.items()))


def main() -> None:
    if sys.argv[1:2] == ["--client"]:
        tracking, first, count, start_at, interval, out = sys.argv[2:8]
        client(tracking, int(first), int(count), float(start_at), float(interval), Path(out))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=PARTICIPANTS)
    parser.add_argument("--stores", nargs="+", default=["postgresql", "sqlite"], choices=["postgresql", "sqlite"])
    parser.add_argument("--intervals", nargs="+", type=float, default=[INTERVAL],
                        help="seconds between a participant's steps; one room per value and store")
    args = parser.parse_args()
    results = bench(args.participants, args.stores, args.intervals)
    write(results, args.participants)
    for label, result in results.items():
        print(describe(label, result))
    print(f"written to {RESULTS / 'room.md'}")


if __name__ == "__main__":
    main()
