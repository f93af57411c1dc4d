"""One resolver for every path a page author names, each confined to its documented root.

    What the author names                       Its root
    `project:` / project="..." / notebook meta  examples/ (a folder under it)
    `setup:` scripts it runs (bash x.sh ...)    the project
    fence title="..." of a project's block      the project
    kit `writes:` / `omits:`                    the project
    --8<-- includes (snippets' base_path)       snippets/ and examples/ (the configured bases)
    pages, notebook pages                       the repository (the folder of mkdocs.yml)

A path is resolved after symlinks (`Path.resolve`), then must lie inside its root, itself
resolved: `../docs`, `/etc`, `src/../../x.py` and a symlink whose target leaves the repository
are refused with a message naming the root. A symlink whose target stays inside the repository is
followed (docs/half-day-lab/notebook-*.ipynb point into examples/landuse-lab/).

Nothing here imports the rest of the package: the checks, the block collector, the kit and the
MkDocs plugin all call it, so they refuse the same paths with the same words.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path, PurePosixPath

from .errors import WorkshopKitError


class PathRefused(WorkshopKitError):
    """A path an author named that leaves its root; the message names the root and the fix."""


def _real(path: Path) -> Path:
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError):  # a NUL byte, a loop too deep
        return Path(os.path.abspath(path))


def inside(path: Path, root: Path) -> bool:
    """`path`, resolved after symlinks, lies in `root` (resolved too), or is `root` itself."""
    return _real(path).is_relative_to(_real(root))


def _shown(root: Path, base: Path | None) -> str:
    if base is not None and root.is_relative_to(base):
        relative = root.relative_to(base).as_posix()
        return "the repository" if relative == "." else f"{relative}/"
    return f"{root}/"


def _through_link(root: Path, text: str) -> bool:
    """Does `root / text` pass through a symlink on its way (rather than climb out with '..')?"""
    current = root
    for part in PurePosixPath(text.replace("\\", "/")).parts:
        current = current.parent if part == ".." else current / part
        if part not in ("..", ".") and current.is_symlink():
            return True
    return False


def confine(root: Path, name: str, what: str, *, base: Path | None = None, fix: str = "") -> Path:
    """`root / name`, refused (PathRefused) when it resolves outside `root`.

    `what` names the value in the message ("project '../docs'"); `base` is the folder the message
    shows the root from (the repository); `fix` says what to write instead."""
    text = str(name)
    if "\0" in text:
        raise PathRefused(f"{what} holds a NUL character; {fix or 'write a plain relative path'}")
    candidate = root / text
    if PurePosixPath(text.replace("\\", "/")).is_absolute() or text.startswith("~"):
        raise PathRefused(f"{what} is an absolute path, but it must lie inside {_shown(root, base)}: "
                          f"{fix or 'write it relative to ' + _shown(root, base)}")
    if not inside(candidate, root):
        target = _real(candidate)
        how = "leads through a symlink to" if _through_link(root, text) else "resolves to"
        shown_target = target.relative_to(_real(base)).as_posix() if base is not None and target.is_relative_to(
            _real(base)) else str(target)
        raise PathRefused(f"{what} {how} {shown_target}, outside {_shown(root, base)}: "
                          f"{fix or 'keep it inside ' + _shown(root, base)}")
    return candidate


def project_folder(examples: Path, project: str, *, base: Path | None = None) -> Path:
    """The folder of an example project: one folder under `examples`, after symlinks."""
    base = base if base is not None else examples.parent
    folder = confine(examples, project, f"project '{project}'", base=base,
                     fix="name a folder under examples/, e.g. project=\"pokemon-dvc\"")
    if _real(folder) == _real(examples):
        raise PathRefused(f"project '{project}' is examples/ itself; name a folder under examples/, "
                          "e.g. project=\"pokemon-dvc\"")
    return folder


def project_file(project_dir: Path, name: str, what: str, *, base: Path | None = None) -> Path:
    """A file of a project named by the author (a fence title, a kit's writes/omits)."""
    return confine(project_dir, name.strip(), what, base=base,
                   fix="name a file of the project relative to its folder, e.g. title=\"src/train.py\"")


# Programs whose first operand is a script file the setup runs.
_RUNS_A_FILE = {"bash", "sh", "source", ".", "python", "python3"}


def setup_scripts(setup: str) -> list[str]:
    """The script files a front matter `setup:` runs (`bash scripts/x.sh --flag` -> scripts/x.sh),
    and any command run by its path (`./scripts/x.sh`, `/tmp/x.sh`)."""
    found = []
    for line in setup.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        for command in line.replace("&&", ";").replace("||", ";").replace("|", ";").split(";"):
            try:
                words = shlex.split(command)
            except ValueError:
                continue
            words = [word for word in words if "=" not in word.split("/", 1)[0] or word.startswith(("/", "."))]
            if not words:
                continue
            program = words[0]
            if program in _RUNS_A_FILE:
                operands = [word for word in words[1:] if not word.startswith("-")]
                if operands and not (program.startswith("python") and words[1:2] == ["-m"]):
                    found.append(operands[0])
            elif "/" in program:
                found.append(program)
    return found


def setup_problem(setup: str, project_dir: Path, *, base: Path | None = None) -> str | None:
    """Why a `setup:` cannot run in the project copy: a script it runs lies outside the project."""
    for script in setup_scripts(setup):
        try:
            confine(project_dir, script, f"setup: runs '{script}', which", base=base,
                    fix="put the script in the project and run it by its path inside it")
        except PathRefused as err:
            return str(err)
    return None


def escaping_symlinks(folder: Path, repository: Path) -> list[tuple[Path, Path]]:
    """Every symlink under `folder` whose target leaves `repository` (or dangles outside it), as
    (link, target). Symlinked folders inside the repository are walked once; loops end."""
    found: list[tuple[Path, Path]] = []
    if not folder.exists():
        return found
    seen: set[Path] = set()
    stack = [folder]
    while stack:
        current = stack.pop()
        real = _real(current)
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.name in (".git", ".venv", "__pycache__", ".dvc") and entry.is_dir(follow_symlinks=False):
                continue
            if entry.is_symlink():
                if not inside(path, repository):
                    found.append((path, _real(path)))
                    continue
            if entry.is_dir(follow_symlinks=True):
                stack.append(path)
    return sorted(found)


def published_from_outside(source: str | Path | None, docs: Path, repository: Path) -> bool:
    """A file the build found under docs/ (as listed, before symlinks) whose target leaves the
    repository: the build must leave it out (the page checks and the `paths` check report it).
    Theme files and generated files (not under docs/) are not concerned."""
    if not source:
        return False
    listed = Path(os.path.abspath(source))
    return listed.is_relative_to(Path(os.path.abspath(docs))) and not inside(listed, repository)


def repository_of(path: Path) -> Path:
    """The repository a project folder belongs to: the nearest folder above it holding mkdocs.yml
    (or .git); the folder itself when there is none."""
    path = Path(os.path.abspath(path))
    for folder in [path, *path.parents]:
        if (folder / "mkdocs.yml").is_file() or (folder / ".git").exists():
            return folder
    return path


def symlink_message(link: Path, target: Path, repository: Path, role: str) -> str:
    """One line for a symlink that leaves the repository."""
    shown = link.relative_to(repository).as_posix() if link.is_relative_to(repository) else str(link)
    return (f"{shown} is a symlink to {target}, outside the repository: {role} never follow such a link "
            "(the target's text would be published); replace the link with the file itself, or point it "
            "inside the repository")
