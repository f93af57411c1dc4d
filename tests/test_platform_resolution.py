"""The participant kit installs on the participant's laptop: Linux, macOS on Apple silicon, Windows.

Two checks.

**Resolution** (marked `network`). For every `examples/*/requirements.txt`, each platform below
and Python 3.11 and 3.12, pip's own resolver resolves the file against PyPI, as a participant's
`pip install -r requirements.txt` would, with `--dry-run --only-binary=:all:` and the target's
`--platform`, `--python-version`, `--implementation cp` and `--abi`. Each example x platform x
Python is one test item; they run a few at a time in the background as soon as the module starts.

- Wheels only: a participant's laptop has no compiler. Two dependencies of `dvc` are published
  as sdists only (`SDIST_ONLY`); both are pure Python, so the test builds their wheel once
  (`pip wheel --no-deps`), checks it is `py3-none-any`, and offers it with `--find-links`. Any
  other package without a wheel for a target fails the item, naming it.
- The real registry: pip runs with `PIP_CONFIG_FILE` set to the null device and without the
  `PIP_*` variables, so no local index, find-links or machine-wide constraint (this machine caps
  torch in /etc/xdg/pip) takes part, and with `--index-url https://pypi.org/simple`.
- The resolver is pip `RESOLVER_PIP`, fetched once from PyPI into test-artifacts/: the virtual
  environment's pip may be older (23.2 needs `--target` with `--platform` and is 2.5 times slower
  here, as an index without PEP 658 metadata makes pip download every wheel it considers).
- A resolver that backtracks around a missing wheel can succeed with a years-old release (dvc
  2.17 instead of 3.67 before the sdist-only wheels were offered): a direct requirement resolving
  older than the version constraints.txt pins, which CI tests, fails the item.
- Markers as the target evaluates them: `--platform` and `--python-version` choose wheels, but pip
  evaluates environment markers (`platform_system == "Linux"`, `python_version < "3.12"`) against
  the machine it runs on, so torch's Linux-only CUDA dependencies would be asked for on macOS and
  Windows. The resolver runs through `pip_for_target.py`, which sets packaging's marker
  environment to the target's (`TARGET_MARKERS`) before pip starts: what the participant's own pip
  evaluates.
- No CUDA: `tensorflow` (not `tensorflow-cpu`, which has no macOS arm64 wheel) pulls no
  `nvidia-*` CUDA package unless its `and-cuda` extra is asked; an item resolving one fails,
  except the exclusions in `CUDA_EXPECTED`, each with its reason, which the report lists and the
  page they name must state.

The items are skipped, with the reason, when PyPI does not answer. The report
(example x platform x Python, OK or FAIL, resolved tensorflow and torch, the newest glibc or
macOS tag among the chosen wheels) goes to test-artifacts/platform-resolution.md; with
WORKSHOP_RECORD_PLATFORMS=1 it is also written to bench/results/platforms.md, which is committed.

**POSIX-only code.** Participants run the example projects on Windows too: no example file that
a participant runs (every `.py` and notebook outside the projects' `tests/`, which are CI's
harness and run on Linux) may import a POSIX-only module or use a POSIX-only call or signal
outside a platform guard (`POSIX_MODULES`, `POSIX_NAMES`).
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

from workshop_kit.kit.targets import (
    PIP_FOR_TARGET,
    PLATFORMS,
    PYPI,
    PYTHONS,
    pip_environment,
    target_markers,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES_DIR = ROOT / "examples"
EXAMPLES = sorted(p.parent.name for p in EXAMPLES_DIR.glob("*/requirements.txt"))
ARTIFACTS = ROOT / "test-artifacts"
WORK = ARTIFACTS / "platform-resolution"
REPORT = ARTIFACTS / "platform-resolution.md"
BENCH = ROOT / "bench" / "results" / "platforms.md"

RESOLVER_PIP = "26.3"
# (example, platform): (why CUDA packages are resolved there, the page that tells participants, what it says)
CUDA_EXPECTED = {
    ("rock-paper-scissors", "linux-x86_64"): (
        "ultralytics needs torch, and PyPI's torch for Linux x86_64 is the CUDA build (NVIDIA's libraries come "
        "with it); PyTorch's CPU build is on PyTorch's own index, which the handout gives laptops without a GPU",
        "docs/rock-paper-scissors/handout.md", "https://download.pytorch.org/whl/cpu"),
}
# Packages published as an sdist only, which the test builds into a wheel itself: why each is needed.
SDIST_ONLY = {
    "nanotime==0.5.2": "dvc needs it through dvc-objects (nanotime>=0.5.2, an sdist only)",
    "antlr4-python3-runtime==4.9.3": "dvc needs it through hydra-core (antlr4-python3-runtime 4.9.*, an sdist only)",
}
ITEMS = [(example, platform, python) for example in EXAMPLES for platform in PLATFORMS for python in PYTHONS]
PURE_WHEEL = re.compile(r"-(py2\.)?py3-none-any\.whl$")
CUDA_PACKAGE = re.compile(r"^nvidia-(?!ml-py$)|cuda")  # nvidia-ml-py (NVML bindings, via dvclive) is no CUDA
PARALLEL = 3  # at once; all 30 took 3 to 6 min here (2 cores), 6 at once was no faster: the network is the limit
TIMEOUT = 900


def last_lines(text: str, count: int = 15) -> str:
    lines = [line for line in text.splitlines() if line.strip() and "━" not in line]
    errors = [line for line in lines if line.startswith("ERROR")]
    return "\n".join(errors or lines[-count:])


@dataclass
class Registry:
    """The resolver pip (on PYTHONPATH) and the wheels built from sdist-only packages."""

    pip_path: Path
    wheels: Path
    reports: Path  # this run's own

    def pip(self, *args: str, timeout: float = TIMEOUT, markers: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess:
        env = pip_environment(self.pip_path)
        command = [sys.executable, "-m", "pip"]
        if markers is not None:
            wrapper = WORK / "pip_for_target.py"
            if not wrapper.is_file() or wrapper.read_text() != PIP_FOR_TARGET:
                wrapper.write_text(PIP_FOR_TARGET)
            env["WK_TARGET_MARKERS"] = json.dumps(markers)
            command = [sys.executable, str(wrapper)]
        return subprocess.run([*command, *args], capture_output=True, text=True, timeout=timeout, env=env, cwd=WORK)


def prepare_registry() -> Registry:
    """Probes PyPI (skips when it does not answer), fetches the resolver pip, builds the sdist-only wheels."""
    WORK.mkdir(parents=True, exist_ok=True)
    download = WORK / "download"
    try:
        probe = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", f"--index-url={PYPI}",
             "--timeout=15", "--retries=1", "-q", "-d", str(download), f"pip=={RESOLVER_PIP}"],
            capture_output=True, text=True, timeout=120, env=pip_environment())
    except subprocess.TimeoutExpired:
        pytest.skip(f"the package registry ({PYPI}) did not answer within 120 s")
    if probe.returncode:
        reason = re.search(r"\[Errno -?\d+\][^'\")]*|Cannot connect to proxy|timed out|SSLError[^'\"]*", probe.stderr)
        pytest.skip(f"the package registry ({PYPI}) does not answer: "
                    f"{reason[0].strip() if reason else last_lines(probe.stderr, 1)}")
    pip_path = WORK / f"pip-{RESOLVER_PIP}"
    if not (pip_path / "pip" / "__main__.py").is_file():
        unpacked = Path(tempfile.mkdtemp(dir=WORK))
        with zipfile.ZipFile(next(download.glob(f"pip-{RESOLVER_PIP}-*.whl"))) as wheel:
            wheel.extractall(unpacked)
        try:
            unpacked.rename(pip_path)
        except OSError:  # another run unpacked it meanwhile
            shutil.rmtree(unpacked)
    registry = Registry(pip_path, WORK / "wheels", Path(tempfile.mkdtemp(dir=WORK, prefix="reports-")))
    registry.wheels.mkdir(exist_ok=True)
    for spec in SDIST_ONLY:
        name, version = spec.split("==")
        stem = f"{canonicalize_name(name).replace('-', '_')}-{version}-"
        if any(registry.wheels.glob(stem + "*.whl")):
            continue
        built = registry.pip("wheel", "--no-deps", "--no-binary=:all:", f"--index-url={PYPI}", "-q",
                             "-w", str(registry.wheels), spec)
        assert built.returncode == 0, f"building the wheel of {spec} failed:\n{last_lines(built.stderr)}"
    for wheel in registry.wheels.glob("*.whl"):
        assert PURE_WHEEL.search(wheel.name), (
            f"{wheel.name}: an sdist-only package built a platform-specific wheel; participants would need a compiler")
    return registry


@dataclass
class Resolution:
    example: str
    platform: str
    python: str
    returncode: int = -1
    error: str = ""
    seconds: float = 0.0
    installs: dict[str, tuple[str, str]] = field(default_factory=dict)  # name: (version, file name)

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def version(self, name: str) -> str:
        return self.installs.get(name, ("", ""))[0]

    def newest_tag(self) -> str:
        """The newest glibc or macOS that any chosen wheel is tagged for (the oldest system that takes them all).

        pip prefers the most specific wheel for the target, so an older system may still resolve, to other wheels.
        """
        oldest = (0, 0)
        for _, filename in self.installs.values():
            if not filename.endswith(".whl"):
                continue
            versions = []
            for tag in parse_wheel_filename(filename)[3]:
                if match := re.match(r"manylinux_(\d+)_(\d+)_", tag.platform):
                    versions.append((int(match[1]), int(match[2])))
                elif tag.platform.startswith("manylinux2014"):
                    versions.append((2, 17))
                elif tag.platform.startswith("manylinux2010"):
                    versions.append((2, 12))
                elif tag.platform.startswith("manylinux1"):
                    versions.append((2, 5))
                elif match := re.match(r"macosx_(\d+)_(\d+)_", tag.platform):
                    versions.append((int(match[1]), int(match[2])))
            if versions:
                oldest = max(oldest, min(versions))
        if oldest == (0, 0):
            return "-"
        return f"{'glibc' if self.platform.startswith('linux') else 'macOS'} {oldest[0]}.{oldest[1]}"


def resolve(registry: Registry, example: str, platform: str, python: str) -> Resolution:
    result = Resolution(example, platform, python)
    report = registry.reports / f"{example}-{platform}-{python}.json"
    started = time.monotonic()
    try:
        run = registry.pip(
            "install", "--dry-run", "--ignore-installed", "-q", "--only-binary=:all:",
            *(f"--platform={tag}" for tag in PLATFORMS[platform][0]), f"--python-version={python}",
            "--implementation=cp", f"--abi=cp{python.replace('.', '')}", f"--index-url={PYPI}",
            f"--find-links={registry.wheels}", "-r", str(EXAMPLES_DIR / example / "requirements.txt"),
            "--report", str(report), markers=target_markers(platform, python))
        result.returncode, result.error = run.returncode, last_lines(run.stderr)
    except subprocess.TimeoutExpired:
        result.error = f"the resolver did not finish within {TIMEOUT} s"
    result.seconds = time.monotonic() - started
    if result.ok:
        for item in json.loads(report.read_text())["install"]:
            name = canonicalize_name(item["metadata"]["name"])
            result.installs[name] = (item["metadata"]["version"], item["download_info"]["url"].rsplit("/", 1)[-1])
    return result


CACHE_HOURS = 24  # PyPI moves: a remembered resolution is trusted for a day


def cache_key(example: str, platform: str, python: str) -> str:
    """What a resolution depends on besides PyPI: the requirements, the pins, the target, the resolver."""
    parts = [(EXAMPLES_DIR / example / "requirements.txt").read_text(), (ROOT / "constraints.txt").read_text(),
             json.dumps(PLATFORMS[platform][0]), json.dumps(target_markers(platform, python)), RESOLVER_PIP,
             *sorted(SDIST_ONLY)]
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]
    return f"workshop-platforms/{example}-{platform}-{python}-{digest}"


class Resolutions:
    """Starts every selected item's resolution at once (PARALLEL at a time); items wait for their own.

    A successful resolution is remembered in pytest's cache (as the block runner's sessions are)
    under the hash of everything it depends on but PyPI, for CACHE_HOURS; `--cache-clear` forgets."""

    def __init__(self, registry: Registry | None, keys: list[tuple[str, str, str]], cache=None):
        self.registry = registry
        self.cache = cache
        self.pool = ThreadPoolExecutor(max_workers=PARALLEL)
        self.futures: dict[tuple[str, str, str], Future] = {}
        self.lock = threading.Lock()
        self.started = time.monotonic()
        for key in keys:
            self.submit(key)

    def remembered(self, key: tuple[str, str, str]) -> Resolution | None:
        if self.cache is None:
            return None
        data = self.cache.get(cache_key(*key), None)
        if not data or time.time() - data.get("at", 0) > CACHE_HOURS * 3600:
            return None
        result = Resolution(*key, returncode=0, seconds=0.0)
        result.installs = {name: tuple(value) for name, value in data["installs"].items()}
        return result

    def _resolve(self, key: tuple[str, str, str]) -> Resolution:
        result = resolve(self.registry or prepare_registry(), *key)
        if result.ok and self.cache is not None:
            self.cache.set(cache_key(*key), {"at": time.time(), "installs": result.installs})
        return result

    def submit(self, key: tuple[str, str, str]) -> Future:
        with self.lock:
            if key not in self.futures:
                known = self.remembered(key)
                if known is not None:
                    self.futures[key] = Future()
                    self.futures[key].set_result(known)
                else:
                    if self.registry is None:
                        self.registry = prepare_registry()
                    self.futures[key] = self.pool.submit(self._resolve, key)
            return self.futures[key]

    def get(self, example: str, platform: str, python: str) -> Resolution:
        return self.submit((example, platform, python)).result()

    def finished(self) -> list[Resolution]:
        return [future.result() for future in self.futures.values()
                if future.done() and not future.cancelled() and not future.exception()]


def pinned_versions() -> dict[str, Version]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            name, version = line.split("==", 1)
            pins[canonicalize_name(name.strip())] = Version(version.strip())
    return pins


def write_report(results: list[Resolution], wall: float) -> None:
    if not results:
        return
    lines = [
        "# Platform resolution of the example projects' requirements",
        "",
        f"pip {RESOLVER_PIP}'s resolver against PyPI, `--dry-run --only-binary=:all:`; wheels built from sdist-only "
        f"packages: {', '.join(SDIST_ONLY) or 'none'}. Measured {date.today().isoformat()} on "
        f"{os.cpu_count()} cores, {PARALLEL} resolutions at a time: {wall:.0f} s in all.",
        "",
        "| Platform | Stands for |",
        "| --- | --- |",
        *(f"| {name} | {meaning} |" for name, (_, meaning) in PLATFORMS.items()),
        "",
        "Newest wheel tag: the newest glibc or macOS that any wheel pip chose is tagged for. pip prefers the most "
        "specific wheel for the target, so an older system may still resolve, to other wheels.",
        "",
        "| Example | Platform | Python | Result | tensorflow | torch | Packages | Newest wheel tag | Seconds |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    order = {key: index for index, key in enumerate(ITEMS)}
    for r in sorted(results, key=lambda r: order.get((r.example, r.platform, r.python), len(order))):
        cells = [r.example, r.platform, r.python, "OK" if r.ok else "FAIL", r.version("tensorflow") or "-",
                 r.version("torch") or "-", str(len(r.installs)) if r.ok else "-", r.newest_tag() if r.ok else "-",
                 f"{r.seconds:.0f}"]
        lines.append(f"| {' | '.join(cells)} |")
    lines += ["", "## CUDA packages resolved on purpose", ""]
    lines += [f"- {example} on {platform}: {why} ({page})"
              for (example, platform), (why, page, _) in CUDA_EXPECTED.items()]
    failures = [r for r in results if not r.ok]
    if failures:
        lines += ["", "## Failures", ""]
        for r in failures:
            lines += [f"### {r.example}, {r.platform}, Python {r.python}", "", "```text", r.error, "```", ""]
    text = "\n".join(lines).rstrip() + "\n"
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text)
    if os.environ.get("WORKSHOP_RECORD_PLATFORMS") == "1":
        BENCH.write_text(text)


@pytest.fixture(scope="module")
def resolutions(request: pytest.FixtureRequest):
    keys = [tuple(item.callspec.params[name] for name in ("example", "platform", "python"))
            for item in request.session.items
            if getattr(item, "originalname", "") == "test_requirements_resolve_on_the_platform"]
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    runner = Resolutions(None, keys, cache)
    yield runner
    runner.pool.shutdown(wait=True, cancel_futures=True)
    fresh = [r for r in runner.finished() if r.seconds > 0 or not r.ok]
    if fresh:  # the report records what was resolved now, not what was remembered
        write_report(fresh, time.monotonic() - runner.started)
    if runner.registry is not None:
        shutil.rmtree(runner.registry.reports, ignore_errors=True)


@pytest.mark.network
@pytest.mark.parametrize(("example", "platform", "python"), ITEMS)
def test_requirements_resolve_on_the_platform(resolutions, example, platform, python):
    result = resolutions.get(example, platform, python)
    where = f"examples/{example}/requirements.txt on {platform}, Python {python}"
    if not result.ok:
        pytest.fail(f"{where} does not resolve with wheels only:\n{result.error}", pytrace=False)
    pins = pinned_versions()
    older = []
    for line in (EXAMPLES_DIR / example / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name = canonicalize_name(Requirement(line).name)
        resolved = result.version(name)
        assert resolved, f"{where}: {name} is not in the resolution"
        if name in pins and Version(resolved) < pins[name]:
            older.append(f"{name} {resolved} (constraints.txt, which CI tests, pins {pins[name]})")
    if older:
        pytest.fail(f"{where}: the resolver backtracked to older releases, probably around a package with no wheel "
                    f"for this platform: {', '.join(older)}", pytrace=False)
    cuda = sorted(name for name in result.installs if CUDA_PACKAGE.search(name))
    if (example, platform) in CUDA_EXPECTED:
        assert cuda, f"{where}: CUDA_EXPECTED lists it, but it pulls no CUDA package any more: drop the exclusion"
    elif cuda:
        pytest.fail(f"{where} pulls CUDA packages: {', '.join(cuda)}", pytrace=False)


@pytest.mark.parametrize("key", sorted(CUDA_EXPECTED))
def test_every_cuda_exclusion_is_stated_on_its_page(key):
    _, page, says = CUDA_EXPECTED[key]
    # The page as participants read it: its "Get the project" box expanded (a kit with
    # `torch_cpu: true` gives the CPU build's index there, before the first pip install).
    from workshop_kit.blocks.index import site_kits
    from workshop_kit.extensions.kit_box import expand

    kits, repo_url = site_kits(ROOT / "mkdocs.yml")
    lines = (ROOT / page).read_text(encoding="utf-8").splitlines()
    shown = "\n".join(line for line, _ in expand(lines, kits, str(Path(page).relative_to("docs")), "en", repo_url))
    assert says in shown, f"{page} must tell participants: {says}"


def test_the_marker_environment_is_the_targets():
    """The wrapper's environment, asked of packaging itself: torch's CUDA dependencies are for Linux only."""
    from packaging.markers import Marker

    linux_only = Marker('platform_system == "Linux" and platform_machine == "x86_64"')
    assert linux_only.evaluate(target_markers("linux-x86_64", "3.11"))
    assert not linux_only.evaluate(target_markers("macos-arm64", "3.11"))
    assert not linux_only.evaluate(target_markers("windows-x86_64", "3.12"))
    assert Marker('python_version >= "3.12"').evaluate(target_markers("linux-x86_64", "3.12"))


# --- POSIX-only code --------------------------------------------------------------------------

POSIX_MODULES = {"fcntl", "termios", "tty", "pty", "resource", "pwd", "grp", "spwd", "crypt", "nis", "syslog",
                 "posix", "curses", "readline"}
POSIX_NAMES = {
    "os": {"fork", "forkpty", "setsid", "setpgrp", "setpgid", "getpgid", "killpg", "getuid", "geteuid", "getgid",
           "getegid", "setuid", "setgid", "chown", "lchown", "mkfifo", "uname", "wait3", "wait4", "sysconf",
           "getloadavg"},
    "signal": {"SIGKILL", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD", "SIGSTOP", "SIGCONT",
               "SIGPIPE", "alarm", "setitimer", "pause"},
}
GUARD = re.compile(r"sys\.platform|os\.name|platform\.system|hasattr\((os|signal)\b")
GUARD_EXCEPTIONS = {"ImportError", "ModuleNotFoundError", "AttributeError"}


def posix_only_uses(source: str) -> list[tuple[int, str]]:
    """(line, what) for every POSIX-only import, name or argument outside a platform guard."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def guarded(node: ast.AST) -> bool:
        child = node
        while child in parents:
            parent = parents[child]
            if isinstance(parent, (ast.If, ast.IfExp, ast.While)) and GUARD.search(ast.unparse(parent.test)):
                return True
            if isinstance(parent, ast.Try) and child in parent.body:
                caught = {ast.unparse(handler.type) for handler in parent.handlers if handler.type is not None}
                if any(name in text for text in caught for name in GUARD_EXCEPTIONS):
                    return True
            child = parent
        return False

    found = []
    for node in ast.walk(tree):
        what = None
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names if alias.name.split(".")[0] in POSIX_MODULES]
            what = names and f"import {', '.join(names)}"
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in POSIX_MODULES:
                what = f"from {node.module} import ..."
            else:
                names = [alias.name for alias in node.names if alias.name in POSIX_NAMES.get(node.module, ())]
                what = names and f"from {node.module} import {', '.join(names)}"
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.attr in POSIX_NAMES.get(node.value.id, ()):
                what = f"{node.value.id}.{node.attr}"
        elif isinstance(node, ast.Call):
            keywords = {keyword.arg for keyword in node.keywords}
            if "preexec_fn" in keywords:
                what = "subprocess's preexec_fn"
            callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if callee in {"set_start_method", "get_context"} and node.args and isinstance(node.args[0], ast.Constant) \
                    and node.args[0].value in {"fork", "forkserver"}:
                what = f"multiprocessing's {node.args[0].value!r} start method"
        if what and not guarded(node):
            found.append((node.lineno, what))
    return sorted(found)


