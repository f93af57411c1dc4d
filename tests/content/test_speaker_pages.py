"""The speaker's pages against their sources (issue 25): what the site changed or added is said as such.

Each test reads the pages as they are and the source documents under /work/shared/seeds/ (or the
copy in `WORKSHOP_KIT_SEEDS`); a test whose source is missing is skipped, with the reason.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs"
SEEDS = Path(os.environ.get("WORKSHOP_KIT_SEEDS", "/work/shared/seeds"))


def seed(name: str) -> str:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"source document {path} is not here")
    return path.read_text(encoding="utf-8")


def page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def timing_rows(text: str) -> list[list[str]]:
    """The cells of every row of the page's timing tables (header and separator left out)."""
    rows, inside = [], False
    for line in text.splitlines():
        if line.startswith("/// timing"):
            inside, header = True, True
        elif inside and line.strip() == "///":
            inside = False
        elif inside and line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if header:
                header = False
            elif not set("".join(cells)) <= set("-: "):
                rows.append(cells)
    return rows


# --- ML tooling day ------------------------------------------------------------------------------

def test_the_tooling_day_guide_names_the_curation_tool_the_source_names_and_adds_no_check():
    named = re.search(r"curated with help from (\w+)", seed("ml-tooling-day-run-of-show.md"))
    assert named, "the source no longer says which tool helped curate the demo material"
    tool = named.group(1)
    english, french = page("ml-tooling-day/speaker-guide.md"), page("ml-tooling-day/speaker-guide.fr.md")
    assert f"curated with help from {tool}" in english
    assert f"avec l'aide de {tool}" in french
    assert "then checked" not in english.lower()
    assert "puis vérifié" not in french.lower()


def test_the_tooling_day_agenda_says_its_changed_break_row_in_a_visible_speaker_note():
    assert "| **13:00 - 15:15** |" in seed("ml-tooling-day-run-of-show.md")  # the row the site changed
    for name in ("ml-tooling-day/agenda.md", "ml-tooling-day/agenda.fr.md"):
        text = page(name)
        before_table = text[:text.index("/// timing")]
        note = re.search(r'^!!! speaker "[^"]+"\n((?:    .*\n|\n)+)', before_table, re.M)
        assert note, f"{name}: no speaker note above the timing table"
        assert "`13:00 - 15:15`" in note.group(1) and "`15:15 - 15:20`" in note.group(1), name
        assert ["15:15 - 15:20"] == [row[0] for row in timing_rows(text) if row[0].startswith("15:15")], name


def test_agenda_pages_hold_no_html_comment():
    agendas = sorted(DOCS.glob("*/agenda*.md"))
    assert len(agendas) == 10
    assert [p.relative_to(ROOT).as_posix() for p in agendas if "<!--" in p.read_text(encoding="utf-8")] == []


# --- Rock, paper, scissors -----------------------------------------------------------------------

NOTATION = re.compile(r'~\d+"(?:\d+)?')  # the notes' own: ~2"30 is about 2 min 30 s


def test_rock_paper_scissors_agenda_writes_in_the_notes_notation_only_what_the_notes_time():
    notes = seed("ovh-ai-yolov8-speaker-notes-fr.md")
    timing = notes[notes.index("## Timing"):notes.index("## Déroulé")]
    timed = sorted(sorted(NOTATION.findall(line)) for line in timing.splitlines() if NOTATION.search(line))
    assert len(timed) == 7  # download, pips, training, build, push, training job, app launch
    for name, mark in (("rock-paper-scissors/agenda.md", "*suggested*"),
                       ("rock-paper-scissors/agenda.fr.md", "*proposée*")):
        rows = timing_rows(page(name))
        in_notation = [row for row in rows if '"' in row[0]]
        # each timing of the notes is one row, and no other row borrows the notation
        assert sorted(sorted(NOTATION.findall(row[0])) for row in in_notation) == timed, name
        for row in in_notation:
            assert NOTATION.sub("", row[0]).strip(" /") == "", f"{name}: {row[0]!r}"
            assert mark not in row[-1].lower(), f"{name}: the notes' timing {row[0]!r} is marked {mark}"
        for row in rows:
            if '"' not in row[0]:
                assert mark in row[-1].lower(), f"{name}: the site's duration {row[0]!r} ({row[1]}) not marked {mark}"


# --- Index pages ---------------------------------------------------------------------------------

VERSIONS = re.compile(r"Python(?:\]\([^)]*\))?\s+(3\.\d+)(?:\s+(?:or|ou)\s+(3\.\d+))?(?!\.\d)")


def versions(text: str) -> set[tuple[str, ...]]:
    return {tuple(v for v in match.groups() if v) for match in VERSIONS.finditer(text)}


def test_index_pages_ask_for_the_python_versions_the_get_the_project_box_installs_with():
    box = (ROOT / "src/workshop_kit/extensions/kit_box.py").read_text(encoding="utf-8")
    asked = versions(box)
    assert len(asked) == 1, asked  # English and French say the same
    pages = [p for p in sorted(DOCS.glob("*/index*.md")) if versions(p.read_text(encoding="utf-8"))]
    assert len(pages) >= 8  # every workshop run on the participant's laptop, in both languages
    for path in pages:
        assert versions(path.read_text(encoding="utf-8")) == asked, path.relative_to(ROOT).as_posix()
