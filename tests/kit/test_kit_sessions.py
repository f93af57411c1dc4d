"""A page with a "Get the project" box runs from exactly the zip the site offers."""

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from workshop_kit.blocks.index import read_site, site_kits, site_settings
from workshop_kit.blocks.run import BlockFailure, run_session
from workshop_kit.kit.archive import starter_zip, tree_digest, zip_digest

SITE = Path(__file__).parents[1] / "fixtures" / "kit-site"
PAGE = Path("docs/tiny-workshop/handout.md")


def read(root: Path):
    docs, snippets = site_settings(root / "mkdocs.yml")
    kits, repo_url = site_kits(root / "mkdocs.yml")
    return read_site(root, docs, root / "examples", snippets, None, kits, repo_url), kits


def test_the_session_starts_in_a_downloads_folder_and_runs_from_the_unpacked_zip(tmp_path):
    site, kits = read(SITE)
    assert site.pages[PAGE].error is None
    (entry,) = site.sessions_of(PAGE)
    assert entry.session.kit == kits["tiny-workshop"]
    run_session(entry.session, SITE / "examples", tmp_path, timeout=120)
    participant = tmp_path / "participant"
    data = (participant / "tiny-workshop-starter.zip").read_bytes()
    assert data == starter_zip(kits["tiny-workshop"], SITE / "examples")
    # The files the blocks started from are exactly the zip's: same names, same contents.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = sorted(name.split("/", 1)[1] for name in archive.namelist())
    unpacked = participant / "tiny-workshop-starter"
    assert tree_digest(unpacked, members) == zip_digest(data)
    # ...and the participant wrote the rest, as the page shows it.
    assert (unpacked / "src/count.py").read_text() == (SITE / "examples/tiny-kit/src/count.py").read_text()
    assert (unpacked / ".git").is_dir() and (unpacked / ".venv").is_dir()


def copy_site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    return root


def test_a_written_file_that_differs_from_the_solution_fails_with_a_diff(tmp_path):
    root = copy_site(tmp_path)
    page = root / PAGE
    page.write_text(page.read_text().replace('--8<-- "tiny-kit/src/count.py"',
                                             "import sys\nprint(sys.argv[1])"))
    page.write_text(page.read_text().replace("$ python src/count.py 2\n1\n2\n", "$ python src/count.py 2\n2\n"))
    site, _ = read(root)
    (entry,) = site.sessions_of(PAGE)
    with pytest.raises(BlockFailure) as caught:
        run_session(entry.session, root / "examples", tmp_path / "work", timeout=120)
    assert "src/count.py as the page has the participant write it differs from the solution" in caught.value.reason
    assert "+print(sys.argv[1])" in caught.value.detail


def test_a_file_the_participant_writes_but_the_page_never_shows_fails(tmp_path):
    root = copy_site(tmp_path)
    page = root / PAGE
    text = page.read_text()
    start = text.index('```yaml title="settings.yaml"')
    rest = text[text.index("```console"):]
    page.write_text(text[:start] + rest.replace("$ sed -i 's/steps: 3/steps: 5/' settings.yaml\n", "")
                                   .replace("?? settings.yaml\n", ""))
    site, _ = read(root)
    (entry,) = site.sessions_of(PAGE)
    with pytest.raises(BlockFailure, match="the page never creates settings.yaml"):
        run_session(entry.session, root / "examples", tmp_path / "work", timeout=120)


def test_parameters_changed_by_experiments_need_only_the_solutions_keys(tmp_path):
    root = copy_site(tmp_path)
    page = root / PAGE
    page.write_text(page.read_text().replace("$ sed -i 's/steps: 3/steps: 5/' settings.yaml",
                                             "$ sed -i 's/name: tiny/label: tiny/' settings.yaml"))
    site, _ = read(root)
    (entry,) = site.sessions_of(PAGE)
    with pytest.raises(BlockFailure, match=r"settings.yaml at the end of the page does not have the solution's keys "
                                           r"\(differing: label, name\)"):
        run_session(entry.session, root / "examples", tmp_path / "work", timeout=120)
