// Unit tests of timing.js's past-runs functions (past pace, questions holds, the run export), run by
// `node --test` through tests/js/test_node_units.py. Times are seconds of the day; no clock is read.
import { test } from "node:test";
import assert from "node:assert/strict";

import { heldSeconds, pastEnd, runExport } from "../../src/workshop_kit/assets/timing.js";

const t = (clock) => { const [h, m] = clock.split(":").map(Number); return h * 3600 + m * 60; };
// Welcome 30 min, Lab 1 h, Coffee 15 min, Deploy 45 min, from 09:00.
const ROWS = [["09:00", "09:30"], ["09:30", "10:30"], ["10:30", "10:45"], ["10:45", "11:30"]]
  .map(([start, end], index) => ({ index, day: 1, start: t(start), end: t(end) }));
const PAST = { 0: 40 * 60, 1: 75 * 60, 3: 50 * 60 };  // Coffee has no past figure: planned 15 min

test("with no mark, past pace counts from the row the clock is in", () => {
  // At 09:10, Welcome (40 past) ends 09:40, then 75 + 15 + 50: 12:00.
  assert.equal(pastEnd(ROWS, {}, t("09:10"), PAST), t("12:00"));
});

test("after a done mark, the running row is counted from that mark", () => {
  // Welcome marked 09:35: Lab 10:50, Coffee 11:05, Deploy 11:55.
  assert.equal(pastEnd(ROWS, { 0: t("09:35") }, t("09:40"), PAST), t("11:55"));
});

test("a running row past its past median ends no earlier than now", () => {
  assert.equal(pastEnd(ROWS, { 0: t("09:35") }, t("11:00"), PAST), t("12:05"));
});

test("without past figures past pace is the plan", () => {
  assert.equal(pastEnd(ROWS, {}, t("09:00"), {}), t("11:30"));
  assert.equal(pastEnd(ROWS, { 0: t("09:30"), 1: t("10:30"), 2: t("10:45"), 3: t("11:30") }, t("11:30"), PAST), null);
});

test("gaps the agenda leaves are kept", () => {
  const rows = [{ index: 0, day: 1, start: t("09:00"), end: t("09:30") }, { index: 1, day: 1, start: t("09:40"), end: t("10:00") }];
  assert.equal(pastEnd(rows, {}, t("09:00"), { 0: 35 * 60 }), t("10:05"), "09:35, the 10 min gap, then 20 min");
});

test("questions holds add up, an open one up to now", () => {
  const holds = [{ start: t("09:20"), end: t("09:25") }, { start: t("10:00"), end: null }];
  assert.equal(heldSeconds(holds, t("10:03")), 8 * 60);
  assert.equal(heldSeconds([], t("10:00")), 0);
  assert.equal(heldSeconds(undefined, t("10:00")), 0);
});

test("the run export follows run.schema.json version 1", () => {
  const rows = ROWS.map((row, i) => ({ ...row, title: ["Welcome", "Lab", "Coffee", "Deploy"][i], kind: "talk" }));
  const run = { date: "2026-11-23", done: { 0: t("09:35"), 1: t("10:50"), 9: t("12:00") },
    holds: [{ start: t("09:50"), end: t("09:55"), row: 1 }, { start: t("10:52"), end: null }] };
  const data = runExport({ workshop: "test", agenda: { id: "timing-1", title: "Test day", page: "test/agenda/" },
    lang: "fr", rows, run, shift: null, now: t("11:00"), exported: "2026-11-23T11:00:00.000Z" });
  assert.equal(data.format, "workshop-kit-run");
  assert.equal(data.version, 1);
  assert.equal(data.date, "2026-11-23");
  assert.equal(data.lang, "fr");
  assert.equal(data.shift, null);
  assert.deepEqual(Object.keys(data.done), ["0", "1"], "marks of rows the agenda does not have are left out");
  assert.deepEqual(data.rows[1], { index: 1, title: "Lab", kind: "talk", day: 1, start: t("09:30"), end: t("10:30"), planned: 3600 });
  assert.deepEqual(data.holds, [{ start: t("09:50"), end: t("09:55"), row: 1 }, { start: t("10:52"), end: t("11:00"), row: 3 }],
    "an open hold ends at the export, and its row is the one planned at its start");
});
