"""pytest nodes for the site's blocks: one file per page, one item per session or reasoned skip.

Each session is its own item, independent of the others, so `pytest -n auto` spreads them over
workers. Results travel to the summary as `user_properties`, which xdist carries back to the
controller.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .cache import PassCache
from .index import Page, SessionEntry, SiteBlocks
from .model import Block
from .report import describe_failure
from .run import BlockFailure, run_session


class MarkdownPage(pytest.File):
    page: Page
    site: SiteBlocks

    def collect(self):
        if self.page.error is not None:
            raise self.CollectError(str(self.page.error))
        for entry in self.site.sessions_of(self.page.path):
            yield SessionItem.from_parent(self, name=f"session[{entry.session.project}]", entry=entry)
        for block in self.page.blocks:
            if block.skip is not None:
                yield SkippedBlock.from_parent(self, name=f"line {block.line} [{block.lang}]", block=block)


class SessionItem(pytest.Item):
    def __init__(self, *, entry: SessionEntry, **kwargs):
        super().__init__(**kwargs)
        self.entry = entry
        blocks = len(entry.session.blocks) * len(entry.pages)
        self.user_properties += [("wk_kind", "session"), ("wk_blocks", blocks), ("wk_workshop", self.parent.page.workshop)]

    def runtest(self):
        options = self.config.workshop_blocks
        cache: PassCache = options["cache"]
        if cache.passed(self.entry.key):
            self.user_properties.append(("wk_cached", True))
            raise pytest.skip.Exception("unchanged since it last passed (block cache; --no-block-cache runs it again)",
                                        _use_item_location=True)
        workroot = self.config._tmp_path_factory.mktemp("session")
        run_session(self.entry.session, options["examples"], workroot, timeout=options["timeout"],
                    lock_file=options["lock_file"])
        cache.remember(self.entry.key)
        # A passed session's copy (virtual environments included) can weigh gigabytes; a failed
        # one stays in pytest's temporary folder for a look.
        shutil.rmtree(workroot, ignore_errors=True)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, BlockFailure):
            return describe_failure(excinfo.value, self.entry.pages)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        first: Block = self.entry.session.blocks[0]
        return self.path, first.line - 1, f"{self.entry.session.project}: {len(self.entry.session.blocks)} blocks"


class SkippedBlock(pytest.Item):
    def __init__(self, *, block: Block, **kwargs):
        super().__init__(**kwargs)
        self.block = block
        self.user_properties += [("wk_kind", "skip"), ("wk_reason", block.skip), ("wk_workshop", self.parent.page.workshop)]

    def runtest(self):
        # Reported at the block's page and line, not at this file.
        raise pytest.skip.Exception(f"Not run in CI: {self.block.skip}", _use_item_location=True)

    def reportinfo(self):
        return self.path, self.block.line - 1, f"{self.block.lang} block: {self.block.skip}"


def make_page(parent, file_path: Path, site: SiteBlocks, relative: Path) -> MarkdownPage:
    node = MarkdownPage.from_parent(parent, path=file_path)
    node.page, node.site = site.pages[relative], site
    return node