def participant_code() -> list[tuple[str, str, int]]:
    """(where, source, first line) for every Python file and notebook code cell a participant runs."""
    sources = []
    for path in sorted(EXAMPLES_DIR.rglob("*")):
        relative = path.relative_to(EXAMPLES_DIR)
        if "tests" in relative.parts or any(part.startswith(".") for part in relative.parts):
            continue
        if path.suffix == ".py":
            sources.append((f"examples/{relative}", path.read_text(encoding="utf-8")))
        elif path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            for number, cell in enumerate(cells, 1):
                if cell["cell_type"] == "code":
                    code = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                    # IPython's ! and % lines are no Python: blank them, keeping the line numbers.
                    code = "\n".join("" if line.lstrip().startswith(("!", "%")) else line
                                     for line in code.splitlines())
                    sources.append((f"examples/{relative}, cell {number}", code))
    return sources


def test_example_code_has_no_posix_only_imports_or_calls():
    sources = participant_code()
    assert len(sources) > 20, "the scan found almost no example code: has examples/ moved?"
    problems = [f"{where}:{line}: {what} (POSIX only: Windows participants would crash)"
                for where, source in sources for line, what in posix_only_uses(source)]
    assert not problems, "\n".join(problems)


def test_the_posix_scan_finds_each_kind_and_respects_guards():
    source = """\
import os, fcntl
from signal import SIGKILL
import subprocess, signal, sys
os.setsid()
signal.SIGTERM
os.kill(1, signal.SIGKILL)
subprocess.Popen(["x"], preexec_fn=os.setpgrp)
if sys.platform != "win32":
    import termios
    os.killpg(1, signal.SIGTERM)
try:
    import resource
except ImportError:
    resource = None
multiprocessing.get_context("fork")
multiprocessing.get_context("spawn")
"""
    assert posix_only_uses(source) == [
        (1, "import fcntl"), (2, "from signal import SIGKILL"), (4, "os.setsid"), (6, "signal.SIGKILL"),
        (7, "os.setpgrp"), (7, "subprocess's preexec_fn"), (15, "multiprocessing's 'fork' start method"),
    ]


