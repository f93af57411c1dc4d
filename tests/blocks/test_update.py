"""Update mode, without running anything: the merge of expected and actual output, a block's
rewritten code, and a page's rewritten text."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop_kit.blocks.collect import SnippetExpander, scan
from workshop_kit.blocks.console import StepOutput, parse_console, parse_pycon
from workshop_kit.blocks.matching import matches
from workshop_kit.blocks.update import Target, literal, merge, rewrite_text, updated_code

# --- merge -------------------------------------------------------------------------------------


def test_expected_output_that_matches_is_kept_as_written():
    expected = ["step 1", "...", "took ... s", r"\d+ files (re)"]
    assert merge(expected, ["step 1", "a", "b", "took 3 s", "12 files"]) == expected


def test_wildcard_lines_that_still_match_are_kept_and_the_rest_replaced():
    expected = ["step 1", "...", "step 11", "step 99", "took ... s", r"[A-Z][a-z]+ \d+ (re)", "done"]
    actual = ["step 1", *[f"step {n}" for n in range(2, 13)], "took 1.5 s", "Epoch 7", "finished"]
    assert merge(expected, actual) == ["step 1", "...", "step 11", "step 12", "took ... s",
                                       r"[A-Z][a-z]+ \d+ (re)", "finished"]


def test_a_wildcard_that_no_longer_matches_is_replaced():
    assert merge(["took ... s", r"\d+ files (re)"], ["took 3 min", "many files"]) == ["took 3 min", "many files"]


def test_a_replaced_line_beside_an_ellipsis_is_not_swallowed_by_it():
    assert merge(["start", "...", "end"], ["begin", "a", "b", "end"]) == ["begin", "...", "end"]


def test_missing_output_is_filled_and_extra_expected_lines_are_dropped():
    assert merge([], ["one", "two"]) == ["one", "two"]
    assert merge(["one", "two", "three"], ["one", "three"]) == ["one", "three"]
    assert merge(["one"], []) == []


def test_an_ellipsis_is_kept_even_when_it_covers_nothing():
    assert merge(["...", "old"], []) == ["..."]


def test_actual_lines_that_would_read_as_wildcards_are_written_as_exact_regexes():
    new = merge([], ["...", "tick (re)", "Loading...", "trailing  "])
    assert new[2:] == ["Loading...", "trailing"]
    assert new[0].endswith(" (re)") and new[1].endswith(" (re)")
    assert matches(new, ["...", "tick (re)", "Loading...", "trailing"])
    assert not matches(new, ["x", "tick (re)", "Loading...", "trailing"])


def test_an_invalid_regex_line_is_replaced():
    assert merge(["[unclosed (re)"], ["[unclosed"]) == ["[unclosed"]


# Lines built from few characters, so expected and actual lines often coincide, and wildcards,
# regexes and lines that look like them are frequent.
_text = st.text(alphabet="ab .()re\\d+", max_size=8)
_expected_line = st.one_of(_text, st.just("..."), _text.map(lambda t: t + "..."),
                           st.sampled_from([r"a+ (re)", r"\d (re)", r"b.* (re)", "[ (re)", "a ... b"]))
_actual = st.lists(st.one_of(_text, st.sampled_from(["...", "a (re)", "aa", "1", "bxx", "a b"])), max_size=8)


@settings(max_examples=400, deadline=None)
@given(st.lists(_expected_line, max_size=8), _actual)
def test_the_merged_output_always_matches_the_actual_output(expected, actual):
    assert matches(merge(expected, actual), actual)


@settings(max_examples=400, deadline=None)
@given(st.lists(_expected_line, max_size=8), _actual)
def test_updating_twice_changes_nothing_more(expected, actual):
    once = merge(expected, actual)
    assert merge(once, actual) == once


@settings(max_examples=200, deadline=None)
@given(st.lists(_expected_line, max_size=8), _actual)
def test_every_ellipsis_line_of_the_author_is_kept_and_no_other_appears(expected, actual):
    merged = merge(expected, actual)
    assert [line for line in merged if line == "..."] == [line for line in expected if line == "..."]


@given(st.text(st.characters(blacklist_categories=["Cs", "Zl", "Zp", "Cc"]), max_size=20))
def test_a_literal_line_matches_exactly_its_actual_line(line):
    assert matches([literal(line)], [line])


# --- one block ---------------------------------------------------------------------------------


def out(*lines, code=0, matched=False):
    return StepOutput(list(lines), code, matched)


def test_console_exit_code_lines_are_added_removed_and_kept():
    code = "$ python count.py\nusage: count.py N\n\n$ false\n[2]\n$ true\n[0]\n"
    new = updated_code("console", code, [out("usage: count.py N", code=3), out(code=1), out()])
    assert new == "$ python count.py\nusage: count.py N\n[3]\n\n$ false\n[1]\n$ true\n[0]\n"
    new = updated_code("console", "$ false\n[2]\n", [out()])
    assert new == "$ false\n"


def test_a_block_that_matches_is_returned_unchanged():
    code = "$ echo hi\nh. (re)\n"
    assert updated_code("console", code, [out("hi", matched=True)]) is code


def test_console_output_that_would_read_as_a_prompt_or_an_exit_code_reads_back():
    lines = ["$ not a command", "[2]"]
    new = updated_code("console", "$ cat notes\n", [out(*lines)])
    step, = parse_console(new)
    assert step.source == "cat notes" and step.exit_code == 0 and matches(step.expected, lines)
    new = updated_code("console", "$ cat notes\n", [out("> quoted", "```", "  ")])
    step, = parse_console(new)
    assert step.source == "cat notes" and matches(step.expected, ["> quoted", "```", "  "])


def test_pycon_output_is_filled_in_and_prompt_like_lines_read_back():
    code = ">>> total = 6\n>>> total * 7\n>>> print('>>> x')\n"
    new = updated_code("pycon", code, [out(), out("42"), out(">>> x")])
    steps = parse_pycon(new)
    assert new.startswith(">>> total = 6\n>>> total * 7\n42\n>>> print('>>> x')\n")
    assert [s.source for s in steps] == ["total = 6", "total * 7", "print('>>> x')"]
    assert matches(steps[2].expected, [">>> x"])


def test_a_continued_command_keeps_its_continuation_lines():
    code = "$ printf 'a\\n' \\\n> && echo b\nwrong\n"
    assert updated_code("console", code, [out("a", "b")]) == "$ printf 'a\\n' \\\n> && echo b\na\nb\n"


# --- one page ---------------------------------------------------------------------------------

PAGE = """\
---
project: tiny
---

