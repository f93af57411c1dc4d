"""A restart loses nothing: a new app on the same database (SQLite, WAL mode) sees every result,
and the speaker token is kept beside it."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from conftest import AUTH, post
from workshop_kit.room.tokens import TokenError, bearer_matches, load_or_create


def test_a_new_app_on_the_same_database_keeps_everything(make_client, clock, tmp_path):
    db = tmp_path / "room.sqlite3"
    first = make_client(db=db)
    for seat in ("1", "2", "3"):
        post(first, seat=seat, step=1, ok=True)
    post(first, seat="2", step=2, ok=False, check="pipeline-written")
    clock.advance(600)
    before = first.get("/api/v1/progress", headers=AUTH).json()
    first.__exit__(None, None, None)  # the server stops (its store closed)

    second = make_client(db=db)
    after = second.get("/api/v1/progress", headers=AUTH).json()
    assert after == before
    assert after["kits"][0]["steps"][1]["stuck"] == ["2"]
    assert post(second, seat="4").json()["id"] == 5  # the log goes on
    assert second.app.state.store.count() == 5


def test_the_database_is_in_wal_mode_and_every_post_is_committed(make_client, tmp_path):
    db = tmp_path / "room.sqlite3"
    client = make_client(db=db)
    ids = [post(client, seat=str(n)).json()["id"] for n in range(5)]
    with sqlite3.connect(db) as other:  # another process's view, while the server runs
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert [row[0] for row in other.execute("SELECT id FROM results ORDER BY id")] == ids


def test_the_token_is_made_once_and_kept_for_its_owner_only(tmp_path):
    path = tmp_path / "room" / "speaker-token"
    token = load_or_create(path)
    assert len(token) >= 40
    assert load_or_create(path) == token
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_or_create(tmp_path / "other") != token


@pytest.mark.parametrize("text", ["", "short", "two words here and there"])
def test_a_file_that_is_not_a_token_is_refused(tmp_path, text):
    path = tmp_path / "speaker-token"
    path.write_text(text)
    with pytest.raises(TokenError, match="delete it"):
        load_or_create(path)


def test_bearer_matching():
    assert bearer_matches("Bearer abcdefghijklmnop", "abcdefghijklmnop")
    assert bearer_matches("bearer abcdefghijklmnop", "abcdefghijklmnop")
    assert not bearer_matches("Bearer abcdefghijklmnoq", "abcdefghijklmnop")
    assert not bearer_matches("Bearer", "abcdefghijklmnop")
    assert not bearer_matches("Bearer é", "abcdefghijklmnop")
