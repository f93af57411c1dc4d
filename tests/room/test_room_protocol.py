"""The participant protocol: exactly seven validated fields, a size limit, a rate limit per seat;
the speaker's reads need the token; CORS only for the configured origin."""

from __future__ import annotations

import json

import pytest

from conftest import AUTH, TOKEN, post
from workshop_kit.room import limits
from workshop_kit.room.limits import RateLimiter
from workshop_kit.room.protocol import FIELDS, MAX_BODY

VALID = {"kit": "gitops-dvc", "step": 3, "total": 7, "check": "dvc-yaml-train", "ok": False, "seat": "12",
         "lang": "fr"}


def stored(client) -> int:
    return client.app.state.store.count()


def test_a_valid_post_is_acknowledged_and_stored(client):
    answer = client.post("/api/v1/results", json=VALID)
    assert answer.status_code == 201, answer.text
    assert answer.json() == {"ok": True, "id": 1}
    assert answer.headers["content-type"] == "application/json"
    assert stored(client) == 1
    progress = client.get("/api/v1/progress", headers=AUTH).json()
    assert progress["kits"][0]["kit"] == "gitops-dvc" and progress["kits"][0]["total"] == 7


def test_charset_in_content_type_and_exact_size_limit_are_accepted(client):
    body = json.dumps(VALID).encode()
    body += b" " * (MAX_BODY - len(body))
    assert len(body) == MAX_BODY
    answer = client.post("/api/v1/results", content=body,
                         headers={"Content-Type": "application/json; charset=utf-8"})
    assert answer.status_code == 201, answer.text


INVALID = [
    ("kit", "GitOps"), ("kit", ""), ("kit", "a" * 65), ("kit", 5), ("kit", "../x"), ("kit", None),
    ("step", 0), ("step", 101), ("step", "3"), ("step", True), ("step", 3.0), ("step", 8), ("step", -1),
    ("total", 0), ("total", 101), ("total", "7"), ("total", False),
    ("check", "Check"), ("check", "a" * 65), ("check", "src/train.py"), ("check", ""), ("check", ["a"]),
    ("ok", 1), ("ok", "true"), ("ok", None), ("ok", 0),
    ("seat", ""), ("seat", "s" * 33), ("seat", "12/../x"), ("seat", "<img src=x onerror=alert(1)>"),
    ("seat", "é"), ("seat", "12\n"), ("seat", {"a": 1}), ("seat", 12),
    ("lang", "de"), ("lang", "EN"), ("lang", ""),
]


@pytest.mark.parametrize("field, value", INVALID, ids=[f"{f}={v!r}"[:40] for f, v in INVALID])
def test_invalid_fields_are_refused_naming_the_field(client, field, value):
    answer = client.post("/api/v1/results", json={**VALID, field: value})
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["ok"] is False and body["error"] == "invalid-field"
    assert body["field"] == field  # step 8 of 7 steps: 'step'
    assert stored(client) == 0


@pytest.mark.parametrize("field", FIELDS)
def test_missing_fields_are_refused(client, field):
    body = {name: value for name, value in VALID.items() if name != field}
    answer = client.post("/api/v1/results", json=body)
    assert answer.status_code == 400
    assert answer.json()["error"] == "missing-field" and answer.json()["field"] == field
    assert stored(client) == 0


@pytest.mark.parametrize("extra", ["path", "content", "output", "file", "cwd", "version", "Kit"])
def test_extra_fields_are_refused_so_no_file_content_or_path_is_ever_taken(client, extra):
    answer = client.post("/api/v1/results", json={**VALID, extra: "/home/me/project/dvc.yaml"})
    assert answer.status_code == 400
    assert answer.json()["error"] == "unknown-field" and answer.json()["field"] == extra
    assert stored(client) == 0


@pytest.mark.parametrize("body", [b"", b"not json", b"[1, 2]", b'"text"', b"\xff\xfe{}", b"{" * 1000,
                                  b'{"kit": "a", "kit": NaN}'])
def test_bodies_that_are_not_a_json_object_are_refused(client, body):
    answer = client.post("/api/v1/results", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] in ("invalid-json", "unknown-field", "missing-field", "invalid-field")
    assert stored(client) == 0


@pytest.mark.parametrize("media", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None])
def test_other_media_types_are_refused(client, media):
    headers = {"Content-Type": media} if media else {}
    answer = client.post("/api/v1/results", content=json.dumps(VALID).encode(), headers=headers)
    assert answer.status_code == 415
    assert answer.json()["error"] == "unsupported-media-type"
    assert stored(client) == 0


