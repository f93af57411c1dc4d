"""`make peer-test`: Python-Markdown's and pymdown-extensions' own test suites, run once as they are
and once with the Workshop Kit extensions injected into every Markdown instance (configured as the
MkDocs plugin configures them). Every test that passes without and fails with our extensions must
be listed, with the reason, in tests/peer/allowlist.txt (`test id pattern | reason`, `*` a wildcard); any other
is a regression of ordinary Markdown, and the run fails.

The sdists are fetched from the package index at the versions pinned in constraints.txt
(`pip download --no-binary :all:`) into .cache/peer-test/, so the run needs the index, like an
install. Usage: python tests/peer/peer_test.py [--report test-artifacts/peer-test.md]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CACHE = ROOT / ".cache" / "peer-test"
SUITES = {  # distribution -> (sdist name prefix, runner, tests folder)
    "Markdown": ("markdown", "unittest", "tests"),
    "pymdown-extensions": ("pymdown_extensions", "pytest", "tests"),
}


def pinned(name: str) -> str:
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.split("==")[0].strip().lower() == name.lower():
            return line.split("==", 1)[1].strip()
    raise SystemExit(f"peer-test: {name} is not pinned in constraints.txt")


def fetch(name: str, version: str) -> Path:
    """The unpacked sdist of name==version, downloaded once."""
    prefix = SUITES[name][0]
    folder = CACHE / f"{prefix}-{version}"
    if folder.is_dir():
        return folder
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                    f"{name}=={version}", "-d", str(CACHE)], check=True)
    archive = next(CACHE.glob(f"{prefix}-{version}.tar.gz"), None) or next(CACHE.glob(f"{name}-{version}.tar.gz"))
    with tarfile.open(archive) as sdist:
        sdist.extractall(CACHE, filter="data")
    return folder


# --- in the child process ---------------------------------------------------------------------

def inject() -> None:
    """Every Markdown instance gets the plugin's extensions, after its own ones."""
    import markdown.core

    from workshop_kit.extensions.checklist import DEFAULT_MARKERS, ChecklistExtension
    from workshop_kit.extensions.fences import FencesExtension
    from workshop_kit.extensions.kit_box import KitBoxExtension
    from workshop_kit.extensions.source import SourcePage
    from workshop_kit.extensions.speaker_notes import SpeakerNoteExtension
    from workshop_kit.extensions.timing.extension import TimingExtension

    original = markdown.core.Markdown.__init__

    def quiet(*_):
        return None

    def with_ours(self, **kwargs):
        original(self, **kwargs)
        page = SourcePage()
        self.registerExtensions([
            KitBoxExtension(kits={}, repo_url="", page=page, reporter=quiet),
            TimingExtension(page=page, clock="24h", reporter=quiet),
            ChecklistExtension(page=page, markers=list(DEFAULT_MARKERS), reporter=quiet),
            FencesExtension(page=page, examples_url="", examples_dir="examples"),
            SpeakerNoteExtension(),
        ], {})

    markdown.core.Markdown.__init__ = with_ours

    # SuperFences as mkdocs.yml configures it: every fence goes through our validator and
    # formatter (a catch-all custom fence), unless the test declares its own catch-all.
    import pymdownx.superfences as superfences

    from workshop_kit.extensions.fences import formatter, validator

    original_fences = superfences.SuperFencesCodeExtension.__init__

    def fences_with_ours(self, *args, **kwargs):
        original_fences(self, *args, **kwargs)
        custom = list(self.getConfig("custom_fences") or [])
        if not any(fence.get("name") == "*" for fence in custom):
            custom.append({"name": "*", "class": "highlight", "validator": validator, "format": formatter})
            self.setConfig("custom_fences", custom)

    superfences.SuperFencesCodeExtension.__init__ = fences_with_ours


