"""Sessions leave nothing behind: no process, no file outside their root, no stalled pipe.

Each test starts processes the hostile way a page could (a fork from Python, `cmd &`, `setsid`,
a block that outlives the timeout) and then looks in /proc for anything still carrying the
session's token.
"""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from test_run import EXAMPLES, session_of

from workshop_kit.blocks import processes
from workshop_kit.blocks.run import BlockFailure, run_session, session_environment
from workshop_kit.blocks.shell import BLOCK_TIMEOUT, ShellSession, unwaited_background

pytestmark = pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc (Linux)")

REPO = Path(__file__).parents[2]


@pytest.fixture
def tokens(monkeypatch):
    """Every token a session of the test got, to look for its processes afterwards."""
    seen = []
    real = processes.mark

    def mark(env):
        seen.append(real(env))
        return seen[-1]

    monkeypatch.setattr("workshop_kit.blocks.session.mark", mark)
    yield seen
    for token in seen:  # never leave anything behind, even when the test failed
        processes.stop_marked(token, grace=1)


def alive(tokens):
    return [p for token in tokens for p in processes.marked(token)]


def test_a_process_forked_by_a_python_block_does_not_outlive_the_session(tmp_path, tokens):
    run_session(session_of("```python\nimport subprocess\nchild = subprocess.Popen(['sleep', '300'])\n```\n"),
                EXAMPLES, tmp_path, timeout=60)
    assert alive(tokens) == []


def test_a_daemon_that_left_the_process_groups_is_stopped_at_the_end_and_named(tmp_path, tokens):
    # setsid: a new session and group, as a daemon makes itself; only the token finds it.
    with pytest.raises(BlockFailure, match=r"pid \d+: sleep 300 \(left running by the session, stopped at its end\)"):
        run_session(session_of("```python\nimport subprocess\n"
                               "subprocess.Popen(['setsid', 'sleep', '300'], start_new_session=True)\n```\n"),
                    EXAMPLES, tmp_path, timeout=60)
    assert alive(tokens) == []


