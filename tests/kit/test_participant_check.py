"""check.py, the participants' step checker, run as they run it: a copy of the file in a project
folder, by a Python with nothing else installed (`-I`: no site-packages, no workshop_kit)."""

import http.server
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop_kit.kit import participant_check
from workshop_kit.kit.participant_check import yaml_keys

SOURCE = Path(participant_check.__file__)

SPEC = {
    "kit": "demo",
    "pages": {"en": "https://example.org/demo/handout/", "fr": "https://example.org/fr/demo/handout/"},
    "steps": [
        {"id": "params", "anchor": "parameters", "title": {"en": "Parameters written", "fr": "Paramètres écrits"},
         "checks": [{"file": "params.yaml", "key": "train.epochs"}]},
        {"id": "pipeline", "anchor": "pipeline", "title": {"en": "Pipeline written", "fr": "Pipeline écrit"},
         "checks": [{"file": "dvc.yaml", "key": "stages.train"},
                    {"run": ["python", "-c", "print('Data and pipelines are up to date.')"], "prints": "up to date"}]},
        {"id": "clean", "anchor": "commit", "title": {"en": "Work committed", "fr": "Travail validé"},
         "checks": [{"run": ["python", "-c", "import pathlib; print(pathlib.Path('dirty').read_text(), end='')"],
                     "empty": True}]},
    ],
}


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(SOURCE, root / "check.py")
    (root / "workshop-checks.json").write_text(json.dumps(SPEC))
    (root / "dirty").write_text("")
    return root


def check(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-I", "check.py", *args], cwd=root, capture_output=True, text=True,
                          encoding="utf-8", timeout=60)


def test_every_step_done_so_far_then_the_first_that_is_not_with_its_reason_and_link(project):
    done = check(project)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "Step 1/3 ✗ Parameters written: params.yaml does not exist yet — "
        "see https://example.org/demo/handout/#parameters"]
    (project / "params.yaml").write_text("train:\n  epochs: 3\n")
    (project / "dvc.yaml").write_text("stages:\n  prepare:\n    cmd: python prepare.py\n")
    done = check(project)
    assert done.stdout.splitlines() == [
        "Step 1/3 ✓ Parameters written",
        "Step 2/3 ✗ Pipeline written: dvc.yaml has no key `stages.train` — see https://example.org/demo/handout/#pipeline"]
    (project / "dvc.yaml").write_text("stages:\n  prepare:\n    cmd: python prepare.py\n"
                                      "  train:\n    cmd: python t.py\n")
    done = check(project)
    assert done.returncode == 0 and done.stdout.splitlines()[-2:] == ["Step 3/3 ✓ Work committed", "All 3 steps done."]


def test_one_step_in_french(project):
    (project / "dirty").write_text(" M params.yaml\n")
    done = check(project, "--lang", "fr", "3")
    assert done.returncode == 1
    assert done.stdout.startswith("Étape 3/3 ✗ Travail validé : `python -c")  # French spacing before a colon
    assert "a affiché quelque chose alors que rien n'était attendu" in done.stdout
    assert done.stdout.rstrip().endswith("voir https://example.org/fr/demo/handout/#commit")
    (project / "dirty").write_text("")
    assert check(project, "--lang", "fr", "3").stdout == "Étape 3/3 ✓ Travail validé\n"


def test_a_step_number_out_of_range_and_a_missing_spec_say_what_to_do(project):
    done = check(project, "4")
    assert done.returncode == 2 and "there is no step 4: this handout has steps 1 to 3" in done.stderr
    (project / "workshop-checks.json").unlink()
    done = check(project)
    assert done.returncode == 2 and "run check.py from the project folder" in done.stderr


