"""Remembers sessions that passed, by the hash of everything that could change their result.

The key covers the session's blocks as the reader sees them (snippets expanded), its setup, the
example project's files and the lock file; change any of them and the session runs again. Only
passes are stored, one empty file per key, so a warm run skips what is known good and nothing
else. A clean clone has no cache, so CI runs everything.

The pytest plugin keeps the files under pytest's cache folder (`.pytest_cache/d/workshop-blocks/`)
unless told another folder; without a folder the cache is off.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .model import Session

SKIPPED_PARTS = {"__pycache__", ".venv", ".pytest_cache", ".ipynb_checkpoints"}
FORMAT = "3"  # bump when the runner's behaviour changes what a pass means


def project_digest(project_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in project_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(project_dir)
        if SKIPPED_PARTS.intersection(relative.parts) or path.suffix == ".pyc":
            continue
        digest.update(str(relative).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def session_key(session: Session, project_dir: Path, lock_file: Path | None) -> str:
    digest = hashlib.sha256(FORMAT.encode())
    digest.update(session.project.encode() + b"\0" + (session.setup or "").encode() + b"\0")
    digest.update(repr(session.kit).encode() + b"\0")
    for name, data in sorted(session.kit_files.items()):  # check.py and its spec: every language's titles
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    for block in session.blocks:
        # A step check's box is the same check in every language (its text is the spec's): a
        # translation with the same blocks is the same session.
        code = f"check:{block.step.id}:{block.step.conditions!r}" if block.step is not None else block.code
        digest.update(f"{block.lang}\0{sorted(block.options.items())}\0{code}\0".encode())
    digest.update(project_digest(project_dir).encode())
    if lock_file is not None and lock_file.is_file():
        digest.update(hashlib.sha256(lock_file.read_bytes()).digest())
    return digest.hexdigest()


class PassCache:
    def __init__(self, directory: Path | None, enabled: bool = True):
        self.directory, self.enabled = directory, enabled and directory is not None

    def passed(self, key: str) -> bool:
        return self.enabled and self.directory is not None and (self.directory / key).is_file()

    def remember(self, key: str) -> None:
        if self.enabled and self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
            (self.directory / key).touch()

    def clear(self) -> None:
        """Forgets every pass: removes the key files (and nothing else) from the folder."""
        if self.directory is None or not self.directory.is_dir():
            return
        for path in self.directory.iterdir():
            if path.is_file() and _is_key(path.name):
                path.unlink(missing_ok=True)


def _is_key(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)
