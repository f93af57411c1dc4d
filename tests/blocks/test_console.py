from workshop_kit.blocks.console import parse_console, parse_pycon


def test_console_steps_with_continuation_output_and_exit_code():
    steps = parse_console("$ echo one \\\n> two\none two\n$ false\n[1]\n\n$ true\n")
    assert [s.source for s in steps] == ["echo one \\\ntwo", "false", "true"]
    assert steps[0].expected == ["one two"] and steps[0].exit_code == 0
    assert steps[1].expected == [] and steps[1].exit_code == 1
    assert steps[2].expected == []


def test_text_before_the_first_prompt_is_not_a_step():
    assert parse_console("# a comment\n$ ls\n") [0].source == "ls"
    assert len(parse_console("# a comment\n$ ls\n")) == 1


def test_pycon_statements_continuations_and_output():
    steps = parse_pycon(">>> for i in range(2):\n...     print(i)\n...\n0\n1\n>>> x = 3\n>>> x\n3\n\n")
    assert steps[0].source == "for i in range(2):\n    print(i)\n"
    assert steps[0].expected == ["0", "1"]
    assert steps[1].source == "x = 3" and steps[1].expected == []
    assert steps[2].expected == ["3"]


def test_steps_know_where_their_output_lines_are():
    code = "$ echo one \\\n> two\none two\n\n$ false\nno\n[1]\n\n$ true\n"
    lines = code.splitlines()
    first, second, third = parse_console(code)
    assert lines[first.output:first.output + first.lines] == ["one two"] and not first.exit_line
    assert lines[second.output:second.output + second.lines] == ["no", "[1]"] and second.exit_line
    assert (third.output, third.lines) == (len(lines), 0)
    steps = parse_pycon(">>> for i in range(2):\n...     print(i)\n0\n1\n\n>>> x = 3\n")
    assert (steps[0].output, steps[0].lines) == (2, 2) and (steps[1].output, steps[1].lines) == (6, 0)
