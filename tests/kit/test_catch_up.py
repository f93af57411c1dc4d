"""`python check.py --catch-up N` on a tiny kit, run as a participant runs it: the checkpoint zip
beside the project folder, a project with their own changes, Python's standard library only."""

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from workshop_kit.kit.archive import zip_digest
from workshop_kit.kit.catch_up import CATCH_UP_NAME, beside, checkpoint_zip, plan_data
from workshop_kit.kit.config import Kit
from workshop_kit.kit.step_checks import spec_files

KIT = Kit("demo", "demo-project", writes=("notes.txt",))
PAGE = "docs/demo/handout.md"
SPEC = {
    "kit": "demo",
    "pages": {"en": "https://example.org/demo/handout/", "fr": "https://example.org/fr/demo/handout/"},
    "downloads": "http://127.0.0.1:9/downloads/",  # nothing answers there: offline
    "steps": [
        {"id": "hello", "anchor": "check-hello", "title": {"en": "Hello written", "fr": "Bonjour écrit"},
         "checks": [{"file": "out.txt", "contains": "hello"}, {"file": "notes.txt", "contains": "mine"}]},
        {"id": "greet", "anchor": "check-greet", "title": {"en": "Greeting kept", "fr": "Salut gardé"},
         "checks": [{"file": "greet.txt", "contains": "hi"}, {"file": "sub/py.txt", "contains": "42"}]},
    ],
}


def run(command: str, line: int, exit_code: int = 0, strict: bool = False) -> dict:
    return {"kind": "run", "where": f"{PAGE}:{line}", "commands": [{"command": command, "exit": exit_code,
                                                                    "strict": strict}]}


STEPS = [
    {"number": 1, "id": "hello", "where": f"{PAGE}:20", "actions": [
        run("echo hello > out.txt", 10),
        run("export GREETING=hi", 11),
        {"kind": "write", "where": f"{PAGE}:12", "path": "notes.txt", "text": "mine\n"},
    ]},
    {"number": 2, "id": "greet", "where": f"{PAGE}:40", "actions": [
        run("mkdir -p sub ../demo-store\necho \"$GREETING\" > greet.txt\ncd sub", 30, strict=True),
        {"kind": "python", "where": f"{PAGE}:32", "statements": [
            {"code": "x = 41", "mode": "single", "raises": False},
            {"code": "1 / 0", "mode": "single", "raises": True},
            {"code": "open('py.txt', 'w').write(str(x + 1))", "mode": "single", "raises": False}]},
    ]},
]


@pytest.fixture
def room(tmp_path):
    """A participant's downloads folder: the unpacked starter, its zip's checkpoints beside it."""
    examples = tmp_path / "examples"
    (examples / KIT.project).mkdir(parents=True)
    (examples / KIT.project / "data.txt").write_text("data\n")
    (examples / KIT.project / "README.md").write_text("read me\n")
    extra = spec_files(SPEC)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    for number in (1, 2):
        (downloads / f"demo-step-{number}.zip").write_bytes(checkpoint_zip(KIT, examples, extra, STEPS, number, []))
    project = downloads / KIT.starter_name
    with zipfile.ZipFile(downloads / "demo-step-2.zip") as archive:
        for name in archive.namelist():
            relative = name.partition("/")[2]
            if relative != CATCH_UP_NAME:
                (project / relative).parent.mkdir(parents=True, exist_ok=True)
                (project / relative).write_bytes(archive.read(name))
    return examples, downloads, project


