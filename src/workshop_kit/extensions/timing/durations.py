"""Clock times and durations as speakers write them in agendas.

Everything is counted in whole seconds so that `2"30` (French notes: 2 min 30 s) stays exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from ...errors import WorkshopKitError

DAY = 24 * 3600

_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|to|à)\s*")

_APPROX = r"(?P<approx>(?:~|≈|ca\.|env\.)\s*)?"
_DURATION_FORMS = [
    # 1 h 15, 1h15, 2 h, 1 h 15 min, 1h15m
    re.compile(rf"^{_APPROX}(?P<h>\d+)\s*h(?:ours?|eures?)?\s*(?:(?P<m>\d+)\s*(?:min|mn|m)?)?$"),
    # 45 min, 45mn, 45 minutes
    re.compile(rf"^{_APPROX}(?P<m>\d+)\s*(?:min|mins|minutes?|mn|m)$"),
    # 2"30, 5" (the French notes use " for minutes)
    re.compile(rf'^{_APPROX}(?P<m>\d+)\s*"\s*(?:(?P<s>\d+)\s*(?:s)?)?$'),
    # 90 s, 30 sec
    re.compile(rf"^{_APPROX}(?P<s>\d+)\s*(?:s|sec|secs|seconds?|secondes?)$"),
]


class DurationSyntaxError(WorkshopKitError):
    """A time cell that is neither a clock range nor a duration."""


@dataclass(frozen=True)
class Duration:
    """A duration, possibly approximate, possibly with alternatives (`~20"/~12"`).

    `seconds` is the first alternative: the one the schedule is laid out with.
    """

    seconds: int
    approximate: bool = False
    alternatives: tuple[int, ...] = ()

    def __str__(self) -> str:
        parts = [format_duration(self.seconds)] + [format_duration(s) for s in self.alternatives]
        prefix = "~" if self.approximate else ""
        return " / ".join(prefix + p for p in parts)


# Characters an input method types in place of the ones a time needs, named in the message.
_LOOKALIKES = {
    "\uff1a": "a fullwidth colon '\uff1a' (U+FF1A) where ':' belongs",
    "\u2236": "a ratio sign '\u2236' (U+2236) where ':' belongs",
    "\ua789": "a modifier letter colon '\ua789' (U+A789) where ':' belongs",
    "\u02d0": "a triangular colon '\u02d0' (U+02D0) where ':' belongs",
    "\ufe55": "a small colon '\ufe55' (U+FE55) where ':' belongs",
}


def lookalike_problem(text: str) -> str | None:
    """'09\uff1a00' -> what in it only looks like part of a time (a fullwidth colon or digit)."""
    for char, what in _LOOKALIKES.items():
        if char in text:
            return f"'{text.strip()}' holds {what}; type it with a plain ':' (e.g. 09:30)"
    wide = next((char for char in text if "\uff10" <= char <= "\uff19"), None)
    if wide is not None:
        return (f"'{text.strip()}' holds a fullwidth digit '{wide}' (U+{ord(wide):04X}); type the time with "
                "plain digits 0-9 (e.g. 09:30)")
    return None


def parse_clock(text: str) -> int:
    """`09:30` -> seconds after midnight. Accepts `9:30`, `09h30` and `9.30` too."""
    if problem := lookalike_problem(text):
        raise DurationSyntaxError(problem)
    cleaned = text.strip().replace("h", ":").replace("H", ":").replace(".", ":")
    if re.fullmatch(r"\d:\d\d", cleaned):
        cleaned = "0" + cleaned
    try:
        parsed = time.fromisoformat(cleaned)
    except ValueError:
        raise DurationSyntaxError(f"'{text.strip()}' is not a clock time; write it as HH:MM, e.g. 09:30") from None
    if not re.fullmatch(r"\d\d:\d\d", cleaned):
        raise DurationSyntaxError(f"'{text.strip()}' is not a clock time; write it as HH:MM, e.g. 09:30")
    return parsed.hour * 3600 + parsed.minute * 60


def parse_range(text: str) -> tuple[int, int] | None:
    """`09:30 - 11:20` -> (start, end) in seconds, or None when the cell is not a range."""
    parts = _RANGE_SPLIT.split(text.strip().strip("*_ "))
    if len(parts) != 2 or not all(re.fullmatch(r"\d{1,2}[:hH.]\d\d", p) for p in parts):
        return None
    return parse_clock(parts[0]), parse_clock(parts[1])


def _parse_single(text: str) -> tuple[int, bool]:
    cleaned = " ".join(text.strip().lower().split())
    for form in _DURATION_FORMS:
        match = form.match(cleaned)
        if match:
            groups = match.groupdict()
            hours = int(groups.get("h") or 0)
            minutes = int(groups.get("m") or 0)
            seconds = int(groups.get("s") or 0)
            return hours * 3600 + minutes * 60 + seconds, bool(groups.get("approx"))
    raise DurationSyntaxError(
        f"'{text.strip()}' is not a duration; write e.g. '45 min', '1 h 15', '~2\"30' or '90 s'"
    )


def parse_duration(text: str) -> Duration:
    """`45 min`, `1 h 15`, `~2"30`, `~20"/~12"` (alternatives) -> Duration."""
    if problem := lookalike_problem(text):
        raise DurationSyntaxError(problem)
    pieces = [p for p in text.strip().strip("*_ ").split("/")]
    if not text.strip() or any(not p.strip() for p in pieces):
        raise DurationSyntaxError(f"'{text.strip()}' is not a duration; write e.g. '45 min' or '1 h 15'")
    parsed = [_parse_single(p) for p in pieces]
    if parsed[0][0] <= 0:
        raise DurationSyntaxError(f"'{text.strip()}' is zero; a row must last at least a second")
    return Duration(
        seconds=parsed[0][0],
        approximate=any(approx for _, approx in parsed),
        alternatives=tuple(s for s, _ in parsed[1:]),
    )


def format_duration(seconds: int) -> str:
    """Seconds -> `1 h 15`, `45 min`, `2 min 30 s`: the same in English and French."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d}" if minutes else f"{hours} h"
    if secs:
        return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"
    return f"{minutes} min"


def format_clock(seconds: int, style: str = "24h") -> str:
    """Seconds after midnight -> `13:05` (24h) or `1:05 PM` (12h); wraps past midnight."""
    seconds %= DAY
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    if style == "12h":
        suffix = "AM" if hours < 12 else "PM"
        return f"{(hours % 12) or 12}:{minutes:02d} {suffix}"
    return f"{hours:02d}:{minutes:02d}"
