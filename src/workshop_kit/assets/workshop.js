// Workshop Kit's browser entry point: every feature re-initialises on each page Material shows,
// with or without instant navigation.
import { initChecklists } from "./checklist.js";
import { initSheet } from "./sheet.js";
import { onPage } from "./store.js";
import { initTiming } from "./timing.js";
import { initView } from "./view.js";

onPage((doc) => {
  for (const init of [initView, initChecklists, initTiming, initSheet]) {
    try { init(doc); } catch (error) { console.warn("workshop-kit:", error); }
  }
});
