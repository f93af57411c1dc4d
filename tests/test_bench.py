"""The benchmarks measure what they say: checked without timing anything."""

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from site_build import generated_page, without_plugin  # noqa: E402 - bench/ is not a package


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def plugins(text: str) -> list:
    return [next(iter(p)) if isinstance(p, dict) else p for p in yaml.load(text, Loader=_Loader)["plugins"]]


def test_the_overhead_benchmark_removes_only_the_workshop_plugin():
    text = (ROOT / "mkdocs.yml").read_text()
    assert plugins(without_plugin(text)) == [p for p in plugins(text) if p != "workshop"]
    assert "workshop" in plugins(text)


def test_generated_pages_have_the_checklist_and_agenda_they_claim():
    page = generated_page(7)
    assert page.count("- [ ] ") == 20 and page.count("| 10 min |") == 10 and "/// timing" in page
