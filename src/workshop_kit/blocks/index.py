"""Every block of the site, read once: pages, their sessions, and which page runs a shared session.

A French page shows the same code as its English twin, so both pages give the same session
(same key): it runs once, under the first page that has it (English before French), and its
report names every page that shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..kit.config import Kit, KitError, kits_from_config
from ..mkdocs_plugin.mkdocs_yaml import load_config, snippet_settings
from .cache import session_key
from .collect import SnippetExpander, check, check_meta, scan, scan_notebook, sessions
from .model import Block, BlockError, Session
from .page_text import read_page


@dataclass
class Page:
    path: Path  # relative to the root, as reports show it
    blocks: list[Block] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    error: BlockError | None = None

    @property
    def workshop(self) -> str:
        parts = self.path.parts
        return parts[1] if len(parts) > 2 else "(site)"


@dataclass
class SessionEntry:
    session: Session
    key: str
    pages: list[Path]


@dataclass
class SiteBlocks:
    pages: dict[Path, Page]
    entries: dict[str, SessionEntry]  # by key, each run under entries[key].pages[0]

    def sessions_of(self, page: Path) -> list[SessionEntry]:
        return [entry for entry in self.entries.values() if entry.pages[0] == page]


def site_settings(config_file: Path) -> tuple[Path, dict]:
    """The docs folder and the pymdownx.snippets settings of an mkdocs.yml (paths made absolute)."""
    config = load_config(config_file)
    root = config_file.parent
    return root / config.get("docs_dir", "docs"), snippet_settings(config, root)


def site_kits(config_file: Path) -> tuple[dict[str, Kit], str]:
    """The workshops' kits and the site's `repo_url` (for the box's `git clone` line)."""
    config = load_config(config_file)
    try:
        kits = kits_from_config(config)
    except KitError as err:
        raise BlockError(str(err), config_file, 1) from None
    repo_url = config.get("repo_url")
    return kits, repo_url if isinstance(repo_url, str) else ""


def _order(path: Path) -> tuple:
    translated = len(path.suffixes) > 1  # page.fr.md after page.md
    return (str(path.parent), translated, path.name)


def read_site(root: Path, docs: Path, examples: Path, snippet_config: dict, lock_file: Path | None,
              kits: dict[str, Kit] | None = None, repo_url: str = "") -> SiteBlocks:
    expander = SnippetExpander(snippet_config, root)
    pages: dict[Path, Page] = {}
    entries: dict[str, SessionEntry] = {}
    sources = [*docs.rglob("*.md"), *docs.rglob("*.ipynb")]
    for source in sorted(sources, key=lambda p: _order(p.relative_to(root))):
        relative = source.relative_to(root)
        page = pages[relative] = Page(relative)
        try:
            text = read_page(source, relative)
            if source.suffix == ".ipynb":
                meta, page.blocks = scan_notebook(relative, text)
            else:
                meta, page.blocks = scan(relative, text, expander, kits=kits,
                                         page_path=source.relative_to(docs).as_posix(), repo_url=repo_url)
            check_meta(relative, meta, examples)
            for block in page.blocks:
                check(block, examples)
            page.sessions = sessions(relative, meta, page.blocks, kits)
        except BlockError as err:
            page.error = err
            continue
        for session in page.sessions:
            key = session_key(session, examples / session.project, lock_file)
            entries.setdefault(key, SessionEntry(session, key, [])).pages.append(relative)
    return SiteBlocks(pages, entries)
