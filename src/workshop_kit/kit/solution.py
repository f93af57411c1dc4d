"""The participant's end state against the workshop's solution.

A page's session ends in the folder the participant worked in; every file the kit says they write
must then be the solution's: byte for byte (as shipped), the same keys for parameter files, the
same pipeline for dvc.yaml. A difference is a SolutionMismatch, which the block runner reports
at the page's last block.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import WorkshopKitError
from .archive import project_files, shipped_bytes


class SolutionMismatch(WorkshopKitError):
    """A file the participant writes is missing or not the solution's: `path` is its path in the
    project, `detail` a diff when there is one."""

    def __init__(self, message: str, path: str, detail: str = ""):
        super().__init__(message, path)
        self.detail = detail


def _key_paths(data: Any, prefix: str = "") -> set[str]:
    if isinstance(data, dict):
        return {f"{prefix}{key}" for key in data} | {path for key, value in data.items()
                                                     for path in _key_paths(value, f"{prefix}{key}.")}
    return set()


def _diff(path: str, theirs: Path, mine: Path) -> str:
    return "".join(difflib.unified_diff(theirs.read_text(errors="replace").splitlines(True),
                                        mine.read_text(errors="replace").splitlines(True),
                                        f"solution/{path}", f"participant/{path}"))


def compare_with_solution(solution: Path, participant: Path, writes: Iterable[str], *, workshop: str,
                          project: str) -> None:
    """Every file of `writes` (files or folders) exists in `participant` and is the solution's,
    byte for byte; parameter files (`*.yaml` other than dvc.yaml), which experiments change, need
    the same keys only; dvc.yaml the same pipeline (`compare_pipelines`). `workshop` and `project`
    (the example project's folder under examples/) name them in the messages."""
    import yaml

    for written in writes:
        expected = project_files(solution / written) if (solution / written).is_dir() else [""]
        for relative in expected:
            path = f"{written}/{relative}" if relative else written
            mine, theirs = participant / path, solution / path
            if not mine.is_file():
                raise SolutionMismatch(f"the page never creates {path}, which the participant writes "
                                       f"(kit '{workshop}'): show it in a block titled \"{path}\"", path)
            if Path(path).name == "dvc.yaml":
                compare_pipelines(path, theirs, mine)
                continue
            if path.endswith((".yaml", ".yml")):
                missing = _key_paths(yaml.safe_load(theirs.read_text())) ^ _key_paths(yaml.safe_load(mine.read_text()))
                if missing:
                    raise SolutionMismatch(f"{path} at the end of the page does not have the solution's keys "
                                           f"(differing: {', '.join(sorted(missing))})", path)
                continue
            if mine.read_bytes() != shipped_bytes(theirs):
                raise SolutionMismatch(f"{path} as the page has the participant write it differs from the "
                                       f"solution in examples/{project}", path, _diff(path, theirs, mine))


def compare_pipelines(path: str, theirs: Path, mine: Path) -> None:
    """dvc.yaml: the same stages, and every other entry of the solution's (plots, metrics...).
    What a run adds beside them is allowed: DVCLive writes its metrics, plots and artifacts into
    the project's dvc.yaml while the pipeline runs, as the workshops show."""
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
        raise SolutionMismatch(f"{path} at the end of the page is not the solution's pipeline: " + "; ".join(problems),
                               path, _diff(path, theirs, mine))
