// Speaker checklists: ticks saved per page (one store for both languages), restored on reload and
// instant navigation, parents following their children, progress per page and per section, reset,
// export/import, print, and a filter on the steps participants do too.
//
// Ticks are never lost: a saved tick finds its item by its id, else by its text under the same
// nearest heading, else by its text if that is once on the page (the build writes those keys as
// data-wk-id, -s and -t); a tick made in the other language finds the item at the same place
// (translations are structurally paired). A tick that matches nothing is kept, listed in the
// toolbar and comes back with its item; only the speaker's reset drops it. Loading never writes.

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

/** Saved ticks as id -> {t, s, p, l, x}; the first format saved ids only. */
function entriesOf(saved, lang) {
  const entries = new Map();
  if (!saved || !Array.isArray(saved.ticked)) return entries;
  const meta = saved.items && typeof saved.items === "object" ? saved.items : {};
  for (const id of saved.ticked) {
    if (typeof id === "string") entries.set(id, meta[id] && typeof meta[id] === "object" ? meta[id] : { l: lang });
  }
  return entries;
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

  const unique = (name, value) => {
    const found = value ? leaves.filter((leaf) => leaf.dataset[name] === value) : [];
    return found.length === 1 ? found[0] : null;
  };
  const byId = new Map(leaves.map((leaf) => [leaf.dataset.wkId, leaf]));
  const match = (id, entry) => {
    if (entry.l && lang && entry.l !== lang) {
      const item = all[entry.p];
      return item && isLeaf(item) ? item : null;
    }
    return byId.get(id) || unique("wkS", entry.s) || unique("wkT", entry.t);
  };
  let matched = new Map();  // entry id -> item
  const ticked = () => new Set(matched.values());
  const rematch = () => {
    matched = new Map();
    for (const [id, entry] of entries) {
      const item = match(id, entry);
      if (item) matched.set(id, item);
    }
  };
  const tick = (leaf) => {
    entries.set(leaf.dataset.wkId, {
      t: leaf.dataset.wkT, s: leaf.dataset.wkS, p: all.indexOf(leaf), l: lang, x: ownText(leaf).slice(0, 120),
    });
  };
  const untick = (leaf) => {
    for (const [id, item] of matched) if (item === leaf) entries.delete(id);
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
    const lost = [...entries].filter(([id]) => !matched.has(id));
    orphans.hidden = lost.length === 0;
    const summary = document.createElement("summary");
    summary.textContent = format(text.orphans, { n: lost.length });
    const list = document.createElement("ul");
    for (const [id, entry] of lost) list.append(Object.assign(document.createElement("li"), { textContent: entry.x || id }));
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
