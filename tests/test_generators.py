"""The site on a second generator, and no workshop syntax left raw on any page.

A generator that silently ignores MkDocs plugins (Zensical does) would publish `/// timing` and
`- [ ]` as text; these tests catch that, and build the site with ProperDocs as well as MkDocs.
"""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from workshop_kit.pytest_plugin import build_site

ROOT = Path(__file__).parents[1]
RAW = ("/// timing", "/// get-project", "- [ ]", "- [x]", "!!! speaker")


def visible_text(html: str) -> str:
    """The page's article as a reader sees it, code samples aside (the authoring page shows the syntax)."""
    article = BeautifulSoup(html, "html.parser").select_one("article")
    if article is None:
        return ""
    for sample in article.select("pre, code"):
        sample.decompose()
    return article.get_text("\n")


def pages(site: Path) -> list[Path]:
    return sorted(path.relative_to(site) for path in site.rglob("index.html"))


def test_no_workshop_syntax_survives_raw_on_any_page(built_site):
    raw = [f"{page}: {marker}" for page in pages(built_site)
           for marker in RAW if marker in visible_text((built_site / page).read_text())]
    assert not raw, "\n".join(raw)


def markup(site: Path, page: Path) -> tuple:
    document = BeautifulSoup((site / page).read_text(), "html.parser")
    return (len(document.select("table.wk-timing, .wk-timing table")),
            [item.get("data-wk-id") for item in document.select("[data-wk-id]")],
            len(document.select(".admonition.kit")))


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("properdocs-site")
    result = build_site(ROOT / "mkdocs.yml", site, generator="properdocs")
    if result.returncode != 0:
        pytest.fail(f"properdocs build --strict failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return site


def test_properdocs_builds_the_same_pages_with_the_same_workshop_markup(built_site, properdocs_site):
    assert pages(properdocs_site) == pages(built_site)
    differ = [str(page) for page in pages(built_site) if markup(built_site, page) != markup(properdocs_site, page)]
    assert not differ, f"timing tables, checklist ids or kit boxes differ on: {differ}"
    assert sum(markup(built_site, page)[0] for page in pages(built_site)) >= 10, "the agendas' timing tables"
    assert sum(len(markup(built_site, page)[1]) for page in pages(built_site)) >= 50, "the guides' checklist items"
    assert sorted(p.name for p in (properdocs_site / "downloads").iterdir()) == sorted(
        p.name for p in (built_site / "downloads").iterdir())
