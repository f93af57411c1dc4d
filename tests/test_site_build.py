"""One full strict build of the real site, and what a reader finds in it."""

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md") if not p.name.endswith(".fr.md"))
NOTEBOOKS = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.ipynb") if not p.name.endswith(".fr.ipynb"))


def html_path(page: str, lang: str) -> str:
    stem = page.rsplit(".", 1)[0]
    url = "" if stem == "index" else (stem[: -len("index")] if stem.endswith("/index") else stem + "/")
    return ("fr/" if lang == "fr" else "") + url + "index.html"


def soup(site: Path, relative: str) -> BeautifulSoup:
    return BeautifulSoup((site / relative).read_text(), "html.parser")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_built_in_both_languages(built_site, page):
    for lang in ("en", "fr"):
        document = soup(built_site, html_path(page, lang))
        assert document.html["lang"] == lang
        assert document.select_one("article h1"), f"{page} ({lang}) has no title"


@pytest.mark.parametrize("page", PAGES + NOTEBOOKS)
def test_language_switcher_stays_on_the_same_page(built_site, page):
    for lang, other in (("en", "fr"), ("fr", "en")):
        here = html_path(page, lang)
        link = soup(built_site, here).select_one(f'a.md-select__link[hreflang="{other}"]')
        target = urljoin("http://site/" + here, link["href"])
        assert target.removeprefix("http://site/").removesuffix("index.html") == \
            html_path(page, other).removesuffix("index.html")


def test_home_lists_the_five_workshops_with_their_facts(built_site):
    for lang, heading in (("en", "Cloud account"), ("fr", "Compte cloud")):
        table = soup(built_site, html_path("index.md", lang)).select_one("article table")
        assert heading in table.get_text()
        rows = table.select("tbody tr")
        assert len(rows) == 5
        for row in rows:
            cells = [c.get_text(strip=True) for c in row.select("td")]
            assert all(cells), cells
            assert re.search(r"\d+ ?h|jour|day", cells[1])


@pytest.mark.parametrize("workshop", [p.name for p in DOCS.iterdir() if p.is_dir()])
def test_agendas_render_as_clean_timing_tables(built_site, workshop):
    for lang in ("en", "fr"):
        document = soup(built_site, html_path(f"{workshop}/agenda.md", lang))
        tables = document.select("div.wk-timing table")
        assert len(tables) == 1
        assert not document.select(".wk-timing-error, .wk-timing-problems")
        rows = tables[0].select("tr.wk-timing-row")
        assert rows and all(r.get("data-start") and r.get("data-end") for r in rows)
        assert tables[0].select_one("tfoot tr.wk-timing-total")


def test_the_tooling_day_runs_nine_to_four(built_site):
    rows = soup(built_site, html_path("ml-tooling-day/agenda.md", "en")).select("tr.wk-timing-row")
    assert rows[0].select("td")[0].get_text() == "09:00"
    assert rows[-1].select("td")[1].get_text() == "16:00"
    breaks = [r for r in rows if r.get("data-kind") == "break"]
    assert [(b.select("td")[0].get_text(), b.select("td")[1].get_text()) for b in breaks] == \
        [("11:20", "11:30"), ("15:15", "15:20")]


@pytest.mark.parametrize("workshop", [p.name for p in DOCS.iterdir() if p.is_dir()])
def test_speaker_guides_have_checklists_with_badges(built_site, workshop):
    for lang in ("en", "fr"):
        document = soup(built_site, html_path(f"{workshop}/speaker-guide.md", lang))
        items = document.select("li.task-list-item[data-wk-id]")
        assert len(items) >= 10
        assert len({i["data-wk-id"] for i in items}) == len(items)
        article = document.select_one("article").get_text()
        assert not re.search(r"\b(INTERACTIVE|SPEAKER|PREP):", article)
        assert document.select("span.wk-marker")


def test_plugin_assets_are_shipped_and_linked(built_site):
    assert (built_site / "assets/workshop-kit/workshop.css").exists()
    document = soup(built_site, html_path("index.md", "fr"))
    assert any("workshop-kit/workshop.css" in link.get("href", "") for link in document.select("link[rel=stylesheet]"))


def test_no_page_asks_another_host_for_fonts(built_site):
    for page in built_site.rglob("*.html"):
        assert "fonts.googleapis.com" not in page.read_text()


def test_nav_has_a_section_per_workshop(built_site):
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    sections = [list(entry)[0] for entry in config["nav"]
                if isinstance(entry, dict) and isinstance(list(entry.values())[0], list)]
    assert len(sections) == 5
    tabs = [a.get_text(strip=True) for a in soup(built_site, "index.html").select(".md-tabs__link")]
    assert all(section in tabs for section in sections)


@pytest.mark.parametrize("prefix", ["", "fr/"])
def test_the_notebook_is_a_rendered_page_in_both_languages(built_site, prefix):
    page = (built_site / prefix / "notebook-to-pipeline/notebook/index.html").read_text()
    assert page.lstrip().startswith("<!doctype html>"), "rendered by the theme, not copied as JSON"
    assert "load_sprite" in page and "md-header" in page


def test_blocks_say_where_they_are_tested_or_why_not(built_site):
    handout = (built_site / "notebook-to-pipeline/handout/index.html").read_text()
    # With repo_url set, the label links to the project in the repository.
    assert len(re.findall(r'<p class="wk-block-origin">(?:<a [^>]*>)?Tested in examples/pokemon-dvc', handout)) >= 10
    assert "Tested in examples/pokemon-dvc/params.yaml" in handout
    french = (built_site / "fr/rock-paper-scissors/handout/index.html").read_text()
    assert "Non exécuté en CI : nécessite un moteur Docker" in french


def test_every_link_of_the_built_site_resolves_offline(built_site):
    """Internal links and anchors reach something; external URLs are well-formed and listed."""
    from workshop_kit.linkcheck import check_site

    report = check_site(built_site)
    assert [str(p) for p in report.problems] == []
    assert report.checked > 3000
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "external-links.md").write_text(report.markdown())


def test_a_project_site_build_resolves_from_its_sub_path(tmp_path, monkeypatch):
    """As the Pages workflow builds it: site_url from SITE_URL, a sub-path, the 404 page included."""
    from workshop_kit.linkcheck import check_site
    from workshop_kit.pytest_plugin import build_site

    monkeypatch.setenv("SITE_URL", "https://someone.github.io/workshop-kit/")
    result = build_site(ROOT / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert [str(p) for p in check_site(tmp_path / "site", "/workshop-kit/").problems] == []
    not_found = (tmp_path / "site/404.html").read_text()
    assert 'href="/workshop-kit/assets/' in not_found


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("notebook, project", [("notebook-to-pipeline/notebook.ipynb", "pokemon-dvc"),
                                               ("half-day-lab/notebook-3-training-and-tuning.ipynb", "landuse-lab")])
def test_notebook_pages_say_where_the_tests_run_them(built_site, notebook, project, lang):
    note = soup(built_site, html_path(notebook, lang)).select_one("article > p.wk-block-origin")
    label = "Tested in" if lang == "en" else "Testé dans"
    assert note is not None and note.get_text() == f"{label} examples/{project}"
