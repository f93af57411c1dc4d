"""Issue 23 §1: the path resolver (workshop_kit/paths.py) and what relies on it: each root, after
symlinks; links inside the repository are followed, links leaving it never are."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from workshop_kit import paths
from workshop_kit.blocks.collect import SnippetExpander
from workshop_kit.checks.run import run_checks
from workshop_kit.kit.archive import project_files, starter_zip
from workshop_kit.kit.config import Kit

ROOT = Path(__file__).parents[2]


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    (root / "examples" / "demo" / "src").mkdir(parents=True)
    (root / "examples" / "demo" / "src" / "train.py").write_text("print('train')\n")
    (root / "snippets").mkdir()
    (root / "snippets" / "note.md").write_text("A note.\n")
    (root / "mkdocs.yml").write_text("site_name: T\n")
    (tmp_path / "outside.txt").write_text("OUTSIDE\n")
    return root


@pytest.mark.parametrize("name", ["../docs", "/etc", "../../../../../../etc", "demo/../../x", "~/x", "a\0b"])
def test_a_project_outside_examples_is_refused_naming_the_root(repo, name):
    with pytest.raises(paths.PathRefused, match="examples/|NUL"):
        paths.project_folder(repo / "examples", name)


def test_a_project_that_is_examples_itself_is_refused(repo):
    with pytest.raises(paths.PathRefused, match="examples/ itself"):
        paths.project_folder(repo / "examples", ".")


def test_a_project_linked_out_of_examples_is_refused_after_symlinks(repo, tmp_path):
    (repo / "examples" / "linked").symlink_to(tmp_path)
    with pytest.raises(paths.PathRefused, match="leads through a symlink"):
        paths.project_folder(repo / "examples", "linked")


@pytest.mark.parametrize("title", ["src/train.py", "dvc.yaml (outline)", "src/../params.yaml"])
def test_titles_inside_the_project_pass(repo, title):
    paths.project_file(repo / "examples" / "demo", title, f"title={title}")


@pytest.mark.parametrize("title", ["../x", "src/../../../x.py", "/tmp/x.py"])
def test_titles_leaving_the_project_are_refused(repo, title):
    with pytest.raises(paths.PathRefused, match="examples/demo/|absolute"):
        paths.project_file(repo / "examples" / "demo", title, f"title={title}", base=repo)


@pytest.mark.parametrize(("setup", "scripts"), [
    ("bash scripts/as_workshop_clone.sh --with-dvc\npython scripts/generate_data.py --output data",
     ["scripts/as_workshop_clone.sh", "scripts/generate_data.py"]),
    ("dvc add -q data && ./scripts/x.sh", ["./scripts/x.sh"]),
    ("python -m pip install -e .", []),
    ("X=1 bash ../../evil.sh; source /etc/profile", ["../../evil.sh", "/etc/profile"]),
])
def test_the_scripts_a_setup_runs(setup, scripts):
    assert paths.setup_scripts(setup) == scripts


def test_escaping_symlinks_are_found_and_loops_end(repo, tmp_path):
    demo = repo / "examples" / "demo"
    (demo / "leak.txt").symlink_to(tmp_path / "outside.txt")
    (demo / "note.md").symlink_to(repo / "snippets" / "note.md")  # inside the repository: followed
    (demo / "loop").symlink_to(demo)
    assert paths.escaping_symlinks(repo / "examples", repo) == [
        (demo / "leak.txt", (tmp_path / "outside.txt").resolve())]


def test_zips_follow_links_inside_the_repository_and_never_one_leaving_it(repo, tmp_path):
    demo = repo / "examples" / "demo"
    (demo / "leak.txt").symlink_to(tmp_path / "outside.txt")
    (demo / "note.md").symlink_to(repo / "snippets" / "note.md")
    (demo / "outside-folder").symlink_to(tmp_path)
    (demo / "loop").symlink_to(demo)
    assert project_files(demo) == ["note.md", "src/train.py"]
    with zipfile.ZipFile(io.BytesIO(starter_zip(Kit("kit", "demo"), repo / "examples"))) as archive:
        assert archive.read("kit-starter/note.md") == b"A note.\n"
        assert all(b"OUTSIDE" not in archive.read(name) for name in archive.namelist())


def test_includes_name_their_roots_and_refuse_links_leaving_the_repository(repo, tmp_path):
    expander = SnippetExpander({"base_path": [str(repo / "snippets"), str(repo / "examples")], "check_paths": True},
                               repo)
    assert expander.expand('--8<-- "note.md"') == ["A note.", ""]
    with pytest.raises(Exception, match=r"outside the folders includes come from \(snippets/, examples/\)"):
        expander.expand('--8<-- "../mkdocs.yml"')
    (repo / "snippets" / "leak.md").symlink_to(tmp_path / "outside.txt")
    with pytest.raises(Exception, match="snippets/leak.md is a symlink to .*outside the repository"):
        expander.expand('--8<-- "leak.md"')
    (repo / "snippets" / "inside.md").symlink_to(repo / "examples" / "demo" / "src" / "train.py")
    assert expander.expand('--8<-- "inside.md"') == ["print('train')", ""]


def test_the_sites_own_symlinks_stay_inside_and_pass():
    """docs/half-day-lab/notebook-*.ipynb are links into examples/landuse-lab/: followed, not refused."""
    links = sorted((ROOT / "docs" / "half-day-lab").glob("notebook-*.ipynb"))
    assert links and all(link.is_symlink() and paths.inside(link, ROOT) for link in links)
    assert [p.text for p in run_checks(ROOT, ("paths", "blocks")) if p.severity == "error"] == []


def test_what_the_build_must_leave_out(repo, tmp_path):
    docs = repo / "docs"
    docs.mkdir()
    (docs / "page.md").write_text("# P\n")
    (docs / "leak.txt").symlink_to(tmp_path / "outside.txt")
    (docs / "note.md").symlink_to(repo / "snippets" / "note.md")
    assert paths.published_from_outside(docs / "leak.txt", docs, repo)
    assert not paths.published_from_outside(docs / "page.md", docs, repo)
    assert not paths.published_from_outside(docs / "note.md", docs, repo)  # inside the repository: followed
    assert not paths.published_from_outside(tmp_path / "outside.txt", docs, repo)  # a theme's or generated file
    assert not paths.published_from_outside(None, docs, repo)


def test_the_secrets_scan_reads_what_a_symlink_points_to(repo, tmp_path):
    """Even a target that is not plain text (/proc/self/environ is NUL-separated)."""
    from workshop_kit.checks.secrets import check_secrets

    (tmp_path / "environ").write_bytes(b"PATH=/usr/bin\0AWS_ACCESS_KEY_ID=AKIA" + b"QWERTYUIOPASDFGH\0HOME=/root\0")
    (repo / "snippets" / "env.md").symlink_to(tmp_path / "environ")
    problems = check_secrets(repo, [repo / "snippets"])
    assert [(str(p.path), p.line) for p in problems] == [("snippets/env.md", 2)], problems


def test_the_published_page_is_scanned_for_raw_syntax_too(tmp_path, caplog):
    """BuildChecks.published, for the plugin's on_page_content: raw syntax in the HTML the build
    made is reported once, unless the page checks already named it at its line."""
    import logging
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "gates"))
    from gate_sites import write_site

    from workshop_kit.checks.page import BuildChecks

    config = write_site(tmp_path, {"index.md": "# Clean\n", "raw.md": "# R\n\n| a | - [ ] b |\n| - | - |\n"},
                        hook=False)
    checks = BuildChecks(config)
    logger = logging.getLogger("test-published")
    with caplog.at_level(logging.WARNING, logger="test-published"):
        checks.published(tmp_path / "docs" / "index.md", "<article><p>/// timing | Day</p></article>", logger)
        checks.published(tmp_path / "docs" / "index.md", "<article><p>/// timing | Day</p></article>", logger)
        checks.published(tmp_path / "docs" / "index.md", "<pre><code>/// timing</code></pre>", logger)
        checks.published(tmp_path / "docs" / "raw.md", "<td>- [ ] b</td>", logger)
    assert [r.getMessage() for r in caplog.records] == [
        "docs/index.md: timing: the published page shows a raw '/// timing' as text: an extension did not read it; "
        "find it on the page and make it a table or list item the build reads"]
