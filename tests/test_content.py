"""The pages themselves: the five workshops of the seeds, what their facts require, the nav.

Translations, block bindings, timing tables and secrets are checked by `workshop check`
(tests/cli/test_check_command.py runs it on this site).
"""

from pathlib import Path

import yaml

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
WORKSHOPS = ["gitops-dvc", "notebook-to-pipeline", "ml-tooling-day", "half-day-lab", "rock-paper-scissors"]


def test_the_five_workshops_each_have_their_core_pages_in_both_languages():
    for name in WORKSHOPS:
        pages = {p.name for p in (DOCS / name).glob("*.md")}
        assert {"index.md", "speaker-guide.md", "agenda.md"} <= pages, name
        assert {"handout.md", "hands-on.md"} & pages, f"{name}: no page for participants"
        assert len(pages) % 2 == 0 and len(pages) >= 8, name


def test_the_overlapping_break_is_not_copied():
    for page in (DOCS / "ml-tooling-day/agenda.md", DOCS / "ml-tooling-day/agenda.fr.md"):
        rows = [line for line in page.read_text().splitlines() if line.startswith("| 13:00 - 15:15")]
        assert rows == []


def test_nav_lists_every_english_page():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)

    def paths(nav):
        for entry in nav:
            if isinstance(entry, str):
                yield entry
            else:
                for value in entry.values():
                    yield from (paths(value) if isinstance(value, list) else [value])

    english = [p for p in [*DOCS.rglob("*.md"), *DOCS.rglob("*.ipynb")] if ".fr." not in p.name]
    assert sorted(paths(config["nav"])) == sorted(str(p.relative_to(DOCS)) for p in english)


def test_notebook_pages_are_the_example_projects_notebooks():
    """Symlinks, so the page shows exactly what the tests execute (a copied file would drift)."""
    notebooks = sorted(DOCS.rglob("*.ipynb"))
    assert len(notebooks) == 10
    for page in notebooks:
        assert page.is_symlink() and page.resolve().is_relative_to(ROOT / "examples"), page
