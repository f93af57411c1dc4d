"""Which project each workshop starts from, read from the `workshop` plugin's `kits:` setting.

    plugins:
      - workshop:
          kits:
            notebook-to-pipeline:
              project: pokemon-dvc
              git: true            # the box makes the folder a Git repository with one commit
              writes: [dvc.yaml]   # the participant writes these: not in the starter
              omits: [.github]     # not part of this workshop at all
              torch_cpu: true      # the box installs PyTorch's CPU build first on Linux

The block runner reads mkdocs.yml without MkDocs, so this module parses the plain dict both
readers get, and reports a bad entry as one message naming the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..errors import WorkshopKitError

# A kit's name and project: they become zip and folder names, shell commands of the box and page text.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

# The projects' own tests use the suite's fixtures: a participant has no use for them.
DEFAULT_OMITS = ("tests",)


class KitError(WorkshopKitError):
    """A `kits:` entry that cannot be used; the message says which key and how to fix it."""


@dataclass(frozen=True)
class Kit:
    workshop: str
    project: str
    writes: tuple[str, ...] = ()
    omits: tuple[str, ...] = DEFAULT_OMITS
    git: bool = False
    # The project's requirements pull PyTorch: the box installs its CPU build on Linux first (PyPI's
    # Linux build brings CUDA, gigabytes a laptop without an NVIDIA GPU cannot use).
    torch_cpu: bool = False

    @property
    def offers_solution(self) -> bool:
        """A solution differs from the starter by the files the participant writes; without any,
        the two would be the same files, so no solution is published."""
        return bool(self.writes)

    @property
    def starter_name(self) -> str:
        return f"{self.workshop}-starter"

    @property
    def solution_name(self) -> str:
        return f"{self.workshop}-solution"


def _paths(value, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise KitError(f"{where} must be a list of paths inside the project, e.g. [dvc.yaml, src/train.py]")
    paths = []
    for item in value:
        path = PurePosixPath(item.strip().rstrip("/"))
        if path.is_absolute() or ".." in path.parts or item.strip().startswith("~") or "\\" in item:
            raise KitError(f"{where}: '{item}' must be a path inside the project (no leading '/', no '..')")
        paths.append(str(path))
    return tuple(paths)


def parse_kits(raw) -> dict[str, Kit]:
    """`kits:` as written in mkdocs.yml -> one Kit per workshop folder."""
    if raw in (None, {}):
        return {}
    if not isinstance(raw, dict):
        raise KitError("workshop.kits must map each workshop folder to {project: <folder under examples/>}")
    kits = {}
    for workshop, entry in raw.items():
        where = f"workshop.kits.{workshop}"
        if not isinstance(entry, dict) or not isinstance(entry.get("project"), str) or not entry["project"].strip():
            raise KitError(f"{where} needs 'project: <folder under examples/>'")
        unknown = set(entry) - {"project", "writes", "omits", "git", "torch_cpu"}
        if unknown:
            raise KitError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                           "known: project, writes, omits, git, torch_cpu")
        for flag in ("git", "torch_cpu"):
            if not isinstance(entry.get(flag, False), bool):
                raise KitError(f"{where}.{flag} must be true or false")
        if not _NAME.fullmatch(str(workshop)):
            raise KitError(f"{where}: the kit's name must be a workshop folder name of letters, digits, '.', '_' "
                           "and '-', not starting with '-' or '.' (it becomes file names, commands and page text), "
                           "e.g. notebook-to-pipeline")
        if not _NAME.fullmatch(entry["project"].strip()):
            raise KitError(f"{where}.project: '{entry['project']}' must name a folder under examples/ with letters, "
                           "digits, '.', '_' and '-' (no '/', no leading '-' or '.'), e.g. project: pokemon-dvc")
        project = PurePosixPath(entry["project"].strip().replace("\\", "/"))
        if project.is_absolute() or ".." in project.parts or str(project) in (".", "") \
                or entry["project"].strip().startswith("~"):
            raise KitError(f"{where}.project: '{entry['project']}' must name a folder under examples/ "
                           "(no leading '/', no '..'), e.g. project: pokemon-dvc")
        omits = _paths(entry["omits"], f"{where}.omits") if "omits" in entry else DEFAULT_OMITS
        writes = _paths(entry.get("writes"), f"{where}.writes")
        kits[str(workshop)] = Kit(str(workshop), entry["project"].strip(), writes,
                                  omits, bool(entry.get("git", False)), bool(entry.get("torch_cpu", False)))
    return kits


def kits_from_config(config: dict) -> dict[str, Kit]:
    """The kits of a parsed mkdocs.yml (a plain dict, as `site_config.load_config` returns it)."""
    for item in config.get("plugins") or []:
        if isinstance(item, dict) and "workshop" in item:
            return parse_kits((item["workshop"] or {}).get("kits"))
    return {}


def workshop_of(page_path: str) -> str | None:
    """`notebook-to-pipeline/handout.md` (relative to docs/) -> `notebook-to-pipeline`."""
    parts = PurePosixPath(page_path).parts
    return parts[0] if len(parts) > 1 else None
