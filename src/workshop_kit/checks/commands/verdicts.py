"""Verdicts: each command's answer from its tool's parser, asked in child processes (one per
tool, all at once) and remembered per environment in a cache file; `main` is the child's side.

The child is `python -m workshop_kit.checks.commands <program>` (the package's __main__): it
reads a JSON list of argvs on stdin and prints a JSON list of answers as its last line.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ...blocks.model import Block
from ..problem import Problem
from .adapters import TOOLS, Unchecked, parse_in_this_process
from .tokenizer import shown, split_commands

CHILD_TIMEOUT = 300


@dataclass(frozen=True)
class Verdict:
    """A tool's answer about one command: accepted (both None), refused (the tool's message), or
    not checked (why; `severity` info when a package is missing here, warning when asking failed)."""

    refused: str | None = None
    unchecked: str | None = None
    severity: str = "info"


ACCEPTED = Verdict()


def command_problems(blocks: list[Block], verdicts: Verdicts | None = None) -> list[Problem]:
    """Refused commands (errors), and what could not be checked, once per reason and page (info
    when a package is missing here, warning when the tool could not be asked)."""
    found = [(block, line, argv) for block in blocks for line, argv in split_commands(block)]
    if not found:
        return []
    verdicts = verdicts or Verdicts()
    verdicts.fetch([argv for _, _, argv in found])
    problems = []
    unchecked: dict[tuple[str, str], list[tuple[Block, int, list[str]]]] = {}
    for block, line, argv in found:
        verdict = verdicts.verdict(argv)
        if verdict.refused:
            skipped = " (in a block skipped for the tests: its commands are checked all the same)" \
                if block.skip is not None else ""
            problems.append(Problem("commands", Path(str(block.path)), line,
                                    f"`{shown(argv)}`: {argv[0]} refuses these arguments: {verdict.refused}{skipped}"))
        elif verdict.unchecked:
            unchecked.setdefault((verdict.unchecked, verdict.severity), []).append((block, line, argv))
    for (why, severity), where in unchecked.items():
        block, line, argv = where[0]
        more = (f" (and {len(where) - 1} more command{'s' if len(where) > 2 else ''} on this page)"
                if len(where) > 1 else "")
        problems.append(Problem("commands", Path(str(block.path)), line, f"`{shown(argv)}`{more}: {why}",
                                severity=severity))
    return problems


class Verdicts:
    """Parser verdicts per (environment, tool, argv); what was answered is cached on disk."""

    def __init__(self, cache_file: Path | None = None, *, python: str | None = None, timeout: float = CHILD_TIMEOUT):
        self.cache_file = cache_file if cache_file is not None else default_cache()
        self.python = python or sys.executable
        self.timeout = timeout
        self.versions: dict[str, str | None] = {}
        self.known: dict[str, str | None] = {}  # answered: kept, and written to the cache file
        self.unanswered: dict[str, Verdict] = {}  # could not be asked this time: never written
        self._providers: dict[str, set[tuple[str, str]]] | None = None
        if self.cache_file.is_file():
            try:
                self.known = json.loads(self.cache_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.known = {}

    def _version(self, program: str) -> str | None:
        if program not in self.versions:
            try:
                self.versions[program] = metadata.version(TOOLS[program])
            except metadata.PackageNotFoundError:
                self.versions[program] = None
        return self.versions[program]

    def _fingerprint(self, program: str) -> list:
        """This environment, and every distribution (with its version) providing `program` or a
        `program-<sub>` command: installing `notebook` changes what `jupyter notebook` is."""
        if self._providers is None:
            self._providers = {}
            for dist in metadata.distributions():
                for entry in dist.entry_points:
                    if entry.group == "console_scripts":
                        self._providers.setdefault(entry.name, set()).add((dist.metadata["Name"] or "", dist.version))
        names = {program, os.path.basename(program)}
        provided = {item for name, found in self._providers.items()
                    if name in names or any(name.startswith(n + "-") for n in names) for item in found}
        fingerprint = [sys.prefix, TOOLS[program], self._version(program), sorted(provided)]
        if TOOLS[program] == "workshop-kit":  # this project, installed editable: its version does not move
            fingerprint.append(_own_parser_digest())
        return fingerprint

    def _key(self, argv: list[str]) -> str | None:
        if self._version(argv[0]) is None:
            return None
        return json.dumps([*self._fingerprint(argv[0]), argv])

    def verdict(self, argv: list[str]) -> Verdict:
        key = self._key(argv)
        if key is None:
            return Verdict(unchecked=f"not checked here: {argv[0]} is not installed in this environment "
                                     f"(install {TOOLS[argv[0]]} to check it)")
        if key in self.unanswered:
            return self.unanswered[key]
        answer = self.known.get(key)
        if isinstance(answer, dict):
            return Verdict(unchecked=str(answer.get("unchecked")), severity=str(answer.get("severity", "info")))
        return Verdict(refused=answer) if answer else ACCEPTED

    def get(self, argv: list[str]) -> str | None:
        """The tool's message when it refuses `argv`, else None."""
        return self.verdict(argv).refused

    def fetch(self, argvs: list[list[str]]) -> None:
        """Parses every argv not known yet: one child process per tool, all running at once."""
        missing: dict[str, list[list[str]]] = {}
        for argv in argvs:
            key = self._key(argv)
            if key is not None and key not in self.known and key not in self.unanswered \
                    and argv not in missing.setdefault(argv[0], []):
                missing[argv[0]].append(argv)
        children = []
        for program, todo in missing.items():
            if not todo:
                continue
            try:
                child = subprocess.Popen([self.python, "-m", "workshop_kit.checks.commands", program],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         text=True, env={**os.environ, "PYTHONWARNINGS": "ignore", "NO_COLOR": "1",
                                                         "DVC_NO_ANALYTICS": "1", "COLUMNS": "200"})
            except OSError as error:
                self._unanswered(program, todo, f"could not start it ({error})")
                continue
            children.append((program, todo, child, json.dumps(todo)))
        answered = False
        for program, todo, child, request in children:
            try:
                out, err = child.communicate(request, timeout=self.timeout)
            except subprocess.TimeoutExpired:
                child.kill()
                child.communicate()
                self._unanswered(program, todo, f"it did not answer within {self.timeout:g} s")
                continue
            try:
                answers = json.loads(out.strip().splitlines()[-1])
                if not isinstance(answers, list) or len(answers) != len(todo):
                    raise ValueError
            except (ValueError, IndexError):
                last = (err or "").strip().splitlines()[-1:] or [f"exit status {child.returncode}"]
                self._unanswered(program, todo, f"it exited with status {child.returncode} without an answer "
                                                f"({last[0][:200]})")
                continue
            for argv, answer in zip(todo, answers, strict=True):
                key = self._key(argv)
                if key is None:  # never: only installed tools are asked
                    continue
                if isinstance(answer, dict) and answer.get("severity") == "warning":
                    self.unanswered[key] = Verdict(unchecked=str(answer.get("unchecked")), severity="warning")
                else:
                    self.known[key] = answer
                    answered = True
        if answered and self.cache_file is not None:
            self._save()

    def _unanswered(self, program: str, todo: list[list[str]], why: str) -> None:
        for argv in todo:
            key = self._key(argv)
            if key is None:  # never: only installed tools are asked
                continue
            self.unanswered[key] = Verdict(
                unchecked=f"not checked: the {program} parser could not be asked: {why}", severity="warning")

    def _save(self) -> None:
        try:  # merged with what other processes wrote meanwhile, then replaced atomically
            merged = json.loads(self.cache_file.read_text(encoding="utf-8")) if self.cache_file.is_file() else {}
        except (OSError, ValueError):
            merged = {}
        merged.update(self.known)
        try:
            self.cache_file.parent.mkdir(parents=True, exist_ok=True)
            scratch = self.cache_file.with_name(f"{self.cache_file.name}.{os.getpid()}.tmp")
            scratch.write_text(json.dumps(merged, indent=0, sort_keys=True), encoding="utf-8")
            scratch.replace(self.cache_file)
        except OSError:
            pass


