"""Issue 17 gates wired into plugin.py, timing/extension.py and checklist.py: the build's own
lines under i18n, syntax shown in indented code, harmless HTML in checklist items."""

from __future__ import annotations

import markdown
from gate_sites import build_subprocess, write_site

import workshop_kit.extensions.checklist as checklist
import workshop_kit.extensions.timing.extension as extension

AGENDA = ("---\ntitle: Agenda\nproject: demo\ndescription: long front matter\n---\n\n# Agenda\n\n/// timing\n"
          "    start: \"09:00\"\n\n| Time | Session | Kind |\n| --- | --- | --- |\n| 09:00 - 10:00 | First | talk |\n"
          "| 09:30 - 10:30 | Second | talk |\n///\n")


def test_under_i18n_the_build_and_the_page_give_the_line_in_the_file(tmp_path):
    config = write_site(tmp_path, {"index.md": AGENDA, "index.fr.md": AGENDA}, i18n=True, hook=False)
    built = build_subprocess(config, tmp_path / "site")
    assert "docs/index.md:15: timing: 'Second'" in built.stderr and "docs/index.fr.md:15: timing:" in built.stderr
    assert "index.md:15" in (tmp_path / "site/index.html").read_text()
    assert built.stderr.count("overlaps") == 2  # once per page, not twice


def test_an_option_error_shown_on_the_page_gives_the_line_in_the_file(tmp_path):
    """The page's message names the same file:line as the log, front matter counted."""
    page = AGENDA.replace('    start: "09:00"\n', '    start: "09:00"\n    colour: red\n')
    config = write_site(tmp_path, {"index.md": page, "index.fr.md": page}, i18n=True, hook=False)
    built = build_subprocess(config, tmp_path / "site")
    assert "docs/index.md:11: timing: unknown option(s) colour" in built.stderr
    assert "index.md:11: unknown option(s) colour" in (tmp_path / "site/index.html").read_text()


def test_a_timing_example_in_an_indented_code_block_stays_code():
    problems = []
    md = markdown.Markdown(extensions=["tables", extension.TimingExtension(reporter=lambda p, _: problems.append(p))])
    html = md.convert("The syntax:\n\n    /// timing\n    | Time | Session | Kind |\n    | --- | --- | --- |\n"
                      "    | 10 min | A | party |\n    ///\n")
    assert "wk-timing-marker" not in html and "<table>" not in html and problems == []


def test_a_comment_in_a_task_item_stays_a_comment_and_kbd_stays_kbd():
    md = markdown.Markdown(extensions=["pymdownx.tasklist", checklist.ChecklistExtension()])
    html = md.convert("- [ ] Do it <!-- note -->\n- [ ] Press <kbd>Ctrl</kbd>\n- [ ] Not <script>alert(1)</script>\n")
    assert "&lt;!--" not in html and "<kbd>Ctrl</kbd>" in html and "&lt;script&gt;" in html
