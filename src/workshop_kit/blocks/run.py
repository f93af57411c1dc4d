"""Runs one session: a page's blocks, in order, in a fresh temporary copy of their project.

Shell blocks run as in one terminal (`cd` and `export` carry over), Python blocks share one
interpreter that starts where the shell stands, `console`/`pycon` blocks compare what each
command printed with what the page shows, and config blocks are checked against the project.
Nothing here writes into the repository: the copy, HOME and every cache live under `workroot`.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from .config_check import check_config
from .console import parse_console, parse_pycon
from .matching import explain, matches
from .model import CONFIG, Block, Session
from .python_session import PythonSession
from .shell import Result, ShellSession

IGNORED = shutil.ignore_patterns("__pycache__", ".venv", ".pytest_cache", ".ipynb_checkpoints", "*.pyc")
GITCONFIG = """\
[user]
\tname = Workshop Kit tests
\temail = tests@workshop-kit.invalid
[init]
\tdefaultBranch = main
[advice]
\tdetachedHead = false
"""


class BlockFailure(Exception):
    """A block did not do what its page says; carries everything the report shows."""

    def __init__(self, block: Block, reason: str, command: str = "", output: str = "", detail: str = ""):
        super().__init__(f"{block.where}: {reason}")
        self.block, self.reason, self.command, self.output, self.detail = block, reason, command, output, detail


@dataclass
class Outcome:
    block: Block
    seconds: float


def session_environment(workroot: Path, lock_file: Path | None = None) -> dict[str, str]:
    """The suite's own tools first on PATH; a private HOME, git identity and caches.

    `pip install` in a block is pinned by the lock file and reads the user's pip cache, so a
    reader's `pip install -r requirements.txt` gets the versions CI tests, without downloading them
    again.
    """
    home = workroot / "home"
    home.mkdir(parents=True, exist_ok=True)
    (home / ".gitconfig").write_text(GITCONFIG)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "COV_"))}
    pip_cache = env.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")
    env.update({
        "HOME": str(home),
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "/usr/bin:/bin")]),
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "DVC_NO_ANALYTICS": "1",
        "DVC_SITE_CACHE_DIR": str(workroot / "dvc-site-cache"),
        "MPLBACKEND": "Agg",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PAGER": "cat",
        "GIT_PAGER": "cat",
        "TERM": "dumb",
        "NO_COLOR": "1",
        "COLUMNS": "120",
        "PIP_CACHE_DIR": pip_cache,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    })
    if lock_file is not None and lock_file.is_file():
        env["PIP_CONSTRAINT"] = str(lock_file)
    env.pop("VIRTUAL_ENV", None)
    return env


def copy_project(project_dir: Path, workroot: Path) -> Path:
    workdir = workroot / project_dir.name
    shutil.copytree(project_dir, workdir, ignore=IGNORED, symlinks=True)
    return workdir


def run_session(session: Session, examples: Path, workroot: Path, *, timeout: float = 900,
                lock_file: Path | None = None) -> list[Outcome]:
    """Runs every block of `session`; raises BlockFailure at the first one that fails."""
    import time

    workdir = copy_project(examples / session.project, workroot)
    shell = ShellSession(workdir, session_environment(workroot, lock_file), timeout=timeout)
    python = PythonSession(timeout=timeout)
    outcomes = []
    try:
        if session.setup:
            result = shell.run(session.setup)
            if result.exit_code:
                first = session.blocks[0]
                raise BlockFailure(first, f"the page's setup (front matter 'setup:') exited with {result.exit_code}",
                                   session.setup, result.output)
        for block in session.blocks:
            started = time.monotonic()
            _run_block(block, shell, python, workdir)
            outcomes.append(Outcome(block, time.monotonic() - started))
    finally:
        python.close()
        shell.stop_servers()
    return outcomes


def _run_block(block: Block, shell: ShellSession, python: PythonSession, workdir: Path) -> None:
    if block.options.get("serves"):
        if block.lang not in ("bash", "sh", "shell"):
            raise BlockFailure(block, "serves=\"...\" is for bash blocks that start a server")
        problem = shell.start_server(block.code, block.options["serves"])
        if problem is not None:
            raise BlockFailure(block, f"the server did not answer at {block.options['serves']}", problem.command,
                               problem.output)
    elif block.lang in ("bash", "sh", "shell"):
        _expect_success(block, shell.run(block.code))
    elif block.lang == "console":
        for step in parse_console(block.code):
            result = shell.run(step.source, strict=False)
            _compare(block, step.source, step.expected, step.exit_code, result)
    elif block.lang in ("python", "py"):
        cwd, env = shell.current()
        _expect_success(block, python.run(block.code, cwd, env))
    elif block.lang == "pycon":
        cwd, env = shell.current()
        for step in parse_pycon(block.code):
            result = python.run(step.source, cwd, env, mode="single")
            _compare(block, step.source, step.expected, 0, result)
    elif block.lang in CONFIG:
        problem = check_config(block, workdir)
        if problem:
            raise BlockFailure(block, problem, detail=block.code)
    else:  # collection refuses these; kept as a guard for direct callers
        raise BlockFailure(block, f"'{block.lang}' blocks cannot be run")


def _expect_success(block: Block, result: Result) -> None:
    if result.exit_code != 0:
        raise BlockFailure(block, f"the block exited with status {result.exit_code}", result.command, result.output)


def _compare(block: Block, source: str, expected: list[str], exit_code: int, result: Result) -> None:
    actual = result.output.rstrip("\n").splitlines() if result.output.strip() else []
    if result.exit_code != exit_code:
        raise BlockFailure(block, f"'{source}' exited with {result.exit_code}, the page expects {exit_code}",
                           source, result.output)
    if not matches(expected, actual):
        raise BlockFailure(block, f"the output of '{source}' is not what the page shows", source, result.output,
                           explain(expected, actual))
