"""Accessibility and small screens: axe-core (WCAG 2.1 A and AA rules) on every page type in both
colour schemes, the header and agenda at 390 px, and a console free of errors."""

from pathlib import Path

import pytest
from helpers import ready

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"

PAGE_TYPES = {
    "home": "",
    "workshop overview": "gitops-dvc/",
    "speaker guide": "gitops-dvc/speaker-guide/",
    "agenda": "ml-tooling-day/agenda/",
    "handout": "rock-paper-scissors/handout/",
    "speaker sheet": "gitops-dvc/speaker-sheet/",
    "notebook": "notebook-to-pipeline/notebook/",
    "authoring": "fr/authoring/",
}

# Rules left out, per page type, each with its reason. Everything else of WCAG 2.1 A/AA must pass.
EXCEPTIONS = {
    "notebook": {
        "color-contrast": "the code cells are drawn by mkdocs-jupyter's JupyterLab theme (prompts, number "
                          "colours), not by the site; checked on the page's other elements (NOTEBOOK_CELLS)",
        "scrollable-region-focusable": "mkdocs-jupyter draws each code cell as a horizontally scrolling "
                                       "box without tabindex (a Safari keyboard issue); the notebook file "
                                       "itself is the participant's material",
    },
}


NOTEBOOK_CELLS = ".jupyter-wrapper .jp-Cell"


def axe(page, exceptions=()) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
    if exceptions:
        options["rules"] = {rule: {"enabled": False} for rule in exceptions}
    return Axe().run(page, options=options).response["violations"]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']}: {v['help']}\n    " + "\n    ".join(
        f"{n['target']} {n.get('failureSummary', '').splitlines()[-1:]}" for n in v["nodes"][:6])
        for v in violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("view", ["participant", "speaker"])
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_no_accessibility_violations(site_url, chromium_browser, kind, scheme, view):
    context = chromium_browser.new_context(color_scheme=scheme)
    context.set_default_timeout(90_000)
    try:
        page = context.new_page()
        if view == "speaker":
            page.add_init_script("localStorage.setItem('wk:/:view:', JSON.stringify({v: 1, data: {view: 'speaker'}}))")
        page.goto(site_url + PAGE_TYPES[kind])
        ready(page)
        if kind == "speaker sheet":
            page.wait_for_selector(".wk-sheet[data-wk-ready=done]")
        scheme_name = "slate" if scheme == "dark" else "default"
        assert page.locator("body").get_attribute("data-md-color-scheme") == scheme_name
        violations = axe(page, EXCEPTIONS.get(kind, {}))
        if kind == "notebook":  # colour contrast everywhere but in the cells
            from axe_playwright_python.sync_playwright import Axe

            violations += Axe().run(page, context={"exclude": [[NOTEBOOK_CELLS]]}, options={
                "runOnly": {"type": "rule", "values": ["color-contrast"]}}).response["violations"]
        assert not violations, describe(violations)
    finally:
        context.close()


def test_a_phone_shows_the_title_the_switch_and_the_whole_agenda(site_url, chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(site_url + "ml-tooling-day/agenda/")
        ready(page)
        toggle = page.locator(".wk-view-toggle")
        assert toggle.is_visible() and toggle.get_attribute("aria-label") == "Speaker view"
        assert toggle.bounding_box()["width"] < 40, "an icon button"
        title = page.locator(".md-header__topic").first
        assert title.bounding_box()["width"] > 120, "the site's title keeps its room"
        table = page.locator(".wk-timing table")
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1"), "no sideways scrolling"
        assert table.bounding_box()["x"] + table.bounding_box()["width"] <= 390
        boxes = page.locator("input.wk-clock-done")
        for index in range(boxes.count()):
            box = boxes.nth(index).bounding_box()
            assert 0 <= box["x"] and box["x"] + box["width"] <= 390, "every Done box is on screen"
        assert page.locator("tr.wk-timing-row", has_text="Guided build").is_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "agenda-390px.png"), full_page=False)
    finally:
        context.close()


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_no_console_errors_and_no_failed_request(site_url, browser_page, kind):
    """Requests to other hosts are test_site_browser.py's business: here, the site's own."""
    errors, failures = [], []
    browser_page.route(lambda url: not url.startswith(site_url), lambda route: route.abort("blockedbyclient"))
    browser_page.on("console", lambda message: message.type == "error" and "ERR_BLOCKED_BY_CLIENT" not in message.text
                    and errors.append(message.text))
    browser_page.on("pageerror", lambda error: errors.append(str(error)))
    browser_page.on("response", lambda response: response.status >= 400 and failures.append(response.url))
    browser_page.goto(site_url + PAGE_TYPES[kind])
    ready(browser_page)
    browser_page.wait_for_load_state("networkidle")
    assert failures == [] and errors == []
