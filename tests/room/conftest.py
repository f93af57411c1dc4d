"""Fixtures of the room server's tests: an app on a fixed clock, built and rebuilt on one database."""

from __future__ import annotations

import pytest

pytest.importorskip("starlette", reason="the room server needs the 'room' extra (starlette, uvicorn)")

import warnings  # noqa: E402

with warnings.catch_warnings():  # Starlette 1.10 would rather have httpx2 under its TestClient
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from workshop_kit.room.app import create_app  # noqa: E402
from workshop_kit.room.limits import RateLimiter  # noqa: E402

TOKEN = "speaker-token-for-tests-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
T0 = 1_800_000_000.0  # 2027-01-15, a fixed "now"


class Clock:
    """A clock the test moves by hand: the app's time and the rate limiter's."""

    def __init__(self, now: float = T0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def post(client, **fields):
    body = {"kit": "gitops-dvc", "step": 1, "total": 4, "check": "starter-unpacked", "ok": True,
            "seat": "12", "lang": "en"}
    body.update(fields)
    return client.post("/api/v1/results", json=body)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def make_client(tmp_path, clock):
    """A maker of started TestClients, given create_app's options; all are closed at the end."""
    opened = []

    def make(db=None, **options):
        options.setdefault("clock", clock)
        options.setdefault("limiter", RateLimiter(clock=clock))
        client = TestClient(create_app(db or tmp_path / "room.sqlite3", options.pop("token", TOKEN), **options))
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client):
    return make_client()
