"""Skipped is not unchecked (issue 17 §4): each tool's own parser, asked through the child
processes `workshop check` uses, accepts what the tool accepts and refuses what it refuses."""

import sys

import pytest

from workshop_kit.checks.commands import PLACEHOLDER, Verdicts

P = PLACEHOLDER
CASES = [  # (argv, refused?)
    (["dvc", "repro"], False),
    (["dvc", "exp", "run", "-S", "train.epochs=3"], False),
    (["dvc", "studio", "login", "--token", P], True),
    (["dvc", "reprod"], True),
    (["gto", "register", "pokemon-classifier", "--version", "v1.0.0"], False),
    (["gto", "registr", "x"], True),
    (["mlflow", "server", "--host", "127.0.0.1", "--port", "5000"], False),
    (["mlflow", "server", "--hots", "127.0.0.1"], True),
    (["prefect", "server", "start"], False),
    (["prefect", "serverr", "start"], True),
    (["streamlit", "run", "app.py", "--server.port", "8501"], False),
    (["streamlit", "runn", "app.py"], True),
    (["jupyter", "notebook", "notebook.ipynb"], False),
    (["jupyter", "notebok"], True),
    (["jupyter", "notebook", "--bogus"], True),
    (["pip", "install", "-r", "requirements.txt"], False),
    (["pip", "install", "--requirement-file", "x"], True),
    (["optuna", "create-study", "--study-name", P, "--storage", "$STORAGE"], False),
    (["optuna", "create-study", "--studyname", "x"], True),
    (["yolo", "detect", "train", "data=data.yaml", "model=yolov8n.yaml", "epochs=3", "imgsz=64"], False),
    (["yolo", "predict", f"model={P}", "source=$IMAGES", "conf=0.5"], False),
    (["yolo", "train", "epoch=3"], True),
    (["yolo", "train", "epochs=abc"], True),
    (["yolo", "bogus"], True),
    (["workshop", "check", "--only", "secrets"], False),
    (["workshop", "chek"], True),
]


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    found = Verdicts(cache_file=tmp_path_factory.mktemp("verdicts") / "verdicts.json")
    found.fetch([argv for argv, _ in CASES])
    return found


@pytest.mark.parametrize("argv,refused", CASES, ids=[" ".join(argv) for argv, _ in CASES])
def test_the_tool_s_own_parser_decides(verdicts, argv, refused):
    if verdicts._version(argv[0]) is None:
        pytest.skip(f"{argv[0]} is not installed in this environment, so it is not checked")
    message = verdicts.get(argv)
    assert (message is not None) == refused, message


# --- What cannot be asked is never "accepted" (issue 27 §2) ------------------------------------

def _block(code: str):
    from pathlib import Path

    from workshop_kit.blocks.model import Block

    return Block(Path("docs/p.md"), 10, "bash", code, {"skip": "needs an account"})


def test_a_tool_that_is_not_installed_is_reported_not_checked_at_info_level(tmp_path, monkeypatch):
    from workshop_kit.checks import commands

    monkeypatch.setitem(commands.TOOLS, "nosuchtool", "no-such-distribution")
    problems = commands.command_problems([_block("nosuchtool run\nnosuchtool stop\n")],
                                         Verdicts(cache_file=tmp_path / "v.json"))
    assert len(problems) == 1 and problems[0].severity == "info" and problems[0].line == 11
    assert "install no-such-distribution" in problems[0].message and "1 more command" in problems[0].message
    assert problems[0].text.startswith("docs/p.md:11: info: commands:")


@pytest.mark.parametrize("child,why", [("#!/bin/sh\nexit 3\n", "exited with status 3"),
                                       ("#!/bin/sh\nexec sleep 30\n", "did not answer within 1 s")])
def test_a_parser_child_that_crashes_or_hangs_is_a_warning_and_never_cached(tmp_path, child, why):
    from workshop_kit.checks.commands import command_problems

    python = tmp_path / "python"
    python.write_text(child)
    python.chmod(0o755)
    cache = tmp_path / "v.json"
    verdicts = Verdicts(cache_file=cache, python=str(python), timeout=1)
    problems = command_problems([_block("pip install -r requirements.txt\n")], verdicts)
    assert [p.severity for p in problems] == ["warning"] and why in problems[0].message
    assert not cache.exists() or "requirements.txt" not in cache.read_text()
    # A working parser is asked again next time, and its answer is kept.
    assert Verdicts(cache_file=cache).get(["pip", "install", "-r", "requirements.txt"]) is None
    fresh = Verdicts(cache_file=cache)
    assert command_problems([_block("pip install -r requirements.txt\n")], fresh) == []
    assert "requirements.txt" in cache.read_text()


def test_a_missing_jupyter_subcommand_package_is_not_checked_here(tmp_path, monkeypatch):
    """`jupyter notebook` without `notebook` installed: not an error, an info naming the package."""
    from workshop_kit.checks.commands import adapters

    monkeypatch.setattr(adapters, "JUPYTER_SUBCOMMANDS", {**adapters.JUPYTER_SUBCOMMANDS, "nosuchsub": "nosuchpkg"})
    if Verdicts(cache_file=tmp_path / "v.json")._version("jupyter") is None:
        pytest.skip("jupyter_core is not installed in this environment")
    with pytest.raises(adapters.Unchecked, match="install nosuchpkg"):
        adapters.ADAPTERS["jupyter"](["nosuchsub"])()


def test_verdicts_are_kept_per_environment(tmp_path):
    from workshop_kit.checks.commands import default_cache

    verdicts = Verdicts(cache_file=tmp_path / "v.json")
    assert sys.prefix in verdicts._key(["pip", "list"])
    assert default_cache().name != "command-verdicts.json" and default_cache().name.startswith("command-verdicts-")


def test_workshops_own_verdicts_are_keyed_on_its_cli_source(monkeypatch):
    """The project is installed editable at a fixed version: a new subcommand must not meet a
    verdict cached before it existed."""
    from workshop_kit.checks.commands import verdicts as module

    verdicts = module.Verdicts(cache_file=None)
    before = verdicts._key(["workshop", "check"])
    monkeypatch.setattr(module, "_own_parser_digest", lambda: "another source")
    assert verdicts._key(["workshop", "check"]) != before
