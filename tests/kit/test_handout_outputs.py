"""Handouts show what a participant will see: most of their commands come with their output."""

from pathlib import Path

import pytest

from workshop_kit.blocks.collect import SnippetExpander, scan
from workshop_kit.blocks.index import site_kits, site_settings
from workshop_kit.blocks.model import Block

ROOT = Path(__file__).parents[2]
HANDOUTS = sorted(p.relative_to(ROOT) for p in (ROOT / "docs").rglob("*.md")
                  if p.name.split(".")[0] in ("handout", "hands-on"))
SHOWN = 0.6  # the share of a handout's commands that must show their output


def commands(block: Block) -> list[str]:
    """The commands a participant types from a runnable shell block."""
    if block.lang == "console":
        return [line for line in block.code.splitlines() if line.startswith("$ ")]
    if block.lang in ("bash", "sh") and not block.options.get("serves"):
        logical = block.code.replace("\\\n", " ").splitlines()
        return [line for line in (text.strip() for text in logical) if line and not line.startswith("#")]
    return []


@pytest.mark.parametrize("page", HANDOUTS, ids=str)
def test_most_commands_on_a_handout_show_their_output(page):
    _, snippets = site_settings(ROOT / "mkdocs.yml")
    kits, repo_url = site_kits(ROOT / "mkdocs.yml")
    _, blocks = scan(page, (ROOT / page).read_text(), SnippetExpander(snippets), kits=kits,
                     page_path=str(page.relative_to("docs")), repo_url=repo_url)
    # The "Get the project" box's set-up is the same on every handout; the handout's own steps count.
    steps = [block for block in blocks if block.skip is None and "kit" not in block.options]
    typed = sum(len(commands(block)) for block in steps)
    shown = sum(with_output(block) for block in steps)
    assert typed and shown / typed >= SHOWN, f"{page}: {shown} of {typed} commands show their output"


def with_output(block: Block) -> int:
    """How many `$ ` commands of a console block are followed by at least one expected output line
    (a command shown with nothing under it does not count, even when it prints nothing)."""
    if block.lang != "console":
        return 0
    count, pending = 0, False
    for line in block.code.splitlines():
        if line.startswith("$ "):
            pending = True
        elif line.startswith("> ") and pending:
            continue  # a continuation of the command
        elif line.strip() and pending:
            count, pending = count + 1, False
    return count


def test_a_command_without_output_lines_is_not_counted_as_showing_output():
    block = Block(Path("p.md"), 1, "console", "$ git add .\n$ dvc repro\nRunning stage 'train':\n> x\n$ ls\n")
    assert commands(block) == ["$ git add .", "$ dvc repro", "$ ls"] and with_output(block) == 1
