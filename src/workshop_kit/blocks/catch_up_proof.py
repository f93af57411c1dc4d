"""The proof that a kit's checkpoints work, at the end of its tested session (issue 26 §2).

After the page's last block and the solution comparison, the session's project folder is a
participant's folder at the end of the workshop. The last step's checkpoint is put beside it, as a
participant downloads it, and `python check.py --catch-up T` runs there, as they run it:

(a) every file the folder held (its .venv aside) is, byte for byte, either in the dated backup
    folder or the starter's own file, still in place: nothing of the participant's is lost;
(b) the replay reports every step ✓: each checkpoint k replays the prefix 1..k of the same plan
    (tests/kit/test_checkpoint_plans.py asserts the prefix property), so each reaches the state
    its step's check expects;
(c) the solution comparison passes again on the replayed folder: checkpoint N's replay, then the
    page's blocks after step N, is the page's whole sequence, which reaches the solution.

A failure names the step, the page line of the action that failed, and what the catch-up printed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shlex
import time
from collections.abc import Callable
from pathlib import Path

from ..kit.catch_up import CATCH_UP_NAME, checkpoint_name, checkpoint_zip
from .checkpoints import git_commands, plan
from .model import Block, Session
from .session import BlockFailure
from .shell import ShellSession

log = logging.getLogger(__name__)
KEPT = ".venv"


def _digests(folder: Path) -> dict[str, str]:
    """Every file under `folder` but its .venv: relative path -> sha256 (a symlink: its target)."""
    found = {}
    for current, dirs, files in os.walk(folder):
        here = Path(current)
        if here == folder and KEPT in dirs:
            dirs.remove(KEPT)
        for name in dirs + files:
            path = here / name
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[relative] = "link:" + os.readlink(path)
                if name in dirs:
                    dirs.remove(name)
            elif name in files:
                found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _starter_digests(data: bytes) -> dict[str, str]:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name.partition("/")[2]: hashlib.sha256(archive.read(name)).hexdigest()
                for name in archive.namelist() if not name.endswith("/") and not name.endswith("/" + CATCH_UP_NAME)}


def _block_at(session: Session, where: str, fallback: Block) -> Block:
    return next((block for block in session.blocks if block.where == where), fallback)


def prove_catch_up(session: Session, examples: Path, workdir: Path, shell: ShellSession,
                   compare_with_solution: Callable[[Session, Path, Path], None]) -> float | None:
    """Runs the proof; returns the seconds the catch-up took (None: the session has no steps).
    `compare_with_solution(session, examples, folder)`: the runner's comparison of a folder with
    the kit's solution, raising BlockFailure (given by run.py, which this module does not import)."""
    if session.kit is None or not any(block.step for block in session.blocks):
        return None

    kit = session.kit
    steps = plan(session)
    total = len(steps)
    last_box = next(block for block in reversed(session.blocks) if block.step is not None)
    project = workdir / kit.starter_name
    data = checkpoint_zip(kit, examples, session.kit_files, steps, total, git_commands(session))
    (workdir / f"{checkpoint_name(kit, total)}.zip").write_bytes(data)
    shell.stop_servers()  # the page's servers hold the ports the replay starts its own on (and write files)
    before = _digests(project)
    starter = _starter_digests(data)
    command = f"cd {shlex.quote(str(project))} && python check.py --catch-up {total}"
    timeout = shell.timeout
    shell.timeout = timeout * max(1, total)  # the whole page again, in one command
    started = time.monotonic()
    try:
        result = shell.run(command, strict=False)
    finally:
        shell.timeout = timeout
    seconds = time.monotonic() - started
    log.info("catch-up proof of %s: %d steps replayed in %.0f s", kit.workshop, total, seconds)
    output = result.output
    if result.exit_code != 0:
        stopped = next((line for line in output.splitlines() if "✗ The catch-up stopped at step" in line), "")
        where = stopped.partition("(")[2].partition(")")[0]
        block = _block_at(session, where, last_box)
        raise BlockFailure(block, f"`python check.py --catch-up {total}` (the checkpoint of step {total}, replayed in "
                           f"the session's folder) exited with {result.exit_code}: {stopped or 'see its output'}",
                           command, output)
    missing = [number for number in range(1, total + 1) if f"Step {number}/{total} ✓" not in output]
    if missing:
        raise BlockFailure(last_box, f"the catch-up to step {total} did not report step(s) "
                           f"{', '.join(map(str, missing))} ✓", command, output)
    if result.leftovers:
        raise BlockFailure(last_box, "the catch-up left processes running: " + "; ".join(result.leftovers),
                           command, output)
    backups = sorted(path for path in workdir.iterdir()
                     if path.name.startswith(f"{project.name}-backup-") and not path.name.endswith("-beside"))
    saved = _digests(backups[-1]) if backups else {}
    after = _digests(project)
    lost = [relative for relative, digest in sorted(before.items())
            if saved.get(relative) != digest and not (starter.get(relative) == digest == after.get(relative))]
    if lost:
        raise BlockFailure(last_box, f"the catch-up lost {len(lost)} of the participant's file(s): neither in the "
                           f"backup {backups[-1].name if backups else '(none made)'} byte for byte nor the starter's: "
                           + ", ".join(lost[:10]), command, output)
    if kit.writes:
        try:
            compare_with_solution(session, examples, project)
        except BlockFailure as failure:
            raise BlockFailure(failure.block, f"after the catch-up to step {total}: {failure.reason}", command,
                               output, failure.detail) from None
    return seconds
