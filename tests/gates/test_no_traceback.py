"""§1 of issue 17, bullet by bullet: what used to crash `workshop check`, `workshop blocks`, the
pytest collection of the whole site and the build now names the page and line."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from gate_sites import build_in_process, write_site

from workshop_kit.cli import main

OTHER_PAGE = "# Other\n\nAWS key: AKIA" + "QWERTYUIOPASDFGH\n"


@pytest.mark.parametrize("header", ['skip=""', 'skip="   "', 'project=""', 'serves=""'])
def test_an_empty_fence_option_is_one_finding_and_the_others_are_kept(tmp_path, capsys, header):
    write_site(tmp_path, {"index.md": f"# Page\n\n```bash {header}\necho hi\n```\n", "other.md": OTHER_PAGE},
               hook=False)
    assert main(["check", str(tmp_path), "--only", "secrets"]) == 1
    assert "docs/other.md:3: secrets:" in capsys.readouterr().out
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"docs/index.md:3: blocks: fence option {header} is empty" in out and "docs/other.md:3" in out
    assert main(["blocks", str(tmp_path), "--format", "json"]) == 1  # an error row fails the listing
    assert '"status": "error"' in capsys.readouterr().out  # not "skipped" with an empty reason


@pytest.mark.parametrize(("front", "message"), [
    ("project: 123", "front matter 'project' must be"), ("setup: 5", "front matter 'setup' must be"),
    ("setup: [1, 2]", "front matter 'setup' must be")])
def test_front_matter_of_the_wrong_type_is_reported_by_check_and_blocks(tmp_path, capsys, front, message):
    write_site(tmp_path, {"index.md": f"---\n{front}\n---\n\n# Page\n\n```bash\necho\n```\n"}, hook=False)
    assert main(["check", str(tmp_path)]) == 1
    assert f"docs/index.md:2: blocks: {message}" in capsys.readouterr().out
    assert main(["blocks", str(tmp_path)]) == 1  # an error row fails the listing
    assert message in capsys.readouterr().out


def test_pytest_collection_of_the_site_names_the_page_instead_of_failing_whole(tmp_path):
    write_site(tmp_path, {"index.md": "---\nproject: 123\n---\n\n# Page\n", "ok.md": "# Fine\n"}, hook=False)
    (tmp_path / "pytest.ini").write_text("[pytest]\ntestpaths = docs\n")
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--workshop-cache-dir",
                           str(tmp_path / "cache")], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert "AttributeError" not in done.stdout + done.stderr
    assert "docs/index.md:2: front matter 'project' must be" in done.stdout


@pytest.mark.parametrize("page", ['# P\n\n```bash colour="red"\necho\n```\n', '# P\n\n--8<-- "missing.md"\n',
                                  '# P\n\n```bash skip=""\necho\n```\n'])
def test_the_build_stops_with_the_line_not_a_traceback(tmp_path, page):
    from mkdocs.exceptions import Abort

    config = write_site(tmp_path, {"index.md": page})
    result = build_in_process(config, tmp_path / "site")
    assert isinstance(result.exception, Abort), repr(result.exception)
    assert any(message.startswith("workshop_kit: docs/index.md:3: blocks:") for message in result.warnings)
    shutil.rmtree(tmp_path / "site", ignore_errors=True)


def _entry_points(root):
    """What `workshop check`, `workshop blocks`, pytest collection and the strict build print."""
    from gate_sites import build_subprocess

    (root / "pytest.ini").write_text("[pytest]\ntestpaths = docs\n")
    cli = [sys.executable, "-c", "import sys; from workshop_kit.cli import main; sys.exit(main())"]
    check = subprocess.run([*cli, "check", str(root)], capture_output=True, text=True, timeout=300)
    blocks = subprocess.run([*cli, "blocks", str(root)], capture_output=True, text=True, timeout=300)
    collect = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--collect-only",
                              "--workshop-cache-dir", str(root / "cache")], cwd=root, capture_output=True,
                             text=True, timeout=300)
    built = build_subprocess(root / "mkdocs.yml", root / "site")
    return check, blocks, collect, built


def test_a_page_that_is_not_utf8_and_a_notebook_that_is_not_json_are_named_everywhere(tmp_path):
    """Found in review: both stopped the build (and the first, pytest collection) with a traceback."""
    write_site(tmp_path, {"index.md": "# Home\n", "nb.ipynb": '{"cells": [,]}'}, hook=False)
    (tmp_path / "docs" / "bad.md").write_bytes(b"# Bad\n\ncaf\xe9\n")
    check, blocks, collect, built = _entry_points(tmp_path)
    for done in (check, blocks, collect, built):
        assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    assert check.returncode == 1 and built.returncode != 0
    for done in (check, built):
        assert "docs/bad.md:3: blocks: the page is not UTF-8 text" in done.stdout + done.stderr
        assert "docs/nb.ipynb:1: blocks: the notebook is not valid JSON" in done.stdout + done.stderr
    assert re.search(r"docs/bad\.md +3 .*error: the page is not UTF-8", blocks.stdout), blocks.stdout
    assert "docs/bad.md:3: the page is not UTF-8" in collect.stdout


def test_front_matter_after_a_byte_order_mark_counts_as_mkdocs_reads_it(tmp_path):
    page = '\ufeff---\nproject: demo\n---\n\n# Page\n\n```yaml title="params.yaml"\nepochs: 3\n```\n'
    write_site(tmp_path, {"index.md": page}, hook=False)
    check, blocks, _, built = _entry_points(tmp_path)
    assert check.returncode == 0, check.stdout
    assert built.returncode == 0, built.stderr[-2000:]
    assert "demo     run" in blocks.stdout, blocks.stdout


@pytest.mark.parametrize("front", ["setup: false", "setup: true", "project: false", "setup:"])
def test_booleans_and_empty_values_in_front_matter_are_refused(tmp_path, capsys, front):
    write_site(tmp_path, {"index.md": f"---\n{front}\n---\n\n# Page\n\n```bash\necho\n```\n"}, hook=False)
    assert main(["check", str(tmp_path)]) == 1
    assert f"docs/index.md:2: blocks: front matter '{front.split(':')[0]}' must be" in capsys.readouterr().out


def test_a_secret_outside_the_pages_fails_the_build_as_it_fails_check(tmp_path):
    """One verdict for what is not a page too: a key in an example project or a file under docs/."""
    from gate_sites import build_subprocess

    key = "AKIA" + "QWERTYUIOPASDFGH"
    write_site(tmp_path, {"index.md": "# Home\n", "index.fr.md": "# Accueil\n"}, i18n=True, hook=False)
    (tmp_path / "examples" / "demo" / "creds.txt").write_text(f"key: {key}\n")
    (tmp_path / "docs" / "notes.txt").write_text(f"key: {key}\n")
    built = build_subprocess(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert built.returncode != 0 and "Traceback" not in built.stderr
    for where in ("examples/demo/creds.txt:1: secrets:", "docs/notes.txt:1: secrets:"):
        assert built.stderr.count(where) == 1, built.stderr[-3000:]
    assert main(["check", str(tmp_path)]) == 1
