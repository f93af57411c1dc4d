"""check.py, as a participant runs it, reporting to a real room server: the speaker sees the seat's
progress, and the server gets nothing but the protocol's fields."""

import json
import shutil
import sqlite3
import subprocess
import sys

from test_room_server import Server

from workshop_kit.kit import participant_check

SPEC = {
    "kit": "gitops-dvc",
    "pages": {"en": "https://example.org/gitops-dvc/handout/"},
    "steps": [
        {"id": "params", "anchor": "params", "title": {"en": "Parameters written"},
         "checks": [{"file": "params.yaml", "key": "train.epochs"}]},
        {"id": "pipeline", "anchor": "pipeline", "title": {"en": "Pipeline written"},
         "checks": [{"file": "dvc.yaml", "key": "stages.train"}]},
    ],
}


def test_a_participants_check_reaches_the_speakers_progress(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(participant_check.__file__, project / "check.py")
    (project / "workshop-checks.json").write_text(json.dumps(SPEC))
    (project / "params.yaml").write_text("train:\n  epochs: 3\n")
    server = Server(tmp_path)
    try:
        done = subprocess.run([sys.executable, "-I", "check.py", "--room", server.url, "--seat", "7"], cwd=project,
                              capture_output=True, text=True, encoding="utf-8", timeout=60)
        assert done.returncode == 1 and done.stderr == "", done.stderr
        status, body = server.request("/api/v1/progress?kit=gitops-dvc", token=server.token)
        assert status == 200
        [kit] = json.loads(body)["kits"]
        first, second = kit["steps"][:2]
        assert first["done"] == ["7"] and second["done"] == [] and "7" in second["working"]
    finally:
        server.stop()
    with sqlite3.connect(tmp_path / "room" / "room.sqlite3") as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        stored = " ".join(str(value) for table in tables for row in db.execute(f'SELECT * FROM "{table}"')
                          for value in row)
    assert "results" in tables and "pipeline" in stored and "7" in stored
    assert str(project) not in stored and "epochs" not in stored and "params.yaml" not in stored
