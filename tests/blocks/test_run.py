"""Sessions run for real, in a temporary copy of the fixture project."""

from pathlib import Path

import pytest

from workshop_kit.blocks.collect import SnippetExpander, scan, sessions
from workshop_kit.blocks.run import BlockFailure, run_session

SITE = Path(__file__).parents[1] / "fixtures" / "blocks-site"
EXAMPLES = SITE / "examples"


def session_of(text: str):
    meta, blocks = scan(Path("page.md"), "---\nproject: tiny\n---\n" + text, SnippetExpander(
        {"base_path": [str(SITE / "snippets")]}))
    return sessions(Path("page.md"), meta, blocks)[0]


def run(text: str, tmp_path: Path):
    return run_session(session_of(text), EXAMPLES, tmp_path, timeout=60)


def test_the_fixture_page_passes_and_leaves_the_project_untouched(tmp_path):
    before = sorted(p.relative_to(EXAMPLES) for p in EXAMPLES.rglob("*"))
    meta, blocks = scan(Path("docs/index.md"), (SITE / "docs/index.md").read_text(),
                        SnippetExpander({"base_path": [str(SITE / "snippets")]}))
    outcomes = run_session(sessions(Path("docs/index.md"), meta, blocks)[0], EXAMPLES, tmp_path, timeout=60)
    assert len(outcomes) == 8
    assert sorted(p.relative_to(EXAMPLES) for p in EXAMPLES.rglob("*")) == before
    assert (tmp_path / "tiny" / "work").is_dir()


def test_a_failing_shell_block_reports_its_line_command_and_output(tmp_path):
    with pytest.raises(BlockFailure) as caught:
        run("```bash\necho fine\n```\n\n```bash\necho about to fail\nfalse\necho never\n```\n", tmp_path)
    failure = caught.value
    assert failure.block.line == 8 and "exited with status 1" in failure.reason
    assert failure.output == "about to fail\n"


def test_state_carries_from_shell_to_python_blocks(tmp_path):
    run("```bash\nmkdir sub && cd sub && export WHO=reader\n```\n"
        "```python\nimport os\nassert os.getcwd().endswith('/sub')\nassert os.environ['WHO'] == 'reader'\n```\n",
        tmp_path)


def test_python_blocks_share_one_namespace_and_report_tracebacks(tmp_path):
    with pytest.raises(BlockFailure) as caught:
        run("```python\nvalue = 1\n```\n```python\nassert value == 2, 'value is ' + str(value)\n```\n", tmp_path)
    assert "AssertionError: value is 1" in caught.value.output


def test_console_output_that_differs_fails_with_a_diff(tmp_path):
    with pytest.raises(BlockFailure) as caught:
        run("```console\n$ python src/count.py 2\nstep 1\nstep 3\n```\n", tmp_path)
    assert "-step 3" in caught.value.detail and "+step 2" in caught.value.detail


def test_console_exit_codes_are_checked(tmp_path):
    run("```console\n$ python src/count.py\nusage: count.py N\n[3]\n```\n", tmp_path)
    with pytest.raises(BlockFailure, match="exited with 3, the page expects 0"):
        run("```console\n$ python src/count.py\nusage: count.py N\n```\n", tmp_path / "again")


def test_pycon_output_is_compared(tmp_path):
    run("```pycon\n>>> 6 * 7\n42\n>>> print('a'); print('b')\na\nb\n```\n", tmp_path)
    with pytest.raises(BlockFailure, match="not what the page shows"):
        run("```pycon\n>>> 6 * 7\n41\n```\n", tmp_path / "again")


def test_a_config_block_that_drifted_fails(tmp_path):
    with pytest.raises(BlockFailure, match="differs from the project's params.yaml"):
        run('```yaml title="params.yaml"\ntrain:\n  epochs: 30\n  rate: 0.5\n```\n', tmp_path)


def test_the_page_setup_runs_first_and_its_failure_is_reported(tmp_path):
    ok = session_of("```bash\ntest -f ready\n```\n")
    ok.setup = "touch ready"
    run_session(ok, EXAMPLES, tmp_path / "ok", timeout=60)
    broken = session_of("```bash\ntrue\n```\n")
    broken.setup = "exit 4"
    with pytest.raises(BlockFailure, match="setup .* exited with 4"):
        run_session(broken, EXAMPLES, tmp_path / "broken", timeout=60)


