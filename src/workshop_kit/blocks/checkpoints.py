"""A kit session's catch-up plan: for each step, the actions a participant's blocks took, in order.

Step k is the blocks after the "Get the project" box up to check box k (kit/catch_up.py says what
each action is). They are read as the runner runs them (blocks/run.py): a block titled with a file
the participant writes is a `write`, a `serves=` block a `serve`, a bash block one strict script, a
console block its `$` commands with the exit statuses the page shows, a python or pycon block its
code for one shared interpreter. Blocks the session leaves out (`skip=`) are not in it; config
blocks only compare a file with the page and change nothing; the blocks after the last check box
belong to no step.
"""

from __future__ import annotations

import doctest
from pathlib import Path

from ..extensions.kit_box import git_start
from ..kit.catch_up import checkpoint_name, checkpoint_zip
from .console import parse_console, parse_pycon
from .model import CONFIG, SHELL_SCRIPT, Block, Session


def box_blocks(session: Session) -> list[Block]:
    """The "Get the project" box's blocks: the session's first block (`kit="..."`) and those the box
    expands to on the same page line (the requirements' block after a PyTorch CPU line)."""
    if session.kit is None or not session.blocks or not session.blocks[0].options.get("kit"):
        return []
    first = session.blocks[0]
    return [block for block in session.blocks if block.path == first.path and block.line == first.line]


def action(session: Session, block: Block) -> dict | None:
    """One block as the replay takes it; None for a block that changes nothing."""
    where = block.where
    written = session.writes(block)
    if written:
        return {"kind": "write", "where": where, "path": written,
                "text": block.code.rstrip("\n") + "\n" if block.code.strip() else ""}
    if block.options.get("serves"):
        return {"kind": "serve", "where": where, "command": block.code.rstrip("\n"), "url": block.options["serves"]}
    if block.lang in SHELL_SCRIPT:
        return {"kind": "run", "where": where, "commands": [{"command": block.code.rstrip("\n"), "exit": 0,
                                                             "strict": True}]}
    if block.lang == "console":
        return {"kind": "run", "where": where, "commands": [{"command": step.source, "exit": step.exit_code,
                                                             "strict": False} for step in parse_console(block.code)]}
    if block.lang in ("python", "py"):
        return {"kind": "python", "where": where, "statements": [{"code": block.code, "mode": "exec",
                                                                  "raises": False}]}
    if block.lang == "pycon":
        statements = []
        for step in parse_pycon(block.code):
            want = "\n".join(step.expected) + "\n" if step.expected else ""
            # doctest's own reading of an expected traceback, as the runner judges it (run._compare_pycon)
            raises = bool(want and doctest.DocTestParser._EXCEPTION_RE.match(want))  # type: ignore[attr-defined]
            statements.append({"code": step.source, "mode": "single", "raises": raises})
        return {"kind": "python", "where": where, "statements": statements}
    if block.lang in CONFIG:
        return None
    return None


def plan(session: Session) -> list[dict]:
    """The session's steps, each `{"number", "id", "where", "actions"}` (where: its check box)."""
    box = box_blocks(session)
    steps: list[dict] = []
    actions: list[dict] = []
    for block in session.blocks[len(box):]:
        if block.skip is not None:
            continue
        if block.step is not None:
            steps.append({"number": block.step.number, "id": block.step.id, "where": block.where,
                          "actions": actions})
            actions = []
            continue
        found = action(session, block)
        if found is not None:
            actions.append(found)
    return steps


def rest(session: Session) -> list[Block]:
    """The blocks after the last check box: in no step, run by the session after them."""
    last = max((index for index, block in enumerate(session.blocks) if block.step is not None), default=None)
    return [] if last is None else session.blocks[last + 1:]


def git_commands(session: Session) -> list[str]:
    """The box's commands that make the project a Git repository (kit `git: true`), in bash."""
    return git_start(posix=True) if session.kit is not None and session.kit.git else []


def checkpoints(session: Session, examples: Path) -> dict[str, bytes]:
    """`<kit>-step-N` -> its zip, for every step of a kit session with step checks."""
    if session.kit is None:
        return {}
    steps = plan(session)
    git = git_commands(session)
    return {checkpoint_name(session.kit, number): checkpoint_zip(session.kit, examples, session.kit_files, steps,
                                                                  number, git)
            for number in range(1, len(steps) + 1)}
