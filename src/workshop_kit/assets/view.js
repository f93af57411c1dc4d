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
    button.textContent = text.speaker || "Speaker view";
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
