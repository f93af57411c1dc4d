"""One finding of a check, located in one file and, for translation drift, in its twin too."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    check: str  # which check found it: timing, checklist, blocks, parity, secrets
    path: Path
    line: int | None
    message: str
    severity: str = "error"  # "error" fails the check; "warning" and "info" are reported only
    other_path: Path | None = None  # the translation (or source) the drift is against
    other_line: int | None = None

    @property
    def where(self) -> str:
        here = f"{self.path}:{self.line}" if self.line else str(self.path)
        if self.other_path is None:
            return here
        there = f"{self.other_path}:{self.other_line}" if self.other_line else str(self.other_path)
        return f"{here} (vs {there})"

    def __str__(self) -> str:
        return f"{self.where}: {self.check}: {self.message}"

    @property
    def text(self) -> str:
        """As `workshop check` prints it and the build logs it."""
        label = {"error": "", "info": "info: "}.get(self.severity, "warning: ")
        return f"{self.where}: {label}{self.check}: {self.message}"

    def as_json(self) -> dict:
        data = asdict(self)
        for key in ("path", "other_path"):
            data[key] = str(data[key]) if data[key] is not None else None
        return data