def running(command: str) -> list[int]:
    """Processes whose command line is exactly `command` (one that cleared its environment carries
    no token)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "cmdline").read_bytes() == command.replace(" ", "\0").encode() + b"\0":
                state = (entry / "stat").read_text().rpartition(")")[2].split()[0]
                if state != "Z":
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.fixture
def no_stray():
    """Kills what a failed test would leave (by its command line); `no_stray(command)` registers one."""
    commands: list[str] = []
    yield commands.append
    for command in commands:
        for pid in running(command):
            os.kill(pid, signal.SIGKILL)


needs_subreaper = pytest.mark.skipif(not processes.set_subreaper(False), reason="needs PR_SET_CHILD_SUBREAPER (Linux)")


@needs_subreaper
@pytest.mark.parametrize(("lang", "code", "command"), [
    ("bash", "setsid -f env -i /bin/sleep 4242\necho started\n", "/bin/sleep 4242"),
    ("python", "import subprocess\nsubprocess.Popen(['setsid', '-f', 'env', '-i', 'sleep', '4243'])\n", "sleep 4243"),
])
def test_a_process_that_left_its_group_its_session_and_its_environment_fails_the_session_and_is_stopped(
        tmp_path, tokens, no_stray, lang, code, command):
    """No token finds it: the process running the session adopts it (a child subreaper) and stops it."""
    no_stray(command)
    with pytest.raises(BlockFailure) as caught:
        run_session(session_of(f"```{lang}\n{code}```\n"), EXAMPLES, tmp_path, timeout=60)
    assert f": {command} (left running by the session, stopped at its end)" in caught.value.reason, caught.value.reason
    assert running(command) == []


def test_an_unwaited_background_command_is_refused_at_its_line(tmp_path, tokens):
    with pytest.raises(BlockFailure) as caught:
        run_session(session_of("```bash\necho start\nsleep 300 &\necho done\n```\n"), EXAMPLES, tmp_path, timeout=60)
    assert "`sleep 300 &` (line 2 of the block)" in caught.value.reason
    assert "serves=" in caught.value.reason and "wait" in caught.value.reason
    assert alive(tokens) == []


def test_background_commands_the_block_waits_for_are_allowed(tmp_path, tokens):
    started = time.monotonic()
    run_session(session_of("```bash\nfor n in 1 2; do\n    sleep 0.2 &\ndone\nwait\n```\n"), EXAMPLES, tmp_path,
                timeout=60)
    assert time.monotonic() - started < 30 and alive(tokens) == []


@pytest.mark.parametrize("script, line", [
    ("sleep 1 &", 1), ("a && b", None), ("a & b", 1), ("x 2>&1", None), ("x &> log", None), ("x |& tee", None),
    ("echo '&'", None), ("# sleep 1 &", None), ("sleep 1 &\nwait", None), ("ok\nsleep 1 & # bg", 2),
])
def test_unwaited_background_reads_the_shell_operators(script, line):
    assert unwaited_background(script) == line


def test_a_block_that_leaves_a_child_running_fails_and_the_child_is_stopped(tmp_path, tokens):
    # Hidden from the `&` scan: the child is started by a program, not the shell line.
    code = "python -c 'import subprocess; subprocess.Popen([\"sleep\", \"300\"])'\n"
    started = time.monotonic()
    with pytest.raises(BlockFailure, match="left processes running.*sleep 300"):
        run_session(session_of(f"```bash\n{code}```\n"), EXAMPLES, tmp_path, timeout=60)
    assert time.monotonic() - started < 30, "the child held the output open and stalled the block"
    assert alive(tokens) == []


def test_a_timeout_stops_the_whole_group_and_keeps_what_was_printed(tmp_path, tokens):
    with pytest.raises(BlockFailure, match="did not finish within the block timeout") as caught:
        run_session(session_of("```bash\necho before the hang\nsleep 300 | cat\n```\n"), EXAMPLES, tmp_path,
                    timeout=2)
    assert "before the hang" in caught.value.output and "everything it started were stopped" in caught.value.output
    assert alive(tokens) == []


def test_a_python_timeout_keeps_what_was_printed_and_says_it_timed_out(tmp_path, tokens):
    with pytest.raises(BlockFailure) as caught:
        run_session(session_of("```python\nprint('halfway', flush=True)\nimport time\ntime.sleep(300)\n```\n"),
                    EXAMPLES, tmp_path, timeout=2)
    assert "halfway" in caught.value.output and "timed out after 2 s" in caught.value.output
    assert caught.value.reason.startswith("the block did not finish within the block timeout (2 s)")
    assert 'serves="<url>"' in caught.value.reason


def test_a_console_step_that_times_out_says_so(tmp_path, tokens):
    with pytest.raises(BlockFailure) as caught:
        run_session(session_of("```console\n$ echo before; sleep 300\nbefore\n```\n"), EXAMPLES, tmp_path, timeout=2)
    assert caught.value.reason.startswith("'echo before; sleep 300' did not finish within the block timeout (2 s)")
    assert 'serves="<url>"' in caught.value.reason and "before" in caught.value.output
    assert alive(tokens) == []


def test_the_session_folders_lie_inside_its_root(tmp_path):
    env = session_environment(tmp_path)
    for key in ("HOME", "TMPDIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        assert Path(env[key]).resolve().is_relative_to(tmp_path.resolve()), key
    shell = ShellSession(tmp_path, env, timeout=30)
    result = shell.run('python -c "import tempfile; print(tempfile.gettempdir())"')
    assert Path(result.output.strip()).resolve().is_relative_to(tmp_path.resolve())


def test_one_documented_timeout():
    readme = (REPO / "README.md").read_text()
    import re

    stated = {int(n) for n in re.findall(r"(?:default|may run for) (\d+) s\b", readme)}
    assert stated == {BLOCK_TIMEOUT}


def test_the_checkout_is_unchanged_by_a_session(tmp_path, tokens):
    if not (REPO / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs the project's Git checkout (and git) to compare its status before and after")
    status = ["git", "status", "--porcelain", "--ignored=no", "--untracked-files=all"]

    def porcelain(*paths: Path) -> str:
        done = subprocess.run([*status, "--", *map(str, paths)], cwd=REPO, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    # The copied project's folder is clean (the whole checkout may hold others' work in progress).
    assert porcelain(EXAMPLES) == ""
    before = porcelain(REPO)
    run_session(session_of("```bash\ncd ~ && touch in-home && cd - >/dev/null\ntouch in-project\n"
                           "python -c 'import tempfile; tempfile.mkstemp()'\n```\n"), EXAMPLES, tmp_path, timeout=60)
    assert porcelain(EXAMPLES) == ""
    assert porcelain(REPO) == before
    assert (tmp_path / "home" / "in-home").is_file()
    assert any((tmp_path / "tmp").iterdir())


def test_an_example_projects_background_process_neither_stalls_a_command_nor_outlives_the_project(tmp_path):
    from workshop_kit.example_project import CommandFailed, ExampleProject

    project = ExampleProject(EXAMPLES / "tiny", tmp_path)
    started = time.monotonic()
    assert project.run("sleep 300 & echo started").stdout == "started\n"
    assert time.monotonic() - started < 30
    token = project.env[processes.MARK]
    # The shell that started it may take a moment to exit on a loaded machine: the sleep stays.
    deadline = time.monotonic() + 10
    while [p.command for p in processes.marked(token)] != ["sleep 300"] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [p.command for p in processes.marked(token)] == ["sleep 300"]
    assert project.stop_processes() == [] and processes.marked(token) == []
    with pytest.raises(CommandFailed, match="did not finish within 1 s.*were stopped:\nhalf"):
        project.run("echo half; sleep 300 | cat", timeout=1)
    assert processes.marked(token) == []
