"""The parent side of a session's Python blocks: one child interpreter per session."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from .shell import Result

RUNNER = Path(__file__).with_name("python_runner.py")


class PythonSession:
    def __init__(self, timeout: float = 900):
        self.timeout = timeout
        self.process: subprocess.Popen | None = None
        self.results = None

    def _start(self, cwd: Path, env: dict[str, str]) -> None:
        read, write = os.pipe()
        # The reader's python: the project's virtual environment once a block has activated it.
        python = shutil.which("python", path=env.get("PATH")) or sys.executable
        self.process = subprocess.Popen([python, str(RUNNER), str(write)], stdin=subprocess.PIPE,
                                        cwd=cwd, env=env, text=True, pass_fds=(write,))
        os.close(write)
        self.results = os.fdopen(read)

    def run(self, code: str, cwd: Path, env: dict[str, str], *, mode: str = "exec") -> Result:
        if self.process is None:
            self._start(cwd, env)
        self.process.stdin.write(json.dumps({"code": code, "cwd": str(cwd), "env": env, "mode": mode}) + "\n")
        self.process.stdin.flush()
        timer = threading.Timer(self.timeout, self.process.kill)
        timer.start()
        try:
            line = self.results.readline()
        finally:
            timer.cancel()
        if not line:
            self.close()
            return Result(code, f"[the Python session ended: killed after {self.timeout:.0f} s or crashed]", 124)
        answer = json.loads(line)
        return Result(code, answer["output"], answer["exit_code"], exception=answer.get("exception"))

    def close(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.stdin.close()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
            self.results.close()
            self.process = None
