"""The built site works when hosted under a sub-path, as GitHub Pages serves a project site."""

from urllib.parse import urlparse

import pytest

from helpers import click_checkbox, is_ticked, item
from workshop_kit.pytest_plugin import serve_directory

pytestmark = pytest.mark.browser
PREFIX = "/workshop-kit/"


@pytest.fixture(scope="module")
def sub_path_url(built_site, tmp_path_factory):
    host = tmp_path_factory.mktemp("pages-host")
    (host / PREFIX.strip("/")).symlink_to(built_site, target_is_directory=True)
    server, url = serve_directory(host)
    yield url.rstrip("/") + PREFIX
    server.shutdown()


@pytest.mark.parametrize("path", ["", "half-day-lab/speaker-guide/", "fr/gitops-dvc/agenda/",
                                  "notebook-to-pipeline/notebook/"])
def test_every_request_stays_under_the_sub_path_and_succeeds(sub_path_url, browser_page, path):
    requests, failures = [], []
    browser_page.on("request", lambda request: requests.append(urlparse(request.url)))
    browser_page.on("response", lambda response: response.status >= 400 and failures.append(response.url))
    browser_page.goto(sub_path_url + path)
    browser_page.wait_for_load_state("networkidle")
    # Material probes `<alternate>/sitemap.xml` for each language link; static-i18n's links point
    # at pages, so the probe misses and the switcher follows the link itself (tested below).
    assert [url for url in failures if not url.endswith("/sitemap.xml")] == []
    outside = [r.geturl() for r in requests if r.hostname != "127.0.0.1" or not r.path.startswith(PREFIX)]
    assert outside == []
    assert browser_page.locator("link[href$='workshop.css']").count() == 1


def test_checklists_and_the_language_switch_work_under_the_sub_path(sub_path_url, browser_page):
    browser_page.goto(sub_path_url + "half-day-lab/speaker-guide/")
    text = "PREP: Get the current overview decks for the platform and for machine learning on it."
    label = text.split(": ", 1)[1]
    click_checkbox(browser_page, item(browser_page, label))
    browser_page.reload()
    assert is_ticked(browser_page, label)
    browser_page.hover(".md-header__option .md-select")
    browser_page.click('a.md-select__link[hreflang="fr"]')
    browser_page.wait_for_url(f"**{PREFIX}fr/half-day-lab/speaker-guide/")
