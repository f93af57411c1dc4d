"""Runs a notebook page's session: the notebook itself, executed by a Jupyter kernel in a fresh
copy of its project, each code cell's outputs compared with the ones stored in the notebook.

The page shows the stored outputs (mkdocs-jupyter renders them without executing anything), so
what the page shows is what this run produced. `update=True` rewrites the stored outputs from the
run instead of comparing: the notebook file in examples/ (the page is a symlink to it) and its
translations, whose code cells are the same and whose outputs are therefore the same.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from .model import Block, Session
from .notebook_outputs import code_sources, comparable, diff, render, stored_outputs, with_outputs
from .session import BlockFailure, Outcome, end_session, prepare_workdir, session_environment
from .shell import BLOCK_TIMEOUT, ShellSession

KERNEL = "python3"
_LANG = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")


def run_notebook_session(session: Session, examples: Path, workroot: Path, *, timeout: float = BLOCK_TIMEOUT,
                         lock_file: Path | None = None, update: bool = False) -> list[Outcome]:
    import nbformat

    path = notebook_file(session, examples)
    stored = nbformat.read(path, as_version=4)
    workdir = prepare_workdir(session, examples, workroot)
    env = session_environment(workroot, lock_file)
    try:
        if session.setup:
            result = ShellSession(workdir, env, timeout=timeout).run(session.setup)
            if result.exit_code:
                raise BlockFailure(session.blocks[0], f"the notebook's setup (metadata workshop.setup) exited with "
                                   f"{result.exit_code}", session.setup, result.output)
        ran, outcomes = execute(stored, session, workdir, env, timeout)
    finally:
        survivors = end_session(env)  # what the kernel's cells left running
    if survivors:
        raise BlockFailure(session.blocks[-1], "processes of this session were still running when it ended "
                           "(stopped now): " + "; ".join(map(str, survivors)))
    twins = translations(path, stored)
    if update:
        for target in [path, *twins]:
            write_outputs(target, ran)
        return outcomes
    paths = (str(workroot.resolve()), str(workroot))
    for target, notebook in [(path, stored), *((twin, nbformat.read(twin, as_version=4)) for twin in twins)]:
        cells = [(number, cell) for number, cell in enumerate(notebook.cells, start=1) if cell.cell_type == "code"]
        # One output list per code cell: `ran` has one per code cell of `stored`, and a twin has the same code cells.
        for (number, cell), outputs in zip(cells, ran, strict=True):
            expected, actual = comparable(cell.get("outputs", []), paths), comparable(outputs, paths)
            if expected != actual:
                raise _mismatch(session, target, number, cell, expected, actual)
    return outcomes


def notebook_file(session: Session, examples: Path) -> Path:
    """The notebook a session comes from, symlinks resolved (the file in examples/)."""
    page = Path(session.path)
    candidates = [page] if page.is_absolute() else [examples.parent / page, Path.cwd() / page]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    raise BlockFailure(session.blocks[0], f"the notebook {page} cannot be found (looked at "
                       f"{', '.join(str(c) for c in candidates)})")


def translations(path: Path, notebook) -> list[Path]:
    """`x.fr.ipynb` beside `x.ipynb` (or the other way round) with the same code cells."""
    import nbformat

    parts = path.name[: -len(".ipynb")].rsplit(".", 1)
    base = parts[0] if len(parts) == 2 and _LANG.match(parts[1]) else path.name[: -len(".ipynb")]
    found = []
    for other in sorted(path.parent.glob(f"{base}*.ipynb")):
        middle = other.name[len(base): -len(".ipynb")]
        if other.resolve() == path.resolve() or (middle and not (middle[0] == "." and _LANG.match(middle[1:]))):
            continue
        if code_sources(nbformat.read(other, as_version=4)) == code_sources(notebook):
            found.append(other.resolve())
    return found


def execute(notebook, session: Session, workdir: Path, env: dict[str, str], timeout: float):
    """Runs every code cell of a copy of `notebook` in one kernel; returns the outputs of each code
    cell (as stored) and the time each took. A cell that raises or times out fails its block."""
    import copy

    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    notebook = copy.deepcopy(notebook)
    blocks = {block.line: block for block in session.blocks}
    client = NotebookClient(notebook, timeout=timeout, kernel_name=KERNEL, allow_errors=False,
                            record_timing=False, resources={"metadata": {"path": str(workdir)}})
    ran, outcomes = [], []
    with client.setup_kernel(env=env, cwd=str(workdir)):
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            block = blocks.get(index + 1) or _cell_block(session, index + 1, cell)
            started = time.monotonic()
            try:
                client.execute_cell(cell, index)
            except CellTimeoutError:
                raise BlockFailure(block, f"cell {index + 1} ({_first_line(cell)}) did not finish within "
                                   f"{timeout:.0f} s", cell.source, _shown(cell)) from None
            except DeadKernelError as err:
                raise BlockFailure(block, f"the kernel died running cell {index + 1} ({_first_line(cell)}): {err}",
                                   cell.source, _shown(cell)) from None
            except CellExecutionError as err:
                raise BlockFailure(block, f"cell {index + 1} ({_first_line(cell)}) raised "
                                   f"{err.ename or 'an error'}", cell.source, _shown(cell, err)) from None
            ran.append(stored_outputs(cell.get("outputs", [])))
            outcomes.append(Outcome(block, time.monotonic() - started))
    return ran, outcomes


def write_outputs(path: Path, outputs: list[list]) -> None:
    """Stores `outputs` in the notebook at `path`, in nbformat's own layout (the file's layout)."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    with_outputs(notebook, outputs)
    nbformat.write(notebook, path)


def _cell_block(session: Session, number: int, cell) -> Block:
    first = session.blocks[0]
    return Block(first.path, number, "python", cell.source + "\n", {}, session.project)


def _first_line(cell) -> str:
    lines = [line for line in cell.source.splitlines() if line.strip()]
    return repr(lines[0][:60]) if lines else "empty"


def _shown(cell, err=None) -> str:
    text = "\n".join(render(comparable(cell.get("outputs", []))))
    if err is not None:
        text += ("\n" if text else "") + str(err)
    return text


def _mismatch(session: Session, path: Path, number: int, cell, expected, actual) -> BlockFailure:
    block = next((b for b in session.blocks if b.line == number), None) or _cell_block(session, number, cell)
    return BlockFailure(block, f"cell {number} ({_first_line(cell)}) of {path.name}: the outputs stored in the "
                        "notebook are not what the cell prints now; if the change is expected, store the new ones "
                        "with `pytest --workshop-update-output`", cell.source, "\n".join(render(actual)),
                        diff(expected, actual, f"stored in {path.name}", "this run"))
