// Speaker checklists: ticks saved per page (one store for both languages), restored on reload and
// instant navigation, parents following their children, progress per page and per section, reset,
// export/import, print, and a filter on the steps participants do too.
//
// Ticks are never lost: a saved tick finds its item by its id, else by its text under the same
// nearest heading, else by its text if that is once on the page (the build writes those keys as
// data-wk-id, -s and -t). A translated item carries the keys of the source item it translates (the
// build pairs them as `workshop check`'s parity does; its own id is data-wk-o), so a tick finds
// the same item in either language; an item the build could not pair surely keeps its own keys,
// and a tick made on it waits as an orphan in the other language rather than land on a wrong item.
// A tick that matches nothing is kept, listed in the toolbar with its text and comes back with its
// item; the speaker can drop it alone, or move it to the item most like it (a fixed typo), and
// "Reset page" drops them all. Loading never writes.

import { format, labels, load, namespace, neutralPath, pagePath, remove, save, storageKey } from "./store.js";

const FORMAT = "workshop-kit-checklist";

const items = (root) => [...root.querySelectorAll("li.task-list-item[data-wk-id]")];
const box = (item) => item.querySelector(":scope > label > input[type=checkbox], :scope > input[type=checkbox]");
const children = (item) => items(item).filter((child) => child !== item);
const isLeaf = (item) => children(item).length === 0;
const filterKey = () => storageKey("filter", "");

function ownText(item) {
  const copy = item.cloneNode(true);
  copy.querySelectorAll("ul, ol, .wk-marker").forEach((node) => node.remove());
  return copy.textContent.replace(/\s+/g, " ").trim();
}

function sectionOf(item, headings) {
  let section = null;
  for (const heading of headings) {
    if (heading.compareDocumentPosition(item) & Node.DOCUMENT_POSITION_FOLLOWING) section = heading;
  }
  return section;
}

// Saved ticks as id -> {t, s, l, x} in saved order; the first format saved ids only (each gets
// {l: lang}); anything else in the store (not a list, not a string id, corrupt keys) is left out.
export function entriesOf(saved, lang) {
  const entries = new Map();
  if (!saved || !Array.isArray(saved.ticked)) return entries;
  const meta = saved.items && typeof saved.items === "object" ? saved.items : {};
  for (const id of saved.ticked) {
    if (typeof id === "string") entries.set(id, meta[id] && typeof meta[id] === "object" ? meta[id] : { l: lang });
  }
  return entries;
}

/**
 * Which item each saved tick lands on: a pure function of the ticks (id -> {s, t}) and the page's
 * leaf items ([{id, s, t, o}], in page order). Returns id -> index in `leaves`.
 * By id (the item's, or a translated item's own id `o`), else by the text under its nearest heading
 * if once on the page, else by the text if once on the page; else the tick is an orphan.
 */
export function matchTicks(entries, leaves) {
  const byId = new Map();
  leaves.forEach((leaf, index) => { if (leaf.id && !byId.has(leaf.id)) byId.set(leaf.id, index); });
  leaves.forEach((leaf, index) => { if (leaf.o && !byId.has(leaf.o)) byId.set(leaf.o, index); });
  const unique = (name, value) => {
    if (!value) return undefined;
    const found = [];
    leaves.forEach((leaf, index) => { if (leaf[name] === value) found.push(index); });
    return found.length === 1 ? found[0] : undefined;
  };
  const matched = new Map();
  for (const [id, entry] of entries) {
    const index = byId.get(id) ?? unique("s", entry && entry.s) ?? unique("t", entry && entry.t);
    if (index !== undefined) matched.set(id, index);
  }
  return matched;
}

// The saved ticks matchTicks found no item for, as [id, entry] in saved order: kept and listed.
export const orphansOf = (entries, matched) => [...entries].filter(([id]) => !matched.has(id));

// The ticks that land on the item at `index`: unticking the item drops them all, or it would
// come back ticked on the next match.
export const ticksOn = (matched, index) => [...matched].filter(([, at]) => at === index).map(([id]) => id);

const words = (text) => String(text || "").normalize("NFKC").toLocaleLowerCase().replace(/\s+/g, " ").trim();
function bigrams(text) {
  const found = new Map();
  for (let i = 0; i < text.length - 1; i++) found.set(text.slice(i, i + 2), (found.get(text.slice(i, i + 2)) || 0) + 1);
  return found;
}
/** Dice coefficient of two texts' letter pairs: 1 for the same words, near 1 for a fixed typo. */
export function likeness(a, b) {
  const x = bigrams(words(a)), y = bigrams(words(b));
  let shared = 0, total = 0;
  for (const [pair, n] of x) { shared += Math.min(n, y.get(pair) || 0); total += n; }
  for (const n of y.values()) total += n;
  return total ? (2 * shared) / total : 0;
}

