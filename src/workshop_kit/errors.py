"""The one base of Workshop Kit's errors: what a user wrote (a page, mkdocs.yml, a run file, an
argument) that cannot be used, said with where it is (`path`, `line`, when known) and how to fix it.

Every entry point (the build, `workshop check`, the runner, the CLI) reports a WorkshopKitError as
its message, never as a traceback. Warnings are not errors: a problem that only warns is a
`Finding` (`severity="warning"`), never raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class WorkshopKitError(ValueError):
    """`str()` is `<path>:<line>: <message>` (or the parts known)."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        where = f"{path}:{line}: " if path is not None and line is not None else f"{path}: " if path is not None else ""
        super().__init__(where + message)
        self.message, self.path, self.line = message, path, line


class BlockError(WorkshopKitError):
    """A page (its front matter, a block, an include) that cannot be read or run as written."""

    def __init__(self, message: str, path: Path | str, line: int):
        super().__init__(message, path, line)


@dataclass(frozen=True)
class Finding:
    """A problem reported without stopping anything: an error or a warning, at a line."""

    message: str
    line: int | None = None
    severity: str = "warning"
