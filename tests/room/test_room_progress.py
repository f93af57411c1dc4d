"""What the speaker sees, on a fixed clock: per step done, stuck (the same check failing for more
than N minutes), working and not started; the median pace between a seat's first passes."""

from __future__ import annotations

import pytest

from conftest import AUTH, post

MIN = 60


def kit_progress(client, kit="gitops-dvc"):
    answer = client.get("/api/v1/progress", params={"kit": kit}, headers=AUTH)
    assert answer.status_code == 200, answer.text
    kits = answer.json()["kits"]
    return kits[0] if kits else None


def table(client, kit="gitops-dvc"):
    """{step: (done, stuck, working, not_started)} as sorted seat lists, counts checked against them."""
    result = {}
    for row in kit_progress(client, kit)["steps"]:
        for name in ("done", "stuck", "working", "not_started"):
            assert row[name + "_count"] == len(row[name])
        result[row["step"]] = tuple(sorted(row[name]) for name in ("done", "stuck", "working", "not_started"))
    return result


def test_done_working_and_not_started(client, clock):
    post(client, seat="a", step=1, ok=True)
    post(client, seat="a", step=2, ok=True, check="pipeline-written")
    post(client, seat="b", step=1, ok=True)
    post(client, seat="b", step=2, ok=False, check="pipeline-written")
    post(client, seat="c", step=1, ok=False)
    assert table(client) == {
        1: (["a", "b"], [], ["c"], []),
        2: (["a"], [], ["b"], ["c"]),
        3: ([], [], [], ["a", "b", "c"]),
        4: ([], [], [], ["a", "b", "c"]),
    }
    assert kit_progress(client)["seats"] == 3


def test_stuck_after_more_than_n_minutes_on_the_same_failing_check(client, clock):
    post(client, seat="b", step=2, ok=False, check="pipeline-written")
    clock.advance(3 * MIN)
    post(client, seat="b", step=2, ok=False, check="pipeline-written")  # still failing: the run goes on
    clock.advance(2 * MIN)  # exactly 5 minutes: not more than 5
    assert table(client)[2] == ([], [], ["b"], [])
    clock.advance(1)
    assert table(client)[2] == ([], ["b"], [], [])
    post(client, seat="b", step=2, ok=True, check="pipeline-written")
    assert table(client)[2] == (["b"], [], [], [])


def test_a_pass_between_failures_starts_the_count_again(client, clock):
    post(client, seat="c", step=1, ok=False)
    clock.advance(4 * MIN)
    post(client, seat="c", step=1, ok=True)
    post(client, seat="c", step=1, ok=False)  # broke it again (a later step's change)
    clock.advance(4 * MIN)
    assert table(client)[1] == ([], [], ["c"], [])
    clock.advance(1 * MIN + 1)
    assert table(client)[1] == ([], ["c"], [], [])


def test_a_different_failing_check_is_not_the_same_check(client, clock):
    post(client, seat="d", step=3, total=4, ok=False, check="first-check")
    clock.advance(4 * MIN)
    post(client, seat="d", step=3, total=4, ok=True, check="first-check")
    post(client, seat="d", step=3, total=4, ok=False, check="second-check")
    clock.advance(2 * MIN)  # 6 minutes failing at step 3, but not on the same check
    assert table(client)[3] == ([], [], ["d"], [])


def test_a_step_is_done_when_all_its_checks_pass_and_undone_by_a_later_failure(client, clock):
    post(client, seat="e", step=2, ok=True, check="params-file")
    post(client, seat="e", step=2, ok=False, check="params-key")
    assert table(client)[2] == ([], [], ["e"], [])
    post(client, seat="e", step=2, ok=True, check="params-key")
    assert table(client)[2] == (["e"], [], [], [])
    post(client, seat="e", step=2, ok=False, check="params-file")
    assert table(client)[2] == ([], [], ["e"], [])


def test_a_seat_is_stuck_at_its_first_stuck_step_only(client, clock):
    post(client, seat="f", step=2, ok=False, check="two")
    post(client, seat="f", step=3, ok=False, check="three")
    clock.advance(10 * MIN)
    rows = table(client)
    assert rows[2] == ([], ["f"], [], []) and rows[3] == ([], [], ["f"], [])


def test_stuck_minutes_are_configurable(make_client, clock):
    client = make_client(stuck_minutes=1)
    post(client, seat="g", ok=False)
    clock.advance(MIN + 1)
    assert table(client)[1] == ([], ["g"], [], [])
    assert client.get("/api/v1/progress", headers=AUTH).json()["stuck_minutes"] == 1


def test_the_median_pace_between_a_seats_consecutive_first_passes(client, clock):
    assert kit_progress(client) is None
    post(client, seat="a", step=1)          # a: 0, 60, 180 -> gaps 60, 120
    post(client, seat="b", step=1)          # b: 0, 90 -> gap 90
    clock.advance(60)
    post(client, seat="a", step=2)
    clock.advance(30)
    post(client, seat="b", step=2)
    post(client, seat="b", step=2)          # a second pass is not a first pass
    clock.advance(90)
    post(client, seat="a", step=3)
    post(client, seat="c", step=1, ok=False)  # no pass: no gap
    progress = kit_progress(client)
    assert progress["median_pace_seconds"] == 90
    assert progress["pace_samples"] == 3


def test_no_pace_before_any_seat_passed_two_steps(client):
    post(client, seat="a", step=1)
    assert kit_progress(client)["median_pace_seconds"] is None


def test_kits_are_apart_and_total_follows_the_latest_post(client):
    post(client, kit="gitops-dvc", seat="a", total=4)
    post(client, kit="half-day-lab", seat="z", total=2, step=2)
    assert sorted(table(client, "half-day-lab")) == [1, 2]
    assert table(client, "half-day-lab")[2] == (["z"], [], [], [])
    assert table(client, "gitops-dvc")[1] == (["a"], [], [], [])
    post(client, kit="gitops-dvc", seat="a", total=6)
    assert sorted(table(client, "gitops-dvc")) == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("stuck_minutes", [5, 0.5])
def test_progress_is_read_at_the_apps_clock(make_client, clock, stuck_minutes):
    client = make_client(stuck_minutes=stuck_minutes)
    body = client.get("/api/v1/progress", headers=AUTH).json()
    assert body["now"] == clock.now and body["kits"] == []
