// Workshop Kit's browser entry point: every feature re-initialises on each page Material shows,
// with or without instant navigation. A feature's module is downloaded only by a page that has
// what it works on (and stays loaded, so it can stop its work when the next page has none).
import { onPage } from "./store.js";
import { initView } from "./view.js";

const warn = (error) => console.warn("workshop-kit:", error);
const features = [
  [".wk-checklist-toolbar", () => import("./checklist.js"), "initChecklists"],
  [".wk-timing", () => import("./timing.js"), "initTiming"],
  [".wk-sheet", () => import("./sheet.js"), "initSheet"],
  [".wk-check, .wk-timing", () => import("./room.js"), "initRoom"],
];
const loaded = new Set();

onPage((doc) => {
  try { initView(doc); } catch (error) { warn(error); }
  const started = features.filter(([selector, , init]) => doc.querySelector(selector) || loaded.has(init))
    .map(([, load, init]) => { loaded.add(init); return load().then((module) => module[init](doc)).catch(warn); });
  // Marks the page (Material's container, replaced by instant navigation) once every feature is set up.
  Promise.all(started).then(() => {
    (doc.querySelector("[data-md-component=container]") || doc.body).dataset.wkReady = "";
  });
});
