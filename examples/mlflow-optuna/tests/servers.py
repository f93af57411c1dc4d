"""The servers the example's tests start (MLflow's tracking server, a model server, Optuna's gRPC
proxy), each in its own process group with its output in a log file, and the helpers around them."""

import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(project, command: str, url: str, wait: float = 180) -> subprocess.Popen:
    """Starts a server in its own process group and waits until `url` answers."""
    log = open(project.path / f"server-{free_port()}.log", "w+")
    server = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=project.path, env=project.env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server.log = log
    deadline = time.monotonic() + wait
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return server
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                stop(server)
                log.seek(0)
                pytest.fail(f"{command} did not answer at {url}:\n{log.read()[-5000:]}")
            time.sleep(0.5)


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=5)  # uvicorn's graceful shutdown can take 20 s: not needed here
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    server.log.close()


def python(project, code: str) -> str:
    return project.run(f"python - <<'EOF'\n{code}\nEOF").stdout
