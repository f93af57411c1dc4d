"""Skipped is not unchecked (issue 17 §4): each tool's own parser, asked through the child
processes `workshop check` uses, accepts what the tool accepts and refuses what it refuses."""

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
