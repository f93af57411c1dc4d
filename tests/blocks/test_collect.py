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


@pytest.mark.parametrize(("options", "message"), [
    ('skip=" "', 'skip=" " is empty: it needs a reason'),
    ('project=""', 'project="" is empty'),
    ('serves="   "', "is empty"),
    ('hl_lines="unexpected 3"', 'hl_lines="unexpected 3" has an invalid value'),
    ('linenums="abc"', 'linenums="abc" has an invalid value'),
    ('{.bash colour="red"}', "unknown fence option 'colour'"),
])
def test_empty_or_invalid_values_are_named_as_such(options, message):
    """Issue 17 §1 and §7: an empty binding, or a known option with a wrong value, says so."""
    with pytest.raises(BlockError, match=message):
        parse_options(options, (Path("page.md"), 4))


def test_data_attributes_in_the_brace_form_are_accepted():
    """Issue 17 §7: SuperFences passes data-* on with attr_list; so do the checks."""
    assert parse_options('{.python data-copy="print(1)" project="tiny"}', (Path("p.md"), 1)) == {"project": "tiny"}


def test_a_bad_fence_is_reported_and_the_scan_goes_on_when_errors_are_collected():
    errors = []
    _, blocks = scan(Path("page.md"), '```bash skip=""\na\n```\n\n--8<-- "nowhere.sh"\n\n```bash skip="why"\nb\n```\n',
                     EXPANDER, errors=errors)
    assert sorted((e.line, e.message.split(":")[0]) for e in errors) == [(1, 'fence option skip="" is empty'),
                                                                  (5, "snippet cannot be included")]
    assert [b.code for b in blocks] == ["b\n"]


@pytest.mark.parametrize(("front", "line", "message"), [
    ("project: 123", 2, "front matter 'project' must be the name of a folder under examples/"),
    ("title: x\nsetup: 5", 3, "front matter 'setup' must be a shell command"),
    ("setup: [1, 2]", 2, "it reads as a list"),
    ("project: true", 2, "a boolean"),
    ('project: ""', 2, "it reads as empty"),
    ("- a\n- b", 2, "must be 'key: value' lines; it reads as a list"),
    ("key: [unclosed", 2, "not valid YAML"),
])
def test_front_matter_of_the_wrong_type_is_an_error_at_its_line(front, line, message):
    """Issue 17 §1: `project: 123` or `setup: 5` no longer crash collection; they name the line."""
    with pytest.raises(BlockError, match=message) as caught:
        scan(Path("page.md"), f"---\n{front}\n---\n# T\n", EXPANDER)
    assert caught.value.line == line


def test_console_and_pycon_blocks_without_a_prompt_are_refused():
    """Issue 17 §3: a block that would run nothing must not pass as tested."""
    for text, message in (('```console project="tiny"\nls\n```\n', "no '\\$ ' line"),
                          ('```pycon project="tiny"\n1 + 1\n```\n', "no '>>> ' line")):
        _, blocks = blocks_of(text)
        with pytest.raises(BlockError, match=message):
            check(blocks[0], SITE / "examples")


def test_brace_attributes_are_read_too():
    assert parse_options('{.bash project="tiny"}', (Path("p.md"), 1)) == {"project": "tiny"}


@pytest.mark.parametrize(("text", "message"), [
    ("```bash\necho\n```\n", "bound to no example project"),
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
