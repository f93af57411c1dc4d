"""Runs one session: a page's blocks, in order, in a fresh temporary copy of their project.

Shell blocks run as in one terminal (`cd` and `export` carry over), Python blocks share one
interpreter that starts where the shell stands, `console`/`pycon` blocks compare what each
command printed with what the page shows, and config blocks are checked against the project.
Nothing here writes into the repository: the copy, HOME and every cache live under `workroot`.

In update mode (`update=True`) a `console`/`pycon` step whose output or exit code differs is not
a failure: what it printed is kept in its block's Outcome (`actual`), for blocks/update.py to
rewrite the page with; every other kind of failure still stops the session.
"""

from __future__ import annotations

import doctest
import re
from collections.abc import Callable
from pathlib import Path

from ..kit import solution as _solution
from ..kit.step_checks import StepCheck
from .config_check import check_config, config_diff
from .console import StepOutput, parse_console, parse_pycon
from .matching import explain, matches
from .model import CONFIG, SHELL_SCRIPT, Block, Session
from .python_session import PythonSession
from .session import BlockFailure, Outcome, end_session, prepare_workdir, session_environment
from .shell import BLOCK_TIMEOUT, Result, ShellSession, unwaited_background

__all__ = ["BlockFailure", "Outcome", "run_blocks", "run_session", "session_environment"]


def run_session(session: Session, examples: Path, workroot: Path, *, timeout: float = BLOCK_TIMEOUT,
                lock_file: Path | None = None, update: bool = False) -> list[Outcome]:
    """Runs every block of `session`; raises BlockFailure at the first one that fails."""
    if session.path.suffix == ".ipynb":
        from .notebook_run import run_notebook_session

        return run_notebook_session(session, examples, workroot, timeout=timeout, lock_file=lock_file, update=update)
    return run_blocks(session, examples, workroot, timeout=timeout, lock_file=lock_file, update=update)


def run_blocks(session: Session, examples: Path, workroot: Path, *, timeout: float = BLOCK_TIMEOUT,
               lock_file: Path | None = None, update: bool = False, starter: bytes | None = None) -> list[Outcome]:
    """A page's blocks in order, in one shell and one Python interpreter."""
    import time

    workdir = prepare_workdir(session, examples, workroot, starter)
    env = session_environment(workroot, lock_file)
    shell = ShellSession(workdir, env, timeout=timeout)
    python = PythonSession(timeout=timeout)
    outcomes = []
    finished = False
    try:
        if session.setup:
            result = shell.run(session.setup)
            if result.exit_code:
                first = session.blocks[0]
                raise BlockFailure(first, f"the page's setup (front matter 'setup:') exited with {result.exit_code}",
                                   session.setup, result.output)
        proofs = StepProofs(session, shell)
        for block in session.blocks:
            started = time.monotonic()
            written = session.writes(block)
            # A check box's output is written by the site, not the author: never recorded for update.
            actual: list[StepOutput] | None = (
                [] if update and block.lang in ("console", "pycon") and block.step is None else None)
            if written:
                _write_file(block, written, shell)
            elif block.step is not None:
                proofs.before_box(block)
                _run_block(block, shell, python, workdir)
                for twin in session.translations.get(block.step.id, []):
                    _run_block(twin, shell, python, workdir)  # the translated box, at the same place
                proofs.after_box(block)
            else:
                _run_block(block, shell, python, workdir, actual)
                proofs.after_block(block)
            outcomes.append(Outcome(block, time.monotonic() - started, actual))
        if session.kit is not None and session.kit.writes:
            compare_with_solution(session, examples, workdir / session.kit.starter_name)
        if not update:  # the checkpoints reach each step and the solution (issue 26 §2)
            from .catch_up_proof import prove_catch_up

            prove_catch_up(session, examples, workdir, shell, compare_with_solution)
        finished = True
    except BlockFailure as failure:
        failure.outcomes = outcomes
        raise
    finally:
        python.close()
        shell.stop_servers()
        survivors = end_session(env)
    if finished and survivors:
        lingering = BlockFailure(session.blocks[-1], "processes of this session were still running when it ended: "
                                 + "; ".join(map(str, survivors)))
        lingering.outcomes = outcomes
        raise lingering
    return outcomes


