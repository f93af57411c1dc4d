"""`workshop`: the command line of Workshop Kit (check, list blocks, check links, scaffold a workshop)."""

from __future__ import annotations

import argparse
import sys

from . import blocks, check, links, new

COMMANDS = {"check": check, "blocks": blocks, "links": links, "new": new}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="workshop",
        description="Tools for a Workshop Kit site: run from the folder that holds mkdocs.yml.",
        epilog="Run 'workshop <command> --help' for a command's options.",
    )
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
    except BrokenPipeError:  # `workshop check | head`: the reader has seen enough
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":  # python -m workshop_kit.cli
    sys.exit(main())
