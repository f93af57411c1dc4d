"""Parity: a translation that drifts from its source is reported at the line of both files."""

from __future__ import annotations

import subprocess

import pytest
from mini_site import PAGE, TRANSLATION

from workshop_kit.checks import run_checks


def parity(site) -> list:
    return run_checks(site.root, ("parity",))


def test_a_faithful_translation_passes_even_with_translated_comments(mini_site):
    mini_site.pair()
    assert parity(mini_site) == []


def test_a_missing_translation_is_an_error_naming_the_file_to_write(mini_site):
    mini_site.page("guide.md", PAGE)
    [problem] = parity(mini_site)
    assert str(problem.path) == "docs/guide.md" and "docs/guide.fr.md" in problem.message


def test_a_translation_without_source_is_reported(mini_site):
    mini_site.page("old.fr.md", TRANSLATION)
    [problem] = parity(mini_site)
    assert str(problem.path) == "docs/old.fr.md" and "docs/old.md does not exist" in problem.message


def test_a_missing_checklist_item_names_both_lines(mini_site):
    mini_site.pair(french=TRANSLATION.replace("    - [ ] réseau\n", ""))
    [problem] = parity(mini_site)
    assert problem.check == "parity" and "checklist items" in problem.message
    assert (str(problem.path), problem.other_line) == ("docs/guide.fr.md", 12)
    assert "docs/guide.fr.md" in problem.where and "docs/guide.md:12" in problem.where


def test_a_changed_marker_is_drift(mini_site):
    mini_site.pair(french=TRANSLATION.replace("PREP: Installez", "SPEAKER: Installez"))
    [problem] = parity(mini_site)
    assert problem.line == 9 and problem.other_line == 9 and "marked PREP" in problem.message


def test_changed_code_is_drift_but_a_translated_comment_is_not(mini_site):
    mini_site.pair(french=TRANSLATION.replace("python make.py", "python build.py"))
    [problem] = parity(mini_site)
    assert "code blocks differ" in problem.message and problem.line == 16 and problem.other_line == 16


def test_a_block_bound_elsewhere_is_drift(mini_site):
    mini_site.pair(french=TRANSLATION.replace("```bash\n", '```bash skip="exemple"\n'))
    [problem] = parity(mini_site)
    assert "skipped" in problem.message and "project=demo" in problem.message


def test_an_extra_timing_row_is_drift(mini_site):
    mini_site.pair(french=TRANSLATION.replace("| 60 min | Pratique | hands-on |\n",
                                              "| 60 min | Pratique | hands-on |\n| 15 min | Questions | talk |\n"))
    [problem] = parity(mini_site)
    assert "timing rows" in problem.message and problem.line == 30 and problem.other_line == 29


def test_a_changed_duration_is_drift(mini_site):
    mini_site.pair(french=TRANSLATION.replace("| 60 min | Pratique", "| 45 min | Pratique"))
    [problem] = parity(mini_site)
    assert "lasting 60 min" in problem.message and "lasting 45 min" in problem.message


def test_heading_levels_and_snippets_must_match(mini_site):
    mini_site.pair(french=TRANSLATION.replace("## Exécution", "### Exécution")
                   .replace('--8<-- "notes.md"', '--8<-- "other.md"'))
    (mini_site.root / "snippets" / "other.md").write_text("x\n")
    messages = [p.message for p in parity(mini_site)]
    assert any("headings" in m for m in messages) and any("snippet includes" in m for m in messages)


def test_the_front_matter_binding_must_match(mini_site):
    mini_site.pair(french=TRANSLATION.replace("project: demo", "project: other"))
    (mini_site.root / "examples" / "other").mkdir()
    problems = parity(mini_site)
    assert any("front matter 'project'" in p.message for p in problems)
    assert any("project=other" in p.message and p.line == 16 for p in problems), "each block is bound differently too"


def _git(root, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root,
                   check=True, capture_output=True)