class StepProofs:
    """Proves each step check real: `python check.py N` fails before step N's blocks (right after
    box N-1, or, for the first, as soon as the shell stands where check.py is) and passes after them
    (the box itself, run as a console block)."""

    def __init__(self, session: Session, shell: ShellSession):
        self.shell = shell
        self.boxes = [block for block in session.blocks if block.step is not None]
        self.failed_before: set[int] = set()  # step numbers whose check was seen failing
        self.last_block: Block | None = None

    def _prove(self, box: Block, after: str) -> None:
        from ..kit.step_checks import command, failure_start

        step = _step(box)
        run = command("en", step.number)
        result = self.shell.run(run, strict=False)
        first = result.output.strip().splitlines()[0] if result.output.strip() else ""
        if result.exit_code == 0:
            raise BlockFailure(box, f"the check of step {step.number} (\"{step.id}\") already passes {after}, before "
                               "its step's blocks ran: it cannot fail; check what the step creates or changes",
                               run, result.output)
        if result.exit_code != 1 or not first.startswith(failure_start("en", step.number, step.total)):
            raise BlockFailure(box, f"`{run}` {after} should report step {step.number} as not done yet (exit 1); it "
                               f"exited with {result.exit_code}", run, result.output)
        self.failed_before.add(step.number)

    def after_block(self, block: Block) -> None:
        self.last_block = block
        pending = next((box for box in self.boxes if _step(box).number not in self.failed_before), None)
        if pending is None or _step(pending).number != 1:
            return
        cwd, _ = self.shell.current()
        from ..kit.step_checks import SCRIPT_NAME

        if (cwd / SCRIPT_NAME).is_file():
            self._prove(pending, f"after {block.where}")

    def before_box(self, box: Block) -> None:
        number = _step(box).number
        if number not in self.failed_before:
            raise BlockFailure(box, f"this check box is reached before the shell ever stood in the project folder "
                               f"with check.py: `python check.py {number}` could not be shown to fail before its "
                               "step; put the box after the step's blocks, in the project folder", box.code)

    def after_box(self, box: Block) -> None:
        number = _step(box).number
        following = next((other for other in self.boxes if _step(other).number == number + 1), None)
        if following is not None:
            self._prove(following, f"right after the check of step {number} ({box.where})")


def _step(box: Block) -> StepCheck:
    """A check box's step (the boxes are the blocks that have one)."""
    if box.step is None:
        raise ValueError(f"{box.where} is not a check box")
    return box.step


def _write_file(block: Block, relative: str, shell: ShellSession) -> None:
    """A block titled with a file the participant writes: the file is created as the page shows it."""
    cwd, _ = shell.current()
    target = cwd / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    # As a reader copies it from the page: the block's lines, ending with one newline.
    target.write_text(block.code.rstrip("\n") + "\n" if block.code.strip() else "", encoding="utf-8")


def compare_with_solution(session: Session, examples: Path, participant: Path) -> None:
    """The participant's end state against the solution (kit/solution.py), a difference reported
    at the page's last block."""
    kit = session.kit
    if kit is None:
        return
    try:
        _solution.compare_with_solution(examples / session.project, participant, kit.writes,
                                        workshop=kit.workshop, project=session.project)
    except _solution.SolutionMismatch as mismatch:
        raise BlockFailure(session.blocks[-1], mismatch.message, detail=mismatch.detail) from None


def _compare_pipelines(last: Block, path: str, theirs: Path, mine: Path) -> None:
    """dvc.yaml against the solution's (kit/solution.py), a difference reported at `last`."""
    try:
        _solution.compare_pipelines(path, theirs, mine)
    except _solution.SolutionMismatch as mismatch:
        raise BlockFailure(last, mismatch.message, detail=mismatch.detail) from None


Runner = Callable[[Block, ShellSession, PythonSession, Path, list[StepOutput] | None], None]


