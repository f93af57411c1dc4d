"""Every block of the site, read once: pages, their sessions, and which page runs a shared session.

A French page shows the same code as its English twin, so both pages give the same session
(same key): it runs once, under the first page that has it (English before French), and its
report names every page that shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..kit.config import Kit, KitError, kits_from_config
from ..site_config import load_config, snippet_settings
from .cache import session_key
from .collect import SnippetExpander, check, check_meta, page_language, scan, scan_notebook, sessions
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


def kit_files_of_site(config_file: Path, examples: Path) -> dict[str, dict[str, bytes]]:
    """What each kit's starter ships beside its project (check.py and its spec), as the runner's
    sessions get it: read from the pages, the same way (the build's zips are the tested ones)."""
    return {workshop: session.kit_files for workshop, session in kit_sessions_of_site(config_file, examples).items()}


def kit_sessions_of_site(config_file: Path, examples: Path) -> dict[str, Session]:
    """Each kit's session with step checks (its source page's: English first), as the runner runs it."""
    docs, snippets = site_settings(config_file)
    kits, repo_url = site_kits(config_file)
    site = read_site(config_file.parent, docs, examples, snippets, None, kits, repo_url, keys=False)
    found: dict[str, Session] = {}
    for page in site.pages.values():
        for session in page.sessions:
            if session.kit is not None and session.kit_files:
                found.setdefault(session.kit.workshop, session)
    return found


def _order(path: Path) -> tuple:
    translated = len(path.suffixes) > 1  # page.fr.md after page.md
    return (str(path.parent), translated, path.name)


def read_site(root: Path, docs: Path, examples: Path, snippet_config: dict, lock_file: Path | None,
              kits: dict[str, Kit] | None = None, repo_url: str = "", *, keys: bool = True) -> SiteBlocks:
    """Every page's blocks and sessions; `keys=False` leaves out the sessions' keys (which digest
    every example project: the build needs only the pages)."""
    expander = SnippetExpander(snippet_config, root)
    pages: dict[Path, Page] = {}
    entries: dict[str, SessionEntry] = {}
    sources = [*docs.rglob("*.md"), *docs.rglob("*.ipynb")]
    for source in sorted(sources, key=lambda p: _order(p.relative_to(root))):
        _read_page(pages, root, docs, source, examples, expander, kits, repo_url)
    _link_step_checks(pages, root, docs, _site_url(root))
    for relative, page in pages.items():
        for session in page.sessions if keys else ():
            key = session_key(session, examples / session.project, lock_file)
            entries.setdefault(key, SessionEntry(session, key, [])).pages.append(relative)
    return SiteBlocks(pages, entries)


def _site_url(root: Path) -> str:
    """The site's address (mkdocs.yml's site_url, as a build reads it), for the pages check.py names."""
    config_file = root / "mkdocs.yml"
    try:
        url = load_config(config_file).get("site_url") if config_file.is_file() else None
    except Exception:  # noqa: BLE001 - an unreadable mkdocs.yml is reported by the site checks
        url = None
    return url if isinstance(url, str) and url else "/"


def _link_step_checks(pages: dict[Path, Page], root: Path, docs: Path, site_url: str) -> None:
    """Each kit's check.py and spec on its handout's sessions (source and translations alike), the
    translated boxes beside the source's; a translation whose checks differ fails at its line."""
    from .kit_checks import kit_files, link_translations, translation_problems

    by_kit: dict[str, dict[str, tuple[Page, Session]]] = {}
    for page in pages.values():
        if page.error is not None:
            continue
        for session in page.sessions:
            if session.kit is None or not any(block.step for block in session.blocks):
                continue
            lang = page_language(page.path)
            found = by_kit.setdefault(session.kit.workshop, {})
            if lang in found:
                other = found[lang][0].path
                page.error = BlockError(f"kit '{session.kit.workshop}' already has its step checks on {other}: "
                                        "one handout per kit carries them", page.path,
                                        next(block.line for block in session.blocks if block.step))
                continue
            found[lang] = (page, session)
    for kit, found in by_kit.items():
        if "en" not in found:
            continue
        source_page, source = found["en"]
        for lang, (page, session) in found.items():
            if lang == "en":
                continue
            problems = translation_problems([b for b in source.blocks if b.step], [b for b in session.blocks if b.step])
            if problems:
                page.error = problems[0]
                page.sessions = []
                continue
            link_translations(source, session)
        docs_of = {lang: page.path.relative_to(docs.relative_to(root)) for lang, (page, _) in found.items()
                   if page.error is None}
        files = kit_files(kit, {lang: session for lang, (page, session) in found.items() if page.error is None},
                          site_url, docs_of)
        for page in pages.values():
            for session in page.sessions:
                if session.kit is not None and session.kit.workshop == kit:
                    session.kit_files = files


def _read_page(pages: dict[Path, Page], root: Path, docs: Path, source: Path, examples: Path,
               expander: SnippetExpander, kits: dict[str, Kit] | None, repo_url: str) -> None:
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
