"""kit/solution.py on its own, without a page: the participant's end state against the solution,
a difference raised as a SolutionMismatch naming the file (the block runner turns it into a
BlockFailure at the page's last block: tests/kit/test_kit_sessions.py)."""

from pathlib import Path

import pytest

from workshop_kit.errors import WorkshopKitError
from workshop_kit.kit.solution import SolutionMismatch, compare_with_solution


def _project(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _compare(tmp_path: Path, solution: dict[str, str], participant: dict[str, str], writes: list[str]) -> None:
    compare_with_solution(_project(tmp_path / "solution", solution), _project(tmp_path / "participant", participant),
                          writes, workshop="demo", project="demo-project")


def test_the_same_files_pass(tmp_path):
    files = {"train.py": "print('hi')\n", "params.yaml": "lr: 0.1\n", "src/a.py": "A = 1\n"}
    _compare(tmp_path, files, {**files, "params.yaml": "lr: 0.5\n"}, ["train.py", "params.yaml", "src"])


def test_a_differing_file_is_a_mismatch_with_a_diff(tmp_path):
    with pytest.raises(SolutionMismatch, match="differs from the solution in examples/demo-project") as caught:
        _compare(tmp_path, {"train.py": "print('hi')\n"}, {"train.py": "print('ho')\n"}, ["train.py"])
    assert isinstance(caught.value, WorkshopKitError) and caught.value.path == "train.py"
    assert "+print('ho')" in caught.value.detail


def test_a_missing_file_names_the_kit(tmp_path):
    with pytest.raises(SolutionMismatch, match="never creates src/a.py, which the participant writes \\(kit 'demo'\\)"):
        _compare(tmp_path, {"src/a.py": "A = 1\n"}, {"other.py": ""}, ["src"])


def test_parameter_files_need_the_same_keys(tmp_path):
    with pytest.raises(SolutionMismatch, match=r"differing: train\.epochs"):
        _compare(tmp_path, {"params.yaml": "train:\n  lr: 0.1\n  epochs: 3\n"},
                 {"params.yaml": "train:\n  lr: 0.1\n"}, ["params.yaml"])
