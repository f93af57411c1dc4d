"""A kit's step checks across its handout and the handout's translations: the files its starter
zip ships (check.py and `workshop-checks.json`), and the translated boxes the runner runs too.

The English handout's `check` fences are the checks; a translation repeats them (same ids, same
order, same conditions) with its own titles. A French page's session is the English page's session
(blocks/index.py): the runner runs the French box's command at the English box's place.
"""

from __future__ import annotations

from pathlib import Path

from ..extensions.kit_box import DOWNLOADS
from ..kit.step_checks import StepCheck, spec, spec_files
from .model import Block, BlockError, Session


def page_address(relative: Path, site_url: str) -> str:
    """`<workshop>/handout.fr.md` (relative to docs/) -> `<site_url>fr/<workshop>/handout/`."""
    parts = relative.name.split(".")
    lang = parts[1] if len(parts) > 2 else ""
    folder = relative.parent.as_posix()
    stem = "" if parts[0] == "index" else parts[0]
    path = "/".join(part for part in (lang, "" if folder == "." else folder, stem) if part)
    base = site_url if site_url.endswith("/") else site_url + "/"
    return base + (path + "/" if path else "")


def _steps(session: Session) -> list[Block]:
    return [block for block in session.blocks if block.step is not None]


def _check(block: Block) -> StepCheck:
    """The step check of a block that has one (a block of `_steps`, or of a translation's checks)."""
    assert block.step is not None
    return block.step


def translation_problems(source: list[Block], translated: list[Block]) -> list[BlockError]:
    """A translation's checks against its source's: the same ids in the same order, the same
    conditions (only the titles are translated)."""
    problems = []
    for index, block in enumerate(translated):
        theirs = source[index] if index < len(source) else None
        where, mine = (block.path, block.line), _check(block)
        if theirs is None:
            problems.append(BlockError(f"check \"{mine.id}\" is not in the source page, which has "
                                       f"{len(source)} checks: translate the source's checks, in its order", *where))
        elif _check(theirs).id != mine.id:
            problems.append(BlockError(f"check {index + 1} is \"{mine.id}\" here and \"{_check(theirs).id}\" in "
                                       f"the source page ({theirs.where}): keep the source's ids and order", *where))
        elif _check(theirs).conditions != mine.conditions:
            problems.append(BlockError(f"check \"{mine.id}\" does not list the conditions of the source page's "
                                       f"({theirs.where}): a translation changes the title only", *where))
    if len(translated) < len(source):
        missing = source[len(translated)]
        anchor = translated[-1] if translated else None
        path, line = (anchor.path, anchor.line) if anchor else (missing.path, missing.line)
        problems.append(BlockError(f"check \"{_check(missing).id}\" ({missing.where}) has no translation on "
                                   f"{path}", path, line))
    return problems


def kit_files(kit_name: str, sessions: dict[str, Session], site_url: str, docs_of: dict[str, Path]) -> dict[str, bytes]:
    """check.py and its spec for one kit: `sessions` maps a language to the kit's session on that
    language's handout (English first); `docs_of` the handouts' paths relative to docs/."""
    steps: dict[str, list[StepCheck]] = {lang: [_check(block) for block in _steps(session)]
                                         for lang, session in sessions.items()}
    if not steps.get("en"):
        return {}
    pages = {lang: page_address(path, site_url) for lang, path in docs_of.items()}
    base = site_url if site_url.endswith("/") else site_url + "/"
    downloads = base + DOWNLOADS + "/" if base.startswith(("http://", "https://")) else ""
    return spec_files(spec(kit_name, steps, pages, downloads))


def link_translations(source: Session, translated: Session) -> None:
    """Puts the translated boxes beside the source's, by check id, for the runner."""
    by_id = {_check(block).id: block for block in _steps(translated)}
    for block in _steps(source):
        twin = by_id.get(_check(block).id)
        if twin is not None:
            source.translations.setdefault(_check(block).id, []).append(twin)
