"""A copy of this repository's site to plant defects in or scaffold into, and the CLI to run on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workshop_kit.cli import main

ROOT = Path(__file__).parents[2]
SITE_PARTS = ["mkdocs.yml", "pyproject.toml", "constraints.txt", "docs", "snippets", "examples", "overrides"]
NOT_COPIED = shutil.ignore_patterns(".venv", ".git", "site", ".cache", "__pycache__", ".pytest_cache", ".dvc",
                                    "mlruns", "*.db")


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    root = tmp_path / "site-copy"
    root.mkdir()
    for part in SITE_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, root / part, symlinks=True, ignore=NOT_COPIED)
        else:
            shutil.copy2(source, root / part)
    return root


@pytest.fixture
def workshop(capsys):
    """Runs `workshop <args>` in-process; returns (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
