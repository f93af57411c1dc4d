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
from pathlib import Path

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
            actual = [] if update and block.lang in ("console", "pycon") and block.step is None else None
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
        failure = BlockFailure(session.blocks[-1], "processes of this session were still alive after it ended and "
                               "SIGKILL: " + "; ".join(map(str, survivors)))
        failure.outcomes = outcomes
        raise failure
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

        step = box.step
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
        pending = next((box for box in self.boxes if box.step.number not in self.failed_before), None)
        if pending is None or pending.step.number != 1:
            return
        cwd, _ = self.shell.current()
        from ..kit.step_checks import SCRIPT_NAME

        if (cwd / SCRIPT_NAME).is_file():
            self._prove(pending, f"after {block.where}")

    def before_box(self, box: Block) -> None:
        if box.step.number not in self.failed_before:
            raise BlockFailure(box, f"this check box is reached before the shell ever stood in the project folder "
                               f"with check.py: `python check.py {box.step.number}` could not be shown to fail before its step; "
                               "put the box after the step's blocks, in the project folder", box.code)

    def after_box(self, box: Block) -> None:
        following = next((other for other in self.boxes if other.step.number == box.step.number + 1), None)
        if following is not None:
            self._prove(following, f"right after the check of step {box.step.number} ({box.where})")


def _write_file(block: Block, relative: str, shell: ShellSession) -> None:
    """A block titled with a file the participant writes: the file is created as the page shows it."""
    cwd, _ = shell.current()
    target = cwd / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    # As a reader copies it from the page: the block's lines, ending with one newline.
    target.write_text(block.code.rstrip("\n") + "\n" if block.code.strip() else "", encoding="utf-8")


def _key_paths(data, prefix: str = "") -> set[str]:
    if isinstance(data, dict):
        return {f"{prefix}{key}" for key in data} | {path for key, value in data.items()
                                                     for path in _key_paths(value, f"{prefix}{key}.")}
    return set()


def compare_with_solution(session: Session, examples: Path, participant: Path) -> None:
    """The participant's end state against the solution: every file they wrote exists and is the
    solution's, byte for byte; parameter files (`*.yaml` other than dvc.yaml), which experiments
    change, need the same keys only; dvc.yaml the same pipeline (`_compare_pipelines`)."""
    import difflib

    import yaml

    from ..kit.archive import project_files, shipped_bytes

    solution = examples / session.project
    last = session.blocks[-1]
    for written in session.kit.writes:
        expected = project_files(solution / written) if (solution / written).is_dir() else [""]
        for relative in expected:
            path = f"{written}/{relative}" if relative else written
            mine, theirs = participant / path, solution / path
            if not mine.is_file():
                raise BlockFailure(last, f"the page never creates {path}, which the participant writes "
                                   f"(kit '{session.kit.workshop}'): show it in a block titled \"{path}\"")
            if Path(path).name == "dvc.yaml":
                _compare_pipelines(last, path, theirs, mine)
                continue
            if path.endswith((".yaml", ".yml")):
                missing = _key_paths(yaml.safe_load(theirs.read_text())) ^ _key_paths(yaml.safe_load(mine.read_text()))
                if missing:
                    raise BlockFailure(last, f"{path} at the end of the page does not have the solution's keys "
                                       f"(differing: {', '.join(sorted(missing))})")
                continue
            if mine.read_bytes() != shipped_bytes(theirs):
                diff = "".join(difflib.unified_diff(
                    theirs.read_text(errors="replace").splitlines(True), mine.read_text(errors="replace").splitlines(True),
                    f"solution/{path}", f"participant/{path}"))
                raise BlockFailure(last, f"{path} as the page has the participant write it differs from the "
                                   f"solution in examples/{session.project}", detail=diff)


