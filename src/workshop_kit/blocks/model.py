"""What a code block on the site is, and which blocks run together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SHELL = {"bash", "sh", "shell", "console"}
PYTHON = {"python", "py", "pycon"}
CONFIG = {"yaml", "yml", "toml", "json"}
RUNNABLE = SHELL | PYTHON | CONFIG


class BlockError(ValueError):
    """A block that cannot be collected: it says where, and what to change."""

    def __init__(self, message: str, path: Path | str, line: int):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class Block:
    """One fenced block as the reader sees it (snippets expanded)."""

    path: Path
    line: int
    lang: str
    code: str
    options: dict[str, str] = field(default_factory=dict)
    project: str | None = None

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

    @property
    def name(self) -> str:
        return f"session[{self.project}]"
