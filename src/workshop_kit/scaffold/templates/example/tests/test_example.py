"""The example project runs as the handout says, in a fresh copy."""

import pytest

pytestmark = pytest.mark.example


def test_the_script_fits_the_generated_line(example_project):
    project = example_project("$slug")
    out = project.run("python train.py").stdout
    assert "fitted y = 2.00 x + 1.00 on 50 points" in out
