"""Credentials and private links must never reach a public workshop site or its examples.

Detection is detect-secrets' (Yelp's maintained scanner): its detectors for cloud keys, tokens,
private keys and `password = "..."`-style assignments, without the entropy detectors, which
would flag every hash in a `dvc.lock`. On top: links to private documents, and the project's
allow-list of obvious placeholders, the only values a page may show where a secret would go.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
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
    # detect-secrets knows classic GitHub tokens (ghp_...), not the fine-grained ones.
    ("GitHub fine-grained token", re.compile(r"\bgithub_pat_[0-9A-Za-z_]{40,}")),
    # Its Slack detector knows hooks.slack.com/services/...; workflow triggers post as well.
    ("Slack webhook", re.compile(r"hooks\.slack\.com/(?:triggers|workflows)/[A-Za-z0-9]+/[0-9A-Za-z/_-]+")),
    # Any PEM private key, encrypted or not, also indented in a YAML block scalar.
    ("private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")),
    # An AWS secret key however it is written: `export AWS_SECRET_ACCESS_KEY=...`, an ini or .env
    # line, `aws configure set aws_secret_access_key ...`, `dvc remote modify r secret_access_key ...`.
    ("AWS secret access key", re.compile(
        r"(?i)(?:aws_?)?secret_?access_?key[\"']?(?:\s*[=:]\s*|\s+)[\"']?(?P<value>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])")),
]
# detect-secrets' inline exception, honoured by its detectors and by the ones above.
PRAGMA = re.compile(r"pragma:\s*allowlist[ -]secret", re.I)
# What a page may show where a secret would go: <placeholders>, $VARIABLES or the name of one
# (AWS_SECRET_ACCESS_KEY), xxxx, ****, "...".
PLACEHOLDER = re.compile(
    r"^(?:<[^<>]+>|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|\{\{[^{}]+\}\}|x{3,}|X{3,}|\*{3,}|\.{3}|"
    r"(?:your|my)[-_ ]?[\w-]*|changeme|placeholder|example[\w-]*)$", re.I)
ALLOW_FILE = "secrets-allowlist.txt"
# Outside Git only: tool folders never worth reading (inside Git, .gitignore decides).
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".cache", ".pytest_cache", ".ipynb_checkpoints",
             ".hypothesis", ".mypy_cache"}
MAX_BYTES = 2_000_000


@lru_cache(maxsize=1)
def _plugins() -> list[dict]:
    plugins: list[type] = list(get_mapping_from_secret_type_to_class().values())
    names = sorted({cls.__name__ for cls in plugins} - NOT_USED)
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


def _git_files(root: Path, folders: list[Path]) -> list[Path] | None:
    """The files Git tracks under `folders`, plus untracked ones it does not ignore; None outside
    a Git work tree."""
    import subprocess

    inside = [f for f in folders if f.is_relative_to(root)]
    try:
        done = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard",
                               "--", *[str(f.relative_to(root)) or "." for f in inside]],
                              capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return [root / name for name in done.stdout.decode("utf-8", "replace").split("\0") if name] + \
        [f for f in folders if not f.is_relative_to(root) and f.is_file()]


def _text_file(path: Path) -> bool:
    """A regular file (after symlinks) that reads as text. A symlink is scanned whatever its
    target holds (/proc/self/environ is NUL-separated text): what it points to is what a build
    would include or a zip ship."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return False
        if path.is_symlink():
            return True
        with open(path, "rb") as handle:
            return b"\0" not in handle.read(8192)
    except OSError:
        return False


def _read_text(path: Path) -> str:
    """The file's text, at most MAX_BYTES (a /proc file says its size is 0); NULs read as line ends."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES)
    return data.decode("utf-8").replace("\0", "\n")


def files_to_scan(root: Path, folders: list[Path]) -> list[Path]:
    """Every text file under `folders`, whatever its suffix (`*.pem`, `*.tfvars`, `build/`...): the
    ones Git tracks or would track (not ignored); outside Git, every file but tool folders."""
    listed = _git_files(root, folders)
    if listed is None:
        listed = []
        for folder in folders:
            if folder.is_file():
                listed.append(folder)
                continue
            for path in folder.rglob("*"):
                parts = path.relative_to(folder).parts
                if set(parts) & SKIP_DIRS or "/.dvc/cache/" in path.as_posix() or "/.dvc/tmp/" in path.as_posix():
                    continue
                listed.append(path)
    return sorted({path for path in listed if _text_file(path)})


_SHORTEST = 8  # no detector finds a secret on a line shorter than this


_DETECTED: dict[str, tuple[tuple[str, str], ...]] = {}  # line -> findings: a translation repeats its code lines


def _logical_lines(text: str) -> list[tuple[int, str]]:
    r"""Each line, and each command continued with a trailing `\` joined into one line (at its first
    line's number): `export AWS_SECRET_ACCESS_KEY=\` then the key on the next line is one secret."""
    physical = text.splitlines()
    found = list(enumerate(physical, start=1))
    index = 0
    while index < len(physical):
        if physical[index].rstrip().endswith("\\"):
            start, joined = index, ""
            while index < len(physical) and physical[index].rstrip().endswith("\\"):
                joined += physical[index].rstrip()[:-1]
                index += 1
            if index < len(physical):
                joined += physical[index].lstrip()
            found.append((start + 1, joined))
        index += 1
    return found


def scan_text(path: Path | str, text: str, allow: Sequence[re.Pattern] = ()) -> list[Problem]:
    lines = [(number, line) for number, line in _logical_lines(text) if len(line.strip()) >= _SHORTEST]
    todo = [line for _, line in lines if line not in _DETECTED]
    if todo:
        if len(_DETECTED) > 200_000:
            _DETECTED.clear()
        with transient_settings({"plugins_used": _plugins()}):
            for line in todo:
                _DETECTED[line] = tuple((s.type, s.secret_value or "") for s in scan_line(line))
    problems: list[Problem] = []
    for number, line in lines:
        found = [(kind, value) for kind, value in _DETECTED[line]
                 if not _placeholder(value) and not any(a.search(line) for a in allow)]
        if not PRAGMA.search(line):
            found += [(kind, "") for kind, pattern in EXTRA
                      if (match := pattern.search(line)) and not any(a.search(line) for a in allow)
                      and not _placeholder(match.groupdict().get("value") or "x" * 3 + "!")]
        for kind in sorted({kind for kind, _ in found}):
            if any(p.line == number and kind.lower() in p.message for p in problems):
                continue  # a continued line and its joined command name one finding once
            problems.append(Problem("secrets", Path(path), number, f"this line holds what looks like {kind.lower()}; "
                                    "remove it (revoke it if it is real) and show a placeholder such as "
                                    f"<your-token> or $TOKEN, or allow the line in {ALLOW_FILE}"))
    return problems


def check_secrets(root: Path, folders: list[Path], exclude: AbstractSet[Path] = frozenset()) -> list[Problem]:
    """Every file under `folders` but those in `exclude` (pages the page checks scan already)."""
    allow = read_allowlist(root)
    problems = []
    for path in files_to_scan(root, folders):
        if path in exclude:
            continue
        try:
            text = _read_text(path)
        except (UnicodeDecodeError, OSError):
            continue
        relative = path.relative_to(root) if path.is_relative_to(root) else path
        problems.extend(scan_text(relative, text, allow))
    return problems
