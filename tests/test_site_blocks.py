"""The real site's code blocks: every one accounted for, and most of what participants read is run."""

from pathlib import Path

import pytest

from workshop_kit.blocks.index import read_site, site_kits, site_settings

ROOT = Path(__file__).parents[1]
# Pages written for the speaker or for authors; every other page is read by participants.
NOT_FOR_PARTICIPANTS = ("speaker-guide", "authoring")


@pytest.fixture(scope="module")
def site():
    docs, snippets = site_settings(ROOT / "mkdocs.yml")
    return read_site(ROOT, docs, ROOT / "examples", snippets, ROOT / "constraints.txt", *site_kits(ROOT / "mkdocs.yml"))


def test_every_block_runs_or_says_why_not(site):
    errors = [str(page.error) for page in site.pages.values() if page.error]
    assert not errors, "\n".join(errors)
    for page in site.pages.values():
        runnable = [(b.lang, b.code) for b in page.blocks if not b.skip]
        # A translation's step-check boxes run beside the source's (Session.translations).
        in_sessions = [(b.lang, b.code) for entry in site.entries.values() if page.path in entry.pages
                       for b in entry.session.blocks if b.step is None or b.path == page.path]
        in_sessions += [(t.lang, t.code) for entry in site.entries.values() if page.path in entry.pages
                        for twins in entry.session.translations.values() for t in twins if t.path == page.path]
        assert sorted(runnable) == sorted(in_sessions), f"{page.path}: blocks neither run nor skipped"


def test_every_workshop_with_blocks_runs_some(site):
    for page in site.pages.values():
        if page.blocks and "handout" in page.path.name:
            assert site.sessions_of(page.path) or any(page.path in e.pages for e in site.entries.values()), page.path


def test_more_than_80_percent_of_participant_facing_blocks_run(site):
    # A "Get the project" box's Windows and git-clone variants are alternatives to its Linux / macOS
    # commands, which run; they all sit at the box's line.
    facing = [block for page in site.pages.values() if not page.path.stem.startswith(NOT_FOR_PARTICIPANTS)
              for block in page.blocks
              if not (block.skip and any(b.options.get("kit") and b.line == block.line for b in page.blocks))]
    run = [block for block in facing if not block.skip]
    share = len(run) / len(facing)
    print(f"participant-facing blocks: {len(run)} of {len(facing)} run ({share:.0%})")
    assert share > 0.8, f"only {len(run)} of {len(facing)} participant-facing blocks run ({share:.0%})"


def test_english_and_french_pages_share_their_sessions(site):
    for entry in site.entries.values():
        names = sorted(str(p) for p in entry.pages)
        assert len(names) == 2 and names[0].replace(".fr.", ".") == names[1], names
