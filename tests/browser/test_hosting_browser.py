"""The built site works when hosted under a sub-path, as GitHub Pages serves a project site."""

from urllib.parse import urlparse

import pytest
from helpers import click_checkbox, is_ticked, ready

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
    # No `<alternate>/sitemap.xml` probe either: page_head.py drops the head links Material probes.
    assert failures == []
    outside = [r.geturl() for r in requests if r.hostname != "127.0.0.1" or not r.path.startswith(PREFIX)]
    assert outside == []
    assert browser_page.locator("link[href$='workshop.css']").count() == 1


def test_checklists_and_the_language_switch_work_under_the_sub_path(sub_path_url, browser_page):
    browser_page.goto(sub_path_url + "half-day-lab/speaker-guide/")
    ready(browser_page)
    first = browser_page.locator("li.task-list-item:not(:has(li))").first
    label = first.locator(":scope > label input").get_attribute("aria-label")
    click_checkbox(browser_page, first)
    browser_page.reload()
    assert is_ticked(browser_page, label)
    browser_page.hover(".md-header__option .md-select")
    browser_page.click('a.md-select__link[hreflang="fr"]')
    browser_page.wait_for_url(f"**{PREFIX}fr/half-day-lab/speaker-guide/")