class _DictCache(dict):
    def get(self, key, default):
        return super().get(key, default)

    def set(self, key, value):
        self[key] = json.loads(json.dumps(value))  # as pytest's cache stores it: JSON


def test_a_remembered_resolution_is_used_for_a_day_and_keyed_by_what_it_depends_on(monkeypatch):
    key = ("pokemon-dvc", "linux-x86_64", "3.11")
    cache = _DictCache()
    calls = []

    def fake_resolve(registry, *item):
        calls.append(item)
        result = Resolution(*item, returncode=0, seconds=1.0)
        result.installs = {"dvc": ("3.0.0", "dvc-3.0.0-py3-none-any.whl")}
        return result

    monkeypatch.setattr(sys.modules[__name__], "resolve", fake_resolve)
    monkeypatch.setattr(sys.modules[__name__], "prepare_registry", lambda: "registry")
    first = Resolutions(None, [key], cache)
    assert first.get(*key).version("dvc") == "3.0.0" and calls == [key]
    second = Resolutions(None, [key], cache)
    assert second.get(*key).installs == {"dvc": ("3.0.0", "dvc-3.0.0-py3-none-any.whl")}
    assert calls == [key] and second.registry is None, "a remembered resolution reached the registry"
    other_python = Resolutions(None, [(key[0], key[1], "3.12")], cache)
    other_python.get(key[0], key[1], "3.12")
    assert len(calls) == 2
    for value in cache.values():
        value["at"] -= (CACHE_HOURS + 1) * 3600
    Resolutions(None, [key], cache).get(*key)
    assert len(calls) == 3, "a stale resolution was trusted"
    assert cache_key(*key) != cache_key(key[0], "windows-x86_64", key[2])
