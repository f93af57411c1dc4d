"""Credentials and private links must never reach a public workshop site or its examples.

Detection is detect-secrets' (Yelp's maintained scanner): its detectors for cloud keys, tokens,
private keys and `password = "..."`-style assignments, without the entropy detectors, which
would flag every hash in a `dvc.lock`. On top: links to private documents, and the project's
allow-list of obvious placeholders, the only values a page may show where a secret would go.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
from detect_secrets.core.scan import scan_line
from detect_secrets.settings import transient_settings

from .problem import Problem

NOT_USED = {"Base64HighEntropyString", "HexHighEntropyString", "IPPublicDetector"}
# What detect-secrets has no detector for.
EXTRA = [
    ("link to a private document", re.compile(r"https?://(?:www\.)?(?:notion\.so|docs\.google\.com|drive\.google\.com)/\S*")),
    ("Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
]
# What a page may show where a secret would go: <placeholders>, $VARIABLES or the name of one
# (AWS_SECRET_ACCESS_KEY), xxxx, ****, "...".
PLACEHOLDER = re.compile(
    r"^(?:<[^<>]+>|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|\{\{[^{}]+\}\}|x{3,}|X{3,}|\*{3,}|\.{3}|"
    r"(?:your|my)[-_ ]?[\w-]*|changeme|placeholder|example[\w-]*)$", re.I)
ALLOW_FILE = "secrets-allowlist.txt"
SKIP_DIRS = {".git", ".venv", "node_modules", "site", "__pycache__", ".cache", ".dvc", ".pytest_cache", "build"}
TEXT_SUFFIXES = {".md", ".ipynb", ".py", ".yaml", ".yml", ".toml", ".json", ".txt", ".cfg", ".ini", ".sh", ".html",
                 ".js", ".css", ".csv", ".env", ".dockerfile", ""}
MAX_BYTES = 2_000_000


@lru_cache(maxsize=1)
def _plugins() -> list[dict]:
    names = sorted({cls.__name__ for cls in get_mapping_from_secret_type_to_class().values()} - NOT_USED)
    return [{"name": name} for name in names]


def _placeholder(value: str) -> bool:
    """A value made only of placeholders (`AWS_ACCESS_KEY_ID`, `<token>`, separated by quotes or commas)."""
    pieces = [piece for piece in re.split(r"[`'\"\s,;]+", value) if piece]
    return bool(pieces) and all(PLACEHOLDER.match(piece) for piece in pieces)


def read_allowlist(root: Path) -> list[re.Pattern]:
    """The site's own exceptions: one regular expression per line, `#` comments."""
    path = root / ALLOW_FILE
    if not path.is_file():
        return []
    lines = [line.split(" #", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [re.compile(line) for line in lines if line and not line.startswith("#")]


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


def scan_text(path: Path | str, text: str, allow: list[re.Pattern] = ()) -> list[Problem]:
    problems = []
    with transient_settings({"plugins_used": _plugins()}):
        for number, line in enumerate(text.splitlines(), start=1):
            found = [(s.type, s.secret_value or "") for s in scan_line(line)]
            found = [(kind, value) for kind, value in found
                     if not _placeholder(value) and not any(a.search(line) for a in allow)]
            found += [(kind, "") for kind, pattern in EXTRA
                      if pattern.search(line) and not any(a.search(line) for a in allow)]
            for kind in sorted({kind for kind, _ in found}):
                problems.append(Problem("secrets", Path(path), number, f"this line holds what looks like {kind.lower()}; "
                                        "remove it (revoke it if it is real) and show a placeholder such as "
                                        f"<your-token> or $TOKEN, or allow the line in {ALLOW_FILE}"))
    return problems


def check_secrets(root: Path, folders: list[Path]) -> list[Problem]:
    allow = read_allowlist(root)
    problems = []
    for path in files_to_scan(root, folders):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        relative = path.relative_to(root) if path.is_relative_to(root) else path
        problems.extend(scan_text(relative, text, allow))
    return problems
