"""The room's progress on the site (room.js), in chromium: a room server on 127.0.0.1 allows the
test site's origin; simulated seats post their checks as check.py does; the speaker view of a
handout connects with the token and shows each step's done / stuck / working / not started counts
on its check box, seat names only after "Show seats"; a wrong token is said in the panel; the
participant view has none of it in the page; the agenda shows each kit's median pace and the time
left; the connected panel passes axe-core's WCAG 2.1 AA rules in both colour schemes."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlparse

import pytest

pytest.importorskip("uvicorn", reason="the room server needs the 'room' extra (starlette, uvicorn)")

from helpers import ready  # noqa: E402
from playwright.sync_api import expect  # noqa: E402
from test_room_browser import Clock, Room, serving  # noqa: E402
from test_timing_browser import AGENDA  # noqa: E402

from site_yaml import SUPERFENCES  # noqa: E402
from workshop_kit.pytest_plugin import build_site, serve_directory  # noqa: E402
from workshop_kit.room.app import create_app  # noqa: E402

pytestmark = pytest.mark.browser

TOKEN = "site-browser-test-token-0123456789abcdef"
KIT = "demo-kit"
WAIT = 30_000  # ms: a poll every 5 s, on a shared, slow machine
SPEAKER = "localStorage.setItem('wk:/:view:', JSON.stringify({v: 1, data: {view: 'speaker'}}))"
REFUSED = "Failed to load resource: the server responded with a status of 401 (Unauthorized)"

CONFIG = """\
site_name: Room test site
site_url: {site_url}
theme:
  name: material
  font: false
  language: en
  features: [navigation.instant]
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: teal
      accent: deep orange
      toggle: {{icon: material/weather-night, name: Switch to dark mode}}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: teal
      accent: deep orange
      toggle: {{icon: material/weather-sunny, name: Switch to light mode}}
plugins:
  - workshop
markdown_extensions:
  - tables
  - admonition
  - attr_list
{superfences}nav:
  - handout.md
  - agenda.md
  - other.md
"""

# The kit's box as the plugin draws it (extensions/kit_box.py), without the commands; then three steps.
HANDOUT = f"""\
# Handout

<div class="admonition kit"><p class="admonition-title">Get the project</p>
<p>Download <a href="../downloads/{KIT}-starter.zip">{KIT}-starter.zip</a> and unpack it.</p></div>

## Data

```check id="data" title="The data is in data/"
- file: data/raw.csv
```

## Model

```check id="model" title="The model is trained"
- file: model.pkl
```

## Report

```check id="report" title="The report is written"
- file: report.md
```
"""



@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("room-site")
    (root / "site").mkdir()
    docs = root / "docs"
    docs.mkdir()
    for name, text in {"handout.md": HANDOUT, "agenda.md": AGENDA, "other.md": "# Other\n"}.items():
        (docs / name).write_text(text)
    server, url = serve_directory(root / "site")
    (root / "mkdocs.yml").write_text(CONFIG.format(site_url=url, superfences=SUPERFENCES))
    # Not strict: the check fences are bound to no example project here (the block runner's warning).
    result = build_site(root / "mkdocs.yml", root / "site", strict=False)
    assert result.returncode == 0, result.stderr
    assert (root / "site" / "handout" / "index.html").read_text().count('class="admonition success wk-check"') == 3
    yield url
    server.shutdown()


@pytest.fixture
def room(tmp_path, site):
    """The room server, its CORS origin the test site's, on a clock the test moves."""
    clock = Clock()
    app = create_app(tmp_path / "room.sqlite3", TOKEN, origin=site.rstrip("/"), clock=clock, stuck_minutes=5)
    with serving(app) as port:
        yield Room(f"http://127.0.0.1:{port}", clock, kit=KIT)


def browser_page(chromium_browser, speaker=True, **options):
    context = chromium_browser.new_context(**options)
    context.set_default_timeout(90_000)
    if speaker:
        context.add_init_script(SPEAKER)
    page = context.new_page()
    page.problems = []
    page.progress = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("request", lambda request: "/api/v1/progress" in request.url and page.progress.append(request.url))
    return context, page


@pytest.fixture
def speaker(chromium_browser):
    context, page = browser_page(chromium_browser)
    yield page
    context.close()


def connect(page, room, token=TOKEN):
    page.get_by_label("Room server address").fill(room.url.replace("http://", ""))  # http:// is assumed
    page.get_by_label("Speaker token").fill(token)
    page.get_by_role("button", name="Connect").click()


def step_line(page, step):
    return page.locator(".wk-check").nth(step - 1).locator(".wk-room-step")


