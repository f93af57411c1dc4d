"""pytest plugin: fixtures for testing a Workshop Kit site.

`built_site` builds the site once per test session with `--strict`; `site_url` serves it on
127.0.0.1; `browser` drives Debian's chromium through Playwright (never a downloaded browser).
Any project using the `workshop` MkDocs plugin gets these fixtures by installing the package.

It also collects the code blocks of every page under the site's docs folder (add the folder to
`testpaths`): one item per session of blocks, one skipped item per block that says why it cannot
run, and a per-workshop summary at the end. `--update-block-output` rewrites the expected output
of the pages' `console` and `pycon` blocks from what the commands print (blocks/update.py).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("WORKSHOP_KIT_CHROMIUM", "/usr/bin/chromium")
# Flags that keep a headless chromium quiet on a machine without internet access.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("workshop_kit")
    group.addoption("--mkdocs-config", default="mkdocs.yml", help="mkdocs.yml of the site under test")
    group.addoption("--examples-dir", default="examples", help="folder of the example projects blocks run in")
    group.addoption("--no-block-cache", action="store_true", help="run every block session, even unchanged ones")
    group.addoption("--block-cache-dir", default=".cache/workshop-blocks", help="where passed sessions are remembered")
    group.addoption("--block-timeout", type=float, default=900, help="seconds one block may run")
    group.addoption("--lock-file", default="constraints.txt", help="pinned versions; part of the block cache key")
    group.addoption(
        "--update-block-output", action="store_true",
        help="rewrite the expected output of console and pycon blocks (and [N] exit-code lines) in the pages from "
             "what the commands print, instead of failing on a difference; '...' lines, '...' in a line and "
             "' (re)' lines that still match are kept, every other byte of the page is left as it is; blocks "
             "included with --8<-- are not rewritten (a warning shows their new output); notebooks get their "
             "stored outputs rewritten. Review the diff, then run again without the option.")


def _rooted(config: pytest.Config, option: str) -> Path:
    path = Path(config.getoption(option))
    return path if path.is_absolute() else Path(config.rootpath) / path


def _site_blocks(config: pytest.Config) -> dict:
    """The site's blocks, read once per process (each xdist worker reads them the same way)."""
    if not hasattr(config, "workshop_blocks"):
        from .blocks.cache import PassCache
        from .blocks.index import read_site, site_kits, site_settings

        mkdocs_file = _rooted(config, "--mkdocs-config")
        docs, snippets = site_settings(mkdocs_file)
        examples = _rooted(config, "--examples-dir")
        lock_file = _rooted(config, "--lock-file")
        kits, repo_url = site_kits(mkdocs_file)
        site = read_site(mkdocs_file.parent, docs, examples, snippets, lock_file, kits, repo_url)
        cache = PassCache(_rooted(config, "--block-cache-dir"), enabled=not config.getoption("--no-block-cache"))
        config.workshop_blocks = {"site": site, "docs": docs, "root": mkdocs_file.parent, "examples": examples,
                                  "cache": cache, "timeout": config.getoption("--block-timeout"),
                                  "lock_file": lock_file if lock_file.is_file() else None,
                                  "update": config.getoption("--update-block-output"),
                                  "snippets": snippets, "kits": kits, "repo_url": repo_url}
    return config.workshop_blocks


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix not in (".md", ".ipynb"):
        return None
    mkdocs_file = _rooted(parent.config, "--mkdocs-config")
    if not mkdocs_file.is_file():
        return None
    blocks = _site_blocks(parent.config)
    if not file_path.is_relative_to(blocks["docs"]):
        return None
    from .blocks.pytest_items import make_page

    return make_page(parent, file_path, blocks["site"], file_path.relative_to(blocks["root"]))


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_BlockSummary(config), "workshop_kit_block_summary")


class _BlockSummary:
    """Counts block results per workshop (on the xdist controller too) and prints the table."""

    def __init__(self, config: pytest.Config):
        self.config = config
        self.tallies: dict = {}
        self.updated: list[str] = []

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
        elif props.get("wk_cached") and report.skipped:
            tally.cached += props["wk_blocks"]
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
            terminalreporter.write_sep("=", "expected output rewritten (--update-block-output)")
            for line in sorted(set(self.updated)):
                terminalreporter.write_line(line)
        if not self.tallies:
            return
        from .blocks.report import summary_lines, tally_found

        found = tally_found(_site_blocks(self.config)["site"])
        for name, tally in self.tallies.items():
            tally.found = found[name].found
            found[name] = tally
        terminalreporter.write_sep("=", "code blocks of the site")
        for line in summary_lines(found):
            terminalreporter.write_line(line)


def build_site(config_file: Path, site_dir: Path, *, strict: bool = True,
               generator: str = "mkdocs") -> subprocess.CompletedProcess:
    """Runs `<generator> build` in a child process, as a user would, and returns its result.

    `generator` is the module of an MkDocs-compatible generator: `mkdocs`, or `properdocs`."""
    command = [sys.executable, "-m", generator, "build", "--clean", "-f", str(config_file), "-d", str(site_dir)]
    if strict:
        command.append("--strict")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(command, capture_output=True, text=True, cwd=config_file.parent, env=env, timeout=600)


@pytest.fixture(scope="session")
def mkdocs_config(request: pytest.FixtureRequest) -> Path:
    path = Path(request.config.getoption("--mkdocs-config"))
    if not path.is_absolute():
        path = Path(request.config.rootpath) / path
    if not path.exists():
        pytest.fail(f"{path} not found; pass --mkdocs-config=PATH")
    return path


@pytest.fixture(scope="session")
def example_project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A factory: `example_project("pokemon-dvc")` gives a fresh temporary copy to run commands in."""
    from .example_project import ExampleProject

    examples = _rooted(request.config, "--examples-dir")

    def make(name: str) -> ExampleProject:
        if not (examples / name).is_dir():
            pytest.fail(f"no example project {examples / name}", pytrace=False)
        return ExampleProject(examples / name, tmp_path_factory.mktemp(name))

    return make


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


@pytest.fixture(scope="session")
def chromium_browser():
    """Headless Debian chromium driven by Playwright; install it with `make system-deps`."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run `make system-deps` (Debian package 'chromium')", pytrace=False)
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
