"""Speaker checklists as a speaker uses them: ticking, reloading, navigating, editing the page."""

import json
from pathlib import Path

import pytest

from helpers import build_small_site, click_checkbox, is_ticked, item, serve_small_site

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"

GUIDE = """\
# Guide

## Preparation

- [ ] PREP: Book the room
- [ ] Print the handouts
- [ ] Test the projector

## During

- [ ] Introduce the tools:
    - [ ] DVC
    - [ ] MLflow
- [ ] INTERACTIVE: Run the pipeline
"""

OTHER = "# Other\n\nNothing to tick here.\n"


@pytest.fixture
def small_site(tmp_path):
    """A fresh two-page site per test, with Material's instant navigation on; yields (root, url)."""
    server, url = serve_small_site(tmp_path, {"index.md": GUIDE, "other.md": OTHER})
    yield tmp_path, url
    server.shutdown()


def progress(page) -> str:
    return page.locator(".wk-progress-count").inner_text()


def test_ticks_survive_a_reload_and_update_progress(small_site, browser_page):
    _, url = small_site
    browser_page.goto(url)
    assert progress(browser_page) == "0 / 6"
    click_checkbox(browser_page, item(browser_page, "Print the handouts"))
    assert progress(browser_page) == "1 / 6"
    assert browser_page.locator("h2", has_text="Preparation").locator(".wk-progress-section").inner_text() == "1 / 3"
    assert browser_page.locator("progress").evaluate("bar => [bar.value, bar.max]") == [1, 6]
    browser_page.reload()
    assert is_ticked(browser_page, "Print the handouts")
    assert not is_ticked(browser_page, "Test the projector")
    assert progress(browser_page) == "1 / 6"


def test_instant_navigation_away_and_back_keeps_ticks(small_site, browser_page):
    _, url = small_site
    browser_page.goto(url)
    click_checkbox(browser_page, item(browser_page, "DVC"))
    browser_page.evaluate("window.notReloaded = true")
    browser_page.locator(".md-nav--primary a.md-nav__link", has_text="Other").first.click()
    browser_page.wait_for_url("**/other/")
    browser_page.locator(".md-nav--primary a.md-nav__link", has_text="Guide").first.click()
    browser_page.wait_for_function("() => document.querySelector('.wk-progress-count')")
    assert browser_page.evaluate("window.notReloaded") is True, "instant navigation did not happen"
    assert is_ticked(browser_page, "DVC")
    assert browser_page.locator(".wk-checklist-toolbar").count() == 1
    assert progress(browser_page) == "1 / 6"


def test_parent_ticks_children_and_follows_them(small_site, browser_page):
    _, url = small_site
    browser_page.goto(url)
    click_checkbox(browser_page, item(browser_page, "Introduce the tools:"))
    assert is_ticked(browser_page, "DVC") and is_ticked(browser_page, "MLflow")
    assert progress(browser_page) == "2 / 6"
    click_checkbox(browser_page, item(browser_page, "MLflow"))
    assert not is_ticked(browser_page, "Introduce the tools:")
    click_checkbox(browser_page, item(browser_page, "MLflow"))
    assert is_ticked(browser_page, "Introduce the tools:")


def test_editing_the_page_keeps_other_ticks(small_site, browser_page):
    root, url = small_site
    browser_page.goto(url)
    for text in ("Print the handouts", "Test the projector", "DVC"):
        click_checkbox(browser_page, item(browser_page, text))
    edited = GUIDE.replace(
        "- [ ] Print the handouts\n- [ ] Test the projector\n",
        "- [ ] Test the projector and the sound\n- [ ] Charge the laptop\n- [ ] Print the handouts\n",
    )
    build_small_site(root, {"index.md": edited, "other.md": OTHER}, site_url=url)
    browser_page.reload()
    assert is_ticked(browser_page, "Print the handouts")
    assert is_ticked(browser_page, "DVC")
    assert not is_ticked(browser_page, "Test the projector and the sound"), "changed text must start unticked"
    assert not is_ticked(browser_page, "Charge the laptop")
    assert progress(browser_page) == "2 / 7"
    saved = browser_page.evaluate("() => Object.entries(localStorage).filter(([k]) => k.includes(':checklist:'))")
    assert len(saved) == 1
    assert len(json.loads(saved[0][1])["data"]["ticked"]) == 2, "stale ids are pruned"