def run_suite(runner: str, folder: Path, tests: str, injected: bool, out: Path) -> None:
    os.chdir(folder)
    sys.path.insert(0, str(folder))
    if injected:
        inject()
    outcomes: dict[str, str] = {}
    if runner == "unittest":
        import unittest

        class Recording(unittest.TextTestResult):
            def addSuccess(self, test):  # noqa: N802 - unittest's names
                super().addSuccess(test)
                outcomes[test.id()] = "passed"

            def addFailure(self, test, err):  # noqa: N802
                super().addFailure(test, err)
                outcomes[test.id()] = "failed"

            def addError(self, test, err):  # noqa: N802
                super().addError(test, err)
                outcomes[test.id()] = "failed"

            def addSkip(self, test, reason):  # noqa: N802
                super().addSkip(test, reason)
                outcomes[test.id()] = "skipped"

        suite = unittest.defaultTestLoader.discover(tests, top_level_dir=str(folder))
        unittest.TextTestRunner(resultclass=Recording, verbosity=0, stream=open(os.devnull, "w")).run(suite)
    else:
        import pytest

        names: dict[str, str] = {}

        class Recorder:
            def pytest_collection_modifyitems(self, items):
                """Parametrized cases named by their test file (`compare32` says nothing)."""
                for item in items:
                    params = getattr(getattr(item, "callspec", None), "params", {})
                    files = [str(v) for v in _flatten(params.values()) if isinstance(v, str) and v.endswith(".txt")]
                    if files:
                        names[item.nodeid] = f"{item.nodeid.split('[')[0]}[{os.path.relpath(files[0], folder)}]"

            def pytest_runtest_logreport(self, report):
                name = names.get(report.nodeid, report.nodeid)
                if report.when == "call" or report.outcome != "passed":
                    if name not in outcomes or report.outcome != "passed":
                        outcomes[name] = report.outcome

        pytest.main([tests, "-q", "--rootdir", str(folder), "-p", "no:cacheprovider", "-p", "no:workshop_kit",
                     "-p", "no:xdist", "-p", "no:randomly", "-o", "addopts=", "--no-header", "-W", "ignore"],
                    plugins=[Recorder()])
    out.write_text(json.dumps(outcomes))


def _flatten(values):
    for value in values:
        if isinstance(value, (list, tuple)):
            yield from _flatten(value)
        else:
            yield value


# --- the comparison ---------------------------------------------------------------------------

def outcomes_of(name: str, folder: Path, injected: bool) -> dict[str, str]:
    runner, tests = SUITES[name][1], SUITES[name][2]
    out = CACHE / f"{folder.name}-{'injected' if injected else 'plain'}.json"
    subprocess.run([sys.executable, __file__, "--child", runner, str(folder), tests, str(int(injected)), str(out)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800,
                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    if not out.is_file():
        raise SystemExit(f"peer-test: the {name} suite did not run ({'injected' if injected else 'plain'})")
    return json.loads(out.read_text())


def read_allowlist(path: Path) -> list[tuple[str, str]]:
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, _, reason = line.partition("|")
            entries.append((pattern.strip(), reason.strip()))
    return entries


def _matches(test_id: str, pattern: str) -> bool:
    """`*` matches anything; every other character (brackets included) is literal."""
    return re.fullmatch(".*".join(re.escape(part) for part in pattern.split("*")), test_id) is not None


def compare(results: dict[str, tuple[dict, dict]], allow: list[tuple[str, str]]) -> tuple[list, list, list]:
    """(allowed regressions, unlisted regressions, allow-list patterns that matched nothing)."""
    allowed, unlisted, used = [], [], set()
    for name, (plain, injected) in results.items():
        for test, outcome in sorted(plain.items()):
            if outcome != "passed" or injected.get(test) == "passed":
                continue
            test_id = f"{name}::{test}"
            reason = next((r for p, r in allow if _matches(test_id, p)), None)
            if reason:
                used.update(p for p, _ in allow if _matches(test_id, p))
                allowed.append((test_id, reason))
            else:
                unlisted.append((test_id, injected.get(test, "not run")))
    stale = [p for p, _ in allow if p not in used]
    return allowed, unlisted, stale


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        runner, folder, tests, injected, out = argv[1:6]
        run_suite(runner, Path(folder), tests, injected == "1", Path(out))
        return 0
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--report", type=Path, default=ROOT / "test-artifacts" / "peer-test.md")
    options.add_argument("--allowlist", type=Path, default=HERE / "allowlist.txt")
    args = options.parse_args(argv)
    results = {}
    for name in SUITES:
        version = pinned(name)
        folder = fetch(name, version)
        results[name] = (outcomes_of(name, folder, False), outcomes_of(name, folder, True))
        plain, injected = results[name]
        print(f"{name} {version}: {sum(v == 'passed' for v in plain.values())} passed as it is, "
              f"{sum(v == 'passed' for v in injected.values())} with our extensions")
    allowed, unlisted, stale = compare(results, read_allowlist(args.allowlist))
    lines = ["# Peer test: ordinary Markdown with the Workshop Kit extensions", ""]
    lines += [f"- {test}: intended ({reason})" for test, reason in allowed]
    lines += [f"- {test}: **regression** ({outcome} with our extensions)" for test, outcome in unlisted]
    lines += [f"- allow-list entry `{pattern}` matched no test: remove it" for pattern in stale]
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for test, reason in allowed:
        print(f"  intended: {test} ({reason})")
    for test, outcome in unlisted:
        print(f"  REGRESSION: {test} passes without our extensions, {outcome} with them")
    for pattern in stale:
        print(f"  stale allow-list entry: {pattern}")
    print(f"peer-test: {len(allowed)} intended difference(s), {len(unlisted)} regression(s); report: {args.report}")
    return 1 if unlisted else 0


if __name__ == "__main__":
    sys.exit(main())
