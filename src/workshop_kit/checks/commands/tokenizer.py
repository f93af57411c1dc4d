"""A shell block's commands, as argv: continuation lines joined, heredoc bodies and redirects
left out, wrappers (`sudo`, `env`, assignments) and `python -m` removed, placeholders replaced.

Only the commands whose program is one of the checked tools (adapters.TOOLS) are kept.
"""

from __future__ import annotations

import os
import re
import shlex

from ...blocks.model import SHELL, Block
from .adapters import PLACEHOLDER, TOOLS

SHELL_LANGS = SHELL
_ANGLE = re.compile(r"<[A-Za-zÀ-ÿ][^<>\n]*?>")  # `<your token>`, `<votre jeton>`
_REDIRECT = re.compile(r"(?<![\w$])\d*(?:&>>?|>>?|<)&?(?:\d+\b|[ \t]*(?:\"[^\"]*\"|'[^']*'|[^\s;&|()<>]+))")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=")
_PREFIXES = {"sudo", "env", "time", "nohup", "exec", "command", "then", "do", "else", "!", "{", "(", "xargs"}
_SEPARATORS = {";", "&&", "||", "|", "&", "|&", ";;", "(", ")", "{", "}"}
_CONTROL = {"if", "elif", "while", "until", "for", "case", "select", "function", "done", "fi", "esac", "}"}
_HEREDOC = re.compile(r"<<-?\s*(['\"]?)(?P<tag>\w+)\1")


def _lines_of(block: Block) -> list[tuple[int, str]]:
    """(offset in the block, command text) with continuation lines joined."""
    raw = block.code.splitlines()
    found: list[tuple[int, str]] = []
    if block.lang == "console":
        for index, line in enumerate(raw):
            if line.startswith("$ "):
                found.append((index, line[2:]))
            elif line.startswith("> ") and found and found[-1][1].rstrip().endswith("\\"):
                found[-1] = (found[-1][0], found[-1][1].rstrip()[:-1] + " " + line[2:])
        return found
    pending, start = "", 0
    heredoc: str | None = None
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


def shown(argv: list[str]) -> str:
    """An argv as the reports quote it, with `<...>` for a placeholder."""
    return " ".join(shlex.quote(a) if a != PLACEHOLDER else "<...>" for a in argv)
