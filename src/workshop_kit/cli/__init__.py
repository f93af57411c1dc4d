"""`workshop`: the command line of Workshop Kit (check, list blocks, check links, scaffold a workshop).

Conventions, for every command: the normal output goes to stdout, errors to stderr as one line
`workshop <command>: <what is wrong and what to do>`; exit 0 when all is well, 1 when the command
found problems (failed checks, broken links), 2 when it could not run (usage, missing site).
"""

from __future__ import annotations

import sys

from .parser import COMMANDS, parser, version
from .site import UsageError

__all__ = ["COMMANDS", "main", "parser", "version"]


def main(argv: list[str] | None = None) -> int:
    top = parser()
    args = top.parse_args(argv)
    if not getattr(args, "handler", None):
        top.print_help(sys.stderr)
        return 2
    try:
        return args.handler(args)
    except UsageError as err:
        print(f"workshop {args.command}: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `workshop check | head`: the reader has seen enough
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":  # python -m workshop_kit.cli
    sys.exit(main())
