"""`python -m workshop_kit.room serve [options]`: the same as `workshop room serve`."""

import sys

from .cli import serve

if __name__ == "__main__":
    argv = sys.argv[1:]
    if argv[:1] == ["serve"]:
        argv = argv[1:]
    elif argv and not argv[0].startswith("-"):
        print(f"python -m workshop_kit.room: unknown subcommand {argv[0]!r}; use: serve [options]",
              file=sys.stderr)
        sys.exit(2)
    sys.exit(serve(argv))