def expect_counts(page, step, done, stuck, working, not_started):
    line = step_line(page, step)
    for name, value in (("done", done), ("stuck", stuck), ("working", working), ("not-started", not_started)):
        expect(line.locator(f".wk-room-{name}")).to_have_attribute("data-count", str(value), timeout=WAIT)


def seat_names_in_page(page) -> bool:
    return "seat-" in page.content()


def test_the_handout_follows_the_room_in_the_speaker_view_only(site, room, speaker):
    page = speaker
    page.goto(site + "handout/")
    ready(page)
    panel = page.locator(".wk-room")
    expect(panel).to_have_count(1)
    expect(panel).to_be_visible()
    # The panel comes before the first step's box and says how to start the server for this site.
    assert page.evaluate("""() => {
        const panel = document.querySelector('.wk-room'), box = document.querySelector('.wk-check');
        return Boolean(panel.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")
    expect(panel.locator(".wk-room-hint code")).to_have_text(f"workshop room serve --origin {site.rstrip('/')}")
    expect(page.locator(".wk-room-step")).to_have_count(0)

    # A wrong token: said in the panel, the form stays.
    connect(page, room, "not-the-speaker-token")
    expect(panel.get_by_role("status")).to_contain_text("refused this token", timeout=WAIT)
    expect(page.get_by_label("Speaker token")).to_be_visible()
    assert page.evaluate("Object.keys(sessionStorage).filter(k => k.includes('room-token')).length") == 0
    assert page.problems == [REFUSED]
    page.problems.clear()

    # An address that is not one.
    page.get_by_label("Room server address").fill("ftp://example.org")
    page.get_by_label("Speaker token").fill(TOKEN)
    page.get_by_role("button", name="Connect").click()
    expect(panel.get_by_role("status")).to_contain_text("is not a room server address")

    connect(page, room)
    summary = panel.locator(".wk-room-summary")
    expect(summary).to_contain_text(f"Room: {room.url} · 0 seats · updated ", timeout=WAIT)
    expect(panel.locator(".wk-room-status")).to_have_text("")
    expect(step_line(page, 1)).to_have_text("Room: no check received for this handout yet")
    assert all(parse_qs(urlparse(url).query) == {"kit": [KIT]} for url in page.progress), page.progress

    room.post("seat-ana", 1, True)
    room.post("seat-ben", 1, True)
    room.post("seat-chloe", 1, False)
    expect_counts(page, 1, done=2, stuck=0, working=1, not_started=0)
    expect_counts(page, 2, done=0, stuck=0, working=0, not_started=3)
    expect(summary).to_contain_text("· 3 seats ·")
    expect(step_line(page, 1)).to_have_text("Room: 2 done · 0 stuck · 1 working · 0 not started")

    room.post("seat-ana", 2, True)
    room.post("seat-ben", 2, False)
    expect_counts(page, 2, done=1, stuck=0, working=1, not_started=1)
    expect(step_line(page, 2).locator(".wk-room-alert")).to_have_count(0)

    room.clock.now += 6 * 60  # ben and chloe have failed the same check for 6 minutes
    expect_counts(page, 1, done=2, stuck=1, working=0, not_started=0)
    expect_counts(page, 2, done=1, stuck=1, working=0, not_started=1)
    expect(step_line(page, 2).locator(".wk-room-stuck")).to_have_class(re.compile(r"\bwk-room-alert\b"))

    room.post("seat-ana", 3, True)
    room.post("seat-ben", 2, True)
    expect_counts(page, 2, done=2, stuck=0, working=0, not_started=1)
    expect_counts(page, 3, done=1, stuck=0, working=0, not_started=2)

    # The projector: no seat name anywhere in the page (text, attributes) until the speaker asks.
    assert not seat_names_in_page(page)
    show = page.get_by_role("button", name="Show seats")
    expect(show).to_have_attribute("aria-pressed", "false")
    show.click()
    expect(show).to_have_attribute("aria-pressed", "true")
    expect(step_line(page, 1).locator(".wk-room-seats-stuck")).to_have_text("stuck: seat-chloe")
    room.post("seat-chloe", 1, True)
    room.post("seat-chloe", 2, False)
    expect(step_line(page, 2).locator(".wk-room-seats-working")).to_have_text("working: seat-chloe", timeout=WAIT)
    expect(step_line(page, 1).locator(".wk-room-seats")).to_have_count(0)
    show.click()
    expect(show).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".wk-room-seats")).to_have_count(0)
    assert not seat_names_in_page(page)

    # The participant view: nothing of the room in the page, and no more polling.
    page.locator(".wk-view-toggle").click()
    expect(page.locator(".wk-room, .wk-room-step")).to_have_count(0)
    polled = len(page.progress)
    page.wait_for_timeout(6_000)
    assert len(page.progress) == polled
    page.locator(".wk-view-toggle").click()  # back: connected again with this tab's token
    expect_counts(page, 2, done=2, stuck=0, working=1, not_started=0)

    # A reload keeps the connection (token in this tab); "Disconnect" forgets the token.
    page.reload()
    ready(page)
    expect_counts(page, 1, done=3, stuck=0, working=0, not_started=0)
    page.get_by_role("button", name="Disconnect").click()
    expect(page.get_by_label("Speaker token")).to_be_visible()
    expect(page.get_by_label("Room server address")).to_have_value(room.url)
    expect(page.locator(".wk-room-step")).to_have_count(0)
    assert page.evaluate("Object.keys(sessionStorage).filter(k => k.includes('room-token')).length") == 0
    assert page.problems == []


def test_the_participant_view_has_nothing_of_the_room(site, room, chromium_browser):
    room.post("seat-ana", 1, True)
    context, page = browser_page(chromium_browser, speaker=False)
    try:
        # Even with a token kept in the tab, nothing is added and nothing is asked of the server.
        page.add_init_script(f"sessionStorage.setItem('wk:/:room-token:', {json.dumps(TOKEN)});"
                             f"localStorage.setItem('wk:/:room:', JSON.stringify({{v: 1, data: {{address: "
                             f"{json.dumps(room.url)}}}}}))")
        for path in ("handout/", "agenda/"):
            page.goto(site + path)
            ready(page)
            expect(page.locator(".wk-check")).to_have_count(3 if path == "handout/" else 0)
            assert page.locator(".wk-room, .wk-room-step").count() == 0
        page.wait_for_timeout(1_000)
        assert page.progress == [] and page.problems == []
    finally:
        context.close()


def test_the_agenda_shows_each_kits_pace_and_time_left(site, room, speaker):
    page = speaker
    start = room.clock.now
    room.post("seat-ana", 1, True, total=4)
    room.post("seat-ben", 1, True, total=4)
    room.post("seat-chloe", 1, False, total=4)
    page.goto(site + "agenda/")
    ready(page)
    connect(page, room)
    line = page.locator(f'.wk-room-kit[data-kit="{KIT}"]')
    expect(line).to_have_text(f"{KIT}: the median seat has done 1/4 steps · no pace yet (a seat needs two steps "
                              "done)", timeout=WAIT)
    # The panel sits under the agenda's clock.
    assert page.evaluate("document.querySelector('.wk-clock').nextElementSibling.classList.contains('wk-room')")
    room.clock.now = start + 120
    room.post("seat-ana", 2, True, total=4)
    room.clock.now = start + 180
    room.post("seat-ben", 2, True, total=4)
    room.clock.now = start + 240
    room.post("seat-ana", 3, True, total=4)
    # Gaps 120, 180 and 120 s: 2 min per step; the median seat (ben) has 2 of 4 steps done: 4 min.
    expect(line).to_contain_text(f"{KIT}: the median seat has done 2/4 steps · 2 min per step · about 4 min left (≈ ",
                                 timeout=WAIT)
    assert re.search(r"\(≈ \d{2}:\d{2}\)$", line.inner_text()), line.inner_text()
    assert page.progress and all(not urlparse(url).query for url in page.progress), page.progress
    assert not seat_names_in_page(page)
    assert page.problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_connected_panel_passes_wcag_aa(site, room, chromium_browser, scheme):
    from test_a11y_browser import axe, describe

    room.post("seat-ana", 1, True)
    room.post("seat-ben", 1, False)
    room.clock.now += 600  # ben is stuck
    context, page = browser_page(chromium_browser, color_scheme=scheme)
    try:
        page.goto(site + "handout/")
        ready(page)
        scheme_name = "slate" if scheme == "dark" else "default"
        assert page.locator("body").get_attribute("data-md-color-scheme") == scheme_name
        violations = axe(page)  # the form
        assert not violations, describe(violations)
        connect(page, room)
        expect(step_line(page, 1).locator(".wk-room-stuck")).to_have_attribute("data-count", "1", timeout=WAIT)
        page.get_by_role("button", name="Show seats").click()
        expect(step_line(page, 1).locator(".wk-room-seats-stuck")).to_have_text("stuck: seat-ben")
        violations = axe(page)
        assert not violations, describe(violations)
        page.goto(site + "agenda/")
        ready(page)
        expect(page.locator(".wk-room-kit")).to_have_count(1, timeout=WAIT)
        violations = axe(page)
        assert not violations, describe(violations)
        assert page.problems == []
    finally:
        context.close()
