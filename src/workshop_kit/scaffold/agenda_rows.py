"""A first agenda that fills the workshop's duration: the speaker edits it, the build checks it."""

from __future__ import annotations

from ..extensions.timing.durations import format_duration

MINIMUM = 45 * 60
LABELS = {
    "en": {"welcome": "Welcome and goals", "concepts": "Concepts", "hands-on": "Hands-on with the example",
           "part": "Hands-on, part {n}", "break": "Break", "wrap": "Wrap-up and questions"},
    "fr": {"welcome": "Accueil et objectifs", "concepts": "Notions", "hands-on": "Pratique avec l'exemple",
           "part": "Pratique, partie {n}", "break": "Pause", "wrap": "Conclusion et questions"},
}


def plan(seconds: int) -> list[tuple[int, str, str]]:
    """(seconds, label key, kind) rows adding up to exactly `seconds`, in five-minute steps."""
    minutes = seconds // 60
    concepts = max(10, round(minutes * 0.2 / 5) * 5)
    fixed = 10 + concepts + 15  # welcome, concepts, wrap-up
    rows = [(10, "welcome", "talk"), (concepts, "concepts", "talk")]
    practice = minutes - fixed
    if minutes >= 150:
        practice -= 15
        first = (practice // 2) // 5 * 5
        rows += [(first, "part:1", "hands-on"), (15, "break", "break"), (practice - first, "part:2", "hands-on")]
    else:
        rows.append((practice, "hands-on", "hands-on"))
    rows.append((15, "wrap", "talk"))
    return [(m * 60, key, kind) for m, key, kind in rows]


def table_rows(seconds: int, lang: str) -> str:
    labels = LABELS.get(lang, LABELS["en"])
    lines = []
    for length, key, kind in plan(seconds):
        name, _, number = key.partition(":")
        label = labels[name].format(n=number) if number else labels[name]
        lines.append(f"| {format_duration(length)} | {label} | {kind} |")
    return "\n".join(lines)
