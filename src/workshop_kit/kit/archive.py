"""Reproducible zips of a workshop's starting project and of its solution.

Same sources, same bytes: members are sorted, dated 1980-01-01, with fixed permissions, so a
digest tells whether what a participant downloads is what the tests ran. What Git would not
track (the project's `.gitignore`), caches and the kit's `omits` stay out; the starter also
leaves out the files the participant writes (`writes`).

pathspec (already installed with MkDocs) reads `.gitignore` files with Git's own rules.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pathspec
from pymdownx.snippets import SnippetPreprocessor

from .. import paths
from .config import Kit

ALWAYS_IGNORED = ["__pycache__/", "*.pyc", ".venv/", ".pytest_cache/", ".ipynb_checkpoints/", ".DS_Store",
                  ".dvc/cache/", ".dvc/tmp/", ".git/"]
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def _ignore_spec(project: Path) -> pathspec.PathSpec:
    lines = list(ALWAYS_IGNORED)
    gitignore = project / ".gitignore"
    if gitignore.is_file():
        lines += gitignore.read_text(encoding="utf-8").splitlines()
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _under(relative: str, paths: tuple[str, ...]) -> bool:
    return any(relative == path or relative.startswith(path + "/") for path in paths)


def project_files(project: Path, *, leave_out: tuple[str, ...] = ()) -> list[str]:
    """The project's files as Git would track them, sorted, as POSIX paths; minus `leave_out`.

    Symlinks are followed only while their target stays inside the repository (paths.py): one
    that leaves it is never read, so a link to /etc/passwd or /proc/self/environ puts nothing in a
    zip (`workshop check` and the build refuse it, naming the link)."""
    spec = _ignore_spec(project)
    repository = paths.repository_of(project)
    found, seen = [], set()
    for folder, dirs, files in os.walk(project, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:  # a symlink loop, or a folder reached twice
            dirs[:] = []
            continue
        seen.add(real)
        rel_folder = Path(folder).relative_to(project).as_posix()
        rel_folder = "" if rel_folder == "." else rel_folder + "/"
        dirs[:] = [d for d in dirs if not spec.match_file(rel_folder + d + "/")
                   and paths.inside(Path(folder) / d, repository)]
        for name in files:
            relative = rel_folder + name
            if spec.match_file(relative) or _under(relative, leave_out):
                continue
            if not paths.inside(Path(folder) / name, repository):
                continue  # a symlink leaving the repository: never shipped
            found.append(relative)
    return sorted(found)


def starter_files(kit: Kit, examples: Path) -> list[str]:
    return project_files(examples / kit.project, leave_out=kit.omits + kit.writes)


def solution_files(kit: Kit, examples: Path) -> list[str]:
    return project_files(examples / kit.project, leave_out=kit.omits)


def shipped_bytes(path: Path) -> bytes:
    """A project file as participants get it: the site's snippet section markers
    (`# --8<-- [start:detect]`, read by pymdownx.snippets with its own expression) are lines for
    the site alone, so text files lose them; everything else is the file's bytes."""
    data = path.read_bytes()
    if b"8<-" not in data:
        return data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    kept = [line for line in text.splitlines(keepends=True)
            if not ((found := SnippetPreprocessor.RE_SNIPPET_SECTION.match(line.rstrip("\r\n")))
                    and not found.group("escape"))]
    return "".join(kept).encode("utf-8")


def zip_bytes(project: Path, files: list[str], top: str, extra: dict[str, bytes] | None = None) -> bytes:
    """The files under one folder `top`, as a zip whose bytes depend on the contents alone;
    `extra` adds generated files (name -> bytes) beside them (check.py and its spec)."""
    extra = extra or {}
    clash = sorted(set(files) & set(extra))
    if clash:
        raise ValueError(f"{project}: {', '.join(clash)} would be replaced by the generated file of the same name: "
                         "rename the project's file")
    entries = [(relative, project / relative) for relative in files] + [(name, None) for name in extra]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for relative, source in sorted(entries):
            info = zipfile.ZipInfo(f"{top}/{relative}", date_time=FIXED_DATE)
            info.create_system = 3  # Unix, so the permission bits below are read on every system
            executable = source is not None and os.access(source, os.X_OK) and source.suffix in ("", ".sh", ".py")
            info.external_attr = (0o100000 | (0o755 if executable else 0o644)) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, shipped_bytes(source) if source is not None else extra[relative])
    return buffer.getvalue()


def starter_zip(kit: Kit, examples: Path, extra: dict[str, bytes] | None = None) -> bytes:
    """The starter; `extra`: the generated files it ships too (blocks/kit_checks.py: check.py and
    its spec, when the kit's handout has step checks)."""
    return zip_bytes(examples / kit.project, starter_files(kit, examples), kit.starter_name, extra)


def solution_zip(kit: Kit, examples: Path) -> bytes:
    return zip_bytes(examples / kit.project, solution_files(kit, examples), kit.solution_name)


def zip_digest(data: bytes) -> str:
    """A digest of a zip's members (paths and contents), independent of how it was compressed."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(archive.namelist()):
            if name.endswith("/"):
                continue
            top, _, relative = name.partition("/")
            digest.update(relative.encode() + b"\0" + hashlib.sha256(archive.read(name)).digest())
    return digest.hexdigest()


def tree_digest(folder: Path, files: list[str] | None = None) -> str:
    """The same digest for an unpacked folder (all its files, or the ones listed)."""
    if files is None:
        files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    digest = hashlib.sha256()
    for relative in sorted(files):
        digest.update(relative.encode() + b"\0" + hashlib.sha256((folder / relative).read_bytes()).digest())
    return digest.hexdigest()
