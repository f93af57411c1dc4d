"""Speaker and participant views, and the printable speaker sheet, as a speaker uses them."""

import re
from pathlib import Path

import pytest
from helpers import SITE_CONFIG, click_checkbox, is_ticked, ready, serve_small_site

from workshop_kit.pytest_plugin import build_site

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
NOTE = ".md-typeset .admonition.speaker"


def switch(page):
    page.click(".wk-view-toggle")


def test_participants_start_without_speaker_notes_and_the_speaker_view_is_remembered(site_url, browser_page):
    browser_page.goto(site_url + "rock-paper-scissors/handout/")
    toggle = browser_page.locator(".wk-view-toggle")
    assert toggle.get_attribute("aria-pressed") == "false" and toggle.inner_text() == "Speaker view"
    assert browser_page.locator(NOTE).count() == 1 and not browser_page.locator(NOTE).is_visible()
    switch(browser_page)
    assert toggle.get_attribute("aria-pressed") == "true" and browser_page.locator(NOTE).is_visible()
    browser_page.reload()
    assert browser_page.locator(NOTE).is_visible(), "the speaker view is kept across reloads"
    browser_page.goto(site_url + "fr/gitops-dvc/handout/")
    assert browser_page.locator(NOTE).is_visible(), "and across pages and languages"
    assert browser_page.locator(".wk-view-toggle").inner_text() == "Vue animateur"
    switch(browser_page)
    assert not browser_page.locator(NOTE).is_visible()
    browser_page.goto(site_url + "rock-paper-scissors/handout/")
    assert not browser_page.locator(NOTE).is_visible()


def test_without_javascript_speaker_notes_are_hidden(site_url, chromium_browser):
    context = chromium_browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        for path in ("gitops-dvc/handout/", "fr/rock-paper-scissors/handout/"):
            page.goto(site_url + path)
            assert page.locator(NOTE).count() == 1 and not page.locator(NOTE).is_visible()
    finally:
        context.close()


def test_speaker_notes_stay_out_of_the_search_index(built_site):
    """Participants can search the site: the notes of a page must not be in its entries."""
    import json

    from bs4 import BeautifulSoup

    docs = json.loads((built_site / "search" / "search_index.json").read_text())["docs"]
    pages = ["gitops-dvc/handout/", "fr/gitops-dvc/handout/", "rock-paper-scissors/handout/",
             "fr/rock-paper-scissors/handout/"]
    for path in pages:
        html = BeautifulSoup((built_site / path / "index.html").read_text(), "html.parser")
        notes = [" ".join(p.get_text().split())
                 for note in html.select(".admonition.speaker") for p in note.select("p")]
        assert len(notes) == 2, path  # title and text
        text = " ".join(" ".join(BeautifulSoup(d["text"], "html.parser").get_text().split())
                        for d in docs if d["location"].split("#")[0] == path)
        assert text, f"{path} is indexed"
        for note in notes:
            assert note not in text, (path, note)
    everything = json.dumps(docs, ensure_ascii=False)
    assert "overlaps both" not in everything and "chevauche à la fois" not in everything, \
        "the editing remark left the page"


def test_a_note_holding_code_stays_out_of_the_search_index(tmp_path):
    page = ('# Page\n\n??? speaker "Secret plan"\n\n    Before the code.\n\n'
            '    ```bash skip=\"shown only\"\n    echo hidden\n    ```\n\n'
            '    After the code.\n\n    - a list item\n\nPublic text.\n')
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(page)
    config = SITE_CONFIG.format(features="", nav="  - index.md", lang="en", site_url="http://127.0.0.1:8000/")
    (tmp_path / "mkdocs.yml").write_text(config.replace("plugins:\n", "plugins:\n  - search\n")
                                         .replace("  - tables\n", "  - tables\n  - pymdownx.details\n"))
    result = build_site(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "site" / "search" / "search_index.json").read_text()
    assert "Public text" in index
    for hidden in ("Secret plan", "Before the code", "echo hidden", "After the code", "a list item"):
        assert hidden not in index, hidden