def _compare_pipelines(last: Block, path: str, theirs: Path, mine: Path) -> None:
    """dvc.yaml: the same stages, and every other entry of the solution's (plots, metrics...).
    What a run adds beside them is allowed: DVCLive writes its metrics, plots and artifacts into
    the project's dvc.yaml while the pipeline runs, as the workshops show."""
    import difflib

    import yaml

    solution, written = yaml.safe_load(theirs.read_text()) or {}, yaml.safe_load(mine.read_text()) or {}
    problems = []
    if solution.get("stages") != written.get("stages"):
        problems.append("its stages differ")
    for key, value in solution.items():
        if key == "stages":
            continue
        have = written.get(key)
        if isinstance(value, list):
            missing = [entry for entry in value if not isinstance(have, list) or entry not in have]
        elif isinstance(value, dict):
            missing = [name for name, entry in value.items() if not isinstance(have, dict) or have.get(name) != entry]
        else:
            missing = [] if have == value else [value]
        if missing:
            problems.append(f"its '{key}' lacks {missing}")
    if problems:
        diff = "".join(difflib.unified_diff(theirs.read_text(errors="replace").splitlines(True),
                                            mine.read_text(errors="replace").splitlines(True),
                                            f"solution/{path}", f"participant/{path}"))
        raise BlockFailure(last, f"{path} at the end of the page is not the solution's pipeline: "
                           + "; ".join(problems), detail=diff)


def _run_block(block: Block, shell: ShellSession, python: PythonSession, workdir: Path,
               actual: list[StepOutput] | None = None) -> None:
    """Runs one block; `actual`, when given (update mode), collects what console/pycon steps printed."""
    if block.options.get("serves"):
        if block.lang not in SHELL_SCRIPT:
            raise BlockFailure(block, "serves=\"...\" is for bash blocks that start a server")
        problem = shell.start_server(block.code, block.options["serves"])
        if problem is not None:
            raise BlockFailure(block, f"the server did not answer at {block.options['serves']}", problem.command,
                               problem.output)
    elif block.lang in SHELL_SCRIPT:
        _refuse_background(block, block.code)
        result = shell.run(block.code)
        _expect_success(block, result)
        _refuse_leftovers(block, result)
    elif block.lang == "console":
        for step in parse_console(block.code):
            _refuse_background(block, step.source)
            result = shell.run(step.source, strict=False)
            _refuse_leftovers(block, result)
            if actual is not None and result.exit_code == 124 and "[timed out after " in result.output:
                raise BlockFailure(block, f"'{step.source}' timed out", step.source, result.output)
            _compare(block, step.source, step.expected, step.exit_code, result, actual)
    elif block.lang in ("python", "py"):
        cwd, env = shell.current()
        _expect_success(block, python.run(block.code, cwd, env))
    elif block.lang == "pycon":
        cwd, env = shell.current()
        for step in parse_pycon(block.code):
            result = python.run(step.source, cwd, env, mode="single")
            _compare_pycon(block, step, result, actual)
    elif block.lang in CONFIG:
        problem = check_config(block, workdir)
        if problem:
            raise BlockFailure(block, problem, detail=config_diff(block, workdir))
    else:  # collection refuses these; kept as a guard for direct callers
        raise BlockFailure(block, f"'{block.lang}' blocks cannot be run")


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


def _expect_success(block: Block, result: Result) -> None:
    if result.exit_code == 0:
        return
    if result.exit_code == 124 and "[timed out after " in result.output:
        raise BlockFailure(block, "the block did not finish within the block timeout (exited with status 124): it "
                           "and everything it started were stopped; a block that starts a server the next blocks "
                           "use takes serves=\"<url>\"", result.command, result.output)
    lines = result.command.splitlines()
    if result.failed_line is not None and len(lines) > 1:
        command = lines[result.failed_line - 1].strip()
        raise BlockFailure(block, f"`{command}` (line {result.failed_line} of the block) exited with status "
                           f"{result.exit_code}; the lines after it did not run", command, result.output)
    raise BlockFailure(block, f"the block exited with status {result.exit_code}", result.command, result.output)


_PYCON_FLAGS = doctest.ELLIPSIS


def _compare_pycon(block: Block, step, result: Result, record: list[StepOutput] | None) -> None:
    """One `>>>` statement, judged by doctest's own OutputChecker (`...` is doctest's ellipsis) and
    its conventions for an expected exception: a `Traceback (most recent call last):` line, then
    anything, then the exception's type and message as the interpreter prints them."""
    want = "\n".join(step.expected) + "\n" if step.expected else ""
    expected_error = doctest.DocTestParser._EXCEPTION_RE.match(want) if want else None
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
    if result.exit_code != exit_code:
        raise BlockFailure(block, f"'{source}' exited with {result.exit_code}, the page expects {exit_code}",
                           source, result.output)
    if not matches(expected, actual):
        raise BlockFailure(block, f"the output of '{source}' is not what the page shows", source, result.output,
                           explain(expected, actual))
