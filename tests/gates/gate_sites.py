"""Tiny sites to run all four entry points on: `workshop check`, `workshop blocks`, the pytest
collection of the blocks, and the strict build (with the page checks wired in)."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from site_yaml import SUPERFENCES

HOOK = Path(__file__).with_name("build_checks_hook.py")

EXTENSIONS = """\
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - pymdownx.details
  - pymdownx.highlight
""" + SUPERFENCES + """\
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.tasklist:
      custom_checkbox: true
  - pymdownx.snippets:
      base_path: [snippets, examples]
      check_paths: true
"""

I18N = """\
  - i18n:
      docs_structure: suffix
      fallback_to_default: false
      languages:
        - locale: en
          default: true
          name: English
        - locale: fr
          name: Français
"""


def write_site(root: Path, pages: dict[str, str], *, i18n: bool = False, hook: bool = True) -> Path:
    """A site under `root` with `pages` (relative to docs/), examples/demo and a snippet."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "examples" / "demo").mkdir(parents=True, exist_ok=True)
    (root / "examples" / "demo" / "params.yaml").write_text("epochs: 3\n")
    (root / "snippets").mkdir(exist_ok=True)
    (root / "snippets" / "note.md").write_text("A shared note.\n")
    for name, text in pages.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config = "site_name: Gates\ndocs_dir: docs\nplugins:\n" + (I18N if i18n else "") + "  - workshop\n" + EXTENSIONS
    if hook:
        config += f"hooks:\n  - {HOOK}\n"
    (root / "mkdocs.yml").write_text(config)
    return root / "mkdocs.yml"


@dataclass
class BuildResult:
    exception: BaseException | None
    messages: list[tuple[int, str]] = field(default_factory=list)  # (level, message)

    @property
    def warnings(self) -> list[str]:
        return [message for level, message in self.messages if level >= logging.WARNING]


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[tuple[int, str]] = []

    def emit(self, record):
        self.records.append((record.levelno, record.getMessage()))


def build_in_process(config_file: Path, site_dir: Path) -> BuildResult:
    """`mkdocs build --strict`, in this process (fast enough for property tests)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    error = None
    here = os.getcwd()
    os.chdir(config_file.parent)  # pymdownx.snippets' base_path is relative to where mkdocs runs
    try:
        config = load_config(str(config_file), strict=True, site_dir=str(site_dir))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except BaseException as err:  # noqa: BLE001 - the caller decides what was allowed
        error = err
    finally:
        os.chdir(here)
        logger.removeHandler(handler)
        logger.setLevel(previous)
    return BuildResult(error, handler.records)


def build_subprocess(config_file: Path, site_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d",
                           str(site_dir)], capture_output=True, text=True, cwd=config_file.parent, timeout=600,
                          env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(config_file.parent),
                               **({"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {})})


PROBLEM_LINE = re.compile(r"(?P<path>docs/[^\s:]+)(?::(?P<line>\d+))?(?: \(vs [^)]*\))?: "
                          r"(?:warning: )?(?P<check>[a-z]+): ")
