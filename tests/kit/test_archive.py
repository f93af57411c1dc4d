"""Starter and solution zips: reproducible, and holding what Git would track, minus what they must leave out."""

import io
import os
import shutil
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from workshop_kit.kit.archive import (
    project_files,
    solution_zip,
    starter_files,
    starter_zip,
    tree_digest,
    zip_bytes,
    zip_digest,
)
from workshop_kit.kit.config import Kit

FIXTURE = Path(__file__).parents[1] / "fixtures" / "kit-site" / "examples"
KIT = Kit("tiny-workshop", "tiny-kit", writes=("src/count.py", "settings.yaml"), omits=("tests", "notes"), git=True)


def project_with_clutter(tmp_path: Path) -> Path:
    examples = tmp_path / "examples"
    shutil.copytree(FIXTURE, examples)
    project = examples / "tiny-kit"
    for clutter in ("output/model.bin", "run.log", "src/__pycache__/count.cpython-311.pyc", ".venv/bin/python",
                    ".ipynb_checkpoints/x.ipynb", "tests/test_it.py", "notes/draft.md", ".dvc/cache/ab/cd"):
        (project / clutter).parent.mkdir(parents=True, exist_ok=True)
        (project / clutter).write_text("clutter")
    return examples


def test_the_starter_leaves_out_ignored_files_caches_omits_and_what_the_participant_writes(tmp_path):
    examples = project_with_clutter(tmp_path)
    assert starter_files(KIT, examples) == [".gitignore", "README.md", "data.txt", "requirements.txt"]
    assert project_files(examples / "tiny-kit", leave_out=KIT.omits) == [
        ".gitignore", "README.md", "data.txt", "requirements.txt", "settings.yaml", "src/count.py"]


def test_zips_are_the_same_bytes_for_the_same_sources_whatever_the_file_dates(tmp_path):
    examples = project_with_clutter(tmp_path)
    first = starter_zip(KIT, examples)
    for path in (examples / "tiny-kit").rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    assert starter_zip(KIT, examples) == first
    (examples / "tiny-kit" / "data.txt").write_text("changed")
    assert starter_zip(KIT, examples) != first


def test_members_sit_in_one_folder_named_after_the_kit(tmp_path):
    with zipfile.ZipFile(io.BytesIO(solution_zip(KIT, FIXTURE))) as archive:
        names = archive.namelist()
        assert all(name.startswith("tiny-workshop-solution/") for name in names)
        assert "tiny-workshop-solution/src/count.py" in names
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_an_unpacked_starter_has_the_zips_digest(tmp_path):
    data = starter_zip(KIT, FIXTURE)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(tmp_path)
    assert tree_digest(tmp_path / KIT.starter_name) == zip_digest(data)
    (tmp_path / KIT.starter_name / "data.txt").write_text("edited")
    assert tree_digest(tmp_path / KIT.starter_name) != zip_digest(data)


@settings(max_examples=30, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z]{1,6}(/[a-z]{1,6}){0,2}\.txt", fullmatch=True), st.binary(max_size=64),
                       min_size=1, max_size=8))
def test_any_tree_round_trips_through_its_zip(tmp_path_factory, files):
    root = tmp_path_factory.mktemp("tree")
    project = root / "examples" / "p"
    written = {}
    for relative, content in files.items():
        target = project / relative
        if any(parent.is_file() for parent in target.parents) or target.is_dir():
            continue  # a path that is another path's folder
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written[relative] = content
    kit = Kit("w", "p", omits=())
    data = starter_zip(kit, root / "examples")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()} == written
    assert zip_digest(data) == tree_digest(project, sorted(written))


def test_snippet_section_markers_stay_out_of_the_zips(tmp_path):
    """`# --8<-- [start:x]` lines serve the site's includes; a participant's file has none."""
    from workshop_kit.kit.archive import shipped_bytes

    source = tmp_path / "detector.py"
    source.write_text("import a\n# --8<-- [start:detect]\ndef detect():\n    pass\n# --8<-- [end:detect]\n"
                      "# ;--8<-- [start:x] (escaped: pymdownx shows it, so it stays)\n")
    assert shipped_bytes(source).decode() == "import a\ndef detect():\n    pass\n" \
        "# ;--8<-- [start:x] (escaped: pymdownx shows it, so it stays)\n"
    data = zip_bytes(tmp_path, ["detector.py"], "kit")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"--8<-- [start:detect]" not in archive.read("kit/detector.py")


def test_no_starter_of_the_site_holds_a_snippet_marker():
    from workshop_kit.blocks.index import site_kits

    root = Path(__file__).parents[2]
    kits, _ = site_kits(root / "mkdocs.yml")
    for kit in kits.values():
        with zipfile.ZipFile(io.BytesIO(starter_zip(kit, root / "examples"))) as archive:
            for name in archive.namelist():
                text = archive.read(name).decode("utf-8", errors="replace")
                assert "--8<-- [start:" not in text and "--8<-- [end:" not in text, name
