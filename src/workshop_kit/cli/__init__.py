"""`workshop`: the command line of Workshop Kit (check, list blocks, check links, scaffold a workshop).

Conventions, for every command: the normal output goes to stdout, errors to stderr as one line
`workshop <command>: <what is wrong and what to do>`; exit 0 when all is well, 1 when the command
found problems (failed checks, broken links), 2 when it could not run (usage, missing site).
"""

from __future__ import annotations

import argparse
import sys

from ..room import cli as room
from . import blocks, blocks_summary, bundle, check, links, new, timing
from .site import UsageError

COMMANDS = {"check": check, "blocks": blocks, "blocks-summary": blocks_summary, "links": links, "new": new,
            "room": room, "bundle": bundle, "timing": timing}


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("workshop-kit")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown (not installed)"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="workshop",
        description="Tools for a Workshop Kit site: run from the folder that holds mkdocs.yml, or pass "
                    "-f/--config-file to a command.",
        epilog="Run 'workshop <command> --help' for a command's options.",
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    commands = top.add_subparsers(dest="command", metavar="<command>")
    for name, module in COMMANDS.items():
        sub = commands.add_parser(name, help=module.HELP, description=module.__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        module.arguments(sub)
        sub.set_defaults(handler=module.run)
    return top


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
