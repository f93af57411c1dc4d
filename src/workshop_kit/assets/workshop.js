// Workshop Kit's browser entry point: every feature re-initialises on each page Material shows,
// with or without instant navigation.
import { initChecklists } from "./checklist.js";
import { onPage } from "./store.js";
import { initTiming } from "./timing.js";

onPage((doc) => {
  for (const init of [initChecklists, initTiming]) {
    try { init(doc); } catch (error) { console.warn("workshop-kit:", error); }
  }
});
