"""The agenda clock with a frozen, then advancing, browser clock (Playwright's clock API)."""

from datetime import UTC, datetime

import pytest
from helpers import ready, serve_small_site
from playwright.sync_api import expect

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
    return datetime(2026, 11, 23, hour, minute, tzinfo=UTC)


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
    ready(page)
    return page.locator(".wk-clock-status").inner_text()


def row(page, title: str):
    ready(page)
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


def test_shifted_start_from_the_url_is_kept_and_shown(agenda_site, clock_page):
    clock_page.clock.install(time=at(10, 5))
    clock_page.goto(agenda_site + "?start=10:00")
    cells = row(clock_page, "Welcome").locator("td")
    assert (cells.nth(0).inner_text(), cells.nth(1).inner_text()) == ("10:00", "10:30")
    assert row(clock_page, "Deploy").locator("td").nth(1).inner_text() == "12:30"
    assert status(clock_page) == "Now: Welcome · Next: Lab in 25 min"
    clock_page.goto(agenda_site)
    assert row(clock_page, "Welcome").locator("td").nth(0).inner_text() == "10:00", "shift not persisted"
    assert clock_page.locator(".wk-clock-shifted").inner_text() == "Shifted start: 10:00 (planned 09:00)"
    clock_page.click("button.wk-clock-unshift")
    assert row(clock_page, "Welcome").locator("td").nth(0).inner_text() == "09:00"
    assert not clock_page.locator(".wk-clock-shifted").is_visible()
    clock_page.reload()
    assert row(clock_page, "Welcome").locator("td").nth(0).inner_text() == "09:00", "the removal is kept"


def test_shift_schedule_button_and_removing_the_shift(agenda_site, clock_page):
    clock_page.clock.install(time=at(13, 20))
    clock_page.goto(agenda_site)
    assert not clock_page.locator(".wk-clock-shifted").is_visible()
    clock_page.once("dialog", lambda dialog: dialog.accept("13:15"))
    clock_page.click("button.wk-clock-shift")
    assert row(clock_page, "Welcome").locator("td").nth(0).inner_text() == "13:15"
    assert status(clock_page).startswith("Now: Welcome")
    assert clock_page.locator(".wk-clock-shifted").is_visible()
    clock_page.click("button.wk-clock-unshift")
    assert row(clock_page, "Welcome").locator("td").nth(0).inner_text() == "09:00"


@pytest.mark.parametrize("value", ["25:00", "abc", "9:75"])
def test_bad_start_values_are_rejected_with_a_message(agenda_site, clock_page, value):
    clock_page.clock.install(time=at(9, 40))
    clock_page.goto(agenda_site + "?start=" + value)
    ready(clock_page)  # the scripts run after the load event: look once they have
    message = clock_page.locator(".wk-clock-message")
    assert message.is_visible() and f"“{value}” is not a time of day" in message.inner_text()
    assert row(clock_page, "Welcome").locator("td").nth(0).inner_text() == "09:00"
    clock_page.goto(agenda_site)
    ready(clock_page)
    assert not message.is_visible()
    clock_page.once("dialog", lambda dialog: dialog.accept(value))
    clock_page.click("button.wk-clock-shift")
    assert message.is_visible() and value in message.inner_text()
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


TOOLING_DAY = """\
# Run of show

/// timing | ML tooling day
    start: "09:00"
    slot: 7 h

| Time | Session | Kind |
| --- | --- | --- |
| 09:00 - 09:10 | Good morning | talk |
| 09:10 - 09:30 | Introduction | talk |
| 09:30 - 11:20 | Guided build | hands-on |
| 11:20 - 11:30 | Break | break |
| 11:30 - 12:00 | Guided tour | demo |
| 12:00 - 12:10 | Short talk | talk |
| 12:10 - 13:10 | Lunch | lunch |
| 13:10 - 15:15 | Projects | hands-on |
| 15:15 - 15:20 | Coffee | break |
| 15:20 - 16:00 | Share your findings | talk |
///
""" + "\n".join(f"\nFiller paragraph {n} so that the page scrolls." for n in range(60)) + "\n"


@pytest.fixture
def tooling_day(tmp_path):
    server, url = serve_small_site(tmp_path, {"index.md": TOOLING_DAY})
    yield url
    server.shutdown()


