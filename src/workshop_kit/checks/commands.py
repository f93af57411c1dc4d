"""Skipped is not unchecked: the commands of shell blocks, parsed by their tools' own parsers.

For every command of a `bash`/`sh`/`shell` block and every `$ ` line of a `console` block, run by
the tests or skipped (a block skipped for a cloud account can still be wrong), whose program is a
Python command-line tool installed here, the arguments are parsed, never executed, by the tool's
own parser: DVC's `dvc.cli.parse_args`, pip's command parsers, click and typer apps (gto, mlflow,
streamlit) through click's own option parser and command lookup, argparse parsers (optuna, this
project's `workshop`), cyclopts' `parse_args` (prefect), Jupyter's subcommands and their traitlets
applications' command-line parsers, ultralytics' own key=value reader (`yolo`). An unknown
command or option, or an option missing its value, is reported at the page and line of the command.

Placeholders are accepted as values: `<...>`, `$VAR`, `${VAR}`, `$(...)`.

What cannot be asked is never taken for accepted: a tool (or a Jupyter subcommand) whose package
is not installed in this environment is reported "not checked here (install ...)" at info level,
and a parser child that crashes, times out or answers nothing is reported "not checked: <why>" as
a warning; neither is remembered. Parsing runs in one child process per tool (importing mlflow
takes seconds), all tools at once, and verdicts are remembered per environment: keyed by
`sys.prefix` and the versions of every distribution that provides the tool's commands, in a file
of this environment's own under the user's cache folder, so a warm run imports nothing and
installing a package (`notebook`) gives fresh verdicts.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import logging
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..blocks.model import SHELL, Block
from .problem import Problem

# Program -> the distribution whose version keys the cache.
TOOLS = {"dvc": "dvc", "gto": "gto", "mlflow": "mlflow", "prefect": "prefect", "streamlit": "streamlit",
         "jupyter": "jupyter_core", "pip": "pip", "pip3": "pip", "optuna": "optuna", "yolo": "ultralytics",
         "workshop": "workshop-kit"}
SHELL_LANGS = SHELL
PLACEHOLDER = "WK_PLACEHOLDER"
_ANGLE = re.compile(r"<[A-Za-zÀ-ÿ][^<>\n]*?>")  # `<your token>`, `<votre jeton>`
_REDIRECT = re.compile(r"(?<![\w$])\d*(?:&>>?|>>?|<)&?(?:\d+\b|[ \t]*(?:\"[^\"]*\"|'[^']*'|[^\s;&|()<>]+))")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=")
_PREFIXES = {"sudo", "env", "time", "nohup", "exec", "command", "then", "do", "else", "!", "{", "(", "xargs"}
_SEPARATORS = {";", "&&", "||", "|", "&", "|&", ";;", "(", ")", "{", "}"}
_CONTROL = {"if", "elif", "while", "until", "for", "case", "select", "function", "done", "fi", "esac", "}"}
_HEREDOC = re.compile(r"<<-?\s*(['\"]?)(?P<tag>\w+)\1")
# `jupyter <sub>` runs `jupyter-<sub>`: the distribution to install when it is missing here.
JUPYTER_SUBCOMMANDS = {"notebook": "notebook", "lab": "jupyterlab", "nbconvert": "nbconvert", "execute": "nbclient",
                       "server": "jupyter-server", "console": "jupyter-console", "kernelspec": "jupyter-client",
                       "kernel": "jupyter-client", "run": "jupyter-client", "trust": "nbformat",
                       "labextension": "jupyterlab", "nbextension": "notebook"}
CHILD_TIMEOUT = 300


@dataclass(frozen=True)
class Verdict:
    """A tool's answer about one command: accepted (both None), refused (the tool's message), or
    not checked (why; `severity` info when a package is missing here, warning when asking failed)."""

    refused: str | None = None
    unchecked: str | None = None
    severity: str = "info"


ACCEPTED = Verdict()


def _lines_of(block: Block) -> list[tuple[int, str]]:
    """(offset in the block, command text) with continuation lines joined."""
    raw = block.code.splitlines()
    if block.lang == "console":
        found: list[tuple[int, str]] = []
        for index, line in enumerate(raw):
            if line.startswith("$ "):
                found.append((index, line[2:]))
            elif line.startswith("> ") and found and found[-1][1].rstrip().endswith("\\"):
                found[-1] = (found[-1][0], found[-1][1].rstrip()[:-1] + " " + line[2:])
        return found
    found, pending, start, heredoc = [], "", 0, None
    for index, line in enumerate(raw):
        if heredoc is not None:
            if line.strip() == heredoc:
                heredoc = None
            continue
        if not pending:
            start = index
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        text = pending + line
        pending = ""
        tag = _HEREDOC.search(text)
        if tag:
            heredoc = tag.group("tag")
            text = text[:tag.start()]
        found.append((start, text))
    if pending:
        found.append((start, pending))
    return found


def split_commands(block: Block) -> list[tuple[int, list[str]]]:
    """(page line, argv) of each simple command of a shell block whose program is a known tool."""
    if block.lang not in SHELL_LANGS:
        return []
    commands = []
    for offset, text in _lines_of(block):
        text = _ANGLE.sub(PLACEHOLDER, text)
        text = _REDIRECT.sub(" ", text)
        try:
            lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|()")
            lexer.whitespace_split = True
            tokens = list(lexer)
        except ValueError:
            continue  # an unbalanced quote: the shell itself would complain; not ours to parse
        current: list[str] = []
        for token in tokens + [";"]:
            if token in _SEPARATORS:
                argv = _simple(current)
                if argv and argv[0] in TOOLS:
                    commands.append((block.line + 1 + offset, argv))
                current = []
            else:
                current.append(token)
    return commands


def _simple(tokens: list[str]) -> list[str]:
    """A simple command's argv: leading assignments and wrappers (`sudo`, `env`) removed,
    `python -m pip` read as `pip`; empty for control structures."""
    while tokens and (tokens[0] in _PREFIXES or _ASSIGNMENT.match(tokens[0])):
        tokens = tokens[1:]
    if not tokens or tokens[0] in _CONTROL:
        return []
    program = os.path.basename(tokens[0])
    if program in ("python", "python3") and len(tokens) > 2 and tokens[1] == "-m" and tokens[2] in TOOLS:
        return tokens[2:]
    return [program, *tokens[1:]]


def _shown(argv: list[str]) -> str:
    return " ".join(shlex.quote(a) if a != PLACEHOLDER else "<...>" for a in argv)


def command_problems(blocks: list[Block], verdicts: "Verdicts | None" = None) -> list[Problem]:
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
                                    f"`{_shown(argv)}`: {argv[0]} refuses these arguments: {verdict.refused}{skipped}"))
        elif verdict.unchecked:
            unchecked.setdefault((verdict.unchecked, verdict.severity), []).append((block, line, argv))
    for (why, severity), where in unchecked.items():
        block, line, argv = where[0]
        more = f" (and {len(where) - 1} more command{'s' if len(where) > 2 else ''} on this page)" if len(where) > 1 else ""
        problems.append(Problem("commands", Path(str(block.path)), line, f"`{_shown(argv)}`{more}: {why}",
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
            for argv, answer in zip(todo, answers):
                if isinstance(answer, dict) and answer.get("severity") == "warning":
                    self.unanswered[self._key(argv)] = Verdict(unchecked=str(answer.get("unchecked")), severity="warning")
                else:
                    self.known[self._key(argv)] = answer
                    answered = True
        if answered and self.cache_file is not None:
            self._save()

    def _unanswered(self, program: str, todo: list[list[str]], why: str) -> None:
        for argv in todo:
            self.unanswered[self._key(argv)] = Verdict(
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


# --- In the child process: one tool, its own parser ------------------------------------------

class Unchecked(Exception):
    """The command cannot be checked in this environment (a package is missing): why, and what to install."""


def _captured(call) -> str | None:
    """Runs a parse; the message it printed (or raised) when it refused the arguments, else None."""
    out, err = io.StringIO(), io.StringIO()
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.ERROR:
                records.append(record.getMessage())

    handler = Keep()
    logging.getLogger().addHandler(handler)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            message = call()
    except Unchecked:
        raise
    except SystemExit as done:
        if done.code in (0, None):
            return None
        text = (err.getvalue() or out.getvalue()).strip().splitlines()
        message = records[-1] if records else (text[-1] if text else f"exit status {done.code}")
    except Exception as error:  # noqa: BLE001 - each parser raises its own error type
        message = records[-1] if records else (str(error) or type(error).__name__)
    finally:
        logging.getLogger().removeHandler(handler)
    return _clean(message) if message else None


def _clean(message: str) -> str:
    message = re.sub(r"^(?:ERROR|error|Error)\s*:\s*", "", message.strip())
    message = re.sub(r"^[\w. -]+: error: ", "", message)
    return re.sub(r" \(choose from [^)]{120,}\)", " (see the tool's --help for the choices)", message)


def default_cache() -> Path:
    """One file per environment (its `sys.prefix`), under the user's cache folder: a venv never
    reads another's verdicts."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    environment = hashlib.sha256(sys.prefix.encode()).hexdigest()[:16]
    return Path(base) / "workshop-kit" / f"command-verdicts-{environment}.json"


