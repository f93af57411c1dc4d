"""Build benchmarks: the real site, the plugin's overhead on it, and scaling with page count."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from common import ROOT, build, median, timed


def bench_build() -> tuple[str, str]:
    """The whole site, strictly, as `make site` builds it."""
    with tempfile.TemporaryDirectory() as out:
        times = timed(lambda: build(ROOT / "mkdocs.yml", Path(out)), 3)
    return "strict site build (both languages)", f"median {median(times):.2f} s over 3 runs"


def without_plugin(config_text: str) -> str:
    """mkdocs.yml without the `workshop` plugin entry (its options are the lines indented under it)."""
    return re.sub(r"^  - workshop:\n(?:      .*\n)*", "", config_text, flags=re.M)


def bench_overhead() -> tuple[str, str]:
    """The same pages with and without the plugin, alternating, in one run (target: under 10 %).

    Notebook pages are left out of both builds: without the plugin, static-i18n leaves them
    unrendered, which would count their nbconvert time as the plugin's.
    """
    text = (ROOT / "mkdocs.yml").read_text() + "\nexclude_docs: |\n  *.ipynb\n"
    stripped = without_plugin(text)
    assert stripped != text, "the workshop plugin entry was not found in mkdocs.yml"
    configs = {name: ROOT / f"mkdocs.bench-{name}.tmp.yml" for name in ("with", "without")}  # beside mkdocs.yml:
    configs["with"].write_text(text)  # its relative paths must hold
    configs["without"].write_text(stripped)
    times: dict[str, list[float]] = {"with": [], "without": []}
    try:
        with tempfile.TemporaryDirectory() as out:
            for _ in range(5):
                for name, config in configs.items():
                    times[name] += timed(lambda config=config, name=name:
                                         build(config, Path(out) / name, strict=False), 1)
    finally:
        for config in configs.values():
            config.unlink()
    with_plugin, plain = median(times["with"]), median(times["without"])
    return ("`workshop` plugin overhead on the site build (notebook pages aside)",
            f"{(with_plugin - plain) / plain * 100:+.0f} % (median {with_plugin:.2f} s with, "
            f"{plain:.2f} s without, 5 runs each)")


CONFIG = """\
site_name: Scaling
theme:
  name: material
  font: false
plugins:
  - workshop
markdown_extensions:
  - tables
  - pymdownx.tasklist:
      custom_checkbox: true
"""


def generated_page(number: int) -> str:
    items = "\n".join(f"- [ ] Step {i} of page {number}" for i in range(20))
    rows = "\n".join(f"| 10 min | Session {i} | {'talk' if i % 2 else 'hands-on'} |" for i in range(10))
    return (f"# Page {number}\n\n## Checklist\n\n{items}\n\n## Agenda\n\n/// timing\n    start: \"09:00\"\n\n"
            f"| Duration | Session | Kind |\n| --- | --- | --- |\n{rows}\n///\n")


def bench_scaling() -> tuple[str, str]:
    """Generated sites of 10, 100 and 1000 pages, each with a 20-item checklist and a 10-row agenda."""
    figures = []
    for count in (10, 100, 1000):
        with tempfile.TemporaryDirectory() as root:
            docs = Path(root) / "docs"
            docs.mkdir()
            (docs / "index.md").write_text("# Home\n")
            for number in range(count):
                (docs / f"page-{number}.md").write_text(generated_page(number))
            (Path(root) / "mkdocs.yml").write_text(CONFIG)
            seconds = median(timed(lambda: build(Path(root) / "mkdocs.yml", Path(root) / "site"), 1))
        figures.append(f"{count}: {seconds / count * 1000:.1f} ms/page")
    return "build time per page (checklist + agenda pages)", ", ".join(figures)
