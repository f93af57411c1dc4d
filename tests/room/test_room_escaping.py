"""Everything shown is escaped: markup in a seat name is refused at the door, and the speaker's
page puts data in the page with textContent only, under a Content-Security-Policy without inline
script (the browser test renders such a name from the database and finds it shown as text)."""

from __future__ import annotations

import re

from conftest import post
from workshop_kit.room import page

PAYLOAD = "<img src=x onerror=alert(1)>"


def test_a_seat_named_with_markup_is_refused_and_not_echoed(client):
    answer = post(client, seat=PAYLOAD)
    assert answer.status_code == 400 and answer.json()["field"] == "seat"
    assert "<img" not in answer.text
    assert client.app.state.store.count() == 0


def test_markup_in_other_fields_is_refused(client):
    for field in ("kit", "check", "lang"):
        assert post(client, **{field: PAYLOAD}).status_code == 400
    assert post(client, **{PAYLOAD: 1}).status_code == 400
    assert client.app.state.store.count() == 0


def test_the_script_never_writes_html():
    script = page.SCRIPT
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                 "setAttribute('on", "srcdoc", "createContextualFragment"):
        assert sink not in script, sink
    assert "textContent" in script
    # Every element is made by el(), which sets textContent.
    assert re.findall(r"document\.createElement\(", script) == ["document.createElement("]


def test_the_page_has_no_inline_script_and_a_strict_policy(client):
    answer = client.get("/")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    policy = answer.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy and "unsafe" not in policy
    assert answer.headers["x-frame-options"] == "DENY"
    html = answer.text
    assert re.findall(r"<script[^>]*>.*?</script>", html, re.S) == ['<script src="room.js" defer></script>']
    assert not re.search(r"\son[a-z]+=", html)
    for asset in ("/room.js", "/room.css"):
        assert client.get(asset).headers["content-security-policy"] == policy


def test_the_poll_interval_is_a_number_in_the_page():
    assert 'data-poll-seconds="0.5"' in page.html(0.5)
    assert 'data-poll-seconds="3"' in page.html()
