"""The `workshop` command's argument parser: every subcommand's options, read by `main` and by the
commands check (checks/commands.py), which parses the `workshop ...` lines of the pages with it."""

from __future__ import annotations

import argparse

from ..room import cli as room
from . import blocks, blocks_summary, bundle, check, links, new, timing

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
