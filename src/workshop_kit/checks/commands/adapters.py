"""Each tool's own parser, asked about one argv without running anything: one adapter per program.

Runs in the child process of verdicts.py (`python -m workshop_kit.checks.commands <program>`):
every tool is imported inside its adapter, never at this module's import, so the checks that
import this table for its program names import none of the tools.

An adapter takes the arguments and returns a call; the call returns the tool's message when it
refuses them (or raises, or exits non-zero, as the tool does), None when it accepts them, and
raises Unchecked when this environment cannot tell.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import logging
import re
from collections.abc import Callable
from importlib import metadata
from typing import Any

# Program -> the distribution whose version keys the cache.
TOOLS = {"dvc": "dvc", "gto": "gto", "mlflow": "mlflow", "prefect": "prefect", "streamlit": "streamlit",
         "jupyter": "jupyter_core", "pip": "pip", "pip3": "pip", "optuna": "optuna", "yolo": "ultralytics",
         "workshop": "workshop-kit"}
# What the tokenizer puts for `<...>` placeholders; the adapters accept it as any value.
PLACEHOLDER = "WK_PLACEHOLDER"
# `jupyter <sub>` runs `jupyter-<sub>`: the distribution to install when it is missing here.
JUPYTER_SUBCOMMANDS = {"notebook": "notebook", "lab": "jupyterlab", "nbconvert": "nbconvert", "execute": "nbclient",
                       "server": "jupyter-server", "console": "jupyter-console", "kernelspec": "jupyter-client",
                       "kernel": "jupyter-client", "run": "jupyter-client", "trust": "nbformat",
                       "labextension": "jupyterlab", "nbextension": "notebook"}

Call = Callable[[], "str | None"]
Adapter = Callable[[list[str]], Call]


class Unchecked(Exception):
    """The command cannot be checked in this environment (a package is missing): why, and what to install."""


def _captured(call: Call) -> str | None:
    """Runs a parse; the message it printed (or raised) when it refused the arguments, else None."""
    out, err = io.StringIO(), io.StringIO()
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
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


def _dvc(args: list[str]) -> Call:
    from dvc.cli import DvcParserError, parse_args

    def call() -> None:
        try:
            parse_args(args)
        except DvcParserError:
            raise RuntimeError("parser error") from None

    return call


def _pip(args: list[str]) -> Call:
    def call() -> None:
        from pip._internal.cli.main_parser import parse_command
        from pip._internal.commands import create_command

        name, rest = parse_command(args)
        if name in (None, "help"):
            return None
        create_command(name).parse_args(rest)
        return None

    return call


def _jupyter(args: list[str]) -> Call:
    def call() -> str | None:
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
        if isinstance(app, type) and getattr(app, "parse_command_line", None) is not None:
            app().parse_command_line(list(args[1:]))
        return None

    return call


def _yolo(args: list[str]) -> Call:
    """Ultralytics' `yolo` has no parser object: its entry point reads `TASK MODE key=value`
    pairs itself. This runs that reading with ultralytics' own pieces (merge_equals_args,
    parse_key_value_pair, check_dict_alignment, the TASKS/MODES/DEFAULT_CFG_DICT tables), stopping
    before anything would load a model or a file."""
    def call() -> str | None:
        from ultralytics import cfg

        bare_flags = {"half", "int8", "end2end", "nms"}  # true without '=', though their defaults are not booleans
        special = {"checks", "version", "settings", "cfg", "login", "logout", "copy-cfg", "solutions", "help"}
        special |= {name[0] for name in special} | {name[:-1] for name in special if name.endswith("s")}
        known = {**cfg.DEFAULT_CFG_DICT, **dict.fromkeys((*cfg.TASKS, *cfg.MODES, *special))}
        overrides: dict[str, Any] = {}
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


def _click(command: Any, name: str, args: list[str]) -> str | None:
    """Click's own option parser and command lookup, without running any callback."""
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


def _console_script(program: str) -> Any:
    """The object `program`'s console-script entry point names (loaded), or None without one."""
    found = [ep for ep in metadata.entry_points(group="console_scripts") if ep.name == program]
    return found[0].load() if found else None


def _click_app(program: str) -> Adapter:
    """A click or typer app (gto, mlflow, streamlit): click's parser and command lookup."""
    def make(args: list[str]) -> Call:
        def call() -> str | None:
            target = _console_script(program)
            if target is None:
                return None
            import click

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

    return make


def _optuna(args: list[str]) -> Call:
    """Optuna's argparse parser."""
    def call() -> None:
        if _console_script("optuna") is None:
            return None
        from optuna.cli import _get_parser

        parser: Any = _get_parser()[0] if isinstance(_get_parser(), tuple) else _get_parser()
        parser.parse_args(args)
        return None

    return call


def _prefect(args: list[str]) -> Call:
    """Prefect's cyclopts app: its `parse_args`, without running the command."""
    def call() -> None:
        if _console_script("prefect") is None:
            return None
        from prefect.cli._app import _app

        _app.parse_args(list(args), exit_on_error=False, print_error=False)
        return None

    return call


def _own(target: str) -> Adapter:
    """An argparse factory of this project, by name, resolved in the child process that parses:
    the checks never import the command line they check."""
    def make(args: list[str]) -> Call:
        def call() -> None:
            module, _, factory = target.partition(":")
            getattr(importlib.import_module(module), factory)().parse_args(args)
            return None

        return call

    return make


# Program -> its adapter; a program missing here (a tool added to TOOLS only) is read as a click app.
ADAPTERS: dict[str, Adapter] = {
    "dvc": _dvc,
    "pip": _pip,
    "pip3": _pip,
    "jupyter": _jupyter,
    "yolo": _yolo,
    "gto": _click_app("gto"),
    "mlflow": _click_app("mlflow"),
    "streamlit": _click_app("streamlit"),
    "optuna": _optuna,
    "prefect": _prefect,
    "workshop": _own("workshop_kit.cli.parser:parser"),
}


def parse_in_this_process(argv: list[str]) -> str | None:
    """The tool's message when it refuses `argv`, else None; raises Unchecked."""
    program, args = argv[0], argv[1:]
    if any(arg in ("-h", "--help", "--version") for arg in args):
        return None  # they print and exit: nothing to check
    adapter = ADAPTERS.get(program) or _click_app(program)
    return _captured(adapter(args))
