"""Past runs on the agenda, in chromium with a fixed clock: the speaker view's "planned · past (p80)"
per row, the projected end at past pace (a switch, remembered), the questions hold and the "Export
run" download, which `workshop timing learn` then reads. The site is built strictly, then its
agenda page gets the past figures as the plugin's build does (`mkdocs_plugin/past_runs.annotate`)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import ready, serve_small_site

from workshop_kit.extensions.timing.runs import load_run, validate_run
from workshop_kit.mkdocs_plugin.past_runs import annotate

sys.path.insert(0, str(Path(__file__).parents[1] / "timing"))
from test_runs import PAGE, RUNS, t  # noqa: E402  (the same synthetic runs as the unit tests)

pytestmark = pytest.mark.browser

SPEAKER = "localStorage.setItem('wk:/:view:', JSON.stringify({v: 1, data: {view: 'speaker'}}))"


def at(hour: int, minute: int) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=UTC)


@pytest.fixture
def past_site(tmp_path):
    (tmp_path / "docs" / "test").mkdir(parents=True)
    server, url = serve_small_site(tmp_path, {"test/agenda.md": PAGE.format(slot="3 h")})
    folder = tmp_path / "runs" / "test"
    folder.mkdir(parents=True)
    for run in RUNS:
        (folder / f"{run['date']}.json").write_text(json.dumps(run))
    page = tmp_path / "site" / "test" / "agenda" / "index.html"
    page.write_text(annotate(page.read_text(encoding="utf-8"), "test/agenda.md", tmp_path), encoding="utf-8")
    yield url + "test/agenda/"
    server.shutdown()


@pytest.fixture
def speaker_page(chromium_browser):
    context = chromium_browser.new_context(timezone_id="UTC", accept_downloads=True)
    page = context.new_page()
    page.add_init_script(SPEAKER)
    yield page
    context.close()


def row(page, title: str):
    ready(page)
    return page.locator(f'tr.wk-timing-row[data-title="{title}"]')


def status(page) -> str:
    ready(page)
    return page.locator(".wk-clock-status").inner_text()


def test_past_figures_show_in_the_speaker_view_only(past_site, speaker_page, chromium_browser):
    speaker_page.clock.install(time=at(9, 10))
    speaker_page.goto(past_site)
    past = row(speaker_page, "Welcome").locator(".wk-past")
    assert past.is_visible() and past.inner_text() == "planned 30 · past 35 (p80 38)"
    assert row(speaker_page, "Lab").locator(".wk-past").inner_text() == "planned 60 · past 70 (p80 70)"
    assert speaker_page.locator(".wk-clock-pace").is_visible()
    context = chromium_browser.new_context(timezone_id="UTC")
    try:
        participant = context.new_page()
        participant.goto(past_site)
        assert row(participant, "Welcome").locator(".wk-past").count() == 1
        assert not row(participant, "Welcome").locator(".wk-past").is_visible()
        assert not participant.locator(".wk-clock-pace").is_visible()
    finally:
        context.close()


def test_projected_end_at_past_pace_is_a_remembered_switch(past_site, speaker_page):
    speaker_page.clock.install(time=at(9, 35))
    speaker_page.goto(past_site)
    row(speaker_page, "Welcome").locator("input.wk-clock-done").check()
    assert "Projected end: 11:35" in status(speaker_page)
    assert "past pace" not in status(speaker_page)
    speaker_page.locator(".wk-clock-pace input").check()
    # Lab from the 09:35 mark: 70 min, Coffee 15, Deploy 50.
    assert "Projected end at past pace: 11:50" in status(speaker_page)
    speaker_page.reload()
    assert speaker_page.locator(".wk-clock-pace input").is_checked()
    assert "Projected end at past pace: 11:50" in status(speaker_page)


def test_questions_hold_and_export_run(past_site, speaker_page, tmp_path):
    speaker_page.clock.install(time=at(9, 32))
    speaker_page.goto(past_site)
    row(speaker_page, "Welcome").locator("input.wk-clock-done").check()
    speaker_page.clock.fast_forward("08:00")  # 09:40
    questions = speaker_page.locator("button.wk-clock-questions")
    assert questions.inner_text() == "Questions" and questions.get_attribute("aria-pressed") == "false"
    questions.click()
    assert questions.inner_text() == "End questions" and questions.get_attribute("aria-pressed") == "true"
    speaker_page.clock.fast_forward("04:00")  # 09:44
    speaker_page.reload()  # the open hold is saved
    assert "Questions: 4 min" in status(speaker_page)
    speaker_page.locator("button.wk-clock-questions").click()
    assert "Questions:" not in status(speaker_page)
    with speaker_page.expect_download() as download:
        speaker_page.click("button.wk-clock-export")
    assert download.value.suggested_filename == "2026-11-23-timing-1.json"
    saved = tmp_path / "runs" / "test" / "2026-11-23.json"
    download.value.save_as(saved)
    data = validate_run(json.loads(saved.read_text()), saved.name)
    assert data["workshop"] == "test" and data["lang"] == "en" and data["date"] == "2026-11-23"
    assert data["agenda"] == {"id": "timing-1", "title": "Test day", "page": "test/agenda/"}
    assert data["done"] == {"0": t("09:32")}
    [hold] = data["holds"]
    assert hold["row"] == 1 and t("09:40") <= hold["start"] < t("09:40") + 30, "started when clicked"
    assert t("09:44") <= hold["end"] < t("09:44") + 30, "ended when clicked (the page's clock keeps running)"
    assert [(r["title"], r["planned"]) for r in data["rows"]] == [("Welcome", 1800), ("Lab", 3600), ("Coffee", 900),
                                                                  ("Deploy", 2700)]
    assert load_run(saved)["done"] == data["done"], "what the browser exports, learn reads"


def test_nothing_to_export_says_so(past_site, speaker_page):
    speaker_page.clock.install(time=at(9, 5))
    speaker_page.goto(past_site)
    speaker_page.click("button.wk-clock-export")
    message = speaker_page.locator(".wk-clock-message")
    assert message.is_visible() and "no done mark" in message.inner_text()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_new_controls_pass_axe(past_site, chromium_browser, scheme):
    import test_a11y_browser

    context = chromium_browser.new_context(timezone_id="UTC", color_scheme=scheme)
    try:
        page = context.new_page()
        page.add_init_script(SPEAKER)
        page.clock.install(time=at(9, 35))
        page.goto(past_site)
        ready(page)
        page.locator(".wk-clock-pace input").check()
        page.click("button.wk-clock-questions")
        violations = test_a11y_browser.axe(page)
        assert not violations, test_a11y_browser.describe(violations)
    finally:
        context.close()
