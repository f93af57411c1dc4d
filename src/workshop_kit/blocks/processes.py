"""A session's processes: marked through their environment, adopted by the process that runs the
session, found and stopped when it ends.

Every process a session starts inherits `WORKSHOP_KIT_SESSION=<token>` from the session's
environment, even one that left the session's process groups (a daemon that called `setsid`, a
double fork). One that also cleared its environment (`setsid -f env -i sleep 600`) carries no
token: while a session runs, the process running it is a child subreaper (Linux's
`PR_SET_CHILD_SUBREAPER`), so such an orphan is re-parented to it instead of to init, and found as
its child. At the end of a session its groups are stopped first (servers, the Python child, a
block's own group); `end_session` then finds whatever still carries the token in `/proc`, and
every orphan adopted during the session with its descendants, stops them, and names them: the
session fails. Processes of a `serves=` block's group are a server's, stopped by design, and not
named. Where there is no `/proc` or no subreaper (macOS, Windows), only the process groups are
stopped.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
import uuid
from dataclasses import dataclass, field
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


# --- Orphans: processes that left the session's groups, its session and its environment -------

PR_SET_CHILD_SUBREAPER = 36


def set_subreaper(on: bool = True) -> bool:
    """Makes this process (not its children: the setting is not inherited) the child subreaper of
    its descendants, or stops it; False where the platform has none (not Linux)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_CHILD_SUBREAPER, int(on), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


@dataclass
class _Stat:
    ppid: int
    pgid: int
    sid: int
    state: str
    start: int  # clock ticks after boot


def _stat(pid: int) -> _Stat | None:
    try:
        fields = (PROC / str(pid) / "stat").read_text().rpartition(")")[2].split()
        return _Stat(int(fields[1]), int(fields[2]), int(fields[3]), fields[0], int(fields[19]))
    except (OSError, IndexError, ValueError):
        return None


def _table() -> dict[int, _Stat]:
    found = {}
    if PROC.is_dir():
        for entry in PROC.iterdir():
            if entry.name.isdigit():
                stat = _stat(int(entry.name))
                if stat is not None:
                    found[int(entry.name)] = stat
    return found


def _now_ticks() -> int:
    try:
        return int(float((PROC / "uptime").read_text().split()[0]) * os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0


def _command(pid: int) -> str:
    try:
        command = (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        command = ""
    return command or f"[{pid}]"


@dataclass
class Watch:
    """What a running session's end compares with: this process's children when it began, when it
    began, and the groups of its servers (`serves=`) and of its Python child (stopped by design)."""

    children: set[int]
    start: int
    subreaper: bool
    exempt: set[int] = field(default_factory=set)


_WATCHED: dict[str, Watch] = {}


def watch(token: str) -> Watch:
    """Called as a session begins, in the process that runs it: become the subreaper of what the
    session starts (an orphan it leaves comes back here), and remember what was already running."""
    me = os.getpid()
    children = {pid for pid, stat in _table().items() if stat.ppid == me}
    found = _WATCHED[token] = Watch(children, _now_ticks(), set_subreaper(True))
    return found


def exempt(env: dict[str, str], group: int) -> None:
    """A process group the session stops itself (a server, the Python child): not a leftover."""
    found = _WATCHED.get(env.get(MARK, ""))
    if found is not None:
        found.exempt.add(group)


def _exempted(stat: _Stat | None, watched: Watch | None) -> bool:
    return watched is not None and stat is not None and (stat.pgid in watched.exempt or stat.sid in watched.exempt)


def orphans(watched: Watch) -> list[Leftover]:
    """The processes adopted by this process since the session began (live, not its own servers'),
    with everything they started."""
    me, table = os.getpid(), _table()
    roots = [pid for pid, stat in table.items()
             if stat.ppid == me and pid not in watched.children and stat.state != "Z"
             and stat.start >= watched.start and not _exempted(stat, watched)]
    found, queue = [], list(roots)
    while queue:
        pid = queue.pop(0)
        if pid in found:
            continue
        found.append(pid)
        queue += [child for child, stat in table.items() if stat.ppid == pid and stat.state != "Z"]
    return [Leftover(pid, _command(pid)) for pid in found]


def _reap(pids: list[int]) -> None:
    """Collects the exit status of the ones that are (now) this process's children: no zombies."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except (ChildProcessError, OSError):
            pass


def _stop(found: list[Leftover], grace: float = 5) -> list[Leftover]:
    """SIGTERM, SIGKILL after `grace` seconds; returns what is still alive."""
    pids = [p.pid for p in found]

    def alive() -> list[int]:
        _reap(pids)
        return [pid for pid in pids if _alive(pid)]

    _signal(pids, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    if alive():
        _signal(alive(), signal.SIGKILL)
        deadline = time.monotonic() + 5
        while alive() and time.monotonic() < deadline:
            time.sleep(0.1)
    left = set(alive())
    return [p for p in found if p.pid in left]


@dataclass(frozen=True)
class Stopped:
    """A process the session left running, as its failure names it."""

    pid: int
    command: str
    survived: bool  # still alive after SIGKILL

    def __str__(self) -> str:
        how = "still alive after SIGKILL" if self.survived else "left running by the session, stopped at its end"
        return f"pid {self.pid}: {self.command} ({how})"


def end(token: str, settle: float = 2) -> list[Stopped]:
    """Ends a session's processes once its own stops are done (its servers and its Python child):
    what still carries the token and every orphan adopted since `watch`, with their descendants, is
    stopped; returns them all, except the members of the server groups the session stopped itself.
    This process stops being a subreaper."""
    watched = _WATCHED.pop(token, None)
    # What the session's own stops signalled a moment ago may still be exiting.
    deadline = time.monotonic() + settle
    while time.monotonic() < deadline and (marked(token) or (watched is not None and orphans(watched))):
        if watched is not None:
            _reap([p.pid for p in orphans(watched)])
        time.sleep(0.1)
    stats = {p.pid: _stat(p.pid) for p in marked(token)}
    found, survivors = stop_marked(token)
    left = [Stopped(p.pid, p.command, p in survivors) for p in found if not _exempted(stats.get(p.pid), watched)]
    if watched is not None:
        adopted = [p for p in orphans(watched) if p.pid not in {s.pid for s in left}]
        still = _stop(adopted)
        left += [Stopped(p.pid, p.command, p in still) for p in adopted]
        if watched.subreaper and not _WATCHED:
            set_subreaper(False)
    return left
