// Unit tests of checklist.js's tick matching (a pure function apart from the DOM), run by
// `node --test` through tests/js/test_node_units.py.
import { test } from "node:test";
import assert from "node:assert/strict";

import { entriesOf, likeness, matchTicks, mostLike, orphansOf, ticksOn } from "../../src/workshop_kit/assets/checklist.js";

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

test("an item moved to another section keeps its tick by its text, once on the page", () => {
  // Its id and its text-under-heading key change with the heading; the text alone does not.
  const page = [leaf("a", "sa", "ta"), leaf("moved", "s-elsewhere", "tm")];
  assert.deepEqual([...matchTicks(entries([["m", { s: "sm", t: "tm" }]]), page)], [["m", 1]]);
});

test("an item whose text changed starts unticked: its tick is an orphan, offered for the reworded item", () => {
  const page = [leaf("a", "sa", "ta"), leaf("b2", "sb2", "tb2")];
  const saved = entries([["b", { s: "sb", t: "tb", x: "Check the projectr" }]]);
  const found = matchTicks(saved, page);
  assert.equal(found.size, 0);
  assert.deepEqual(orphansOf(saved, found).map(([id]) => id), ["b"]);
  assert.equal(mostLike("Check the projectr", ["Open the room", "Check the projector"]), 1);
});

test("duplicate items (id, id-2, same text keys): a tick stays on its own copy, a text-only tick on neither", () => {
  const page = [leaf("d", "sd", "td"), leaf("d-2", "sd", "td"), leaf("e", "se", "te")];
  assert.deepEqual([...matchTicks(entries([["d-2", { s: "sd", t: "td" }]]), page)], [["d-2", 1]]);
  assert.equal(matchTicks(entries([["old-d", { s: "sd", t: "td" }]]), page).size, 0);
  // The text under the heading is shared, the text alone is not: the text decides.
  const page2 = [leaf("f", "sf", "tf1"), leaf("g", "sf", "tf2")];
  assert.deepEqual([...matchTicks(entries([["old", { s: "sf", t: "tf2" }]]), page2)], [["old", 1]]);
});

test("an item's own id wins over another item's translated own id (o)", () => {
  const page = [leaf("x", "sx", "tx", "y"), leaf("y", "sy", "ty")];
  assert.deepEqual([...matchTicks(entries([["y", {}]]), page)], [["y", 1]]);
});

test("a tick made on a paired French item is saved under the English id and shows on the English page", () => {
  const english = [leaf("en-a", "sa", "ta"), leaf("en-b", "sb", "tb")];
  const french = [leaf("en-a", "sa", "ta", "fr-a"), leaf("en-b", "sb", "tb", "fr-b")];
  // checklist.js saves the item's data-wk-id: on the French page, the English item's.
  const saved = entries([[french[1].id, { s: french[1].s, t: french[1].t, l: "fr" }]]);
  assert.deepEqual([...matchTicks(saved, english)], [["en-b", 1]]);
  assert.deepEqual([...matchTicks(saved, french)], [["en-b", 1]]);
});

test("a tick on an unpaired French item waits as an orphan on the English page, and is back in French", () => {
  const english = [leaf("en-a", "sa", "ta"), leaf("en-b", "sb", "tb")];
  const french = [leaf("en-a", "sa", "ta", "fr-a"), leaf("fr-new", "fr-s", "fr-t", "fr-new")];
  const saved = entries([["fr-new", { s: "fr-s", t: "fr-t", l: "fr" }]]);
  const found = matchTicks(saved, english);
  assert.equal(found.size, 0);
  assert.deepEqual(orphansOf(saved, found), [["fr-new", { s: "fr-s", t: "fr-t", l: "fr" }]]);
  assert.deepEqual([...matchTicks(saved, french)], [["fr-new", 1]]);
});

test("entriesOf reads the saved format, the first format (ids only) and ignores the rest", () => {
  const saved = { ticked: ["a", "b", 3, null, "a"], items: { a: { s: "sa", t: "ta", l: "en", x: "A" }, b: "bad" } };
  assert.deepEqual([...entriesOf(saved, "fr")], [["a", { s: "sa", t: "ta", l: "en", x: "A" }], ["b", { l: "fr" }]]);
  assert.deepEqual([...entriesOf({ ticked: ["a"] }, "en")], [["a", { l: "en" }]]);
  assert.deepEqual([...entriesOf({ ticked: ["a"], items: "x" }, "en")], [["a", { l: "en" }]]);
  for (const junk of [null, undefined, {}, { ticked: "a" }, { ticked: {} }, [], "text", 3]) {
    assert.equal(entriesOf(junk, "en").size, 0, JSON.stringify(junk));
  }
});

test("orphansOf keeps saved order; ticksOn lists every tick landing on an item", () => {
  const saved = entries([["z", {}], ["a", { t: "ta" }], ["m", {}], ["b", {}]]);
  const found = matchTicks(saved, [leaf("a", "sa", "ta"), leaf("b", "sb", "tb")]);
  assert.deepEqual(orphansOf(saved, found).map(([id]) => id), ["z", "m"]);
  const two = matchTicks(entries([["a", {}], ["old-a", { t: "ta" }], ["b", {}]]), [leaf("a", "sa", "ta"), leaf("b", "sb", "tb")]);
  assert.deepEqual(ticksOn(two, 0), ["a", "old-a"]);
  assert.deepEqual(ticksOn(two, 1), ["b"]);
  assert.deepEqual(ticksOn(two, 2), []);
});