@pytest.mark.parametrize("condition, files, reason", [
    ({"file": "a.txt", "contains": "hello"}, {"a.txt": "bye"}, "a.txt does not contain “hello”"),
    ({"file": "a.json", "key": "x.y"}, {"a.json": '{"x": {"z": 1}}'}, "a.json has no key `x.y`"),
    ({"file": "a.toml", "key": "tool.x"}, {"a.toml": "[tool]\ny = 1\n"}, "a.toml has no key `tool.x`"),
    ({"file": "a.json", "key": "x"}, {"a.json": "{oops"}, "a.json cannot be read as JSON"),
    ({"run": ["python", "-c", "raise SystemExit(3)"]}, {}, "exited with 3 (expected 0)"),
    ({"run": ["no-such-program-here"]}, {}, "`no-such-program-here` is not found: is the project's virtual"),
    ({"run": ["python", "-c", "print('nope')"], "prints": "^yes$"}, {}, "did not print “^yes$”"),
    ({"url": "http://127.0.0.1:9/"}, {}, "http://127.0.0.1:9/ does not answer"),
    ({"python": "checks/mine.py"}, {"checks/mine.py": "print('the model is missing'); raise SystemExit(1)"},
     "checks/mine.py: the model is missing"),
])
def test_each_kind_of_condition_fails_with_its_reason(project, condition, files, reason):
    for name, text in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    spec = dict(SPEC, steps=[dict(SPEC["steps"][0], checks=[condition])])
    (project / "workshop-checks.json").write_text(json.dumps(spec))
    done = check(project, "1")
    assert done.returncode == 1 and reason in done.stdout, done.stdout + done.stderr


def test_a_condition_never_reads_outside_the_project(project, tmp_path):
    (tmp_path / "secret.txt").write_text("x")
    with pytest.raises(ValueError, match="outside the project"):
        participant_check.inside(project, "../secret.txt")


class _Room(http.server.BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 - http.server's name
        self.received.append((self.path, json.loads(self.rfile.read(int(self.headers["Content-Length"])))))
        self.send_response(201)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_room_gets_the_step_and_result_only(project):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Room)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        (project / "params.yaml").write_text("train:\n  epochs: 3\n")
        room = f"http://127.0.0.1:{server.server_address[1]}"
        done = check(project, "--room", room, "--seat", "12", "--lang", "fr")
        assert done.returncode == 1 and done.stderr == ""
    finally:
        server.shutdown()
    assert _Room.received == [
        ("/api/v1/results", {"kit": "demo", "step": 1, "total": 3, "check": "params", "ok": True, "seat": "12",
                             "lang": "fr"}),
        ("/api/v1/results", {"kit": "demo", "step": 2, "total": 3, "check": "pipeline", "ok": False, "seat": "12",
                             "lang": "fr"})]


def test_a_room_that_does_not_answer_changes_nothing_but_a_note(project):
    (project / "params.yaml").write_text("train:\n  epochs: 3\n")
    done = check(project, "1", "--room", "http://127.0.0.1:9", "--seat", "3")
    assert done.returncode == 0 and done.stdout == "Step 1/3 ✓ Parameters written\n"
    assert "did not take the result" in done.stderr


_names = st.text(alphabet="abcdefghij_", min_size=1, max_size=6)
_trees = st.recursive(st.one_of(st.integers(0, 9), _names),
                      lambda children: st.dictionaries(_names, children, min_size=1, max_size=4), max_leaves=12)


def _paths(data, prefix=""):
    if isinstance(data, dict):
        return {f"{prefix}{k}" for k in data} | {p for k, v in data.items() for p in _paths(v, f"{prefix}{k}.")}
    return set()


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(_names, _trees, min_size=1, max_size=4), st.sampled_from([2, 4]), st.booleans())
def test_yaml_keys_reads_what_pyyaml_reads(data, indent, in_list):
    """The standard-library reader of mapping keys agrees with PyYAML on block-style YAML."""
    document = {"stages": [data]} if in_list else data
    text = yaml.safe_dump(document, indent=indent, default_flow_style=False, sort_keys=False)
    expected = _paths(yaml.safe_load(text)) if not in_list else {"stages"} | {f"stages.{p}" for p in _paths(data)}
    assert yaml_keys(text) == expected
