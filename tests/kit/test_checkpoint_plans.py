"""The five handouts' catch-up plans (issue 26 §2), read as the runner reads their sessions: each
step's actions in the page's order, checkpoint k the prefix 1..k of the last one, every file the
participant writes written by the last step, and the zips' bytes reproducible."""

import io
import json
import zipfile
from pathlib import Path

import pytest

from workshop_kit.blocks.checkpoints import box_blocks, checkpoints, plan, rest
from workshop_kit.blocks.index import read_site, site_kits, site_settings
from workshop_kit.extensions.kit_box import git_start
from workshop_kit.kit.archive import starter_zip
from workshop_kit.kit.catch_up import CATCH_UP_NAME

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
# kit -> (handout, the kinds of each step's actions, in order)
HANDOUTS = {
    "gitops-dvc": ("docs/gitops-dvc/handout.md", [
        ["run"], ["run", "run"], ["run", "run", "run", "run"], ["run", "run", "run"], ["run"], ["run"]]),
    "half-day-lab": ("docs/half-day-lab/handout.md", [
        ["run"], ["run", "run"], ["run"], ["run"], ["python", "python", "serve", "run"]]),
    "ml-tooling-day": ("docs/ml-tooling-day/hands-on.md", [
        ["write", "run"], ["serve"], ["run"], ["python", "serve", "run"]]),
    "notebook-to-pipeline": ("docs/notebook-to-pipeline/handout.md", [
        ["run"], ["run"], ["run"], ["write"], ["run"] + ["write"] * 7 + ["run"] * 3, ["write", "run", "run"],
        ["run", "run", "run"], ["run"] * 5]),
    "rock-paper-scissors": ("docs/rock-paper-scissors/handout.md", [
        ["run"], ["python"], ["run", "python", "run"], ["serve", "run"]]),
}


@pytest.fixture(scope="module")
def sessions():
    docs, snippets = site_settings(ROOT / "mkdocs.yml")
    kits, repo_url = site_kits(ROOT / "mkdocs.yml")
    site = read_site(ROOT, docs, EXAMPLES, snippets, None, kits, repo_url, keys=False)
    found = {}
    for kit, (page, _) in HANDOUTS.items():
        (session,) = [s for s in site.pages[Path(page)].sessions if s.kit is not None and s.kit.workshop == kit]
        found[kit] = session
    return found


@pytest.mark.parametrize("kit", sorted(HANDOUTS))
def test_each_step_s_actions_are_the_page_s_blocks_in_order(sessions, kit):
    session = sessions[kit]
    page, kinds = HANDOUTS[kit]
    steps = plan(session)
    assert [[action["kind"] for action in step["actions"]] for step in steps] == kinds
    assert [step["id"] for step in steps] == [block.step.id for block in session.blocks if block.step]
    lines = [int(action["where"].rpartition(":")[2]) for step in steps for action in step["actions"]]
    assert lines == sorted(lines) and all(action["where"].startswith(page + ":") for step in steps
                                          for action in step["actions"])
    box = box_blocks(session)
    assert box and box[0].options.get("kit") == kit and lines[0] > box[-1].line, "the box is not replayed"
    # The page's skipped blocks (PowerShell, the clone variant...) are not in the session, nor in the plan.
    assert all(block.skip is None for block in session.blocks)


@pytest.mark.parametrize("kit", sorted(HANDOUTS))
def test_the_last_step_writes_every_file_the_participant_writes(sessions, kit):
    session = sessions[kit]
    steps = plan(session)
    written = {action["path"] for step in steps for action in step["actions"] if action["kind"] == "write"}
    commands = " ".join(command["command"] for step in steps for action in step["actions"]
                        for command in action.get("commands", []))
    # A file the page makes with a command (`touch src/utils/__init__.py`) rather than a titled block.
    made = {path for path in session.kit.writes if path in commands}
    assert written | made == set(session.kit.writes)
    assert not any(session.writes(block) for block in rest(session)), "a file written after the last step"


@pytest.mark.parametrize("kit", sorted(HANDOUTS))
def test_checkpoint_k_is_the_starter_and_the_prefix_of_the_plan_with_reproducible_bytes(sessions, kit):
    session = sessions[kit]
    steps = plan(session)
    zips = checkpoints(session, EXAMPLES)
    assert sorted(zips) == sorted(f"{kit}-step-{number}" for number in range(1, len(steps) + 1))
    assert zips == checkpoints(session, EXAMPLES), "two builds give other bytes"
    with zipfile.ZipFile(io.BytesIO(starter_zip(session.kit, EXAMPLES, session.kit_files))) as archive:
        starter = {name.partition("/")[2]: archive.read(name) for name in archive.namelist()}
    last = None
    for number in range(1, len(steps) + 1):
        with zipfile.ZipFile(io.BytesIO(zips[f"{kit}-step-{number}"])) as archive:
            members = {name.partition("/")[2]: archive.read(name) for name in archive.namelist()}
        data = json.loads(members.pop(CATCH_UP_NAME))
        assert members == starter, "a checkpoint holds the starter's files, check.py and its spec"
        assert data["kit"] == kit and data["step"] == number and data["total"] == len(steps)
        assert data["steps"] == steps[:number]
        assert data["git"] == (git_start(posix=True) if session.kit.git else [])
        if last is not None:
            assert data["steps"][:-1] == last["steps"] and data["beside"] == last["beside"]
        last = data
    assert last["beside"] == (["data-registry", "dvc-storage", "workshop-origin.git"] if kit == "gitops-dvc" else [])
