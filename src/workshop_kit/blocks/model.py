"""What a code block on the site is, and which blocks run together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import BlockError
from ..kit.config import Kit
from ..kit.step_checks import StepCheck

SHELL_SCRIPT = {"bash", "sh", "shell"}  # run as a script
SHELL = SHELL_SCRIPT | {"console"}  # every shell language (console: a transcript)
PYTHON = {"python", "py", "pycon"}
CONFIG = {"yaml", "yml", "toml", "json"}
RUNNABLE = SHELL | PYTHON | CONFIG

__all__ = ["BlockError", "Block", "Session", "SHELL", "SHELL_SCRIPT", "PYTHON", "CONFIG", "RUNNABLE"]


@dataclass
class Block:
    """One fenced block as the reader sees it (snippets expanded)."""

    path: Path
    line: int
    lang: str
    code: str
    options: dict[str, str] = field(default_factory=dict)
    project: str | None = None
    # A `check` fence: shown (and run) as the console block of its "Check this step" box, whose
    # command is `python check.py N`; the runner also proves it fails before its step.
    step: StepCheck | None = None

    @property
    def skip(self) -> str | None:
        return self.options.get("skip")

    @property
    def title(self) -> str:
        return self.options.get("title", "")

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class Session:
    """The blocks of one page bound to one project, run in order in one fresh copy of it."""

    path: Path
    project: str
    blocks: list[Block]
    setup: str | None = None
    # Set when the page starts with a "Get the project" box: the session then starts in an empty
    # folder holding the workshop's starter zip, and blocks titled with a file the participant
    # writes create that file.
    kit: Kit | None = None
    # What the starter zip ships beside the project (check.py and its spec: blocks/kit_checks.py).
    kit_files: dict[str, bytes] = field(default_factory=dict)
    # The translated pages' boxes of each check (by id): run at the source box's place.
    translations: dict[str, list[Block]] = field(default_factory=dict)

    def writes(self, block: Block) -> str | None:
        """The project file `block` creates (its title, when the kit says the participant writes it)."""
        if self.kit is None or not block.title:
            return None
        title = str(PurePosixPath(block.title.strip()))
        return title if any(title == path or title.startswith(path + "/") for path in self.kit.writes) else None

    @property
    def name(self) -> str:
        return f"session[{self.project}]"