# Title  \n\
!!! note "Nested"

    ```console
    $ echo one
    two
    ```

- item

    ```pycon
    >>> 1 + 1
    ```

```bash
echo untouched
```
"""


def page_blocks(text):
    return scan(Path("page.md"), text, SnippetExpander({}))[1]


def test_a_page_is_rewritten_only_inside_the_changed_outputs_with_the_blocks_indentation():
    blocks = page_blocks(PAGE)
    update = rewrite_text(PAGE, blocks, [Target(0, blocks[0], [out("one")]), Target(1, blocks[1], [out("2")])])
    assert update.text == PAGE.replace("    two\n", "    one\n").replace("    >>> 1 + 1\n", "    >>> 1 + 1\n    2\n")
    assert [b.code for b in page_blocks(update.text)] == [update.codes[0], update.codes[1], blocks[2].code]


@pytest.mark.parametrize("ending", ["\r\n", "\n"])
@pytest.mark.parametrize("final_newline", [True, False])
def test_line_endings_and_the_last_newline_are_kept(ending, final_newline):
    text = PAGE.replace("\n", ending)
    if not final_newline:
        text = text.removesuffix(ending)
    blocks = page_blocks(text)
    update = rewrite_text(text, blocks, [Target(1, blocks[1], [out("2", "3")])])
    assert update.text == text.replace(f"    >>> 1 + 1{ending}", f"    >>> 1 + 1{ending}    2{ending}    3{ending}")


def test_a_block_included_from_a_snippet_is_left_alone_with_a_note(tmp_path):
    (tmp_path / "hello.console").write_text("$ echo hello\nhullo\n")
    text = '# Page\n\n```console project="tiny"\n--8<-- "hello.console"\n```\n'
    blocks = scan(Path("page.md"), text, SnippetExpander({"base_path": [str(tmp_path)]}))[1]
    update = rewrite_text(text, blocks, [Target(0, blocks[0], [out("hello")])])
    assert update.text == text and not update.codes
    note, = update.notes
    assert "page.md:3: the console block's code comes from a --8<-- snippet" in note
    assert "    $ echo hello\n    hello" in note


def test_a_block_that_changed_while_it_ran_is_not_rewritten():
    blocks = page_blocks(PAGE)
    ran = page_blocks(PAGE.replace("$ echo one", "$ echo three"))[0]
    update = rewrite_text(PAGE, blocks, [Target(0, ran, [out("three")])])
    assert update.text == PAGE and "changed while its session ran" in update.notes[0]