def check(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-I", "check.py", *args], cwd=project, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def backups(downloads: Path) -> list[Path]:
    return sorted(path for path in downloads.iterdir() if "-backup-" in path.name and path.is_dir())


def test_a_checkpoint_is_the_starter_and_the_plan_of_its_steps_with_reproducible_bytes(room):
    examples, downloads, _ = room
    data = checkpoint_zip(KIT, examples, spec_files(SPEC), STEPS, 1, [])
    assert data == checkpoint_zip(KIT, examples, spec_files(SPEC), STEPS, 1, [])
    assert zip_digest(data) == zip_digest((downloads / "demo-step-1.zip").read_bytes())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(archive.namelist())
        plan = json.loads(archive.read(f"demo-step-1/{CATCH_UP_NAME}"))
    assert names == [f"demo-step-1/{name}" for name in ("README.md", CATCH_UP_NAME, "check.py", "data.txt",
                                                         "workshop-checks.json")]
    assert plan["steps"] == STEPS[:1] and plan["total"] == 2 and plan["beside"] == ["demo-store"]
    with pytest.raises(ValueError, match="steps 1 to 2, not 3"):
        plan_data(KIT, STEPS, 3, [])


def test_beside_names_what_the_commands_make_next_to_the_project():
    steps = [{"actions": [run("dvc remote add -d s ../dvc-storage", 1), run("cd ..", 2),
                          {"kind": "serve", "command": "x --out ../logs.d/", "url": "http://127.0.0.1:1/"}]}]
    assert beside(steps) == ["dvc-storage", "logs.d"]


def test_catch_up_saves_every_participant_file_then_replays_each_step_with_its_check(room):
    _, downloads, project = room
    (project / "README.md").write_text("read me, with my notes\n")  # an edited starter file
    (project / "mine.py").write_text("print('mine')\n")  # a new file
    (project / "deep" / "er").mkdir(parents=True)
    (project / "deep" / "er" / "x.bin").write_bytes(b"\0\1")
    (project / ".venv" / "lib").mkdir(parents=True)
    (project / ".venv" / "lib" / "kept").write_text("kept")
    done = check(project, "--catch-up", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Step 1/2 ✓ Hello written" in done.stdout and "Step 2/2 ✓ Greeting kept" in done.stdout
    assert "Caught up to step 2/2. Go on with the page after this step: " \
           "https://example.org/demo/handout/#check-greet" in done.stdout
    (backup,) = backups(downloads)
    assert backup.name.startswith("demo-starter-backup-")
    assert (backup / "README.md").read_text() == "read me, with my notes\n"
    assert (backup / "mine.py").read_text() == "print('mine')\n"
    assert (backup / "deep/er/x.bin").read_bytes() == b"\0\1"
    assert not (backup / "data.txt").exists() and not (backup / ".venv").exists()  # the starter's, unchanged
    assert (project / "README.md").read_text() == "read me\n" and not (project / "mine.py").exists()
    assert (project / ".venv/lib/kept").read_text() == "kept"
    assert (project / "notes.txt").read_text() == "mine\n" and (project / "sub/py.txt").read_text() == "42"
    assert (project / "greet.txt").read_text() == "hi\n"
    # A second catch-up: a second dated backup, with what the first replay made; what the page made
    # beside the project (../demo-store) is saved too, so that the replay makes it from nothing.
    (downloads / "demo-store" / "old").write_text("old")
    done = check(project, "--lang", "fr", "--catch-up", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Étape 1/2 ✓ Bonjour écrit" in done.stdout and "Étape 2/2" not in done.stdout
    first, second = backups(downloads)[0], [b for b in backups(downloads) if b != backup and
                                            not b.name.endswith("-beside")][0]
    assert first == backup and (second / "sub/py.txt").read_text() == "42" and (second / "greet.txt").is_file()
    (beside_folder,) = [b for b in backups(downloads) if b.name.endswith("-beside")]
    assert (beside_folder / "demo-store" / "old").read_text() == "old"
    assert not (project / "greet.txt").exists() and not (project / "sub").exists()
    assert "sauvegardés dans" in done.stdout


def test_offline_without_the_checkpoint_says_where_to_put_it_and_changes_nothing(room):
    _, downloads, project = room
    (downloads / "demo-step-2.zip").unlink()
    (project / "mine.py").write_text("x")
    done = check(project, "--catch-up", "2")
    assert done.returncode == 2
    assert "demo-step-2.zip could not be downloaded from http://127.0.0.1:9/downloads/demo-step-2.zip" in done.stderr
    assert f"put it in {downloads}" in done.stderr and "works offline then" in done.stderr
    assert (project / "mine.py").read_text() == "x" and backups(downloads) == []


def test_a_failing_replay_names_the_step_the_page_line_and_what_it_printed(room):
    examples, downloads, project = room
    steps = [STEPS[0], dict(STEPS[1], actions=[run("echo about to fail; ls no-such-file", 33)])]
    (downloads / "demo-step-2.zip").write_bytes(checkpoint_zip(KIT, examples, spec_files(SPEC), steps, 2, []))
    (project / "mine.py").write_text("x")
    done = check(project, "--catch-up", "2")
    assert done.returncode == 1
    assert "Step 1/2 ✓ Hello written" in done.stdout
    assert f"✗ The catch-up stopped at step 2/2 ({PAGE}:33): `echo about to fail; ls no-such-file` exited with 2 " \
           "(expected 0)" in done.stderr
    assert "about to fail" in done.stderr and "Your files are safe in" in done.stderr


def test_a_checkpoint_of_another_step_or_kit_is_refused(room):
    _, downloads, project = room
    (downloads / "demo-step-1.zip").replace(downloads / "demo-step-2.zip")
    done = check(project, "--catch-up", "2")
    assert done.returncode == 2 and "is not checkpoint 2 of this handout" in done.stderr
    assert check(project, "--catch-up", "3").stderr.strip() == "there is no step 3: this handout has steps 1 to 2"


def test_catch_up_makes_git_again_as_the_box_does(room, tmp_path):
    from workshop_kit.extensions.kit_box import git_start

    examples, downloads, project = room
    (downloads / "demo-step-1.zip").write_bytes(checkpoint_zip(KIT, examples, spec_files(SPEC), STEPS, 1,
                                                               git_start(posix=True)))
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    (project / ".git" / "mine").write_text("my history")
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": __import__("os").environ["PATH"], "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run([sys.executable, "-I", "check.py", "--catch-up", "1"], cwd=project, capture_output=True,
                          text=True, encoding="utf-8", timeout=120, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    (backup,) = backups(downloads)
    assert (backup / ".git" / "mine").read_text() == "my history"
    log = subprocess.run(["git", "log", "--format=%s"], cwd=project, capture_output=True, text=True, env=env)
    assert log.stdout == "Workshop starting point\n"


def test_an_active_virtual_environment_of_another_name_in_the_folder_stays(room):
    _, downloads, project = room
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(project / "env")], check=True, timeout=120)
    python = project / "env" / "bin" / "python"
    done = subprocess.run([str(python), "-I", "check.py", "--catch-up", "1"], cwd=project, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert python.is_file() and backups(downloads) == []


def test_without_bash_the_catch_up_says_so_and_changes_nothing(room, tmp_path):
    _, downloads, project = room
    (project / "mine.py").write_text("x")
    empty = tmp_path / "no-bash"
    empty.mkdir()
    done = subprocess.run([sys.executable, "-I", "check.py", "--lang", "fr", "--catch-up", "1"], cwd=project,
                          capture_output=True, text=True, encoding="utf-8", timeout=60, env={"PATH": str(empty)})
    assert done.returncode == 2
    assert "rejoue les commandes de la page avec bash" in done.stderr and "rien n'a été modifié" in done.stderr
    assert (project / "mine.py").read_text() == "x" and backups(downloads) == []