def _dvc(args: list[str]):
    from dvc.cli import DvcParserError, parse_args

    def call():
        try:
            parse_args(args)
        except DvcParserError:
            raise RuntimeError("parser error") from None

    return call


def _pip(args: list[str]):
    def call():
        from pip._internal.cli.main_parser import parse_command
        from pip._internal.commands import create_command

        name, rest = parse_command(args)
        if name in (None, "help"):
            return None
        create_command(name).parse_args(rest)
        return None

    return call


def _jupyter(args: list[str]):
    def call():
        from jupyter_core.command import list_subcommands

        if not args or args[0].startswith("-"):
            return None
        if args[0] not in list_subcommands():
            if args[0] in JUPYTER_SUBCOMMANDS:
                raise Unchecked(f"not checked here: `jupyter {args[0]}` comes with {JUPYTER_SUBCOMMANDS[args[0]]}, "
                                f"which is not installed in this environment (install {JUPYTER_SUBCOMMANDS[args[0]]} "
                                "to check it)")
            return f"unknown jupyter subcommand '{args[0]}' (installed: {', '.join(sorted(list_subcommands()))})"
        # `jupyter notebook` runs `jupyter-notebook`, whose entry point is a traitlets
        # Application's launch_instance: its own command-line parser refuses unknown flags.
        found = [ep for ep in metadata.entry_points(group="console_scripts") if ep.name == f"jupyter-{args[0]}"]
        app = getattr(found[0].load(), "__self__", None) if found else None
        parse = getattr(app, "parse_command_line", None) if isinstance(app, type) else None
        if parse is not None:
            app().parse_command_line(list(args[1:]))
        return None

    return call


