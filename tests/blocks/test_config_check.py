from pathlib import Path

import pytest

from workshop_kit.blocks.config_check import check_config
from workshop_kit.blocks.model import Block


def block(lang, code, **options):
    return Block(Path("page.md"), 3, lang, code, options, "tiny")


@pytest.fixture
def project(tmp_path):
    (tmp_path / "params.yaml").write_text("train:\n  epochs: 3\n")
    (tmp_path / "config.toml").write_text("[a]\nb = 1\n")
    return tmp_path


def test_a_block_equal_to_the_projects_file_passes(project):
    assert check_config(block("yaml", "train: {epochs: 3}\n", title="params.yaml"), project) is None
    assert check_config(block("toml", "[a]\nb = 1\n", title="config.toml"), project) is None


def test_a_block_that_drifted_from_the_projects_file_fails(project):
    problem = check_config(block("yaml", "train:\n  epochs: 4\n", title="params.yaml"), project)
    assert "differs from the project's params.yaml" in problem


@pytest.mark.parametrize(("lang", "code"), [("yaml", "a: [1,"), ("json", "{'a': 1}"), ("toml", "a = ")])
def test_unparseable_blocks_fail(lang, code, project):
    assert "does not parse" in check_config(block(lang, code), project)


def test_dvc_yaml_is_checked_against_dvcs_schema(project):
    good = "stages:\n  train:\n    cmd: python train.py\n    deps: [train.py]\n"
    bad = "stages:\n  train:\n    cmd: python train.py\n    deps: [[train.py]]\n"
    assert check_config(block("yaml", good, title="dvc.yaml"), project) is None
    assert "DVC's schema" in check_config(block("yaml", bad, title="dvc.yaml"), project)


def test_a_title_naming_a_file_the_reader_creates_only_needs_to_parse(project):
    assert check_config(block("yaml", "on: [push]\n", title=".github/workflows/ci.yaml"), project) is None
