"""Shell blocks run one after another as if typed into one terminal.

Each block runs in a fresh `bash`, which first restores the previous block's working directory
and exported variables and saves them again on exit: `cd` and `export` carry over, and one block
cannot hang the next. A block that starts a server (`serves="<url>"`) runs in the background
until the session ends; the next blocks start once the URL answers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

PRELUDE = """\
[ -f "$WK_STATE" ] && source "$WK_STATE"
wk_save() {{ local rc=$?; {{ declare -px | grep -v '^declare -[a-z]*r' ; printf 'cd %q\\n' "$PWD"; }} > "$WK_STATE.new" && mv "$WK_STATE.new" "$WK_STATE"; return $rc; }}
trap wk_save EXIT
{strict}
"""
PRELUDE_LINES = 4
# Stop at the first failing command, and say which one it was (its line in the script).
STRICT = """set -eEo pipefail; trap '[ -e "$WK_STATE.failed" ] || printf "%s\\n%s" "$LINENO" "$BASH_COMMAND" > "$WK_STATE.failed"' ERR"""


@dataclass
class Result:
    command: str
    output: str
    exit_code: int
    exception: str | None = None  # Python: the exception raised, as traceback.format_exception_only
    failed_line: int | None = None  # shell, strict: the line of the script whose command failed
    failed_command: str | None = None  # ... and that command, as bash saw it


class ShellSession:
    def __init__(self, workdir: Path, env: dict[str, str], timeout: float = 900):
        self.workdir = workdir
        self.state = workdir.parent / f".{workdir.name}.shell-state"
        self.env = dict(env, WK_STATE=str(self.state))
        self.timeout = timeout
        self.servers: list[subprocess.Popen] = []
        self.state.write_text(f"cd {workdir}\n")

    def run(self, script: str, *, strict: bool = True) -> Result:
        """Runs `script`; `strict` stops at the first failing command (bash -e, pipefail)."""
        failed = self.state.with_name(self.state.name + ".failed")
        failed.unlink(missing_ok=True)
        prelude = PRELUDE.format(strict=STRICT if strict else "")
        try:
            done = subprocess.run(["bash", "--noprofile", "--norc", "-c", prelude + script], cwd=self.workdir,
                                  env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                  timeout=self.timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as err:
            output = err.stdout.decode() if isinstance(err.stdout, bytes) else (err.stdout or "")
            return Result(script, output + f"\n[timed out after {self.timeout:.0f} s]", 124)
        result = Result(script, done.stdout, done.returncode)
        if strict and done.returncode and failed.is_file():
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
