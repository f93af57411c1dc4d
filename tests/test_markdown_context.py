"""Ordinary Markdown stays ordinary (issue 17 §7): helpers the extensions use to tell a code
sample or an author's harmless HTML from what they must process or escape."""

import pytest

from workshop_kit.extensions.markdown_context import harmless_inline_html, in_indented_code


def where(text: str) -> list[int]:
    lines = text.splitlines()
    return [i + 1 for i, line in enumerate(lines) if "/// timing" in line and in_indented_code(lines, i)]


def test_a_timing_example_in_an_indented_code_block_is_code():
    assert where("The syntax:\n\n    /// timing | Day\n        start: \"09:00\"\n    ///\n") == [3]


def test_timing_tables_inside_containers_are_content():
    assert where('!!! note\n\n    /// timing\n    ///\n') == []
    assert where('=== "Day"\n\n    /// timing\n    ///\n') == []
    assert where("- item\n\n    /// timing\n    ///\n") == []
    assert where("/// timing\n///\n") == []


def test_code_inside_a_container_is_indented_once_more():
    assert where("!!! note\n\n    Example:\n\n        /// timing\n        ///\n") == [5]


def test_a_lazy_paragraph_continuation_is_not_code():
    assert where("Some text\n    /// timing\n") == []


@pytest.mark.parametrize("raw", ["<!-- note -->", "<kbd>", "</kbd>", "<em>", '<span class="x">', "<br/>"])
def test_comments_and_formatting_are_harmless(raw):
    assert harmless_inline_html(raw)


@pytest.mark.parametrize("raw", ["<script>", '<img src=x onerror="alert(1)">', '<a href="javascript:alert(1)">',
                                 "<iframe>", '<span onclick="x()">', '<span style="x">', "<!-- a --> <script> -->"])
def test_what_can_run_is_not(raw):
    assert not harmless_inline_html(raw)


def test_a_closed_block_or_fence_above_is_not_a_container():
    """A bare `///` closes a block and a closed fence is over: neither makes the indented example
    below it content (found by review: both made the sample a real timing table)."""
    assert where("/// timing\n| a |\n///\n\n    /// timing\n    ///\n") == [5]
    assert where("```bash\necho hi\n```\n\n    /// timing\n    ///\n") == [5]
    assert where("/// details | Example\n\n    /// timing\n    ///\n///\n") == [3]


def test_an_example_inside_an_open_fence_is_the_fence_s():
    assert where("````markdown\n\n    /// timing\n````\n") == []
