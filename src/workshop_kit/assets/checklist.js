// Speaker checklists: ticks saved per page, restored on reload and instant navigation, parents
// following their children, progress per page and per section, reset, export/import, print, filter.

import { format, labels, load, pagePath, remove, save, storageKey } from "./store.js";

const FORMAT = "workshop-kit-checklist";

const items = (root) => [...root.querySelectorAll("li.task-list-item[data-wk-id]")];
const box = (item) => item.querySelector(":scope > label > input[type=checkbox], :scope > input[type=checkbox]");
const children = (item) => items(item).filter((child) => child !== item);
const isLeaf = (item) => children(item).length === 0;

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

function setup(toolbar) {
  // A speaker sheet shows another page's checklist: its part says whose ticks these are.
  const scope = toolbar.closest("[data-wk-page]");
  const root = scope || toolbar.closest("article") || document.body;
  const page = scope ? scope.dataset.wkPage : pagePath();
  const text = labels(toolbar);
  const key = storageKey("checklist", page);
  const all = items(root);
  const leaves = all.filter(isLeaf);
  const known = new Set(leaves.map((item) => item.dataset.wkId));

  const saved = load(key) || {};
  const ticked = new Set((Array.isArray(saved.ticked) ? saved.ticked : []).filter((id) => known.has(id)));
  const persist = () => save(key, { ticked: [...ticked] });
  if (Array.isArray(saved.ticked) && saved.ticked.length !== ticked.size) persist(); // prune stale ids

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
  const count = document.createElement("span");
  count.className = "wk-progress-count";
  count.setAttribute("aria-live", "polite");

  function render() {
    for (const item of all) {
      const input = box(item);
      if (!input) continue;
      const leafs = isLeaf(item) ? [item] : children(item).filter(isLeaf);
      const done = leafs.every((leaf) => ticked.has(leaf.dataset.wkId));
      input.checked = done;
      item.classList.toggle("wk-done", done);
    }
    const done = leaves.filter((leaf) => ticked.has(leaf.dataset.wkId)).length;
    bar.max = leaves.length;
    bar.value = done;
    count.textContent = format(text.progress, { done, total: leaves.length });
    for (const { badge, leaves: own } of sections.values()) {
      badge.textContent = format(text.progress, { done: own.filter((l) => ticked.has(l.dataset.wkId)).length, total: own.length });
    }
  }

  for (const item of all) {
    const input = box(item);
    if (!input) continue;
    input.disabled = false;
    input.setAttribute("aria-label", ownText(item));
    input.addEventListener("change", () => {
      const targets = isLeaf(item) ? [item] : children(item).filter(isLeaf);
      for (const leaf of targets) (input.checked ? ticked.add(leaf.dataset.wkId) : ticked.delete(leaf.dataset.wkId));
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
    try {
      const data = JSON.parse(await file.text());
      if (data.format !== FORMAT || !Array.isArray(data.ticked)) throw new Error("not a checklist export");
      ticked.clear();
      data.ticked.filter((id) => known.has(id)).forEach((id) => ticked.add(id));
      persist();
      render();
    } catch (e) {
      console.warn("workshop-kit: import failed", e);
      alert(text.import_failed);
    }
  });
  const filter = document.createElement("label");
  filter.className = "wk-filter";
  const only = Object.assign(document.createElement("input"), { type: "checkbox" });
  only.addEventListener("change", () => root.classList.toggle("wk-only-interactive", only.checked));
  filter.append(only, " ", text.only_interactive);

  toolbar.replaceChildren(
    bar, count,
    button(text.reset, () => { if (confirm(text.reset_confirm)) { ticked.clear(); remove(key); render(); } }, "reset"),
    button(text.export, () => {
      const blob = new Blob([JSON.stringify({ format: FORMAT, page, ticked: [...ticked] }, null, 2)], { type: "application/json" });
      const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: "checklist-" + page.replace(/\W+/g, "-").replace(/^-|-$/g, "") + ".json" });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    }, "export"),
    button(text.import, () => picker.click(), "import"),
    button(text.print, () => window.print(), "print"),
    filter, picker,
  );
  toolbar.hidden = false;
  render();
}

/** `root` is the document, or a part of it added later (a speaker sheet's imported page). */
export function initChecklists(root) {
  root.querySelectorAll(".wk-checklist-toolbar").forEach(setup);
}
