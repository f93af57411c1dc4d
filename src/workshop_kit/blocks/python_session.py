"""The parent side of a session's Python blocks: one child interpreter per session."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO

from .processes import exempt, kill_group
from .shell import BLOCK_TIMEOUT, Result

RUNNER = Path(__file__).with_name("python_runner.py")


class PythonSession:
    def __init__(self, timeout: float = BLOCK_TIMEOUT):
        self.timeout = timeout
        self.process: subprocess.Popen[str] | None = None
        self.results: IO[str] | None = None

    def _start(self, cwd: Path, env: dict[str, str]) -> None:
        read, write = os.pipe()
        # The reader's python: the project's virtual environment once a block has activated it.
        python = shutil.which("python", path=env.get("PATH")) or sys.executable
        self.process = subprocess.Popen([python, str(RUNNER), str(write)], stdin=subprocess.PIPE,
                                        cwd=cwd, env=env, text=True, pass_fds=(write,),
                                        start_new_session=True)
        exempt(env, self.process.pid)  # its group is stopped when the session closes it
        os.close(write)
        self.results = os.fdopen(read)

    def run(self, code: str, cwd: Path, env: dict[str, str], *, mode: str = "exec") -> Result:
        if self.process is None:
            self._start(cwd, env)
        capture = tempfile.NamedTemporaryFile(prefix="wk-python-", suffix=".out", delete=False)
        capture.close()
        try:
            return self._ask(code, cwd, env, mode, Path(capture.name))
        finally:
            Path(capture.name).unlink(missing_ok=True)

    def _ask(self, code: str, cwd: Path, env: dict[str, str], mode: str, capture: Path) -> Result:
        process, results = self.process, self.results
        assert process is not None and process.stdin is not None and results is not None  # started by run()
        process.stdin.write(json.dumps({"code": code, "cwd": str(cwd), "env": env, "mode": mode,
                                        "capture": str(capture)}) + "\n")
        process.stdin.flush()
        # At the timeout the child and everything its blocks started are killed.
        stopped = threading.Event()

        def stop() -> None:
            stopped.set()
            kill_group(process.pid)

        timer = threading.Timer(self.timeout, stop)
        timer.start()
        try:
            line = results.readline()
        finally:
            timer.cancel()
        if not line:
            self.close()
            printed = capture.read_text(errors="replace") if capture.is_file() else ""
            if stopped.is_set():
                return Result(code, printed + f"\n[timed out after {self.timeout:.0f} s: the Python session and "
                              "everything it started were stopped]", 124)
            status = process.poll()
            return Result(code, printed + f"\n[the Python session ended before the block did (exit status "
                          f"{status})]", status or 1)
        answer = json.loads(line)
        return Result(code, answer["output"], answer["exit_code"], exception=answer.get("exception"))

    def close(self) -> None:
        """Ends the interpreter, then its process group: what its blocks started in the background
        (a forked process, a `subprocess.Popen` never waited for) does not outlive the session."""
        if self.process is not None:
            if self.process.poll() is None and self.process.stdin is not None:
                self.process.stdin.close()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    pass
            kill_group(self.process.pid)
            self.process.wait()
            if self.results is not None:
                self.results.close()
            self.process = None
