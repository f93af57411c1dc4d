"""§2 of issue 17: one verdict. `workshop check` and the strict build (mkdocs-static-i18n, as the
real site is configured) agree on a corpus of broken pages (tests/fixtures/broken-pages/): every
error `workshop check` reports is in the build's log with the same message and line, the build
reports nothing `workshop check` does not, neither shows a traceback, and each page's own defect
is found at its line (EXPECTED.txt).

The build runs the page checks through tests/gates/build_checks_hook.py, which calls
`BuildChecks` exactly as plugin.py will (the hook steps aside once the plugin has `checks`).
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from gate_sites import PROBLEM_LINE, build_subprocess, write_site

from workshop_kit.checks.run import run_checks

CORPUS = Path(__file__).parents[1] / "fixtures" / "broken-pages"
CLEAN = "---\ntitle: Home\nproject: demo\n---\n\n# Home\n\n## Setup\n\n- [ ] Check the room\n\n```bash\necho hi\n```\n"


def expected() -> list[tuple[str, int | None, str]]:
    found = []
    for line in (CORPUS / "EXPECTED.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            where, needle = line.split(": ", 1)
            page, number = where.rsplit(":", 1)
            found.append((page, None if number == "None" else int(number), needle))
    return found


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("broken-site")
    pages = {"index.md": CLEAN, "index.fr.md": CLEAN}
    for page in sorted(CORPUS.glob("*.md")):
        pages[f"broken/{page.name}"] = page.read_text()
    for name in list(pages):
        if not name.endswith(".fr.md"):
            pages.setdefault(name.replace(".md", ".fr.md"), pages[name])
    config = write_site(root, pages, i18n=True)
    problems = [p for p in run_checks(root) if p.severity == "error"]
    built = build_subprocess(config, root / "site")
    yield problems, built
    shutil.rmtree(root, ignore_errors=True)


def test_the_corpus_has_at_least_fifty_broken_pages():
    assert len({page for page, _, _ in expected()}) >= 50
    assert {page for page, _, _ in expected()} <= {p.name for p in CORPUS.glob("*.md")}


def test_the_build_fails_without_a_traceback(corpus_site):
    _, built = corpus_site
    assert built.returncode != 0
    assert "Traceback" not in built.stderr and "Error:" not in built.stderr.replace("BuildError", ""), \
        built.stderr[-3000:]
    assert "Aborted with" in built.stdout + built.stderr


@pytest.mark.parametrize(("page", "line", "needle"), expected(), ids=[f"{p}:{n}" for p, n, _ in expected()])
def test_each_page_is_rejected_by_both_at_its_line(corpus_site, page, line, needle):
    problems, built = corpus_site
    mine = [p for p in problems if p.path.name == page and p.path.parent.name == "broken"]
    hits = [p for p in mine if p.line == line and needle.lower() in p.message.lower()]
    assert hits, f"workshop check on {page}: " + "\n".join(p.text for p in mine)
    for problem in hits:
        assert problem.text in built.stderr, f"the build does not say: {problem.text}"


def test_check_and_build_report_the_same_problems(corpus_site):
    problems, built = corpus_site
    from_check = {p.text for p in problems}
    from_build = {re.sub(r"^.*?(docs/)", r"\1", line).strip() for line in built.stderr.splitlines()
                  if "WARNING" in line and PROBLEM_LINE.search(line)}
    assert from_check - from_build == set()
    assert from_build - from_check == set()
    pages = defaultdict(list)
    for problem in problems:
        pages[problem.path.name].append(problem)
    assert "index.md" not in pages and "index.fr.md" not in pages  # the clean page passes both
    assert len(pages) >= 100  # every broken page, in both languages
