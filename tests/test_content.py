"""The pages themselves: translations, code-block bindings, what the seeds' facts require."""

import re
from pathlib import Path

import pytest
import yaml

from fence_scan import front_matter, scan

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
ENGLISH = sorted(p for p in DOCS.rglob("*.md") if not p.name.endswith(".fr.md"))
FRENCH = sorted(DOCS.rglob("*.fr.md"))


def twin(path: Path) -> Path:
    return path.with_name(path.name.replace(".md", ".fr.md"))


def test_there_are_five_workshops_each_with_its_core_pages_in_both_languages():
    workshops = [p for p in DOCS.iterdir() if p.is_dir()]
    assert len(workshops) == 5
    for folder in workshops:
        pages = {p.name for p in folder.glob("*.md")}
        assert {"index.md", "speaker-guide.md", "agenda.md"} <= pages
        assert {"handout.md", "hands-on.md"} & pages, f"{folder}: no page for participants"
        assert len(pages) % 2 == 0 and len(pages) >= 8, folder


@pytest.mark.parametrize("page", ENGLISH, ids=lambda p: str(p.relative_to(DOCS)))
def test_every_page_has_a_french_twin(page):
    assert twin(page).exists(), f"{page.relative_to(ROOT)} has no French translation"


@pytest.mark.parametrize("page", FRENCH, ids=lambda p: str(p.relative_to(DOCS)))
def test_every_french_page_has_an_english_source(page):
    assert page.with_name(page.name.replace(".fr.md", ".md")).exists()


@pytest.mark.parametrize("page", ENGLISH, ids=lambda p: str(p.relative_to(DOCS)))
def test_translations_keep_code_checklists_and_timing_rows(page):
    english, french = page.read_text(), twin(page).read_text()
    assert [f.code for f in scan(page)] == [f.code for f in scan(twin(page))], "code blocks differ"
    # Skip reasons are written in the page's language; whether a block is skipped must not differ.
    def options(path):
        return [{**f.options, **({"skip": True} if "skip" in f.options else {})} for f in scan(path)]

    assert options(page) == options(twin(page)), "fence options differ"
    checkbox = re.compile(r"^\s*- \[[ x]\] ", re.M)
    assert len(checkbox.findall(english)) == len(checkbox.findall(french)), "checklist items differ in number"
    markers = re.compile(r"^\s*- \[[ x]\] ([A-Z]{2,}):", re.M)
    assert markers.findall(english) == markers.findall(french), "checklist markers differ"
    row = re.compile(r"^\| ([^|]+) \|", re.M)
    timing = re.compile(r"^/// timing.*?^///$", re.M | re.S)
    rows_en = [row.findall(block)[2:] for block in timing.findall(english)]
    rows_fr = [row.findall(block)[2:] for block in timing.findall(french)]
    assert rows_en == rows_fr, "timing rows differ"
    assert front_matter(english) == front_matter(french)


ALL_PAGES = ENGLISH + FRENCH


@pytest.mark.parametrize("page", ALL_PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_every_code_block_is_bound_to_a_project_or_says_why_not(page):
    default = front_matter(page.read_text()).get("project")
    for fence in scan(page):
        where = f"{page.relative_to(ROOT)}:{fence.line}"
        assert fence.options.get("skip") or fence.options.get("project") or default, (
            f"{where}: add project=\"<example>\" to the fence (or to the page's front matter), "
            "or skip=\"<why it cannot run here>\""
        )
        assert fence.lang, f"{where}: name the block's language"


@pytest.mark.parametrize("page", ALL_PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_no_credentials_or_private_links_from_the_sources(page):
    text = page.read_text()
    assert "notion.so" not in text and "docs.google.com" not in text
    assert not re.search(r"AKIA[0-9A-Z]{16}", text)


def test_the_overlapping_break_is_not_copied():
    for page in (DOCS / "ml-tooling-day/agenda.md", DOCS / "ml-tooling-day/agenda.fr.md"):
        rows = [line for line in page.read_text().splitlines() if line.startswith("| 13:00 - 15:15")]
        assert rows == []


def test_nav_lists_every_english_page():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)

    def paths(nav):
        for entry in nav:
            if isinstance(entry, str):
                yield entry
            else:
                for value in entry.values():
                    yield from (paths(value) if isinstance(value, list) else [value])

    notebooks = [p for p in DOCS.rglob("*.ipynb") if ".fr." not in p.name]
    assert sorted(paths(config["nav"])) == sorted(str(p.relative_to(DOCS)) for p in [*ENGLISH, *notebooks])
