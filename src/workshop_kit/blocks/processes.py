"""A session's processes: marked through their environment, found and stopped when it ends.

Every process a session starts inherits `WORKSHOP_KIT_SESSION=<token>` from the session's
environment, even one that left the session's process groups (a daemon that called `setsid`, a
double fork). At the end of a session its groups are stopped first (servers, the Python child, a
block's own group); `stop_marked` then finds whatever still carries the token in `/proc` and stops
it, and names anything that survived even SIGKILL. Where there is no `/proc` (macOS), only the
process groups are stopped.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

MARK = "WORKSHOP_KIT_SESSION"
PROC = Path("/proc")


@dataclass(frozen=True)
class Leftover:
    pid: int
    command: str

    def __str__(self) -> str:
        return f"pid {self.pid}: {self.command}"


def mark(env: dict[str, str]) -> str:
    """Gives the session's environment a fresh token; returns it."""
    token = uuid.uuid4().hex
    env[MARK] = token
    return token


def _alive(pid: int) -> bool:
    """Running (not a zombie waiting for its parent)."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def marked(token: str) -> list[Leftover]:
    """The live processes whose environment carries `token` (this process excluded)."""
    if not token or not PROC.is_dir():
        return []
    needle = f"{MARK}={token}".encode()
    found = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            if needle not in environ.split(b"\0"):
                continue
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
            # An empty command line: the process was exiting between the two reads (its memory,
            # environment included, already released); read again, it no longer carries the token.
            if not command and needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if _alive(int(entry.name)):
            found.append(Leftover(int(entry.name), command or f"[{entry.name}]"))
    return found


def _signal(pids: list[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except OSError:
            pass


def _wait_gone(token: str, seconds: float) -> list[Leftover]:
    deadline = time.monotonic() + seconds
    left = marked(token)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = marked(token)
    return left


def stop_marked(token: str, grace: float = 5) -> tuple[list[Leftover], list[Leftover]]:
    """Stops every process still carrying `token`: SIGTERM, SIGKILL after `grace` seconds.
    Returns (what had to be stopped, what is still alive after SIGKILL)."""
    found = marked(token)
    if not found:
        return [], []
    _signal([p.pid for p in found], signal.SIGTERM)
    left = _wait_gone(token, grace)
    if left:
        _signal([p.pid for p in left], signal.SIGKILL)
        left = _wait_gone(token, 5)
    return found, left


def kill_group(pgid: int, sig: int = signal.SIGKILL) -> bool:
    """Signals a process group; False when it has no member left."""
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def group_members(pgid: int) -> list[Leftover]:
    """The live members of a process group (from /proc; empty where there is none)."""
    if not PROC.is_dir():
        return []
    members = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat.rpartition(")")[2].split()
            if int(fields[2]) != pgid or fields[0] == "Z":
                continue
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except (OSError, IndexError, ValueError):
            continue
        members.append(Leftover(int(entry.name), command or f"[{entry.name}]"))
    return members
