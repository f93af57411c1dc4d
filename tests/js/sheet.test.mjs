// The speaker sheet's printed date, in the page's language (issue 24: not "3/10/2026").
import { test } from "node:test";
import assert from "node:assert/strict";

import { sheetDate } from "../../src/workshop_kit/assets/sheet.js";

test("the date reads day, month name, year in the page's language", () => {
  const day = new Date(2026, 2, 10);
  assert.equal(sheetDate(day, "en"), "10 March 2026");
  assert.equal(sheetDate(day, "fr"), "10 mars 2026");
});

test("an unknown or empty language still gives a date with a month name", () => {
  assert.match(sheetDate(new Date(2026, 2, 10), ""), /^10 \p{L}+ 2026$/u);
  assert.match(sheetDate(new Date(2026, 2, 10), "not a language tag!"), /^10 \p{L}+ 2026$/u);
});
