"""The room server's speaker page in chromium: it asks for the token once, shows the counts change
as simulated participants progress (done, stuck after the clock moves, not started), hides seat
names until "Show seats", renders markup planted in the database as text, and passes axe-core's
WCAG 2.1 AA rules (contrast included). The server runs in a thread on 127.0.0.1 with a clock the
test moves."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import sqlite3
import threading
import time
import urllib.request
from urllib.parse import urlparse

import pytest

pytest.importorskip("uvicorn", reason="the room server needs the 'room' extra (starlette, uvicorn)")

import uvicorn  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from workshop_kit.room.app import create_app  # noqa: E402

pytestmark = pytest.mark.browser

TOKEN = "browser-test-token-0123456789abcdef"
PAYLOAD = "<img src=x onerror=alert(1)>"
KIT = "gitops-dvc"
ALERT = re.compile(r"\bwk-alert\b")


class Clock:
    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now


class Room:
    """A running room server: `post` sends one check result as check.py does (the protocol's seven fields)."""

    def __init__(self, url, clock, db=None, kit=KIT):
        self.url, self.clock, self.db, self.kit = url, clock, db, kit

    def post(self, seat, step, ok, check="step-check", total=3):
        body = {"kit": self.kit, "step": step, "total": total, "check": check, "ok": ok, "seat": seat, "lang": "en"}
        request = urllib.request.Request(self.url.rstrip("/") + "/api/v1/results", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 201


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(app):
    """`app` under uvicorn on a free loopback port (yielded), stopped when the block ends."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the room server did not start"
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    assert not thread.is_alive()


@pytest.fixture
def room(tmp_path):
    clock = Clock()
    db = tmp_path / "room.sqlite3"
    with serving(create_app(db, TOKEN, clock=clock, poll_seconds=0.5)) as port:
        yield Room(f"http://127.0.0.1:{port}/", clock, db)


@pytest.fixture
def speaker(chromium_browser):
    context = chromium_browser.new_context()
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.problems = []
    page.hosts = set()
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("dialog", lambda dialog: (page.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("request", lambda request: page.hosts.add(urlparse(request.url).hostname))
    yield page
    context.close()


def cell(page, step, column):
    return page.locator(f'section[data-kit="{KIT}"] tr[data-step="{step}"] td[data-col="{column}"]')


def expect_counts(page, step, done, stuck, working, not_started):
    for column, count in (("done", done), ("stuck", stuck), ("working", working), ("not_started", not_started)):
        expect(cell(page, step, column)).to_have_attribute("data-count", str(count))


def log_in(page, room, token=TOKEN):
    page.goto(room.url)
    expect(page.locator("#wk-login")).to_be_visible()
    page.get_by_label("Speaker token").fill(token)
    page.get_by_role("button", name="Connect").click()


def test_counts_follow_the_room_and_seats_stay_hidden_until_shown(room, speaker):
    page = speaker
    log_in(page, room, "not-the-token-at-all")
    expect(page.locator("#wk-status")).to_contain_text("refused this token")
    expect(page.locator("#wk-login")).to_be_visible()
    assert page.problems == ["Failed to load resource: the server responded with a status of 401 (Unauthorized)"]
    page.problems.clear()  # chromium's own line for the refused token, which was the point
    page.get_by_label("Speaker token").fill(TOKEN)
    page.get_by_role("button", name="Connect").click()
    expect(page.locator("#wk-kits")).to_contain_text("No participant has sent a check yet.")

    room.post("seat-ana", 1, True)
    room.post("seat-ben", 1, True)
    room.post("seat-chloe", 1, False)
    expect_counts(page, 1, done=2, stuck=0, working=1, not_started=0)
    expect_counts(page, 2, done=0, stuck=0, working=0, not_started=3)

    room.post("seat-ana", 2, True)
    room.post("seat-ben", 2, False)
    expect_counts(page, 2, done=1, stuck=0, working=1, not_started=1)
    expect(cell(page, 2, "stuck")).not_to_have_class(ALERT)

    room.clock.now += 6 * 60  # ben and chloe have failed the same check for 6 minutes
    expect_counts(page, 1, done=2, stuck=1, working=0, not_started=0)
    expect_counts(page, 2, done=1, stuck=1, working=0, not_started=1)
    expect(cell(page, 2, "stuck")).to_have_class(ALERT)

    room.post("seat-ana", 3, True)
    room.post("seat-ben", 2, True)
    expect_counts(page, 2, done=2, stuck=0, working=0, not_started=1)
    expect_counts(page, 3, done=1, stuck=0, working=0, not_started=2)
    expect(page.locator(f'section[data-kit="{KIT}"] .wk-summary')).to_contain_text("3 seats")
    expect(page.locator(f'section[data-kit="{KIT}"] .wk-summary')).to_contain_text("0 s per step")

    # The projector: no seat name anywhere in the page until the speaker asks.
    assert "seat-" not in page.locator("body").inner_text()
    assert page.locator(".wk-seats").count() == 0
    show = page.get_by_role("button", name="Show seats")
    show.click()
    expect(page.get_by_role("button", name="Hide seats")).to_have_attribute("aria-pressed", "true")
    expect(cell(page, 1, "stuck")).to_contain_text("seat-chloe")
    expect(cell(page, 2, "done")).to_contain_text("seat-ana, seat-ben")
    expect(cell(page, 3, "not_started")).to_contain_text("seat-ben, seat-chloe")
    page.get_by_role("button", name="Hide seats").click()
    expect(page.locator(".wk-seats")).to_have_count(0)
    expect(cell(page, 1, "done")).to_have_attribute("data-count", "2")
    assert "seat-" not in page.locator("body").inner_text()

    page.reload()  # the token is kept in this tab: not asked again
    expect(cell(page, 1, "done")).to_have_attribute("data-count", "2")
    expect(page.locator("#wk-login")).to_be_hidden()
    page.get_by_role("button", name="Forget token").click()
    expect(page.locator("#wk-login")).to_be_visible()
    assert page.evaluate("sessionStorage.length") == 0

    assert page.problems == []
    assert page.hosts == {"127.0.0.1"}


def test_markup_planted_in_the_database_is_shown_as_text(room, speaker):
    """Validation refuses such names; if one were in the database anyway, the page shows it as text."""
    page = speaker
    room.post("seat-ana", 1, True)
    with sqlite3.connect(room.db) as db:
        db.execute("INSERT INTO state (kit, seat, step, check_id, ok, last_at) VALUES (?, ?, 1, 'x', 1, 0)",
                   (KIT, PAYLOAD))
        db.execute("INSERT INTO kits (kit, total, last_at) VALUES (?, 2, 0)", (PAYLOAD,))
        db.execute("INSERT INTO state (kit, seat, step, check_id, ok, last_at) VALUES (?, ?, 1, 'x', 0, 0)",
                   (PAYLOAD, PAYLOAD))
    log_in(page, room)
    expect_counts(page, 1, done=2, stuck=0, working=0, not_started=0)
    page.get_by_role("button", name="Show seats").click()
    expect(cell(page, 1, "done").locator(".wk-seats")).to_have_text(f"{PAYLOAD}, seat-ana")
    expect(page.locator("h2", has_text=PAYLOAD)).to_have_count(1)
    page.wait_for_timeout(1500)  # three more polls
    assert page.locator("img").count() == 0
    assert page.problems == []


def test_the_speaker_page_passes_wcag_aa(room, speaker):
    from axe_playwright_python.sync_playwright import Axe

    page = speaker
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
    page.goto(room.url)
    expect(page.locator("#wk-login")).to_be_visible()
    assert Axe().run(page, options=options).response["violations"] == []
    room.post("seat-ana", 1, True)
    room.post("seat-ben", 1, False)
    room.clock.now += 600
    page.get_by_label("Speaker token").fill(TOKEN)
    page.get_by_role("button", name="Connect").click()
    expect(cell(page, 1, "stuck")).to_have_attribute("data-count", "1")
    page.get_by_role("button", name="Show seats").click()
    expect(cell(page, 1, "stuck").locator(".wk-seats")).to_have_text("seat-ben")
    violations = Axe().run(page, options=options).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
