"""The terminology check: French prose uses the glossary's terms; code, links and English pages are left alone."""

from __future__ import annotations

import json
import re
from pathlib import Path

from mini_site import PAGE, TRANSLATION

from workshop_kit.checks import CHECKS, run_checks, terminology
from workshop_kit.checks.terminology import PENDING, PHRASES, TERMS, check_terminology, prose_lines
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


# The French that pages kept getting wrong (issue 25): each old wording, as the pages had it, is an
# error that names its replacement; the rewording is not.
OLD_AND_NEW = [
    ("Forkez le dépôt de l'atelier.", "Faites un fork du dépôt de l'atelier.", "faites un fork"),
    ("Ceux qui ont manqué l'invitation forkent le dépôt.", "Ceux qui l'ont manquée en font un fork.", "faites un fork"),
    ("Commitez le pipeline, puis lancez `dvc repro`.", "Faites un commit du pipeline (validez-le).",
     "faites un commit"),
    ("Poussez ou pushez vos expériences.", "Poussez vos expériences.", "poussez"),
    ("    Pour quitter la ligne de commande,", "    Pour aller au-delà de la ligne de commande,",
     "Pour aller au-delà de la ligne de commande"),
    ("Servez le modèle enregistré et envoyez-lui une requête.", "Exposez le modèle enregistré derrière une API.",
     "exposer le modèle derrière une API"),
    ("le meilleur modèle enregistré et servi.", "le meilleur modèle enregistré puis exposé derrière une API.",
     "exposer le modèle derrière une API"),
    ("Servi en HTTP, le même script répond.", "Exposé en HTTP, le même script répond.",
     "exposer le modèle derrière une API"),
    ("une application Streamlit qui sert le modèle.", "une application Streamlit qui expose le modèle.",
     "exposer le modèle derrière une API"),
    ("(TPE, interruption médiane des essais)", "(TPE, règle d'interruption médiane, `MedianPruner`)",
     "règle d'interruption médiane (`MedianPruner`)"),
    ("et videz la salle, pour qu'elle reparte de zéro", "et remettez l'installation de la salle à zéro",
     "remettez l'installation de la salle à zéro"),
    ("- **Hyperparamètres imbriqués.** Changer `hidden_dims`...", "- **Hyperparamètres conditionnels.** Changer...",
     "hyperparamètres conditionnels"),
    ("entraîné (20 à 128 pixels : une à deux minutes)", "entraîné (20 époques sur des images de 128 pixels)",
     "20 époques sur des images de 128 pixels"),
    ("20 époques à 128 pixels prennent une à deux minutes", "20 époques sur des images de 128 pixels prennent",
     "20 époques sur des images de 128 pixels"),
    ("Parmi six usages du sol, lequel une image montre-t-elle ?",
     "À laquelle des six catégories d'occupation du sol une image appartient-elle ?", "occupation du sol"),
]


def test_each_old_wording_of_issue_25_is_an_error_that_names_its_replacement():
    for old, new, right in OLD_AND_NEW:
        [problem] = check_terminology(Path("p.fr.md"), f"# Titre\n\n{old}\n")
        assert (problem.line, problem.severity) == (3, "error"), old
        assert f"write '{right}" in problem.message, (old, problem.message)
        assert check_terminology(Path("p.fr.md"), f"# Titre\n\n{new}\n") == [], new


def test_installez_is_wrong_only_for_dvc_init():
    old = ("Dans la copie téléchargée, installez-le une fois :\n\n```console\n$ dvc init -q\n"
           "$ git commit -q -m \"Set up DVC\"\n```\n")
    [problem] = check_terminology(Path("p.fr.md"), old)
    assert problem.line == 1 and "write 'initialisez-le (`dvc init`)'" in problem.message
    new = old.replace("installez-le", "initialisez DVC")
    assert check_terminology(Path("p.fr.md"), new) == []
    commands = "Installez les dépendances :\n\n```bash\npip install -r r.txt\n```\n"
    assert check_terminology(Path("p.fr.md"), commands) == []


def test_a_skip_reason_that_reads_as_an_order_is_an_error_at_its_fence():
    old = "# Titre\n\n```bash skip=\"demande un compte OVHcloud\"\novhai job run\n```\n"
    [problem] = check_terminology(Path("p.fr.md"), old)
    assert (problem.line, problem.severity) == (3, "error")
    assert "'demande': write 'nécessite ...'" in problem.message
    assert check_terminology(Path("p.fr.md"), old.replace("demande", "nécessite")) == []
    # « demande » elsewhere in a sentence is French, and code is not prose
    assert check_terminology(Path("p.fr.md"), "`docker login` les demande.\n\n```bash\necho demande\n```\n") == []


def test_wrapping_and_de_plus_que_are_errors_with_what_to_write():
    old = ("Enveloppez l'entraînement dans une étude Optuna.\n\n"
           "Cette page ne contient de plus que la liste des sessions.\n")
    problems = check_terminology(Path("p.fr.md"), old)
    assert [(p.line, p.severity) for p in problems] == [(1, "error"), (3, "error")]
    assert "write 'intégrez ... à'" in problems[0].message
    assert "write 'ne contient en plus que'" in problems[1].message
    new = ("Intégrez l'entraînement à une étude Optuna.\n\n"
           "Cette page ne contient en plus que la liste des sessions. Rien de plus que cela.\n")
    assert check_terminology(Path("p.fr.md"), new) == []