def _run_block(block: Block, shell: ShellSession, python: PythonSession, workdir: Path,
               actual: list[StepOutput] | None = None) -> None:
    """Runs one block; `actual`, when given (update mode), collects what console/pycon steps printed."""
    if block.options.get("serves"):
        _run_server(block, shell)
        return
    runner = RUNNERS.get(block.lang)
    if runner is None:  # collection refuses these; kept as a guard for direct callers
        raise BlockFailure(block, f"'{block.lang}' blocks cannot be run")
    runner(block, shell, python, workdir, actual)


def _run_server(block: Block, shell: ShellSession) -> None:
    if block.lang not in SHELL_SCRIPT:
        raise BlockFailure(block, "serves=\"...\" is for bash blocks that start a server")
    problem = shell.start_server(block.code, block.options["serves"])
    if problem is not None:
        raise BlockFailure(block, f"the server did not answer at {block.options['serves']}", problem.command,
                           problem.output)


def _run_shell(block: Block, shell: ShellSession, python: PythonSession, workdir: Path,
               actual: list[StepOutput] | None) -> None:
    _refuse_background(block, block.code)
    result = shell.run(block.code)
    _expect_success(block, result)
    _refuse_leftovers(block, result)


def _run_console(block: Block, shell: ShellSession, python: PythonSession, workdir: Path,
                 actual: list[StepOutput] | None) -> None:
    for step in parse_console(block.code):
        _refuse_background(block, step.source)
        result = shell.run(step.source, strict=False)
        _refuse_leftovers(block, result)
        if actual is not None and _timed_out(result) is not None:
            raise BlockFailure(block, _timeout_reason(f"'{step.source}'", result), step.source, result.output)
        _compare(block, step.source, step.expected, step.exit_code, result, actual)


def _run_python(block: Block, shell: ShellSession, python: PythonSession, workdir: Path,
                actual: list[StepOutput] | None) -> None:
    cwd, env = shell.current()
    _expect_success(block, python.run(block.code, cwd, env))


def _run_pycon(block: Block, shell: ShellSession, python: PythonSession, workdir: Path,
               actual: list[StepOutput] | None) -> None:
    cwd, env = shell.current()
    for step in parse_pycon(block.code):
        result = python.run(step.source, cwd, env, mode="single")
        _compare_pycon(block, step, result, actual)


def _run_config(block: Block, shell: ShellSession, python: PythonSession, workdir: Path,
                actual: list[StepOutput] | None) -> None:
    problem = check_config(block, workdir)
    if problem:
        raise BlockFailure(block, problem, detail=config_diff(block, workdir))


# A block's language -> how it runs (a block with serves="..." starts a server instead).
RUNNERS: dict[str, Runner] = {
    **dict.fromkeys(SHELL_SCRIPT, _run_shell),
    "console": _run_console,
    "python": _run_python,
    "py": _run_python,
    "pycon": _run_pycon,
    **dict.fromkeys(CONFIG, _run_config),
}


BACKGROUND_FIX = ("a process sent to the background outlives its block: wait for it in the same block (`wait`), "
                  "or, for a server the next blocks use, give the block serves=\"<url it answers on>\"")


def _refuse_background(block: Block, code: str) -> None:
    line = unwaited_background(code)
    if line is not None:
        command = code.splitlines()[line - 1].strip()
        raise BlockFailure(block, f"`{command}` (line {line} of the block) runs in the background with `&` and "
                           f"the block never waits for it; {BACKGROUND_FIX}", command)


def _refuse_leftovers(block: Block, result: Result) -> None:
    if result.leftovers and result.exit_code == 0:
        raise BlockFailure(block, "the block left processes running, which were stopped ("
                           + "; ".join(result.leftovers) + f"); {BACKGROUND_FIX}", result.command, result.output)


_TIMED_OUT = re.compile(r"\[timed out after (\d+) s\b")  # what shell.py and python_session.py append


def _timed_out(result: Result) -> str | None:
    """The block timeout, in seconds, when the block or step was stopped by it."""
    found = _TIMED_OUT.findall(result.output) if result.exit_code == 124 else []
    return found[-1] if found else None


def _timeout_reason(what: str, result: Result) -> str:
    return (f"{what} did not finish within the block timeout ({_timed_out(result)} s): it and everything it "
            "started were stopped, so it exited with status 124; a block that starts a server the next blocks use "
            "takes serves=\"<url>\"")