def _yolo(args: list[str]):
    """Ultralytics' `yolo` has no parser object: its entry point reads `TASK MODE key=value`
    pairs itself. This runs that reading with ultralytics' own pieces (merge_equals_args,
    parse_key_value_pair, check_dict_alignment, the TASKS/MODES/DEFAULT_CFG_DICT tables), stopping
    before anything would load a model or a file."""
    def call():
        from ultralytics import cfg

        bare_flags = {"half", "int8", "end2end", "nms"}  # true without '=', though their defaults are not booleans
        special = {"checks", "version", "settings", "cfg", "login", "logout", "copy-cfg", "solutions", "help"}
        special |= {name[0] for name in special} | {name[:-1] for name in special if name.endswith("s")}
        known = {**cfg.DEFAULT_CFG_DICT, **dict.fromkeys((*cfg.TASKS, *cfg.MODES, *special))}
        overrides = {}
        for arg in cfg.merge_equals_args(list(args)):
            arg = arg[2:] if arg.startswith("--") else arg
            arg = arg[:-1] if arg.endswith(",") else arg
            if "=" in arg:
                key, _, value = arg.partition("=")
                if PLACEHOLDER in value or value.startswith("$"):
                    overrides[key] = None
                    continue
                try:
                    key, value = cfg.parse_key_value_pair(arg)
                except (NameError, SyntaxError, ValueError, AssertionError) as error:
                    cfg.check_dict_alignment(known, {arg: ""}, error)
                overrides[key] = value
            elif arg in cfg.TASKS or arg in cfg.MODES:
                overrides["task" if arg in cfg.TASKS else "mode"] = arg
            elif arg.lower().lstrip("-") in special:
                return None  # `yolo settings ...`, `yolo checks`: their own small readers
            elif arg in cfg.DEFAULT_CFG_DICT and not isinstance(cfg.DEFAULT_CFG_DICT[arg], bool) \
                    and arg not in bare_flags:
                return f"'{arg}' is a valid YOLO argument but is missing an '=' sign to set its value"
            elif arg not in cfg.DEFAULT_CFG_DICT and arg not in bare_flags:
                cfg.check_dict_alignment(known, {arg: ""})
        cfg.check_dict_alignment(known, overrides)
        typed = {key: value for key, value in overrides.items() if value is not None and key in cfg.DEFAULT_CFG_DICT}
        cfg.check_cfg(typed)  # wrong types and ranges (epochs=abc, conf=2) are refused here
        return None

    return call