def test_a_hanging_block_times_out(tmp_path):
    with pytest.raises(BlockFailure, match="exited with status 124") as caught:
        run_session(session_of("```bash\nsleep 30\n```\n"), EXAMPLES, tmp_path, timeout=1)
    assert "timed out after 1 s" in caught.value.output


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_server_block_runs_in_the_background_until_the_session_ends(tmp_path):
    port = free_port()
    run(f'```bash\nmkdir -p site && echo hello > site/index.html\n```\n'
        f'```bash serves="http://127.0.0.1:{port}/"\npython -m http.server {port} --bind 127.0.0.1 -d site\n```\n'
        f'```console\n$ python -c "import urllib.request as u; print(u.urlopen(\'http://127.0.0.1:{port}/\').read().decode())"\n'
        f'hello\n```\n', tmp_path)
    import urllib.request

    with pytest.raises(OSError):  # stopped with the session
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)


def test_a_server_that_stops_before_answering_is_reported_with_its_output(tmp_path):
    with pytest.raises(BlockFailure, match="did not answer at http://127.0.0.1:9/") as caught:
        run('```bash serves="http://127.0.0.1:9/"\necho cannot bind; exit 3\n```\n', tmp_path)
    assert "cannot bind" in caught.value.output and "exited with 3" in caught.value.output


def test_update_mode_records_every_step_instead_of_failing(tmp_path):
    outcomes = run_session(session_of(
        "```console\n$ python src/count.py 2\nstep 1\nstep 3\n$ python src/count.py\n[3]\n```\n"
        "```bash\necho still runs\n```\n"
        "```pycon\n>>> 6 * 7\n41\n>>> 1\n1\n```\n"), EXAMPLES, tmp_path, timeout=60, update=True)
    console, bash, pycon = outcomes
    assert [(s.lines, s.exit_code, s.matched) for s in console.actual] == [
        (["step 1", "step 2"], 0, False), (["usage: count.py N"], 3, False)]
    assert bash.actual is None
    assert [(s.lines, s.matched) for s in pycon.actual] == [(["42"], False), (["1"], True)]


def test_update_mode_never_records_a_failure_where_the_page_expects_success(tmp_path):
    with pytest.raises(BlockFailure, match="exited with 3 where the page expects success"):
        run_session(session_of("```console\n$ python src/count.py\nusage: count.py N\n```\n"), EXAMPLES, tmp_path,
                    timeout=60, update=True)


def test_update_mode_still_fails_other_failures_and_keeps_what_ran_before(tmp_path):
    with pytest.raises(BlockFailure, match="exited with status 1") as caught:
        run_session(session_of("```console\n$ echo hi\nho\n```\n```bash\nfalse\n```\n"), EXAMPLES, tmp_path,
                    timeout=60, update=True)
    done, = caught.value.outcomes
    assert done.actual[0].lines == ["hi"]
    with pytest.raises(BlockFailure, match="raised an exception the page does not show"):
        run_session(session_of("```pycon\n>>> 1 / 0\n```\n"), EXAMPLES, tmp_path / "pycon", timeout=60, update=True)


def test_a_failing_command_in_the_middle_of_a_block_is_named(tmp_path):
    """Issue 17 §3: the command that failed, and its line in the block, not only the block."""
    with pytest.raises(BlockFailure) as caught:
        run("```bash\necho one\nls does-not-exist\necho never\n```\n", tmp_path)
    assert caught.value.reason.startswith("`ls does-not-exist` (line 2 of the block) exited with status 2")
    assert caught.value.command == "ls does-not-exist"


def test_a_drifted_config_block_shows_a_diff_against_the_projects_file(tmp_path):
    """Issue 17 §3: 'difference:' is a real diff from the project's file to the block."""
    with pytest.raises(BlockFailure) as caught:
        run('```yaml title="params.yaml"\ntrain:\n  epochs: 30\n  rate: 0.5\n```\n', tmp_path)
    detail = caught.value.detail
    assert detail.startswith("--- project/params.yaml\n+++ page/params.yaml")
    assert "+  epochs: 30" in detail
    assert any(line.startswith("-") and "epochs" in line for line in detail.splitlines()[2:])


def test_pycon_uses_doctest_conventions_for_ellipsis_and_exceptions(tmp_path):
    """Issue 17 §3: `...` right after a complete statement is output, and an expected exception
    is written as doctest writes it."""
    run("```pycon\n>>> print(list(range(30)))\n...\n>>> print('a b c')\na ... c\n"
        ">>> 1 / 0\nTraceback (most recent call last):\n  ...\nZeroDivisionError: division by zero\n"
        ">>> for i in range(2):\n...     print(i)\n...\n0\n1\n```\n", tmp_path)
    with pytest.raises(BlockFailure, match="raised another exception"):
        run("```pycon\n>>> 1 / 0\nTraceback (most recent call last):\nKeyError: 'x'\n```\n", tmp_path / "b")
    with pytest.raises(BlockFailure, match="raised no exception"):
        run("```pycon\n>>> 1\nTraceback (most recent call last):\nKeyError: 'x'\n```\n", tmp_path / "c")
