"""The agenda clock with a frozen, then advancing, browser clock (Playwright's clock API)."""

from datetime import datetime, timezone

import pytest

from helpers import serve_small_site

pytestmark = pytest.mark.browser

AGENDA = """\
# Agenda

/// timing | Test day
    start: "09:00"

| Time | Session | Kind |
| --- | --- | --- |
| 30 min | Welcome | talk |
| 1 h | Lab | hands-on |
| 15 min | Coffee | break |
| 45 min | Deploy | demo |
///
"""


def at(hour: int, minute: int) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=timezone.utc)


@pytest.fixture
def agenda_site(tmp_path):
    server, url = serve_small_site(tmp_path, {"index.md": AGENDA, "other.md": "# Other\n"})
    yield url
    server.shutdown()


@pytest.fixture
def clock_page(chromium_browser):
    context = chromium_browser.new_context(timezone_id="UTC")
    page = context.new_page()
    yield page
    context.close()


def status(page) -> str:
    return page.locator(".wk-clock-status").inner_text()


def row(page, title: str):
    return page.locator(f'tr.wk-timing-row[data-title="{title}"]')


def mark_done(page, title: str) -> None:
    row(page, title).locator("input.wk-clock-done").check()


def test_current_row_and_next_label(agenda_site, clock_page):
    clock_page.clock.install(time=at(9, 40))
    clock_page.goto(agenda_site)
    assert "wk-now" in row(clock_page, "Lab").get_attribute("class")
    assert "wk-next" in row(clock_page, "Coffee").get_attribute("class")
    assert status(clock_page) == "Now: Lab · Next: Coffee in 50 min"
    clock_page.clock.run_for("20:00")
    assert status(clock_page) == "Now: Lab · Next: Coffee in 30 min"
    clock_page.clock.run_for("40:00")
    assert "wk-now" in row(clock_page, "Coffee").get_attribute("class")


def test_before_the_start_only_next_is_shown(agenda_site, clock_page):
    clock_page.clock.install(time=at(8, 45))
    clock_page.goto(agenda_site)
    assert status(clock_page) == "Next: Welcome in 15 min"
    assert clock_page.locator("tr.wk-now").count() == 0


def test_behind_schedule_after_marking_a_row(agenda_site, clock_page):
    clock_page.clock.install(time=at(10, 38))
    clock_page.goto(agenda_site)
    mark_done(clock_page, "Welcome")
    mark_done(clock_page, "Lab")
    assert "8 min behind" in status(clock_page)
    assert "Projected end: 11:38" in status(clock_page)
    assert "wk-now" in row(clock_page, "Coffee").get_attribute("class")
    assert "Next: Deploy in 15 min" in status(clock_page)
    clock_page.reload()
    assert "wk-finished" in row(clock_page, "Lab").get_attribute("class")
    assert "8 min behind" in status(clock_page)


def test_ahead_of_schedule(agenda_site, clock_page):
    clock_page.clock.install(time=at(10, 27))
    clock_page.goto(agenda_site)
    mark_done(clock_page, "Lab")
    assert "3 min ahead" in status(clock_page)
    assert "Projected end: 11:27" in status(clock_page)


def test_unmarking_returns_to_the_clock(agenda_site, clock_page):
    clock_page.clock.install(time=at(9, 10))
    clock_page.goto(agenda_site)
    mark_done(clock_page, "Welcome")
    assert "ahead" in status(clock_page)
    row(clock_page, "Welcome").locator("input.wk-clock-done").uncheck()
    assert status(clock_page) == "Now: Welcome · Next: Lab in 20 min"


def test_shifted_start_from_the_url_is_kept(agenda_site, clock_page):
    clock_page.clock.install(time=at(10, 5))
    clock_page.goto(agenda_site + "?start=10:00")
    cells = row(clock_page, "Welcome").locator("td")
    assert (cells.nth(0).inner_text(), cells.nth(1).inner_text()) == ("10:00", "10:30")
    assert row(clock_page, "Deploy").locator("td").nth(1).inner_text() == "12:30"
    assert status(clock_page) == "Now: Welcome · Next: Lab in 25 min"
    clock_page.goto(agenda_site)
    assert row(clock_page, "Welcome").locator("td").nth(0).inner_text() == "10:00", "shift not persisted"


def test_shift_schedule_button_and_reset(agenda_site, clock_page):
    clock_page.clock.install(time=at(13, 20))
    clock_page.goto(agenda_site)
    clock_page.once("dialog", lambda dialog: dialog.accept("13:15"))
    clock_page.click("button.wk-clock-shift")
    assert row(clock_page, "Welcome").locator("td").nth(0).inner_text() == "13:15"
    assert status(clock_page).startswith("Now: Welcome")
    clock_page.click("button.wk-clock-reset")
    assert row(clock_page, "Welcome").locator("td").nth(0).inner_text() == "09:00"


def test_start_now_retimes_from_the_current_minute(agenda_site, clock_page):
    clock_page.clock.install(time=at(14, 2))
    clock_page.goto(agenda_site)
    clock_page.click("button.wk-clock-start")
    assert row(clock_page, "Lab").locator("td").nth(0).inner_text() == "14:32"


def test_clock_survives_instant_navigation(agenda_site, clock_page):
    clock_page.clock.install(time=at(9, 40))
    clock_page.goto(agenda_site)
    clock_page.locator(".md-nav--primary a.md-nav__link", has_text="Other").first.click()
    clock_page.wait_for_url("**/other/")
    clock_page.locator(".md-nav--primary a.md-nav__link", has_text="Agenda").first.click()
    clock_page.wait_for_function("() => document.querySelector('.wk-clock-status')")
    assert clock_page.locator(".wk-clock").count() == 1
    assert status(clock_page) == "Now: Lab · Next: Coffee in 50 min"


def test_french_labels(tmp_path, clock_page):
    server, url = serve_small_site(tmp_path, {"index.md": AGENDA}, lang="fr")
    try:
        clock_page.clock.install(time=at(9, 40))
        clock_page.goto(url)
        assert status(clock_page) == "En cours : Lab · Ensuite : Coffee dans 50 min"
        assert clock_page.locator("button.wk-clock-shift").inner_text() == "Décaler l'horaire"
    finally:
        server.shutdown()


def test_without_javascript_the_table_is_complete(agenda_site, chromium_browser):
    context = chromium_browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(agenda_site)
    assert page.locator(".wk-clock").count() == 0
    assert page.locator("tr.wk-timing-row").count() == 4
    assert page.locator("tfoot").inner_text().split() == ["Total", "2", "h", "30", "2", "h", "30"]
    context.close()
