from pathlib import Path

import pytest

from workshop_kit.blocks.collect import SnippetExpander, check, parse_options, scan, sessions
from workshop_kit.blocks.model import BlockError

SITE = Path(__file__).parents[1] / "fixtures" / "blocks-site"
EXPANDER = SnippetExpander({"base_path": [str(SITE / "snippets"), str(SITE / "examples")], "check_paths": True})


def blocks_of(text: str):
    return scan(Path("page.md"), text, EXPANDER)


def test_blocks_nested_in_admonitions_details_and_tabs_are_found_with_their_lines():
    meta, blocks = scan(Path("docs/index.md"), (SITE / "docs/index.md").read_text(), EXPANDER)
    assert meta == {"project": "tiny"}
    langs = [(b.lang, b.line) for b in blocks]
    assert langs[:5] == [("bash", 7), ("bash", 14), ("console", 21), ("python", 32), ("pycon", 40)]
    assert blocks[1].code == 'test "$(basename "$PWD")" = work\ntest "$GREETING" = bonjour\n'
    assert all(b.project == "tiny" for b in blocks)


def test_snippets_are_expanded_so_the_block_is_what_the_reader_sees():
    _, blocks = blocks_of('```bash project="tiny"\n--8<-- "greet.sh"\n```\n')
    assert blocks[0].code.strip() == 'echo "hello from a snippet"'


def test_a_missing_snippet_names_the_page_and_line():
    with pytest.raises(BlockError, match=r"page.md:3: snippet cannot be included"):
        blocks_of('# t\n\n--8<-- "nowhere.sh"\n')


def test_an_unclosed_fence_names_its_line():
    with pytest.raises(BlockError, match=r"page.md:2: the fence opened here"):
        blocks_of("text\n```bash\necho\n")


@pytest.mark.parametrize(("options", "message"), [
    ('project', "needs a value"),
    ('colour="red"', "unknown fence option 'colour'"),
    ('skip="unclosed', "cannot be read"),
])
def test_bad_fence_attributes_are_collection_errors(options, message):
    with pytest.raises(BlockError, match=message):
        parse_options(options, (Path("page.md"), 4))


def test_brace_attributes_are_read_too():
    assert parse_options('{.bash project="tiny"}', (Path("p.md"), 1)) == {"project": "tiny"}


@pytest.mark.parametrize(("text", "message"), [
    ("```bash\necho\n```\n", "bound to no example project"),
    ('```bash skip=" "\necho\n```\n', "needs a reason"),
    ('```bash project="ghost"\necho\n```\n', "there is no examples/ghost/"),
    ('```text project="tiny"\nhello\n```\n', "'text' blocks cannot be run"),
    ('```\nplain\n```\n', "name the block's language"),
])
def test_blocks_that_neither_run_nor_say_why_fail_collection(text, message):
    _, blocks = blocks_of(text)
    with pytest.raises(BlockError, match=message) as caught:
        check(blocks[0], SITE / "examples")
    assert str(caught.value).startswith("page.md:1:")


def test_sessions_group_runnable_blocks_per_project_in_page_order():
    meta, blocks = blocks_of('---\nproject: tiny\nsetup: git init -q\n---\n'
                             '```bash\na\n```\n```bash project="other"\nb\n```\n'
                             '```bash skip="why"\nc\n```\n```sh\nd\n```\n')
    grouped = sessions(Path("page.md"), meta, blocks)
    assert [(s.project, [b.code.strip() for b in s.blocks], s.setup) for s in grouped] == [
        ("tiny", ["a", "d"], "git init -q"), ("other", ["b"], "git init -q")]


def notebook(metadata: dict, *sources: str) -> str:
    import json

    cells = [{"cell_type": "markdown", "source": ["# Title"]}] + [
        {"cell_type": "code", "source": source.splitlines(keepends=True)} for source in sources]
    return json.dumps({"cells": cells, "metadata": metadata})


def test_a_notebooks_code_cells_are_python_blocks_bound_by_its_metadata():
    from workshop_kit.blocks.collect import scan_notebook

    meta, blocks = scan_notebook(Path("nb.ipynb"), notebook({"workshop": {"project": "tiny", "setup": "true"}},
                                                            "x = 1\ny = 2", "print(x)"))
    assert meta["setup"] == "true"
    assert [(b.line, b.lang, b.code, b.project) for b in blocks] == [
        (2, "python", "x = 1\ny = 2\n", "tiny"), (3, "python", "print(x)\n", "tiny")]
    check(blocks[0], SITE / "examples")


def test_a_notebook_without_binding_names_the_metadata_to_add():
    from workshop_kit.blocks.collect import scan_notebook

    _, blocks = scan_notebook(Path("nb.ipynb"), notebook({}, "x = 1"))
    with pytest.raises(BlockError, match="to the notebook's metadata"):
        check(blocks[0], SITE / "examples")
    _, skipped = scan_notebook(Path("nb.ipynb"), notebook({"workshop": {"skip": "needs a GPU"}}, "x = 1"))
    assert skipped[0].skip == "needs a GPU"
    with pytest.raises(BlockError, match="not valid JSON"):
        scan_notebook(Path("nb.ipynb"), "{")
