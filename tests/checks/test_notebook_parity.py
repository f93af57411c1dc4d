"""Parity for notebook pages: a translation keeps every code cell as it is and as many Markdown cells.

Drift is reported at the cell's line in both JSON files, the message naming the cells.
"""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from workshop_kit.checks import run_checks

META = {"workshop": {"project": "demo", "setup": "python make.py"}}
CODE = ["import json\n\n# Read the data\ndata = json.load(open('data.json'))", "len(data)"]


def notebook(texts: list[str], code: list[str] = CODE, meta: dict = META) -> str:
    """Markdown and code cells alternating, Markdown first: text, code, text, code..."""
    cells = []
    for index in range(max(len(texts), len(code))):
        if index < len(texts):
            cells.append(new_markdown_cell(texts[index]))
        if index < len(code):
            cells.append(new_code_cell(code[index]))
    made = new_notebook(cells=cells, metadata=dict(meta))
    for index, cell in enumerate(made.cells):
        cell.id = f"cell-{index}"
    return nbformat.writes(made) + "\n"


ENGLISH = notebook(["# Read the data", "How many records?"])
FRENCH = notebook(["# Lire les données", "Combien d'enregistrements ?"])


def parity(site) -> list:
    return run_checks(site.root, ("parity",))


def test_a_translated_notebook_passes(mini_site):
    mini_site.page("nb.ipynb", ENGLISH)
    mini_site.page("nb.fr.ipynb", FRENCH)
    assert parity(mini_site) == []


def test_a_missing_french_notebook_is_reported(mini_site):
    mini_site.page("nb.ipynb", ENGLISH)
    [problem] = parity(mini_site)
    assert str(problem.path) == "docs/nb.ipynb" and "docs/nb.fr.ipynb" in problem.message


def test_a_translated_comment_in_a_code_cell_is_drift(mini_site):
    """Unlike a page's fences, a notebook's code runs once for both languages: comments included."""
    mini_site.page("nb.ipynb", ENGLISH)
    mini_site.page("nb.fr.ipynb", notebook(["# Lire", "Combien ?"], [CODE[0].replace("Read the data", "Lire"),
                                                                     CODE[1]]))
    [problem] = parity(mini_site)
    assert problem.check == "parity" and str(problem.path) == "docs/nb.fr.ipynb"
    assert "code cells differ: source cell 2 has line 3 '# Read the data'" in problem.message
    assert "translation cell 2 has line 3 '# Lire'" in problem.message
    assert problem.other_path.name == "nb.ipynb"
    lines = (mini_site.root / "docs/nb.fr.ipynb").read_text().splitlines()
    assert lines[problem.line - 1] == "  {" and '"code"' in lines[problem.line]  # the cell's own line
    assert problem.other_line == problem.line


def test_a_changed_code_cell_names_both_cells(mini_site):
    mini_site.page("nb.ipynb", ENGLISH)
    mini_site.page("nb.fr.ipynb", notebook(["# Lire", "Combien ?"], [CODE[0], "len(data) + 1"]))
    [problem] = parity(mini_site)
    assert "source cell 4 has line 1 'len(data)'" in problem.message
    assert "translation cell 4 has line 1 'len(data) + 1'" in problem.message


def test_a_missing_code_cell_is_reported_with_the_extra_cell(mini_site):
    mini_site.page("nb.ipynb", ENGLISH)
    mini_site.page("nb.fr.ipynb", notebook(["# Lire", "Combien ?"], CODE[:1]))
    [problem] = parity(mini_site)
    assert "code cells: the source has 2, the translation 1; the source has an extra one at cell 4" in problem.message
    assert problem.line is None and problem.other_line is not None


def test_a_different_number_of_markdown_cells_is_drift(mini_site):
    mini_site.page("nb.ipynb", ENGLISH)
    mini_site.page("nb.fr.ipynb", notebook(["# Lire", "Combien ?", "Une remarque de plus."]))
    [problem] = parity(mini_site)
    assert "Markdown cells: the source has 2, the translation 3" in problem.message
    assert "the translation's cell 5" in problem.message and problem.line is not None


def test_different_workshop_metadata_is_drift(mini_site):
    mini_site.page("nb.ipynb", ENGLISH)
    mini_site.page("nb.fr.ipynb", notebook(["# Lire", "Combien ?"], meta={"workshop": {"project": "demo"}}))
    [problem] = parity(mini_site)
    assert "notebook metadata 'workshop.setup' differs" in problem.message


def test_the_sites_notebooks_are_faithful_translations():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    problems = [p for p in run_checks(root / "docs", ("parity",)) if p.path.suffix == ".ipynb"]
    assert [str(p) for p in problems] == []
