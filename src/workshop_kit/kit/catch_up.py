"""A kit's checkpoints: one zip per step, from which `python check.py --catch-up N` brings a
participant's folder to the state the handout reaches at step N.

A checkpoint holds no state: a session's state holds `.git` objects, DVC caches, trained models and
an `mlflow.db` with absolute paths, neither reproducible nor small. It holds the starter's files
(check.py and its spec included) and `catch-up.json`, the **plan** of steps 1 to N: the ordered
actions of the page's blocks between the "Get the project" box and check box N, which check.py
replays in the participant's folder after saving their files (blocks/checkpoints.py builds the
plan from the tested session; kit/participant_check.py replays it). Same plan, same bytes: the
zip is built like the starter (kit/archive.py).

An action is a JSON object with `kind` and `where` (the page's file:line):

- `run`: `commands`, each `{"command", "exit", "strict"}`: a bash block is one strict script, a
  console block one command per `$` line with the exit status the page shows;
- `write`: `path` (relative to where the shell stands) and `text`: a file the participant writes;
- `serve`: `command` and `url`: a server started in the background, stopped when the replay ends;
- `python`: `statements`, each `{"code", "mode", "raises"}`, run in one interpreter for the whole
  replay (`single`: a `>>>` statement; `raises`: the page shows its traceback).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .archive import starter_files, zip_bytes
from .config import Kit

CATCH_UP_NAME = "catch-up.json"
KINDS = ("run", "write", "serve", "python")
# A folder beside the project that the page's commands name (`../dvc-storage`): the catch-up saves
# it with the participant's files, so the replay makes it again from nothing.
_BESIDE = re.compile(r"(?<![\w.])\.\./([A-Za-z0-9_][A-Za-z0-9._-]*)")


def checkpoint_name(kit: Kit, number: int) -> str:
    return f"{kit.workshop}-step-{number}"


def beside(steps: list[dict]) -> list[str]:
    """The names of the folders and files beside the project that the steps' commands make
    (`../dvc-storage`, `bash scripts/make_data_registry.sh ../data-registry`), sorted."""
    found: set[str] = set()
    for step in steps:
        for action in step["actions"]:
            texts = [command["command"] for command in action.get("commands", [])] + [action.get("command", "")]
            for text in texts:
                found.update(match.group(1).rstrip(".") for match in _BESIDE.finditer(text))
    return sorted(name for name in found if name)


def plan_data(kit: Kit, steps: list[dict], number: int, git: list[str]) -> dict:
    """`catch-up.json` of checkpoint `number`: the plan's steps 1..number; `beside` from every step,
    since a participant who catches up to step 2 may have gone further (their `../dvc-storage` of
    step 4 would stop the page's step 4 when they reach it again)."""
    if not 1 <= number <= len(steps):
        raise ValueError(f"kit '{kit.workshop}' has steps 1 to {len(steps)}, not {number}")
    prefix = steps[:number]
    return {"kit": kit.workshop, "step": number, "total": len(steps), "starter": kit.starter_name,
            "git": list(git), "beside": beside(steps), "steps": prefix}


def plan_bytes(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def checkpoint_zip(kit: Kit, examples: Path, extra: dict[str, bytes], steps: list[dict], number: int,
                   git: list[str]) -> bytes:
    """`<kit>-step-N.zip`: the starter's files (with `extra`, check.py and its spec) and the plan."""
    files = dict(extra)
    files[CATCH_UP_NAME] = plan_bytes(plan_data(kit, steps, number, git))
    return zip_bytes(examples / kit.project, starter_files(kit, examples), checkpoint_name(kit, number), files)