// Property loops over random pages and saved ticks, keys drawn from small sets so that they
// collide often (shared text, shared text under a heading). Seeded: a failure replays.
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = (rand, list) => list[Math.floor(rand() * list.length)];
const RUNS = 400;

function randomCase(rand) {
  const size = 1 + Math.floor(rand() * 8);
  const page = [];
  for (let i = 0; i < size; i++) {
    // Unique ids and own ids, as the build writes them; text keys shared at random.
    page.push(leaf(`id${i}`, pick(rand, ["s1", "s2", "s3", undefined]), pick(rand, ["t1", "t2", "t3", "t4"]),
      rand() < 0.3 ? `o${i}` : undefined));
  }
  const saved = new Map();
  const count = Math.floor(rand() * 8);
  for (let i = 0; i < count; i++) {
    const id = pick(rand, [`id${Math.floor(rand() * 10)}`, `o${Math.floor(rand() * 10)}`, `gone${i}`]);
    saved.set(id, pick(rand, [{}, { s: pick(rand, ["s1", "s2", "s4"]) }, { t: pick(rand, ["t1", "t2", "t5"]) },
      { s: pick(rand, ["s1", "s3"]), t: pick(rand, ["t3", "t4"]) }, null]));
  }
  return { page, saved };
}

function shuffled(rand, list) {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

test("property: a tick only ever lands on an item sharing its id, own id, or a key once on the page", () => {
  const rand = random(28);
  for (let run = 0; run < RUNS; run++) {
    const { page, saved } = randomCase(rand);
    const found = matchTicks(saved, page);
    const once = (name, value) => value && page.filter((item) => item[name] === value).length === 1;
    for (const [id, index] of found) {
      const item = page[index], entry = saved.get(id) || {};
      const why = item.id === id || item.o === id || (item.s === entry.s && once("s", entry.s)) ||
        (item.t === entry.t && once("t", entry.t));
      assert.ok(why, `run ${run}: ${id} -> ${JSON.stringify(item)}`);
    }
    // Every saved tick is either matched or an orphan, never both, never lost.
    const lost = orphansOf(saved, found).map(([id]) => id);
    assert.deepEqual([...found.keys(), ...lost].sort(), [...saved.keys()].sort(), `run ${run}`);
    assert.ok(lost.every((id) => !found.has(id)), `run ${run}`);
  }
});

test("property: reordering the page moves ticks with their items; each tick matches as if alone", () => {
  const rand = random(4);
  for (let run = 0; run < RUNS; run++) {
    const { page, saved } = randomCase(rand);
    const found = matchTicks(saved, page);
    const order = shuffled(rand, page);
    const again = matchTicks(saved, order);
    assert.deepEqual([...again].map(([id, index]) => [id, order[index]]), [...found].map(([id, index]) => [id, page[index]]),
      `run ${run}`);
    for (const [id, entry] of saved) {
      assert.equal(matchTicks(new Map([[id, entry]]), page).get(id), found.get(id), `run ${run}: ${id}`);
    }
  }
});

test("property: ticking an item ticks it; unticking it (every tick on it) unticks it and nothing else", () => {
  const rand = random(7);
  for (let run = 0; run < RUNS; run++) {
    const { page, saved } = randomCase(rand);
    const index = Math.floor(rand() * page.length);
    const item = page[index];
    // What checklist.js's tick() saves, then its untick() drops.
    const ticked = new Map(saved).set(item.id, { s: item.s, t: item.t });
    const before = matchTicks(ticked, page);
    assert.ok([...before.values()].includes(index), `run ${run}: ticked`);
    const unticked = new Map(ticked);
    for (const id of ticksOn(before, index)) unticked.delete(id);
    unticked.delete(item.id);
    const after = matchTicks(unticked, page);
    assert.ok(![...after.values()].includes(index), `run ${run}: unticked`);
    const others = (found) => new Set([...found.values()].filter((at) => at !== index));
    assert.deepEqual(others(after), others(before), `run ${run}: other items`);
  }
});

test("property: ticks made on a page all come back on the same items", () => {
  const rand = random(11);
  for (let run = 0; run < RUNS; run++) {
    const { page } = randomCase(rand);
    const chosen = page.filter(() => rand() < 0.5);
    const saved = new Map(chosen.map((item) => [item.id, { s: item.s, t: item.t }]));
    const found = matchTicks(saved, page);
    assert.deepEqual([...found].map(([id, index]) => [id, page[index]]), chosen.map((item) => [item.id, item]), `run ${run}`);
  }
});

test("property: likeness is symmetric, between 0 and 1, and 1 for a text with itself", () => {
  const rand = random(3);
  const letters = "ab cdeéÉ";
  const text = () => Array.from({ length: 2 + Math.floor(rand() * 12) }, () => pick(rand, [...letters])).join("");
  for (let run = 0; run < RUNS; run++) {
    const a = text(), b = text();
    const ab = likeness(a, b);
    assert.equal(ab, likeness(b, a), `${a} / ${b}`);
    assert.ok(ab >= 0 && ab <= 1, `${a} / ${b}`);
    if (a.trim().replace(/\s+/g, " ").length >= 2) assert.equal(likeness(a, a.toUpperCase() + " "), 1, a);
  }
});