def _expect_success(block: Block, result: Result) -> None:
    if result.exit_code == 0:
        return
    if _timed_out(result) is not None:
        raise BlockFailure(block, _timeout_reason("the block", result), result.command, result.output)
    lines = result.command.splitlines()
    if result.failed_line is not None and len(lines) > 1:
        command = lines[result.failed_line - 1].strip()
        raise BlockFailure(block, f"`{command}` (line {result.failed_line} of the block) exited with status "
                           f"{result.exit_code}; the lines after it did not run", command, result.output)
    raise BlockFailure(block, f"the block exited with status {result.exit_code}", result.command, result.output)


_PYCON_FLAGS = doctest.ELLIPSIS
# doctest's own reading of an expected exception (`Traceback (most recent call last):` ... message).
_EXCEPTION_RE: re.Pattern[str] = getattr(doctest.DocTestParser, "_EXCEPTION_RE")  # noqa: B009 - private to doctest


def _compare_pycon(block: Block, step, result: Result, record: list[StepOutput] | None) -> None:
    """One `>>>` statement, judged by doctest's own OutputChecker (`...` is doctest's ellipsis) and
    its conventions for an expected exception: a `Traceback (most recent call last):` line, then
    anything, then the exception's type and message as the interpreter prints them."""
    want = "\n".join(step.expected) + "\n" if step.expected else ""
    expected_error = _EXCEPTION_RE.match(want) if want else None
    checker = doctest.OutputChecker()
    if result.exception is not None or result.exit_code != 0:
        if expected_error is None:
            if record is not None and result.exception is None:
                record.append(StepOutput(_lines(result.output), result.exit_code, False))
                return
            raise BlockFailure(block, f"'{step.source}' raised an exception the page does not show (to show one, "
                               "write 'Traceback (most recent call last):' and its last line, as doctest does)",
                               step.source, result.output)
        got = result.exception or ""
        if not checker.check_output(expected_error.group("msg"), got, _PYCON_FLAGS):
            raise BlockFailure(block, f"'{step.source}' raised another exception than the page shows", step.source,
                               result.output, explain(expected_error.group("msg").splitlines(), got.splitlines()))
        if record is not None:
            record.append(StepOutput(step.expected, 0, True))
        return
    if expected_error is not None:
        raise BlockFailure(block, f"'{step.source}' raised no exception; the page shows one", step.source,
                           result.output)
    actual = _lines(result.output)
    passed = checker.check_output(want, result.output, _PYCON_FLAGS) or matches(step.expected, actual)
    if record is not None:
        record.append(StepOutput(actual, 0, passed))
        return
    if not passed:
        raise BlockFailure(block, f"the output of '{step.source}' is not what the page shows", step.source,
                           result.output, explain(step.expected, actual))


def _lines(output: str) -> list[str]:
    return output.rstrip("\n").splitlines() if output.strip() else []


def _compare(block: Block, source: str, expected: list[str], exit_code: int, result: Result,
             record: list[StepOutput] | None = None) -> None:
    actual = result.output.rstrip("\n").splitlines() if result.output.strip() else []
    if record is not None and exit_code == 0 and result.exit_code != 0:
        # A command that fails where the page expects success is a broken step, not new output:
        # the update mode never writes a failure into a page (write `[N]` by hand if it is meant).
        raise BlockFailure(block, f"'{source}' exited with {result.exit_code} where the page expects success; "
                           "--workshop-update-output does not record failures", source, result.output)
    if record is not None:
        record.append(StepOutput(actual, result.exit_code, result.exit_code == exit_code and matches(expected, actual)))
        return
    if result.exit_code != exit_code and _timed_out(result) is not None:
        raise BlockFailure(block, _timeout_reason(f"'{source}'", result), source, result.output)
    if result.exit_code != exit_code:
        raise BlockFailure(block, f"'{source}' exited with {result.exit_code}, the page expects {exit_code}",
                           source, result.output)
    if not matches(expected, actual):
        raise BlockFailure(block, f"the output of '{source}' is not what the page shows", source, result.output,
                           explain(expected, actual))
