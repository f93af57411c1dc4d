"""pytest plugin: fixtures for testing a Workshop Kit site.

`built_site` builds the site once per test session with `--strict`; `site_url` serves it on
127.0.0.1; `browser` drives Debian's chromium through Playwright (never a downloaded browser).
Any project using the `workshop` MkDocs plugin gets these fixtures by installing the package.

It also collects the code blocks of every page under the site's docs folder (add the folder to
`testpaths`): one item per session of blocks, one skipped item per block that says why it cannot
run, and a per-workshop summary at the end. Every such item carries the `workshop_blocks` marker
(`pytest -m "not workshop_blocks"` leaves them out). Sessions that passed unchanged are remembered
under pytest's cache folder (`.pytest_cache/d/workshop-blocks/`) and deselected on the next run;
`pytest --cache-clear` or `--workshop-no-cache` runs them again. `--workshop-update-output`
rewrites the expected output of the pages' `console` and `pycon` blocks from what the commands
print (blocks/update.py).

Every option has an ini equivalent (`workshop_cache_dir = ...` in `[pytest]` or
`[tool.pytest.ini_options]`); the command line wins over the ini file, the ini file over the default.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest

from .blocks.shell import BLOCK_TIMEOUT
from .blocks.stash import SITE_BLOCKS

CHROMIUM = os.environ.get("WORKSHOP_KIT_CHROMIUM", "/usr/bin/chromium")
# Flags that keep a headless chromium quiet on a machine without internet access.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
MARKER = "workshop_blocks"
CACHE_NAME = "workshop-blocks"  # the folder under pytest's cache: .pytest_cache/d/workshop-blocks


@dataclass(frozen=True)
class Setting:
    """One option: `--workshop-<name>` on the command line, `workshop_<name>` in the ini file."""

    name: str
    help: str
    default: str | bool | None = None
    flag: bool = False  # a store_true option / a bool ini value
    metavar: str | None = None
    old: str | None = None  # the option's name before the `--workshop-` prefix: a hidden, deprecated alias

    @property
    def option(self) -> str:
        return "--workshop-" + self.name.replace("_", "-")

    @property
    def ini(self) -> str:
        return "workshop_" + self.name

    @property
    def old_dest(self) -> str:
        return "workshop_deprecated_" + self.name


SETTINGS = {s.name: s for s in [
    Setting("mkdocs_config", "mkdocs.yml of the site under test (relative to the rootdir)", "mkdocs.yml",
            metavar="PATH", old="--mkdocs-config"),
    Setting("examples_dir", "folder of the example projects blocks run in", "examples", metavar="DIR",
            old="--examples-dir"),
    Setting("no_cache", "run every block session, even those unchanged since they last passed", False, flag=True,
            old="--no-block-cache"),
    Setting("cache_dir", "where passed sessions are remembered (default: pytest's cache folder, "
            f".pytest_cache/d/{CACHE_NAME}; without the cacheprovider plugin and without this option, "
            "nothing is remembered)", None, metavar="DIR", old="--block-cache-dir"),
    Setting("block_timeout", "seconds one block may run before it and everything it started are stopped",
            str(BLOCK_TIMEOUT), metavar="SECONDS", old="--block-timeout"),
    Setting("lock_file", "pinned versions; part of the block cache key", "constraints.txt", metavar="PATH",
            old="--lock-file"),
    Setting("update_output", "rewrite the expected output of console and pycon blocks (and [N] exit-code lines) "
            "in the pages from what the commands print, instead of failing on a difference; every session "
            "runs, cached or not; '...' lines, '...' in a line and ' (re)' lines that still match are kept, "
            "every other byte of the page is left as it is; blocks included with --8<-- are not rewritten "
            "(a warning shows their new output); notebooks get their stored outputs rewritten. Review the "
            "diff, then run again without the option.", False, flag=True, old="--update-block-output"),
]}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("workshop_kit", "Workshop Kit: the site's code blocks")
    for setting in SETTINGS.values():
        names = [(setting.option, setting.ini, setting.help)]
        names += [(setting.old, setting.old_dest, argparse.SUPPRESS)] if setting.old else []
        for name, dest, text in names:
            if setting.flag:
                group.addoption(name, action="store_true", default=None, dest=dest, help=text)
            else:
                group.addoption(name, default=None, dest=dest, metavar=setting.metavar, help=text)
        kind: Literal["bool", "string"] = "bool" if setting.flag else "string"
        parser.addini(setting.ini, f"default for {setting.option}: {setting.help}", type=kind,
                      default="" if setting.default is None else setting.default)


def setting(config: pytest.Config, name: str):
    """The value of one option: command line (new name, then the deprecated one), ini file, default."""
    spec = SETTINGS[name]
    for dest in (spec.ini, spec.old_dest):
        value = config.getoption(dest, None)
        if value is not None:
            return value
    value = config.getini(spec.ini)
    return None if value == "" else value


def _rooted(config: pytest.Config, name: str) -> Path:
    path = Path(setting(config, name))
    return path if path.is_absolute() else Path(config.rootpath) / path


def _explicit_cache_dir(config: pytest.Config) -> Path | None:
    return _rooted(config, "cache_dir") if setting(config, "cache_dir") else None


def _pass_cache(config: pytest.Config):
    """The pass cache: an explicit folder, else pytest's own cache folder (so `--cache-clear` empties
    it, and xdist workers, which share the controller's rootdir, read and write the same one); off
    without either, or with --workshop-no-cache."""
    from .blocks.cache import PassCache

    if setting(config, "no_cache"):
        return PassCache(None)
    directory = _explicit_cache_dir(config)
    if directory is None and getattr(config, "cache", None) is not None:
        directory = config.cache.mkdir(CACHE_NAME)
    return PassCache(directory)


def _site_blocks(config: pytest.Config) -> dict:
    """The site's blocks, read once per process (each xdist worker reads them the same way)."""
    if SITE_BLOCKS not in config.stash:
        from .blocks.index import read_site, site_kits, site_settings

        mkdocs_file = _rooted(config, "mkdocs_config")
        docs, snippets = site_settings(mkdocs_file)
        examples = _rooted(config, "examples_dir")
        lock_file = _rooted(config, "lock_file")
        kits, repo_url = site_kits(mkdocs_file)
        site = read_site(mkdocs_file.parent, docs, examples, snippets, lock_file, kits, repo_url)
        config.stash[SITE_BLOCKS] = {
            "site": site, "docs": docs, "root": mkdocs_file.parent, "examples": examples,
            "cache": _pass_cache(config), "timeout": float(setting(config, "block_timeout")),
            "lock_file": lock_file if lock_file.is_file() else None, "update": bool(setting(config, "update_output")),
            "snippets": snippets, "kits": kits, "repo_url": repo_url,
        }
    return config.stash[SITE_BLOCKS]


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix not in (".md", ".ipynb"):
        return None
    mkdocs_file = _rooted(parent.config, "mkdocs_config")
    if not mkdocs_file.is_file():
        return None
    blocks = _site_blocks(parent.config)
    if not file_path.is_relative_to(blocks["docs"]):
        return None
    from .blocks.pytest_items import make_page

    return make_page(parent, file_path, blocks["site"], file_path.relative_to(blocks["root"]))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}: a session or a skipped code block of the site's pages "
                                       "(Workshop Kit); `-m \"not workshop_blocks\"` leaves them out")
    config.pluginmanager.register(_BlockSummary(config), "workshop_kit_block_summary")
    if hasattr(config, "workerinput"):
        return  # an xdist worker: the controller has warned and cleared already
    for spec in SETTINGS.values():
        if config.getoption(spec.old_dest, None) is not None:
            config.issue_config_time_warning(pytest.PytestDeprecationWarning(
                f"{spec.old} is deprecated: use {spec.option} (or {spec.ini} in the ini file)"), stacklevel=2)
    explicit = _explicit_cache_dir(config)
    if explicit is not None and config.getoption("cacheclear", False):
        # pytest's --cache-clear empties its own folder (the default one); an explicit folder too.
        from .blocks.cache import PassCache

        PassCache(explicit).clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    """A skipped block's skip is reported at its page and line (the item's reportinfo()), not at
    the line of pytest_items.py that raised it: the public way to what pytest's private
    `_use_item_location` does."""
    report = yield
    locate = getattr(item, "skip_location", None)
    if locate is not None and report.skipped and isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
        report.longrepr = (*locate(), report.longrepr[2])
    return report


