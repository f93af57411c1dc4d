"""What a reader clicks on the built site, in Debian's chromium."""

from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"


def test_language_switcher_keeps_the_reader_on_the_same_page(site_url, browser_page):
    browser_page.goto(site_url + "gitops-dvc/agenda/")
    browser_page.hover(".md-header__option .md-select")
    browser_page.click('a.md-select__link[hreflang="fr"]')
    browser_page.wait_for_url("**/fr/gitops-dvc/agenda/")
    assert browser_page.locator("article h1").inner_text().rstrip("¶") == "Agenda"
    assert browser_page.locator("html").get_attribute("lang") == "fr"
    assert "Début" in browser_page.locator("div.wk-timing thead").inner_text()

    browser_page.hover(".md-header__option .md-select")
    browser_page.click('a.md-select__link[hreflang="en"]')
    browser_page.wait_for_url(lambda url: urlparse(url).path == "/gitops-dvc/agenda/")
    assert "Start" in browser_page.locator("div.wk-timing thead").inner_text()


def test_dark_and_light_schemes(site_url, browser_page):
    browser_page.goto(site_url + "ml-tooling-day/agenda/")
    scheme = browser_page.locator("body").get_attribute("data-md-color-scheme")
    browser_page.locator("form[data-md-component=palette] label:visible").first.click()
    toggled = browser_page.locator("body").get_attribute("data-md-color-scheme")
    assert {scheme, toggled} == {"default", "slate"}
    ARTIFACTS.mkdir(exist_ok=True)
    browser_page.screenshot(path=str(ARTIFACTS / f"tooling-day-agenda-{toggled}.png"), full_page=True)
    browser_page.reload()
    assert browser_page.locator("body").get_attribute("data-md-color-scheme") == toggled, "choice not kept"


@pytest.mark.parametrize("path", ["", "fr/", "gitops-dvc/speaker-guide/", "fr/rock-paper-scissors/agenda/",
                                  "notebook-to-pipeline/handout/"])
def test_pages_ask_no_other_host(site_url, browser_page, path):
    hosts = set()
    browser_page.on("request", lambda request: hosts.add(urlparse(request.url).hostname))
    browser_page.goto(site_url + path)
    browser_page.wait_for_load_state("networkidle")
    assert hosts == {"127.0.0.1"}


def test_checklist_renders_as_a_plain_list_without_javascript(chromium_browser, site_url):
    context = chromium_browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "gitops-dvc/speaker-guide/")
        items = page.locator("li.task-list-item")
        assert items.count() > 40
        assert page.locator("span.wk-marker-interactive").first.inner_text() == "Participants too"
    finally:
        context.close()


def test_search_finds_a_workshop_page(site_url, browser_page):
    browser_page.goto(site_url)
    meta = browser_page.locator(".md-search-result__meta")
    # The search index is built by a web worker; on a busy machine a query typed before it is
    # ready finds nothing, so type it again until the result count appears (up to two minutes).
    for attempt in range(12):
        search = browser_page.locator("input.md-search__input")
        search.click()
        search.press("Control+A")
        search.press_sequentially("dvc exp apply")  # real keystrokes, as Material listens to keys
        try:
            browser_page.wait_for_function(
                "() => /\\d+ matching/.test(document.querySelector('.md-search-result__meta')?.textContent || '')",
                timeout=10_000)
            break
        except Exception:  # Playwright's TimeoutError: not ready yet
            if attempt == 11:
                raise AssertionError(f"no search results; the result line says: {meta.inner_text()!r}") from None
    # Results beyond the first few of a page sit in collapsed details: read every link, shown or not.
    hrefs = browser_page.locator("a.md-search-result__link").evaluate_all("els => els.map(e => e.href)")
    assert any("notebook-to-pipeline/handout/" in href for href in hrefs), hrefs
