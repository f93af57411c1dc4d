"""Skipped is not unchecked: the commands of shell blocks, parsed by their tools' own parsers.

For every command of a `bash`/`sh`/`shell` block and every `$ ` line of a `console` block, run by
the tests or skipped (a block skipped for a cloud account can still be wrong), whose program is a
Python command-line tool installed here, the arguments are parsed, never executed, by the tool's
own parser: DVC's `dvc.cli.parse_args`, pip's command parsers, click and typer apps (gto, mlflow,
streamlit) through click's own option parser and command lookup, argparse parsers (optuna, this
project's `workshop`), cyclopts' `parse_args` (prefect), Jupyter's subcommands and their traitlets
applications' command-line parsers, ultralytics' own key=value reader (`yolo`). An unknown
command or option, or an option missing its value, is reported at the page and line of the command.

Placeholders are accepted as values: `<...>`, `$VAR`, `${VAR}`, `$(...)`. A tool that is not
installed is not checked. Parsing runs in one child process per tool (importing mlflow takes
seconds), all tools at once, and verdicts are remembered per tool version in `.cache/` beside
mkdocs.yml, so a warm run imports nothing.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import shlex
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from ..blocks.model import Block
from .problem import Problem

# Program -> the distribution whose version keys the cache.
TOOLS = {"dvc": "dvc", "gto": "gto", "mlflow": "mlflow", "prefect": "prefect", "streamlit": "streamlit",
         "jupyter": "jupyter_core", "pip": "pip", "pip3": "pip", "optuna": "optuna", "yolo": "ultralytics",
         "workshop": "workshop-kit"}
SHELL_LANGS = {"bash", "sh", "shell", "console"}
PLACEHOLDER = "WK_PLACEHOLDER"
_ANGLE = re.compile(r"<[A-Za-z][^<>\n]*?>")
_REDIRECT = re.compile(r"(?<![\w$])\d*(?:&>>?|>>?|<)&?(?:\d+\b|[ \t]*(?:\"[^\"]*\"|'[^']*'|[^\s;&|()<>]+))")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=")
_PREFIXES = {"sudo", "env", "time", "nohup", "exec", "command", "then", "do", "else", "!", "{", "(", "xargs"}
_SEPARATORS = {";", "&&", "||", "|", "&", "|&", ";;", "(", ")", "{", "}"}
_CONTROL = {"if", "elif", "while", "until", "for", "case", "select", "function", "done", "fi", "esac", "}"}
_HEREDOC = re.compile(r"<<-?\s*(['\"]?)(?P<tag>\w+)\1")


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


def command_problems(blocks: list[Block], verdicts: "Verdicts | None" = None) -> list[Problem]:
    found = [(block, line, argv) for block in blocks for line, argv in split_commands(block)]
    if not found:
        return []
    verdicts = verdicts or Verdicts()
    verdicts.fetch([argv for _, _, argv in found])
    problems = []
    for block, line, argv in found:
        error = verdicts.get(argv)
        if error:
            shown = " ".join(shlex.quote(a) if a != PLACEHOLDER else "<...>" for a in argv)
            skipped = " (in a block skipped for the tests: its commands are checked all the same)" \
                if block.skip is not None else ""
            problems.append(Problem("commands", Path(str(block.path)), line,
                                    f"`{shown}`: {argv[0]} refuses these arguments: {error}{skipped}"))
    return problems


class Verdicts:
    """Parser verdicts per (tool, argv): None (accepted) or the tool's message; cached on disk."""

    def __init__(self, cache_file: Path | None = None):
        self.cache_file = cache_file if cache_file is not None else default_cache()
        self.versions: dict[str, str | None] = {}
        self.known: dict[str, str | None] = {}
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

    def _key(self, argv: list[str]) -> str | None:
        version = self._version(argv[0])
        return None if version is None else json.dumps([TOOLS[argv[0]], version, argv])

    def get(self, argv: list[str]) -> str | None:
        key = self._key(argv)
        return None if key is None else self.known.get(key)

    def fetch(self, argvs: list[list[str]]) -> None:
        """Parses every argv not known yet: one child process per tool, all running at once."""
        missing: dict[str, list[list[str]]] = {}
        for argv in argvs:
            key = self._key(argv)
            if key is not None and key not in self.known and argv not in missing.setdefault(argv[0], []):
                missing[argv[0]].append(argv)
        children = []
        for program, todo in missing.items():
            if not todo:
                continue
            child = subprocess.Popen([sys.executable, "-m", "workshop_kit.checks.commands", program],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True, env={**os.environ, "PYTHONWARNINGS": "ignore", "NO_COLOR": "1",
                                                     "DVC_NO_ANALYTICS": "1", "COLUMNS": "200"})
            children.append((todo, child, json.dumps(todo)))
        for todo, child, request in children:
            try:
                out, _ = child.communicate(request, timeout=300)
                answers = json.loads(out.strip().splitlines()[-1]) if out.strip() else [None] * len(todo)
            except (subprocess.TimeoutExpired, ValueError, IndexError):
                child.kill()
                answers = [None] * len(todo)  # the tool could not be asked: nothing is claimed
            for argv, answer in zip(todo, answers):
                self.known[self._key(argv)] = answer
        if children and self.cache_file is not None:
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
    """Verdicts depend on the tools' versions only: one cache per user, shared by every site."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "workshop-kit" / "command-verdicts.json"


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


def _workshop(args: list[str]):
    def call():
        from workshop_kit.cli import parser

        parser().parse_args(args)
        return None

    return call


def parse_in_this_process(argv: list[str]) -> str | None:
    program, args = argv[0], argv[1:]
    if any(arg in ("-h", "--help", "--version") for arg in args):
        return None  # they print and exit: nothing to check
    maker = {"dvc": _dvc, "pip": _pip, "pip3": _pip, "jupyter": _jupyter, "workshop": _workshop,
             "yolo": _yolo}.get(program)
    call = maker(args) if maker else _entry_point(program, args)
    return _captured(call)


def main() -> None:
    argvs = json.loads(sys.stdin.read())
    answers = []
    for argv in argvs:
        try:
            answers.append(parse_in_this_process(argv))
        except BaseException:  # noqa: BLE001 - never claim a problem the tool did not state
            answers.append(None)
    sys.stdout.flush()
    print("\n" + json.dumps(answers))


if __name__ == "__main__":
    main()
