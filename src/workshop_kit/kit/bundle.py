"""An offline room: one workshop's site, kits and every wheel its participants install, in a folder
the speaker serves on the room's network.

    bundle/
      site/                 the built site, as published
      kits/                 the workshop's starter and solution zips
      wheels/               every wheel the project's requirements resolve to, for each target
      simple/               a PEP 503 index of wheels/ (pip install --index-url http://<speaker>/simple)
      manifest.json         every file's size and SHA-256; per target, its wheels and their total size
      README.txt            how to serve it and what participants type

Wheels come from pip's own `download`, pinned by constraints.txt, with each target's
`--platform`/`--python-version` and its environment markers (kit/targets.py). A requirement
published only as an sdist is built once into a wheel, which must be pure Python
(`py3-none-any`): a participant's laptop has no compiler. The bundle is reproducible: the same
inputs give the same manifest (no dates; files listed in sorted order).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..errors import WorkshopKitError
from .config import Kit
from .targets import PLATFORMS, PYPI, PYTHONS, pip_environment, pip_for_target, platform_arguments

PURE_WHEEL = re.compile(r"-(py2\.)?py3-none-any\.whl$")
SDIST = re.compile(r"\.(tar\.gz|zip|tar\.bz2)$")
TIMEOUT = 1800


class BundleError(WorkshopKitError):
    """A bundle that cannot be made; the message says what to do."""


@dataclass
class Target:
    platform: str
    python: str
    wheels: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.platform}-py{self.python}"


def parse_targets(values: list[str] | None) -> list[Target]:
    """`linux-x86_64/3.11` items; none: every platform on every supported Python."""
    if not values:
        return [Target(platform, python) for platform in PLATFORMS for python in PYTHONS]
    targets = []
    for value in values:
        platform, _, python = value.partition("/")
        if platform not in PLATFORMS or python not in PYTHONS:
            raise BundleError(f"unknown target '{value}': write PLATFORM/PYTHON with PLATFORM one of "
                              f"{', '.join(PLATFORMS)} and PYTHON one of {', '.join(PYTHONS)}, e.g. linux-x86_64/3.11")
        targets.append(Target(platform, python))
    return targets


def digest(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()


# Options of a requirements file that choose where pip fetches from, or whom it trusts: in a file
# read from examples/, they would send `pip download` (and the room's participants) elsewhere.
_SOURCE_OPTIONS = ("-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--trusted-host", "--no-index")
_FILE_OPTIONS = ("-r", "--requirement", "-c", "--constraint")


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, text) of each requirement, backslash-continued lines joined, comments removed
    (pip's reading: a `#` at the start of the line or after whitespace)."""
    found: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1]
            continue
        joined = re.sub(r"(^|\s)#.*$", "", pending + line).strip()
        pending = ""
        if joined:
            found.append((start, joined))
    if pending.strip():
        found.append((start, pending.strip()))
    return found


def check_requirements(requirements: Path, project: Path, shown: str, seen: set[Path] | None = None) -> None:
    """Refuses a requirements file (and the files it names with -r/-c) that sets where pip fetches
    from (an index, a find-links, a trusted host) or names a file outside the project: the bundle
    downloads from the index the speaker chose, and reads only the project's files. `shown` is how
    the file is named in the message (examples/<project>/requirements.txt)."""
    seen = set() if seen is None else seen
    seen.add(requirements.resolve())
    text = requirements.read_text(encoding="utf-8", errors="replace")
    for number, line in _logical_lines(text):
        if not line.startswith("-"):
            continue
        # `--index-url=URL`, `--index-url URL`, `-i URL`, `-iURL`.
        match = re.match(r"--[\w-]+|-\w", line)
        if match is None:
            continue
        option = match.group(0)
        value = line[len(option):].lstrip("= \t").strip()
        if option in _SOURCE_OPTIONS:
            raise BundleError(f"{shown}:{number}: '{option}' sets where pip downloads from; a bundle downloads "
                              "every requirement from the index given to `workshop bundle` (--index-url): "
                              "remove the line")
        if option in _FILE_OPTIONS:
            named = (requirements.parent / value) if value else requirements.parent
            if not value or not paths.inside(named, project):
                raise BundleError(f"{shown}:{number}: '{option} {value}' names a file outside the project "
                                  f"({project.name}/): a bundle reads only the project's own requirements; "
                                  "copy what it needs into the project")
            if not named.is_file():
                raise BundleError(f"{shown}:{number}: '{option} {value}': there is no such file in the project")
            if named.resolve() not in seen:
                inner = named.resolve().relative_to(project.resolve()).as_posix()
                check_requirements(named, project, f"{shown.split('/', 2)[0]}/{project.name}/{inner}", seen)


