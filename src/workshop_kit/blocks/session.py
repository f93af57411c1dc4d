"""A session's plumbing, shared by the page runner (run.py) and the notebook runner
(notebook_run.py): its environment (a fresh laptop's, every folder inside the session's root), the
folder it starts in, its end (nothing of it left running), and how a failure is reported."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..kit.archive import starter_zip
from .console import StepOutput
from .model import Block, Session
from .processes import MARK, end, mark, watch

IGNORED = shutil.ignore_patterns("__pycache__", ".venv", ".pytest_cache", ".ipynb_checkpoints", "*.pyc")
# The example projects' own tests commit as a fixed identity; a page's session starts from a
# fresh laptop's Git: no identity, no default branch, every hint (the pages set what they need).
TEST_GITCONFIG = """\
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
        # The blocks that completed before this one (their recorded output, in update mode).
        self.outcomes: list[Outcome] = []


@dataclass
class Outcome:
    block: Block
    seconds: float
    # Update mode, console/pycon blocks: what each step printed, in order.
    actual: list[StepOutput] | None = field(default=None)


def session_environment(workroot: Path, lock_file: Path | None = None, *, participant: bool = True) -> dict[str, str]:
    """The suite's own tools first on PATH; a private HOME and caches.

    `participant=True` (a page's session) is a fresh laptop: an empty Git configuration (no
    identity: the pages' own commands set one) and no setting that hides a tool's output from the
    reader. `participant=False` (an example project's own tests) commits as a fixed identity.
    What stays set for both keeps the tests off the network (no usage reports: the pages say what
    a participant sees instead) and makes output comparable (no colours, no pager, 120 columns).

    `pip install` in a block is pinned by the lock file and reads the user's pip cache, so a
    reader's `pip install -r requirements.txt` gets the versions CI tests, without downloading them
    again.
    """
    home = workroot / "home"
    home.mkdir(parents=True, exist_ok=True)
    tmp = workroot / "tmp"
    tmp.mkdir(exist_ok=True)
    (home / ".gitconfig").write_text("" if participant else TEST_GITCONFIG)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "COV_"))}
    pip_cache = env.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")
    env.update({
        "HOME": str(home),
        # Every per-user folder inside the session's root: nothing a block writes lands elsewhere.
        "TMPDIR": str(tmp),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "/usr/bin:/bin")]),
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "DVC_NO_ANALYTICS": "1",
        # No usage reports from the tools a session runs (MLflow 3 sends them by default).
        "MLFLOW_DISABLE_TELEMETRY": "true",
        "DO_NOT_TRACK": "1",
        "DVC_SITE_CACHE_DIR": str(workroot / "dvc-site-cache"),
        "MPLBACKEND": "Agg",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
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
    for key in ("XDG_RUNTIME_DIR", "TMP", "TEMP"):
        env.pop(key, None)
    # Every process of the session carries its token, and this process adopts the orphans it leaves
    # (blocks/processes.py): set here, in the process that runs the session, before it starts any.
    watch(mark(env))
    return env


def copy_project(project_dir: Path, workroot: Path) -> Path:
    workdir = workroot / project_dir.name
    shutil.copytree(project_dir, workdir, ignore=IGNORED, symlinks=True)
    return workdir


def prepare_workdir(session: Session, examples: Path, workroot: Path, starter: bytes | None = None) -> Path:
    """Where the session's shell starts: a copy of the project, or, for a page that starts with a
    "Get the project" box, an empty folder holding the starter zip the site offers for download
    (`starter`: the bytes a browser downloaded from the built page, for the replay)."""
    if session.kit is None:
        return copy_project(examples / session.project, workroot)
    downloads = workroot / "participant"
    downloads.mkdir(parents=True)
    data = starter if starter is not None else starter_zip(session.kit, examples, session.kit_files)
    (downloads / f"{session.kit.starter_name}.zip").write_bytes(data)
    return downloads


def end_session(env: dict[str, str]) -> list:
    """Stops every process the session left running once its own stops are done: one still carrying
    the session's token outside its servers' groups, and one that shed it too (`setsid -f env -i
    ...`), adopted by this process; returns them all (blocks/processes.py `Stopped`), each saying
    whether it survived SIGKILL: the session fails naming them."""
    return end(env.get(MARK, ""))
