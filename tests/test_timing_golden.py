"""Golden HTML for timing tables: one per workshop, one with problems, one over two days.

Set UPDATE_GOLDEN=1 to rewrite the expected files after a deliberate change, then review the diff.
"""

import os
from pathlib import Path

import markdown
import pytest

from workshop_kit.extensions.source import SourcePage
from workshop_kit.extensions.timing.extension import TimingExtension

GOLDEN = Path(__file__).parent / "golden" / "timing"
CASES = sorted(GOLDEN.glob("*.md"))


def render(source: Path, reported: list) -> str:
    lang = source.suffixes[-2].lstrip(".")
    ext = TimingExtension(page=SourcePage(path=source.name, lang=lang),
                          reporter=lambda problem, page: reported.append(problem))
    return markdown.markdown(source.read_text(), extensions=["tables", ext]) + "\n"


@pytest.mark.parametrize("source", CASES, ids=[c.stem for c in CASES])
def test_timing_table_html(source):
    reported = []
    html = render(source, reported)
    expected = source.with_suffix(".html")
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(html)
    assert expected.exists(), f"no golden file for {source.name}: run with UPDATE_GOLDEN=1 and review it"
    assert html == expected.read_text()
    assert bool(reported) == source.name.startswith("problems")


def test_golden_covers_every_workshop():
    workshops = {p.name for p in (Path(__file__).parents[1] / "docs").iterdir() if p.is_dir()}
    assert workshops <= {c.name.split(".")[0] for c in CASES}
