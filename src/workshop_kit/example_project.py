"""A throw-away copy of an example project, and a way to run commands in it as a reader would.

The example projects' own tests use it (through the `example_project` fixture) so that they run
in the same conditions as the pages' blocks: a temporary copy, a private HOME and git identity,
the suite's tools on PATH, nothing written into the repository.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from .blocks.processes import MARK, end, group_members, kill_group
from .blocks.session import copy_project, session_environment


class CommandFailed(AssertionError):
    pass


class ExampleProject:
    def __init__(self, source: Path, workroot: Path):
        self.path = copy_project(source, workroot)
        self.env = session_environment(workroot, participant=False)

    def run(self, command: str, *, check: bool = True, timeout: float = 900, env: dict | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
        """Runs a shell command in the copy; output is stdout and stderr together, as in a terminal.
        At the timeout the command and everything it started are killed (its process group)."""
        # Output to a file: a process the command leaves in the background cannot stall it.
        with tempfile.TemporaryFile() as capture:
            # `--`: a command starting with '-' is a command, not an option of bash.
            process = subprocess.Popen(["bash", "-eo", "pipefail", "-c", "--", command], cwd=cwd or self.path,
                                       env={**self.env, **(env or {})}, stdout=capture, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
            try:
                process.wait(timeout=timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                kill_group(process.pid)
                process.wait()
                # SIGKILL is delivered, not yet acted on: the group's members exit a moment later.
                deadline = time.monotonic() + 5
                while group_members(process.pid) and time.monotonic() < deadline:
                    time.sleep(0.05)
                timed_out = True
            capture.seek(0)
            output = capture.read().decode(errors="replace")
        if timed_out:
            raise CommandFailed(f"`{command}` did not finish within {timeout:.0f} s in {self.path}; it and everything "
                                f"it started were stopped:\n{output}")
        done = subprocess.CompletedProcess(process.args, process.returncode, output)
        if check and done.returncode != 0:
            raise CommandFailed(f"`{command}` exited with {done.returncode} in {self.path}:\n{done.stdout}")
        return done

    def stop_processes(self) -> list:
        """Stops whatever the project's commands left running (servers a test forgot, daemons, an
        orphan that shed the session's token); returns what survived SIGKILL."""
        return [process for process in end(self.env.get(MARK, "")) if process.survived]