def _pip(command: list[str], env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*command, *args], capture_output=True, text=True, env=env, timeout=TIMEOUT,
                          stdin=subprocess.DEVNULL)


def _tail(text: str, count: int = 12) -> str:
    lines = [line for line in text.splitlines() if line.strip() and "━" not in line]
    errors = [line for line in lines if line.startswith("ERROR")]
    return "\n".join(errors or lines[-count:])


def build_sdist_wheels(requirements: Path, constraints: Path, wheels: Path, work: Path, index_url: str) -> list[str]:
    """The requirements' packages published only as sdists, built once into pure wheels in `wheels`."""
    host = work / "host"
    env = pip_environment()
    done = _pip([sys.executable, "-m", "pip"], env, "download", "-q", "--prefer-binary", f"--index-url={index_url}",
                "-d", str(host), "-r", str(requirements), "-c", str(constraints))
    if done.returncode:
        raise BundleError(f"pip could not download the requirements of {requirements}:\n{_tail(done.stderr)}")
    built = []
    for sdist in sorted(path for path in host.iterdir() if SDIST.search(path.name)):
        made = _pip([sys.executable, "-m", "pip"], env, "wheel", "-q", "--no-deps", f"--index-url={index_url}",
                    "-w", str(wheels), str(sdist))
        if made.returncode:
            raise BundleError(f"{sdist.name} is published as an sdist only and does not build:\n{_tail(made.stderr)}")
    for wheel in sorted(wheels.glob("*.whl")):
        if not PURE_WHEEL.search(wheel.name):
            raise BundleError(f"{wheel.name}: a package published as an sdist only builds a platform-specific wheel; "
                              "participants would need a compiler")
        built.append(wheel.name)
    shutil.rmtree(host, ignore_errors=True)
    return built


def download_target(target: Target, requirements: Path, constraints: Path, wheels: Path, work: Path,
                    index_url: str) -> list[str]:
    """Every wheel the requirements resolve to on `target`, added to `wheels`; their file names."""
    dest = work / target.name
    command, env = pip_for_target(work, target.platform, target.python)
    done = _pip(command, env, "download", "-q", f"--index-url={index_url}", f"--find-links={wheels}", "-d", str(dest),
                *platform_arguments(target.platform, target.python), "-r", str(requirements), "-c", str(constraints))
    if done.returncode:
        raise BundleError(f"the requirements do not resolve with wheels only on {target.name} "
                          f"({PLATFORMS[target.platform][1]}, Python {target.python}):\n{_tail(done.stderr)}")
    names = []
    for wheel in sorted(dest.glob("*.whl")):
        kept = wheels / wheel.name
        if kept.exists():
            if digest(kept) != digest(wheel):
                raise BundleError(f"two different files named {wheel.name}: the index changed during the bundle")
            wheel.unlink()
        else:
            wheel.replace(kept)
        names.append(wheel.name)
    shutil.rmtree(dest, ignore_errors=True)
    return names


def project_name(wheel: str) -> str:
    """PEP 503's normalized project name of a wheel file."""
    return re.sub(r"[-_.]+", "-", wheel.split("-", 1)[0]).lower()


def write_index(bundle: Path) -> None:
    """simple/index.html and simple/<project>/index.html over wheels/ (PEP 503, with digests)."""
    simple = bundle / "simple"
    shutil.rmtree(simple, ignore_errors=True)
    simple.mkdir()
    projects: dict[str, list[Path]] = {}
    for wheel in sorted((bundle / "wheels").glob("*.whl")):
        projects.setdefault(project_name(wheel.name), []).append(wheel)
    page = "<!DOCTYPE html>\n<html><head><meta name=\"pypi:repository-version\" content=\"1.0\">" \
           "<title>{title}</title></head><body>\n{links}</body></html>\n"
    (simple / "index.html").write_text(page.format(title="Simple index", links="".join(
        f'<a href="{html.escape(name)}/">{html.escape(name)}</a>\n' for name in sorted(projects))))
    for name, files in projects.items():
        (simple / name).mkdir()
        links = "".join(f'<a href="../../wheels/{html.escape(f.name)}#sha256={digest(f)}">{html.escape(f.name)}</a>\n'
                        for f in files)
        (simple / name / "index.html").write_text(page.format(title=f"Links for {html.escape(name)}", links=links))


