"""What a participant sees of the kit and of the tests' plumbing, as a person sees it."""

import pytest

pytestmark = pytest.mark.browser


def test_participants_see_the_box_and_reader_hints_but_not_ci_labels(site_url, browser_page):
    browser_page.goto(site_url + "gitops-dvc/handout/")
    box = browser_page.locator(".md-typeset .admonition.kit")
    assert box.is_visible() and "Get the project" in box.inner_text()
    link = box.locator("a[href$='gitops-dvc-starter.zip']")
    assert link.is_visible()
    response = browser_page.request.get(link.evaluate("a => a.href"))
    assert response.ok and response.body()[:2] == b"PK"
    origins = browser_page.locator(".md-typeset .wk-block-origin")
    assert origins.count() > 3 and not any(origins.nth(i).is_visible() for i in range(origins.count()))
    hint = browser_page.locator(".md-typeset .wk-block-hint").first
    assert hint.is_visible() and hint.inner_text().startswith("Needs ")
    browser_page.click(".wk-view-toggle")
    assert origins.first.is_visible() and not hint.is_visible()


def test_without_javascript_the_ci_labels_stay_hidden(site_url, chromium_browser):
    context = chromium_browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "fr/notebook-to-pipeline/handout/")
        assert page.locator(".md-typeset .admonition.kit").is_visible()
        assert not page.locator(".md-typeset .wk-block-origin").first.is_visible()
    finally:
        context.close()
