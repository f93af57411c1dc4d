"""The room server for real: `python -m workshop_kit.room serve` as a uvicorn subprocess on
127.0.0.1 and a free port, posted to with the standard library (as check.py will), read with the
token, stopped cleanly (no process left) and restarted on the same database; and `serve(argv)`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from workshop_kit.room import cli

STARTUP = 60  # a busy machine's allowance


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, tmp_path: Path, *extra: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg"), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "workshop_kit.room", "serve", "--port", str(self.port),
             "--db", str(tmp_path / "room" / "room.sqlite3"), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        deadline = time.monotonic() + STARTUP
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.process.stderr.read()
            try:
                with urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            self.stop()
            pytest.fail(f"the room server did not answer within {STARTUP} s")
        while not any(line.startswith("Stop with") for line in self.lines) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.token = next(line.split(": ", 1)[1] for line in self.lines if line.startswith("Speaker token: "))

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def request(self, path: str, body: dict | None = None, token: str | None = None):
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def stop(self, number: int = signal.SIGTERM) -> int:
        pgid = self.process.pid  # its own session: the group's id is its pid
        self.process.send_signal(number)
        try:
            code = self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait()
            pytest.fail("the room server did not stop on SIGTERM within 20 s")
        with pytest.raises(ProcessLookupError):  # nothing of its group is left
            os.killpg(pgid, 0)
        self.reader.join(timeout=10)  # its last lines read
        return code


@pytest.fixture
def server_factory(tmp_path):
    started = []

    def start(*extra):
        server = Server(tmp_path, *extra)
        started.append(server)
        return server

    yield start
    for server in started:
        if server.process.poll() is None:
            server.stop()


RESULT = {"kit": "gitops-dvc", "step": 2, "total": 5, "check": "pipeline-written", "ok": True, "seat": "12",
          "lang": "en"}


def test_a_real_server_takes_posts_answers_the_speaker_and_stops_cleanly(server_factory, tmp_path):
    server = server_factory()
    assert f"python check.py --room {server.url} --seat <seat>" in "\n".join(server.lines)
    assert server.token == (tmp_path / "room" / "speaker-token").read_text().strip()
    assert server.request("/api/v1/results", RESULT) == (201, '{"ok":true,"id":1}')
    status, text = server.request("/api/v1/results", {**RESULT, "path": "/etc/passwd"})
    assert status == 400 and json.loads(text)["error"] == "unknown-field"
    assert server.request("/api/v1/progress")[0] == 401
    status, text = server.request("/api/v1/progress", token=server.token)
    assert status == 200 and json.loads(text)["kits"][0]["steps"][1]["done"] == ["12"]
    status, html = server.request("/")
    assert status == 200 and "Show seats" in html
    assert server.stop() == 0


def test_a_restarted_server_keeps_the_results_and_the_token(server_factory):
    first = server_factory()
    for seat in ("1", "2", "3"):
        assert first.request("/api/v1/results", {**RESULT, "seat": seat})[0] == 201
    before = json.loads(first.request("/api/v1/progress", token=first.token)[1])
    assert first.stop() == 0
    second = server_factory()
    assert second.token == first.token
    after = json.loads(second.request("/api/v1/progress", token=second.token)[1])
    assert after["kits"] == before["kits"]
    assert second.request("/api/v1/results", {**RESULT, "seat": "4"}) == (201, '{"ok":true,"id":4}')
    assert second.stop() == 0


def test_a_token_file_of_the_speakers_choice(server_factory, tmp_path):
    token_file = tmp_path / "elsewhere" / "token.txt"
    server = server_factory("--token-file", str(token_file), "--origin", "https://org.github.io",
                            "--stuck-minutes", "2")
    assert server.token == token_file.read_text().strip()
    assert "CORS origin: https://org.github.io" in "\n".join(server.lines)
    assert not (tmp_path / "room" / "speaker-token").exists()
    assert server.stop(signal.SIGINT) == 0  # Ctrl+C: stopped, status 0, no traceback
    assert "Traceback" not in server.process.stderr.read()
    assert server.lines[-1] == "Room server stopped; the results are kept in the database."


def test_the_module_refuses_an_unknown_subcommand():
    done = subprocess.run([sys.executable, "-m", "workshop_kit.room", "start"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2 and "unknown subcommand 'start'" in done.stderr


@pytest.mark.parametrize("argv, message", [
    (["--origin", "https://org.github.io/workshops/"], "not an origin"),
    (["--origin", "ftp://x"], "not an origin"),
    (["--stuck-minutes", "0"], "not a number of minutes"),
    (["--port", "70000"], "not a port number"),
    (["--verbose"], "unrecognized arguments"),
])
def test_serve_refuses_bad_options(argv, message, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.serve(argv)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_serve_prints_the_addresses_and_token_then_runs_uvicorn(tmp_path, monkeypatch, capsys):
    import uvicorn

    ran = []

    def fake_run(self):
        ran.append(self.config)
        self.started = True

    monkeypatch.setattr(uvicorn.Server, "run", fake_run)
    db = tmp_path / "db" / "room.sqlite3"
    assert cli.serve(["--db", str(db), "--port", "9999", "--origin", "https://Org.GitHub.io"]) == 0
    out = capsys.readouterr().out
    token = (db.parent / "speaker-token").read_text().strip()
    assert f"Speaker token: {token}" in out
    assert "python check.py --room http://127.0.0.1:9999 --seat <seat>" in out
    assert "this laptop only" in out and "CORS origin: https://org.github.io" in out
    assert ran[0].host == "127.0.0.1" and ran[0].port == 9999
    assert cli.serve(["--db", str(db), "--host", "0.0.0.0"]) == 0  # the token survives a restart
    out = capsys.readouterr().out
    assert f"Speaker token: {token}" in out and "this laptop only" not in out
    assert "Speaker page: http://127.0.0.1:8765/" in out


def test_serve_says_when_the_port_is_taken(tmp_path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        # In a thread of its own: a browser test of the same worker may hold this thread's event loop.
        result = {}
        worker = threading.Thread(target=lambda: result.update(code=cli.serve(
            ["--db", str(tmp_path / "room.sqlite3"), "--port", str(port)])))
        worker.start()
        worker.join(timeout=60)
        code = result.get("code")
    assert code == 2
    assert f"could not listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_serve_says_which_token_file_is_broken(tmp_path, capsys):
    (tmp_path / "speaker-token").write_text("x")
    assert cli.serve(["--db", str(tmp_path / "room.sqlite3")]) == 2
    assert "delete it to have a new one made" in capsys.readouterr().err


def test_the_workshop_command_table_interface():
    """What the `workshop` command registers: HELP, arguments(sub) and run(args)."""
    import argparse

    top = argparse.ArgumentParser(prog="workshop")
    sub = top.add_subparsers(dest="command").add_parser("room", help=cli.HELP)
    cli.arguments(sub)
    args = top.parse_args(["room", "serve", "--port", "8000", "--stuck-minutes", "3"])
    assert (args.room_command, args.port, args.stuck_minutes, args.host) == ("serve", 8000, 3.0, "127.0.0.1")
    assert cli.run(top.parse_args(["room"])) == 2


@pytest.mark.parametrize("missing", ["starlette", "uvicorn"])
def test_without_the_room_extra_the_command_says_what_to_install(tmp_path, missing):
    code = (f"import sys; sys.modules[{missing!r}] = None\n"
            "from workshop_kit.room.cli import serve\n"
            "sys.exit(serve(['--db', sys.argv[1]]))")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "room.sqlite3")], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "workshop room serve: the room server needs the 'room' extra: pip install 'workshop-kit[room]'" \
        in done.stderr
    assert "Traceback" not in done.stderr
