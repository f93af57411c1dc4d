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

Three modules, one job each: `tokenizer` finds the commands of a block (`split_commands`),
`adapters` asks one tool's own parser (the ADAPTERS table, program -> adapter; run in a child
process), `verdicts` fans the commands out to those children, caches their answers and turns them
into problems (`Verdicts`, `command_problems`). `python -m workshop_kit.checks.commands <program>`
is the child (this package's __main__).
"""

from __future__ import annotations

from .adapters import ADAPTERS, JUPYTER_SUBCOMMANDS, PLACEHOLDER, TOOLS, Unchecked, parse_in_this_process
from .tokenizer import SHELL_LANGS, split_commands
from .verdicts import ACCEPTED, CHILD_TIMEOUT, Verdict, Verdicts, command_problems, default_cache, main

__all__ = ["ACCEPTED", "ADAPTERS", "CHILD_TIMEOUT", "JUPYTER_SUBCOMMANDS", "PLACEHOLDER", "SHELL_LANGS", "TOOLS",
           "Unchecked", "Verdict", "Verdicts", "command_problems", "default_cache", "main", "parse_in_this_process",
           "split_commands"]
