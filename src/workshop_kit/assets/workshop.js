// Workshop Kit's browser entry point: every feature re-initialises on each page Material shows,
// with or without instant navigation.
import { initChecklists } from "./checklist.js";
import { onPage } from "./store.js";
import { initTiming } from "./timing.js";
import { initView } from "./view.js";

onPage((doc) => {
  for (const init of [initView, initChecklists, initTiming]) {
    try { init(doc); } catch (error) { console.warn("workshop-kit:", error); }
  }
  // Only a speaker sheet needs sheet.js: other pages do not download it.
  if (doc.querySelector(".wk-sheet")) {
    import("./sheet.js").then(({ initSheet }) => initSheet(doc)).catch((error) => console.warn("workshop-kit:", error));
  }
});
