// Speaker / participant view: speaker notes (`!!! speaker` admonitions) show only in speaker view.
// The choice is saved per site; page_head.py's inline script applies it before the page is drawn,
// this module adds the switch to Material's header and keeps it in step.

import { headLabels, load, save, storageKey } from "./store.js";

const key = () => storageKey("view", "");

function labels() {
  const all = headLabels();
  return { speaker: all["view.speaker"], show: all["view.show"], hide: all["view.hide"] };
}

export function currentView() {
  return document.documentElement.dataset.wkView === "speaker" ? "speaker" : "participant";
}

function apply(view, button) {
  document.documentElement.dataset.wkView = view;
  if (!button) return;
  const text = labels();
  const speaker = view === "speaker";
  button.setAttribute("aria-pressed", String(speaker));
  button.title = speaker ? text.hide || "" : text.show || "";
}

export function initView(doc) {
  const saved = load(key());
  const view = saved && saved.view === "speaker" ? "speaker" : "participant";
  const header = doc.querySelector(".md-header__inner");
  let button = doc.querySelector(".wk-view-toggle");
  if (header && !button) {
    const text = labels();
    button = doc.createElement("button");
    button.type = "button";
    button.className = "md-header__button wk-view-toggle";
    // The words on wide screens; on narrow ones only the icon (a presentation board), named by aria-label.
    button.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M2 3h8a2 2 0 0 1 4 0h8v2h-1v11h-5.75L17 22h-2l-1.75-6h-2.5L9 22H7l1.75-6H3V5H2V3m3 2v9h14V5H5z"/></svg><span></span>';
    button.lastChild.textContent = text.speaker || "Speaker view";
    button.setAttribute("aria-label", button.lastChild.textContent);
    button.addEventListener("click", () => {
      const next = currentView() === "speaker" ? "participant" : "speaker";
      save(key(), { view: next });
      apply(next, button);
    });
    const anchor = header.querySelector(".md-search") || header.querySelector(".md-header__source");
    header.insertBefore(button, anchor);
  }
  apply(view, button);
}