def test_reset_asks_first(small_site, browser_page):
    _, url = small_site
    browser_page.goto(url)
    click_checkbox(browser_page, item(browser_page, "Print the handouts"))
    browser_page.once("dialog", lambda dialog: dialog.dismiss())
    browser_page.click("button.wk-reset")
    assert progress(browser_page) == "1 / 6"
    browser_page.once("dialog", lambda dialog: dialog.accept())
    browser_page.click("button.wk-reset")
    assert progress(browser_page) == "0 / 6"
    browser_page.reload()
    assert progress(browser_page) == "0 / 6"


def test_export_then_import_on_another_laptop(small_site, browser_page, chromium_browser, tmp_path):
    _, url = small_site
    browser_page.goto(url)
    for text in ("Book the room", "MLflow"):
        click_checkbox(browser_page, item(browser_page, text))
    with browser_page.expect_download() as download:
        browser_page.click("button.wk-export")
    exported = tmp_path / "export.json"
    download.value.save_as(exported)
    assert json.loads(exported.read_text())["format"] == "workshop-kit-checklist"

    other_laptop = chromium_browser.new_context().new_page()
    other_laptop.goto(url)
    assert other_laptop.locator(".wk-progress-count").inner_text() == "0 / 6"
    other_laptop.locator(".wk-checklist-toolbar input[type=file]").set_input_files(str(exported))
    other_laptop.wait_for_function("() => document.querySelector('.wk-progress-count').textContent === '2 / 6'")
    assert is_ticked(other_laptop, "Book the room") and is_ticked(other_laptop, "MLflow")

    messages = []
    other_laptop.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    bad = tmp_path / "bad.json"
    bad.write_text('{"something": "else"}')
    other_laptop.locator(".wk-checklist-toolbar input[type=file]").set_input_files(str(bad))
    other_laptop.wait_for_timeout(300)
    assert messages == ["This file is not a checklist export of this site."]
    assert other_laptop.locator(".wk-progress-count").inner_text() == "2 / 6"
    other_laptop.context.close()


@pytest.mark.parametrize("stored", ["{not json", '{"v": 99, "data": {}}', '"a string"', '{"v": 1, "data": {"ticked": 5}}'])
def test_corrupted_storage_is_ignored_with_a_warning(small_site, browser_page, stored):
    _, url = small_site
    browser_page.add_init_script(f"""
        for (const key of ['wk:/:checklist:']) localStorage.setItem(key, {json.dumps(stored)});
    """)
    warnings, errors = [], []
    browser_page.on("console", lambda message: message.type == "warning" and warnings.append(message.text))
    browser_page.on("pageerror", lambda error: errors.append(error))
    browser_page.goto(url)
    assert errors == []
    assert progress(browser_page) == "0 / 6"
    assert any("workshop-kit" in text for text in warnings) or stored.startswith('{"v": 1')
    click_checkbox(browser_page, item(browser_page, "DVC"))
    assert progress(browser_page) == "1 / 6"


def test_participants_view_shows_only_interactive_steps(small_site, browser_page):
    _, url = small_site
    browser_page.goto(url)
    browser_page.locator(".wk-filter input").check()
    visible = [li.inner_text().split("\n")[0].strip() for li in browser_page.locator("li.task-list-item:visible").all()]
    assert visible == ["Participants too Run the pipeline"]


def test_keyboard_and_screen_reader_labels(small_site, browser_page):
    _, url = small_site
    browser_page.goto(url)
    checkbox = item(browser_page, "Run the pipeline").locator(":scope > label input")
    assert checkbox.get_attribute("aria-label") == "Run the pipeline"
    assert checkbox.is_enabled()
    checkbox.focus()
    browser_page.keyboard.press("Space")
    assert checkbox.is_checked()
    assert progress(browser_page) == "1 / 6"


