"""A throw-away copy of an example project, and a way to run commands in it as a reader would.

The example projects' own tests use it (through the `example_project` fixture) so that they run
in the same conditions as the pages' blocks: a temporary copy, a private HOME and git identity,
the suite's tools on PATH, nothing written into the repository.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from .blocks.run import copy_project, session_environment


class CommandFailed(AssertionError):
    pass


class ExampleProject:
    def __init__(self, source: Path, workroot: Path):
        self.path = copy_project(source, workroot)
        self.env = session_environment(workroot, participant=False)

    def run(self, command: str, *, check: bool = True, timeout: float = 900, env: dict | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
        """Runs a shell command in the copy; output is stdout and stderr together, as in a terminal."""
        done = subprocess.run(["bash", "-eo", "pipefail", "-c", command], cwd=cwd or self.path,
                              env={**self.env, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        if check and done.returncode != 0:
            raise CommandFailed(f"`{command}` exited with {done.returncode} in {self.path}:\n{done.stdout}")
        return done
