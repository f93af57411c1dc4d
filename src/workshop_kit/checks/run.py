"""Run every build-free check over a site, or over the pages under one folder of it."""

from __future__ import annotations

from pathlib import Path

from ..blocks.collect import SnippetExpander
from .bindings import check_bindings
from .facts import PageFacts, read_facts
from .parity import check_revision, compare
from .problem import Problem
from .secrets import check_secrets
from .site import Site, read_site

CHECKS = ("timing", "checklist", "blocks", "parity", "secrets")


def find_root(path: Path) -> Path:
    """The folder holding mkdocs.yml, at `path` or above it."""
    path = path.resolve()
    for folder in [path, *path.parents] if path.is_dir() else list(path.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return path if path.is_dir() else path.parent


def _timing_problems(facts: PageFacts) -> list[Problem]:
    if facts.rendered is None:
        return []
    return [Problem("timing", facts.path, line, problem.message,
                    severity="error" if problem.severity == "error" else "warning")
            for problem, line in facts.rendered.timing_problems]


def _checklist_problems(facts: PageFacts) -> list[Problem]:
    """Duplicate items under one heading: the build warns, so --strict would fail."""
    if facts.rendered is None:
        return []
    lines = [task.line for task in facts.outline.tasks]
    items = facts.rendered.items
    problems = []
    for index, item in enumerate(items):
        if "-" in item["id"]:
            line = lines[index] if len(lines) == len(items) else None
            where = " > ".join(item["path"]) or "the page top"
            problems.append(Problem("checklist", facts.path, line, f"checklist item '{item['text']}' is repeated "
                                    f"under '{where}'; reword one copy so a speaker can tell them apart"))
    return problems


def run_checks(target: Path, only: tuple[str, ...] = CHECKS) -> list[Problem]:
    root = find_root(target)
    site = read_site(root)
    target = target.resolve()
    scope = target if target != root else site.docs
    pages = [p for p in site.pages() if p == scope or p.is_relative_to(scope)]
    expander = SnippetExpander(site.snippets)
    facts: dict[Path, PageFacts] = {}

    def facts_of(page: Path) -> PageFacts:
        if page not in facts:
            facts[page] = read_facts(site, page, expander)
        return facts[page]

    problems: list[Problem] = []
    for page in pages:
        page_facts = facts_of(page)
        if "timing" in only:
            problems += _timing_problems(page_facts)
        if "checklist" in only:
            problems += _checklist_problems(page_facts)
        if "blocks" in only:
            problems += check_bindings(site, page, page_facts.text, expander)
        if "parity" in only:
            problems += _parity(site, page, facts_of)
    if "secrets" in only:
        folders = [scope] if scope != site.docs else [site.docs, root / "snippets", site.examples, site.config_file]
        problems += check_secrets(root, [f for f in folders if f.exists()])
    return sorted(set(problems), key=lambda p: (str(p.path), p.line or 0, p.check, p.message))


def _parity(site: Site, page: Path, facts_of) -> list[Problem]:
    source = site.source_of(page)
    relative = site.relative(page)
    if source != page:
        if not source.exists():
            return [Problem("parity", relative, None, f"a translation without a source page: "
                            f"{site.relative(source)} does not exist; rename this page or write the source")]
        return []  # compared from the source's side
    problems = []
    for lang in site.languages[1:]:
        translation = site.translation(page, lang)
        if not translation.exists():
            problems.append(Problem("parity", relative, None, f"no '{lang}' translation: write "
                                    f"{site.relative(translation)} (copy this page, translate its prose, keep its "
                                    "code, checklists and timing rows)"))
            continue
        problems += compare(facts_of(page), facts_of(translation))
        problems += check_revision(site.root, facts_of(page), facts_of(translation))
    return problems
