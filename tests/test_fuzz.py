"""Free-form input never raises anything but the project's own documented errors."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workshop_kit.blocks.collect import parse_options, scan
from workshop_kit.blocks.model import BlockError
from workshop_kit.checks.outline import outline
from workshop_kit.extensions.checklist import ChecklistExtension, item_id
from workshop_kit.extensions.timing.agenda import TimingError
from workshop_kit.extensions.timing.extension import TimingExtension

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Lines that look like the syntax the parsers care about, mixed with anything at all.
syntax_line = st.one_of(
    text.map(lambda t: t.replace("\n", " ")),
    st.sampled_from(["/// timing", "/// timing | Day", "///", "    start: \"09:00\"", "    slot: 2 h", "    total: x",
                     "| Time | Session | Kind |", "| --- | --- | --- |", "| 10 min | Talk | talk |",
                     "| 09:00 - 09:30 | A | break |", "| day | Day 2 | day |", "```bash", "```", "~~~", "````",
                     "- [ ] INTERACTIVE: x", "- [x] item", "    - [ ] nested", "## Heading", "!!! speaker", "---"]),
)
front_matter = st.one_of(st.just(""), st.lists(st.sampled_from(
    ["project: demo", "setup: x.sh", "key: [unclosed", "a: b: c", "- list", "translated_from: abc", "{"]),
    max_size=3).map(lambda lines: "---\n" + "\n".join(lines) + "\n---\n"))
page = st.tuples(front_matter, st.lists(syntax_line, max_size=30).map("\n".join)).map("".join)


@FUZZ
@given(text)
def test_fence_options_parse_or_raise_a_block_error(options):
    try:
        parsed = parse_options(options, (Path("page.md"), 3))
    except BlockError as err:
        assert err.line == 3 and err.message
        return
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in parsed.items())


@FUZZ
@given(text, st.lists(text, max_size=4))
def test_checklist_ids_are_ten_hex_digits_and_ignore_case_and_spacing(item, headings):
    identifier = item_id(item, headings)
    assert re.fullmatch(r"[0-9a-f]{10}", identifier)
    assert item_id(" ".join(item.split()), [" ".join(h.split()) for h in headings]) == identifier


@FUZZ
@given(page)
def test_pages_render_with_problems_reported_never_raised(source):
    problems = []
    md = markdown.Markdown(extensions=[
        "tables", "pymdownx.superfences", "pymdownx.tasklist",
        TimingExtension(reporter=lambda problem, _page: problems.append(problem)),
        ChecklistExtension(reporter=lambda message, _page: problems.append(message)),
    ])
    logging.disable(logging.WARNING)
    try:
        md.convert(source)
    finally:
        logging.disable(logging.NOTSET)
    assert all(isinstance(p, (TimingError, str)) for p in problems)


@FUZZ
@given(page)
def test_block_scanning_and_outlines_raise_only_block_errors(source):
    for read in (lambda: outline(source, ["INTERACTIVE", "SPEAKER", "PREP"]), lambda: scan(Path("page.md"), source)):
        try:
            read()
        except BlockError as err:
            assert err.line >= 1 and err.message
