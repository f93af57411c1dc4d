// Unit tests of checklist.js's tick matching (a pure function apart from the DOM), run by
// `node --test` through tests/js/test_node_units.py.
import { test } from "node:test";
import assert from "node:assert/strict";

import { likeness, matchTicks, mostLike } from "../../src/workshop_kit/assets/checklist.js";

const leaf = (id, s, t, o) => ({ id, s, t, o });
const entries = (pairs) => new Map(pairs);

test("a tick finds its item by id wherever the item moved", () => {
  const page = [leaf("b", "sb", "tb"), leaf("a", "sa", "ta")];
  assert.deepEqual([...matchTicks(entries([["a", { s: "sa", t: "ta" }]]), page)], [["a", 1]]);
});

test("after a heading rename the text under the nearest heading, then the text alone, find it", () => {
  const page = [leaf("new-a", "sa", "ta"), leaf("new-b", "sb2", "tb")];
  const found = matchTicks(entries([["old-a", { s: "sa", t: "ta" }], ["old-b", { s: "sb", t: "tb" }]]), page);
  assert.equal(found.get("old-a"), 0);
  assert.equal(found.get("old-b"), 1);
});

test("a text key found twice on the page matches neither copy", () => {
  const page = [leaf("x1", "s1", "same"), leaf("x2", "s2", "same")];
  assert.equal(matchTicks(entries([["gone", { t: "same" }]]), page).size, 0);
});

test("a deleted item's tick is an orphan and never lands on its neighbour", () => {
  const before = [leaf("a", "sa", "ta"), leaf("b", "sb", "tb"), leaf("c", "sc", "tc")];
  const after = before.filter((item) => item.id !== "b");
  const saved = entries([["b", { s: "sb", t: "tb" }], ["c", { s: "sc", t: "tc" }]]);
  assert.deepEqual([...matchTicks(saved, after)], [["c", 1]]);
});

test("a translated item (source keys, own id o) takes ticks made in either language", () => {
  // French page: items carry the English ids; the first also its French own id (an older tick).
  const french = [leaf("en-a", "sa", "ta", "fr-a"), leaf("en-b", "sb", "tb", "fr-b")];
  const saved = entries([["en-b", { s: "sb", t: "tb", l: "en" }], ["fr-a", { l: "fr" }]]);
  assert.deepEqual([...matchTicks(saved, french)].sort(), [["en-b", 1], ["fr-a", 0]]);
});

test("an unpaired translated item keeps its own keys: an English tick does not land on it", () => {
  const french = [leaf("fr-x", "fr-sx", "fr-tx", "fr-x")];
  assert.equal(matchTicks(entries([["en-x", { s: "sx", t: "tx", l: "en" }]]), french).size, 0);
});

test("corrupt entries are skipped, not thrown on", () => {
  assert.equal(matchTicks(entries([["a", null], ["b", {}]]), [leaf("c")]).size, 0);
});

test("likeness: same words 1, a fixed typo near 1, another step low", () => {
  assert.equal(likeness("Check the projector", "check  the projector"), 1);
  assert.ok(likeness("Chekc the projector", "Check the projector") > 0.7);
  assert.ok(likeness("Check the projector", "Hand out the USB keys") < 0.4);
});

test("mostLike offers the fixed typo, skips ticked items and refuses a close call", () => {
  const items = ["Hand out the USB keys", "Check the projector", "Open the room"];
  assert.equal(mostLike("Chekc the projectr", items), 1);
  assert.equal(mostLike("Chekc the projectr", [items[0], null, items[2]]), -1);
  assert.equal(mostLike("Check the projector A", ["Check the projector B", "Check the projector C"]), -1);
  assert.equal(mostLike("Something else entirely", items), -1);
});
