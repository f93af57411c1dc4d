"""The terminology check: French prose uses the glossary's terms; code, links and English pages are left alone."""

from __future__ import annotations

import re
from pathlib import Path

from mini_site import PAGE, TRANSLATION
from workshop_kit.checks import CHECKS, run_checks
from workshop_kit.checks.terminology import TERMS, check_terminology, prose_lines
from workshop_kit.cli import main

ROOT = Path(__file__).parents[2]


def problems_in(mini_site, french: str, english: str = PAGE) -> list:
    mini_site.pair(english=english, french=french)
    return run_checks(mini_site.root, ("terminology",))


def test_terminology_is_a_check_of_workshop_check():
    assert "terminology" in CHECKS


def test_a_forbidden_rendering_is_reported_at_its_line(mini_site):
    french = TRANSLATION.replace("- [ ] Vérifiez la salle.", "- [ ] Vérifiez la précision du modèle.")
    [problem] = problems_in(mini_site, french)
    assert (str(problem.path), problem.line, problem.check, problem.severity) == (
        "docs/guide.fr.md", 10, "terminology", "error")
    assert "'précision' for 'accuracy': write 'exactitude'" in problem.message
    assert str(problem).startswith("docs/guide.fr.md:10: terminology: ")


def test_each_forbidden_rendering_of_the_issue_is_caught():
    text = "\n".join([
        "L'élagueur médian arrête les essais.",  # 1
        "Chaque essai est un run MLflow.",  # 2
        "Un extracteur de features ResNet50.",  # 3
        "Un espace de travail managé.",  # 4
        "| ~4\" | Training : construction de l'image | demo |",  # 5
        "| ~8\" | Deploy : lancement | break |",  # 6
        "Attribuez une étape ou deux.",  # 7
        "Le produit AI Training : un job ; AI Deploy : une application.",  # 8: product names
        "Quatre étapes de pipeline, et une exécution.",  # 9: right
    ])
    found = [(p.line, p.severity) for p in check_terminology(Path("p.fr.md"), text)]
    assert found == [(1, "error"), (2, "error"), (3, "error"), (4, "error"), (5, "error"), (6, "error"),
                     (7, "error")]


def test_code_spans_fences_links_and_urls_are_not_prose(mini_site):
    french = TRANSLATION.replace("## Exécution\n", "## Exécution\n\nLancez `dvc exp run` puis ``le run`` ; voir "
                                 "[la page](../features/run.md) et <https://example.org/run>.\n")
    french = french.replace("# Créer les données", "# run: features managé")  # inside the fence
    assert problems_in(mini_site, french) == []
    lines = dict(prose_lines(french))
    assert "run" not in lines[16] and "Lancez" in lines[16]


def test_a_word_right_in_its_context_passes_and_a_suspect_one_is_a_warning():
    text = "La précision et le rappel du modèle.\nUn modèle avec ses versions et étapes."
    [problem] = check_terminology(Path("p.fr.md"), text)
    assert (problem.line, problem.severity) == (2, "warning")


def test_english_pages_and_opted_out_pages_are_not_read(mini_site):
    mini_site.pair(english=PAGE.replace("- [ ] Check the room.", "- [ ] Check the run's features."))
    mini_site.page("glossary.md", "# Glossary\n\n| run | exécution |\n")
    mini_site.page("glossary.fr.md", "---\nterminology: false\n---\n\n# Glossaire\n\n| run | exécution |\n")
    assert run_checks(mini_site.root, ("terminology",)) == []


def test_the_command_reports_it_with_only(mini_site, capsys):
    mini_site.pair(french=TRANSLATION.replace("- [ ] Vérifiez la salle.", "- [ ] Vérifiez le run."))
    assert main(["check", str(mini_site.root), "--only", "terminology"]) == 1
    out = capsys.readouterr().out
    assert "docs/guide.fr.md:10: terminology: 'run'" in out and "(1 terminology)" in out


def test_the_glossary_gives_every_checked_term_in_both_languages():
    english = (ROOT / "docs/glossary.md").read_text(encoding="utf-8")
    french = (ROOT / "docs/glossary.fr.md").read_text(encoding="utf-8")
    for term in TERMS:
        head = re.split(r"[ ,(]", term.english)[0]
        assert re.search(rf"\|[^|\n]*\b{head}\b", english), f"docs/glossary.md lacks {head!r}"
        assert term.french in french, f"docs/glossary.fr.md lacks {term.french!r}"


def test_the_real_site_has_no_terminology_error():
    errors = [str(p) for p in run_checks(ROOT, ("terminology",)) if p.severity == "error"]
    assert errors == []