def test_the_saved_view_applies_before_the_page_is_drawn(site_url, browser_page):
    browser_page.goto(site_url)
    browser_page.click(".wk-view-toggle")
    # Records the view at the moment <body> starts to exist, before anything can be drawn.
    browser_page.add_init_script("""new MutationObserver((records, observer) => {
        if (document.body) {
            window.wkViewAtBody = document.documentElement.dataset.wkView || null; observer.disconnect();
        }
    }).observe(document, { childList: true, subtree: true });""")
    browser_page.goto(site_url + "gitops-dvc/handout/")
    assert browser_page.evaluate("window.wkViewAtBody") == "speaker"


def test_a_broken_saved_view_falls_back_to_participant(site_url, browser_page):
    browser_page.goto(site_url)
    browser_page.evaluate("localStorage.setItem('wk:/:view:', '{not json')")
    browser_page.goto(site_url + "gitops-dvc/handout/")
    assert browser_page.evaluate("document.documentElement.dataset.wkView") == "participant"
    assert not browser_page.locator(NOTE).is_visible()


PAGE_WITH_NOTE = '# One\n\n!!! speaker "Only for you"\n\n    Hidden from participants.\n\n[Two](two.md)\n'
PAGE_TWO = '# Two\n\n!!! speaker "Also for you"\n\n    Hidden as well.\n\n[One](index.md)\n'


@pytest.mark.parametrize("instant", [True, False])
def test_the_switch_works_with_and_without_instant_navigation(tmp_path, browser_page, instant):
    server, url = serve_small_site(tmp_path, {"index.md": PAGE_WITH_NOTE, "two.md": PAGE_TWO}, instant=instant)
    try:
        browser_page.goto(url)
        switch(browser_page)
        browser_page.click("article a[href*=two]")
        browser_page.wait_for_url("**/two/")
        browser_page.wait_for_function("() => document.querySelector('article h1')?.textContent.startsWith('Two')")
        assert browser_page.locator(NOTE).is_visible()
        assert browser_page.locator(".wk-view-toggle").count() == 1
        switch(browser_page)
        assert not browser_page.locator(NOTE).is_visible()
    finally:
        server.shutdown()


def open_sheet(page, url):
    page.goto(url)
    page.wait_for_selector(".wk-sheet[data-wk-ready=done]")


def leaves(page):
    ready(page)
    return page.locator("li.task-list-item:not(:has(li))")


def test_the_sheet_shows_agenda_checklist_ticks_and_speaker_notes(site_url, browser_page):
    browser_page.goto(site_url + "half-day-lab/speaker-guide/")
    first = leaves(browser_page).first
    click_checkbox(browser_page, first)
    label = first.locator(":scope > label input").get_attribute("aria-label")
    open_sheet(browser_page, site_url + "half-day-lab/speaker-sheet/")
    sheet = browser_page.locator(".wk-sheet")
    assert sheet.locator(".wk-sheet-part").count() == 2
    assert "13:00" in sheet.locator(".wk-timing").inner_text()
    assert is_ticked(browser_page, label), "ticks made on the guide show on the sheet"
    other = sheet.locator("li.task-list-item:not(:has(li))").nth(1)
    click_checkbox(browser_page, other)
    other_label = other.locator(":scope > label input").get_attribute("aria-label")
    browser_page.goto(site_url + "half-day-lab/speaker-guide/")
    assert is_ticked(browser_page, other_label), "and ticks made on the sheet belong to the guide"


@pytest.mark.parametrize(("workshop", "lang", "note"), [
    ("gitops-dvc", "", "Show the remote"), ("gitops-dvc", "fr/", "Montrer le remote"),
    ("rock-paper-scissors", "", "While the image is pushed"),
    ("rock-paper-scissors", "fr/", "Pendant l'envoi de l'image"),
])
def test_the_sheet_gathers_the_notes_of_every_page_of_the_workshop(site_url, browser_page, workshop, lang, note):
    open_sheet(browser_page, f"{site_url}{lang}{workshop}/speaker-sheet/")
    assert browser_page.evaluate("document.documentElement.dataset.wkView") == "participant"
    notes = browser_page.locator(".wk-sheet-notes")
    assert not notes.is_visible(), "a speaker page: its notes are hidden in the participant view (issue 24)"
    switch(browser_page)
    assert notes.locator(".admonition.speaker", has_text=note).is_visible(), "and shown in the speaker view"
    handout = "Participant handout" if not lang else "Fiche participant"
    assert handout in notes.locator("h3").all_inner_texts()[0], "labelled by the page it comes from"