def pytest_unconfigure(config: pytest.Config) -> None:
    from .blocks.pytest_items import remove_work_base

    remove_work_base(config)


class _BlockSummary:
    """Counts block results per workshop (on the xdist controller too) and prints the table."""

    def __init__(self, config: pytest.Config):
        self.config = config
        self.tallies: dict = {}
        self.updated: list[str] = []
        # (workshop, blocks) of every session deselected as unchanged since it last passed; under
        # xdist each worker deselects the same ones and the controller takes them from a worker.
        self.cached: list[tuple[str, int]] | None = None

    @pytest.hookimpl(trylast=True)  # after -m/-k, which may have deselected some already
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list) -> None:
        if SITE_BLOCKS not in config.stash:
            return
        from .blocks.pytest_items import cached_sessions

        cached = cached_sessions(items, config.stash[SITE_BLOCKS])
        if not cached:
            return
        gone = {id(item) for item in cached}
        items[:] = [item for item in items if id(item) not in gone]
        config.hook.pytest_deselected(items=cached)
        self.cached = [(item.workshop, item.blocks) for item in cached]
        if hasattr(config, "workeroutput"):
            config.workeroutput["workshop_blocks_cached"] = self.cached

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error) -> None:
        cached = getattr(node, "workeroutput", {}).get("workshop_blocks_cached")
        if cached is not None and self.cached is None:
            self.cached = [tuple(pair) for pair in cached]

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus) -> None:
        # Every selected session known good is a success, not "no tests collected" (exit code 5).
        if self.cached and session.exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
            session.exitstatus = pytest.ExitCode.OK

    def pytest_runtest_logreport(self, report) -> None:
        props = dict(report.user_properties)
        if report.when == "call" and props.get("wk_updated"):
            self.updated += props["wk_updated"]
        if "wk_kind" not in props or report.when not in ("setup", "call") or (report.when == "setup" and report.passed):
            return
        from .blocks.report import Tally

        tally = self.tallies.setdefault(props["wk_workshop"], Tally())
        if props["wk_kind"] == "skip":
            tally.skipped[props["wk_reason"]] += 1
        elif report.failed and "wk_failed" in props:  # a block failed: count what happened
            tally.run += props["wk_passed"] + props["wk_failed"]
            tally.passed += props["wk_passed"]
            tally.failed += props["wk_failed"]
            tally.never_ran += props["wk_never_ran"]
        elif report.passed or report.failed:
            tally.run += props["wk_blocks"] if report.passed else 0
            tally.passed += props["wk_blocks"] if report.passed else 0
            tally.failed += 0 if report.passed else 1

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if self.updated:
            terminalreporter.write_sep("=", f"expected output rewritten ({SETTINGS['update_output'].option})")
            for line in sorted(set(self.updated)):
                terminalreporter.write_line(line)
        if not self.tallies and not self.cached:
            return
        from .blocks.report import Tally, cached_line, summary_lines, tally_found

        for workshop, blocks in self.cached or []:
            self.tallies.setdefault(workshop, Tally()).cached += blocks
        found = tally_found(_site_blocks(self.config)["site"])
        # The workshops this run selected: a one-page run does not list every other workshop at zero.
        shown = {}
        for name, tally in self.tallies.items():
            tally.found = found[name].found
            shown[name] = tally
        terminalreporter.write_sep("=", "code blocks of the site" if len(shown) == len(found)
                                   else f"code blocks of the selected workshops ({len(shown)} of {len(found)})")
        if self.cached:
            terminalreporter.write_line(cached_line(len(self.cached)))
        for line in summary_lines(shown):
            terminalreporter.write_line(line)


