"""A participant's path, replayed end to end: chromium opens a built handout, downloads the starter
through the page's own link, and a shell runs, block by block, what each copy button gave, in a
participant's environment (a fresh laptop's Git, no setting that hides a tool's output), comparing
what each command prints with the output the page displays.

Used by test_replay_en_browser.py and test_replay_fr_browser.py (two modules, so that
xdist's `--dist loadfile` runs them on two workers). One handout per language:
`test_copy_browser.py` proves every other copy button gives what the
block runner runs, so the runner's sessions stand for the rest. A replay that passed is
remembered (pytest's cache, under the same key as the block runner's sessions plus the page's own
text), so an unchanged site does not replay it again; `--cache-clear` replays it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest
from page_copy import match_blocks, page_url, read_page_blocks

from workshop_kit.blocks.cache import session_key
from workshop_kit.blocks.index import read_site, site_kits, site_settings
from workshop_kit.blocks.run import BlockFailure, run_blocks
from workshop_kit.extensions.transcript import copy_text

ROOT = Path(__file__).parents[2]


@dataclasses.dataclass
class ParticipantView:
    """What a participant gets from a built page: its blocks as displayed and copied, paired with
    the runner's blocks, and the starter zips its links download."""

    page_blocks: object
    pairs: list
    shown: list
    starters: dict[str, bytes]

    def runs(self) -> list[tuple[str, str, str]]:
        """What a replay runs and compares: per block of a session, its language, the text its copy
        button gives and the text the page displays."""
        displayed = {id(block): on_page for block, on_page in self.pairs}
        # A step check's box is in the page's language ("python check.py --lang fr 3"): the same
        # check when its id and conditions are (the runner runs both boxes at the same place, and
        # test_copy_browser proves each box's copy button).
        return [(block.lang, f"check {block.step.id}", repr(block.step.conditions)) if block.step is not None
                else (block.lang, displayed[id(block)].copied, displayed[id(block)].shown)
                for session in self.page_blocks.sessions for block in session.blocks]


def replay(source: str, site_url: str, chromium_browser, tmp_path: Path, request, *,
           same_as: str | None = None) -> None:
    """Replays `source` (a page path under the root) as a participant; fails the test on the first
    block whose output differs from what the page shows.

    `same_as`: a twin page (the English one of a French page). When every block the replay would
    run copies and displays exactly as on the twin, and the starters are the same bytes, the
    replay would repeat the twin's command for command: it is not run again (the twin's own
    replay runs it). Any difference, and the page is replayed in full."""
    view = participant_view(source, site_url, chromium_browser)
    if same_as is not None:
        twin = participant_view(same_as, site_url, chromium_browser)
        if view.runs() == twin.runs() and view.starters == twin.starters:
            return
    run_view(view, tmp_path, request)


def participant_view(source: str, site_url: str, chromium_browser) -> ParticipantView:
    docs, snippets = site_settings(ROOT / "mkdocs.yml")
    kits, repo_url = site_kits(ROOT / "mkdocs.yml")
    site_blocks = read_site(ROOT, docs, ROOT / "examples", snippets, ROOT / "constraints.txt", kits, repo_url)
    page_blocks = site_blocks.pages[Path(source)]
    assert page_blocks.error is None and page_blocks.sessions, f"{source} has no session to replay"
    context = chromium_browser.new_context(permissions=["clipboard-read", "clipboard-write"], accept_downloads=True)
    context.set_default_timeout(90_000)
    try:
        page = context.new_page()
        url = site_url + page_url(ROOT / source, ROOT / "docs")
        shown = read_page_blocks(page, url)
        pairs, problems = match_blocks(page_blocks.blocks, shown)
        assert not problems, "\n".join(problems)
        # What the page displays reads back to what its copy button gave.
        for block, on_page in pairs:
            expected = copy_text(block.lang, on_page.shown)
            assert (on_page.copied.rstrip() == expected) if expected is not None else True, block.where
        starters = {}
        for session in page_blocks.sessions:
            if session.kit is not None:
                link = page.locator(f".admonition.kit a[href$='{session.kit.starter_name}.zip']").first
                with page.expect_download() as download:
                    link.click()
                starters[session.kit.starter_name] = Path(download.value.path()).read_bytes()
    finally:
        context.close()
    return ParticipantView(page_blocks, pairs, shown, starters)


def run_view(view: ParticipantView, tmp_path: Path, request) -> None:
    page_blocks, pairs, shown, starters = view.page_blocks, view.pairs, view.shown, view.starters
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    text = hashlib.sha256("".join(b.copied + "\0" + b.shown for b in shown).encode()).hexdigest()
    displayed = {id(block): on_page for block, on_page in pairs}
    for number, session in enumerate(page_blocks.sessions):
        # The session's blocks as the page displays them (prompts and output: the runner reads its
        # commands and the expected output from that), in the participant's environment.
        replayed = dataclasses.replace(session, blocks=[dataclasses.replace(block, code=displayed[id(block)].shown)
                                                        for block in session.blocks])
        key = "workshop-replay/" + hashlib.sha256((session_key(replayed, ROOT / "examples" / session.project,
                                                               ROOT / "constraints.txt") + text).encode()).hexdigest()
        if cache is not None and cache.get(key, False):
            continue
        starter = starters.get(session.kit.starter_name) if session.kit else None
        try:
            run_blocks(replayed, ROOT / "examples", tmp_path / f"session-{number}", starter=starter,
                       lock_file=ROOT / "constraints.txt")
        except BlockFailure as failure:
            pytest.fail(f"{failure.block.where}: {failure.reason}\n--- command\n{failure.command}\n--- output\n"
                        f"{failure.output[-3000:]}\n{failure.detail}", pytrace=False)
        if cache is not None:
            cache.set(key, True)
