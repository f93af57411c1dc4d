"""The `workshop` plugin in a tiny site of its own: how problems reach `mkdocs build`."""

import re
from pathlib import Path

import pytest

from workshop_kit.pytest_plugin import build_site

CONFIG = """\
site_name: Tiny
plugins:
  - workshop{options}
markdown_extensions:
  - tables
  - pymdownx.tasklist
  - pymdownx.superfences
"""

OVERLAP = """\
---
title: Agenda
---

# Agenda

/// timing
    start: "09:00"

| Time | Session | Kind |
| --- | --- | --- |
| 09:00 - 10:00 | First | talk |
| 09:30 - 10:30 | Second | talk |
///
"""


def make_site(tmp_path: Path, pages: dict[str, str], options: str = "") -> Path:
    (tmp_path / "docs").mkdir()
    for name, text in pages.items():
        (tmp_path / "docs" / name).write_text(text)
    config = tmp_path / "mkdocs.yml"
    config.write_text(CONFIG.format(options=options))
    return config


def test_strict_build_fails_on_an_overlap_naming_file_and_line(tmp_path):
    result = build_site(make_site(tmp_path, {"index.md": OVERLAP}), tmp_path / "site")
    assert result.returncode != 0
    assert re.search(r"index\.md:13: timing(?: table)?: 'Second' \(09:30 - 10:30\) overlaps 'First'", result.stderr)


def test_lines_stay_true_after_fenced_code_above_the_table(tmp_path):
    """Superfences stashes a fenced block as one line before the timing table is read."""
    code = "# Agenda\n\n```bash\necho one\necho two\necho three\n```\n"
    page = OVERLAP.replace("# Agenda\n", code)
    result = build_site(make_site(tmp_path, {"index.md": page}), tmp_path / "site")
    assert re.search(r"index\.md:19: timing(?: table)?: 'Second' \(09:30 - 10:30\) overlaps 'First'", result.stderr)


def test_lenient_build_renders_the_problem_on_the_page(tmp_path):
    result = build_site(make_site(tmp_path, {"index.md": OVERLAP}), tmp_path / "site", strict=False)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site/index.html").read_text()
    assert "wk-timing-problems" in html and "index.md:13" in html


def test_gaps_do_not_fail_a_strict_build(tmp_path):
    gap = OVERLAP.replace("| 09:30 - 10:30 |", "| 10:15 - 10:30 |")
    result = build_site(make_site(tmp_path, {"index.md": gap}), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "gap of 15 min" in result.stderr


def test_duplicate_checklist_items_fail_a_strict_build(tmp_path):
    page = "# Guide\n\n## Setup\n\n- [ ] Check the room\n- [ ] Check the room\n"
    result = build_site(make_site(tmp_path, {"index.md": page}), tmp_path / "site")
    assert result.returncode != 0
    # The item's line, as `workshop check` says it, and said once.
    found = re.findall(r"docs/index\.md:6: checklist: checklist item 'Check the room' is repeated", result.stderr)
    assert len(found) == 1, result.stderr


@pytest.mark.parametrize(("options", "message"), [
    (":\n      checklists:\n        markers: [interactive]", "must be one upper-case word"),
    (":\n      timing:\n        clock: 25h", "timing"),
    (":\n      colour: blue", "colour"),
])
def test_bad_plugin_options_are_reported(tmp_path, options, message):
    result = build_site(make_site(tmp_path, {"index.md": "# Hi\n"}, options), tmp_path / "site")
    assert result.returncode != 0
    assert message in result.stderr


def test_assets_are_added_to_a_site_without_them(tmp_path):
    result = build_site(make_site(tmp_path, {"index.md": "# Hi\n"}), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site/assets/workshop-kit/workshop.css").exists()
    assert "assets/workshop-kit/workshop.css" in (tmp_path / "site/index.html").read_text()
