// Printable speaker sheet: a page whose `.wk-sheet` block links to the workshop's agenda and
// speaker guide. The pages are fetched and shown in full (speaker notes and all): the agenda with
// its clock and shift (shared with the agenda page), the guide's checklist with the ticks saved on
// the guide itself; then the speaker notes of the workshop's other pages (the build lists them in
// data-wk-notes), each under its page's title; above all, one line: workshop, date (in the page's
// language: "10 March 2026", "10 mars 2026") and shift. The sheet is a speaker page: its notes
// show in the speaker view only, as on every page, and a line says so in the participant view.
// Printing opens every collapsed block (`???`) of the sheet, and closes them again afterwards.
// Without JavaScript the block stays what it is written as: links to those pages.

import { initChecklists } from "./checklist.js";
import { initTiming } from "./timing.js";
import { format, headLabels, labels, pagePath } from "./store.js";

function absolutise(node, base) {
  for (const element of node.querySelectorAll("[href], [src]")) {
    for (const attribute of ["href", "src"]) {
      const value = element.getAttribute(attribute);
      if (value && !value.startsWith("#")) element.setAttribute(attribute, new URL(value, base).href);
    }
  }
}

async function article(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const found = page.querySelector("article.md-content__inner") || page.querySelector("article");
  if (!found) throw new Error("no article in the page");
  return found;
}

function failed(url, text, error) {
  console.warn(`workshop-kit: speaker sheet could not load ${url.href}`, error);
  return Object.assign(document.createElement("p"), { className: "wk-sheet-failed", textContent: format(text["sheet.failed"], { url: url.href }) });
}

function section(nodes, url) {
  const part = document.createElement("section");
  part.className = "wk-sheet-part";
  part.dataset.wkPage = pagePath(url.href);
  part.append(...nodes.map((node) => document.importNode(node, true)));
  part.querySelectorAll(".md-content__button, .md-source-file, .headerlink").forEach((node) => node.remove());
  absolutise(part, url);
  part.querySelectorAll("details.speaker").forEach((details) => { details.open = true; });
  return part;
}

async function part(url, text) {
  try {
    return section([...(await article(url)).childNodes], url);
  } catch (error) {
    return failed(url, text, error);
  }
}

/** The speaker notes of one page under its title, or nothing when it has none. */
async function notes(url, text) {
  try {
    const found = await article(url);
    const kept = [...found.querySelectorAll(".admonition.speaker, details.speaker")];
    if (!kept.length) return null;
    const title = document.createElement("h3");
    found.querySelectorAll(".headerlink").forEach((link) => link.remove());
    title.textContent = (found.querySelector("h1") || {}).textContent || url.pathname;
    return [title, ...kept];
  } catch (error) {
    return [failed(url, text, error)];
  }
}

/** "10 March 2026" / "10 mars 2026": day, month name in `lang`, year, whatever the locale's usual order. */
export function sheetDate(date, lang) {
  let month;
  try { month = date.toLocaleDateString(lang || undefined, { month: "long" }); } catch (e) { month = date.toLocaleDateString(undefined, { month: "long" }); }
  return `${date.getDate()} ${month} ${date.getFullYear()}`;
}

let printing = [];
function openForPrint() {
  printing = [...document.querySelectorAll(".wk-sheet details:not([open])")];
  printing.forEach((details) => { details.open = true; });
}
function closeAfterPrint() {
  printing.forEach((details) => { details.open = false; });
  printing = [];
}

async function compose(sheet) {
  const text = { ...headLabels(), ...labels(sheet) };
  const status = Object.assign(document.createElement("p"), { className: "wk-sheet-status", textContent: text["sheet.loading"] || "" });
  status.setAttribute("role", "status");
  sheet.append(status);
  const urls = [...sheet.querySelectorAll("a[href]")].map((link) => new URL(link.getAttribute("href"), location.href));
  let others = [];
  try { others = JSON.parse(sheet.dataset.wkNotes || "[]"); } catch (e) { /* none listed */ }
  const seen = new Set(urls.map((url) => url.pathname));
  others = others.map((href) => new URL(href, location.href)).filter((url) => !seen.has(url.pathname));
  const [parts, found] = await Promise.all([
    Promise.all(urls.map((url) => part(url, text))),
    Promise.all(others.map((url) => notes(url, text))),
  ]);
  const gathered = found.filter(Boolean).flat();
  if (gathered.length) {
    const heading = Object.assign(document.createElement("h2"), { textContent: text.notes });
    const notesPart = section([heading, ...gathered], new URL(location.href));
    notesPart.classList.add("wk-sheet-notes");
    delete notesPart.dataset.wkPage;
    parts.push(notesPart);
  }
  const head = Object.assign(document.createElement("p"), { className: "wk-sheet-head" });
  const speakerOnly = Object.assign(document.createElement("p"), { className: "wk-sheet-speaker-only", textContent: text.speaker_only || "" });
  status.remove();
  // The agenda (the part with a timing table) prints across the page; what follows, in columns.
  const flow = Object.assign(document.createElement("div"), { className: "wk-sheet-flow" });
  flow.append(...parts.filter((node) => !node.querySelector(".wk-timing")));
  sheet.append(head, speakerOnly, ...parts.filter((node) => node.querySelector(".wk-timing")), flow);
  // The page's printed address line (overrides/main.html) ends the columns instead of taking a page
  // of its own after them (Chrome leaves the last page's columns unbalanced).
  const origin = document.querySelector(".wk-print-origin");
  if (origin && flow.childElementCount) flow.append(origin);
  const sheetParts = parts.filter((node) => node.matches(".wk-sheet-part[data-wk-page]"));
  sheetParts.forEach((node) => { initChecklists(node); initTiming(node); });
  const clock = sheet.querySelector(".wk-timing");
  const describe = () => {
    const shift = clock && clock.dataset.wkShift;
    head.textContent = [sheet.dataset.wkWorkshop, sheetDate(new Date(), document.documentElement.lang),
      shift ? format(text.shifted, { time: shift }) : text.planned].filter(Boolean).join(" · ");
  };
  describe();
  if (clock) new MutationObserver(describe).observe(clock, { attributes: true, attributeFilter: ["data-wk-shift"] });
  sheet.dataset.wkReady = "done";
}

export function initSheet(doc) {
  window.removeEventListener("beforeprint", openForPrint);
  window.removeEventListener("afterprint", closeAfterPrint);
  window.addEventListener("beforeprint", openForPrint);
  window.addEventListener("afterprint", closeAfterPrint);
  for (const sheet of doc.querySelectorAll(".wk-sheet:not([data-wk-ready])")) {
    sheet.dataset.wkReady = "loading";
    compose(sheet);
  }
}