def build_site(config_file: Path, site_dir: Path, *, strict: bool = True,
               generator: str = "mkdocs") -> subprocess.CompletedProcess:
    """Runs `<generator> build` in a child process, as a user would, and returns its result.

    `generator` is the module of an MkDocs-compatible generator: `mkdocs`, or `properdocs`."""
    # Absolute paths: the child runs in the configuration's folder, and no path reads as an option.
    config_file, site_dir = Path(os.path.abspath(config_file)), Path(os.path.abspath(site_dir))
    command = [sys.executable, "-m", generator, "build", "--clean", "-f", str(config_file), "-d", str(site_dir)]
    if strict:
        command.append("--strict")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(command, capture_output=True, text=True, cwd=config_file.parent, env=env, timeout=600)


@pytest.fixture(scope="session")
def mkdocs_config(request: pytest.FixtureRequest) -> Path:
    path = _rooted(request.config, "mkdocs_config")
    if not path.exists():
        spec = SETTINGS["mkdocs_config"]
        pytest.fail(f"{path} not found; pass {spec.option}=PATH (or set {spec.ini} in the ini file)")
    return path


@pytest.fixture(scope="session")
def example_project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A factory: `example_project("pokemon-dvc")` gives a fresh temporary copy to run commands in."""
    from .example_project import ExampleProject

    examples = _rooted(request.config, "examples_dir")

    made: list[ExampleProject] = []

    def make(name: str) -> ExampleProject:
        if not (examples / name).is_dir():
            pytest.fail(f"no example project {examples / name}", pytrace=False)
        made.append(ExampleProject(examples / name, tmp_path_factory.mktemp(name)))
        return made[-1]

    yield make
    # Nothing an example's commands started outlives the test run (blocks/processes.py).
    survivors = [leftover for project in made for leftover in project.stop_processes()]
    if survivors:
        pytest.fail("processes of example projects survived SIGKILL: " + "; ".join(map(str, survivors)), pytrace=False)


@pytest.fixture(scope="session")
def built_site(mkdocs_config: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built once, strictly, into a temporary folder (never into the repository)."""
    site_dir = tmp_path_factory.mktemp("site")
    result = build_site(mkdocs_config, site_dir)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return site_dir


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A browser that drops a connection (a page closed mid-load) is not an error of the site."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve_directory(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serves `directory` on 127.0.0.1 and a free port, in a daemon thread."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    server, url = serve_directory(built_site)
    yield url
    server.shutdown()


def in_ci() -> bool:
    """True where the environment says it is CI: GitHub Actions and most others set CI=true."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no", "off")


@pytest.fixture(scope="session")
def chromium_browser():
    """Headless Debian chromium driven by Playwright; install it with `make system-deps`.

    Without the browser its tests are skipped, with the reason, on a developer's machine, and fail
    in CI (where `CI` is set), so a CI that lost its browser does not pass quietly."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} not found: run `make system-deps` (Debian package 'chromium')"
        if in_ci():
            pytest.fail(f"{reason}; CI needs it", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def browser_page(chromium_browser):
    """A fresh browser context per test: no state (localStorage, cookies) leaks between tests."""
    context = chromium_browser.new_context()
    # The suite runs browser tests beside heavy example sessions: allow a busy machine its time.
    context.set_default_timeout(90_000)
    page = context.new_page()
    yield page
    context.close()