/** The index of the text most like `text` among `candidates` (null ones skipped), if alike enough
 * to be the same step reworded (0.7) and clearly closer than any other; else -1. */
export function mostLike(text, candidates, threshold = 0.7) {
  let best = -1, bestScore = 0, second = 0;
  candidates.forEach((candidate, index) => {
    if (candidate === null || candidate === undefined) return;
    const score = likeness(text, candidate);
    if (score > bestScore) { second = bestScore; best = index; bestScore = score; } else if (score > second) second = score;
  });
  return bestScore >= threshold && bestScore - second >= 0.1 ? best : -1;
}

const serialise = (entries) => ({ ticked: [...entries.keys()], items: Object.fromEntries(entries) });

function setup(toolbar) {
  // A speaker sheet shows another page's checklist: its part says whose ticks these are.
  const scope = toolbar.closest("[data-wk-page]");
  const root = scope || toolbar.closest("article") || document.body;
  const page = scope ? scope.dataset.wkPage : pagePath();
  const shared = neutralPath(page);
  const lang = document.documentElement.lang || "";
  const text = labels(toolbar);
  const key = storageKey("checklist", shared);
  const all = items(root);
  const leaves = all.filter(isLeaf);

  // Before both languages shared one store, ticks were saved under the page's own path.
  const legacy = storageKey("checklist", page);
  const saved = load(key);
  const entries = entriesOf(saved === null && legacy !== key ? load(legacy) : saved, lang);
  const persist = () => save(key, serialise(entries));

  const keys = leaves.map((leaf) => ({ id: leaf.dataset.wkId, s: leaf.dataset.wkS, t: leaf.dataset.wkT, o: leaf.dataset.wkO }));
  let matched = new Map();  // entry id -> index in leaves
  const ticked = () => new Set([...matched.values()].map((index) => leaves[index]));
  const rematch = () => { matched = matchTicks(entries, keys); };
  const tick = (leaf) => {
    entries.set(leaf.dataset.wkId, { t: leaf.dataset.wkT, s: leaf.dataset.wkS, l: lang, x: ownText(leaf).slice(0, 120) });
  };
  const untick = (leaf) => {
    for (const id of ticksOn(matched, leaves.indexOf(leaf))) entries.delete(id);
    entries.delete(leaf.dataset.wkId);
  };

  const headings = [...root.querySelectorAll("h2")];
  const sections = new Map();
  for (const leaf of leaves) {
    const heading = sectionOf(leaf, headings);
    if (!heading) continue;
    if (!sections.has(heading)) {
      const badge = document.createElement("span");
      badge.className = "wk-progress-section";
      heading.append(" ", badge);
      sections.set(heading, { badge, leaves: [] });
    }
    sections.get(heading).leaves.push(leaf);
  }

  const bar = toolbar.querySelector("progress") || document.createElement("progress");
  bar.setAttribute("aria-label", text.progress_label);
  const count = document.createElement("span");
  count.className = "wk-progress-count";
  count.setAttribute("aria-live", "polite");
  const orphans = document.createElement("details");
  orphans.className = "wk-orphans";
  const only = Object.assign(document.createElement("input"), { type: "checkbox" });
  const shown = (leaf) => !only.checked || leaf.dataset.wkMarker === "interactive";

  function render() {
    rematch();
    const done = ticked();
    for (const item of all) {
      const input = box(item);
      if (!input) continue;
      const leafs = isLeaf(item) ? [item] : children(item).filter(isLeaf);
      const full = leafs.every((leaf) => done.has(leaf));
      input.checked = full;
      item.classList.toggle("wk-done", full);
    }
    const progress = (list) => {
      const visible = list.filter(shown);
      return { done: visible.filter((leaf) => done.has(leaf)).length, total: visible.length };
    };
    const totals = progress(leaves);
    bar.max = totals.total;
    bar.value = totals.done;
    count.textContent = format(text.progress, totals);
    root.classList.toggle("wk-only-interactive", only.checked);
    for (const [heading, { badge, leaves: own }] of sections) {
      const counts = progress(own);
      badge.textContent = format(text.progress, counts);
      // With the filter on, a section without a step to show is hidden, heading and all.
      let node = heading;
      do {
        node.classList.toggle("wk-filtered", only.checked && counts.total === 0);
        node = node.nextElementSibling;
      } while (node && node.tagName !== "H2" && !node.matches(".wk-checklist-toolbar"));
    }
    const lost = orphansOf(entries, matched);
    orphans.hidden = lost.length === 0;
    const summary = document.createElement("summary");
    summary.textContent = format(text.orphans, { n: lost.length });
    const list = document.createElement("ul");
    const free = leaves.map((leaf) => (done.has(leaf) ? null : ownText(leaf)));
    for (const [id, entry] of lost) {
      const line = document.createElement("li");
      const label = entry.x || id;
      line.append(Object.assign(document.createElement("span"), { textContent: label }), " ");
      // Only a tick made in this language can be compared with this page's words.
      const like = !entry.l || entry.l === lang ? mostLike(label, free) : -1;
      if (like >= 0) {
        const target = leaves[like];
        line.append(button(format(text.orphan_move, { item: ownText(target) }), () => {
          entries.delete(id);
          tick(target);
          persist();
          render();
        }, "orphan-move"), " ");
      }
      const drop = button(text.orphan_drop, () => { entries.delete(id); persist(); render(); }, "orphan-drop");
      drop.setAttribute("aria-label", `${text.orphan_drop}: ${label}`);
      line.append(drop);
      list.append(line);
    }
    orphans.replaceChildren(summary, list);
  }

  for (const item of all) {
    const input = box(item);
    if (!input) continue;
    input.disabled = false;
    input.setAttribute("aria-label", ownText(item));
    input.addEventListener("change", () => {
      const targets = isLeaf(item) ? [item] : children(item).filter(isLeaf);
      for (const leaf of targets) (input.checked ? tick(leaf) : untick(leaf));
      persist();
      render();
    });
  }

  const button = (label, action, name) => {
    const element = document.createElement("button");
    element.type = "button";
    element.className = `md-button wk-${name}`;
    element.textContent = label;
    element.addEventListener("click", action);
    return element;
  };
  const picker = Object.assign(document.createElement("input"), { type: "file", accept: "application/json,.json", hidden: true });
  picker.addEventListener("change", async () => {
    const file = picker.files[0];
    picker.value = "";
    if (!file) return;
    let data;
    try {
      data = JSON.parse(await file.text());
      if (data.format !== FORMAT || !Array.isArray(data.ticked)) throw new Error("not a checklist export");
    } catch (e) {
      console.warn("workshop-kit: import failed", e);
      alert(text.import_failed);
      return;
    }
    if (data.site && data.site !== namespace()) { alert(text.import_failed); return; }
    const from = typeof data.page === "string" ? neutralPath(data.page) : shared;
    const incoming = entriesOf(data, data.lang || lang);
    if (from !== shared) {
      // Another page's ticks: never applied here; offered to their own page, added to its ticks.
      if (!confirm(format(text.import_other_page, { page: from }))) return;
      const other = storageKey("checklist", from);
      const kept = entriesOf(load(other), data.lang || lang);
      for (const [id, entry] of incoming) kept.set(id, entry);
      save(other, serialise(kept));
      return;
    }
    for (const [id, entry] of incoming) entries.set(id, entry);  // added to this page's ticks
    persist();
    render();
  });
  const filter = document.createElement("label");
  filter.className = "wk-filter";
  only.checked = Boolean((load(filterKey()) || {}).only);
  only.addEventListener("change", () => { save(filterKey(), { only: only.checked }); render(); });
  filter.append(only, " ", text.only_interactive);

  toolbar.replaceChildren(
    bar, count,
    button(text.reset, () => { if (confirm(text.reset_confirm)) { entries.clear(); persist(); remove(legacy); render(); } }, "reset"),
    button(text.export, () => {
      const data = { format: FORMAT, site: namespace(), page: shared, lang, ...serialise(entries) };
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
      const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: "checklist-" + shared.replace(/\W+/g, "-").replace(/^-|-$/g, "") + ".json" });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    }, "export"),
    button(text.import, () => picker.click(), "import"),
    button(text.print, () => window.print(), "print"),
    filter, orphans, picker,
  );
  toolbar.hidden = false;
  render();
}

/** `root` is the document, or a part of it added later (a speaker sheet's imported page). */
export function initChecklists(root) {
  root.querySelectorAll(".wk-checklist-toolbar").forEach(setup);
}
