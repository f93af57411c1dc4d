"""Notebook pages show stored outputs, and a run fails when they are stale (nbval-style).

A tiny notebook in a temporary site runs here in a few seconds; the site's own notebooks run as
block sessions (`docs/`), and here are only read: outputs present, French twins identical in code
and outputs, the notebook-writing scripts reproducing the committed files.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from workshop_kit.blocks.collect import scan_notebook, sessions
from workshop_kit.blocks.notebook_outputs import comparable, sanitize, stored_outputs
from workshop_kit.blocks.notebook_run import run_notebook_session
from workshop_kit.blocks.run import BlockFailure

ROOT = Path(__file__).resolve().parents[1]
DOCS, EXAMPLES = ROOT / "docs", ROOT / "examples"
PAGES = sorted(p for p in DOCS.rglob("*.ipynb") if not p.name.endswith(".fr.ipynb"))

CELLS = [
    "print('hello')",
    # Run-to-run noise, sanitized: an address, a timing, a temporary path, a progress line, stderr.
    "import random, sys, tempfile\n"
    "print(object())\n"
    "print(f'took {random.random():.3f}s, {random.randint(1, 99)}ms/step')\n"
    "print('saved to', tempfile.mkdtemp())\n"
    "print(f'\\r{random.randint(0, 9)}/10 ━━━━', end='')\n"
    "print('\\rdone')\n"
    "print(random.random(), file=sys.stderr)",
    # An image: compared by presence, never by its bytes.
    "import os\n\nclass Picture:\n    def _repr_png_(self):\n        return os.urandom(32)\n\nPicture()",
    "x = 6 * 7\nx",
]


def tiny_site(tmp_path: Path, cells=CELLS, french: bool = False) -> Path:
    """examples/tiny/nb.ipynb (and nb.fr.ipynb), docs/nb.ipynb a symlink to it, as on the site."""
    project = tmp_path / "examples" / "tiny"
    project.mkdir(parents=True)
    (tmp_path / "docs").mkdir()
    meta = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "workshop": {"project": "tiny", "setup": "echo ready > setup.txt"}}
    for name, title in [("nb.ipynb", "# Tiny"), *([("nb.fr.ipynb", "# Minuscule")] if french else [])]:
        notebook = new_notebook(cells=[new_markdown_cell(title), *map(new_code_cell, cells)], metadata=meta)
        for index, cell in enumerate(notebook.cells):
            cell.id = f"cell-{index}"
        nbformat.write(notebook, project / name)
        (tmp_path / "docs" / name).symlink_to(Path("../examples/tiny") / name)
    return project / "nb.ipynb"


def session_of(tmp_path: Path, page: str = "docs/nb.ipynb"):
    meta, blocks = scan_notebook(tmp_path / page, (tmp_path / page).read_text())
    [session] = sessions(tmp_path / page, meta, blocks)
    return session


def run(tmp_path: Path, name: str, **options):
    workroot = tmp_path / name
    workroot.mkdir()
    return run_notebook_session(session_of(tmp_path), tmp_path / "examples", workroot, timeout=120, **options)


def test_update_stores_the_outputs_then_a_run_matches_them_despite_the_noise(tmp_path):
    stored = tiny_site(tmp_path)
    outcomes = run(tmp_path, "first", update=True)
    assert [outcome.block.line for outcome in outcomes] == [2, 3, 4, 5]
    notebook = nbformat.read(stored, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == [1, 2, 3, 4]
    assert code[0].outputs[0]["text"] == "hello\n"
    printed = code[1].outputs[0]["text"]
    assert "stderr" not in json.dumps(code[1].outputs) and "\r" not in printed and printed.endswith("done\n")
    assert code[2].outputs[0]["data"].keys() == {"image/png", "text/plain"}
    assert code[3].outputs[0]["data"]["text/plain"] == "42" and code[3].outputs[0]["execution_count"] == 4
    assert all("execution" not in cell.metadata for cell in code)
    assert stored.read_text() == nbformat.writes(notebook) + "\n", "nbformat's own layout, as committed"
    run(tmp_path, "second")  # new address, timing, temp path, random stderr and image bytes: still equal


def test_a_stale_stored_output_fails_naming_the_cell_with_a_diff(tmp_path):
    stored = tiny_site(tmp_path)
    run(tmp_path, "first", update=True)
    notebook = nbformat.read(stored, as_version=4)
    notebook.cells[4].outputs[0]["data"]["text/plain"] = "41"
    nbformat.write(notebook, stored)
    with pytest.raises(BlockFailure) as failed:
        run(tmp_path, "second")
    failure = failed.value
    assert failure.block.line == 5 and "cell 5 ('x = 6 * 7')" in failure.reason and "nb.ipynb" in failure.reason
    assert "--workshop-update-output" in failure.reason
    assert "-41" in failure.detail and "+42" in failure.detail
    run(tmp_path, "third", update=True)
    assert nbformat.read(stored, as_version=4).cells[4].outputs[0]["data"]["text/plain"] == "42"
    run(tmp_path, "fourth")


def test_a_missing_image_or_output_is_a_mismatch(tmp_path):
    stored = tiny_site(tmp_path)
    run(tmp_path, "first", update=True)
    notebook = nbformat.read(stored, as_version=4)
    notebook.cells[3].outputs = []
    nbformat.write(notebook, stored)
    with pytest.raises(BlockFailure, match=r"cell 4 \('import os'\)") as failed:
        run(tmp_path, "second")
    assert "+[execute_result: image, text/plain]" in failed.value.detail


def test_a_french_twin_gets_the_outputs_and_must_keep_them(tmp_path):
    stored = tiny_site(tmp_path, french=True)
    run(tmp_path, "first", update=True)
    twin = stored.with_name("nb.fr.ipynb")
    english, french = nbformat.read(stored, as_version=4), nbformat.read(twin, as_version=4)
    assert [c.outputs for c in english.cells[1:]] == [c.outputs for c in french.cells[1:]]
    assert french.cells[0].source == "# Minuscule"
    french.cells[1].outputs[0]["text"] = "bonjour\n"
    nbformat.write(french, twin)
    with pytest.raises(BlockFailure, match=r"cell 2 \(.print\(.hello.\).\) of nb.fr.ipynb"):
        run(tmp_path, "second")


def test_a_cell_that_raises_fails_its_block(tmp_path):
    tiny_site(tmp_path, cells=["print('before')", "1 / 0"])
    with pytest.raises(BlockFailure, match=r"cell 3 \('1 / 0'\) raised ZeroDivisionError") as failed:
        run(tmp_path, "first")
    assert failed.value.block.line == 3


def test_the_setup_runs_in_the_project_copy_and_cells_start_there(tmp_path):
    tiny_site(tmp_path, cells=["print(open('setup.txt').read().strip())"])
    run(tmp_path, "first", update=True)
    notebook = nbformat.read(tmp_path / "examples/tiny/nb.ipynb", as_version=4)
    assert notebook.cells[1].outputs[0]["text"] == "ready\n"


@pytest.mark.parametrize("noisy, quiet", [
    ("Epoch 1/3 - 12.3s - 45ms/step", "Epoch 1/3 - <time> - <time>"),
    ("<Foo object at 0x7f3a2b1c9d00>", "<Foo object at 0x<address>>"),
    ("wrote /tmp/pytest-of-me/pytest-3/x/model.keras", "wrote <tmp>"),
    ("10/10 ━━━━━━━━━━━━━━━━━━━━ 0s 2ms/step\nloss: 0.5", "loss: 0.5"),
    ("\x1b[1mbold\x1b[0m 50%\r100%", "100%"),
    ("300 sprites, 48 of type Water", "300 sprites, 48 of type Water"),
])
def test_sanitizers_remove_run_to_run_noise_only(noisy, quiet):
    assert sanitize(noisy) == quiet


def test_stderr_is_neither_stored_nor_compared_and_streams_merge():
    outputs = [{"output_type": "stream", "name": "stdout", "text": "a\n"},
               {"output_type": "stream", "name": "stderr", "text": "W0000 absl warning\n"},
               {"output_type": "stream", "name": "stdout", "text": "b\n"}]
    assert stored_outputs(outputs) == [{"output_type": "stream", "name": "stdout", "text": "a\nb\n"}]
    assert comparable(outputs) == comparable([{"output_type": "stream", "name": "stdout", "text": ["a\n", "b\n"]}])


# The site's notebooks, as committed.

def _code(path: Path) -> list:
    return [cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]


def _prints(source: str) -> bool:
    """Does this cell surely show something: a print, or a value (not a call) as its last statement?"""
    tree = ast.parse(source)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "print"]
    last = tree.body[-1] if tree.body else None
    shown = isinstance(last, ast.Expr) and not isinstance(last.value, ast.Call) and not source.rstrip().endswith(";")
    return bool(calls) or shown


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_every_notebook_page_stores_what_its_cells_show(page):
    for language in (page, page.with_name(page.name.replace(".ipynb", ".fr.ipynb"))):
        cells = _code(language)
        assert [cell.execution_count for cell in cells] == list(range(1, len(cells) + 1)), language
        assert any(cell.outputs for cell in cells), f"{language.name} shows no output at all"
        for cell in cells:
            assert cell.outputs or not _prints(cell.source), f"{language.name}: no output for {cell.source[:60]!r}"
            assert all(o.get("name") != "stderr" for o in cell.outputs) and "execution" not in cell.metadata


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_a_french_notebook_page_is_a_french_notebook_with_the_english_code_and_outputs(page):
    french_page = page.with_name(page.name.replace(".ipynb", ".fr.ipynb"))
    english, french = page.resolve(), french_page.resolve()
    assert french.parent == english.parent and french.name == english.name.replace(".ipynb", ".fr.ipynb")
    assert [(c.source, c.execution_count, c.outputs) for c in _code(english)] == \
        [(c.source, c.execution_count, c.outputs) for c in _code(french)]
    ours, theirs = (nbformat.read(p, as_version=4) for p in (english, french))
    assert ours.metadata == theirs.metadata
    texts = [(a.source, b.source) for a, b in zip(ours.cells, theirs.cells, strict=False) if a.cell_type == "markdown"]
    assert [b.cell_type for b in theirs.cells] == [a.cell_type for a in ours.cells]
    assert texts and all(english_text != french_text for english_text, french_text in texts)


def test_the_stored_notebooks_stay_small():
    sizes = {p.resolve().name: p.resolve().stat().st_size for p in DOCS.rglob("*.ipynb")}
    assert len(sizes) == 10 and sum(sizes.values()) < 300_000, sizes
    assert max(sizes.values()) < 60_000, sizes


@pytest.mark.parametrize("script, module_name", [("landuse-lab/scripts/write_notebooks.py", "landuse"),
                                                 ("pokemon-dvc/scripts/write_notebook.py", "pokemon")])
def test_the_writing_scripts_reproduce_the_committed_notebooks(script, module_name, tmp_path, monkeypatch):
    """Writing the notebooks again (into a copy) changes nothing: ids, prose and outputs are kept."""
    import shutil

    project = EXAMPLES / script.split("/")[0]
    copy = tmp_path / project.name
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("data", "features", "mlruns", "*.db"))
    spec = importlib.util.spec_from_file_location(f"writer_{module_name}", copy / script.split("/", 1)[1])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(sys, "argv", ["write"])
    module.main()
    for notebook in sorted(project.glob("*.ipynb")):
        assert (copy / notebook.name).read_text() == notebook.read_text(), notebook.name
