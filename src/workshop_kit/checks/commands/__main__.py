"""The parser child of verdicts.py: `python -m workshop_kit.checks.commands <program>`."""

from .verdicts import main

main()
