// Unit tests of timing.js's projection (a pure function of rows, done marks and the time), run by
// `node --test` through tests/js/test_node_units.py. Times are seconds of the day.
import { test } from "node:test";
import assert from "node:assert/strict";

import { hasProgress, project, undoAfterReset } from "../../src/workshop_kit/assets/timing.js";

const t = (clock) => { const [h, m] = clock.split(":").map(Number); return h * 3600 + m * 60; };
// The ML tooling day of issue 24.
const DAY = [
  ["09:00", "09:10"], ["09:10", "09:30"], ["09:30", "11:20"], ["11:20", "11:30"], ["11:30", "12:00"],
  ["12:00", "12:10"], ["12:10", "13:10"], ["13:10", "15:15"], ["15:15", "15:20"], ["15:20", "16:00"],
].map(([start, end], index) => ({ index, day: 1, start: t(start), end: t(end) }));
const GOOD_MORNING = 0, INTRODUCTION = 1, GUIDED_BUILD = 2, BREAK = 3, SHARE = 9;
const minutes = (seconds) => Math.round(seconds / 60);

test("without a followed run, rows follow the clock", () => {
  const day = project(DAY, {}, t("11:40"), false);
  assert.equal(day.live.index, 4);  // Guided tour
  assert.equal(day.state, "running");
});

test("an unticked running row past its planned end is overrunning, and the rest is projected from now", () => {
  // Introduction marked at 09:35 (5 min behind); at 11:40 the guided build (to 11:20) still runs.
  const day = project(DAY, { [GOOD_MORNING]: t("09:12"), [INTRODUCTION]: t("09:35") }, t("11:40"), true);
  assert.equal(day.state, "overrunning");
  assert.equal(day.live.index, GUIDED_BUILD);
  assert.equal(day.next.index, BREAK);
  assert.equal(minutes(day.overrun), 15, "15 min past its end, moved by the 5 min already behind");
  assert.equal(minutes(day.delay), 20, "20 min behind the plan");
  assert.equal(minutes(day.end), minutes(t("16:20")), "the rest of the day from now");
});

test("before its moved end the running row is simply running", () => {
  const day = project(DAY, { [INTRODUCTION]: t("09:35") }, t("11:22"), true);
  assert.equal(day.state, "running");
  assert.equal(day.live.index, GUIDED_BUILD);
  assert.equal(minutes(day.delay), 5);
});

test("past the last row's end without its mark the day is projected, not ended", () => {
  const done = Object.fromEntries(DAY.slice(0, SHARE).map((row) => [row.index, row.end + 17 * 60]));
  const day = project(DAY, done, t("16:20"), true);
  assert.equal(day.state, "overrunning");
  assert.equal(day.live.index, SHARE);
  assert.equal(day.next, null);
  assert.equal(minutes(day.end), minutes(t("16:20")));
});

test("the day has ended only once the last row is marked, at that mark", () => {
  const day = project(DAY, { [GOOD_MORNING]: t("09:25"), [SHARE]: t("16:17") }, t("16:40"), true);
  assert.equal(day.state, "ended");
  assert.equal(minutes(day.end), minutes(t("16:17")));
  assert.equal(minutes(day.end - day.plannedEnd), 17);
});

test("an unfollowed day past its planned end says so, not that it ended", () => {
  assert.equal(project(DAY, {}, t("16:20"), false).state, "past");
});

test("ahead of plan, the next row starts early", () => {
  const done = Object.fromEntries(DAY.slice(0, 8).map((row) => [row.index, row.end]));
  done[7] = t("15:00");  // Projects, 15 min early
  const day = project(DAY, done, t("15:00"), true);
  assert.equal(day.live.index, 8);
  assert.equal(minutes(day.delay), -15);
  assert.equal(minutes(day.end), minutes(t("15:45")));
});

test("a second day's rows are not overrunning because the first day's clock passed them", () => {
  const days = [
    { index: 0, day: 1, start: t("09:00"), end: t("17:00") },
    { index: 1, day: 2, start: t("09:00"), end: t("10:00") },
  ];
  const day = project(days, { 0: t("17:00") }, t("17:30"), true);
  assert.notEqual(day.state, "overrunning");
});

// "New run" and "Start now": what asks first, and the one undo of the day.
const TODAY = "2026-11-23";
const MARKED = { date: TODAY, done: { [GOOD_MORNING]: t("09:12") } };
const HELD = { date: TODAY, done: {}, holds: [{ start: t("09:20"), end: null, row: 0 }] };
const EMPTY = { date: TODAY, done: {} };

test("a run with done marks or only questions holds has something to lose; an empty one has not", () => {
  assert.equal(hasProgress(MARKED), true);
  assert.equal(hasProgress(HELD), true, "questions holds alone are worth asking for");
  assert.equal(hasProgress(EMPTY), false);
  assert.equal(hasProgress({ date: TODAY, done: {}, holds: [] }), false);
  assert.equal(hasProgress(null), false);
});

test("\"New run\" then \"Start now\": the empty run never replaces the undo of the cleared marks", () => {
  const afterNewRun = undoAfterReset(null, MARKED, null, TODAY);
  assert.deepEqual(afterNewRun, { date: TODAY, shift: null, run: MARKED });
  const afterStartNow = undoAfterReset(afterNewRun, EMPTY, null, TODAY);
  assert.equal(afterStartNow, afterNewRun, "Undo still brings the marks back");
});

test("a run with holds replaces the undo; an empty run keeps only its shift when there is no undo", () => {
  const earlier = { date: TODAY, shift: null, run: MARKED };
  assert.deepEqual(undoAfterReset(earlier, HELD, t("09:05"), TODAY), { date: TODAY, shift: t("09:05"), run: HELD });
  assert.deepEqual(undoAfterReset(null, EMPTY, t("09:05"), TODAY), { date: TODAY, shift: t("09:05"), run: EMPTY });
  const yesterday = { date: "2026-11-22", shift: null, run: MARKED };
  assert.deepEqual(undoAfterReset(yesterday, EMPTY, null, TODAY), { date: TODAY, shift: null, run: EMPTY },
    "an undo of another day is not kept");
});
