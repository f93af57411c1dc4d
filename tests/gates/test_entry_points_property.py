"""§1 of issue 17: pages generated from a grammar of valid and broken pieces, fed to all four
entry points (`workshop check`, `workshop blocks`, the pytest collection of the blocks, the strict
build). None may raise anything but the project's own errors; each error names the page and a
line within it; and the build fails exactly when `workshop check` finds an error.

`make test` runs a bounded number of examples; `WK_PROPERTY_EXAMPLES=500` (as `make bench` does)
runs longer.
"""

from __future__ import annotations

import os
import shutil

from gate_sites import PROBLEM_LINE, build_in_process, write_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.exceptions import Abort

from workshop_kit.blocks.index import read_site as read_blocks
from workshop_kit.blocks.model import BlockError
from workshop_kit.checks.run import run_checks
from workshop_kit.cli.blocks import list_blocks
from workshop_kit.site_config import snippet_settings

EXAMPLES = int(os.environ.get("WK_PROPERTY_EXAMPLES", "12"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, derandomize="WK_PROPERTY_EXAMPLES" not in os.environ,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])

FRONT_MATTER = st.sampled_from([
    "", "---\nproject: demo\n---\n", "---\ntitle: T\n---\n", "---\nproject: 123\n---\n", "---\nsetup: 5\n---\n",
    "---\nsetup: [1, 2]\n---\n", "---\nproject: true\n---\n", "---\nproject: \"\"\n---\n",
    "---\nproject: [unclosed\n---\n", "---\n- a list\n---\n", "---\nproject: nowhere\n---\n",
    "---\nproject: demo\nsetup: \"true\"\n---\n",
])
HEADER = st.sampled_from([
    'bash project="demo"', 'bash skip="needs a cloud account"', 'bash skip=""', 'bash skip="   "', 'bash project=""',
    'bash serves=""', 'bash foo="x"', 'bash project="nowhere"', 'bash project="demo" skip="x"', 'bash project="demo',
    '{.bash data-copy="x" project="demo"}', '{.bash colour="red" project="demo"}', 'bash hl_lines="unexpected 3"',
    'python linenums="abc" project="demo"', 'bash', '', 'text', 'console project="demo"', 'pycon project="demo"',
    'yaml project="demo" title="params.yaml"', "bash project", "console skip='why'",
])
BODY = st.sampled_from([
    "echo hi", "$ echo hi\nhi", ">>> 1 + 1\n2", "dvc studio login --token abc", "$ dvc pul", "epochs: 3",
    "no prompt here", "", "--8<-- \"note.md\"", "--8<-- \"missing.md\"", "dvc exp run --bogus",
])
TIMING_ROW = st.sampled_from([
    "| 09:00 - 09:30 | Welcome | talk |", "| 30 min | Build | hands-on |", "| 10:00 - 09:00 | Backwards | talk |",
    "| soon | Unreadable | talk |", "| 09:10 - 09:40 | Overlap | talk |", "| 15 min | Coffee | break |",
    "| 10 min | Odd | party |", "| day | Day 2 | day |",
])
TIMING_OPTION = st.sampled_from(['    start: "09:00"', "    slot: 1 h", "    slot: 0 min", "    total: 2 h",
                                 "    bogus: 1", "    start: [", '    id: "a"', "    clock: 13h"])


@st.composite
def fence(draw, indent: str = "") -> str:
    header, body = draw(HEADER), draw(BODY)
    lines = [f"```{header}", *body.splitlines(), "```"] if draw(st.booleans()) or header else ["```bash", body]
    return "\n".join(indent + line if line else "" for line in lines)


@st.composite
def timing(draw) -> str:
    options = draw(st.lists(TIMING_OPTION, max_size=3))
    rows = draw(st.lists(TIMING_ROW, min_size=0, max_size=4))
    closed = draw(st.booleans()) or not rows
    return "\n".join(["/// timing | Day", *options, "", "| Time | Session | Kind |", "| --- | --- | --- |", *rows]
                     + (["///"] if closed or draw(st.booleans()) else []))


CHECKLIST = st.sampled_from([
    "- [ ] Check the room", "- [ ] Check the room\n- [ ] Check the room", "- [ ]", "- [x] INTERACTIVE: Try it",
    "- [ ] Do it <!-- note -->", "    - [ ] nested", "- [ ] Press <kbd>Ctrl</kbd>",
])
PIECE = st.one_of(
    st.sampled_from(["# Title", "## Section", "Some prose.", "--8<-- \"note.md\"", "--8<-- \"missing.md\"",
                     "!!! note", "=== \"Tab\"", "    indented code", "<!-- comment -->",
                     "/// details | Example\nText\n///"]),
    fence(), fence("    ").map(lambda f: "!!! note\n\n" + f), fence("    ").map(lambda f: "- item\n\n" + f),
    timing(), timing().map(lambda t: "\n".join("    " + line for line in t.splitlines())), CHECKLIST,
)
PAGE = st.tuples(FRONT_MATTER, st.lists(PIECE, max_size=8)).map(lambda t: t[0] + "\n\n".join(t[1]) + "\n")


def _in_page(line: int | None, length: int) -> bool:
    return line is not None and 1 <= line <= max(length, 1)


@PROPERTY
@given(page=PAGE)
def test_every_entry_point_reports_with_a_line_and_never_raises(tmp_path_factory, page):
    root = tmp_path_factory.mktemp("gate")
    config = write_site(root, {"index.md": page})
    length = len(page.splitlines())
    # 1. workshop check
    problems = run_checks(root)
    errors = [p for p in problems if p.severity == "error"]
    for problem in errors:
        assert str(problem.path) == "docs/index.md" and _in_page(problem.line, length), problem.text
    # 2. workshop blocks
    for row in list_blocks(root):
        assert row["page"] == "docs/index.md" and _in_page(row["line"], length), row
    # 3. the pytest collection of the site's blocks (what pytest_plugin reads)
    from workshop_kit.site_config import load_config

    blocks = read_blocks(root, root / "docs", root / "examples", snippet_settings(load_config(config), root), None)
    for found in blocks.pages.values():
        assert found.error is None or (isinstance(found.error, BlockError) and _in_page(found.error.line, length))
    # 4. the strict build, with the page checks wired in
    result = build_in_process(config, root / "site")
    assert result.exception is None or isinstance(result.exception, Abort), repr(result.exception)
    ours = [m for m in result.warnings if PROBLEM_LINE.search(m)]
    for message in ours:
        match = PROBLEM_LINE.search(message)
        assert match.group("path") == "docs/index.md" and _in_page(int(match.group("line")), length), message
    assert {p.text for p in errors} <= {m.removeprefix("workshop_kit: ") for m in ours}
    assert (result.exception is not None) == bool(errors), (result.warnings, [p.text for p in errors])
    # 5. what the build published: no extension marker left in the page (a code sample showing the
    # syntax stays text, and processed tables replace their markers)
    if result.exception is None:
        assert "wk-timing-marker" not in (root / "site" / "index.html").read_text()
    shutil.rmtree(root, ignore_errors=True)
