"""Credentials and private links must never reach a public workshop site or its examples."""

from __future__ import annotations

import re
from pathlib import Path

from .problem import Problem

PATTERNS: list[tuple[str, re.Pattern]] = [
    ("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("an AWS secret access key", re.compile(r"aws_secret_access_key\s*[=:]\s*['\"]?[A-Za-z0-9/+=]{40}\b", re.I)),
    ("a private key", re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----")),
    ("a GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{40,})\b")),
    ("a Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("an API secret key", re.compile(r"\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}\b")),
    ("a link to a private document", re.compile(r"https?://(?:www\.)?(?:notion\.so|docs\.google\.com|drive\.google\.com)/\S*")),
]
SKIP_DIRS = {".git", ".venv", "node_modules", "site", "__pycache__", ".cache", ".dvc", ".pytest_cache", "build"}
TEXT_SUFFIXES = {".md", ".ipynb", ".py", ".yaml", ".yml", ".toml", ".json", ".txt", ".cfg", ".ini", ".sh", ".html",
                 ".js", ".css", ".csv", ".env", ".dockerfile", ""}
MAX_BYTES = 2_000_000


def files_to_scan(root: Path, folders: list[Path]) -> list[Path]:
    found = []
    for folder in folders:
        if folder.is_file():
            found.append(folder)
            continue
        for path in folder.rglob("*"):
            parts = set(path.relative_to(root).parts) if path.is_relative_to(root) else set(path.parts)
            if parts & SKIP_DIRS or not path.is_file() or path.suffix.lower() not in TEXT_SUFFIXES:
                continue
            if path.stat().st_size <= MAX_BYTES:
                found.append(path)
    return sorted(set(found))


def scan_text(path: Path, text: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        for what, pattern in PATTERNS:
            if pattern.search(line):
                problems.append(Problem("secrets", path, number, f"this line holds {what}; remove it (revoke it if it "
                                        "is real) and point readers to their own credentials instead"))
    return problems


def check_secrets(root: Path, folders: list[Path]) -> list[Problem]:
    problems = []
    for path in files_to_scan(root, folders):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        relative = path.relative_to(root) if path.is_relative_to(root) else path
        problems.extend(scan_text(relative, text))
    return problems
