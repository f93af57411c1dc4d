"""Issue 23 §3: author text is text. Hypothesis draws payloads (scripts, event handlers, closing
tags, entities, `javascript:` URLs) and puts one in every place author text reaches a page: a
speaker note's title (`!!!` and `???`), a timing table's caption, header and cells, checklist
items, a fence's title and skip reason, and a speaker sheet holding all of these; the site is
built strictly, and the built page must have exactly the elements and attributes it has with a
harmless word in the same places: nothing from the payload became markup.

Kit names become file names, shell commands and page text: they are refused before they reach a
page (`parse_kits`), and the notebook box escapes what it prints.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parents[1] / "gates"))
from gate_sites import build_in_process, write_site  # noqa: E402

from workshop_kit.extensions.kit_box import notebook_box_html  # noqa: E402
from workshop_kit.kit.config import Kit, KitError, parse_kits  # noqa: E402

EXAMPLES = int(os.environ.get("WK_PROPERTY_EXAMPLES", "10"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, derandomize="WK_PROPERTY_EXAMPLES" not in os.environ,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Pieces of payloads; none holds Markdown's own syntax (`*`, `_`, backticks, `[`, `|`), so a
# difference in the built page can only come from HTML the payload made.
PIECES = [
    "<script>window.pwned=1</script>", "<img src=x onerror=alert(1)>", '<img src="x" onerror="alert(1)">',
    "<svg onload=alert(1)></svg>", "</div>", "</details>", "</summary>", "</p></div><div>", "</td></tr></table>",
    "</script><script>alert(1)</script>", "<iframe src=javascript:alert(1)></iframe>",
    "<a href=javascript:alert(1)>x</a>",
    "&lt;script&gt;alert(1)&lt;/script&gt;", "&#60;img src=x onerror=alert(1)&#62;", "&amp;lt;b&amp;gt;",
    "<!-- -->", "<b onmouseover=alert(1)>b</b>", "<style>body{display:none}</style>", "<details open>",
    "\" onfocus=alert(1) autofocus \"", "' onclick=alert(1) '", "<math><mi xlink:href=javascript:alert(1)>",
    "<xss-1 data-pwn=1>", "Explain the <details> element", "<kbd onclick=alert(1)>K</kbd>",
]
WORDS = st.sampled_from(["Welcome", "Build", "café", "x", "1 + 1", "Q&A"])
PAYLOAD = st.lists(st.one_of(st.sampled_from(PIECES), WORDS), min_size=1, max_size=4).map(" ".join)


def page(text: str) -> str:
    """The payload in every place a page's author text reaches the HTML."""
    skip = text.replace('"', "'")  # a fence option's value cannot hold its own quote
    return f"""---
project: demo
---

# Payloads

## Guide

- [ ] Do {text}
- [ ] INTERACTIVE: {text} again

!!! speaker "{text}"

    Note.

??? speaker "{text}"

    Collapsed note.

/// timing | {text}
    start: "09:00"

| Time | Session {text} | Kind |
| --- | --- | --- |
| 30 min | {text} | talk |
| 15 min | {text} and more | hands-on |
///

```bash skip="needs {skip}" title="{skip}"
echo hi
```
"""


# The speaker sheet: its workshop's name (the navigation section's title) reaches the page too.
SHEET = "# Sheet\n\n<div class=\"wk-sheet\" markdown>\n\n- [Guide](index.md)\n\n</div>\n"


def _shape(soup: BeautifulSoup) -> tuple[Counter, Counter, list[str]]:
    scope = soup.select_one("article") or soup
    tags = Counter(tag.name for tag in scope.find_all(True))
    attributes = Counter(f"{tag.name}@{name}" for tag in scope.find_all(True) for name in tag.attrs)
    urls = [str(tag.get(name)) for tag in scope.find_all(True) for name in ("href", "src", "action")
            if tag.get(name) is not None]
    return tags, attributes, urls