README = """\
Offline room for the workshop "{workshop}"

Serve this folder on the room's network, for example with the room server:

    workshop room serve --offline {folder} --host 0.0.0.0

Participants then open http://<speaker's address>:<port>/ for the site and install the project's
packages from the bundle instead of the internet:

    pip install --index-url http://<speaker's address>:<port>/simple -r requirements.txt

Targets in this bundle: {targets}
manifest.json lists every file with its size and SHA-256.
"""


def make_bundle(kit: Kit, examples: Path, site_dir: Path, out: Path, targets: list[Target], constraints: Path, *,
                index_url: str = PYPI, log=print) -> dict:
    """Makes the bundle in `out` (new or empty); returns its manifest."""
    requirements = examples / kit.project / "requirements.txt"
    if not requirements.is_file():
        raise BundleError(f"examples/{kit.project}/requirements.txt does not exist: the kit has nothing to install")
    check_requirements(requirements, examples / kit.project, f"examples/{kit.project}/requirements.txt")
    if kit.torch_cpu and any(target.platform == "linux-x86_64" for target in targets):
        raise BundleError(f"kit '{kit.workshop}' installs PyTorch's CPU build on Linux, which is not on PyPI (PyPI's "
                          "Linux torch is the CUDA build, several GB): bundle the other targets "
                          "(--target macos-arm64/3.11 ...)")
    if not (site_dir / "index.html").is_file():
        raise BundleError(f"{site_dir} is not a built site (no index.html): run `make site` first")
    if out.exists() and any(out.iterdir()):
        raise BundleError(f"{out} is not empty: give a new folder")
    zips = sorted(path for path in site_dir.rglob("*.zip")
                  if path.stem in (kit.starter_name, kit.solution_name)
                  or path.stem.startswith(f"{kit.workshop}-step-"))
    if not any(path.stem == kit.starter_name for path in zips):
        raise BundleError(f"{site_dir} has no {kit.starter_name}.zip: build the site with kit '{kit.workshop}'")
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(site_dir, out / "site", symlinks=False)
    (out / "kits").mkdir()
    for path in zips:
        if not (out / "kits" / path.name).exists():
            shutil.copyfile(path, out / "kits" / path.name)
    wheels = out / "wheels"
    wheels.mkdir()
    with tempfile.TemporaryDirectory(prefix="wk-bundle-") as scratch:
        work = Path(scratch)
        log(f"building the wheels of sdist-only requirements of examples/{kit.project}")
        build_sdist_wheels(requirements, constraints, wheels, work, index_url)
        for target in targets:
            log(f"downloading the wheels for {target.name}")
            target.wheels = download_target(target, requirements, constraints, wheels, work, index_url)
    write_index(out)
    (out / "README.txt").write_text(README.format(workshop=kit.workshop, folder=out.name,
                                                  targets=", ".join(t.name for t in targets)))
    manifest = manifest_of(out, kit, targets)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def manifest_of(out: Path, kit: Kit, targets: list[Target]) -> dict:
    files = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file() and p.name != "manifest.json"):
        files[path.relative_to(out).as_posix()] = {"size": path.stat().st_size, "sha256": digest(path)}
    sizes = {name: entry["size"] for name, entry in files.items()}
    return {
        "workshop": kit.workshop,
        "project": kit.project,
        "targets": {t.name: {"platform": t.platform, "python": t.python, "wheels": sorted(t.wheels),
                             "bytes": sum(sizes[f"wheels/{name}"] for name in t.wheels)} for t in targets},
        "totals": {"site": sum(s for n, s in sizes.items() if n.startswith("site/")),
                   "kits": sum(s for n, s in sizes.items() if n.startswith("kits/")),
                   "wheels": sum(s for n, s in sizes.items() if n.startswith("wheels/")),
                   "all": sum(sizes.values())},
        "files": files,
    }