def test_a_shifted_start_reaches_the_other_language_and_the_sheet(site_url, browser_page):
    browser_page.goto(site_url + "gitops-dvc/agenda/?start=15:30")
    ready(browser_page)
    assert browser_page.locator(".wk-clock-shifted").is_visible()
    browser_page.goto(site_url + "fr/gitops-dvc/agenda/")
    ready(browser_page)
    assert browser_page.locator("tr.wk-timing-row td").first.inner_text() == "15:30"
    assert browser_page.locator(".wk-clock-shifted").inner_text() == "Début décalé : 15:30 (prévu 14:00)"
    open_sheet(browser_page, site_url + "fr/gitops-dvc/speaker-sheet/")
    assert browser_page.locator(".wk-sheet tr.wk-timing-row td").first.inner_text() == "15:30"
    head = browser_page.locator(".wk-sheet-head").inner_text()
    assert head.startswith("GitOps avec DVC · ") and head.endswith("début décalé à 15:30")
    browser_page.click(".wk-sheet button.wk-clock-unshift")
    assert browser_page.locator(".wk-sheet-head").inner_text().endswith("horaires prévus")


A4_CONTENT = (718, 1047)  # 190 x 277 mm at 96 px per inch: A4 within the sheet's 10 mm margins


@pytest.mark.parametrize("lang", ["", "fr/"])
@pytest.mark.parametrize("workshop", ["gitops-dvc", "notebook-to-pipeline", "ml-tooling-day", "half-day-lab",
                                      "rock-paper-scissors"])
def test_the_sheet_prints_on_at_most_four_a4_pages(site_url, browser_page, workshop, lang):
    browser_page.set_viewport_size({"width": A4_CONTENT[0], "height": A4_CONTENT[1]})
    open_sheet(browser_page, f"{site_url}{lang}{workshop}/speaker-sheet/")
    browser_page.emulate_media(media="print")
    assert not browser_page.locator(".md-header").is_visible()
    assert not browser_page.locator(".wk-sheet > ul").is_visible(), "the link list is for the screen"
    assert not browser_page.locator("article > p").first.is_visible(), "so are the page's instructions"
    head = browser_page.locator(".wk-sheet-head")
    assert head.is_visible() and head.bounding_box()["height"] < 30, "a one-line header"
    agenda = browser_page.locator(".wk-sheet-part").first
    assert agenda.locator(".wk-timing").is_visible() and not agenda.locator(".wk-clock").is_visible()
    assert agenda.bounding_box()["height"] + head.bounding_box()["height"] < A4_CONTENT[1], "the agenda fits one page"
    styles = browser_page.locator(".wk-sheet-part tr").evaluate_all(
        "rows => [...new Set(rows.map(row => getComputedStyle(row).breakInside))]")
    assert styles == ["avoid"], "no table row is split across pages"
    lines = browser_page.locator(".wk-sheet-part tbody td:nth-child(5)").evaluate_all(
        "cells => Math.max(...cells.map(cell => Math.round(cell.getBoundingClientRect().height"
        " / parseFloat(getComputedStyle(cell).lineHeight))))")
    assert lines <= 3, "the Session column has room"
    pdf = browser_page.pdf(prefer_css_page_size=True, print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{workshop}-speaker-sheet.{lang.strip('/') or 'en'}.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    sizes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf))
    assert 1 <= pages <= 4, pages
    assert {(round(float(w)), round(float(h))) for w, h in sizes} == {(595, 842)}, "A4 in points"
