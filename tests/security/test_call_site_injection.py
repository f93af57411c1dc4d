"""Issue 23 §2, the call sites test_no_argument_injection.py lists without a test of their own:
the Python session, the example projects' commands, the test build, the participant check and
the offline bundle. What reaches each program's command line is a path the package made, or the
author's text placed where the program reads it as text (a command string after `--`, a value
after its option), never as an option of its own.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from workshop_kit import pytest_plugin
from workshop_kit.blocks import python_session
from workshop_kit.blocks.python_session import RUNNER, PythonSession
from workshop_kit.example_project import ExampleProject
from workshop_kit.kit import bundle, participant_check
from workshop_kit.kit.bundle import BundleError, Target, check_requirements, make_bundle
from workshop_kit.kit.config import Kit

ROOT = Path(__file__).parents[2]


def _spy(monkeypatch, module, name: str) -> list[list[str]]:
    started: list[list[str]] = []
    real = getattr(module.subprocess, name)

    def spy(argv, *args, **kwargs):
        started.append([str(arg) for arg in argv])
        return real(argv, *args, **kwargs)

    monkeypatch.setattr(module.subprocess, name, spy)
    return started


def test_a_python_blocks_code_goes_through_the_pipe_never_the_command_line(tmp_path, monkeypatch):
    started = _spy(monkeypatch, python_session, "Popen")
    session = PythonSession(timeout=60)
    try:
        # Text that would be an option of python on its command line is run as code here.
        result = session.run("--version", tmp_path, dict(os.environ))
    finally:
        session.close()
    assert result.exit_code != 0 and "NameError" in (result.exception or result.output), result
    [argv] = started
    assert argv[1:-1] == [str(RUNNER)] and argv[-1].isdigit(), argv  # the runner, and the fd of its results
    assert "--version" not in argv


def test_an_example_projects_command_starting_with_a_dash_is_a_command_not_an_option_of_bash(tmp_path):
    source = tmp_path / "project"
    source.mkdir()
    (source / "README.md").write_text("demo\n")
    project = ExampleProject(source, tmp_path / "work")
    try:
        done = project.run("--version", check=False, timeout=60)
        # bash -c --version would print bash's version and exit 0; a command named '--version' is not found.
        assert done.returncode == 127 and "command not found" in done.stdout, done.stdout
        assert project.run("echo -n; echo ok", timeout=60).stdout == "ok\n"
    finally:
        project.stop_processes()


def test_the_test_build_hands_mkdocs_absolute_paths_after_their_options(tmp_path, monkeypatch):
    started: list[list[str]] = []
    monkeypatch.setattr(pytest_plugin.subprocess, "run",
                        lambda argv, **kwargs: started.append(list(argv)) or subprocess.CompletedProcess(argv, 0))
    monkeypatch.chdir(tmp_path)
    pytest_plugin.build_site(Path("--strict.yml"), Path("-d"))
    [argv] = started
    assert argv[argv.index("-f") + 1] == str(tmp_path / "--strict.yml")
    assert argv[argv.index("-d") + 1] == str(tmp_path / "-d")
    assert argv.count("--strict") == 1 and argv[-1] == "--strict"


TEXTS = participant_check.TEXT["en"]


def test_a_participant_checks_run_is_an_argv_never_a_shell_line(tmp_path):
    planted = tmp_path / "planted"
    participant_check.check_run({"run": ["echo", f"$(touch {planted})", ";", "touch", str(planted)],
                                 "prints": r"^\$\(touch"}, tmp_path, TEXTS)
    assert not planted.exists()


@pytest.mark.parametrize("name", ["-c", "--version"])
def test_a_participant_checks_python_script_reaches_python_as_a_path(tmp_path, name):
    (tmp_path / name).write_text("print('ran as a file')\n")
    participant_check.check_python({"python": name}, tmp_path, TEXTS)  # exits 0: the file ran
    with pytest.raises(ValueError, match="outside the project"):
        participant_check.check_python({"python": "../x.py"}, tmp_path, TEXTS)


@pytest.mark.parametrize(("line", "refused"), [
    ("-i https://evil.example/simple", "'-i' sets where pip downloads from"),
    ("-ihttps://evil.example/simple", "'-i' sets where pip downloads from"),
    ("--index-url=https://evil.example/simple", "'--index-url' sets where pip downloads from"),
    ("--extra-index-url https://evil.example/simple", "'--extra-index-url' sets where pip downloads from"),
    ("-f https://evil.example/wheels/", "'-f' sets where pip downloads from"),
    ("--find-links=/tmp/wheels", "'--find-links' sets where pip downloads from"),
    ("--trusted-host evil.example", "'--trusted-host' sets where pip downloads from"),
    ("-r ../../constraints.txt", "'-r ../../constraints.txt' names a file outside the project (demo/)"),
    ("-c /etc/passwd", "'-c /etc/passwd' names a file outside the project (demo/)"),
    ("--requirement=../other/requirements.txt", "'--requirement ../other/requirements.txt' names a file outside"),
])
def test_a_requirements_option_that_leads_pip_elsewhere_is_refused_at_its_line(tmp_path, line, refused):
    project = tmp_path / "examples" / "demo"
    project.mkdir(parents=True)
    (project / "requirements.txt").write_text(f"# pinned\nnumpy\n{line}\n")
    with pytest.raises(BundleError) as caught:
        check_requirements(project / "requirements.txt", project, "examples/demo/requirements.txt")
    assert str(caught.value).startswith(f"examples/demo/requirements.txt:3: {refused}"), caught.value


def test_requirements_files_inside_the_project_are_read_and_checked_too(tmp_path):
    project = tmp_path / "examples" / "demo"
    (project / "extra").mkdir(parents=True)
    (project / "requirements.txt").write_text("numpy \\\n  >=1\n-r extra/more.txt\n-c constraints.txt  # pins\n")
    (project / "constraints.txt").write_text("numpy==2.0\n")
    (project / "extra" / "more.txt").write_text("pandas\n")
    check_requirements(project / "requirements.txt", project, "examples/demo/requirements.txt")
    (project / "extra" / "more.txt").write_text("pandas\n\n--extra-index-url https://evil.example/simple\n")
    with pytest.raises(BundleError, match=r"^examples/demo/extra/more\.txt:3: '--extra-index-url'"):
        check_requirements(project / "requirements.txt", project, "examples/demo/requirements.txt")


def test_a_bundle_refuses_such_requirements_before_starting_pip(tmp_path, monkeypatch):
    started = _spy(monkeypatch, bundle, "run")
    examples = tmp_path / "examples"
    (examples / "demo").mkdir(parents=True)
    (examples / "demo" / "requirements.txt").write_text("numpy\n--index-url https://evil.example/simple\n")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html></html>\n")
    (site / "demo-starter.zip").write_bytes(b"")
    with pytest.raises(BundleError, match=r"examples/demo/requirements\.txt:2: '--index-url'"):
        make_bundle(Kit("demo", "demo"), examples, site, tmp_path / "out", [Target("linux-x86_64", "3.11")],
                    ROOT / "constraints.txt")
    assert started == [] and not (tmp_path / "out").exists()