def test_an_oversize_body_is_refused_by_its_declared_length(client):
    body = json.dumps({**VALID, "seat": "1"}).encode() + b" " * MAX_BODY
    answer = client.post("/api/v1/results", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert answer.json()["error"] == "too-large"
    assert stored(client) == 0


def test_an_oversize_body_without_a_length_is_refused_while_it_streams(client):
    def chunks():  # no Content-Length: sent chunked
        for _ in range(100):
            yield b" " * 1024

    answer = client.post("/api/v1/results", content=chunks(), headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert stored(client) == 0


def test_a_non_numeric_length_is_refused(client):
    answer = client.post("/api/v1/results", content=b"{}",
                         headers={"Content-Type": "application/json", "Content-Length": "abc"})
    assert answer.status_code == 400


def test_rate_limit_per_seat_two_a_second_after_a_burst_of_ten(client, clock):
    for number in range(10):
        assert post(client, seat="7").status_code == 201, number
    refused = post(client, seat="7")
    assert refused.status_code == 429
    assert refused.json()["error"] == "rate-limited"
    assert refused.headers["retry-after"] == "1"
    assert post(client, seat="8").status_code == 201  # another seat is not slowed down
    clock.advance(0.5)  # 2 per second: one more after half a second
    assert post(client, seat="7").status_code == 201
    assert post(client, seat="7").status_code == 429
    clock.advance(60)  # the burst is back, no more
    assert [post(client, seat="7").status_code for _ in range(11)] == [201] * 10 + [429]
    assert stored(client) == 10 + 1 + 1 + 10


def test_rate_limit_for_the_whole_room(make_client, clock):
    client = make_client(limiter=RateLimiter(clock=clock, room_rate=1, room_burst=3))
    assert [post(client, seat=f"s{n}").status_code for n in range(4)] == [201, 201, 201, 429]


def test_a_full_room_refuses_new_seats_kits_and_checks(client, monkeypatch):
    monkeypatch.setattr(limits, "MAX_SEATS_PER_KIT", 2)
    monkeypatch.setattr(limits, "MAX_KITS", 1)
    monkeypatch.setattr(limits, "MAX_CHECKS_PER_KIT", 2)
    assert post(client, seat="a").status_code == 201
    assert post(client, seat="b").status_code == 201
    assert post(client, seat="a", check="second").status_code == 201
    for refused in (post(client, seat="c"), post(client, kit="other-kit"), post(client, seat="a", check="third")):
        assert refused.status_code == 409 and refused.json()["error"] == "room-full"
    assert post(client, seat="b", step=2).status_code == 201  # known seat, kit and check: still accepted
    assert stored(client) == 4


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer wrong-token", f"Basic {TOKEN}",
                                    f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}"])
def test_speaker_reads_need_the_token(client, header):
    headers = {"Authorization": header} if header is not None else {}
    answer = client.get("/api/v1/progress", headers=headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.json()["error"] == "unauthorized"
    assert "kits" not in answer.json()


def test_the_token_reads_and_a_kit_filter_is_validated(client):
    post(client, kit="gitops-dvc")
    post(client, kit="half-day-lab")
    everything = client.get("/api/v1/progress", headers=AUTH)
    assert everything.status_code == 200 and everything.headers["cache-control"] == "no-store"
    assert [kit["kit"] for kit in everything.json()["kits"]] == ["gitops-dvc", "half-day-lab"]
    one = client.get("/api/v1/progress", params={"kit": "half-day-lab"}, headers=AUTH).json()
    assert [kit["kit"] for kit in one["kits"]] == ["half-day-lab"]
    assert client.get("/api/v1/progress", params={"kit": "<x>"}, headers=AUTH).status_code == 400


def test_participants_cannot_read_with_a_post_and_speakers_cannot_post_progress(client):
    assert client.post("/api/v1/progress", headers=AUTH).status_code == 405
    assert client.get("/api/v1/results").status_code == 405
    missing = client.get("/api/v1/nothing")
    assert missing.status_code == 404 and missing.json()["error"] == "not-found"


SITE = "https://workshops.example.org"


def preflight(client, origin, method="GET"):
    return client.options("/api/v1/progress", headers={
        "Origin": origin, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization"})


def test_no_cors_by_default(client):
    assert "access-control-allow-origin" not in preflight(client, SITE).headers
    read = client.get("/api/v1/progress", headers={**AUTH, "Origin": SITE})
    assert "access-control-allow-origin" not in read.headers


def test_cors_only_for_the_configured_origin_and_only_for_reads(make_client):
    client = make_client(origin=SITE)
    allowed = preflight(client, SITE)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == SITE
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    read = client.get("/api/v1/progress", headers={**AUTH, "Origin": SITE})
    assert read.headers["access-control-allow-origin"] == SITE
    for origin in ("https://evil.example", "http://workshops.example.org", "null"):
        other = preflight(client, origin)
        assert other.status_code == 400 and "access-control-allow-origin" not in other.headers
        assert "access-control-allow-origin" not in client.get(
            "/api/v1/progress", headers={**AUTH, "Origin": origin}).headers
    # Posting from a browser is not needed (check.py is not a browser): not allowed, even from the site.
    assert preflight(client, SITE, "POST").status_code == 400


def test_health_answers_without_the_token(client):
    assert client.get("/api/v1/health").json() == {"ok": True, "protocol": 1}


def test_the_documented_protocol_matches_the_code():
    import workshop_kit.room as room

    doc = room.__doc__
    for field in FIELDS:
        assert f'"{field}": ' in doc, field
    assert f"at most {MAX_BODY} bytes" in doc
    assert f"more than {limits.SEAT_RATE:g} posts a second for this seat, after a burst of {limits.SEAT_BURST}" \
        in " ".join(doc.split())
