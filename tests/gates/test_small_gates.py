"""§6 of issue 17, the smaller gates: config split with INHERIT, timing options and kinds,
duplicate table ids, and what a lenient page may not hide."""

from __future__ import annotations

from gate_sites import EXTENSIONS, write_site

from workshop_kit.checks.run import run_checks
from workshop_kit.checks.site import read_site
from workshop_kit.cli.blocks import list_blocks
from workshop_kit.extensions.timing.agenda import normalise_kind


def test_a_config_split_with_inherit_and_env_keeps_its_snippet_settings(tmp_path, monkeypatch):
    """mkdocs.yml read by MkDocs' own loader: `INHERIT:` and `!ENV` as in a build."""
    write_site(tmp_path, {"index.md": '---\nproject: demo\n---\n\n```yaml title="params.yaml"\n'
                                      '--8<-- "demo/params.yaml"\n```\n'}, hook=False)
    (tmp_path / "base.yml").write_text(EXTENSIONS)
    (tmp_path / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: !ENV [SITE_NAME, Split]\n"
                                         "docs_dir: docs\nplugins:\n  - workshop\n")
    site = read_site(tmp_path)
    assert str(tmp_path / "examples") in site.snippets["base_path"]
    rows = list_blocks(tmp_path)
    assert rows[0]["status"] == "run"
    from workshop_kit.blocks.collect import SnippetExpander
    from workshop_kit.checks.bindings import page_blocks

    _, blocks = page_blocks(site, tmp_path / "docs/index.md", (tmp_path / "docs/index.md").read_text(),
                            SnippetExpander(site.snippets))
    assert blocks[0].code.strip() == "epochs: 3"  # expanded, not silently empty
    assert [p for p in run_checks(tmp_path) if p.severity == "error"] == []


def test_the_french_kind_labels_the_site_displays_are_accepted():
    assert [normalise_kind(k) for k in ("Exposé", "Pratique", "Pause", "Déjeuner", "Démo", "Jour")] == [
        "talk", "hands-on", "break", "lunch", "demo", "day"]


TABLE = "| Time | Session | Kind |\n| --- | --- | --- |\n| 30 min | A | talk |\n///\n"


def test_a_zero_slot_says_so_at_the_option_line(tmp_path):
    write_site(tmp_path, {"index.md": "# A\n\n/// timing\n    start: \"09:00\"\n    slot: 0 min\n\n" + TABLE},
               hook=False)
    problem, = [p for p in run_checks(tmp_path) if p.check == "timing"]
    assert problem.line == 5 and "'0 min' is zero" in problem.message and "a row must last" not in problem.message


def test_two_tables_with_one_id_are_refused(tmp_path):
    table = "/// timing\n    start: \"09:00\"\n    id: day\n\n" + TABLE
    write_site(tmp_path, {"index.md": "# A\n\n" + table + "\n" + table}, hook=False)
    problem, = [p for p in run_checks(tmp_path) if p.check == "timing"]
    assert problem.line == 12 and "id 'day'" in problem.message


def test_an_empty_checklist_item_is_refused_with_its_line(tmp_path):
    write_site(tmp_path, {"index.md": "# A\n\n- [ ] One\n- [ ]\n"}, hook=False)
    problem, = run_checks(tmp_path)
    assert (problem.line, problem.check) == (4, "checklist") and "without text" in problem.message


def test_gap_warnings_reach_the_speaker_view_only():
    """A gap is a warning for the speaker: no participant-visible text or tooltip names it."""
    import markdown
    from bs4 import BeautifulSoup

    from workshop_kit.extensions.timing.extension import TimingExtension

    page = ("/// timing\n    start: \"09:00\"\n\n| Time | Session | Kind |\n| --- | --- | --- |\n"
            "| 09:00 - 09:30 | A | talk |\n| 10:00 - 10:30 | B | talk |\n///\n")
    html = markdown.Markdown(extensions=["tables", TimingExtension(reporter=lambda *_: None)]).convert(page)
    soup = BeautifulSoup(html, "html.parser")
    assert "gap of 30 min" in soup.select_one(".wk-timing-problems.speaker").get_text()
    for element in soup.select(".speaker"):
        element.decompose()
    assert "gap" not in soup.get_text() and "gap" not in str(soup).replace("wk-timing-warning", "")
