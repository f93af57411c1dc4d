"""`workshop check` passes on the real site and catches one planted defect of each kind."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def test_the_real_site_passes_every_check(workshop):
    code, out, err = workshop("check", str(ROOT))
    assert code == 0, out
    assert "0 error(s)" in out


def plant(root, page: str, old: str, new: str) -> None:
    path = root / page
    text = path.read_text()
    assert old in text, f"{page} no longer holds {old!r}: update the planted defect"
    path.write_text(text.replace(old, new, 1))


DEFECTS = {
    "timing": ("docs/gitops-dvc/agenda.md", "| 15 min |", "| 15 minutes or so |", "docs/gitops-dvc/agenda.md:"),
    "checklist": ("docs/half-day-lab/speaker-guide.md", "- [ ] PREP: Get the current overview decks",
                  "- [ ] PREP: Twice.\n- [ ] PREP: Twice.\n- [ ] PREP: Get the current overview decks",
                  "docs/half-day-lab/speaker-guide.md:12: checklist:"),
    "blocks": ("docs/ml-tooling-day/hands-on.md", "```bash", "```ruby", "docs/ml-tooling-day/hands-on.md:"),
    # A kind changed in the translation: parity drift that leaves the table itself valid.
    "parity": ("docs/rock-paper-scissors/agenda.fr.md", "| 15 min | Essai de l'application | hands-on |",
               "| 15 min | Essai de l'application | talk |", "docs/rock-paper-scissors/agenda.fr.md:"),
    "secrets": ("docs/index.md", "\n", "\nAWS_ACCESS_KEY_ID=AKIA" + "QWERTYUIOPASDFGH\n", "docs/index.md:2: secrets:"),
}


@pytest.mark.parametrize("kind", DEFECTS)
def test_a_planted_defect_fails_the_check_with_its_file_and_line(kind, site_copy, workshop):
    page, old, new, where = DEFECTS[kind]
    plant(site_copy, page, old, new)
    code, out, err = workshop("check", str(site_copy))
    assert code == 1, out
    reported = [line for line in out.splitlines() if line.startswith(where)]
    assert reported and f": {kind}: " in reported[0], out
    assert re.search(rf"\(.*\b\d+ {kind}\b.*\)", out.splitlines()[-1]), "the summary counts it under its check"


def test_json_output_lists_the_problems_for_tools(site_copy, workshop):
    plant(site_copy, *DEFECTS["parity"][:3])
    code, out, err = workshop("check", str(site_copy), "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["errors"] >= 1
    [problem] = [p for p in report["problems"] if p["check"] == "parity"]
    assert problem["path"] == "docs/rock-paper-scissors/agenda.fr.md"
    assert problem["other_path"] == "docs/rock-paper-scissors/agenda.md" and problem["line"] and problem["other_line"]


def test_only_and_a_folder_narrow_the_run(site_copy, workshop):
    plant(site_copy, *DEFECTS["parity"][:3])
    assert workshop("check", str(site_copy / "docs/gitops-dvc"))[0] == 0
    assert workshop("check", str(site_copy), "--only", "timing,secrets")[0] == 0
    assert workshop("check", str(site_copy / "docs/rock-paper-scissors"), "--only", "parity")[0] == 1


def test_usage_errors_say_what_to_do(tmp_path, workshop, capsys):
    code, out, err = workshop("check", str(tmp_path))
    assert code == 2 and out == "" and err.startswith("workshop check: ") and "no mkdocs.yml here" in err
    assert len(err.splitlines()) == 1
    with pytest.raises(SystemExit):
        workshop("check", "--only", "spelling")
    assert "unknown check(s) spelling; choose from: timing" in capsys.readouterr().err
