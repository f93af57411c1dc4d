from hypothesis import given
from hypothesis import strategies as st

from workshop_kit.blocks.matching import explain, matches

lines = st.lists(st.text(st.characters(blacklist_categories=["Cs", "Zl", "Zp", "Cc"]), max_size=20), max_size=8)


@given(lines)
def test_any_output_matches_itself_literally(actual):
    expected = [line.replace("...", "") for line in actual]
    actual = [line.replace("...", "") for line in actual]
    assert matches([e for e in expected if not e.endswith(" (re)")], [a for a in actual if not a.endswith(" (re)")])


@given(lines)
def test_a_lone_ellipsis_matches_any_output(actual):
    assert matches(["..."], actual)


@given(lines, st.text(min_size=1, max_size=5).filter(lambda s: "..." not in s and not s.endswith(" (re)")))
def test_an_extra_expected_line_never_matches(actual, extra):
    clean = [line.replace("...", "") for line in actual if not line.endswith(" (re)")]
    assert not matches(clean + [extra + "x" * 30], clean)


def test_wildcards_inside_a_line_and_regex_lines():
    assert matches(["took ... s", r"\d+ files (re)"], ["took 1.23 s", "42 files"])
    assert not matches([r"\d+ files (re)"], ["many files"])
    assert matches(["start", "...", "end"], ["start", "a", "b", "end"])
    assert matches(["start", "...", "end"], ["start", "end"])
    assert not matches(["start", "end"], ["start", "noise", "end"])


def test_trailing_spaces_are_not_differences():
    assert matches(["a  "], ["a"])


def test_explain_shows_a_diff():
    assert "-want" in explain(["want"], ["got"]) and "+got" in explain(["want"], ["got"])


def test_a_tab_in_the_output_matches_the_spaces_the_page_shows():
    """`git remote -v` prints a tab; the page (Python-Markdown expands tabs at 4 columns) shows spaces."""
    import markdown as md

    shown = md.Markdown().preprocessors["normalize_whitespace"].run(["origin\t../x.git (fetch)"])[0]
    assert shown == "origin  ../x.git (fetch)"
    assert matches([shown], ["origin\t../x.git (fetch)"])
    assert not matches(["origin ../x.git (fetch)"], ["origin\t../x.git (fetch)"])


def test_ansi_colour_codes_are_shown_not_sent_to_the_terminal():
    """A coloured `red` and a plain one look identical in a terminal: the diff names the codes."""
    from pathlib import Path

    from workshop_kit.blocks.model import Block
    from workshop_kit.blocks.report import describe_failure
    from workshop_kit.blocks.session import BlockFailure

    diff = explain(["red"], ["\x1b[31mred\x1b[0m"])
    assert "+\u241b[31mred\u241b[0m" in diff
    assert "note: the command printed ANSI escape codes (shown as \u241b)" in diff
    assert "\x1b" not in diff
    block = Block(Path("docs/page.md"), 3, "console", "$ ls --color=always\nred\n")
    failure = BlockFailure(block, "the output differs", command="ls --color=always",
                           output="\x1b[31mred\x1b[0m\n", detail=diff)
    report = describe_failure(failure, [Path("docs/page.md")])
    assert "\x1b" not in report
    assert "\u241b[31mred" in report
