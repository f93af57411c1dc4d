"""Timing tables: agendas parsed, laid out on a clock and validated."""

from .agenda import Agenda, Row, TimingError, TimingProblem, TimingWarning, parse_agenda
from .durations import Duration, format_clock, format_duration, parse_clock, parse_duration

__all__ = ["Agenda", "Duration", "Row", "TimingError", "TimingProblem", "TimingWarning", "format_clock",
           "format_duration", "parse_agenda", "parse_clock", "parse_duration"]
