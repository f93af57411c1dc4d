"""Shell blocks run one after another as if typed into one terminal.

Each block runs in a fresh `bash`, which first restores the previous block's working directory
and exported variables and saves them again on exit: `cd` and `export` carry over, and one block
cannot hang the next. A block that starts a server (`serves="<url>"`) runs in the background
until the session ends; the next blocks start once the URL answers.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .processes import exempt, group_members, kill_group

# Seconds one block (one command of a `console` block, one Python statement) may run before it
# and everything it started are stopped: the one default of the runner, the pytest plugin's
# `--workshop-block-timeout` and `workshop blocks`.
BLOCK_TIMEOUT = 900

PRELUDE = """\
[ -f "$WK_STATE" ] && source "$WK_STATE"
wk_save() {{ local rc=$?; {{ declare -px | grep -v '^declare -[a-z]*r' ; printf 'cd %q\\n' "$PWD"; }} > "$WK_STATE.new" && mv "$WK_STATE.new" "$WK_STATE"; return $rc; }}
trap wk_save EXIT
{strict}
"""  # noqa: E501 - one line of bash per line of the prelude (PRELUDE_LINES)
PRELUDE_LINES = 4
# Stop at the first failing command, and say which one it was (its line in the script).
STRICT = ("""set -eEo pipefail; trap '[ -e "$WK_STATE.failed" ] """
          """|| printf "%s\\n%s" "$LINENO" "$BASH_COMMAND" > "$WK_STATE.failed"' ERR""")


@dataclass
class Result:
    command: str
    output: str
    exit_code: int
    exception: str | None = None  # Python: the exception raised, as traceback.format_exception_only
    failed_line: int | None = None  # shell, strict: the line of the script whose command failed
    failed_command: str | None = None  # ... and that command, as bash saw it
    leftovers: list[str] = field(default_factory=list)  # processes still running when the block ended


class ShellSession:
    def __init__(self, workdir: Path, env: dict[str, str], timeout: float = BLOCK_TIMEOUT):
        self.workdir = workdir
        self.state = workdir.parent / f".{workdir.name}.shell-state"
        self.env = dict(env, WK_STATE=str(self.state))
        self.timeout = timeout
        self.servers: list[subprocess.Popen] = []
        self.state.write_text(f"cd {workdir}\n")

    def run(self, script: str, *, strict: bool = True) -> Result:
        """Runs `script`; `strict` stops at the first failing command (bash -e, pipefail).

        The script runs in a process group of its own, its output goes to a file (a process left
        in the background cannot hold a pipe open and stall the block): when bash ends, or at the
        timeout, the whole group is killed, and whatever was still running is named in the result.
        """
        failed = self.state.with_name(self.state.name + ".failed")
        failed.unlink(missing_ok=True)
        prelude = PRELUDE.format(strict=STRICT if strict else "")
        with tempfile.TemporaryFile() as capture:
            process = subprocess.Popen(["bash", "--noprofile", "--norc", "-c", prelude + script], cwd=self.workdir,
                                       env=self.env, stdout=capture, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
            try:
                process.wait(timeout=self.timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                timed_out = True
            left = group_members(process.pid) if not timed_out else []
            kill_group(process.pid)
            process.wait()
            capture.seek(0)
            output = capture.read().decode(errors="replace")
        if timed_out:
            return Result(script, output + f"\n[timed out after {self.timeout:.0f} s: the block and everything it "
                          "started were stopped]", 124)
        result = Result(script, output, process.returncode, leftovers=[str(p) for p in left])
        if strict and process.returncode and failed.is_file():
            line, _, command = failed.read_text(errors="replace").partition("\n")
            if line.isdigit() and 1 <= int(line) - PRELUDE_LINES <= len(script.splitlines()):
                result.failed_line, result.failed_command = int(line) - PRELUDE_LINES, command.strip()
        return result

    def start_server(self, script: str, url: str, *, wait: float = 180) -> Result | None:
        """Starts a block that serves until stopped; returns None once `url` answers, else why not."""
        log = self.state.with_name(f"{self.state.name}.server-{len(self.servers)}.log")
        restore = '[ -f "$WK_STATE" ] && source "$WK_STATE"\n'
        with open(log, "w") as output:
            server = subprocess.Popen(["bash", "--noprofile", "--norc", "-c", restore + script], cwd=self.workdir,
                                      env=self.env, stdout=output, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, start_new_session=True)
        self.servers.append(server)
        exempt(self.env, server.pid)  # its group is stopped with the session, by design
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if server.poll() is not None:
                return Result(script, log.read_text() + f"\n[the server exited with {server.returncode}]", 1)
            try:
                urllib.request.urlopen(url, timeout=5).close()
                return None
            except urllib.error.HTTPError:
                return None  # it answered: an error status is still a running server
            except OSError:
                time.sleep(0.5)
        return Result(script, log.read_text() + f"\n[{url} did not answer within {wait:.0f} s]", 124)

    def stop_servers(self) -> None:
        for server in self.servers:
            stop_process_group(server)
        self.servers.clear()

    def current(self) -> tuple[Path, dict[str, str]]:
        """The working directory and exported environment after the last block, for Python blocks."""
        probe = subprocess.run(["bash", "--noprofile", "--norc", "-c",
                                f'source "{self.state}"; printf "%s\\0" "$PWD"; env -0'],
                               cwd=self.workdir, env=self.env, capture_output=True, text=True)
        cwd, _, rest = probe.stdout.partition("\0")
        env = dict(item.split("=", 1) for item in rest.split("\0") if "=" in item)
        return Path(cwd or self.workdir), env or dict(os.environ)


def stop_process_group(process: subprocess.Popen, grace: float = 15) -> None:
    """Stops a process started with `start_new_session=True` and everything it started: SIGTERM to
    its group, SIGKILL after `grace` seconds."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def unwaited_background(script: str) -> int | None:
    """The line (1-based) of the first command a shell script sends to the background with `&`
    when the script never `wait`s: such a process would outlive its block. None when there is none.
    Servers have their own option, serves="<url>", and run until the session ends."""
    background, waits = None, False
    for number, line in enumerate(script.splitlines(), 1):
        lexer = shlex.shlex(line, posix=False, punctuation_chars=True)  # quotes kept: "&" is text
        lexer.whitespace_split = True
        try:
            tokens = list(lexer)
        except ValueError:  # an open quote: a line of a longer string
            continue
        waits = waits or "wait" in tokens
        if background is None and "&" in tokens:
            background = number
    return None if waits else background
