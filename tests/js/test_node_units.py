"""The site scripts' pure functions, unit-tested under node's own test runner (`node --test`).

The scripts are plain ES modules without a package.json; `--experimental-detect-module` lets node
20 read them as modules (node 22 does so by default). Skipped, with the reason, without node.
Node 20 reports a file that defines no test as one passing test named after the file, so a file
passes here only if node ran at least one test of its own."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent
NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.parametrize("script", sorted(path.name for path in HERE.glob("*.test.*js")))
def test_node_unit_tests_pass(script):
    result = subprocess.run([NODE, "--experimental-detect-module", "--test", "--test-reporter=tap", str(HERE / script)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    passed = [line for line in result.stdout.splitlines() if line.startswith("# pass ")]
    assert passed and int(passed[-1].split()[-1]) > 0, "node ran no test: " + result.stdout[-2000:]
    ran = [line for line in result.stdout.splitlines()
           if line.startswith("ok ") and not line.endswith(" - " + str(HERE / script))]
    assert ran, f"node ran no test in {script}: " + result.stdout[-2000:]
