"""`workshop new` scaffolds a workshop that builds strictly, checks clean and tests green at once."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from workshop_kit.pytest_plugin import build_site


def nav_titles(root) -> list:
    config = yaml.load((root / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    return [next(iter(entry)) if isinstance(entry, dict) else entry for entry in config["nav"]]


def test_a_new_workshop_builds_checks_and_passes_its_tests(site_copy, workshop, tmp_path):
    code, out, err = workshop("new", "feature-store", "--title", "Feature stores: a tour", "--title-fr",
                         "Les magasins de caractéristiques", "--tools", "dvc,mlflow", "--duration", "4 h",
                         "--root", str(site_copy))
    assert code == 0, out
    pages = sorted(p.name for p in (site_copy / "docs/feature-store").iterdir())
    assert pages == sorted(f"{name}{lang}.md"
                           for name in ("index", "speaker-guide", "speaker-sheet", "agenda", "handout")
                           for lang in ("", ".fr"))
    assert "| **Tools** | DVC, MLflow |" in (site_copy / "docs/feature-store/index.md").read_text()
    titles = nav_titles(site_copy)
    assert titles.index("Feature stores: a tour") == titles.index("Rock, paper, scissors") + 1
    nav = (site_copy / "mkdocs.yml").read_text().replace('"', "")
    assert "Feature stores: a tour: Les magasins de caractéristiques" in nav

    built = build_site(site_copy / "mkdocs.yml", tmp_path / "built")
    assert built.returncode == 0, built.stderr
    french = (tmp_path / "built/fr/feature-store/agenda/index.html").read_text()
    assert "Les magasins de caractéristiques" in french and "wk-timing" in french
    assert workshop("check", str(site_copy))[0] == 0

    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--workshop-no-cache",
                            "examples/feature-store", "docs/feature-store"], cwd=site_copy, capture_output=True,
                           text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "2 passed" in tests.stdout


@pytest.mark.parametrize("args, message", [
    (["Feature Store", "--title", "x"], "'Feature Store' is not a usable slug"),
    (["gitops-dvc", "--title", "x"], "docs/gitops-dvc already exists"),
    (["short", "--title", "x", "--duration", "30 min"], "shorter than 45 min"),
    (["odd", "--title", "x", "--duration", "a while"], "--duration 'a while'"),
    (["blank", "--title", " "], "--title is empty"),
    (["late", "--title", "x", "--start", "25:00"], "--start '25:00': '25:00' is not a clock time"),
    (["word", "--title", "x", "--start", "nine"], "--start 'nine'"),
    (["night", "--title", "x", "--start", "22:00", "--duration", "4 h"], "ends after midnight"),
])
def test_a_refused_scaffold_says_why_and_writes_nothing(site_copy, workshop, args, message):
    before = (site_copy / "mkdocs.yml").read_text()
    folders = sorted(p.name for p in (site_copy / "docs").iterdir())
    code, out, err = workshop("new", *args, "--root", str(site_copy))
    assert code == 2 and message in err and err.startswith("workshop new: ") and out == "", err
    assert (site_copy / "mkdocs.yml").read_text() == before
    assert sorted(p.name for p in (site_copy / "docs").iterdir()) == folders


def test_a_short_workshop_gets_one_practice_block_filling_its_slot(site_copy, workshop):
    assert workshop("new", "quick", "--title", "Quick", "--duration", "90 min", "--start", "14:00",
                    "--root", str(site_copy))[0] == 0
    agenda = (site_copy / "docs/quick/agenda.md").read_text()
    assert 'start: "14:00"' in agenda and "slot: 90 min" in agenda
    assert agenda.count("| hands-on |") == 1 and "| break |" not in agenda
    assert workshop("check", str(site_copy / "docs/quick"))[0] == 0
