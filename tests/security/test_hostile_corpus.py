"""Issue 23: the hostile corpus (corpus.py) through every entry point, as a person runs them:
`workshop check`, `workshop blocks`, `pytest` on the site's blocks and `mkdocs build --strict`.

Each defect is refused at its line by check and build alike (same words), none shows a traceback,
nothing from outside the repository reaches the built site or a zip, and no entry point creates a
file outside the build's site_dir, the sessions' temporary root and the documented caches.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from corpus import EXPECTED, PAGE_LINK, SITE_EXPECTED, planted, write_corpus

SECRET = "TOP-SECRET-OUTSIDE-THE-REPOSITORY"
CLI = [sys.executable, "-c", "import sys; from workshop_kit.cli import main; sys.exit(main())"]


def _tree(base: Path, leave_out: list[Path]) -> dict[str, tuple[int, int]]:
    """Every file and folder under `base` (symlinks not followed) with its size and mtime."""
    found = {}
    for folder, dirs, files in os.walk(base):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not any((here / d) == out for out in leave_out)]
        for name in dirs + files:
            path = here / name
            stat = path.lstat()
            found[str(path.relative_to(base))] = (stat.st_size if name in files else 0, stat.st_mtime_ns)
    return found


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    root, outside = write_corpus(base)
    home, tmp = base / "home", base / "tmp"
    home.mkdir()
    tmp.mkdir()
    (root / "pytest.ini").write_text("[pytest]\ntestpaths = docs\n")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "TMPDIR": str(tmp),
           "NO_MKDOCS_2_WARNING": "1", "LANG": "C.UTF-8",
           **({"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {})}
    caches = [home / ".cache" / "workshop-kit", base / "cache"]
    site_dir = root / "site"
    before = _tree(base, [site_dir, tmp, *caches])
    done = {
        "check": subprocess.run([*CLI, "check", str(root)], capture_output=True, text=True, env=env, cwd=root,
                                timeout=600),
        "blocks": subprocess.run([*CLI, "blocks", str(root)], capture_output=True, text=True, env=env, cwd=root,
                                 timeout=600),
        "pytest": subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-q",
                                  "--continue-on-collection-errors",
                                  "--workshop-cache-dir", str(base / "cache")], capture_output=True, text=True,
                                 env=env, cwd=root, timeout=900),
        "build": subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"),
                                 "-d", str(site_dir)], capture_output=True, text=True, env=env, cwd=root, timeout=600),
    }
    after = _tree(base, [site_dir, tmp, *caches])
    yield {"root": root, "outside": outside, "tmp": tmp, "site": site_dir, "before": before, "after": after,
           "caches": [str(cache.relative_to(base)) for cache in caches], **done}
    shutil.rmtree(base, ignore_errors=True)


def _check_lines(runs) -> set[str]:
    return {line for line in runs["check"].stdout.splitlines() if re.match(r"^\S+?(:\d+)?: (warning: )?[a-z]+: ", line)}


def _build_lines(runs) -> set[str]:
    return {line.split("workshop_kit: ", 1)[1] for line in runs["build"].stderr.splitlines()
            if "WARNING" in line and "workshop_kit: " in line}


def test_no_entry_point_shows_a_traceback(runs):
    for name in ("check", "blocks", "pytest", "build"):
        output = runs[name].stdout + runs[name].stderr
        shown = output.replace("Traceback (most recent call last):\n    ...", "")
        assert "Traceback (most recent call last)" not in shown, \
            f"{name}:\n{output[-4000:]}"
    assert runs["check"].returncode == 1 and runs["blocks"].returncode == 1 and runs["build"].returncode != 0


@pytest.mark.parametrize(("page", "line", "needle"), EXPECTED, ids=[f"{p}:{n}" for p, n, _ in EXPECTED])
def test_each_defect_is_refused_at_its_line_by_check_and_build(runs, page, line, needle):
    wanted = f"docs/{page}:{line}: " if line else f"docs/{page}: "
    hits = [text for text in _check_lines(runs) if text.startswith(wanted) and needle.lower() in text.lower()]
    assert hits, f"workshop check on {page}:\n" + "\n".join(t for t in _check_lines(runs) if f"docs/{page}" in t)
    for text in hits:
        assert text in _build_lines(runs), f"the build does not say: {text}"


def test_a_translated_from_that_is_an_option_is_refused_and_reaches_no_git_command(runs):
    texts = [t for t in _check_lines(runs) if t.startswith("docs/inject/translated-from.fr.md:")]
    # At the line of the key (front matter: '---', 'title: T', 'translated_from: ...').
    assert any(t.startswith("docs/inject/translated-from.fr.md:3: ") and "is not a commit git knows" in t
               for t in texts), texts
    assert not (runs["outside"] / "planted-by-git-diff").exists()


@pytest.mark.parametrize(("where", "needle"), SITE_EXPECTED + [(f"docs/{PAGE_LINK[0]}:{PAGE_LINK[1]}", PAGE_LINK[2])])
def test_symlinks_and_kit_paths_leaving_the_repository_are_refused_by_check_and_build(runs, where, needle):
    hits = [t for t in _check_lines(runs) if re.match(rf"{re.escape(where)}(:\d+)?: ", t) and needle in t]
    assert hits, "\n".join(_check_lines(runs))
    for text in hits:
        assert text in _build_lines(runs), f"the build does not say: {text}"


def test_check_and_build_report_the_same_problems(runs):
    assert _check_lines(runs) == _build_lines(runs)


def test_workshop_blocks_lists_the_refused_blocks_as_errors(runs):
    out = runs["blocks"].stdout
    for page in ("path/project-parent.md", "path/project-up-to-etc.md", "path/title-parent.md",
                 "path/setup-parent.md", "path/snippet-symlink.md", "kitdemo/handout.md"):
        assert re.search(rf"docs/{re.escape(page)} +\d+ .*error", out), out


def test_pytest_refuses_the_pages_and_runs_only_the_sound_session(runs):
    out = runs["pytest"].stdout
    for page, line in (("path/project-parent.md", 2), ("path/project-absolute.md", 3), ("path/title-parent.md", 3),
                       ("path/setup-parent.md", 3), ("kitdemo/handout.md", 10)):
        assert f"docs/{page}:{line}:" in out, out[-6000:]
    assert re.search(r"\b1 passed", out), out[-3000:]  # index.md's session, in its own temporary root


def test_nothing_from_outside_the_repository_is_in_a_zip_or_an_included_page(runs):
    zips = list((runs["site"] / "downloads").glob("*.zip"))
    assert zips, "the kit's zips were not built"
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            assert not any(name.endswith(("/leak.txt", "/src/train.py")) for name in names), names
            assert all(SECRET.encode() not in archive.read(name) for name in names)
    for page in runs["site"].rglob("path/snippet-*/index.html"):
        assert SECRET not in page.read_text(), page


def test_nothing_from_outside_the_repository_is_published_at_all(runs):
    leaked = [str(p) for p in runs["site"].rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]
    assert leaked == []


def test_no_entry_point_creates_a_file_outside_the_site_dir_the_session_root_and_the_caches(runs):
    for path in planted(runs["outside"]):
        assert not path.exists(), f"{path} was created"
    before, after = runs["before"], runs["after"]
    created = sorted(name for name in set(after) - set(before)
                     if not any(cache.startswith(name + "/") for cache in runs["caches"]))  # a cache's parent
    changed = sorted(name for name in set(after) & set(before) if after[name] != before[name]
                     and not (runs["root"].parent / name).is_dir())
    assert created == [] and changed == [], (created, changed)
    # The sessions' temporary roots are removed once they end.
    assert [p.name for p in runs["tmp"].iterdir()] == [], list(runs["tmp"].iterdir())
