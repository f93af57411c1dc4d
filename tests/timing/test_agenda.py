from pathlib import Path

import pytest

from workshop_kit.extensions.timing import TimingError, parse_agenda

FIXTURES = Path(__file__).parent.parent / "fixtures"


def table(*rows: str, header: str = "| Time | Session | Kind |") -> list[str]:
    return [header, "| --- | --- | --- |", *rows]


def test_source_agenda_overlapping_break_is_caught():
    """The tooling day's original run of show, fed as written: its 13:00 - 15:15 break overlaps."""
    lines = (FIXTURES / "tooling-day-source-agenda.md").read_text().splitlines()
    agenda = parse_agenda(lines, first_line=1)
    errors = agenda.errors
    assert len(errors) == 1
    error = errors[0]
    assert isinstance(error, TimingError)
    assert error.line == 11
    assert "overlaps 'projects' (13:10 - 15:15)" in error.message
    assert "start it at 15:15 or later" in error.message


def test_fixed_agenda_of_the_site_is_clean():
    lines = [
        line for line in (Path(__file__).parents[2] / "docs/ml-tooling-day/agenda.md").read_text().splitlines()
    ]
    start = lines.index("/// timing | ML tooling day")
    end = lines.index("///", start)
    agenda = parse_agenda(lines[start + 4:end], first_line=start + 5, start="09:00", slot="7 h")
    assert agenda.problems == []
    assert agenda.total_span == 7 * 3600
    assert agenda.total_duration == 7 * 3600


def test_duration_rows_are_laid_out_from_the_start_option():
    agenda = parse_agenda(table("| 45 min | A | talk |", "| 1 h 15 | B | hands-on |", "| 10 min | C | break |"),
                          start="09:00")
    assert [(r.start, r.end) for r in agenda.rows] == [(32400, 35100), (35100, 39600), (39600, 40200)]
    assert [r.elapsed for r in agenda.rows] == [2700, 7200, 7800]
    assert agenda.problems == []


def test_duration_without_any_start_is_an_error_that_says_what_to_add():
    agenda = parse_agenda(table("| 45 min | A | talk |"))
    assert "add 'start:" in agenda.errors[0].message
    assert agenda.errors[0].line == 3


def test_end_before_start():
    agenda = parse_agenda(table("| 11:00 - 10:00 | A | talk |"))
    assert "ends before it starts" in agenda.errors[0].message


def test_gap_is_a_warning_not_an_error():
    agenda = parse_agenda(table("| 09:00 - 10:00 | A | talk |", "| 10:05 - 11:00 | B | talk |"))
    assert agenda.errors == []
    assert len(agenda.warnings) == 1
    assert "gap of 5 min" in agenda.warnings[0].message
    assert agenda.warnings[0].line == 4


def test_slot_exceeded():
    agenda = parse_agenda(table("| 3 h | A | talk |", "| 1 h 15 | B | talk |"), start="13:00", slot="4 h")
    assert "more than the declared slot of 4 h" in agenda.errors[0].message


def test_stated_total_that_does_not_add_up():
    agenda = parse_agenda(table("| 45 min | A | talk |", "| 45 min | B | talk |"), start="13:00", total="2 h")
    assert "add up to 1 h 30, not the stated total of 2 h" in agenda.errors[0].message


def test_day_rows_restart_the_clock():
    agenda = parse_agenda(table(
        "| 09:00 | Day 1 | day |",
        "| 1 h | A | talk |",
        "| 14:00 | Day 2 | day |",
        "| 30 min | B | talk |",
    ), slot="4 h")
    assert agenda.problems == []
    a, b = agenda.timed_rows
    assert (a.day, a.start, b.day, b.start) == (1, 9 * 3600, 2, 14 * 3600)
    assert agenda.day_spans() == {1: (32400, 36000), 2: (50400, 52200)}


def test_unknown_kind_names_the_known_ones():
    agenda = parse_agenda(table("| 09:00 - 10:00 | A | nap |"))
    assert "unknown kind 'nap'; use one of: talk, hands-on" in agenda.errors[0].message


def test_french_kind_aliases():
    agenda = parse_agenda(table("| 09:00 - 10:00 | A | pause |", "| 10:00 - 11:00 | B | déjeuner |"))
    assert [r.kind for r in agenda.rows] == ["break", "lunch"]


def test_no_table_at_all_raises():
    with pytest.raises(TimingError, match="needs a Markdown table"):
        parse_agenda(["just text"], first_line=7)


def test_bad_option_raises_with_its_name():
    with pytest.raises(TimingError, match="option 'start'"):
        parse_agenda(table("| 1 h | A | talk |"), start="nine")


def test_unparseable_time_names_the_row():
    agenda = parse_agenda(table("| 09:00 - 10:00 | A | talk |", "| around ten | B | talk |"))
    assert agenda.errors[0].line == 4
    assert "'around ten' is not a duration" in agenda.errors[0].message


def test_escaped_pipes_stay_in_cells():
    agenda = parse_agenda(table(r"| 10 min | run `a \| b` | demo |"), start="09:00")
    assert agenda.rows[0].title == r"run `a \| b`"


def test_running_past_midnight_asks_for_a_day_row():
    agenda = parse_agenda(table("| 3 h | Late | talk |"), start="22:30")
    assert "runs past midnight" in agenda.errors[0].message