def _build(root: Path, text: str) -> tuple[BeautifulSoup, BeautifulSoup]:
    """The built guide page and speaker sheet."""
    if root.exists():
        shutil.rmtree(root)
    config = write_site(root, {"index.md": page(text), "sheet.md": SHEET}, hook=False)
    nav = f"nav:\n  - {json.dumps(text, ensure_ascii=False)}:\n    - index.md\n    - sheet.md\n"
    config.write_text(config.read_text().replace("docs_dir: docs\n", "docs_dir: docs\ntheme:\n  name: material\n  "
                                                 "font: false\n" + nav))
    result = build_in_process(config, root / "site")
    assert result.exception is None, (result.exception, result.warnings)
    read = lambda name: BeautifulSoup((root / "site" / name).read_text(encoding="utf-8"), "html.parser")  # noqa: E731
    return read("index.html"), read("sheet/index.html")


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    return [_shape(soup) for soup in _build(tmp_path_factory.mktemp("baseline") / "site", "harmless words")]


@PROPERTY
@given(text=PAYLOAD)
def test_no_payload_becomes_an_element_or_an_attribute_of_the_built_page(tmp_path_factory, baseline, text):
    guide, sheet = _build(tmp_path_factory.mktemp("payload") / "site", text)
    for soup, (base_tags, base_attributes, _) in zip((guide, sheet), baseline, strict=False):
        tags, attributes, urls = _shape(soup)
        assert tags == base_tags, f"elements differ for {text!r}: {(tags - base_tags) or (base_tags - tags)}"
        assert attributes == base_attributes, (f"attributes differ for {text!r}: "
                                               f"{(attributes - base_attributes) or (base_attributes - attributes)}")
        assert not [url for url in urls if url.strip().lower().startswith("javascript:")]
    # And the reader sees what the author wrote, as text: in the guide, and as the sheet's workshop.
    assert sheet.select_one(".wk-sheet")["data-wk-workshop"] == text
    first = text.split("<")[0].split("&")[0].strip()
    assert first in guide.select_one("article").get_text()


@pytest.mark.parametrize("name", [p for p in PIECES if "/" not in p] + ["-rf", ".hidden", "a b", "a;rm -rf ~"])
def test_a_kit_name_that_is_not_a_plain_folder_name_is_refused(name):
    with pytest.raises(KitError, match="must be a workshop folder name"):
        parse_kits({name: {"project": "demo"}})
    with pytest.raises(KitError, match="must name a folder under examples/"):
        parse_kits({"kit": {"project": name}})


def test_the_notebook_box_prints_its_names_as_text():
    box = notebook_box_html(Kit("kit", "demo"), "en", 'x.zip" onclick="alert(1)', "<img src=x onerror=alert(1)>.ipynb",
                            "javascript:alert(1)\" onclick=\"x")
    soup = BeautifulSoup(box, "html.parser")
    assert [tag.name for tag in soup.find_all(True) if tag.name not in ("div", "p", "code", "a")] == []
    assert not [tag for tag in soup.find_all(True) if any(name.startswith("on") for name in tag.attrs)]
    assert "<img src=x onerror=alert(1)>.ipynb" in soup.get_text()


def test_the_payloads_reach_every_place_on_the_page(tmp_path):
    """The baseline is not vacuous: the marker word shows in each place the property test fills."""
    soup, sheet = _build(tmp_path / "site", "MARKERWORD")
    assert sheet.select_one(".wk-sheet")["data-wk-workshop"] == "MARKERWORD"
    article = soup.select_one("article")
    places = {
        "checklist item": article.select("li.task-list-item"),
        "speaker note title": article.select(".speaker .admonition-title, details.speaker > summary"),
        "timing caption or cell": article.select(".wk-timing caption, .wk-timing td, .wk-timing th, "
                                                 "table td, table th"),
        "skip reason": article.select(".wk-block-origin, .wk-block-hint"),
        "fence title": article.select(".filename, .highlight span.filename"),
    }
    for place, found in places.items():
        assert any("MARKERWORD" in element.get_text() for element in found), (place, [str(e)[:200] for e in found])