def test_an_english_placeholder_is_an_error_even_in_code():
    old = ("Donnez-le par une variable : `export DVC_STUDIO_TOKEN=\"<your Studio token>\"`.\n\n"
           "```bash skip=\"nécessite un compte GitHub\"\ngit remote add origin <your repository URL>\n```\n")
    problems = check_terminology(Path("p.fr.md"), old)
    assert [(p.line, p.message.split("'")[1]) for p in problems] == [
        (1, "<your Studio token>"), (4, "<your repository URL>")]
    assert all("write '<votre ...>'" in p.message for p in problems)
    new = old.replace("<your Studio token>", "<votre jeton Studio>").replace(
        "<your repository URL>", "<URL de votre dépôt>")
    assert check_terminology(Path("p.fr.md"), new) == []
    others = ('terraform apply -var="number_of_users=<number of users>"\n'
              "Utilisateur : `<user to pull / push>` ; mot de passe : `<user password>`.\n")
    assert [p.message.split("'")[1] for p in check_terminology(Path("p.fr.md"), others)] == [
        "<number of users>", "<user to pull / push>", "<user password>"]
    # HTML in prose is not a placeholder
    assert check_terminology(Path("p.fr.md"), '<div class="wk-sheet" markdown>\n<a href="x?token=1">lien</a>\n') == []


def test_a_phrase_is_reported_by_workshop_check_at_its_file_and_line(mini_site, capsys):
    mini_site.pair(french=TRANSLATION.replace("- [ ] Vérifiez la salle.", "- [ ] Videz la salle."))
    assert main(["check", str(mini_site.root), "--only", "terminology"]) == 1
    out = capsys.readouterr().out
    assert ("docs/guide.fr.md:10: terminology: 'Videz la salle': write 'remettez l'installation de la salle à zéro'"
            in out)


def test_notebook_markdown_cells_are_read_at_their_line_in_the_json_file():
    notebook = {"cells": [
        {"cell_type": "markdown", "metadata": {},
         "source": ["# Partie 1\n", "\n", "Parmi six usages du sol, lequel ?"]},
        {"cell_type": "code", "metadata": {}, "source": ["# usages du sol in code is not prose\n", "x = 1"],
         "outputs": [], "execution_count": None},
        {"cell_type": "markdown", "metadata": {}, "source": ["Un extracteur de features, `run` en code."]},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(notebook, indent=1, ensure_ascii=False)
    lines = text.splitlines()
    problems = check_terminology(Path("n.fr.ipynb"), text)
    assert sorted((p.line, p.message.split("'")[1]) for p in problems) == sorted([
        (next(i for i, line in enumerate(lines, 1) if "Parmi" in line), "usages du sol"),
        (next(i for i, line in enumerate(lines, 1) if "extracteur" in line), "features"),
    ])


def test_the_real_notebooks_have_no_terminology_error():
    notebooks = sorted((ROOT / "docs").rglob("*.fr.ipynb"))
    assert len(notebooks) == 5
    errors = [str(p) for path in notebooks for p in check_terminology(path.relative_to(ROOT), path.read_text(
        encoding="utf-8")) if p.severity == "error"]
    assert errors == []


def test_pending_pages_exist_and_only_soften_phrases(monkeypatch):
    for page in PENDING:
        assert (ROOT / page).is_file(), page
        assert page.endswith(".fr.md")
    monkeypatch.setattr(terminology, "PENDING", ("docs/pending.fr.md",))  # the list is empty today
    text = "Servez le modèle.\nLa précision du modèle."
    found = sorted((p.line, p.severity) for p in check_terminology(Path("docs/pending.fr.md"), text))
    assert found == [(1, "warning"), (2, "error")]  # the glossary's terms stay errors
    assert sorted((p.line, p.severity) for p in check_terminology(Path("docs/other.fr.md"), text)) == [
        (1, "error"), (2, "error")]


def test_the_glossary_lists_every_checked_phrase():
    french = (ROOT / "docs/glossary.fr.md").read_text(encoding="utf-8")
    for phrase in PHRASES:
        assert phrase.right in french, f"docs/glossary.fr.md lacks {phrase.right!r}"


FIXED = ("docs/index.fr.md", "docs/gitops-dvc/speaker-guide.fr.md", "docs/ml-tooling-day/speaker-guide.fr.md",
         "docs/notebook-to-pipeline/speaker-guide.fr.md", "docs/ml-tooling-day/agenda.fr.md",
         "docs/rock-paper-scissors/agenda.fr.md", "docs/rock-paper-scissors/speaker-guide.fr.md")


def test_pages_whose_pending_fixes_were_applied_are_held_to_the_rule_and_pass_it():
    for page in FIXED:
        assert page not in PENDING, page
        text = (ROOT / page).read_text(encoding="utf-8")
        assert [str(p) for p in check_terminology(Path(page), text)] == []
    # an old wording planted back is an error there, as anywhere
    planted = check_terminology(Path(FIXED[-1]), '```bash skip="demande un compte OVHcloud"\nls\n```\n')
    assert [(p.line, p.severity) for p in planted] == [(1, "error")]
