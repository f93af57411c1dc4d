"""The real site: every handout offers its starting project, and the site's zips are what the tests run."""

import io
import zipfile
from pathlib import Path

import pytest

from workshop_kit.blocks.collect import page_language
from workshop_kit.blocks.index import read_site, site_kits, site_settings
from workshop_kit.kit.archive import solution_zip, starter_files, starter_zip, zip_digest

ROOT = Path(__file__).parents[2]
KITS, REPO_URL = site_kits(ROOT / "mkdocs.yml")
HANDOUTS = sorted(p.relative_to(ROOT) for p in (ROOT / "docs").rglob("*.md")
                  if p.name.split(".")[0] in ("handout", "hands-on"))


@pytest.fixture(scope="module")
def site():
    docs, snippets = site_settings(ROOT / "mkdocs.yml")
    return read_site(ROOT, docs, ROOT / "examples", snippets, ROOT / "constraints.txt", KITS, REPO_URL)


def test_the_site_has_a_repository_and_kits():
    assert REPO_URL.startswith("https://") and len(KITS) >= 5


@pytest.mark.parametrize("page", HANDOUTS, ids=str)
def test_every_handout_starts_from_its_workshops_starter(site, page):
    blocks = site.pages[page].blocks
    boxes = [block for block in blocks if block.options.get("kit")]
    assert boxes, f"{page} has no '/// get-project' box"
    runnable = [block for block in blocks if block.skip is None and block.project == boxes[0].project]
    assert runnable[0] is boxes[0], "the box comes before the page's other blocks"
    assert any(session.kit is not None for session in site.pages[page].sessions)


def test_every_kit_is_offered_by_a_page(site):
    offered = {block.options["kit"] for page in site.pages.values() for block in page.blocks
               if block.options.get("kit")}
    assert offered == set(KITS)


def test_the_notebook_to_pipeline_starter_leaves_the_pipeline_to_the_participant():
    files = starter_files(KITS["notebook-to-pipeline"], ROOT / "examples")
    assert "pokemon_classifier.ipynb" in files and "requirements.txt" in files
    assert not [f for f in files if f in ("params.yaml", "dvc.yaml") or f.startswith(("src/", "tests/", ".github/"))]


@pytest.mark.parametrize("name", sorted(KITS))
def test_the_built_site_offers_exactly_the_zips_the_tests_run(built_site, site, name):
    kit = KITS[name]
    solution = built_site / "downloads" / f"{kit.solution_name}.zip"
    assert solution.is_file() == kit.offers_solution, \
        f"{solution.name}: published only when it differs from the starter"
    # The runner's sessions of the kit start from the starter with its step checks (check.py and spec).
    shipped = {bytes(repr(sorted(s.kit_files.items())), "utf-8"): s.kit_files for page in site.pages.values()
               for s in page.sessions if s.kit == kit}
    assert len(shipped) == 1, f"{name}: every session of the kit ships the same check.py and spec"
    (extra,) = shipped.values()
    zips = [(f"{kit.starter_name}.zip", lambda kit, examples: starter_zip(kit, examples, extra))]
    zips += [(solution.name, solution_zip)] if kit.offers_solution else []
    for file_name, make in zips:
        published = (built_site / "downloads" / file_name).read_bytes()
        assert published == make(kit, ROOT / "examples"), f"{file_name} differs from a fresh build of it"
        with zipfile.ZipFile(io.BytesIO(published)) as archive:
            assert archive.testzip() is None


def test_handouts_link_the_starter_in_both_languages(built_site):
    for page in ("notebook-to-pipeline/handout/index.html", "fr/notebook-to-pipeline/handout/index.html",
                 "notebook-to-pipeline/notebook/index.html", "fr/half-day-lab/notebook-1-introduction/index.html"):
        html = (built_site / page).read_text()
        assert 'class="admonition kit"' in html and "-starter.zip" in html, page


@pytest.mark.parametrize("page", ["notebook-to-pipeline/notebook", "half-day-lab/notebook-1-introduction",
                                  "half-day-lab/notebook-2-feature-engineering",
                                  "half-day-lab/notebook-3-training-and-tuning",
                                  "half-day-lab/notebook-4-operationalisation"])
def test_notebook_pages_show_their_stored_outputs_in_both_languages(built_site, page):
    """Each code cell the notebook stores outputs for shows them on the page (counted in the page's
    cells, not in its stylesheet), and the notebook stores some."""
    import json

    from bs4 import BeautifulSoup

    for prefix, suffix in (("", ".ipynb"), ("fr/", ".fr.ipynb")):
        source = ROOT / "docs" / (page + suffix)
        cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
        stored = sum(1 for cell in cells if cell["cell_type"] == "code" and cell.get("outputs"))
        soup = BeautifulSoup((built_site / prefix / page / "index.html").read_text(), "html.parser")
        code_cells = [cell for cell in soup.select("div.jp-CodeCell")  # mkdocs-jupyter nests one in another
                      if cell.find_parent("div", class_="jp-CodeCell") is None]
        shown = [cell for cell in code_cells if "jp-mod-noOutputs" not in cell["class"]
                 and cell.select(".jp-OutputArea-output")]
        assert stored >= 1 and len(shown) == stored, \
            f"{prefix}{page}: {len(shown)} cells show output, {stored} store it"


@pytest.mark.parametrize("name", sorted(KITS))
def test_a_published_solution_is_not_the_starter(name):
    """A solution zip holds the end state a participant reaches: never the starter's files again."""
    kit = KITS[name]
    if not kit.offers_solution:
        pytest.skip(f"{name} publishes no solution (the participant writes no file)")
    assert zip_digest(starter_zip(kit, ROOT / "examples")) != zip_digest(solution_zip(kit, ROOT / "examples"))


def test_the_built_site_offers_a_checkpoint_per_step_linked_by_each_check_box(built_site, site):
    """Issue 26 §2: `<kit>-step-N.zip` for each step of each handout with checks, the bytes a fresh
    build gives (the plan of the tested session), linked by the step's box in both languages."""
    import re

    from workshop_kit.blocks.checkpoints import checkpoints

    offered = 0
    for relative, page in site.pages.items():
        for session in page.sessions:
            boxes = [block for block in session.blocks if block.step is not None]
            if session.kit is None or not boxes or page_language(relative) != "en":
                continue
            for name, data in checkpoints(session, ROOT / "examples").items():
                assert (built_site / "downloads" / f"{name}.zip").read_bytes() == data, name
                offered += 1
            for prefix, command in (("", "python check.py --catch-up {n}"),
                                    ("fr/", "python check.py --lang fr --catch-up {n}")):
                url = relative.relative_to("docs").with_suffix("").as_posix() + "/index.html"
                html = (built_site / prefix / url).read_text()
                links = re.findall(r'class="wk-check-catch-up">.*?href="([^"]+)".*?<code>([^<]+)</code>', html)
                assert [(Path(href).name, code) for href, code in links] == [
                    (f"{session.kit.workshop}-step-{n}.zip", command.format(n=n)) for n in range(1, len(boxes) + 1)]
                for href, _ in links:
                    assert (built_site / prefix / url).parent.joinpath(href).resolve().is_file(), href
    assert offered == 6 + 5 + 4 + 8 + 4
