"""A new workshop's speaker sheet (`workshop new`) starts with the same text as the five sheets.

The sheets' introduction was read again in French; the scaffold's templates must follow, or every
new workshop starts from the older wording.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "workshop_kit" / "scaffold" / "templates"


def intro(path: Path) -> str:
    """The sheet's text before its list of pages."""
    return path.read_text(encoding="utf-8").split('<div class="wk-sheet"', 1)[0]


@pytest.mark.parametrize(("lang", "suffix"), [("en", ".md"), ("fr", ".fr.md")])
def test_the_scaffold_sheet_says_what_the_workshops_sheets_say(lang: str, suffix: str) -> None:
    sheets = sorted(ROOT.glob(f"docs/*/speaker-sheet{suffix}"))
    assert len(sheets) == 5
    template = intro(TEMPLATES / lang / "speaker-sheet.md")
    for sheet in sheets:
        assert intro(sheet) == template, f"{sheet.relative_to(ROOT)} and the {lang} template differ"
