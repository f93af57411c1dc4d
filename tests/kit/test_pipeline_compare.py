"""The participant's dvc.yaml against the solution's: the same stages and the solution's other
entries; what DVCLive adds while the pipeline runs (metrics, plots, artifacts) is allowed."""

from pathlib import Path

import pytest
from test_kit_sessions import PAGE, SITE, read

from workshop_kit.blocks.run import BlockFailure, _compare_pipelines

SOLUTION = """stages:
  train:
    cmd: python train.py
    deps: [train.py]
    outs: [model.pkl]
plots:
- confusion.json:
    template: confusion
"""
DVCLIVE = """metrics:
- live/metrics.json
artifacts:
  model:
    path: model.pkl
    type: model
"""


@pytest.fixture
def block():
    site, _ = read(SITE)
    (entry,) = site.sessions_of(PAGE)
    return entry.session.blocks[-1]


def compare(block, tmp_path: Path, participant: str) -> None:
    (tmp_path / "theirs.yaml").write_text(SOLUTION)
    (tmp_path / "mine.yaml").write_text(participant)
    _compare_pipelines(block, "dvc.yaml", tmp_path / "theirs.yaml", tmp_path / "mine.yaml")


def test_what_dvclive_adds_is_allowed(block, tmp_path):
    compare(block, tmp_path, SOLUTION + "- live/plots/metrics:\n    x: step\n" + DVCLIVE)


def test_other_stages_fail_with_a_diff(block, tmp_path):
    with pytest.raises(BlockFailure, match="its stages differ") as caught:
        compare(block, tmp_path, SOLUTION.replace("model.pkl]", "model.joblib]"))
    assert "+    outs: [model.joblib]" in caught.value.detail


def test_a_missing_plot_of_the_solution_fails(block, tmp_path):
    with pytest.raises(BlockFailure, match=r"its 'plots' lacks \[\{'confusion.json'"):
        compare(block, tmp_path, SOLUTION[: SOLUTION.index("plots:")])
