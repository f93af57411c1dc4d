"""Speaker and participant views, and the printable speaker sheet, as a speaker uses them."""

import re
from pathlib import Path

import pytest

from helpers import click_checkbox, is_ticked, item, serve_small_site

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
NOTE = ".md-typeset .admonition.speaker"


def switch(page):
    page.click(".wk-view-toggle")


def test_participants_start_without_speaker_notes_and_the_speaker_view_is_remembered(site_url, browser_page):
    browser_page.goto(site_url + "ml-tooling-day/agenda/")
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


def test_the_saved_view_applies_before_the_page_is_drawn(site_url, browser_page):
    browser_page.goto(site_url)
    browser_page.click(".wk-view-toggle")
    # Records the view at the moment <body> starts to exist, before anything can be drawn.
    browser_page.add_init_script("""new MutationObserver((records, observer) => {
        if (document.body) { window.wkViewAtBody = document.documentElement.dataset.wkView || null; observer.disconnect(); }
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


def test_the_sheet_shows_agenda_checklist_ticks_and_speaker_notes(site_url, browser_page):
    label = "Get the current overview decks for the platform and for machine learning on it."
    browser_page.goto(site_url + "half-day-lab/speaker-guide/")
    click_checkbox(browser_page, item(browser_page, label))
    open_sheet(browser_page, site_url + "half-day-lab/speaker-sheet/")
    sheet = browser_page.locator(".wk-sheet")
    assert sheet.locator(".wk-sheet-part").count() == 2
    assert "13:00" in sheet.locator(".wk-timing").inner_text()
    assert is_ticked(browser_page, label), "ticks made on the guide show on the sheet"
    other = "Check that your cloud subscription can create a Machine Learning workspace, a GPU virtual machine as compute target and a training cluster."
    click_checkbox(browser_page, item(browser_page, other))
    browser_page.goto(site_url + "half-day-lab/speaker-guide/")
    assert is_ticked(browser_page, other), "and ticks made on the sheet belong to the guide"

    open_sheet(browser_page, site_url + "ml-tooling-day/speaker-sheet/")
    assert browser_page.evaluate("document.documentElement.dataset.wkView") == "participant"
    assert browser_page.locator(".wk-sheet .admonition.speaker").is_visible(), "the sheet always shows speaker notes"


def test_the_sheet_prints_on_a_few_a4_pages(site_url, browser_page):
    open_sheet(browser_page, site_url + "fr/gitops-dvc/speaker-sheet/")
    assert "Guide d'animation" in browser_page.locator(".wk-sheet-part h1").nth(1).inner_text()
    browser_page.emulate_media(media="print")
    assert not browser_page.locator(".md-header").is_visible()
    assert not browser_page.locator(".wk-sheet > ul").is_visible(), "the link list is for the screen"
    assert browser_page.locator(".wk-sheet-part .wk-timing").is_visible()
    pdf = browser_page.pdf(prefer_css_page_size=True, print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "gitops-dvc-speaker-sheet.fr.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    sizes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf))
    assert 2 <= pages <= 8, pages
    assert {(round(float(w)), round(float(h))) for w, h in sizes} == {(595, 842)}, "A4 in points"