def _click(command, name: str, args: list[str]) -> str | None:
    """click's own option parser and command lookup, without running any callback."""
    import click

    ctx = click.Context(command, info_name=name, resilient_parsing=False)
    try:
        _, rest, _ = command.make_parser(ctx).parse_args(list(args))
    except click.UsageError as error:
        return error.format_message()
    if isinstance(command, click.Group):
        if not rest or rest[0] == PLACEHOLDER or rest[0].startswith("$"):
            return None
        sub = command.get_command(ctx, rest[0])
        if sub is None:
            known = ", ".join(sorted(command.list_commands(ctx)))
            return f"no such command '{rest[0]}' in '{name}' (commands: {known})"
        return _click(sub, f"{name} {rest[0]}", rest[1:])
    if rest and not ctx.allow_extra_args:
        return f"unexpected extra arguments: {' '.join(rest)}"
    return None


def _entry_point(program: str, args: list[str]):
    def call():
        found = [ep for ep in metadata.entry_points(group="console_scripts") if ep.name == program]
        if not found:
            return None
        target = found[0].load()
        import click

        if program == "optuna":
            from optuna.cli import _get_parser

            parser = _get_parser()[0] if isinstance(_get_parser(), tuple) else _get_parser()
            parser.parse_args(args)
            return None
        if program == "prefect":
            from prefect.cli._app import _app

            _app.parse_args(list(args), exit_on_error=False, print_error=False)
            return None
        if not isinstance(target, click.Command):
            try:
                import typer

                if isinstance(target, typer.Typer):
                    target = typer.main.get_command(target)
            except ImportError:
                pass
        if isinstance(target, click.Command):
            return _click(target, program, args)
        return None

    return call


@functools.lru_cache(maxsize=1)
def _own_parser_digest() -> str:
    """What `workshop`'s own verdicts depend on besides the version: the CLI's source."""
    cli = Path(__file__).resolve().parents[1] / "cli"
    sha = hashlib.sha256()
    for path in sorted(cli.glob("*.py")):
        sha.update(path.name.encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()[:16]


# Programs whose parser is an argparse factory of this project, by name (an adapter table, resolved
# in the child process that parses: the checks never import the command line they check).
OWN_PARSERS = {"workshop": "workshop_kit.cli.parser:parser"}


def _own(target: str):
    def make(args: list[str]):
        def call():
            import importlib

            module, _, factory = target.partition(":")
            getattr(importlib.import_module(module), factory)().parse_args(args)
            return None

        return call

    return make


def parse_in_this_process(argv: list[str]) -> str | None:
    program, args = argv[0], argv[1:]
    if any(arg in ("-h", "--help", "--version") for arg in args):
        return None  # they print and exit: nothing to check
    makers = {"dvc": _dvc, "pip": _pip, "pip3": _pip, "jupyter": _jupyter, "yolo": _yolo}
    makers.update({name: _own(target) for name, target in OWN_PARSERS.items()})
    maker = makers.get(program)
    call = maker(args) if maker else _entry_point(program, args)
    return _captured(call)


def main() -> None:
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


if __name__ == "__main__":
    main()