def test_a_translation_older_than_its_source_is_flagged(mini_site):
    mini_site.pair()
    _git(mini_site.root, "init", "-q")
    _git(mini_site.root, "add", "-A")
    _git(mini_site.root, "commit", "-qm", "pages")
    revision = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=mini_site.root, capture_output=True,
                              text=True).stdout.strip()
    mini_site.page("guide.fr.md", TRANSLATION.replace("project: demo", f"project: demo\ntranslated_from: {revision}"))
    assert parity(mini_site) == []
    mini_site.page("guide.md", PAGE.replace("Check the room.", "Check the room and the seats."))
    [problem] = parity(mini_site)
    assert f"changed since revision {revision}" in problem.message and str(problem.path) == "docs/guide.fr.md"


def test_an_unknown_revision_says_what_to_write(mini_site):
    mini_site.pair(french=TRANSLATION.replace("project: demo", "project: demo\ntranslated_from: nope"))
    _git(mini_site.root, "init", "-q")
    [problem] = parity(mini_site)
    assert "not a commit git knows" in problem.message


@pytest.mark.parametrize("value", ["--output=../../planted.txt", "-p", "HEAD --output=x"])
def test_translated_from_never_reaches_git_as_an_option(mini_site, value):
    """An author's revision is verified as a revision (after --end-of-options): an option-looking
    value is refused at the key's own line and no file is written anywhere."""
    mini_site.pair(french=TRANSLATION.replace("project: demo", f'project: demo\ntranslated_from: "{value}"'))
    _git(mini_site.root, "init", "-q")
    _git(mini_site.root, "add", "-A")
    _git(mini_site.root, "commit", "-qm", "pages")
    before = sorted(p for p in mini_site.root.parent.rglob("*") if ".git" not in p.parts)
    [problem] = parity(mini_site)
    line = next(n for n, text in enumerate((mini_site.root / "docs").glob("*.fr.md").__next__().read_text()
                                           .splitlines(), 1) if text.startswith("translated_from:"))
    assert "not a commit git knows" in problem.message and problem.line == line > 1
    assert sorted(p for p in mini_site.root.parent.rglob("*") if ".git" not in p.parts) == before


def test_a_speaker_note_missing_from_the_translation_is_drift(mini_site):
    note = '\n!!! speaker "Show the remote"\n\n    Show it before the import.\n'
    mini_site.pair(english=PAGE + note)
    [problem] = parity(mini_site)
    assert "speaker notes" in problem.message and problem.other_line == 32 and problem.line is None


def test_a_removed_french_item_is_pointed_at_in_both_files(mini_site):
    """Issue 17 §6: where the pair first diverges, in both files, not one item late or without a
    French line: what a translation keeps (inline code, numbers) aligns the items."""
    english = "# Guide\n\n## Run\n\n- [ ] Run `dvc pull`\n- [ ] Run `dvc repro`\n- [ ] Run `dvc push`\n"
    french = "# Guide\n\n## Exécution\n\n- [ ] Lancez `dvc pull`\n- [ ] Lancez `dvc push`\n"
    mini_site.pair(english, french)
    problem, = [p for p in run_checks(mini_site.root, ("parity",)) if "checklist" in p.message]
    assert (problem.other_line, problem.line) == (6, 6)
    assert "the source has an extra one here" in problem.message


def test_a_missing_plain_prose_item_is_found_in_its_own_section(mini_site):
    """Items without code or numbers align by their section: the French page that lacks 'Two'
    under Setup is reported there, not at the page's last item (found in review)."""
    english = "# Guide\n\n## Setup\n\n- [ ] One\n- [ ] Two\n\n## Day\n\n- [ ] Three\n- [ ] Four\n- [ ] Five\n"
    french = "# Guide\n\n## Installation\n\n- [ ] Un\n\n## Jour\n\n- [ ] Trois\n- [ ] Quatre\n- [ ] Cinq\n"
    mini_site.page("prose.md", english)
    mini_site.page("prose.fr.md", french)
    [problem] = [p for p in parity(mini_site) if "prose" in str(p.path)]
    # In Setup on both sides (prose items of one section cannot be told apart), not at 'Five'.
    assert problem.other_line in (5, 6) and problem.line == 5, problem.where