def test_french_ui_strings(tmp_path, browser_page):
    server, url = serve_small_site(tmp_path, {"index.md": GUIDE.replace("Book the room", "Réserver la salle")},
                                   lang="fr")
    try:
        browser_page.goto(url)
        buttons = browser_page.locator(".wk-checklist-toolbar button").all_inner_texts()
        assert buttons == ["Tout décocher", "Exporter", "Importer", "Imprimer"]
        assert "Seulement les étapes des participants" in browser_page.locator(".wk-filter").inner_text()
        assert item(browser_page, "Réserver la salle").locator(".wk-marker").inner_text() == "Préparation"
    finally:
        server.shutdown()


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_screenshots_of_a_ticked_guide(site_url, chromium_browser, scheme):
    context = chromium_browser.new_context(color_scheme="dark" if scheme == "slate" else "light",
                                           viewport={"width": 1280, "height": 1600})
    page = context.new_page()
    page.goto(site_url + "gitops-dvc/speaker-guide/")
    for text in ("Add the GitHub repository to Studio as a project.", "Set up a Studio token."):
        click_checkbox(page, item(page, text))
    assert page.locator("body").get_attribute("data-md-color-scheme") == scheme
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"speaker-guide-ticked-{scheme}.png"), full_page=False)
    context.close()


def test_print_view_shows_the_ticks_and_hides_the_buttons(small_site, browser_page, tmp_path):
    _, url = small_site
    browser_page.goto(url)
    click_checkbox(browser_page, item(browser_page, "Print the handouts"))
    browser_page.emulate_media(media="print")
    assert not browser_page.locator("button.wk-reset").is_visible()
    mark = item(browser_page, "Print the handouts").locator(":scope > label").evaluate(
        "label => getComputedStyle(label, '::after').content")
    assert mark == '"\u2714"'
    unticked = item(browser_page, "Test the projector").locator(":scope > label").evaluate(
        "label => getComputedStyle(label, '::after').content")
    assert unticked in ("none", "normal")
    pdf = tmp_path / "guide.pdf"
    browser_page.pdf(path=str(pdf), format="A4")
    assert pdf.stat().st_size > 1000


def test_a_tick_made_after_instant_navigation_is_the_same_tick_on_a_direct_load(tmp_path, browser_page):
    """Material keeps the first page's relative base in its config; the ticks must not follow it."""
    pages = {"index.md": "# Start\n\n[The guide](guide.md)\n", "guide.md": GUIDE}
    server, url = serve_small_site(tmp_path, pages, instant=True)
    try:
        browser_page.goto(url)
        browser_page.click("article a[href*=guide]")
        browser_page.wait_for_url("**/guide/")
        browser_page.wait_for_function("() => document.querySelector('.wk-progress-count')")  # swapped in
        click_checkbox(browser_page, item(browser_page, "Print the handouts"))
        browser_page.goto(url + "guide/")
        assert is_ticked(browser_page, "Print the handouts")
    finally:
        server.shutdown()


@pytest.mark.parametrize("failure", ["QuotaExceededError", "SecurityError"])
def test_a_full_or_forbidden_storage_only_warns(small_site, browser_page, failure):
    """Ticks and the view switch keep working for the visit; nothing throws."""
    _, url = small_site
    browser_page.add_init_script(f"""
        Storage.prototype.setItem = function () {{ throw new DOMException("no room", "{failure}"); }};
    """)
    warnings, errors = [], []
    browser_page.on("console", lambda message: message.type == "warning" and warnings.append(message.text))
    browser_page.on("pageerror", lambda error: errors.append(error))
    browser_page.goto(url)
    click_checkbox(browser_page, item(browser_page, "DVC"))
    assert progress(browser_page) == "1 / 6" and is_ticked(browser_page, "DVC")
    browser_page.click(".wk-view-toggle")
    assert browser_page.evaluate("document.documentElement.dataset.wkView") == "speaker"
    assert errors == []
    assert any("could not save state" in text for text in warnings)
