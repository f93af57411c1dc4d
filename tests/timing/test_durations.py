import pytest

from workshop_kit.extensions.timing.durations import (
    Duration,
    DurationSyntaxError,
    format_clock,
    format_duration,
    parse_clock,
    parse_duration,
    parse_range,
)


@pytest.mark.parametrize(
    ("text", "seconds", "approximate"),
    [
        ("45 min", 45 * 60, False),
        ("45min", 45 * 60, False),
        ("1 h 15", 75 * 60, False),
        ("1h15", 75 * 60, False),
        ("2 h", 120 * 60, False),
        ("1 h 15 min", 75 * 60, False),
        ('~2"30', 150, True),
        ('~1"', 60, True),
        ('5"', 300, False),
        ("90 s", 90, False),
        ("~ 10 min", 600, True),
    ],
)
def test_durations_as_speakers_write_them(text, seconds, approximate):
    duration = parse_duration(text)
    assert duration.seconds == seconds
    assert duration.approximate is approximate


def test_alternatives_lay_out_with_the_first():
    duration = parse_duration('~20"/~12"')
    assert duration == Duration(seconds=20 * 60, approximate=True, alternatives=(12 * 60,))
    assert str(duration) == "~20 min / ~12 min"


@pytest.mark.parametrize("text", ["", "soon", "45 minutes later", "1 h 15 x", "/", '~20"/', "0 min"])
def test_unreadable_durations_say_how_to_write_them(text):
    with pytest.raises(DurationSyntaxError, match="duration|zero"):
        parse_duration(text)


@pytest.mark.parametrize(("text", "seconds"), [("09:30", 34200), ("9:30", 34200), ("09h30", 34200), ("23:59", 86340)])
def test_clock_times(text, seconds):
    assert parse_clock(text) == seconds


@pytest.mark.parametrize("text", ["24:00", "9", "09:60", "nine", "09:3"])
def test_bad_clock_times(text):
    with pytest.raises(DurationSyntaxError, match="HH:MM"):
        parse_clock(text)


def test_ranges_accept_dashes_and_bold():
    assert parse_range("09:30 - 11:20") == (34200, 40800)
    assert parse_range("**11:20 – 11:30**") == (40800, 41400)
    assert parse_range("45 min") is None


def test_formatting():
    assert format_duration(75 * 60) == "1 h 15"
    assert format_duration(2 * 3600) == "2 h"
    assert format_duration(150) == "2 min 30 s"
    assert format_duration(45) == "45 s"
    assert format_clock(13 * 3600 + 5 * 60) == "13:05"
    assert format_clock(13 * 3600 + 5 * 60, "12h") == "1:05 PM"
    assert format_clock(0, "12h") == "12:00 AM"