def test_done_marks_feed_the_projection_and_never_freeze_now(tooling_day, clock_page):
    clock_page.clock.install(time=at(9, 25))
    clock_page.goto(tooling_day)
    mark_done(clock_page, "Good morning")
    assert status(clock_page) == ("Now: Introduction · Next: Guided build in 20 min · 15 min behind · "
                                  "Projected end: 16:15")
    clock_page.clock.fast_forward("00:20:00")  # 09:45
    mark_done(clock_page, "Introduction")
    clock_page.clock.fast_forward("00:45:00")  # 10:30
    assert status(clock_page) == "Now: Guided build · Next: Break in 65 min · 15 min behind · Projected end: 16:15"
    assert "wk-now" in row(clock_page, "Guided build").get_attribute("class")
    clock_page.clock.fast_forward("04:30:00")  # 15:00
    mark_done(clock_page, "Projects")  # at 15:00, 15 min before its planned end
    assert status(clock_page) == ("Now: Coffee · Next: Share your findings in 5 min · 15 min ahead · "
                                  "Projected end: 15:45")


def test_an_unticked_row_past_its_end_is_overrunning_and_the_rest_projected_from_now(tooling_day, clock_page):
    """Issue 24: at 11:40 the guided build (planned to end 11:20) still runs, unticked."""
    clock_page.clock.install(time=at(9, 12))
    clock_page.goto(tooling_day)
    mark_done(clock_page, "Good morning")
    clock_page.clock.fast_forward("00:23:00")  # 09:35
    mark_done(clock_page, "Introduction")
    clock_page.clock.fast_forward("02:05:00")  # 11:40
    assert status(clock_page) == ("Now: Guided build · 15 min past its end · Next: Break, once this ends · "
                                  "20 min behind · Projected end: 16:20")
    assert "wk-overrun" in row(clock_page, "Guided build").get_attribute("class")
    assert "wk-behind" in clock_page.locator(".wk-clock-status").get_attribute("class")
    clock_page.clock.fast_forward("00:10:00")  # 11:50: still running, still projected from now
    assert status(clock_page).endswith("30 min behind · Projected end: 16:30")


def test_the_day_ends_only_when_its_last_row_is_marked(tooling_day, clock_page):
    clock_page.clock.install(time=at(15, 37))
    clock_page.goto(tooling_day)
    mark_done(clock_page, "Coffee")  # 17 min behind
    clock_page.clock.fast_forward("00:43:00")  # 16:20, the last row not marked
    text = status(clock_page)
    assert text == ("Now: Share your findings · 3 min past its end · Last item of the agenda · 20 min behind · "
                    "Projected end: 16:20")
    assert "Ended" not in text
    mark_done(clock_page, "Share your findings")
    assert status(clock_page) == "The day is over · overran by 20 min · Ended: 16:20"
    assert clock_page.locator("tr.wk-now, tr.wk-next").count() == 0


def test_an_unfollowed_day_past_its_end_is_not_said_to_have_ended(tooling_day, clock_page):
    clock_page.clock.install(time=at(16, 20))
    clock_page.goto(tooling_day)
    assert status(clock_page) == "Past the planned end (16:00)"


def test_a_run_from_an_earlier_day_is_shown_but_not_applied(tooling_day, clock_page):
    clock_page.clock.install(time=at(9, 25))
    clock_page.goto(tooling_day)
    mark_done(clock_page, "Good morning")
    clock_page.clock.set_system_time(datetime(2026, 11, 24, 9, 5, tzinfo=UTC))  # the next morning
    clock_page.reload()
    assert status(clock_page) == "Now: Good morning · Next: Introduction in 5 min"
    assert not row(clock_page, "Good morning").locator("input.wk-clock-done").is_checked()
    stale = clock_page.locator(".wk-clock-stale")
    assert stale.is_visible() and "2026-11-23" in stale.inner_text()
    clock_page.once("dialog", lambda dialog: dialog.accept())
    clock_page.click("button.wk-clock-new")
    assert not stale.is_visible()
    clock_page.reload()
    assert not stale.is_visible(), "the new run is saved"


def test_new_run_asks_first_and_can_be_undone_that_day(tooling_day, clock_page):
    clock_page.clock.install(time=at(9, 25))
    clock_page.goto(tooling_day)
    mark_done(clock_page, "Good morning")
    undo = clock_page.locator("button.wk-clock-undo")
    assert not undo.is_visible()
    questions = []
    clock_page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    clock_page.click("button.wk-clock-new")
    assert questions and "done marks" in questions[0]
    assert row(clock_page, "Good morning").locator("input.wk-clock-done").is_checked(), "refused: nothing cleared"
    clock_page.once("dialog", lambda dialog: dialog.accept())
    clock_page.click("button.wk-clock-new")
    assert not row(clock_page, "Good morning").locator("input.wk-clock-done").is_checked()
    assert undo.is_visible() and undo.inner_text() == "Restore the previous run"
    clock_page.reload()
    undo.click()
    assert row(clock_page, "Good morning").locator("input.wk-clock-done").is_checked()
    assert "15 min behind" in status(clock_page) and not undo.is_visible()


