"""Issue 16: a checklist item nested by fewer than 4 spaces renders flat in Python-Markdown, with no
warning. The outline records each item's indent and its parent's; the checklist check rejects the
shallow ones at their line (the broken-pages corpus proves the build says the same)."""

from __future__ import annotations

import markdown
import pytest

from workshop_kit.checks.outline import outline


def shallow(text: str) -> list[int]:
    return [t.line for t in outline(text, []).tasks
            if t.parent_indent is not None and 0 < t.indent - t.parent_indent < 4]


@pytest.mark.parametrize("spaces", [1, 2, 3])
def test_an_item_nested_by_fewer_than_four_spaces_is_found_at_its_line(spaces):
    text = f"# Page\n\n- [ ] Room\n{' ' * spaces}- [ ] Projector\n"
    assert shallow(text) == [4]


@pytest.mark.parametrize("spaces", [1, 2, 3])
def test_python_markdown_does_render_those_flat(spaces):
    """The reason for the check, asked of Python-Markdown itself: if it ever nests them, drop it."""
    html = markdown.markdown(f"- Room\n{' ' * spaces}- Projector\n")
    assert html.count("<ul>") == 1


def test_four_spaces_nest_and_are_accepted():
    text = "# Page\n\n- [ ] Room\n    - [ ] Projector\n        - [ ] Cable\n"
    assert shallow(text) == []
    assert [t.depth for t in outline(text, []).tasks] == [0, 1, 2]
    assert markdown.markdown("- Room\n    - Projector\n").count("<ul>") == 2


def test_a_shallow_item_under_a_plain_or_numbered_item_is_found():
    assert shallow("# Page\n\n1. Before the day\n  - [ ] Book the room\n") == [4]
    assert shallow("# Page\n\n- Before the day\n  - [ ] Book the room\n") == [4]


def test_the_second_level_counts_from_its_own_parent():
    text = "# Page\n\n- [ ] Room\n    - [ ] Projector\n      - [ ] Cable\n"
    assert shallow(text) == [5]


def test_lists_apart_and_fenced_lists_are_not_confused():
    # A new list after a heading or a paragraph has no parent; a list in a fence is code.
    text = ("# Page\n\n- [ ] Room\n\n## Next\n\n  - [ ] Indented top item\n\nText.\n\n"
            "```markdown\n- [ ] a\n  - [ ] b\n```\n")
    assert shallow(text) == []


def test_inside_an_admonition_nesting_is_relative_to_its_content():
    text = "# Page\n\n!!! note\n    - [ ] Room\n      - [ ] Projector\n        - [ ] Fine\n"
    assert shallow(text) == [5]
