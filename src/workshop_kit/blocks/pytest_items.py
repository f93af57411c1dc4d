"""pytest nodes for the site's blocks: one file per page, one item per session or reasoned skip.

Each session is its own item, independent of the others, so `pytest -n auto` spreads them over
workers. Results travel to the summary as `user_properties`, which xdist carries back to the
controller. Every item carries the `workshop_blocks` marker (registered by the plugin).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from .cache import PassCache
from .index import Page, SessionEntry, SiteBlocks
from .model import Block
from .report import describe_failure
from .run import BlockFailure, Outcome, run_session
from .stash import SITE_BLOCKS

MARKER = "workshop_blocks"


class MarkdownPage(pytest.File):
    page: Page
    site: SiteBlocks

    def collect(self):
        if self.page.error is not None:
            raise self.CollectError(str(self.page.error))
        for entry in self.site.sessions_of(self.page.path):
            yield SessionItem.from_parent(self, name=f"session[{entry.session.project}]", entry=entry)
        seen: dict[str, int] = {}
        for block in self.page.blocks:
            if block.skip is not None:
                # Blocks of a "Get the project" box share the directive's line: number the repeats.
                name = f"line {block.line} [{block.lang}]"
                seen[name] = seen.get(name, 0) + 1
                name += f" ({seen[name]})" if seen[name] > 1 else ""
                yield SkippedBlock.from_parent(self, name=name, block=block)


def _page_file(item: pytest.Item) -> MarkdownPage:
    """The page an item of the site's blocks was collected from."""
    assert isinstance(item.parent, MarkdownPage)
    return item.parent


class SessionItem(pytest.Item):
    def __init__(self, *, entry: SessionEntry, **kwargs):
        super().__init__(**kwargs)
        self.entry = entry
        self.workroot: Path | None = None
        self.workshop = _page_file(self).page.workshop
        self.blocks = len(entry.session.blocks) * len(entry.pages)
        self.add_marker(MARKER)
        self.user_properties += [("wk_kind", "session"), ("wk_blocks", self.blocks), ("wk_workshop", self.workshop)]

    def runtest(self):
        # Sessions unchanged since they last passed never get here: the plugin deselects them.
        options = self.config.stash[SITE_BLOCKS]
        cache: PassCache = options["cache"]
        self.workroot = workroot = make_workroot(self.config, self.entry.session.project)
        update = options["update"]
        try:
            outcomes = run_session(self.entry.session, options["examples"], workroot, timeout=options["timeout"],
                                   lock_file=options["lock_file"], update=update)
        except BlockFailure as failure:
            self._count_failure(failure)
            if update:  # what ran before the failure is rewritten all the same
                self._update_pages(failure.outcomes)
            raise
        if update:
            self._update_pages(outcomes)
            if self.entry.session.path.suffix != ".md" or any(
                    not step.matched for outcome in outcomes for step in outcome.actual or []):
                # The page as it was did not pass (a notebook's outputs are rewritten without being
                # compared); the rewritten page has another key, and its next run decides.
                shutil.rmtree(workroot, ignore_errors=True)
                return
        cache.remember(self.entry.key)
        # A passed session's copy (virtual environments included) can weigh gigabytes; a failed
        # one stays for a look, and its failure report names it.
        shutil.rmtree(workroot, ignore_errors=True)

    def _count_failure(self, failure: BlockFailure) -> None:
        """What happened, for the summary: the blocks that passed, the one that failed, and those
        that never ran (named by page and line), each counted on every page showing the session."""
        pages = len(self.entry.pages)
        blocks = self.entry.session.blocks
        position = next((i for i, block in enumerate(blocks) if block is failure.block), len(blocks) - 1)
        never = [block.where for block in blocks[position + 1:]]
        site = _page_file(self).site
        code = [block.code for block in blocks]  # a twin shares the session only with the same code
        for page in self.entry.pages:  # the twin pages' own lines for the same blocks
            twin = next((session for session in site.pages[page].sessions
                         if [block.code for block in session.blocks] == code), None) \
                if page in site.pages and page != self.entry.session.path else None
            never += [block.where for block in twin.blocks[position + 1:]] if twin else []
        self.user_properties += [("wk_passed", min(len(failure.outcomes), position) * pages), ("wk_failed", pages),
                                 ("wk_never_ran", never)]

    def _update_pages(self, outcomes: list[Outcome]) -> None:
        """Update mode: rewrites the expected output of every page showing this session, each page's
        blocks mapped by their position in the session (a French twin has the same blocks in the
        same order, since the session is shared only when their code is the same)."""
        from .update import update_page, warn

        options = self.config.stash[SITE_BLOCKS]
        position = {id(block): index for index, block in enumerate(self.entry.session.blocks)}
        outputs = {position[id(o.block)]: o.actual for o in outcomes
                   if o.actual is not None and id(o.block) in position}
        if not outputs or not any(not step.matched for steps in outputs.values() for step in steps):
            return
        read = _page_reader(options)
        updated, notes = [], []
        for page in self.entry.pages:
            if page.suffix != ".md":
                continue
            changed, page_notes = update_page(options["root"] / page, page, self.entry.session.project,
                                              self.entry.session.blocks, outputs, read)
            notes += page_notes
            if changed:
                updated.append(f"{page} ({self.entry.session.project})")
        if updated:
            self.user_properties.append(("wk_updated", updated))
        warn(notes)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, BlockFailure):
            return describe_failure(excinfo.value, self.entry.pages, kept=self.workroot)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        first: Block = self.entry.session.blocks[0]
        return self.path, first.line - 1, f"{self.entry.session.project}: {len(self.entry.session.blocks)} blocks"