def default_cache() -> Path:
    """One file per environment (its `sys.prefix`), under the user's cache folder: a venv never
    reads another's verdicts."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    environment = hashlib.sha256(sys.prefix.encode()).hexdigest()[:16]
    return Path(base) / "workshop-kit" / f"command-verdicts-{environment}.json"


@functools.lru_cache(maxsize=1)
def _own_parser_digest() -> str:
    """What `workshop`'s own verdicts depend on besides the version: the CLI's source."""
    cli = Path(__file__).resolve().parents[2] / "cli"
    sha = hashlib.sha256()
    for path in sorted(cli.glob("*.py")):
        sha.update(path.name.encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()[:16]


def main() -> None:
    """The child process: argvs of one tool as JSON on stdin, the answers as JSON on the last line out."""
    argvs = json.loads(sys.stdin.read())
    answers: list = []
    for argv in argvs:
        try:
            answers.append(parse_in_this_process(argv))
        except Unchecked as why:
            answers.append({"unchecked": str(why), "severity": "info"})
        except BaseException as error:  # noqa: BLE001 - never claim a problem the tool did not state
            answers.append({"unchecked": f"not checked: the {argv[0]} parser failed "
                                         f"({type(error).__name__}: {str(error)[:200]})", "severity": "warning"})
    sys.stdout.flush()
    print("\n" + json.dumps(answers))
