"""Property tests: agendas as free-form text never crash the parser, and valid ones agree
whether they are written as durations or as clock ranges."""

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from workshop_kit.extensions.timing import TimingError, TimingWarning, parse_agenda
from workshop_kit.extensions.timing.durations import format_clock, format_duration

cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="|\n\r"), max_size=20)
time_cell = st.one_of(
    cell,
    st.from_regex(r"\A~?\d{1,3} ?(min|h|s|\")( ?\d{1,2})?\Z"),
    st.from_regex(r"\A\d{1,2}:\d{2} ?- ?\d{1,2}:\d{2}\Z"),
)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(time_cell, cell, st.sampled_from(["", "talk", "break", "day", "nap"])), max_size=12),
       start=st.one_of(st.none(), st.from_regex(r"\A\d{2}:\d{2}\Z")))
def test_any_table_gives_an_agenda_or_a_timing_error(rows, start):
    lines = ["| Time | Title | Kind |", "| --- | --- | --- |"] + [f"| {t} | {x} | {k} |" for t, x, k in rows]
    try:
        agenda = parse_agenda(lines, first_line=10, start=start)
    except TimingError as err:
        assert err.line is not None
        return
    for problem in agenda.problems:
        assert isinstance(problem, TimingError | TimingWarning)
        assert problem.line is not None and 12 <= problem.line < 12 + len(rows)
        assert problem.severity == ("error" if isinstance(problem, TimingError) else "warning")


@settings(max_examples=200, deadline=None)
@given(minutes=st.lists(st.integers(min_value=1, max_value=180), min_size=1, max_size=10),
       start=st.integers(min_value=6 * 60, max_value=10 * 60))
def test_durations_and_clock_ranges_round_trip_to_the_same_totals(minutes, start):
    assume(start + sum(minutes) < 24 * 60)  # past midnight needs a day row; tested elsewhere
    as_durations = [f"| {format_duration(m * 60)} | row {i} | talk |" for i, m in enumerate(minutes)]
    header = ["| Time | Title | Kind |", "| --- | --- | --- |"]
    by_duration = parse_agenda(header + as_durations, start=format_clock(start * 60))
    assert by_duration.problems == []

    ranges, cursor = [], start * 60
    for i, m in enumerate(minutes):
        ranges.append(f"| {format_clock(cursor)} - {format_clock(cursor + m * 60)} | row {i} | talk |")
        cursor += m * 60
    by_range = parse_agenda(header + ranges)
    assert by_range.problems == []
    assert by_range.total_duration == by_duration.total_duration == sum(minutes) * 60
    assert by_range.total_span == by_duration.total_span
    assert [r.end for r in by_range.rows] == [r.end for r in by_duration.rows]
