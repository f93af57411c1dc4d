"""Issue 23 §2: no author value reaches a program as an option.

Every place the package starts a program is listed in CALL_SITES with what reaches its command
line; a new call site fails `test_every_call_site_is_reviewed` until it is listed here with a
test. Author values are validated first (a revision with `git rev-parse --verify
--end-of-options`, names of kits as plain folder names, URLs of servers as local http URLs) and
operands follow `--`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from workshop_kit.checks.commands import Verdicts
from workshop_kit.checks.secrets import check_secrets
from workshop_kit.extensions.fences import option_problems
from workshop_kit.kit.config import KitError, parse_kits

SRC = Path(__file__).parents[2] / "src" / "workshop_kit"
CALL = re.compile(r"subprocess\.(?:run|Popen|call|check_call|check_output)\(|os\.system\(|os\.exec\w*\(|"
                  r"os\.spawn\w*\(|pty\.spawn\(|create_subprocess_(?:exec|shell)\(")

# file -> (call sites, what reaches the command line and where it is tested)
CALL_SITES = {
    "checks/secrets.py": (1, "git ls-files -- <folders of mkdocs.yml>: operands after '--' "
                             "(test_git_ls_files_reads_folder_names_as_paths)"),
    "checks/parity.py": (2, "git rev-parse --verify --quiet --end-of-options <translated_from>^{commit}, then git diff "
                            "<verified commit id> -- <page> (tests/checks/test_parity.py::"
                            "test_translated_from_never_reaches_git_as_an_option, test_the_page_path_reaches_git_diff_"
                            "after_the_double_dash)"),
    "checks/commands/verdicts.py": (1, "python -m workshop_kit.checks.commands <tool>: the tool is one of TOOLS; "
                                       "the author's argv goes through stdin as JSON and is parsed, never run "
                                       "(test_commands_are_parsed_never_run_and_never_passed_as_arguments)"),
    "blocks/shell.py": (3, "bash -c <the block's code>: the author's code is the program by design, run in the "
                           "session's own copy; a server's URL is a local http URL (test_a_server_url_must_be_local)"),
    # The tests of these five: test_call_site_injection.py.
    "blocks/python_session.py": (1, "python <runner> <fd>: paths the session makes; the code goes through a pipe "
                                    "(test_a_python_blocks_code_goes_through_the_pipe_never_the_command_line)"),
    "example_project.py": (1, "bash -c -- <command>: the example projects' own tests' commands, after '--' "
                              "(test_an_example_projects_command_starting_with_a_dash_is_a_command_not_an_option_"
                              "of_bash)"),
    "pytest_plugin.py": (1, "mkdocs build -f <config> -d <site_dir>: absolute paths, each after its option "
                            "(test_the_test_build_hands_mkdocs_absolute_paths_after_their_options)"),
    "kit/participant_check.py": (7, "a participant check's argv, never a shell line; a script as a path inside the "
                                    "project (test_a_participant_checks_run_is_an_argv_never_a_shell_line, "
                                    "test_a_participant_checks_python_script_reaches_python_as_a_path); the catch-up "
                                    "(issue 26 §2): bash -c <the page's code from the checkpoint's plan> for commands, "
                                    "servers and the shell probe (the page's code is the program by design, run in the "
                                    "participant's own folder), the venv's python -c <check.py's own interpreter loop> "
                                    "(the page's Python goes through a pipe), python check.py <int step>, taskkill "
                                    "/PID <int> (tests/kit/test_catch_up.py)"),
    "kit/bundle.py": (1, "pip download/wheel -r <examples/<project>/requirements.txt>: the file's index, find-links "
                         "and trusted-host options and -r/-c outside the project are refused at file:line first "
                         "(test_a_requirements_option_that_leads_pip_elsewhere_is_refused_at_its_line)"),
}


def _call_sites() -> dict[str, int]:
    found: dict[str, int] = {}
    for path in sorted(SRC.rglob("*.py")):
        count = len(CALL.findall(path.read_text(encoding="utf-8")))
        if count:
            found[path.relative_to(SRC).as_posix()] = count
    return found


def test_every_call_site_is_reviewed():
    assert _call_sites() == {name: count for name, (count, _) in CALL_SITES.items()}, (
        "a program is started from a place not reviewed here: list it in CALL_SITES with what reaches its command "
        "line, and test that no author value reaches it as an option")


def test_git_ls_files_reads_folder_names_as_paths(tmp_path):
    root = tmp_path / "site"
    folder = root / "--output=planted.txt"
    folder.mkdir(parents=True)
    (folder / "keys.txt").write_text("key: AKIA" + "QWERTYUIOPASDFGH\n")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    problems = check_secrets(root, [folder])
    assert [p.line for p in problems] == [1]  # the folder was listed, as a path
    assert not list(root.glob("planted*")) and not list(tmp_path.glob("planted*"))


def test_the_page_path_reaches_git_diff_after_the_double_dash(tmp_path):
    from workshop_kit.checks.facts import PageFacts
    from workshop_kit.checks.parity import check_revision

    root = tmp_path
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    (root / "--output=planted.md").write_text("# A\n")
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "one"], cwd=root, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()

    class Outline:
        meta = {"translated_from": head}

    source, translation = PageFacts(Path("--output=planted.md"), "# A\n"), PageFacts(Path("x.fr.md"), "")
    translation.outline = Outline()
    assert check_revision(root, source, translation) == []
    assert not (root / "planted").exists()
    assert sorted(p.name for p in root.iterdir()) == sorted([".git", "--output=planted.md"])


def test_commands_are_parsed_never_run_and_never_passed_as_arguments(tmp_path, monkeypatch):
    planted = tmp_path / "planted.log"
    started: list[list[str]] = []
    real = subprocess.Popen

    def spy(argv, *args, **kwargs):
        started.append(list(argv))
        return real(argv, *args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", spy)
    verdicts = Verdicts(tmp_path / "verdicts.json")
    verdicts.fetch([["pip", "install", "--log", str(planted), "--target", str(tmp_path / "target"), "demo"]])
    assert started and all(argv[1:] == ["-m", "workshop_kit.checks.commands", "pip"] for argv in started), started
    assert not planted.exists() and not (tmp_path / "target").exists()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://example.com/", "ftp://127.0.0.1/", "--output=x",
                                 "http://127.0.0.1.evil.com/", "http://127.0.0.1@evil.com/"])
def test_a_server_url_must_be_local(url):
    assert any("must be the http:// URL on this machine" in p for p in option_problems({"serves": url}))


def test_a_local_server_url_passes():
    assert option_problems({"serves": "http://127.0.0.1:5000/health"}) == []
    assert option_problems({"serves": "http://localhost:8501/_stcore/health"}) == []


@pytest.mark.parametrize("name", ["-rf", "--output=x", "a;touch x", "$(touch x)", "a b", "../x"])
def test_kit_and_project_names_never_reach_the_box_commands_as_options_or_shell(name):
    with pytest.raises(KitError):
        parse_kits({name: {"project": "demo"}})
    with pytest.raises(KitError):
        parse_kits({"kit": {"project": name}})


def test_the_checks_never_start_a_program_named_by_a_page(tmp_path):
    """`workshop check` on a page whose commands start with an option, a path or a shell construct
    creates nothing: commands are parsed by their tool's parser in a child, never run."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "gates"))
    from gate_sites import write_site

    from workshop_kit.checks.run import run_checks

    planted = tmp_path / "planted"
    page = (f"# P\n\n```bash skip=\"shows commands\"\n./run.sh > {planted}-1\ntouch {planted}-2\n"
            f"dvc exp run --set-param x=$(touch {planted}-3)\npip install --log {planted}-4 demo\n```\n")
    write_site(tmp_path / "site", {"index.md": page}, hook=False)
    run_checks(tmp_path / "site")
    assert list(tmp_path.glob("planted*")) == []