class SkippedBlock(pytest.Item):
    def __init__(self, *, block: Block, **kwargs):
        super().__init__(**kwargs)
        self.block = block
        self.add_marker(MARKER)
        self.user_properties += [("wk_kind", "skip"), ("wk_reason", block.skip),
                                 ("wk_workshop", _page_file(self).page.workshop)]

    def runtest(self):
        # A plain skip: the plugin's pytest_runtest_makereport moves its location from this file to
        # the block's page and line (`docs/page.md:LINE: Not run in CI: reason` under -rs). Not a
        # skip mark: -rs folds the skips of marked items onto their file, without the line.
        pytest.skip(f"Not run in CI: {self.block.skip}")

    def reportinfo(self):
        return self.path, self.block.line - 1, f"{self.block.lang} block: {self.block.skip}"

    def skip_location(self) -> tuple[str, int]:
        """Where its skip is reported: the page and the block's line (1-based)."""
        path, line, _ = self.reportinfo()
        return os.fspath(path), line + 1


def cached_sessions(items: list, options: dict) -> list[SessionItem]:
    """The session items whose key is in the pass cache: unchanged since they last passed. None in
    update mode, which runs every session."""
    cache: PassCache = options["cache"]
    if options["update"] or not cache.enabled:
        return []
    return [item for item in items if isinstance(item, SessionItem) and cache.passed(item.entry.key)]


# Where sessions run. Not pytest's tmp_path_factory: a plain Item cannot request fixtures, and the
# factory behind them is reached only through private API (config._tmp_path_factory,
# TempPathFactory(..., _ispytest=True)). Not under --basetemp either: pytest empties a given
# basetemp the first time a test on that process asks for tmp_path, and xdist gives every worker
# one. So each process makes its own folder in the system's temporary folder (TMPDIR), named with
# its pid; a passed session's copy is removed at once, the folder at the end if empty, and the
# copies of failed sessions stay (their failure report names them) until a later run, which
# removes the folders of processes that have ended before making its own.
WORK_PREFIX = "workshop-blocks-"
_WORK_BASE = "workshop_kit_work_base"


def make_workroot(config: pytest.Config, project: str) -> Path:
    options = config.stash[SITE_BLOCKS]
    if _WORK_BASE not in options:
        _remove_stale_bases()
        options[_WORK_BASE] = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{os.getpid()}-"))
    return Path(tempfile.mkdtemp(prefix=f"{project}-", dir=options[_WORK_BASE]))


def remove_work_base(config: pytest.Config) -> None:
    """At the end: this process's folder goes if no failed session's copy is left in it."""
    base = config.stash.get(SITE_BLOCKS, {}).get(_WORK_BASE)
    if base is not None:
        try:
            base.rmdir()
        except OSError:
            pass


def _remove_stale_bases() -> None:
    if not hasattr(os, "getuid"):  # Windows: os.kill(pid, 0) would not just ask, so leave them
        return
    for base in Path(tempfile.gettempdir()).glob(f"{WORK_PREFIX}*-*"):
        pid = base.name[len(WORK_PREFIX):].split("-", 1)[0]
        try:
            ours = not base.is_symlink() and base.is_dir() and base.stat().st_uid == os.getuid()
        except OSError:
            continue
        if ours and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(base, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or no way to tell: leave its folder alone
        return True
    return True


def _page_reader(options: dict):
    """Reads a page's blocks and sessions the way the site was read (snippets, kit boxes)."""
    from .collect import SnippetExpander, check, scan, sessions

    if "reader" not in options:
        expander = SnippetExpander(options["snippets"])
        docs, kits, repo_url = options["docs"], options["kits"], options["repo_url"]

        def read(relative: Path, text: str):
            page_path = (options["root"] / relative).relative_to(docs).as_posix()
            meta, blocks = scan(relative, text, expander, kits=kits, page_path=page_path, repo_url=repo_url)
            for block in blocks:
                check(block, options["examples"])
            return blocks, sessions(relative, meta, blocks, kits)

        options["reader"] = read
    return options["reader"]


def make_page(parent, file_path: Path, site: SiteBlocks, relative: Path) -> MarkdownPage:
    node = MarkdownPage.from_parent(parent, path=file_path)
    node.page, node.site = site.pages[relative], site
    return node
