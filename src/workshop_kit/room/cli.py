"""`workshop room serve`: start the room server on the speaker's laptop.

It binds to the address the speaker chooses (127.0.0.1 by default: only this laptop; give
--host 0.0.0.0, or the laptop's address on the room's network, for participants to reach it),
prints the address participants give `check.py --room` and the speaker token, and serves until
Ctrl+C. Results are kept in an SQLite database (--db); the token in a file beside it (or
--token-file), so a restart keeps both.

Examples:
  workshop room serve
  workshop room serve --host 0.0.0.0 --port 8765 --origin https://org.github.io
  python -m workshop_kit.room serve --db ./room/room.sqlite3 --stuck-minutes 3
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

HELP = "start the room server: participants' check results, the room's progress for the speaker"
EXTRA_HINT = "the room server needs the 'room' extra: pip install 'workshop-kit[room]'"


class RoomUsageError(Exception):
    pass


def default_db() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "workshop-kit" / "room" / "room.sqlite3"


def origin_arg(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") \
            or parts.query or parts.fragment or parts.username or parts.password:
        raise argparse.ArgumentTypeError(f"{value!r} is not an origin such as https://org.github.io "
                                         "(scheme, host and port only)")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def minutes_arg(value: str) -> float:
    try:
        minutes = float(value)
    except ValueError:
        minutes = -1
    if not 0 < minutes <= 24 * 60:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of minutes between 0 and 1440")
    return minutes


def port_arg(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (1-65535)")
    return int(value)


def serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address to listen on (default 127.0.0.1: this laptop only; "
                             "0.0.0.0 for every network the laptop is on)")
    parser.add_argument("--port", type=port_arg, default=8765, help="the port (default 8765)")
    parser.add_argument("--db", type=Path, default=None,
                        help=f"the SQLite database keeping the results (default {default_db()})")
    parser.add_argument("--token-file", type=Path, default=None,
                        help="where the speaker token is kept (default: speaker-token beside the database)")
    parser.add_argument("--origin", type=origin_arg, default=None,
                        help="the workshop site's origin, allowed to read the progress from the browser "
                             "(CORS; default: none)")
    parser.add_argument("--stuck-minutes", type=minutes_arg, default=5.0,
                        help="a seat failing the same check for longer is shown stuck (default 5)")


def arguments(sub: argparse.ArgumentParser) -> None:
    """For `workshop room`: its `serve` subcommand."""
    commands = sub.add_subparsers(dest="room_command", metavar="<subcommand>")
    serve_parser = commands.add_parser("serve", help="start the room server", description=__doc__,
                                       formatter_class=argparse.RawDescriptionHelpFormatter)
    serve_arguments(serve_parser)


def participant_urls(host: str, port: int) -> list[str]:
    """The addresses participants can use: the host itself, or this laptop's addresses for 0.0.0.0/::."""
    if host in ("0.0.0.0", "::", ""):
        names = set()
        try:
            for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
                address = str(info[4][0])
                if not address.startswith("127."):
                    names.add(address)
        except OSError:
            pass
        hosts = sorted(names) or ["<this laptop's address>"]
    else:
        hosts = [f"[{host}]" if ":" in host else host]
    return [f"http://{name}:{port}" for name in hosts]


def prepare(args: argparse.Namespace):
    """The app and the lines to print, from parsed options (no socket opened yet)."""
    try:
        import uvicorn  # noqa: F401 - what `run` serves with

        from .app import create_app
    except ImportError as err:
        raise RoomUsageError(f"{EXTRA_HINT} ({err})") from None
    from .tokens import TOKEN_FILE, TokenError, load_or_create

    db = (args.db or default_db()).expanduser().resolve()
    token_file = (args.token_file or db.parent / TOKEN_FILE).expanduser()
    try:
        token = load_or_create(token_file)
    except (TokenError, OSError) as err:
        raise RoomUsageError(str(err)) from None
    try:
        app = create_app(db, token, origin=args.origin, stuck_minutes=args.stuck_minutes)
    except Exception as err:  # an unreadable database or folder: one line, no traceback
        raise RoomUsageError(f"{db}: {err}") from None
    urls = participant_urls(args.host, args.port)
    local = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "[::1]"}.get(
        args.host, f"[{args.host}]" if ":" in args.host else args.host)
    local = f"http://{local}:{args.port}/"
    lines = [
        f"Room server on {args.host}:{args.port} (database {db})",
        "Participants send their checks with:",
        *(f"    python check.py --room {url} --seat <seat>" for url in urls),
        f"Speaker page: {local}",
        f"Speaker token: {token}",
        f"  (kept in {token_file}; stuck after {args.stuck_minutes:g} min; "
        f"CORS origin: {args.origin or 'none'})",
        "Stop with Ctrl+C.",
    ]
    if args.host in ("127.0.0.1", "localhost", "::1"):
        lines.insert(4, "    (this laptop only: give --host 0.0.0.0 for participants on the room's network)")
    return app, lines


def run(args: argparse.Namespace) -> int:
    """`workshop room <subcommand>` (for the `workshop` command's table of commands)."""
    if getattr(args, "room_command", None) != "serve":
        print("workshop room: name a subcommand: workshop room serve [--host ...] [--port ...]", file=sys.stderr)
        return 2
    try:
        app, lines = prepare(args)
    except RoomUsageError as err:
        print(f"workshop room serve: {err}", file=sys.stderr)
        return 2
    import uvicorn
    print("\n".join(lines), flush=True)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level="warning", access_log=False,
                            server_header=False, date_header=False, limit_concurrency=500,
                            timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    # uvicorn stops gracefully on SIGINT/SIGTERM, then raises the signal again for the handler it
    # found: with these, Ctrl+C or a service manager's SIGTERM ends the command with status 0.
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for number in (signal.SIGINT, signal.SIGTERM):
            previous[number] = signal.signal(number, lambda *_: None)
    try:
        server.run()
    except SystemExit:  # uvicorn's answer to an address it cannot bind
        pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if not server.started:  # the port was taken, or the address is not this laptop's
        print(f"workshop room serve: could not listen on {args.host}:{args.port} (in use, or not an address "
              "of this laptop); choose another --port or --host", file=sys.stderr)
        return 2
    print("Room server stopped; the results are kept in the database.", flush=True)
    return 0


def serve(argv: list[str] | None = None) -> int:
    """`workshop room serve [options]`, with argv the options after `serve`."""
    parser = argparse.ArgumentParser(prog="workshop room serve", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    serve_arguments(parser)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    args.room_command = "serve"
    return run(args)