def test_start_now_after_a_new_run_keeps_the_cleared_marks_restorable(tooling_day, clock_page):
    clock_page.clock.install(time=at(9, 25))
    clock_page.goto(tooling_day)
    mark_done(clock_page, "Good morning")
    clock_page.once("dialog", lambda dialog: dialog.accept())
    clock_page.click("button.wk-clock-new")
    asked = []
    clock_page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    clock_page.click("button.wk-clock-start")  # nothing marked in the new run: no question
    assert not asked
    assert row(clock_page, "Good morning").locator("td").nth(0).inner_text() == "09:25"
    clock_page.click("button.wk-clock-undo")
    assert row(clock_page, "Good morning").locator("input.wk-clock-done").is_checked(), "the cleared marks are back"
    assert row(clock_page, "Good morning").locator("td").nth(0).inner_text() == "09:00", "and the start before them"


def test_a_run_holding_only_questions_asks_before_it_is_cleared(tooling_day, clock_page):
    clock_page.clock.install(time=at(9, 25))
    clock_page.goto(tooling_day)
    questions = clock_page.locator("button.wk-clock-questions")
    questions.click()  # a questions hold, no done mark
    assert questions.get_attribute("aria-pressed") == "true"
    asked = []
    clock_page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    clock_page.click("button.wk-clock-new")
    assert asked, "the hold would be lost: asked first"
    assert questions.get_attribute("aria-pressed") == "true", "refused: the hold is kept"
    clock_page.once("dialog", lambda dialog: dialog.accept())
    clock_page.click("button.wk-clock-new")
    assert questions.get_attribute("aria-pressed") == "false"
    clock_page.click("button.wk-clock-undo")
    assert questions.get_attribute("aria-pressed") == "true", "undone: the hold is back"


def test_start_now_asks_and_its_undo_restores_the_shift_and_the_marks(tooling_day, clock_page):
    clock_page.clock.install(time=at(9, 25))
    clock_page.goto(tooling_day)
    mark_done(clock_page, "Good morning")
    clock_page.once("dialog", lambda dialog: dialog.accept())
    clock_page.click("button.wk-clock-start")
    assert row(clock_page, "Good morning").locator("td").nth(0).inner_text() == "09:25"
    assert not row(clock_page, "Good morning").locator("input.wk-clock-done").is_checked()
    clock_page.click("button.wk-clock-undo")
    assert row(clock_page, "Good morning").locator("td").nth(0).inner_text() == "09:00"
    assert row(clock_page, "Good morning").locator("input.wk-clock-done").is_checked()
    clock_page.clock.set_system_time(datetime(2026, 11, 24, 9, 5, tzinfo=UTC))
    clock_page.once("dialog", lambda dialog: dialog.accept())
    clock_page.click("button.wk-clock-new")
    clock_page.clock.set_system_time(datetime(2026, 11, 25, 9, 5, tzinfo=UTC))  # a day later
    clock_page.reload()
    assert not clock_page.locator("button.wk-clock-undo").is_visible(), "one undo, for the day only"


def test_french_overrun_and_undo_labels(tmp_path, clock_page):
    server, url = serve_small_site(tmp_path, {"index.md": TOOLING_DAY}, lang="fr")
    try:
        clock_page.clock.install(time=at(9, 12))
        clock_page.goto(url)
        mark_done(clock_page, "Good morning")
        # 09:40: the introduction, moved 2 min by the first mark, ran to 09:32
        clock_page.clock.fast_forward("00:28:00")
        assert status(clock_page) == ("En cours : Introduction · déborde de 8 min · Ensuite : Guided build, "
                                      "une fois ce point terminé · 10 min de retard · Fin prévue : 16:10")
        clock_page.once("dialog", lambda dialog: dialog.accept())
        clock_page.click("button.wk-clock-new")
        assert clock_page.locator("button.wk-clock-undo").inner_text() == "Rétablir la séance précédente"
    finally:
        server.shutdown()


def test_the_done_column_has_a_header_and_the_status_stays_in_view(tooling_day, clock_page):
    clock_page.clock.install(time=at(10, 0))
    clock_page.goto(tooling_day)
    # The Done column is added by the page's script: wait for it (on a loaded machine it comes after "load").
    expect(clock_page.locator(".wk-timing thead th").last).to_have_text("Done")
    # Scroll until the table's last row is near the top: its first rows and the buttons are gone.
    clock_page.evaluate("""() => { const tr = document.querySelector('tr[data-title="Share your findings"]');
        window.scrollBy(0, tr.getBoundingClientRect().top - 250); }""")
    clock_page.wait_for_timeout(200)
    box = clock_page.locator(".wk-clock-status").bounding_box()
    header = clock_page.locator(".md-header").bounding_box()
    first = row(clock_page, "Good morning").bounding_box()
    assert first["y"] < header["y"], "the page scrolled past the first rows"
    assert header["y"] + header["height"] - 1 <= box["y"] < 250, box
