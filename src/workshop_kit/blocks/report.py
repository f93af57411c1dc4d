"""What a person reads when a block fails, and the per-workshop summary at the end of a run."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .index import SiteBlocks
from .matching import visible
from .session import BlockFailure

MAX_OUTPUT_LINES = 80


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip("\n").splitlines()) or "    (nothing)"


def describe_failure(failure: BlockFailure, pages: list[Path], kept: Path | None = None) -> str:
    """`kept`: the failed session's working copy, left on disk for a look."""
    block = failure.block
    parts = [f"{block.where}: {failure.reason}"]
    if len(pages) > 1:
        parts.append("the same session is shown on: " + ", ".join(str(page) for page in pages))
    parts += [f"block ({block.lang}, line {block.line}):", _indent(block.code)]
    if failure.command and failure.command.strip() != block.code.strip():
        parts += ["command:", _indent(failure.command)]
    if failure.detail:
        parts += ["difference:", _indent(failure.detail)]
    if failure.output or failure.command:
        lines = failure.output.rstrip("\n").splitlines()
        if len(lines) > MAX_OUTPUT_LINES:
            lines = [f"... ({len(lines) - MAX_OUTPUT_LINES} earlier lines left out)"] + lines[-MAX_OUTPUT_LINES:]
        parts += ["output:", _indent(visible("\n".join(lines)))]
    if kept is not None:
        parts.append(f"the session's working copy is kept in {kept}")
    return "\n".join(parts)


def cached_line(sessions: int) -> str:
    """What the summary says of the sessions deselected as unchanged since they last passed."""
    if sessions == 1:
        return "1 session unchanged since it last passed: not run (pytest --cache-clear or --workshop-no-cache runs it)"
    return (f"{sessions} sessions unchanged since they last passed: not run "
            "(pytest --cache-clear or --workshop-no-cache runs them)")


@dataclass
class Tally:
    found: int = 0
    run: int = 0
    passed: int = 0
    failed: int = 0
    cached: int = 0
    skipped: Counter = field(default_factory=Counter)
    never_ran: list[str] = field(default_factory=list)  # page:line of blocks after a failed one


def tally_found(site: SiteBlocks) -> dict[str, Tally]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    for page in site.pages.values():
        tallies[page.workshop].found += len(page.blocks)
    return tallies


def summary_lines(tallies: dict[str, Tally]) -> list[str]:
    lines = [f"{'workshop':<24}{'found':>7}{'run':>6}{'passed':>8}{'failed':>8}{'cached':>8}{'skipped':>9}"]
    for name in sorted(tallies):
        t = tallies[name]
        lines.append(f"{name:<24}{t.found:>7}{t.run:>6}{t.passed:>8}{t.failed:>8}{t.cached:>8}"
                     f"{sum(t.skipped.values()):>9}")
    never = sorted({where for t in tallies.values() for where in t.never_ran})
    if never:
        lines.append(f"never ran (after a failed block of their session): {len(never)}")
        lines += [f"  {where}" for where in never]
    reasons: Counter[str] = Counter()
    for t in tallies.values():
        reasons.update(t.skipped)
    if reasons:
        lines.append("not run in CI, with the pages' reasons:")
        lines += [f"  {count:>3} x {reason}" for reason, count in reasons.most_common()]
    lines.append("Blocks on a French page and its English twin run once; 'found' counts both pages.")
    return lines
