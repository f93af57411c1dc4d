"""Text a page author pastes (checklist items, agenda cells, fence attributes) is shown, never run."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from payloads import CONFIG, PAYLOAD_PAGE

from workshop_kit.pytest_plugin import build_site, serve_directory

EVENT_ATTRIBUTES = ("onerror", "onload", "onmouseover")


def build(root: Path, site_url: str = "http://127.0.0.1/") -> Path:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs/index.md").write_text(PAYLOAD_PAGE)
    (root / "mkdocs.yml").write_text(CONFIG.format(site_url=site_url))
    result = build_site(root / "mkdocs.yml", root / "site")
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_no_payload_reaches_the_html_as_markup(tmp_path):
    soup = BeautifulSoup((build(tmp_path) / "index.html").read_text(), "html.parser")
    article = soup.select_one("article")
    assert [s.text for s in article.find_all("script")] == []
    assert [tag.name for tag in article.find_all(True) if any(a in tag.attrs for a in EVENT_ATTRIBUTES)] == []
    text = article.get_text()
    for shown in ('<script>window.pwned = "checklist script"</script>', "<img src=x onerror=\"window.pwned = 'cell'\">",
                  "<script>window.pwned='title'</script>", "Not run in CI: <img src=x onerror=window.pwned='skip'>"):
        assert shown in text, f"the payload is shown as text: {shown}"


@pytest.mark.browser
def test_nothing_runs_in_the_browser_even_when_the_features_are_used(tmp_path, browser_page):
    site = tmp_path / "site"
    site.mkdir()
    server, url = serve_directory(site)
    try:
        build(tmp_path, url)
        dialogs = []
        browser_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        browser_page.goto(url)
        browser_page.wait_for_load_state("networkidle")
        browser_page.evaluate("document.querySelector('li.task-list-item input').click()")
        assert browser_page.locator(".wk-progress-count").inner_text() == "1 / 2"
        browser_page.locator(".wk-clock .md-button").first.click()  # start the clock: rows' titles show
        browser_page.hover("table")
        assert browser_page.evaluate("window.pwned === undefined"), browser_page.evaluate("window.pwned")
        assert dialogs == []
        assert "window.pwned" in browser_page.locator(".wk-clock").inner_text()
    finally:
        server.shutdown()
