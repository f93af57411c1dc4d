"""Speaker checklists as a speaker uses them: ticking, reloading, navigating, editing the page."""

import json
from pathlib import Path

import pytest
from helpers import build_small_site, click_checkbox, is_ticked, item, ready, serve_small_site

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
    ready(page)
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


def orphans(page) -> str:
    ready(page)  # after a reload, look once the scripts have matched the stored ticks
    element = page.locator(".wk-orphans")
    return element.locator("summary").inner_text() if element.is_visible() else ""


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
    assert orphans(browser_page) == "Ticks that no longer match an item: 1"
    saved = browser_page.evaluate("() => Object.entries(localStorage).filter(([k]) => k.includes(':checklist:'))")
    assert len(saved) == 1
    assert len(json.loads(saved[0][1])["data"]["ticked"]) == 3, "loading the page deletes nothing"


# Held-back edits of GUIDE, with "Print the handouts", "DVC" and "Run the pipeline" ticked before.
EDITS = {
    "insert": (lambda g: g.replace("- [ ] Print", "- [ ] Charge the laptop\n- [ ] Print"), 3, 0),
    "delete": (lambda g: g.replace("- [ ] Print the handouts\n", ""), 2, 1),
    "reorder": (lambda g: g.replace("    - [ ] DVC\n    - [ ] MLflow\n", "    - [ ] MLflow\n    - [ ] DVC\n")
                .replace("- [ ] Print the handouts\n- [ ] Test the projector\n",
                         "- [ ] Test the projector\n- [ ] Print the handouts\n"), 3, 0),
    "reword one item": (lambda g: g.replace("Print the handouts", "Print the colour handouts"), 2, 1),
    "rename the title": (lambda g: g.replace("# Guide", "# The speaker's guide"), 3, 0),
    "rename a section": (lambda g: g.replace("## During", "## On the day"), 3, 0),
    "move a section": (lambda g: "# Guide\n\n## During" + g.split("## During")[1] + "\n"
                       + g.split("## During")[0].replace("# Guide\n\n", ""), 3, 0),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_held_back_edits_never_lose_a_tick(small_site, browser_page, edit):
    root, url = small_site
    change, kept, lost = EDITS[edit]
    ticks = ("Print the handouts", "DVC", "Run the pipeline")
    browser_page.goto(url)
    for text in ticks:
        click_checkbox(browser_page, item(browser_page, text))
    build_small_site(root, {"index.md": change(GUIDE), "other.md": OTHER}, site_url=url)
    browser_page.reload()
    assert sum(is_ticked(browser_page, text) for text in ticks if f" {text}\n" in change(GUIDE)) == kept
    assert progress(browser_page).startswith(f"{kept} / ")
    assert orphans(browser_page) == (f"Ticks that no longer match an item: {lost}" if lost else "")
    if lost:
        browser_page.locator(".wk-orphans summary").click()
        assert browser_page.locator(".wk-orphans li > span").all_inner_texts() == ["Print the handouts"]
    browser_page.reload()  # a second load of the edited page, in case the first one wrote anything
    build_small_site(root, {"index.md": GUIDE, "other.md": OTHER}, site_url=url)
    browser_page.reload()
    assert all(is_ticked(browser_page, text) for text in ticks), "undoing the edit brings every tick back"
    assert orphans(browser_page) == ""


def test_reset_drops_the_ticks_that_no_longer_match(small_site, browser_page):
    root, url = small_site
    browser_page.goto(url)
    click_checkbox(browser_page, item(browser_page, "Print the handouts"))
    build_small_site(root, {"index.md": GUIDE.replace("Print the handouts", "Print"), "other.md": OTHER}, site_url=url)
    browser_page.reload()
    assert orphans(browser_page) == "Ticks that no longer match an item: 1"
    browser_page.once("dialog", lambda dialog: dialog.accept())
    browser_page.click("button.wk-reset")
    assert orphans(browser_page) == ""
    build_small_site(root, {"index.md": GUIDE, "other.md": OTHER}, site_url=url)
    browser_page.reload()
    assert progress(browser_page) == "0 / 6"


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


@pytest.mark.parametrize("stored", ["{not json", '{"v": 99, "data": {}}', '"a string"',
                                    '{"v": 1, "data": {"ticked": 5}}'])
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
    click_checkbox(browser_page, item(browser_page, "Print the handouts"))
    browser_page.locator(".wk-filter input").check()
    visible = [li.inner_text().split("\n")[0].strip() for li in browser_page.locator("li.task-list-item:visible").all()]
    assert visible == ["Participants too Run the pipeline"]
    assert not browser_page.locator("h2", has_text="Preparation").is_visible(), \
        "a section with nothing to show is hidden"
    assert browser_page.locator("h2", has_text="During").locator(".wk-progress-section").inner_text() == "0 / 1"
    assert progress(browser_page) == "0 / 1", "the counts are of what is shown"
    browser_page.reload()
    assert browser_page.locator(".wk-filter input").is_checked(), "the choice is remembered"
    assert not browser_page.locator("h2", has_text="Preparation").is_visible()
    browser_page.locator(".wk-filter input").uncheck()
    assert browser_page.locator("h2", has_text="Preparation").is_visible() and progress(browser_page) == "1 / 6"


def test_another_pages_export_is_never_applied_here(tmp_path, browser_page):
    second = GUIDE.replace("# Guide", "# Second guide").replace("Book the room", "Book the hall")
    server, url = serve_small_site(tmp_path, {"index.md": GUIDE, "second.md": second})
    try:
        browser_page.goto(url + "second/")
        click_checkbox(browser_page, item(browser_page, "Book the hall"))
        with browser_page.expect_download() as download:
            browser_page.click("button.wk-export")
        exported = tmp_path / "second.json"
        download.value.save_as(exported)
        browser_page.goto(url)
        click_checkbox(browser_page, item(browser_page, "DVC"))
        messages = []
        browser_page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
        browser_page.locator(".wk-checklist-toolbar input[type=file]").set_input_files(str(exported))
        browser_page.wait_for_function("() => true")
        browser_page.wait_for_timeout(300)
        assert messages and "another page (second/)" in messages[0]
        assert is_ticked(browser_page, "DVC") and progress(browser_page) == "1 / 6", "nothing changed here"
        browser_page.once("dialog", lambda dialog: dialog.accept())
        browser_page.locator(".wk-checklist-toolbar input[type=file]").set_input_files(str(exported))
        browser_page.wait_for_timeout(300)
        assert is_ticked(browser_page, "DVC") and progress(browser_page) == "1 / 6"
        browser_page.goto(url + "second/")
        assert is_ticked(browser_page, "Book the hall"), "the ticks went to their own page"

        foreign = json.loads(exported.read_text()) | {"site": "wk:/another-site/", "page": ""}
        (tmp_path / "foreign.json").write_text(json.dumps(foreign))
        browser_page.goto(url)
        browser_page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
        browser_page.locator(".wk-checklist-toolbar input[type=file]").set_input_files(str(tmp_path / "foreign.json"))
        browser_page.wait_for_timeout(300)
        assert messages[-1] == "This file is not a checklist export of this site."
        assert progress(browser_page) == "1 / 6"
    finally:
        server.shutdown()


def test_english_and_french_ticks_are_linked(site_url, browser_page):
    browser_page.goto(site_url + "gitops-dvc/speaker-guide/")
    ready(browser_page)
    boxes = browser_page.locator("li.task-list-item:not(:has(li)) > label")
    for index in (0, 5):
        click_checkbox(browser_page, boxes.nth(index).locator(".."))
    browser_page.goto(site_url + "fr/gitops-dvc/speaker-guide/")
    ready(browser_page)
    checked = browser_page.locator("li.task-list-item:not(:has(li)) > label input").evaluate_all(
        "inputs => inputs.map((input, index) => input.checked ? index : -1).filter(index => index >= 0)")
    assert checked == [0, 5]
    click_checkbox(browser_page, boxes.nth(5).locator(".."))  # unticked in French...
    browser_page.goto(site_url + "gitops-dvc/speaker-guide/")
    ready(browser_page)
    assert browser_page.locator("li.task-list-item:not(:has(li)) > label input").evaluate_all(
        "inputs => inputs.map((input, index) => input.checked ? index : -1).filter(index => index >= 0)") == [0]


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
    # One mark per ticked item (issue 24: not "✓ ✔"): Material's box, printed with its tick.
    for text in ("Print the handouts", "Test the projector"):
        after = item(browser_page, text).locator(":scope > label").evaluate(
            "label => getComputedStyle(label, '::after').content")
        assert after in ("none", "normal"), text
    def indicator(text):
        return item(browser_page, text).locator(":scope > label .task-list-indicator").evaluate(
            "node => { const s = getComputedStyle(node, '::before'); return [s.printColorAdjust, s.backgroundColor]; }")
    ticked, unticked = indicator("Print the handouts"), indicator("Test the projector")
    assert ticked[0] == "exact" and ticked[1] != unticked[1], (ticked, unticked)
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
