"""Past runs: the run file schema (version 1), what a row took, and the proposed agenda.

Runs here are synthetic and deterministic: done marks and holds are fixed clock times."""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path

import markdown
import pytest

from workshop_kit.extensions.timing.runs import (
    RunFileError,
    durations,
    load_run,
    load_runs,
    percentile,
    propose,
    read_blocks,
    rewrite_time_cells,
    row_figures,
    row_title,
    schema,
    time_cells,
    validate_run,
)
from workshop_kit.mkdocs_plugin.past_runs import annotate

ROOT = Path(__file__).parents[2]


def t(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60


KINDS = ["talk", "hands-on", "break", "demo"]
PLAN = [("Welcome", "09:00", "09:30"), ("Lab", "09:30", "10:30"), ("Coffee", "10:30", "10:45"),
        ("Deploy", "10:45", "11:30")]

PAGE = """\
# Agenda

/// timing | Test day
    start: "09:00"
    slot: {slot}

| Time | Session | Kind |
| --- | --- | --- |
| 30 min | Welcome | talk |
| 1 h | Lab | hands-on |
| 15 min | Coffee | break |
| 45 min | Deploy | demo |
///
"""


def make_run(date: str, marks: list[str], holds=(), **extra) -> dict:
    data = {
        "format": "workshop-kit-run", "version": 1, "note": "synthetic", "workshop": "test",
        "agenda": {"id": "timing-1", "title": "Test day", "page": "test/agenda/"},
        "date": date, "lang": "en", "shift": None,
        "rows": [{"index": i, "title": title, "kind": KINDS[i], "day": 1, "start": t(a), "end": t(b),
                  "planned": t(b) - t(a)} for i, (title, a, b) in enumerate(PLAN)],
        "done": {str(i): t(mark) for i, mark in enumerate(marks) if mark},
        "holds": [{"start": t(a), "end": t(b), "row": row} for a, b, row in holds],
    }
    data.update(extra)
    return data


RUNS = [
    make_run("2026-11-02", ["09:35", "10:50", "11:05", "11:55"], holds=[("10:00", "10:05", 1)]),
    make_run("2026-11-09", ["09:40", "10:45", "11:00", "11:50"]),
    make_run("2026-11-16", ["09:30", "10:40", "10:55", "11:45"]),
]


def test_durations_take_questions_out_and_skip_rows_after_an_unmarked_one():
    assert durations(RUNS[0]) == {0: 35 * 60, 1: 70 * 60, 2: 15 * 60, 3: 50 * 60}
    gap = make_run("2026-11-23", ["09:35", "", "11:05", "11:55"])
    assert durations(gap) == {0: 35 * 60, 3: 50 * 60}
    shifted = make_run("2026-11-23", ["10:40"], shift=t("10:00"))
    assert durations(shifted) == {0: 40 * 60}


def test_median_and_80th_percentile_per_row():
    timed = [(i, title, t(b) - t(a)) for i, (title, a, b) in enumerate(PLAN)]
    figures = row_figures(timed, RUNS)
    assert [(f.median, f.p80) for f in figures] == [
        (35 * 60, 38 * 60), (70 * 60, 70 * 60), (15 * 60, 15 * 60), (50 * 60, 50 * 60)]
    assert percentile([1, 2, 3, 4, 5], 0.8) == pytest.approx(4.2)


def test_rows_are_matched_by_title_when_the_agenda_moved_them():
    timed = [(0, "Welcome", 1800), (1, "Coffee", 900), (2, "Lab", 3600), (3, "Deploy", 2700)]
    figures = row_figures(timed, RUNS[:1])
    assert [f.median for f in figures] == [35 * 60, 15 * 60, 70 * 60, 50 * 60]


def agenda_of(slot: str):
    [block] = read_blocks(PAGE.format(slot=slot))
    return block


@pytest.mark.parametrize("slot", ["3 h", "2 h 30"])
def test_the_proposal_passes_the_validator_and_fits_the_slot(slot):
    block = agenda_of(slot)
    agenda = block.agenda
    timed = [(i, row_title(r), r.duration.seconds) for i, r in enumerate(agenda.timed_rows)]
    proposal = propose(agenda, row_figures(timed, RUNS))
    assert proposal.problem is None
    new = rewrite_time_cells(PAGE.format(slot=slot), block, time_cells(agenda, proposal.durations))
    [again] = read_blocks(new)
    assert again.agenda.problems == [], again.agenda.problems
    assert again.agenda.total_span <= again.agenda.slot
    if slot == "3 h":  # medians 35 + 70 + 15 + 50 = 2 h 50: fits, unscaled
        assert [r.time_text for r in again.agenda.rows] == ["35 min", "1 h 10", "15 min", "50 min"]
    else:
        assert again.agenda.total_span == 150 * 60 and proposal.notes
    # Only the Time cells changed, and writing again changes nothing.
    assert ([line.split("|")[2:] for line in new.splitlines()]
            == [line.split("|")[2:] for line in PAGE.format(slot=slot).splitlines()])
    assert rewrite_time_cells(new, again, time_cells(again.agenda, propose(again.agenda, row_figures(
        [(i, row_title(r), r.duration.seconds) for i, r in enumerate(again.agenda.timed_rows)], RUNS)).durations
    )) == new


def test_a_stated_total_is_kept():
    text = PAGE.format(slot="4 h").replace('    slot: 4 h\n', '    total: 2 h 30\n')
    [block] = read_blocks(text)
    timed = [(i, row_title(r), r.duration.seconds) for i, r in enumerate(block.agenda.timed_rows)]
    proposal = propose(block.agenda, row_figures(timed, RUNS))
    new = rewrite_time_cells(text, block, time_cells(block.agenda, proposal.durations))
    [again] = read_blocks(new)
    assert again.agenda.problems == [] and again.agenda.total_duration == 150 * 60


def test_clock_ranges_stay_ranges():
    text = ("""/// timing | Day\n    slot: 3 h\n\n| Time | Session |\n| --- | --- |\n"""
            """| 09:00 - 09:30 | Welcome |\n| 09:30 - 10:30 | Lab |\n///\n""")
    [block] = read_blocks(text)
    proposal = propose(block.agenda, row_figures([(0, "Welcome", 1800), (1, "Lab", 3600)], RUNS))
    new = rewrite_time_cells(text, block, time_cells(block.agenda, proposal.durations))
    assert "| 09:00 - 09:35 | Welcome |" in new and "| 09:35 - 10:45 | Lab |" in new


def test_the_repositorys_runs_are_valid():
    runs, problems = load_runs(ROOT, "ml-tooling-day")
    assert problems == [] and len(runs) >= 2
    assert all("synthetic" in run["note"].lower() for run in runs)
    assert schema()["properties"]["version"]["const"] == 1


def write(tmp_path: Path, data, name="2026-11-02.json") -> Path:
    folder = tmp_path / "runs" / "test"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def broken(change) -> dict:
    data = copy.deepcopy(RUNS[0])
    change(data)
    return data


BAD = [
    ("{not json", "is not JSON (line 1"),
    (broken(lambda d: d.pop("rows")), "'rows' is a required property"),
    (broken(lambda d: d.update(version=2)), "run format version 2 is not supported"),
    (broken(lambda d: d.update(date="20 November")), "at 'date'"),
    (broken(lambda d: d["done"].update({"9": 40000})), "'done' marks row 9, but the run has 4 rows"),
    (broken(lambda d: d["holds"].append({"start": 40000, "end": 39000})), "hold 1 ends before it starts"),
    (broken(lambda d: d["rows"][1].update(planned=5)), "row 1 ('Lab'): 'planned' must be"),
    (broken(lambda d: d.update(extra=1)), "Additional properties are not allowed ('extra'"),
    (broken(lambda d: d.update(workshop="other")), "belongs to workshop 'other'"),
]


@pytest.mark.parametrize("data, message", BAD, ids=[m for _, m in BAD])
def test_bad_run_files_are_refused_naming_the_file(tmp_path, data, message):
    write(tmp_path, data)
    runs, problems = load_runs(tmp_path, "test")
    assert runs == []
    [problem] = problems
    assert str(problem).startswith("runs/test/2026-11-02.json: ")
    assert message in str(problem)


def test_validate_run_names_what_it_was_given(tmp_path):
    with pytest.raises(RunFileError, match="^x.json: not a run file"):
        validate_run([], "x.json")
    bad = write(tmp_path, "x")
    bad.write_bytes(b"\xff\xfe{")
    with pytest.raises(RunFileError, match="is not UTF-8"):
        load_run(bad)


def test_the_build_puts_past_figures_on_the_rows_and_reports_bad_files(tmp_path, caplog):
    write(tmp_path, RUNS[0], "a.json")
    write(tmp_path, RUNS[1], "b.json")
    write(tmp_path, "[]", "c.json")
    html = markdown.markdown(PAGE.format(slot="3 h"), extensions=["tables", "workshop_timing"])
    with caplog.at_level(logging.WARNING):
        out = annotate(html, "test/agenda.md", tmp_path, logging.getLogger("mkdocs.plugins.workshop"))
    assert 'data-title="Welcome" data-past="2250" data-past-p80="2340" data-past-runs="2"' in out
    assert out.replace(' data-past="', "").count("data-past-runs") == 4
    assert "runs/test/c.json: not a run file" in caplog.text
    # The French page gets the same figures; another page of the workshop none.
    assert annotate(html, "test/agenda.fr.md", tmp_path) .count("data-past=") == 4
    assert annotate(html, "test/other.md", tmp_path) == html


def test_a_translated_page_gets_the_figures_of_the_rows_in_the_same_order(tmp_path):
    write(tmp_path, RUNS[0], "a.json")
    french = PAGE.format(slot="3 h").replace("Welcome", "Accueil").replace("Lab", "Atelier").replace("Coffee", "Pause")
    html = markdown.markdown(french, extensions=["tables", "workshop_timing"])
    out = annotate(html, "test/agenda.fr.md", tmp_path)
    assert 'data-title="Atelier" data-past="4200"' in out and out.count("data-past-runs") == 4
    # Rows reordered: only titles that match count.
    moved = french.replace("| 1 h | Atelier | hands-on |\n| 15 min | Pause | break |",
                           "| 15 min | Pause | break |\n| 1 h | Atelier | hands-on |")
    out = annotate(markdown.markdown(moved, extensions=["tables", "workshop_timing"]), "test/agenda.fr.md", tmp_path)
    assert out.count("data-past-runs") == 1  # Deploy, by its title


def test_the_schema_is_valid_json_schema_and_jsonschema_agrees():
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(schema())
    validator = jsonschema.Draft202012Validator(schema())
    for run in RUNS:
        assert not list(validator.iter_errors(run))
        validate_run(run)
    samples = [data for data, _ in BAD if not isinstance(data, str)] + [
        broken(lambda d: d.update(shift=90000)), broken(lambda d: d["done"].update(x=1)),
        broken(lambda d: d.update(rows=[])), broken(lambda d: d.update(lang="English")), [], "run"]
    for data in samples:
        ours = [message for message in _refusal(data)]
        theirs = list(validator.iter_errors(data))
        semantic = isinstance(data, dict) and (data.get("version") == 2 or data.get("workshop") == "other"
                                              or not theirs)
        assert bool(ours) and (bool(theirs) or semantic), (data, ours, theirs)


def _refusal(data):
    try:
        validate_run(data, "x.json")
    except RunFileError as err:
        return [str(err)]
    return [] if not (isinstance(data, dict) and data.get("workshop") == "other") else ["other workshop"]


def test_a_strict_build_with_the_plugins_call_shows_the_figures_and_fails_on_a_bad_file(tmp_path):
    """The call the plugin makes in on_page_content, here from a MkDocs hook of a small site."""
    from workshop_kit.pytest_plugin import build_site

    (tmp_path / "docs" / "test").mkdir(parents=True)
    (tmp_path / "docs" / "test" / "agenda.md").write_text(PAGE.format(slot="3 h"))
    (tmp_path / "hooks.py").write_text(
        "from pathlib import Path\n"
        "from mkdocs.plugins import get_plugin_logger\n"
        "from workshop_kit.mkdocs_plugin.past_runs import annotate\n"
        "log = get_plugin_logger('workshop_kit.mkdocs_plugin.plugin')\n"
        "def on_page_content(html, page, config, files):\n"
        "    return annotate(html, page.file.src_uri, Path(config.config_file_path).parent, log)\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: Runs\nplugins: [workshop]\nhooks: [hooks.py]\n"
                                         "markdown_extensions: [tables]\nnav: [test/agenda.md]\n")
    write(tmp_path, RUNS[0], "a.json")
    result = build_site(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert 'data-past-runs="1"' in (tmp_path / "site/test/agenda/index.html").read_text()
    write(tmp_path, "{", "b.json")
    result = build_site(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    assert "runs/test/b.json: is not JSON (line 1, column 2" in result.stderr
    assert "Traceback" not in result.stderr
